"""audit_statistics against figures worked out by hand for the audit in fixtures.py, and the
Wilson interval against published values."""

import json

import pytest

from caseaudit.analysis.models import Breakdown, StatisticsCounts
from caseaudit.analysis.statistics import audit_statistics, wilson_interval
from caseaudit.analysis.summary import audit_stamp
from caseaudit.questionnaires.models import Question
from caseaudit.returns.answers import Value
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import request_decline, request_reopen, return_submit
from tests.analysis.fixtures import statistics_audit
from tests.returns.factories import save_answers

pytestmark = pytest.mark.django_db

CSC = "North Children's Social Care"
HEALTH = "North Health Trust"


@pytest.fixture
def stats(world):
    return audit_statistics(statistics_audit(world))


def question(stats, key):
    return next(q for q in stats["questions"] if q["key"] == key)


def option(stats, key, option_key):
    return next(o for o in question(stats, key)["options"] if o["key"] == option_key)


# Wilson ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score
        # interval without continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Every return chose it: the upper bound is exactly 1.
        (20, 20, 0.8389, 1.0000),
    ],
)
def test_wilson_interval_matches_published_values(count, n, low, high):
    interval = wilson_interval(count, n)
    assert round(interval[0] / 100, 4) == pytest.approx(low, abs=1e-9)
    assert round(interval[1] / 100, 4) == pytest.approx(high, abs=1e-9)


def test_wilson_interval_of_nothing_is_none():
    assert wilson_interval(0, 0) is None


def test_wilson_interval_refuses_a_count_above_n():
    with pytest.raises(ValueError, match="not between 0 and n"):
        wilson_interval(3, 2)


# The audit's figures ---------------------------------------------------------------------------


def test_it_counts_only_submitted_returns(stats):
    assert stats["returns"] == 9
    assert [q["key"] for q in stats["questions"]] == [
        "lead_agency",
        "tools",
        "seen_alone",
        "child_view",
        "child_words",
        "visits",
        "plan_date",
        "summary",
    ]


def test_single_choice_with_a_not_known_option(stats):
    lead = question(stats, "lead_agency")
    assert (lead["n"], lead["n_excluding_na"]) == (9, 8)
    social_care = option(stats, "lead_agency", "social_care")
    assert social_care["count"] == 6
    assert social_care["percent"] == pytest.approx(600 / 9)
    assert social_care["percent_excluding_na"] == pytest.approx(75.0)
    assert (social_care["ci_low"], social_care["ci_high"]) == pytest.approx(wilson_interval(6, 9))
    assert (
        social_care["ci_low_excluding_na"],
        social_care["ci_high_excluding_na"],
    ) == pytest.approx(wilson_interval(6, 8))
    unclear = option(stats, "lead_agency", "unclear")
    assert unclear["meaning"] == "not_known"
    assert unclear["count"] == 1
    assert unclear["percent"] == pytest.approx(100 / 9)
    assert unclear["percent_excluding_na"] is None
    assert unclear["ci_low_excluding_na"] is None
    assert unclear["ci_high_excluding_na"] is None
    assert unclear["ci_low"] == pytest.approx(wilson_interval(1, 9)[0])


def test_yes_no_not_applicable(stats):
    seen = question(stats, "seen_alone")
    assert (seen["n"], seen["n_excluding_na"]) == (9, 7)
    yes = option(stats, "seen_alone", "yes")
    assert (yes["count"], yes["percent"], yes["percent_excluding_na"]) == pytest.approx(
        (5, 500 / 9, 500 / 7)
    )
    # 5 of 9: 26.67% to 81.12%; 5 of 7: 35.89% to 91.78% (worked out by hand).
    assert round(yes["ci_low"], 2) == 26.67
    assert round(yes["ci_high"], 2) == 81.12
    assert round(yes["ci_low_excluding_na"], 2) == 35.89
    assert round(yes["ci_high_excluding_na"], 2) == 91.78
    no = option(stats, "seen_alone", "no")
    assert (no["count"], no["percent"], no["percent_excluding_na"]) == pytest.approx(
        (2, 200 / 9, 200 / 7)
    )
    not_applicable = option(stats, "seen_alone", "not_applicable")
    assert (not_applicable["count"], not_applicable["percent"]) == pytest.approx((2, 200 / 9))
    assert not_applicable["percent_excluding_na"] is None


