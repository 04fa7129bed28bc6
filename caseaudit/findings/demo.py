"""What the audit lead wrote for the demo audits: the repeat-plans audit (shaped like the seed's
full report: three findings with their challenge, four further recommendations, the
practitioners' and parents' perspectives) and the neglect deep dive (shaped like the seed's 7
Minute Briefing: aim, background, overview, seven learning themes, areas for improvement, good
practice, two recommendations). Every sentence is invented for the demo; every child is shown
by pseudonym."""

from django.db import transaction

from caseaudit.audits.models import Audit
from caseaudit.findings import services
from caseaudit.findings.models import (
    Finding,
    LearningTheme,
    PointKind,
    Recommendation,
    ReportPoint,
    Vignette,
    VignetteKind,
)
from caseaudit.themes.services import comment_text, comments_of_audit

REPEAT_TEXTS = {
    "introduction": (
        "This audit is part of the partnership's rolling programme of multi-agency case audits. "
        "It looks at children who have become subject to a Child Protection Plan for a second "
        "time, to learn whether the work done during and after the first plan made a lasting "
        "difference, and what agencies can do differently."
    ),
    "background": (
        "When the audit began, 34 of the 202 children with a Child Protection Plan (16%) were on "
        "a repeat plan: a little above the rate for England and close to the average of our "
        "statistical neighbours."
    ),
    "overview": (
        "Fifteen children whose second plan began within three years of the first were sampled, "
        "one from each sibling group, balanced by gender and by category of plan. Every agency "
        "that knew each child completed the audit template."
    ),
    "practitioners_perspective": (
        "At the learning workshop practitioners said that the first plans often ended when the "
        "tasks were done rather than when the risks had reduced, and that support faded quickly "
        "once a plan stepped down. Several described how a change of social worker meant the "
        "family had to tell their story again."
    ),
    "family_perspective": (
        "Parents who spoke to us by telephone valued workers who were honest with them and who "
        "stayed. Two said they had not understood what needed to change before the first plan "
        "ended."
    ),
    "conclusions": (
        "Agencies' files were generally well kept and management oversight was evident in most "
        "cases. The weaknesses lie in what the files do not say: whether children were seen on "
        "their own, whether anyone explained the plan to them, and whether the plan's actions "
        "were measured by their effect on the child rather than by their completion."
    ),
}

REPEAT_FINDINGS = [
    {
        "text": (
            "Too often auditors could not tell from the file whether the child had been seen on "
            "their own by a professional, or whether anyone had explained the plan to them."
        ),
        "challenge_for": "all agencies",
        "challenge": (
            "Satisfy yourselves that children on a plan are seen appropriately, that this is "
            "recorded on every agency's file, and that when it does not happen the reason is "
            "recorded too."
        ),
        "question_keys": ["seen_alone", "plan_explained"],
    },
    {
        "text": "SMART planning is not yet part of everyday practice in every agency.",
        "challenge_for": "all agencies",
        "challenge": (
            "Base every plan (child protection, child in need and early help) on SMART "
            "principles, with each action judged by its effect on the risks to the child."
        ),
        "question_keys": ["tasks_and_dates", "impact_on_child"],
    },
    {
        "text": (
            "A change of allocated worker can set the work back. This is true in every agency, "
            "and most of all for the social worker who is often the lead professional."
        ),
        "challenge_for": "the partnership",
        "challenge": "Act to keep allocated workers consistent across agencies.",
        "question_keys": ["previous_plan"],
    },
]

# Words that pick, for each finding, comments of the demo returns that speak to it.
QUOTE_WORDS = [("wishes", "Father"), ("Strengths", "tasks"), ("patchy", "handover")]

REPEAT_RECOMMENDATIONS = [
    ("Keep chronologies accurate and up to date in every agency.", "All agencies"),
    (
        "Set up a quality assurance process for the content and quality of supervision.",
        "Learning and improvement group",
    ),
    ("Raise awareness of the Public Law Outline across agencies.", "Training group"),
    ("Train practitioners to recognise disguised compliance.", "Training group"),
]

