"""Demo data for the meeting, grades, moderation and engagement: a monthly programme of
moderated single-agency audits from January to May 2026 shaped like seed 002 (grades after
moderation by month, May's engagement figures), and a meeting record, engagement records and a
few grades awaiting moderation for the existing Repeat Child Protection Plans audit.

Every child is one of the demo population's invented children; every sentence is invented.
Rows are made in bulk (dated in their month) because this is the demo's history, not
something done today; the services' rules still hold for every row (tests/test_demo.py)."""

import random
from datetime import UTC, date, datetime, timedelta

from django.db import transaction

from caseaudit.accounts.models import Agency, Partnership, User
from caseaudit.audits.models import Audit, Methodology, Sample, SampledCase, Status
from caseaudit.audits.sampling import pseudonym
from caseaudit.audits.services import audit_create, audit_move
from caseaudit.moderation.models import (
    AttendanceStatus,
    CaseGrade,
    Engagement,
    ModerationStatus,
)
from caseaudit.moderation.services import (
    case_discussion_save,
    case_grade_record,
    engagement_save,
    grade_scale_ensure,
    meeting_record,
)

TITLE = "Monthly practice audit"
# (month, theme, moderated grades (good, requires improvement, inadequate), engagement).
# Grades are seed 002's figures month by month. Engagement for May follows the seed's sentence
# for a sample of 25 (it counted 26 audits); earlier months are invented, with April's 7
# children engaged and fewer parents than May, as the seed says.
# Engagement: (social workers engaged, unavailable), (team managers engaged, unavailable),
# (children engaged, not appropriate, no response), (parents engaged, attempted); the rest
# of each are "not attempted" / "not invited".
PROGRAMME = [
    (date(2026, 1, 1), "Purposeful visits", (0, 27, 5), ((15, 12), (12, 14), (3, 20, 9), (8, 16))),
    (
        date(2026, 2, 1),
        "Management oversight",
        (0, 18, 5),
        ((12, 8), (10, 10), (2, 14, 7), (7, 11)),
    ),
    (
        date(2026, 3, 1),
        "Assessment and analysis",
        (2, 13, 9),
        ((14, 8), (12, 10), (4, 13, 7), (8, 12)),
    ),
    (date(2026, 4, 1), "The child's plan", (1, 18, 8), ((16, 9), (14, 11), (7, 13, 7), (9, 14))),
    (
        date(2026, 5, 1),
        "Safeguarding and risk management",
        (2, 14, 9),
        ((18, 7), (16, 9), (0, 16, 9), (12, 10)),
    ),
]
RATIONALES = {
    "good": [
        "Risks were assessed promptly and the plan follows from the assessment.",
        "Purposeful visits, the child seen alone, and clear manager oversight driving the plan.",
    ],
    "requires-improvement": [
        "The assessment is sound but the plan does not say what should change for the child.",
        "Visits happen on time but the records say little about their purpose or the impact.",
        "Supervision sets tasks without the challenge that would move the case on.",
    ],
    "inadequate": [
        "Known risks have not been assessed and there is no safety plan.",
        "Drift since the last review: actions not followed up and no management direction.",
    ],
}
MODERATION_REASONS = {
    "down": "The records do not show the impact the auditor describes; the plan is not specific.",
    "up": "The auditor underweighted clear evidence of reduced risk since the last review.",
}
CHILD_NOT_APPROPRIATE = ["Aged under 3", "The child's circumstances at the time", "Aged 1"]
PARENT_NOT_INVITED = "Contact with the parent was not safe during proceedings"
FEEDBACK = {
    "social_worker": "Found the conversation with the auditor useful and thought provoking.",
    "team_manager": "Agreed the plan needs clearer outcomes; will take it to supervision.",
    "child": "Said they liked their worker and want to be asked before meetings.",
    "parents": "Said the plan was explained but they did not know who to call out of hours.",
}


def _shuffled(rng: random.Random, counts: list[tuple[str, int]], total: int, rest: str) -> list:
    values = [value for value, count in counts for _ in range(count)]
    values += [rest] * (total - len(values))
    rng.shuffle(values)
    return values


def _auditor_grade(rng: random.Random, moderated: int, steps: int, generous: float) -> int:
    """The auditor's grade for a case the moderator graded `moderated` (0 best): mostly the
    same, with chance `generous` one step better (moved down by moderation), now and then one
    step worse (moved up). Nobody is graded Outstanding in the demo."""
    roll = rng.random()
    if roll < generous and moderated > 1:
        return moderated - 1
    if roll > 0.95 and moderated < steps - 1:
        return moderated + 1
    return moderated


