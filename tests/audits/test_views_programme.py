"""The programme: the partnership's audits month by month."""

import datetime

from caseaudit.audits.services import audit_create


def plan(world, title, month=None, agencies=(), partnership=None):
    return audit_create(
        partnership=partnership or world.north,
        title=title,
        theme="Neglect",
        planned_month=month,
        agencies=agencies,
        user=world.lena,
    )


class TestProgramme:
    def test_it_groups_audits_by_month_with_unscheduled_last(self, client, world):
        plan(world, "Unscheduled audit")
        plan(world, "May audit", datetime.date(2027, 5, 1))
        plan(world, "March audit", datetime.date(2027, 3, 1))
        client.force_login(world.lena)
        content = client.get("/audits/").content.decode()
        march = content.index("March 2027")
        may = content.index("May 2027")
        unscheduled = content.index("Not scheduled")
        assert march < content.index("March audit") < may < content.index("May audit")
        assert may < unscheduled < content.index("Unscheduled audit")
        assert "Planning" in content
        assert "Neglect" in content

    def test_managers_can_plan_an_audit(self, client, world):
        client.force_login(world.lena)
        assert "Plan an audit" in client.get("/audits/").content.decode()

    def test_others_cannot_plan_an_audit(self, client, world):
        client.force_login(world.bea)
        response = client.get("/audits/")
        assert response.status_code == 200
        assert "Plan an audit" not in response.content.decode()

    def test_it_shows_only_this_partnerships_audits(self, client, world):
        plan(world, "North audit")
        plan(world, "South audit", partnership=world.south)
        client.force_login(world.sol)
        content = client.get("/audits/").content.decode()
        assert "South audit" in content
        assert "North audit" not in content

    def test_agency_auditors_see_only_their_agencys_audits(self, client, world):
        plan(world, "Health and social care", agencies=[world.csc, world.health])
        plan(world, "Social care only", agencies=[world.csc])
        plan(world, "Nobody yet")
        client.force_login(world.hana)
        content = client.get("/audits/").content.decode()
        assert "Health and social care" in content
        assert "Social care only" not in content
        assert "Nobody yet" not in content

    def test_it_is_in_the_navigation(self, client, world):
        client.force_login(world.bea)
        assert 'href="/audits/"' in client.get("/").content.decode()

    def test_titles_are_escaped(self, client, world):
        plan(world, "<script>alert(1)</script>")
        client.force_login(world.lena)
        content = client.get("/audits/").content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;" in content

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.get("/audits/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_post_is_not_allowed(self, client, world):
        client.force_login(world.lena)
        assert client.post("/audits/").status_code == 405