REPEAT_POINTS = [
    (PointKind.GOOD_PRACTICE, "Files held the previous plan and key documents in most cases."),
    (PointKind.GOOD_PRACTICE, "Management oversight was clearly recorded in most cases."),
    (PointKind.WORRY, "Plans that end when the tasks are done, before change is sustained."),
    (PointKind.NEXT_STEP, "Make the child's voice a standing item at every core group."),
]

REPEAT_VIGNETTES = [
    (
        VignetteKind.CASE_EXAMPLE,
        "Child 3: a second plan two years on",
        (
            "Child 3's first plan ended after nine months when school attendance improved. Within "
            "a year the same worries about home conditions returned, and a second plan began. The "
            "audit found that the actions of the first plan had been completed but never reviewed "
            "for their effect on Child 3's daily life."
        ),
    ),
    (
        VignetteKind.PRACTITIONER_VIEW,
        "A school's designated safeguarding lead",
        (
            "We knew the family well, but after the plan ended nobody asked us to stay involved. "
            "When the worries came back we were starting again."
        ),
    ),
]

NEGLECT_TEXTS = {
    "introduction": (
        "Inspection found that partner agencies had not always spotted or acted on the early "
        "signs of neglect. This audit looked at how agencies work together to recognise and "
        "respond to those signs, and what difference that makes for children."
    ),
    "background": (
        "A multi-agency audit of neglect was first carried out two years ago and neglect is "
        "still a priority for the partnership. The Graded Care Profile 2 was introduced last "
        "year to help practitioners recognise neglect as early as possible."
    ),
    "overview": (
        "A reflective deep dive into two families: one known to several services for years, "
        "with plans that stepped up and down; one chosen at random from children on a plan for "
        "neglect."
    ),
}

NEGLECT_THEMES = [
    "Responding to families who do not engage, so that engagement is real and not tokenistic",
    "Recognising disguised compliance before it leads to drift and delay",
    "Showing that following procedure makes a difference to the child's lived experience",
    "Weighing the effect of each decision on the child's life when planning",
    "Management scrutiny that prevents drift",
    "Reassessing in good time so the work stays focused on the child",
    "Including fathers and other significant males in assessments and plans",
]

NEGLECT_POINTS = [
    (
        PointKind.IMPROVEMENT,
        "When a child discloses, show that you listened and what you did as a result.",
    ),
    (PointKind.IMPROVEMENT, "Conference chairs to keep the length of plans under review."),
    (PointKind.IMPROVEMENT, "Keep consistent and accurate records of involvement."),
    (
        PointKind.IMPROVEMENT,
        "Assess concerns as part of a chronology, not as isolated incidents.",
    ),
    (
        PointKind.GOOD_PRACTICE,
        "Clear decisions at strategy meetings after three referrals in quick succession.",
    ),
    (
        PointKind.GOOD_PRACTICE,
        (
            "A voluntary sector crèche recorded observations so the child's voice was heard while "
            "a parent attended a parenting course."
        ),
    ),
    (
        PointKind.GOOD_PRACTICE,
        "Agencies worked well together to recognise parents' vulnerability and repeating patterns.",
    ),
]

NEGLECT_RECOMMENDATIONS = [
    (
        "Understand the effect of repeatedly cancelled core groups on how plans are monitored.",
        "Partnership",
    ),
    (
        (
            "Decide what will help practitioners include fathers and significant males in their "
            "work with families."
        ),
        "Learning and improvement group",
    ),
]


def _add(model, audit: Audit, lead, rows: list[dict]) -> list:
    return [services.item_save(audit=audit, model=model, fields=f, user=lead) for f in rows]


