"""/population/: the imports of the partnership and its saved column mappings."""

from caseaudit.population.models import ColumnMapping, PopulationSnapshot

URL = "/population/"


def snapshot(partnership, user, file_name: str) -> PopulationSnapshot:
    return PopulationSnapshot.objects.create(
        partnership=partnership,
        imported_by=user,
        as_of="2026-05-01",
        file_name=file_name,
        file_hash="0" * 64,
        file_format="csv",
        row_count=212,
    )


class TestPopulationList:
    def test_it_lists_this_partnerships_imports_and_mappings(self, client, world):
        north = snapshot(world.north, world.lena, "north-may.csv")
        snapshot(world.south, world.sol, "south-may.csv")
        ColumnMapping.objects.create(
            partnership=world.north, name="Annex A", columns={"child_id": "Child Unique ID"}
        )
        ColumnMapping.objects.create(partnership=world.south, name="South report", columns={})
        client.force_login(world.alice)
        content = client.get(URL).content.decode()
        assert "north-may.csv" in content
        assert "212" in content
        assert "Lena" in content
        assert f'href="/population/{north.pk}/"' in content
        assert "Import a case list" in content
        assert "Annex A" in content
        assert "child_id: Child Unique ID" in content
        assert "south-may.csv" not in content
        assert "South report" not in content

    def test_it_says_when_nothing_is_imported(self, client, world):
        client.force_login(world.lena)
        assert "No case lists have been imported yet" in client.get(URL).content.decode()

    def test_file_names_are_escaped(self, client, world):
        snapshot(world.north, world.lena, "<script>x</script>.csv")
        client.force_login(world.lena)
        content = client.get(URL).content.decode()
        assert "<script>x" not in content

    def test_it_is_in_the_navigation_of_leads_and_admins_only(self, client, world):
        client.force_login(world.lena)
        assert 'href="/population/"' in client.get("/").content.decode()
        client.force_login(world.chris)
        assert 'href="/population/"' not in client.get("/").content.decode()


class TestPopulationListAccess:
    def test_other_roles_get_404(self, client, world):
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.get(URL).status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_wrong_method(self, client, world):
        client.force_login(world.lena)
        assert client.post(URL).status_code == 405
