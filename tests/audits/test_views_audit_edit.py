"""Changing an audit's plan."""

import datetime

from caseaudit.audits.models import Methodology
from caseaudit.audits.services import audit_create
from tests.audits.test_views_audit_new import form_data


def an_audit(world, partnership=None):
    return audit_create(
        partnership=partnership or world.north,
        title="Neglect",
        scope_questions=["First question", "Second question"],
        agencies=[world.csc],
        returns_due=datetime.date(2027, 1, 15),
        planned_month=datetime.date(2027, 1, 1),
    )


class TestAuditEdit:
    def test_it_shows_the_plan_as_it_is(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        content = client.get(f"/audits/{audit.pk}/edit/").content.decode()
        assert 'value="Neglect"' in content
        assert "First question\nSecond question" in content
        assert f'value="{world.csc.pk}" checked' in content
        assert 'name="returns_due_0" type="text" inputmode="numeric" value="15"' in content
        assert 'name="planned_month_1" type="text" inputmode="numeric" value="2027"' in content

    def test_it_saves_the_plan(self, client, world):
        audit = an_audit(world)
        client.force_login(world.alice)
        data = form_data(world, title="Neglect in adolescence", agencies=[world.health.pk])
        response = client.post(f"/audits/{audit.pk}/edit/", data)
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/"
        audit.refresh_from_db()
        assert audit.title == "Neglect in adolescence"
        assert list(audit.agencies.all()) == [world.health]
        assert audit.returns_due == datetime.date(2027, 3, 12)
        assert audit.methodology == Methodology.MULTI_AGENCY_DESKTOP

    def test_dates_can_be_cleared(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        data = form_data(world, returns_due_0="", returns_due_1="", returns_due_2="")
        assert client.post(f"/audits/{audit.pk}/edit/", data).status_code == 302
        audit.refresh_from_db()
        assert audit.returns_due is None

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        data = form_data(world, title="", returns_due_0="45", theme="Typed theme")
        content = client.post(f"/audits/{audit.pk}/edit/", data).content.decode()
        assert "Enter a title for the audit" in content
        assert "Returns due must be a real date" in content
        assert 'value="45"' in content
        assert 'value="Typed theme"' in content
        audit.refresh_from_db()
        assert audit.title == "Neglect"

    def test_another_partnerships_audit_is_404(self, client, world):
        audit = an_audit(world)
        client.force_login(world.sol)
        assert client.post(f"/audits/{audit.pk}/edit/", form_data(world)).status_code == 404
        audit.refresh_from_db()
        assert audit.title == "Neglect"

    def test_other_roles_get_404(self, client, world):
        audit = an_audit(world)
        for persona in ("chris", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            response = client.post(f"/audits/{audit.pk}/edit/", form_data(world, title="Taken"))
            assert response.status_code == 404
        audit.refresh_from_db()
        assert audit.title == "Neglect"

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit = an_audit(world)
        response = client.get(f"/audits/{audit.pk}/edit/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_delete_is_not_allowed(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        assert client.delete(f"/audits/{audit.pk}/edit/").status_code == 405
