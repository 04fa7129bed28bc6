"""Partnership admins change roles and deactivate people; deactivation ends every session of
that person at once."""

from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.roles import Role


class TestPeople:
    def test_it_lists_the_partnerships_people_only(self, client, world):
        client.force_login(world.alice)
        content = client.get("/people/").content.decode()
        assert "chris@north.example" in content
        assert "sol@south.example" not in content

    def test_anonymous_is_sent_to_sign_in(self, client, world):
        response = client.get("/people/")
        assert response["Location"] == "/accounts/login/?next=/people/"


class TestPersonRole:
    def test_it_changes_the_role(self, client, world):
        client.force_login(world.alice)
        bea = world.memberships["bea"]
        response = client.post(f"/people/{bea.pk}/role/", {"role": Role.MODERATOR})
        assert response.status_code == 302
        bea.refresh_from_db()
        assert bea.role == Role.MODERATOR
        event = AccessEvent.objects.get(action=Action.ROLE_CHANGED)
        assert event.detail == "from Board viewer to Moderator"
        assert event.partnership == world.north

    def test_an_agency_auditor_can_be_made_agency_lead(self, client, world):
        client.force_login(world.alice)
        chris = world.memberships["chris"]
        response = client.post(
            f"/people/{chris.pk}/role/",
            {"role": Role.AGENCY_AUDITOR, "agency": world.csc.pk, "is_agency_lead": "on"},
        )
        assert response.status_code == 302
        chris.refresh_from_db()
        assert chris.is_agency_lead
        assert AccessEvent.objects.get(action=Action.ROLE_CHANGED).detail.endswith("agency lead")

    def test_only_an_agency_auditor_can_be_agency_lead(self, client, world):
        client.force_login(world.alice)
        bea = world.memberships["bea"]
        response = client.post(
            f"/people/{bea.pk}/role/", {"role": Role.MODERATOR, "is_agency_lead": "on"}
        )
        assert response.status_code == 200
        assert "Only an agency auditor can be an agency lead" in response.content.decode()
        bea.refresh_from_db()
        assert not bea.is_agency_lead

    def test_an_agency_auditor_needs_an_agency(self, client, world):
        client.force_login(world.alice)
        bea = world.memberships["bea"]
        response = client.post(f"/people/{bea.pk}/role/", {"role": Role.AGENCY_AUDITOR})
        assert response.status_code == 200
        assert "Select the agency this person audits for" in response.content.decode()
        bea.refresh_from_db()
        assert bea.role == Role.BOARD_VIEWER

    def test_the_last_admin_cannot_step_down(self, client, world):
        client.force_login(world.alice)
        alice = world.memberships["alice"]
        response = client.post(f"/people/{alice.pk}/role/", {"role": Role.MODERATOR})
        assert "at least one partnership admin" in response.content.decode()
        alice.refresh_from_db()
        assert alice.role == Role.PARTNERSHIP_ADMIN

    def test_another_partnerships_admin_gets_404(self, client, world):
        client.force_login(world.sol)
        bea = world.memberships["bea"]
        response = client.post(f"/people/{bea.pk}/role/", {"role": Role.MODERATOR})
        assert response.status_code == 404
        bea.refresh_from_db()
        assert bea.role == Role.BOARD_VIEWER

    def test_it_needs_post(self, client, world):
        client.force_login(world.alice)
        assert client.get(f"/people/{world.memberships['bea'].pk}/role/").status_code == 405


class TestPersonDeactivate:
    def test_it_ends_every_session_at_once(self, client, world):
        # Bea is signed in on two devices.
        laptop, phone = Client(), Client()
        laptop.force_login(world.bea)
        phone.force_login(world.bea)
        assert laptop.get("/").status_code == 200
        client.force_login(world.alice)
        response = client.post(f"/people/{world.memberships['bea'].pk}/deactivate/")
        assert response.status_code == 302
        assert laptop.get("/").status_code == 302
        assert phone.get("/").status_code == 302
        world.bea.refresh_from_db()
        assert not world.bea.is_active
        assert AccessEvent.objects.filter(action=Action.MEMBERSHIP_DEACTIVATED).exists()

    def test_a_person_with_another_partnership_stays_active_there(self, client, world):
        from caseaudit.accounts.models import Membership

        Membership.objects.create(user=world.lena, partnership=world.south, role=Role.AUDIT_LEAD)
        client.force_login(world.alice)
        client.post(f"/people/{world.memberships['lena'].pk}/deactivate/")
        world.lena.refresh_from_db()
        assert world.lena.is_active
        other = Client()
        other.force_login(world.lena)
        content = other.get("/").content.decode()
        assert "South" in content

    def test_admins_cannot_deactivate_themselves(self, client, world):
        client.force_login(world.alice)
        client.post(f"/people/{world.memberships['alice'].pk}/deactivate/")
        world.memberships["alice"].refresh_from_db()
        assert world.memberships["alice"].is_active

    def test_reactivate(self, client, world):
        client.force_login(world.alice)
        bea = world.memberships["bea"]
        client.post(f"/people/{bea.pk}/deactivate/")
        client.post(f"/people/{bea.pk}/reactivate/")
        bea.refresh_from_db()
        world.bea.refresh_from_db()
        assert bea.is_active
        assert world.bea.is_active

    def test_another_partnerships_admin_gets_404(self, client, world):
        client.force_login(world.sol)
        response = client.post(f"/people/{world.memberships['bea'].pk}/deactivate/")
        assert response.status_code == 404
        world.bea.refresh_from_db()
        assert world.bea.is_active