def test_multiple_choice_counts_returns_and_may_pass_100_percent(stats):
    tools = question(stats, "tools")
    # Five returns chose tools; the comment with no answer (Child 4, CSC) is not an answer.
    assert (tools["n"], tools["n_excluding_na"]) == (5, 5)
    counts = {o["key"]: (o["count"], o["percent"]) for o in tools["options"]}
    assert counts == {
        "graded_care": (2, 40.0),
        "chronology": (4, 80.0),
        "genogram": (1, 20.0),
        "none": (1, 20.0),
    }
    assert sum(o["percent"] for o in tools["options"]) == pytest.approx(160.0)


def test_a_question_shown_under_a_condition_rests_on_those_it_was_shown_to(stats):
    view = question(stats, "child_view")
    assert (view["n"], view["n_excluding_na"]) == (5, 4)
    assert option(stats, "child_view", "yes")["count"] == 3
    assert option(stats, "child_view", "yes")["percent_excluding_na"] == pytest.approx(75.0)
    words = question(stats, "child_words")
    assert words["n"] == 3
    assert words["options"] == []


def test_a_question_nobody_answered(stats):
    plan_date = question(stats, "plan_date")
    assert (plan_date["n"], plan_date["n_excluding_na"], plan_date["small_n"]) == (0, 0, False)
    assert plan_date["options"] == []
    assert plan_date["by_agency"] == {}


def test_a_choice_question_nobody_answered_has_null_percentages(world):
    audit = statistics_audit(world)
    # Nobody submitted anything for a fresh audit: every option is counted 0 of 0.
    from caseaudit.returns.models import AuditRequest, RequestStatus

    AuditRequest.objects.filter(audit=audit).update(status=RequestStatus.REOPENED)
    stats = audit_statistics(audit)
    assert stats["returns"] == 0
    yes = option(stats, "seen_alone", "yes")
    assert (yes["count"], yes["percent"], yes["ci_low"], yes["ci_high"]) == (0, None, None, None)
    assert yes["percent_excluding_na"] is None


def test_numbers_are_summarised(stats):
    visits = question(stats, "visits")
    assert visits["n"] == 3
    assert visits["number_summary"] == {"mean": 2.0, "min": 0.0, "max": 4.0}


def test_figures_on_fewer_than_ten_returns_are_marked(stats):
    assert question(stats, "lead_agency")["small_n"] is True
    assert question(stats, "summary")["n"] == 1
    assert question(stats, "summary")["small_n"] is True


def test_by_agency(stats):
    seen = question(stats, "seen_alone")["by_agency"]
    assert seen == {
        CSC: {
            "n": 5,
            "n_excluding_na": 4,
            "small_n": True,
            "counts": {"yes": 3, "no": 1, "not_applicable": 1},
        },
        HEALTH: {
            "n": 4,
            "n_excluding_na": 3,
            "small_n": True,
            "counts": {"yes": 2, "no": 1, "not_applicable": 1},
        },
    }
    tools = question(stats, "tools")["by_agency"]
    assert tools[CSC]["n"] == 3
    assert tools[CSC]["counts"] == {"graded_care": 1, "chronology": 2, "genogram": 0, "none": 1}
    assert tools[HEALTH]["n"] == 2
    assert tools[HEALTH]["counts"] == {
        "graded_care": 1,
        "chronology": 2,
        "genogram": 1,
        "none": 0,
    }