@transaction.atomic
def load_demo_findings(audit: Audit, lead) -> bool:
    """The repeat-plans audit's findings; nothing when it already has some."""
    if audit.findings.exists():
        return False
    services.report_text_save(audit=audit, fields=REPEAT_TEXTS, user=lead)
    findings = _add(Finding, audit, lead, REPEAT_FINDINGS)
    comments = list(comments_of_audit(audit).order_by("request__sampled_case__order", "id"))
    used: set[str] = set()
    for finding, words in zip(findings, QUOTE_WORDS, strict=True):
        for word in words:
            answer = next(
                (a for a in comments if word in comment_text(a) and comment_text(a) not in used),
                None,
            )
            if answer is not None:
                used.add(comment_text(answer))
                services.quote_add(finding=finding, answer_pk=answer.pk, user=lead)
    rows = [{"text": text, "lead": who, "finding": None} for text, who in REPEAT_RECOMMENDATIONS]
    rows[0]["finding"] = findings[1]
    _add(Recommendation, audit, lead, rows)
    _add(ReportPoint, audit, lead, [{"kind": k, "text": t} for k, t in REPEAT_POINTS])
    vignettes = [{"kind": k, "title": t, "text": x} for k, t, x in REPEAT_VIGNETTES]
    _add(Vignette, audit, lead, vignettes)
    return True


@transaction.atomic
def load_demo_briefing_content(audit: Audit, lead) -> bool:
    """The neglect deep dive's 7 Minute Briefing content; nothing when it already has some."""
    if audit.learning_themes.exists():
        return False
    services.report_text_save(audit=audit, fields=NEGLECT_TEXTS, user=lead)
    themes = [
        {"title": title, "what_we_found": "", "what_needs_to_happen": ""}
        for title in NEGLECT_THEMES
    ]
    _add(LearningTheme, audit, lead, themes)
    _add(ReportPoint, audit, lead, [{"kind": k, "text": t} for k, t in NEGLECT_POINTS])
    rows = [{"text": text, "lead": who, "finding": None} for text, who in NEGLECT_RECOMMENDATIONS]
    _add(Recommendation, audit, lead, rows)
    return True


MAY_TEXTS = {
    "background": (
        "Each month a sample of children's cases across the service is audited by managers and "
        "moderated by the quality assurance team."
    ),
    "triangulation": (
        "We set May's audits beside the month's performance surgeries and four dip samples of "
        "about a hundred children's cases. They tell the same story. Where a social worker has "
        "built a trusting relationship with a young person, outcomes improve; where workers "
        "change, nobody has a clear picture of the young person's life.\n\n"
        "Assessments are getting better but vary; plans have not yet caught up, and visits are "
        "not always purposeful. Management oversight was strong in some dip-sampled cases and "
        "missing in every case graded inadequate."
    ),
}

MAY_VIGNETTES = [
    (
        "Child F: a plan the family could follow",
        (
            "The social worker visited every week and saw Child F on their own each time. The plan "
            "said in plain words what had to change, by when and who would help, and the team "
            "manager's supervision notes came back to each action until it was done."
        ),
    ),
    (
        "Child K: holding on to a young person",
        (
            "The same worker stayed with Child K for eighteen months. Because Child K trusted her, "
            "the risks outside the home were known early and the multi-agency group could plan "
            "around them."
        ),
    ),
]

MAY_WORRIES = [
    "Plans that do not say what should change for the child.",
    "Supervision that sets tasks but does not give the case direction.",
]

MAY_RECOMMENDATION = (
    (
        "Keep the focus on management oversight, so that every case has direction, a better plan "
        "and actions done on time."
    ),
    "Operational leadership team",
)


@transaction.atomic
def load_demo_learning_content(audit: Audit, lead) -> bool:
    """What the lead wrote for a monthly audit's learning briefing; nothing when it is there."""
    if audit.vignettes.exists():
        return False
    services.report_text_save(audit=audit, fields=MAY_TEXTS, user=lead)
    vignettes = [
        {"kind": VignetteKind.WHAT_GOOD_LOOKS_LIKE, "title": title, "text": text}
        for title, text in MAY_VIGNETTES
    ]
    _add(Vignette, audit, lead, vignettes)
    _add(ReportPoint, audit, lead, [{"kind": PointKind.WORRY, "text": t} for t in MAY_WORRIES])
    text, who = MAY_RECOMMENDATION
    _add(Recommendation, audit, lead, [{"text": text, "lead": who, "finding": None}])
    return True
