"""The identifying-details panel: the one page with a sampled child's name, date of birth and
child id. Every view is logged, by pseudonym; every other page shows only the pseudonym."""

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import SampledCase
from tests.audits.test_views_audit_sample import SURNAME, a_snapshot, an_audit, draw_data


def sampled(client, world):
    snapshot = a_snapshot(world)
    audit = an_audit(world)
    client.force_login(world.lena)
    client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
    client.post(f"/audits/{audit.pk}/sample/lock/")
    child = SampledCase.objects.select_related("case").get(pseudonym="Child A")
    return audit, child


class TestIdentifyingDetails:
    def test_it_shows_who_the_child_is_and_warns_that_it_is_logged(self, client, world):
        audit, child = sampled(client, world)
        response = client.get(f"/audits/{audit.pk}/sample/{child.pk}/identifying-details/")
        content = response.content.decode()
        assert response.status_code == 200
        assert child.case.name in content
        assert child.case.child_id in content
        assert "recorded in the access log" in content
        assert response["Cache-Control"] == "no-store"

    def test_every_view_is_logged_without_the_name(self, client, world):
        audit, child = sampled(client, world)
        url = f"/audits/{audit.pk}/sample/{child.pk}/identifying-details/"
        client.get(url)
        client.force_login(world.alice)
        client.get(url)
        events = AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).order_by("id")
        assert [(event.user, event.object_label) for event in events] == [
            (world.lena, "Child A"),
            (world.alice, "Child A"),
        ]
        for event in events:
            assert event.object_id == str(child.pk)
            assert event.partnership == world.north
            assert SURNAME not in f"{event.object_label} {event.detail}"
            assert child.case.child_id not in f"{event.object_label} {event.detail}"

    def test_no_other_page_shows_a_name(self, client, world):
        audit, child = sampled(client, world)
        client.post(
            f"/audits/{audit.pk}/sample/{child.pk}/swap/", {"reason": "Moved out of the area"}
        )
        for url in (
            "/audits/",
            f"/audits/{audit.pk}/",
            f"/audits/{audit.pk}/edit/",
            f"/audits/{audit.pk}/sample/",
            f"/audits/{audit.pk}/sample/{child.pk}/swap/",
        ):
            content = client.get(url).content.decode()
            assert SURNAME not in content, url
            assert "NC9" not in content, url
        assert not AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()

    def test_other_roles_get_404_and_nothing_is_logged(self, client, world):
        audit, child = sampled(client, world)
        for persona in ("chris", "hana", "morgan", "sam", "bea", "sol"):
            client.force_login(world.users[persona])
            url = f"/audits/{audit.pk}/sample/{child.pk}/identifying-details/"
            assert client.get(url).status_code == 404
        assert not AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()

    def test_a_child_of_another_audit_is_404(self, client, world):
        _audit, child = sampled(client, world)
        other = an_audit(world)
        url = f"/audits/{other.pk}/sample/{child.pk}/identifying-details/"
        assert client.get(url).status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit, child = sampled(client, world)
        client.logout()
        response = client.get(f"/audits/{audit.pk}/sample/{child.pk}/identifying-details/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_post_is_not_allowed(self, client, world):
        audit, child = sampled(client, world)
        url = f"/audits/{audit.pk}/sample/{child.pk}/identifying-details/"
        assert client.post(url).status_code == 405
