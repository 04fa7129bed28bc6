"""The theme list: add, rename, reorder, archive."""

import pytest
from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.themes.models import Theme
from caseaudit.themes.services import themes_seed_for_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(world):
    themes_seed_for_partnership(partnership=world.north)
    themes_seed_for_partnership(partnership=world.south)

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


def test_the_lead_adds_a_theme(client_for, world):
    response = client_for("lena").post("/themes/", {"action": "add", "name": "Education"})
    assert response.status_code == 302
    theme = world.north.themes.get(key="education")
    assert theme.order == 19
    assert AccessEvent.objects.get(action=Action.THEME_LIST_CHANGED).detail == "Added Education"


def test_an_empty_or_duplicate_name_is_refused_and_kept(client_for, world):
    lena = client_for("lena")
    response = lena.post("/themes/", {"action": "add", "name": "  "})
    assert response.status_code == 400
    assert "Enter a name for the theme" in response.content.decode()
    response = lena.post("/themes/", {"action": "add", "name": "chronology"})
    assert response.status_code == 400
    assert "There is already a theme with this name" in response.content.decode()
    assert world.north.themes.count() == 18


def test_rename_reorder_archive(client_for, world):
    lena = client_for("lena")
    first, second = world.north.themes.order_by("order")[:2]
    lena.post("/themes/", {"action": "rename", "theme": first.pk, "name": "Child's voice"})
    lena.post("/themes/", {"action": "down", "theme": first.pk})
    lena.post("/themes/", {"action": "archive", "theme": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.name == "Child's voice"
    assert first.order > second.order
    assert second.archived
    logged = AccessEvent.objects.filter(action=Action.THEME_LIST_CHANGED).order_by("id")
    assert [e.detail for e in logged] == [
        f"Rename {first.key} to Child's voice",
        f"Down {first.key}",
        f"Archive {second.key}",
    ]
    assert {e.partnership_id for e in logged} == {world.north.pk}


def test_a_theme_of_another_partnership_is_404(client_for, world):
    south = Theme.objects.filter(partnership=world.south).first()
    response = client_for("lena").post("/themes/", {"action": "archive", "theme": south.pk})
    assert response.status_code == 404
    south.refresh_from_db()
    assert not south.archived


def test_people_without_manage_results_get_404(client_for):
    for name in ("bea", "morgan", "chris"):
        assert client_for(name).get("/themes/").status_code == 404


def test_wrong_method_and_anonymous(client_for, client):
    assert client_for("lena").put("/themes/").status_code == 405
    assert client.get("/themes/").status_code == 302


def test_the_theme_list_is_in_the_navigation_of_those_who_edit_it(client_for):
    assert 'href="/themes/"' in client_for("lena").get("/").content.decode()
    assert 'href="/themes/"' not in client_for("bea").get("/").content.decode()


def test_everyone_finds_their_api_tokens_from_the_home_page(client_for):
    for persona in ("lena", "chris", "bea"):
        assert 'href="/account/api-tokens/"' in client_for(persona).get("/").content.decode()
