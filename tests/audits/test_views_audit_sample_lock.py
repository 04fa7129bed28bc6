"""Locking a sample."""

from caseaudit.audits.models import Sample
from tests.audits.test_views_audit_sample import a_snapshot, an_audit, draw_data


def drawn(client, world):
    snapshot = a_snapshot(world)
    audit = an_audit(world)
    client.force_login(world.lena)
    client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
    return audit


class TestSampleLock:
    def test_it_locks_and_records_who(self, client, world):
        audit = drawn(client, world)
        response = client.post(f"/audits/{audit.pk}/sample/lock/")
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/sample/"
        sample = Sample.objects.get()
        assert sample.is_locked
        assert sample.locked_by == world.lena
        assert "Sample locked" in client.get(response["Location"]).content.decode()

    def test_locking_twice_says_so(self, client, world):
        audit = drawn(client, world)
        client.post(f"/audits/{audit.pk}/sample/lock/")
        response = client.post(f"/audits/{audit.pk}/sample/lock/", follow=True)
        assert "The sample is already locked" in response.content.decode()

    def test_no_sample_is_404(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        assert client.post(f"/audits/{audit.pk}/sample/lock/").status_code == 404

    def test_other_roles_get_404(self, client, world):
        audit = drawn(client, world)
        for persona in ("chris", "morgan", "sam", "bea", "sol"):
            client.force_login(world.users[persona])
            assert client.post(f"/audits/{audit.pk}/sample/lock/").status_code == 404
        assert not Sample.objects.get().is_locked

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit = drawn(client, world)
        client.logout()
        response = client.post(f"/audits/{audit.pk}/sample/lock/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_get_is_not_allowed(self, client, world):
        audit = drawn(client, world)
        assert client.get(f"/audits/{audit.pk}/sample/lock/").status_code == 405
