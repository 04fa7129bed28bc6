import datetime

import pytest

from caseaudit.moderation.selectors import (
    agreement_by_audit,
    audit_grade_figures,
    count_of,
    drift_by_auditor,
    engagement_by_month,
    engagement_figures,
    engagement_summary,
    moderated_grades_by_month,
)
from caseaudit.moderation.services import case_grade_moderate, case_grade_record, engagement_save
from tests.moderation.factories import audit_with_children, scale

JANUARY = datetime.date(2026, 1, 1)
FEBRUARY = datetime.date(2026, 2, 1)


def _grade(world, child, auditor: str, moderated: str | None = None, *, by=None):
    grades = scale(world)
    graded = case_grade_record(
        sampled_case=child, grade=grades[auditor], rationale="Because.", user=by or world.lena
    )
    if moderated:
        case_grade_moderate(
            case_grade=graded,
            grade=grades[moderated],
            reason="" if moderated == auditor else "Moderated.",
            user=world.morgan,
        )


def test_grade_figures_of_one_audit(world):
    """The hand-worked example of test_agreement, as five graded children, and a sixth child
    graded but not moderated, and a seventh not graded."""
    audit, children = audit_with_children(world, 7)
    pairs = [
        ("good", "good"),
        ("requires-improvement", "requires-improvement"),
        ("requires-improvement", "inadequate"),
        ("inadequate", "requires-improvement"),
        ("good", "requires-improvement"),
    ]
    for child, (auditor, moderated) in zip(children, pairs, strict=False):
        _grade(world, child, auditor, moderated)
    _grade(world, children[5], "outstanding")
    figures = audit_grade_figures(audit)
    assert figures["cases"] == 7
    assert {row["status"]: row["count"] for row in figures["status"]} == {
        "not_graded": 1,
        "graded": 1,
        "agreed": 2,
        "changed": 3,
    }
    assert [row["count"] for row in figures["auditor"]] == [1, 2, 2, 1]
    assert [row["count"] for row in figures["moderated"]] == [0, 1, 3, 1]
    agreement = figures["agreement"]
    assert (agreement.n, agreement.agreed, agreement.moved_up, agreement.moved_down) == (5, 2, 1, 2)
    assert agreement.kappa == pytest.approx(4 / 19)


def test_moderated_grades_by_month_count_only_moderated_cases(world):
    _, january = audit_with_children(world, 3, month=JANUARY, title="January")
    _, february = audit_with_children(world, 2, month=FEBRUARY, title="February")
    _grade(world, january[0], "good", "good")
    _grade(world, january[1], "good", "inadequate")
    _grade(world, january[2], "good")  # not moderated: not counted
    _grade(world, february[0], "inadequate", "requires-improvement")
    table = moderated_grades_by_month(world.north)
    assert [g["label"] for g in table["grades"]] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert table["months"] == [
        {
            "month": JANUARY,
            "n": 2,
            "counts": {"outstanding": 0, "good": 1, "requires-improvement": 0, "inadequate": 1},
        },
        {
            "month": FEBRUARY,
            "n": 1,
            "counts": {"outstanding": 0, "good": 0, "requires-improvement": 1, "inadequate": 0},
        },
    ]
    over_time = agreement_by_audit(world.north)
    assert [(row["title"], row["agreement"].agreed, row["agreement"].n) for row in over_time] == [
        ("January", 1, 2),
        ("February", 0, 1),
    ]


def test_drift_per_auditor(world):
    audit, children = audit_with_children(world, 4)
    _grade(world, children[0], "good", "inadequate", by=world.lena)
    _grade(world, children[1], "good", "good", by=world.lena)
    _grade(world, children[2], "inadequate", "good", by=world.alice)
    _grade(world, children[3], "good", by=world.alice)  # not moderated
    drift = drift_by_auditor(world.north, audit)
    assert drift == [
        {
            "auditor": "Alice",
            "moderated": 1,
            "up": 1,
            "down": 0,
            "up_share": 1.0,
            "down_share": 0.0,
        },
        {"auditor": "Lena", "moderated": 2, "up": 0, "down": 1, "up_share": 0.0, "down_share": 0.5},
    ]


def _engage(child, sw, tm, kid, parents):
    engagement_save(
        sampled_case=child,
        social_worker=sw,
        team_manager=tm,
        child=kid,
        child_reason="Too young" if kid == "not_appropriate" else "",
        parents=parents,
        parents_reason="Not safe to contact" if parents == "not_invited" else "",
    )


def test_engagement_figures_per_audit_and_per_month(world):
    audit, january = audit_with_children(world, 4, month=JANUARY, title="January")
    _, february = audit_with_children(world, 1, month=FEBRUARY, title="February")
    _engage(january[0], "engaged", "engaged", "not_appropriate", "engaged")
    _engage(january[1], "engaged", "unavailable", "no_response", "attempted")
    _engage(january[2], "unavailable", "engaged", "not_appropriate", "not_invited")
    _engage(january[3], "not_attempted", "engaged", "engaged", "engaged")
    _engage(february[0], "engaged", "engaged", "engaged", "engaged")
    figures = engagement_figures(audit)
    assert figures["n"] == 4
    assert count_of(figures, "social_worker", "engaged") == 2
    assert count_of(figures, "social_worker", "unavailable") == 1
    assert count_of(figures, "social_worker", "not_attempted") == 1
    assert count_of(figures, "team_manager", "engaged") == 3
    assert count_of(figures, "child", "engaged") == 1
    assert count_of(figures, "child", "not_appropriate") == 2
    assert count_of(figures, "child", "no_response") == 1
    assert count_of(figures, "parents", "engaged") == 2
    assert count_of(figures, "parents", "attempted") == 1
    assert count_of(figures, "parents", "not_invited") == 1
    by_month = engagement_by_month(world.north)
    assert [(row["month"], row["n"]) for row in by_month] == [(JANUARY, 4), (FEBRUARY, 1)]
    assert count_of(by_month[1], "child", "engaged") == 1
    # A child swapped out of the sample no longer counts.
    january[3].removed_at = datetime.datetime.now(datetime.UTC)
    january[3].save()
    assert engagement_figures(audit)["n"] == 3


def test_engagement_summary_in_words(world):
    audit, children = audit_with_children(world, 3)
    assert engagement_summary(engagement_figures(audit)) == "No engagement has been recorded."
    _engage(children[0], "engaged", "engaged", "not_appropriate", "engaged")
    _engage(children[1], "engaged", "unavailable", "no_response", "attempted")
    _engage(children[2], "unavailable", "engaged", "not_appropriate", "not_invited")
    assert engagement_summary(engagement_figures(audit)) == (
        "Out of 3 cases, 2 team managers and 2 social workers were engaged; attempts were made "
        "with 1 other team manager and 1 other social worker who were not available. "
        "No child was engaged. For 2 it was not appropriate; for 1 attempts were made but there "
        "was no response. "
        "1 parent or carer took part, with 1 further attempt and 1 not invited."
    )
