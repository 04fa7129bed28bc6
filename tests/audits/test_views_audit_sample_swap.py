"""Swapping a child out of a locked sample, with a reason."""

from caseaudit.audits.models import SampledCase
from tests.audits.test_views_audit_sample import (
    a_snapshot,
    an_audit,
    assert_anonymous,
    draw_data,
)


def locked(client, world, lock=True):
    snapshot = a_snapshot(world)
    audit = an_audit(world)
    client.force_login(world.lena)
    client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
    if lock:
        client.post(f"/audits/{audit.pk}/sample/lock/")
    return audit, SampledCase.objects.get(sample__audit=audit, pseudonym="Child B")


class TestSampleSwap:
    def test_it_asks_for_the_reason(self, client, world):
        audit, child = locked(client, world)
        content = client.get(f"/audits/{audit.pk}/sample/{child.pk}/swap/").content.decode()
        assert "Why are you swapping Child B?" in content
        assert_anonymous(content)

    def test_it_swaps_and_keeps_the_history(self, client, world):
        audit, child = locked(client, world)
        reason = "Family moved to <another area> before the plan started"
        response = client.post(f"/audits/{audit.pk}/sample/{child.pk}/swap/", {"reason": reason})
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/sample/"
        child.refresh_from_db()
        assert child.removed_by == world.lena
        assert child.removal_reason == reason
        replacement = child.replaced_by
        assert replacement.pseudonym == "Child G"

        content = client.get(response["Location"]).content.decode()
        assert "Child B swapped for Child G" in content
        assert "Swaps" in content
        assert "Family moved to &lt;another area&gt; before the plan started" in content
        assert_anonymous(content)

    def test_a_reason_is_needed(self, client, world):
        audit, child = locked(client, world)
        response = client.post(f"/audits/{audit.pk}/sample/{child.pk}/swap/", {"reason": "  "})
        content = response.content.decode()
        assert response.status_code == 200
        assert "Enter the reason for swapping this child" in content
        child.refresh_from_db()
        assert child.removed_at is None

    def test_an_unlocked_sample_cannot_be_swapped(self, client, world):
        audit, child = locked(client, world, lock=False)
        response = client.post(
            f"/audits/{audit.pk}/sample/{child.pk}/swap/", {"reason": "Moved away"}
        )
        content = response.content.decode()
        assert "Lock the sample before swapping a child" in content
        assert 'value="Moved away"' not in content  # a textarea keeps it as text
        assert "Moved away" in content
        child.refresh_from_db()
        assert child.removed_at is None

    def test_a_child_is_swapped_once(self, client, world):
        audit, child = locked(client, world)
        url = f"/audits/{audit.pk}/sample/{child.pk}/swap/"
        client.post(url, {"reason": "Moved away"})
        response = client.post(url, {"reason": "Again"})
        assert "This child has already been swapped" in response.content.decode()

    def test_a_child_of_another_audit_is_404(self, client, world):
        _audit, child = locked(client, world)
        other = an_audit(world)
        response = client.post(f"/audits/{other.pk}/sample/{child.pk}/swap/", {"reason": "x"})
        assert response.status_code == 404

    def test_other_roles_and_partnerships_get_404(self, client, world):
        audit, child = locked(client, world)
        for persona in ("chris", "morgan", "sam", "bea", "sol"):
            client.force_login(world.users[persona])
            url = f"/audits/{audit.pk}/sample/{child.pk}/swap/"
            assert client.post(url, {"reason": "Moved away"}).status_code == 404
        child.refresh_from_db()
        assert child.removed_at is None

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit, child = locked(client, world)
        client.logout()
        response = client.get(f"/audits/{audit.pk}/sample/{child.pk}/swap/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_put_is_not_allowed(self, client, world):
        audit, child = locked(client, world)
        assert client.put(f"/audits/{audit.pk}/sample/{child.pk}/swap/").status_code == 405
