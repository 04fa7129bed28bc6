"""Planning an audit."""

import datetime

from caseaudit.audits.models import Audit, Methodology, Status, StatusChange


def form_data(world, **overrides):
    data = {
        "title": "Repeat Child Protection Plans",
        "theme": "Repeat plans",
        "aim": "Understand why children return to plans.",
        "scope_questions": "Was the previous plan ended safely?\n\n  Were fathers involved?  \n",
        "terms_of_reference": "Children on a second or later plan.",
        "methodology": Methodology.MULTI_AGENCY_DESKTOP,
        "agencies": [world.csc.pk, world.health.pk],
        "template_name": "Repeat plans tool",
        "planned_month_0": "3",
        "planned_month_1": "2027",
        "returns_due_0": "12",
        "returns_due_1": "3",
        "returns_due_2": "2027",
        "meeting_date_0": "26",
        "meeting_date_1": "March",
        "meeting_date_2": "2027",
        "report_due_0": "30",
        "report_due_1": "4",
        "report_due_2": "2027",
    }
    return data | overrides


class TestAuditNew:
    def test_it_shows_the_form(self, client, world):
        client.force_login(world.lena)
        content = client.get("/audits/new/").content.decode()
        assert "Plan an audit" in content
        assert "North Health Trust" in content
        assert "South Children" not in content
        assert 'class="govuk-date-input"' in content

    def test_it_plans_an_audit(self, client, world):
        client.force_login(world.lena)
        response = client.post("/audits/new/", form_data(world))
        audit = Audit.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/"
        assert audit.partnership == world.north
        assert audit.scope_questions == [
            "Was the previous plan ended safely?",
            "Were fathers involved?",
        ]
        assert set(audit.agencies.all()) == {world.csc, world.health}
        assert audit.planned_month == datetime.date(2027, 3, 1)
        assert audit.returns_due == datetime.date(2027, 3, 12)
        assert audit.meeting_date == datetime.date(2027, 3, 26)
        assert audit.report_due == datetime.date(2027, 4, 30)
        assert audit.template_name == "Repeat plans tool"
        assert audit.created_by == world.lena
        change = StatusChange.objects.get(audit=audit)
        assert (change.to_status, change.changed_by) == (Status.PLANNING, world.lena)

    def test_only_a_title_and_methodology_are_needed(self, client, world):
        client.force_login(world.alice)
        response = client.post(
            "/audits/new/", {"title": "Neglect", "methodology": Methodology.DEEP_DIVE}
        )
        assert response.status_code == 302
        audit = Audit.objects.get()
        assert audit.planned_month is None
        assert audit.returns_due is None

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world):
        client.force_login(world.lena)
        data = form_data(world, title="", methodology="", returns_due_0="31", returns_due_1="2")
        response = client.post("/audits/new/", data)
        content = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in content
        assert "Enter a title for the audit" in content
        assert "Select a methodology" in content
        assert "Returns due must be a real date" in content
        assert 'value="31"' in content
        assert "Were fathers involved?" in content
        assert 'value="Repeat plans tool"' in content
        assert f'value="{world.health.pk}" checked' in content
        assert "<title>Error: " in content
        assert not Audit.objects.exists()

    def test_a_partly_entered_date_says_what_is_missing(self, client, world):
        client.force_login(world.lena)
        data = form_data(world, report_due_0="", report_due_2="")
        content = client.post("/audits/new/", data).content.decode()
        assert "Report due must include a day and a year" in content

    def test_a_two_digit_year_is_refused(self, client, world):
        client.force_login(world.lena)
        content = client.post("/audits/new/", form_data(world, planned_month_1="27")).content
        assert "Year must include 4 numbers" in content.decode()

    def test_dates_out_of_order_are_refused_against_the_field(self, client, world):
        client.force_login(world.lena)
        data = form_data(world, meeting_date_0="1")
        content = client.post("/audits/new/", data).content.decode()
        assert "The meeting must be after returns are due" in content
        assert 'href="#id_meeting_date_0"' in content
        assert not Audit.objects.exists()

    def test_another_partnerships_agency_cannot_be_chosen(self, client, world):
        client.force_login(world.lena)
        response = client.post("/audits/new/", form_data(world, agencies=[world.south_csc.pk]))
        assert response.status_code == 200
        assert not Audit.objects.exists()

    def test_other_roles_get_404(self, client, world):
        for persona in ("chris", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.post("/audits/new/", form_data(world)).status_code == 404
        assert not Audit.objects.exists()

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.get("/audits/new/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_put_is_not_allowed(self, client, world):
        client.force_login(world.lena)
        assert client.put("/audits/new/").status_code == 405
