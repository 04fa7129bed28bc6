from caseaudit.accesslog.models import AccessEvent, Action


class TestPartnershipSettings:
    def test_it_saves_the_recency_period_and_names(self, client, world):
        client.force_login(world.alice)
        response = client.post(
            "/partnership/settings/",
            {"recency_months": "18", "pseudonym_names": "Amber\n\n  Basil  \nCedar"},
        )
        assert response.status_code == 302
        world.north.refresh_from_db()
        assert world.north.recency_months == 18
        assert world.north.pseudonym_names == ["Amber", "Basil", "Cedar"]
        assert AccessEvent.objects.filter(
            action=Action.SETTINGS_CHANGED, partnership=world.north
        ).exists()
        content = client.get("/partnership/settings/").content.decode()
        assert 'value="18"' in content
        assert "Amber\nBasil\nCedar" in content

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world):
        client.force_login(world.alice)
        response = client.post(
            "/partnership/settings/", {"recency_months": "twelve", "pseudonym_names": "A\na"}
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "Enter the number of months as a whole number, like 12" in content
        assert "Each name must be different" in content
        assert 'value="twelve"' in content
        world.north.refresh_from_db()
        assert world.north.recency_months == 12

    def test_other_roles_get_404(self, client, world):
        client.force_login(world.lena)
        response = client.post("/partnership/settings/", {"recency_months": "1"})
        assert response.status_code == 404
        world.north.refresh_from_db()
        assert world.north.recency_months == 12

    def test_each_admin_changes_their_own_partnership(self, client, world):
        client.force_login(world.sol)
        client.post("/partnership/settings/", {"recency_months": "6"})
        world.north.refresh_from_db()
        world.south.refresh_from_db()
        assert (world.north.recency_months, world.south.recency_months) == (12, 6)

    def test_it_refuses_other_methods(self, client, world):
        client.force_login(world.alice)
        assert client.put("/partnership/settings/").status_code == 405
