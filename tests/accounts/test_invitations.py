"""Inviting people: alice (North's admin) invites by email; the single-use link expires; the
newcomer sets a password (12+ characters, not a common one) and joins with the invited role."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.models import Invitation, Membership, User
from caseaudit.accounts.roles import Role

GOOD_PASSWORD = "seven purple elephants"


def invite(client, world, **data):
    client.force_login(world.alice)
    payload = {"email": "nia@north.example", "role": Role.AGENCY_AUDITOR, "agency": world.csc.pk}
    payload.update(data)
    return client.post("/people/invite/", payload)


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitation/[^/\s]+/)", message.body).group(1)


class TestPersonInvite:
    def test_it_sends_a_single_use_link(self, client, world):
        response = invite(client, world)
        assert response.status_code == 302
        assert response["Location"] == "/people/"
        invitation = Invitation.objects.get()
        assert invitation.partnership == world.north
        assert invitation.agency == world.csc
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["nia@north.example"]
        assert "North" in message.body
        token = link_in(message).split("/")[2]
        # Only a hash of the token is kept.
        assert token not in invitation.token_hash
        event = AccessEvent.objects.get(action=Action.INVITATION_SENT)
        assert event.user == world.alice
        assert event.partnership == world.north
        assert event.object_label == "nia@north.example"

    def test_it_shows_errors_and_keeps_what_was_typed(self, client, world):
        response = invite(client, world, email="nia@", role="", agency="")
        assert response.status_code == 200
        content = response.content.decode()
        assert "Enter an email address in the correct format" in content
        assert "Select a role" in content
        assert 'value="nia@"' in content
        assert not Invitation.objects.exists()
        assert not mail.outbox

    def test_an_agency_auditor_needs_an_agency(self, client, world):
        response = invite(client, world, agency="")
        assert "Select the agency this person audits for" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_it_refuses_an_agency_of_another_partnership(self, client, world):
        response = invite(client, world, agency=world.south_csc.pk)
        assert response.status_code == 200
        assert not Invitation.objects.exists()

    def test_it_refuses_someone_already_in_the_partnership(self, client, world):
        response = invite(client, world, email="chris@north.example")
        assert "already has a role" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_a_new_invitation_replaces_the_waiting_one(self, client, world):
        invite(client, world)
        invite(client, world, role=Role.MODERATOR, agency="")
        assert Invitation.objects.filter(revoked_at=None).count() == 1
        assert Invitation.objects.get(revoked_at=None).role == Role.MODERATOR

    def test_people_without_the_role_get_404(self, client, world):
        client.force_login(world.lena)
        response = client.post("/people/invite/", {"email": "x@north.example", "role": "moderator"})
        assert response.status_code == 404
        assert not Invitation.objects.exists()


class TestInvitationAccept:
    def test_a_newcomer_sets_a_password_and_joins(self, client, world):
        invite(client, world)
        client.logout()
        link = link_in(mail.outbox[0])
        assert client.get(link).status_code == 200
        response = client.post(
            link,
            {"full_name": "Nia Nowak", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
        )
        assert response.status_code == 302
        user = User.objects.get(email="nia@north.example")
        assert user.full_name == "Nia Nowak"
        assert user.check_password(GOOD_PASSWORD)
        membership = Membership.objects.get(user=user)
        assert (membership.partnership, membership.role, membership.agency) == (
            world.north,
            Role.AGENCY_AUDITOR,
            world.csc,
        )
        # Signed in, and sent to set up the authenticator app before anything else.
        response = client.get("/")
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200
        assert AccessEvent.objects.filter(action=Action.INVITATION_ACCEPTED, user=user).exists()

    def test_the_link_works_once(self, client, world):
        invite(client, world)
        client.logout()
        link = link_in(mail.outbox[0])
        data = {"full_name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        client.post(link, data)
        client.logout()
        response = client.get(link)
        assert response.status_code == 410
        assert "already been used" in response.content.decode()

    def test_an_expired_link_is_refused(self, client, world):
        invite(client, world)
        client.logout()
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        response = client.get(link_in(mail.outbox[0]))
        assert response.status_code == 410
        assert "expired" in response.content.decode()

    def test_an_unknown_link_is_404(self, client, world):
        assert client.get("/invitation/not-a-real-token/").status_code == 404

    def test_weak_passwords_are_refused_and_nothing_is_created(self, client, world):
        invite(client, world)
        client.logout()
        link = link_in(mail.outbox[0])
        for password, message in [
            ("too short", "at least 12 characters"),
            ("password1234", "too common"),
        ]:
            response = client.post(
                link, {"full_name": "Nia", "password1": password, "password2": password}
            )
            assert response.status_code == 200
            assert message in response.content.decode()
        response = client.post(
            link, {"full_name": "Nia", "password1": GOOD_PASSWORD, "password2": "different one"}
        )
        assert "Passwords do not match" in response.content.decode()
        assert not User.objects.filter(email="nia@north.example").exists()

    def test_an_existing_person_signs_in_then_joins(self, client, world):
        client.force_login(world.sol)
        client.post("/people/invite/", {"email": "lena@north.example", "role": Role.AUDIT_LEAD})
        client.logout()
        link = link_in(mail.outbox[0])
        response = client.get(link)
        assert "Sign in to accept" in response.content.decode()
        client.force_login(world.lena)
        response = client.post(link)
        assert response.status_code == 302
        assert world.lena.memberships.get(partnership=world.south).role == Role.AUDIT_LEAD
        assert world.lena.check_password("correct horse battery staple")


class TestInvitationWithdraw:
    def test_it_withdraws(self, client, world):
        invite(client, world)
        invitation = Invitation.objects.get()
        response = client.post(f"/invitations/{invitation.pk}/withdraw/")
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.status == "Withdrawn"
        client.logout()
        assert client.get(link_in(mail.outbox[0])).status_code == 410

    def test_another_partnerships_admin_gets_404(self, client, world):
        invite(client, world)
        invitation = Invitation.objects.get()
        client.force_login(world.sol)
        assert client.post(f"/invitations/{invitation.pk}/withdraw/").status_code == 404
        invitation.refresh_from_db()
        assert invitation.status == "Waiting"

    def test_it_needs_post(self, client, world):
        invite(client, world)
        invitation = Invitation.objects.get()
        assert client.get(f"/invitations/{invitation.pk}/withdraw/").status_code == 405