def test_by_case_uses_pseudonyms(stats):
    seen = question(stats, "seen_alone")["by_case"]
    assert list(seen) == ["Child 1", "Child 2", "Child 3", "Child 4", "Child 5"]
    assert seen["Child 1"]["counts"] == {"yes": 2, "no": 0, "not_applicable": 0}
    assert seen["Child 3"] == {
        "n": 2,
        "n_excluding_na": 1,
        "small_n": True,
        "counts": {"yes": 0, "no": 1, "not_applicable": 1},
    }
    # Health's Child 5 return is not submitted: only social care's counts.
    assert seen["Child 5"]["n"] == 1


def test_by_case_can_be_left_out(world):
    stats = audit_statistics(statistics_audit(world), by_case=False)
    assert "by_case" not in stats["questions"][0]


def test_it_counts_in_the_database_not_per_answer(world, django_assert_max_num_queries):
    audit = statistics_audit(world)
    # The same handful of grouped queries whatever the number of returns: counting (and
    # keeping the counts) the first time, reading the kept counts afterwards.
    with django_assert_max_num_queries(20):
        audit_statistics(audit)
    with django_assert_max_num_queries(8):
        audit_statistics(audit)


# Kept counts -----------------------------------------------------------------------------------


def _fresh(audit, **options):
    """The statistics counted from the answer rows, with nothing kept."""
    StatisticsCounts.objects.filter(audit=audit).delete()
    return audit_statistics(audit, **options)


def test_kept_counts_give_the_same_figures(world):
    audit = statistics_audit(world)
    first = audit_statistics(audit)
    assert set(
        StatisticsCounts.objects.filter(audit=audit).values_list("breakdown", flat=True)
    ) == {Breakdown.AGENCY, Breakdown.CASE}
    assert audit_statistics(audit) == first
    assert audit_statistics(audit, by_case=False) == _fresh(audit, by_case=False)


def test_kept_counts_are_read_while_the_stamp_holds(world):
    """White-box: the kept rows are what is read (edited here by hand, which nothing in the
    app does), until a return changes."""
    audit = statistics_audit(world)
    audit_statistics(audit)
    kept = StatisticsCounts.objects.get(audit=audit, breakdown=Breakdown.AGENCY)
    seen_alone = Question.objects.get(version=audit.template_version, key="seen_alone")
    yes = seen_alone.options.get(key="yes")
    columns = json.loads(kept.rows)
    questions, options, groups, counts = columns["answers"][:4]
    for at, row in enumerate(zip(questions, options, groups, strict=True)):
        if row == (seen_alone.pk, yes.pk, world.csc.pk):
            counts[at] += 100
    kept.rows = json.dumps(columns)
    kept.save()
    assert option(audit_statistics(audit), "seen_alone", "yes")["count"] == 105


def _reopen_and_change(world, audit, answers: dict, submit: bool = True):
    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child 3", agency=world.csc
    )
    request_reopen(request=request, user=world.lena, reason="Please look again at visits.")
    request.refresh_from_db()
    result = save_answers(request, world.chris, answers)
    if submit:
        return_submit(request=request, user=world.chris, expected_version=result.version)
    return request


def test_a_changed_return_is_counted_again(world):
    audit = statistics_audit(world)
    before = audit_statistics(audit)
    assert option(before, "seen_alone", "yes")["count"] == 5
    _reopen_and_change(world, audit, {"seen_alone": "yes", "child_view": "no"})
    after = audit_statistics(audit)
    assert option(after, "seen_alone", "yes")["count"] == 6
    assert option(after, "seen_alone", "no")["count"] == 1
    assert question(after, "seen_alone")["by_agency"][CSC]["counts"]["yes"] == 4
    assert question(after, "seen_alone")["by_case"]["Child 3"]["counts"]["yes"] == 1
    assert after == _fresh(audit)


def test_a_reopened_return_leaves_the_figures_until_it_is_submitted(world):
    audit = statistics_audit(world)
    audit_statistics(audit)
    _reopen_and_change(world, audit, {"seen_alone": "yes", "child_view": "no"}, submit=False)
    reopened = audit_statistics(audit)
    assert reopened["returns"] == 8
    assert question(reopened, "seen_alone")["n"] == 8
    assert option(reopened, "seen_alone", "no")["count"] == 1
    assert reopened == _fresh(audit)