def _moved(auditor: int, moderated: int) -> str:
    if moderated > auditor:
        return "down"
    return "up" if moderated < auditor else ""


@transaction.atomic
def load_demo_moderation(partnership: Partnership) -> bool:
    """Creates what is missing. Returns True when anything was created."""
    if Audit.objects.filter(partnership=partnership, title__startswith=TITLE).exists():
        return False
    snapshot = partnership.snapshots.order_by("pk").first()
    if snapshot is None:
        return False
    grades = grade_scale_ensure(partnership=partnership)
    lead = User.objects.get(email="lead@north.example")
    admin = User.objects.get(email="admin@north.example")
    moderator = User.objects.get(email="moderator@north.example")
    csc = Agency.objects.get(partnerships=partnership, code="CSC")
    rng = random.Random(2018)  # noqa: S311 - invented demo data, not security
    used = set(
        SampledCase.objects.filter(sample__audit__partnership=partnership).values_list(
            "case_id", flat=True
        )
    )
    available = [
        pk for pk in snapshot.cases.order_by("pk").values_list("pk", flat=True) if pk not in used
    ]
    rng.shuffle(available)
    rank = {grade.key: index for index, grade in enumerate(grades)}
    by_rank = dict(enumerate(grades))
    for month, theme, (good, improve, inadequate), engagement in PROGRAMME:
        size = good + improve + inadequate
        chosen, available = available[:size], available[size:]
        audit = audit_create(
            partnership=partnership,
            title=f"{TITLE}: {month:%B %Y}",
            theme=theme,
            aim="To test the impact of our work with each child and the evidence of purposeful "
            "contact, risk analysis and safety planning.",
            methodology=Methodology.MODERATED_SINGLE_AGENCY,
            agencies=[csc],
            user=lead,
            planned_month=month,
            meeting_date=month + timedelta(days=24),
        )
        audit_move(audit=audit, to_status=Status.SAMPLING, user=lead, note="Monthly programme")
        drawn = datetime(month.year, month.month, 2, 9, tzinfo=UTC)
        sample = Sample.objects.create(
            audit=audit,
            snapshot=snapshot,
            size=size,
            seed=month.year * 100 + month.month,
            criteria={"programme": "monthly single-agency audits across teams and ages"},
            drawn_by=lead,
            drawn_at=drawn,
            locked_by=lead,
            locked_at=drawn,
        )
        cases = SampledCase.objects.bulk_create(
            SampledCase(sample=sample, case_id=case_pk, order=index + 1, pseudonym=pseudonym(index))
            for index, case_pk in enumerate(chosen)
        )
        for status in (Status.FIELDWORK, Status.REVIEW, Status.REPORTING):
            audit_move(audit=audit, to_status=status, user=lead, note="Monthly programme")
        moderated_keys = _shuffled(
            rng,
            [("good", good), ("requires-improvement", improve)],
            size,
            "inadequate",
        )
        graded_at = datetime(month.year, month.month, 20, 10, tzinfo=UTC)
        rows = []
        for index, (case, key) in enumerate(zip(cases, moderated_keys, strict=True)):
            moderated = rank[key]
            # The admin grades more generously than the lead: drift shows on the lead's page.
            auditor = _auditor_grade(rng, moderated, len(grades), 0.3 if index % 2 else 0.08)
            moved = _moved(auditor, moderated)
            rows.append(
                CaseGrade(
                    audit=audit,
                    sampled_case=case,
                    auditor_grade=by_rank[auditor],
                    auditor_rationale=rng.choice(RATIONALES[by_rank[auditor].key]),
                    graded_by=admin if index % 2 else lead,
                    graded_at=graded_at,
                    moderated_grade=by_rank[moderated],
                    moderation_reason=MODERATION_REASONS[moved] if moved else "",
                    moderated_by=moderator,
                    moderated_at=graded_at + timedelta(days=5),
                    status=ModerationStatus.CHANGED if moved else ModerationStatus.AGREED,
                )
            )
        CaseGrade.objects.bulk_create(rows)
        Engagement.objects.bulk_create(_engagements(rng, audit, cases, engagement, lead))
    _load_repeat_plans_meeting(partnership, grades, lead, rng)
    return True


