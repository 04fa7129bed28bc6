"""Drawing an audit's sample from the browser: the form, the preview, drawing again, and the
locked sample. Only pseudonyms: never a name, a child id or a date of birth."""

import datetime

import pytest

from caseaudit.audits.models import Sample, Status
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import

SURNAME = "Quillfeather"  # every synthetic child has it: it must never reach a page but one
CATEGORIES = ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple"]
TEAMS = ["Assessment North", "Family Support East"]


def population_csv(children: int = 30) -> bytes:
    """A synthetic case list: every fifth child on a repeat plan, pairs of siblings."""
    header = (
        "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,"
        "previous_plan_end,previous_plans,characteristics,name"
    )
    lines = [header]
    for number in range(1, children + 1):
        repeat = number % 5 == 0
        lines.append(
            ",".join(
                [
                    f"NC9{number:04d}",
                    f"{2008 + number % 17}-0{1 + number % 9}-1{number % 9}",
                    "Female" if number % 2 else "Male",
                    TEAMS[number % 2],
                    f"SG{number // 2:03d}" if number <= 10 else "",
                    CATEGORIES[number % 5],
                    "2026-01-15",
                    "2024-06-30" if repeat else "",
                    "1" if repeat else "0",
                    "domestic abuse" if number % 3 == 0 else "",
                    f"Zara{number} {SURNAME}",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def a_snapshot(world, partnership=None, children: int = 30):
    return population_import(
        partnership=partnership or world.north,
        content=population_csv(children),
        file_name="north-cases.csv",
        user=world.lena,
        today=datetime.date(2026, 3, 1),
    )


def an_audit(world, partnership=None):
    return audit_create(
        partnership=partnership or world.north,
        title="Repeat plans",
        agencies=[world.csc],
        user=world.lena,
    )


def draw_data(snapshot, **overrides) -> dict:
    return {"snapshot": snapshot.pk, "size": "6", "seed": "4242"} | overrides


def assert_anonymous(content: str) -> None:
    assert SURNAME not in content
    assert "NC9" not in content


class TestSampleForm:
    def test_it_offers_the_latest_snapshot_and_a_recorded_seed(self, client, world):
        older = a_snapshot(world)
        latest = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        response = client.get(f"/audits/{audit.pk}/sample/")
        content = response.content.decode()
        assert response.status_code == 200
        assert "Draw a sample" in content
        assert f'<option value="{latest.pk}" selected>' in content
        assert f'<option value="{older.pk}">' in content
        assert 'name="seed"' in content
        assert response.context["form"].initial["seed"] is not None
        for team in TEAMS:
            assert team in content
        assert_anonymous(content)

    def test_without_a_snapshot_it_sends_you_to_import(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        content = client.get(f"/audits/{audit.pk}/sample/").content.decode()
        assert "Import a case list" in content
        assert 'name="seed"' not in content


class TestSampleDraw:
    def test_it_draws_and_shows_a_preview(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        response = client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        assert response.status_code == 302
        assert response["Location"] == f"/audits/{audit.pk}/sample/"
        sample = Sample.objects.get(audit=audit)
        assert (sample.size, sample.seed, sample.drawn_by) == (6, 4242, world.lena)
        assert sample.cases.count() == 6
        audit.refresh_from_db()
        assert audit.status == Status.SAMPLING

        content = client.get(response["Location"]).content.decode()
        assert "Sample preview" in content
        assert "6 children drawn with seed 4242" in content
        for pseudonym in ("Child A", "Child B", "Child F"):
            assert pseudonym in content
        assert "Make-up of the sample" in content
        assert "Population %" in content
        assert "Lock this sample" in content
        assert "Draw again" in content
        assert_anonymous(content)

    def test_the_same_seed_gives_the_same_children(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        first = list(Sample.objects.get().cases.values_list("case_id", flat=True))
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        assert list(Sample.objects.get().cases.values_list("case_id", flat=True)) == first

    def test_criteria_and_balance_are_recorded_and_applied(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        data = draw_data(
            snapshot,
            size="20",
            repeat_only="on",
            max_interval_years="3",
            categories=["neglect", "multiple", "emotional_abuse"],
            teams=[TEAMS[0]],
            characteristics="domestic abuse; ",
            min_age="",
            stratify=["gender"],
        )
        assert client.post(f"/audits/{audit.pk}/sample/", data).status_code == 302
        sample = Sample.objects.get()
        assert sample.criteria["repeat_only"] is True
        assert sample.criteria["max_interval_years"] == 3.0
        assert sample.criteria["teams"] == [TEAMS[0]]
        assert sample.criteria["characteristics"] == ["domestic abuse"]
        assert sample.criteria["stratify"] == ["gender"]
        for sampled in sample.cases.select_related("case"):
            assert sampled.case.is_repeat
            assert sampled.case.team == TEAMS[0]
        content = client.get(f"/audits/{audit.pk}/sample/").content.decode()
        assert "Repeat plans only" in content
        assert "Plan categories: neglect, emotional abuse, multiple" in content
        # Fewer children qualify than asked for: the page says so.
        assert "fewer than the 20 asked for" in content

    def test_drawing_again_replaces_an_unlocked_sample(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot, size="4", seed="7"))
        sample = Sample.objects.get()
        assert (sample.size, sample.seed, sample.cases.count()) == (4, 7, 4)

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        data = draw_data(
            snapshot, size="", seed="lucky", min_age="12", max_age="9", characteristics="neglectful"
        )
        response = client.post(f"/audits/{audit.pk}/sample/", data)
        content = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in content
        assert "Enter the sample size" in content
        assert "Random seed must be a whole number" in content
        assert "Oldest age must be the same as or more than youngest age" in content
        assert 'value="lucky"' in content
        assert 'value="neglectful"' in content
        assert not Sample.objects.exists()

    def test_another_partnerships_snapshot_cannot_be_chosen(self, client, world):
        a_snapshot(world)
        theirs = a_snapshot(world, partnership=world.south)
        audit = an_audit(world)
        client.force_login(world.lena)
        response = client.post(f"/audits/{audit.pk}/sample/", draw_data(theirs))
        assert "Select a valid choice" in response.content.decode()
        assert not Sample.objects.exists()

    def test_a_locked_sample_cannot_be_drawn_again(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        client.post(f"/audits/{audit.pk}/sample/lock/")
        before = list(Sample.objects.get().cases.values_list("case_id", flat=True))
        response = client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot, seed="1"))
        assert "cannot be drawn again" in response.content.decode()
        assert list(Sample.objects.get().cases.values_list("case_id", flat=True)) == before


class TestLockedSample:
    def test_it_shows_swap_links_and_no_draw_form(self, client, world):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.lena)
        client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot))
        client.post(f"/audits/{audit.pk}/sample/lock/")
        content = client.get(f"/audits/{audit.pk}/sample/").content.decode()
        case = Sample.objects.get().cases.first()
        assert f"/audits/{audit.pk}/sample/{case.pk}/swap/" in content
        assert f"/audits/{audit.pk}/sample/{case.pk}/identifying-details/" in content
        assert "Locked on" in content
        assert "Draw again" not in content
        assert 'name="seed"' not in content
        assert_anonymous(content)


class TestSampleAccess:
    @pytest.mark.parametrize("persona", ["chris", "hana", "morgan", "sam", "bea"])
    def test_other_roles_get_404(self, client, world, persona):
        snapshot = a_snapshot(world)
        audit = an_audit(world)
        client.force_login(world.users[persona])
        assert client.get(f"/audits/{audit.pk}/sample/").status_code == 404
        assert client.post(f"/audits/{audit.pk}/sample/", draw_data(snapshot)).status_code == 404
        assert not Sample.objects.exists()

    def test_another_partnership_gets_404(self, client, world):
        a_snapshot(world, partnership=world.south)
        audit = an_audit(world)
        client.force_login(world.sol)
        assert client.get(f"/audits/{audit.pk}/sample/").status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        audit = an_audit(world)
        response = client.get(f"/audits/{audit.pk}/sample/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_put_is_not_allowed(self, client, world):
        audit = an_audit(world)
        client.force_login(world.lena)
        assert client.put(f"/audits/{audit.pk}/sample/").status_code == 405