def test_a_declined_return_leaves_the_figures(world):
    audit = statistics_audit(world)
    audit_statistics(audit)
    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child 5", agency=world.health
    )
    request_decline(request=request, user=world.lena, reason="Not known to health.")
    assert audit_statistics(audit) == _fresh(audit)


def test_a_new_submission_is_counted(world):
    audit = statistics_audit(world)
    assert audit_statistics(audit)["returns"] == 9
    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child 5", agency=world.health
    )
    result = save_answers(
        request,
        world.hana,
        {"child_view": "yes", "child_words": "She wants more time with her nan."},
    )
    return_submit(request=request, user=world.hana, expected_version=result.version)
    after = audit_statistics(audit)
    assert after["returns"] == 10
    assert question(after, "seen_alone")["by_agency"][HEALTH]["n"] == 5
    assert after == _fresh(audit)


def test_renamed_agency_and_pseudonym_show_as_they_are_now(world):
    """The kept rows hold ids; names are read at the time of the call."""
    audit = statistics_audit(world)
    audit_statistics(audit)
    world.health.name = "North Health Trust (renamed)"
    world.health.save()
    stats = audit_statistics(audit)
    assert "North Health Trust (renamed)" in question(stats, "seen_alone")["by_agency"]


def test_an_audit_with_nothing_submitted_keeps_empty_counts(world):
    from caseaudit.returns.services import requests_create, requests_send
    from tests.returns.factories import DUE, audit_with_locked_sample

    audit = audit_with_locked_sample(world)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    first = audit_statistics(audit)
    assert first["returns"] == 0
    assert all(q["n"] == 0 and q["by_agency"] == {} for q in first["questions"])
    assert StatisticsCounts.objects.filter(audit=audit).count() == 2
    assert audit_statistics(audit) == first


# Kept counts brought up to date at each submission ---------------------------------------------


def _kept(audit) -> dict:
    return {found.breakdown: found for found in StatisticsCounts.objects.filter(audit=audit)}


def _submit_child_5_health(world, audit, answers: dict) -> None:
    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child 5", agency=world.health
    )
    result = save_answers(request, world.hana, answers)
    return_submit(request=request, user=world.hana, expected_version=result.version)


@pytest.mark.parametrize(
    "answers",
    [
        # single choice, multiple choice, a number past the largest so far, text
        {"lead_agency": "health", "tools": ("genogram", "chronology"), "seen_alone": "yes",
         "child_view": "yes", "child_words": "He likes football.", "visits": "9"},
        # a not-applicable choice, the smallest number, a comment and no answer
        {"tools": Value(comment="No tools on the file."), "seen_alone": "not_applicable",
         "visits": "0"},
        # a multiple choice with an option nobody had chosen at this agency
        {"tools": ("none",), "seen_alone": "no"},
    ],
)  # fmt: skip
def test_a_submission_adds_its_counts_to_the_kept_ones(world, answers):
    """A return submitted while the kept counts are up to date has its own counts added to
    them (statistics.count_submitted): the kept rows stay the same rows (not counted again and
    replaced), carry the new stamp, and give exactly the figures counted afresh."""
    audit = statistics_audit(world)
    audit_statistics(audit)
    kept = _kept(audit)
    _submit_child_5_health(world, audit, answers)
    now = _kept(audit)
    assert {name: found.pk for name, found in now.items()} == {
        name: found.pk for name, found in kept.items()
    }
    assert all(found.stamp == audit_stamp(audit.pk) for found in now.values())
    assert all(found.rows != kept[name].rows for name, found in now.items())
    added = audit_statistics(audit)
    assert {name: found.pk for name, found in _kept(audit).items()} == {
        name: found.pk for name, found in kept.items()
    }  # read, not counted again
    assert added["returns"] == 10
    assert added == _fresh(audit)