def _engagements(rng, audit, cases, engagement, user) -> list[Engagement]:
    (sw_engaged, sw_unavailable), (tm_engaged, tm_unavailable), children, parents = engagement
    n = len(cases)
    social_workers = _shuffled(
        rng, [("engaged", sw_engaged), ("unavailable", sw_unavailable)], n, "not_attempted"
    )
    managers = _shuffled(
        rng, [("engaged", tm_engaged), ("unavailable", tm_unavailable)], n, "not_attempted"
    )
    child_engaged, child_not_appropriate, _ = children
    kids = _shuffled(
        rng,
        [("engaged", child_engaged), ("not_appropriate", child_not_appropriate)],
        n,
        "no_response",
    )
    parents_engaged, parents_attempted = parents
    families = _shuffled(
        rng, [("engaged", parents_engaged), ("attempted", parents_attempted)], n, "not_invited"
    )
    rows = []
    for case, sw, tm, kid, family in zip(
        cases, social_workers, managers, kids, families, strict=True
    ):
        rows.append(
            Engagement(
                audit=audit,
                sampled_case=case,
                social_worker=sw,
                social_worker_feedback=FEEDBACK["social_worker"] if sw == "engaged" else "",
                team_manager=tm,
                team_manager_feedback=FEEDBACK["team_manager"] if tm == "engaged" else "",
                child=kid,
                child_reason=rng.choice(CHILD_NOT_APPROPRIATE) if kid == "not_appropriate" else "",
                child_feedback=FEEDBACK["child"] if kid == "engaged" else "",
                parents=family,
                parents_reason=PARENT_NOT_INVITED if family == "not_invited" else "",
                parents_feedback=FEEDBACK["parents"] if family == "engaged" else "",
                recorded_by=user,
            )
        )
    return rows


def _load_repeat_plans_meeting(partnership, grades, lead, rng) -> None:
    """The Repeat Child Protection Plans audit's meeting: every agency but adult mental health
    attended (it sent its returns only, like seed 004's mental health trust), housing sent
    apologies; three children discussed in the methodology's order; engagement for every
    child; four children graded by the lead, waiting for the moderator."""
    audit = Audit.objects.filter(
        partnership=partnership, title="Repeat Child Protection Plans"
    ).first()
    if audit is None or not hasattr(audit, "sample"):
        return
    agencies = list(audit.agencies.order_by("name"))
    attendance = {}
    for agency in agencies:
        if agency.code == "AMH":
            attendance[agency.pk] = AttendanceStatus.RETURN_ONLY
        elif agency.code == "HOUSING":
            attendance[agency.pk] = AttendanceStatus.APOLOGIES
        else:
            attendance[agency.pk] = AttendanceStatus.ATTENDED
    meeting_record(
        audit=audit,
        held_on=audit.meeting_date or date(2027, 1, 29),
        notes="Desktop audit with every agency sharing its information about each child in turn.",
        attendance=attendance,
        user=lead,
    )
    cases = list(audit.sample.cases.filter(removed_at__isnull=True).order_by("order"))
    for case in cases[:3]:
        case_discussion_save(
            sampled_case=case,
            contributions={
                agency.pk: f"{agency.name} shared its involvement since the first plan ended."
                for agency in agencies
                if attendance[agency.pk] != AttendanceStatus.APOLOGIES
            },
            chronology_summary="The first plan ended after attendance at appointments improved; "
            "the family was re-referred eleven months later with the same concerns.",
            quality="Practical help was good, but the causes of neglect were not addressed.",
            timeliness="The step-down was quick; adult mental health was referred late.",
            impact="Little lasting change for the child once the first plan ended.",
            practitioner_perspectives="Workshop: workers felt pressure to close the first plan.",
            family_perspectives="Telephone call with mother: she felt support stopped too soon.",
            user=lead,
        )
    kids = ["engaged", "not_appropriate", "no_response"]
    families = ["engaged", "attempted", "engaged", "not_invited"]
    for index, case in enumerate(cases):
        kid = kids[index % 3]
        family = families[index % 4]
        engagement_save(
            sampled_case=case,
            social_worker="engaged" if index % 4 else "unavailable",
            team_manager="engaged" if index % 3 else "unavailable",
            child=kid,
            child_reason=CHILD_NOT_APPROPRIATE[index % 3] if kid == "not_appropriate" else "",
            child_feedback=FEEDBACK["child"] if kid == "engaged" else "",
            parents=family,
            parents_reason=PARENT_NOT_INVITED if family == "not_invited" else "",
            parents_feedback=FEEDBACK["parents"] if family == "engaged" else "",
            user=lead,
        )
    by_key = {grade.key: grade for grade in grades}
    for case, key in zip(
        cases[:4],
        ["requires-improvement", "good", "inadequate", "requires-improvement"],
        strict=False,
    ):
        case_grade_record(
            sampled_case=case, grade=by_key[key], rationale=rng.choice(RATIONALES[key]), user=lead
        )
