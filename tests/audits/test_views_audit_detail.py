"""One audit: its plan, its lifecycle and what can happen next."""

import datetime

from caseaudit.audits.models import Methodology
from caseaudit.audits.services import audit_create, audit_move


def an_audit(world, agencies=None):
    return audit_create(
        partnership=world.north,
        title="Repeat plans",
        theme="Repeat child protection plans",
        aim="Learn why <b>children</b> return to plans.",
        scope_questions=["Was the plan ended safely?", "Were fathers involved?"],
        terms_of_reference="Second or later plans.",
        methodology=Methodology.DEEP_DIVE,
        template_name="Repeat plans tool",
        agencies=[world.csc] if agencies is None else agencies,
        planned_month=datetime.date(2027, 3, 1),
        returns_due=datetime.date(2027, 3, 12),
        meeting_date=datetime.date(2027, 3, 26),
        report_due=datetime.date(2027, 4, 30),
        user=world.lena,
    )


class TestAuditDetail:
    def test_it_shows_the_plan(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        content = client.get(f"/audits/{audit.pk}/").content.decode()
        for text in (
            "Repeat child protection plans",
            "Learn why &lt;b&gt;children&lt;/b&gt; return to plans.",
            "Were fathers involved?",
            "Second or later plans.",
            "Deep dive",
            "North Children&#x27;s Social Care",
            "Repeat plans tool",
            "March 2027",
            "12 March 2027",
            "26 March 2027",
            "30 April 2027",
        ):
            assert text in content

    def test_it_shows_who_moved_it_and_when(self, client, world):
        audit = an_audit(world)
        audit_move(audit=audit, to_status="sampling", user=world.alice)
        client.force_login(world.lena)
        content = client.get(f"/audits/{audit.pk}/").content.decode()
        assert "Planned (planning)" in content
        assert "Planning to sampling" in content
        assert "Alice" in content
        assert "Lena" in content

    def test_managers_see_the_allowed_moves(self, client, world):
        audit = an_audit(world)
        audit_move(audit=audit, to_status="sampling", user=world.alice)
        client.force_login(world.lena)
        content = client.get(f"/audits/{audit.pk}/").content.decode()
        assert 'name="status" value="fieldwork"' in content
        assert 'name="status" value="planning"' in content
        assert 'name="status" value="review"' not in content
        assert "Change the plan" in content

    def test_others_see_no_moves_or_sample(self, client, world):
        audit = an_audit(world)
        client.force_login(world.sam)
        content = client.get(f"/audits/{audit.pk}/").content.decode()
        assert 'name="status"' not in content
        assert "Change the plan" not in content
        assert "Draw a sample" not in content

    def test_the_agency_involved_can_see_it(self, client, world):
        audit = an_audit(world)
        client.force_login(world.chris)
        assert client.get(f"/audits/{audit.pk}/").status_code == 200

    def test_an_agency_not_involved_gets_404(self, client, world):
        audit = an_audit(world)
        client.force_login(world.hana)
        assert client.get(f"/audits/{audit.pk}/").status_code == 404

    def test_another_partnership_gets_404(self, client, world):
        audit = an_audit(world)
        client.force_login(world.sol)
        assert client.get(f"/audits/{audit.pk}/").status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit = an_audit(world)
        response = client.get(f"/audits/{audit.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_post_is_not_allowed(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        assert client.post(f"/audits/{audit.pk}/").status_code == 405
