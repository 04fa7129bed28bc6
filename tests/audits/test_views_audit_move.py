"""Moving an audit through its lifecycle from the audit page."""

from caseaudit.audits.models import Status, StatusChange
from caseaudit.audits.services import audit_create, audit_move


def an_audit(world, partnership=None):
    return audit_create(partnership=partnership or world.north, title="Neglect", user=world.lena)


class TestAuditMove:
    def test_it_moves_and_records_who(self, client, world):
        audit = an_audit(world)
        client.force_login(world.alice)
        response = client.post(f"/audits/{audit.pk}/move/", {"status": "sampling"})
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/"
        audit.refresh_from_db()
        assert audit.status == Status.SAMPLING
        change = StatusChange.objects.filter(audit=audit).last()
        assert (change.from_status, change.to_status, change.changed_by) == (
            Status.PLANNING,
            Status.SAMPLING,
            world.alice,
        )
        assert "Audit moved to sampling" in client.get(response["Location"]).content.decode()

    def test_it_moves_back_a_step(self, client, world):
        audit = an_audit(world)
        audit_move(audit=audit, to_status="sampling")
        client.force_login(world.lena)
        client.post(f"/audits/{audit.pk}/move/", {"status": "planning"})
        audit.refresh_from_db()
        assert audit.status == Status.PLANNING

    def test_a_move_that_makes_no_sense_is_refused(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        response = client.post(f"/audits/{audit.pk}/move/", {"status": "published"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in content
        assert "An audit in planning cannot move to published" in content
        audit.refresh_from_db()
        assert audit.status == Status.PLANNING
        assert StatusChange.objects.filter(audit=audit).count() == 1

    def test_fieldwork_needs_a_locked_sample(self, client, world):
        audit = an_audit(world)
        audit_move(audit=audit, to_status="sampling")
        client.force_login(world.lena)
        content = client.post(f"/audits/{audit.pk}/move/", {"status": "fieldwork"}).content
        assert "Lock the sample before fieldwork starts" in content.decode()

    def test_an_unknown_status_is_refused(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        response = client.post(f"/audits/{audit.pk}/move/", {"status": "archived"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        response = client.post(f"/audits/{audit.pk}/move/", {})
        assert "Select the stage to move the audit to" in response.content.decode()

    def test_another_partnership_gets_404(self, client, world):
        audit = an_audit(world)
        client.force_login(world.sol)
        assert client.post(f"/audits/{audit.pk}/move/", {"status": "sampling"}).status_code == 404
        audit.refresh_from_db()
        assert audit.status == Status.PLANNING

    def test_other_roles_get_404(self, client, world):
        audit = an_audit(world)
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            response = client.post(f"/audits/{audit.pk}/move/", {"status": "sampling"})
            assert response.status_code == 404
        audit.refresh_from_db()
        assert audit.status == Status.PLANNING

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit = an_audit(world)
        response = client.post(f"/audits/{audit.pk}/move/", {"status": "sampling"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_get_is_not_allowed(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        assert client.get(f"/audits/{audit.pk}/move/").status_code == 405
