from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role


class TestPartnershipSwitch:
    def test_it_switches(self, client, world):
        Membership.objects.create(user=world.lena, partnership=world.south, role=Role.AUDIT_LEAD)
        client.force_login(world.lena)
        response = client.post("/partnership/switch/", {"partnership": world.south.pk})
        assert response.status_code == 302
        assert response.wsgi_request.membership.partnership == world.north
        response = client.get("/")
        assert response.context["current_membership"].partnership == world.south

    def test_a_partnership_without_a_role_is_404(self, client, world):
        client.force_login(world.lena)
        response = client.post("/partnership/switch/", {"partnership": world.south.pk})
        assert response.status_code == 404
        assert client.get("/").context["current_membership"].partnership == world.north

    def test_a_deactivated_role_does_not_count(self, client, world):
        Membership.objects.create(
            user=world.lena, partnership=world.south, role=Role.AUDIT_LEAD, is_active=False
        )
        client.force_login(world.lena)
        response = client.post("/partnership/switch/", {"partnership": world.south.pk})
        assert response.status_code == 404

    def test_nonsense_is_404(self, client, world):
        client.force_login(world.lena)
        assert client.post("/partnership/switch/", {"partnership": "x"}).status_code == 404

    def test_it_needs_post(self, client, world):
        client.force_login(world.lena)
        assert client.get("/partnership/switch/").status_code == 405
