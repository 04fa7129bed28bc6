from caseaudit.notifications.models import Notification
from caseaudit.notifications.services import notify


def test_unread_count_list_and_mark_read(client, world):
    [first] = notify(
        users=[world.chris],
        partnership=world.north,
        kind="action_assigned",
        message="Action assigned to you",
        link="/actions/mine/",
    )
    client.force_login(world.chris)
    page = client.get("/notifications/")
    assert page.context["unread_notifications"] == 1
    assert b"Action assigned to you" in page.content
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    assert response.url == "/actions/mine/"
    assert Notification.objects.get().read_at is not None
    assert client.get("/notifications/").context["unread_notifications"] == 0


def test_nobody_reads_anothers(client, world):
    [theirs] = notify(users=[world.chris], partnership=world.north, kind="x", message="Private")
    client.force_login(world.hana)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert b"Private" not in client.get("/notifications/").content


def test_choosing_the_daily_digest(client, world):
    client.force_login(world.chris)
    assert client.post("/notifications/preferences/", {}).status_code == 200
    response = client.post("/notifications/preferences/", {"delivery": "digest"})
    assert response.status_code == 302
    assert world.chris.notification_preference.daily_digest
