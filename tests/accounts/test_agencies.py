from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.models import Agency


class TestAgencies:
    def test_it_lists_this_partnerships_agencies(self, client, world):
        client.force_login(world.alice)
        content = client.get("/agencies/").content.decode()
        assert "North Health Trust" in content
        assert "Shire Police" in content
        assert "South Children&#x27;s Services" not in content


class TestAgencyAdd:
    def test_it_adds(self, client, world):
        client.force_login(world.alice)
        response = client.post(
            "/agencies/add/", {"name": "North Schools", "sector": "education", "code": "EDU"}
        )
        assert response.status_code == 302
        agency = Agency.objects.get(name="North Schools")
        assert list(agency.partnerships.all()) == [world.north]
        assert AccessEvent.objects.filter(action=Action.AGENCY_CHANGED).exists()

    def test_an_agency_of_the_same_name_is_shared(self, client, world):
        client.force_login(world.sol)
        response = client.post("/agencies/add/", {"name": "north health trust", "sector": "health"})
        assert response.status_code == 302
        assert Agency.objects.filter(name__iexact="north health trust").count() == 1
        assert world.health.partnerships.filter(pk=world.south.pk).exists()

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world):
        client.force_login(world.alice)
        response = client.post("/agencies/add/", {"name": "", "sector": "", "code": "XYZ"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "Enter the agency name" in content
        assert "Select a sector" in content
        assert 'value="XYZ"' in content
        assert not Agency.objects.filter(code="XYZ").exists()

    def test_an_agency_already_serving_the_partnership_is_refused(self, client, world):
        client.force_login(world.alice)
        response = client.post("/agencies/add/", {"name": "Shire Police", "sector": "police"})
        assert "already serves North" in response.content.decode()

    def test_other_roles_get_404(self, client, world):
        client.force_login(world.lena)
        response = client.post("/agencies/add/", {"name": "X", "sector": "health"})
        assert response.status_code == 404
        assert not Agency.objects.filter(name="X").exists()


class TestAgencyEdit:
    def test_it_edits(self, client, world):
        client.force_login(world.alice)
        response = client.post(
            f"/agencies/{world.csc.pk}/edit/",
            {"name": "North Children's Services", "sector": "childrens_social_care", "code": "CS"},
        )
        assert response.status_code == 302
        world.csc.refresh_from_db()
        assert world.csc.name == "North Children's Services"

    def test_a_shared_agency_says_so(self, client, world):
        client.force_login(world.alice)
        content = client.get(f"/agencies/{world.police.pk}/edit/").content.decode()
        assert "also serves 1 other partnership" in content

    def test_another_partnerships_agency_is_404(self, client, world):
        client.force_login(world.sol)
        response = client.post(
            f"/agencies/{world.csc.pk}/edit/", {"name": "Taken", "sector": "health"}
        )
        assert response.status_code == 404
        world.csc.refresh_from_db()
        assert world.csc.name == "North Children's Social Care"

    def test_free_text_is_escaped(self, client, world):
        client.force_login(world.alice)
        client.post(
            f"/agencies/{world.csc.pk}/edit/",
            {"name": "<script>alert(1)</script>", "sector": "health"},
        )
        content = client.get("/agencies/").content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