def test_kept_counts_already_out_of_date_are_left_to_be_counted_again(world):
    audit = statistics_audit(world)
    audit_statistics(audit)
    StatisticsCounts.objects.filter(audit=audit).update(submitted=3)
    rows = {name: found.rows for name, found in _kept(audit).items()}
    _submit_child_5_health(world, audit, {"seen_alone": "no"})
    assert {name: found.rows for name, found in _kept(audit).items()} == rows
    assert all(found.submitted == 3 for found in _kept(audit).values())
    assert audit_statistics(audit) == _fresh(audit)


def test_kept_counts_too_large_to_rewrite_are_left_to_be_counted_again(world, monkeypatch):
    from caseaudit.analysis import statistics

    audit = statistics_audit(world)
    audit_statistics(audit)
    case_rows = _kept(audit)[Breakdown.CASE].rows
    monkeypatch.setattr(statistics, "DELTA_LIMIT", len(case_rows) - 1)
    _submit_child_5_health(world, audit, {"seen_alone": "no"})
    now = _kept(audit)
    assert now[Breakdown.CASE].rows == case_rows
    assert now[Breakdown.CASE].stamp != audit_stamp(audit.pk)
    assert now[Breakdown.AGENCY].stamp == audit_stamp(audit.pk)
    assert audit_statistics(audit) == _fresh(audit)


def test_a_submission_refused_for_missing_answers_changes_no_counts(world):
    from caseaudit.returns.services import MissingAnswers

    audit = statistics_audit(world)
    audit_statistics(audit)
    before = {name: (found.rows, found.stamp) for name, found in _kept(audit).items()}
    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child 5", agency=world.health
    )
    result = save_answers(request, world.hana, {"lead_agency": Value()})
    with pytest.raises(MissingAnswers):
        return_submit(request=request, user=world.hana, expected_version=result.version)
    assert {name: (found.rows, found.stamp) for name, found in _kept(audit).items()} == before


@pytest.mark.parametrize("visits", ["7", "1"])
def test_a_resubmitted_return_adds_its_numbers_to_the_groups_that_have_some(world, visits):
    """Reopened (the kept counts are counted again without it) and submitted again: its
    number is added to a group that already has numbers (CSC's 4 and 2), past the largest or
    below the smallest."""
    audit = statistics_audit(world)
    request = _reopen_and_change(world, audit, {"visits": visits}, submit=False)
    assert audit_statistics(audit)["returns"] == 8
    kept = {name: found.pk for name, found in _kept(audit).items()}
    request.refresh_from_db()
    return_submit(request=request, user=world.chris, expected_version=request.version)
    assert {name: found.pk for name, found in _kept(audit).items()} == kept
    assert all(found.stamp == audit_stamp(audit.pk) for found in _kept(audit).values())
    added = audit_statistics(audit)
    summary = question(added, "visits")["number_summary"]
    assert summary == {"mean": (4 + 2 + int(visits)) / 3, "min": min(2, int(visits)),
                       "max": max(4, int(visits))}  # fmt: skip
    assert added == _fresh(audit)


def test_a_change_between_the_two_steps_leaves_the_counts_to_be_counted_again(world, monkeypatch):
    """Should another return change between locking the counts and adding this one's (an
    import takes no lock), the kept rows do not hold that change, and their stamp must not say
    they do: it is the stamp before plus this return, so the next call counts again."""
    from caseaudit.analysis import statistics

    audit = statistics_audit(world)
    audit_statistics(audit)
    hold = statistics.hold_counts

    def hold_then_reopen_another(audit_id):
        before = hold(audit_id)
        other = AuditRequest.objects.get(
            audit=audit, sampled_case__pseudonym="Child 2", agency=world.csc
        )
        request_reopen(request=other, user=world.lena, reason="Please look again at visits.")
        return before

    monkeypatch.setattr(statistics, "hold_counts", hold_then_reopen_another)
    _submit_child_5_health(world, audit, {"seen_alone": "no"})
    assert all(found.stamp != audit_stamp(audit.pk) for found in _kept(audit).values())
    figures = audit_statistics(audit)
    assert figures["returns"] == 9
    assert figures == _fresh(audit)
