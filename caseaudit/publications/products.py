"""The three publications, each built once as a `caseaudit.documents` Document from what the
system holds: the statistics (exactly `audit_statistics`, the figures of the page and the API),
the findings editor, the meeting and moderation records, the Cases of Concern register and the
action tracker. The renderers turn the same Document into HTML, DOCX and PDF.

Children appear only by pseudonym; comments are quoted with sampled children's names replaced
(`caseaudit.findings.services.pseudonymise`); the privacy check still runs over every text before
anything is published."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from caseaudit.analysis.charts import display_percent, question_chart
from caseaudit.analysis.statistics import audit_questions, audit_statistics, submitted_requests
from caseaudit.audits.models import Audit, SampledCase
from caseaudit.documents.model import (
    BulletList,
    Callout,
    Chart,
    Contents,
    Document,
    Heading,
    NumberedList,
    Panels,
    Paragraph,
    Quote,
    Run,
    Section,
    Table,
)
from caseaudit.findings.models import PointKind, VignetteKind
from caseaudit.findings.services import pseudonymise, report_text_for
from caseaudit.population.models import AgeBand, PlanCategory
from caseaudit.returns.models import AuditRequest, RequestStatus
from caseaudit.themes.services import comment_text, comments_of_audit

COMMENTS_PER_QUESTION = 3


@dataclass(frozen=True)
class Product:
    key: str
    title: str
    build: Callable[[Audit], Document]


# Small builders ---------------------------------------------------------------------------------


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs from text typed in a box: a blank line between paragraphs."""
    parts = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(Paragraph.of(part) for part in parts if part)


def percent_text(value: float | None) -> str:
    """One decimal place, as the statistics page shows it."""
    return "-" if value is None else f"{value:.1f}%"


def _month(value: datetime.date | None) -> str:
    return f"{value:%B %Y}" if value else ""


def _or_none(blocks: tuple, what: str) -> tuple:
    return blocks or (Paragraph.of(f"No {what} recorded."),)


def _points(audit: Audit, kind: str) -> list[str]:
    return [point.text for point in audit.points.filter(kind=kind)]


def _bullets(items: list[str]) -> tuple:
    return (BulletList.of(*items),) if items else ()


def _author(audit: Audit) -> str:
    name = audit.partnership.name
    return name if "partnership" in name.lower() else f"{name} Safeguarding Children Partnership"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# Shared figures ---------------------------------------------------------------------------------


def response_figures(audit: Audit) -> dict:
    """Requests sent (every request that went out) and returned (submitted), declined and
    inadmissible: the seed's "90 audit requests were sent out, with 77 being returned"."""
    requests = AuditRequest.objects.filter(audit=audit).exclude(status=RequestStatus.NOT_SENT)
    sent = requests.count()
    returned = submitted_requests(audit).count()
    return {
        "sent": sent,
        "returned": returned,
        "declined": requests.filter(status=RequestStatus.DECLINED).count(),
        "inadmissible": requests.filter(status=RequestStatus.INADMISSIBLE).count(),
        "rate": round(100 * returned / sent, 1) if sent else None,
    }


_CHOICE_ORDER = {
    "age_band": [label for _, label in AgeBand.choices],
    "plan_category": [label for _, label in PlanCategory.choices],
}


def sample_table(audit: Audit) -> Table | None:
    """The make-up of the sample by age band, gender and category of plan."""
    sample = getattr(audit, "sample", None)
    if sample is None:
        return None
    cases = list(
        SampledCase.objects.filter(sample=sample, removed_at__isnull=True)
        .select_related("case")
        .only("case__age_band", "case__gender", "case__plan_category")
    )
    total = len(cases)
    rows = []
    for label, attribute, display in (
        ("Age", "age_band", "get_age_band_display"),
        ("Gender", "gender", None),
        ("Category of plan", "plan_category", "get_plan_category_display"),
    ):
        counts: dict[str, int] = {}
        for sampled in cases:
            value = (
                getattr(sampled.case, display)() if display else getattr(sampled.case, attribute)
            )
            counts[value or "Not recorded"] = counts.get(value or "Not recorded", 0) + 1
        order = {value: index for index, value in enumerate(_CHOICE_ORDER.get(attribute, ()))}
        for value, count in sorted(
            counts.items(), key=lambda item: (order.get(item[0], len(order)), -item[1], item[0])
        ):
            rows.append((label, value, str(count), percent_text(100 * count / total)))
    return Table(
        header=("Characteristic", "Group", "Children", "Share of the sample"),
        rows=tuple(rows),
        caption=f"The {total} children in the sample",
        numeric=(False, False, True, True),
    )


def criteria_text(audit: Audit) -> str:
    """The sample criteria in words."""
    sample = getattr(audit, "sample", None)
    if sample is None:
        return "No sample has been drawn."
    criteria = sample.criteria or {}
    parts = []
    if criteria.get("categories"):
        parts.append("plans in the categories " + ", ".join(criteria["categories"]))
    if criteria.get("repeat_only"):
        parts.append("children on a repeat plan")
    if criteria.get("max_interval_years"):
        parts.append(
            f"the previous plan ended no more than {criteria['max_interval_years']:g} years before"
        )
    if criteria.get("min_age") is not None or criteria.get("max_age") is not None:
        parts.append(
            f"aged {criteria.get('min_age') or 0} to {criteria.get('max_age') or 17} years"
        )
    if criteria.get("teams"):
        parts.append("from the teams " + ", ".join(criteria["teams"]))
    stratify = criteria.get("stratify") or []
    sentence = f"{sample.size} children were chosen at random"
    if parts:
        sentence += ": " + "; ".join(parts)
    if stratify:
        sentence += "; balanced by " + " and ".join(s.replace("_", " ") for s in stratify)
    return sentence + "."


def population_blocks(audit: Audit) -> tuple:
    """The snapshot the sample came from, against the partnership's benchmarks."""
    from caseaudit.population.selectors import benchmark_comparison, population_figures

    sample = getattr(audit, "sample", None)
    if sample is None:
        return ()
    figures = population_figures(sample.snapshot)
    repeat = figures["repeat_plans"]
    blocks = [
        Paragraph.of(
            f"On {sample.snapshot.as_of:%-d %B %Y} the case list held {figures['total']} "
            f"children with a Child Protection Plan, of whom {repeat['count']} "
            f"({percent_text(repeat['rate'])}) were on a repeat plan."
        )
    ]
    comparison = benchmark_comparison(sample.snapshot, figures)
    if len(comparison) > 1:
        blocks.append(
            Table(
                header=("Area", "Repeat plans"),
                rows=tuple((row["label"], percent_text(float(row["value"]))) for row in comparison),
                caption="Repeat Child Protection Plans against the benchmarks",
                numeric=(False, True),
            )
        )
    return tuple(blocks)


def question_table(question: dict) -> Table:
    """Each answer's count, the share of n and the share leaving out not applicable."""
    return Table(
        header=("Answer", "Returns", "Per cent", "Excluding not applicable or not known"),
        rows=tuple(
            (
                option["label"],
                str(option["count"]),
                percent_text(option["percent"]),
                percent_text(option["percent_excluding_na"]),
            )
            for option in question["options"]
        ),
        caption=(
            f"{question['text']}: n = {question['n']}, "
            f"{question['n_excluding_na']} excluding not applicable or not known"
        ),
        numeric=(False, True, True, True),
    )


def _comments_by_question(audit: Audit) -> dict[str, list[Quote]]:
    quotes: dict[str, list[Quote]] = {}
    for answer in comments_of_audit(audit).order_by("request__sampled_case__order", "id"):
        listed = quotes.setdefault(answer.question.key, [])
        if len(listed) < COMMENTS_PER_QUESTION:
            pseudonym = answer.request.sampled_case.pseudonym
            listed.append(
                Quote(
                    pseudonymise(comment_text(answer), audit, own=pseudonym),
                    f"{answer.request.agency.name}, {pseudonym}",
                )
            )
    return quotes


# The full report ---------------------------------------------------------------------------------


def full_report(audit: Audit) -> Document:
    texts = report_text_for(audit)
    statistics = audit_statistics(audit, by_case=False)
    responses = response_figures(audit)
    introduction = [*paragraphs(texts.introduction)]
    if audit.terms_of_reference:
        introduction += [Heading("Terms of reference"), *paragraphs(audit.terms_of_reference)]
    if audit.aim:
        introduction += [Heading("Aim"), *paragraphs(audit.aim)]
    if audit.scope_questions:
        introduction += [
            Heading("What the audit asked"),
            BulletList.of(*audit.scope_questions),
        ]
    if texts.background:
        introduction += [Heading("Background"), *paragraphs(texts.background)]
    sections = [Section("Introduction", tuple(_or_none(tuple(introduction), "introduction")))]

    methodology = [
        Paragraph.of(f"Method: {audit.get_methodology_display()}."),
        *paragraphs(texts.overview),
        Heading("Sample"),
        Paragraph.of(criteria_text(audit)),
    ]
    table = sample_table(audit)
    if table is not None:
        methodology.append(table)
    population = population_blocks(audit)
    if population:
        methodology += [Heading("Population"), *population]
    methodology += [
        Heading("Response to the audit"),
        Paragraph.of(
            f"{_plural(responses['sent'], 'audit request was', 'audit requests were')} sent to "
            f"agencies and {responses['returned']} returned",
            f" ({percent_text(responses['rate'])})." if responses["rate"] is not None else ".",
            f" {_plural(responses['declined'], 'was', 'were')} declined by agencies with no "
            "involvement in the period."
            if responses["declined"]
            else "",
        ),
        Paragraph.of(
            "Each percentage below is of the returns that answered the question (n). Where a "
            "figure rests on fewer than 10 returns it is marked, and should be read with care."
        ),
    ]
    sections.append(Section("Audit methodology", tuple(methodology)))
    sections.append(Section("Thematic findings", _thematic_blocks(audit, statistics)))

    perspectives = []
    if texts.practitioners_perspective:
        perspectives += [Heading("Practitioners"), *paragraphs(texts.practitioners_perspective)]
    family = [*paragraphs(texts.family_perspective)]
    family += [
        Quote(" ".join(v.text.split()), v.title)
        for v in audit.vignettes.filter(kind=VignetteKind.PARENTS_WORDS)
    ]
    if family:
        perspectives += [Heading("Children and parents"), *family]
    if perspectives:
        sections.append(Section("Practitioners' and parents' perspectives", tuple(perspectives)))

    conclusions = [*paragraphs(texts.conclusions)]
    for kind, heading in (
        (PointKind.GOOD_PRACTICE, "Good practice"),
        (PointKind.IMPROVEMENT, "Areas for improvement"),
        (PointKind.WORRY, "What we are worried about"),
        (PointKind.NEXT_STEP, "Next steps"),
    ):
        items = _points(audit, kind)
        if items:
            conclusions += [Heading(heading), BulletList.of(*items)]
    sections.append(Section("Conclusions", _or_none(tuple(conclusions), "conclusions")))
    sections.append(Section("Findings", _finding_blocks(audit)))
    sections.append(Section("Recommendations", _recommendation_blocks(audit)))
    sections.append(Section("Appendices", _appendix_blocks(audit)))
    return Document(
        title=audit.title,
        subtitle="Multi-agency case audit report",
        author=_author(audit),
        partnership=audit.partnership.name,
        date=timezone.localdate(),
        style="report",
        front=(Contents(),),
        sections=tuple(sections),
    )


def _thematic_blocks(audit: Audit, statistics: dict) -> tuple:
    quotes = _comments_by_question(audit)
    blocks: list = [
        Paragraph.of(
            f"The figures below are collated from {statistics['returns']} submitted returns, "
            "question by question, under the headings of the audit template."
        )
    ]
    section = None
    for question in statistics["questions"]:
        if question["section"] != section:
            section = question["section"]
            blocks.append(Heading(section, 2))
        blocks.append(Heading(question["text"], 3))
        if not question["n"]:
            blocks.append(Paragraph.of("No return answered this question."))
            continue
        if question["small_n"]:
            blocks.append(
                Paragraph.of(
                    Run(f"Based on only {question['n']} returns:", bold=True),
                    " treat these percentages with care.",
                )
            )
        chart = question_chart(question)
        if chart is not None:
            blocks.append(Chart(chart, question_table(question)))
            blocks.append(Paragraph.of(_headline(question)))
        elif question.get("number_summary"):
            summary = question["number_summary"]
            blocks.append(
                Paragraph.of(
                    f"n = {question['n']}. Median {summary.get('median')}, "
                    f"from {summary.get('min')} to {summary.get('max')}."
                )
            )
        else:
            blocks.append(Paragraph.of(f"{question['n']} returns answered in their own words."))
        blocks.extend(quotes.get(question["key"], []))
    return tuple(blocks)


def _headline(question: dict) -> str:
    """The largest answer in words: "Yes was the answer of 5 of 9 returns (55.6%)"."""
    top = max(question["options"], key=lambda option: option["count"])
    text = (
        f"{top['label']} was the answer of {top['count']} of {question['n']} returns "
        f"({percent_text(top['percent'])}"
    )
    if top["percent_excluding_na"] is not None and question["n_excluding_na"] != question["n"]:
        text += f"; {percent_text(top['percent_excluding_na'])} leaving out not applicable"
    if question["type"] == "multiple_choice":
        text += "; a return could give more than one answer"
    return text + ")."


def _finding_blocks(audit: Audit) -> tuple:
    blocks = []
    for finding in audit.findings.prefetch_related("quotes"):
        content: list = [*paragraphs(finding.text)]
        if finding.challenge:
            who = f"Challenge for {finding.challenge_for}" if finding.challenge_for else "Challenge"
            content.append(
                Paragraph.of(Run(f"{who}: ", bold=True), " ".join(finding.challenge.split()))
            )
        content += [Quote(" ".join(q.text.split()), q.attribution) for q in finding.quotes.all()]
        blocks.append(Callout(f"Finding {finding.number}", tuple(content)))
    return _or_none(tuple(blocks), "findings")


def _recommendation_blocks(audit: Audit) -> tuple:
    from caseaudit.actions.selectors import action_counts_by_source

    items = []
    recommendations = list(audit.recommendations.select_related("finding"))
    counts = action_counts_by_source(recommendations, timezone.localdate())
    for recommendation in recommendations:
        parts = [" ".join(recommendation.text.split())]
        if recommendation.lead:
            parts.append(f" Lead: {recommendation.lead}.")
        if recommendation.finding:
            parts.append(f" Answers finding {recommendation.finding.number}.")
        agreed = counts[recommendation.pk]
        live = agreed["total"] - agreed["cancelled"]
        if live:
            parts.append(
                f" Actions agreed: {live} ({agreed['completed']} completed,"
                f" {agreed['outstanding']} overdue)."
            )
        items.append("".join(parts))
    return (NumberedList.of(*items),) if items else _or_none((), "recommendations")


def _appendix_blocks(audit: Audit) -> tuple:
    blocks: list = []
    number = 0
    for kind, title in (
        (VignetteKind.CASE_EXAMPLE, "A case example from the audit sample"),
        (VignetteKind.PRACTITIONER_VIEW, "A frontline practitioner's view"),
    ):
        for vignette in audit.vignettes.filter(kind=kind):
            number += 1
            blocks += [
                Heading(f"Appendix {number}: {title}"),
                Heading(vignette.title, 3),
                *paragraphs(vignette.text),
            ]
    number += 1
    blocks.append(Heading(f"Appendix {number}: The audit template's questions"))
    questions = audit_questions(audit)
    if not questions:
        blocks.append(Paragraph.of("The audit has no template."))
    section = None
    for question in questions:
        if question.section.title != section:
            section = question.section.title
            blocks.append(Heading(section, 3))
        options = list(question.options.all())
        text = question.text + (" (" + "; ".join(o.label for o in options) + ")" if options else "")
        blocks.append(BulletList.of(text))
    return tuple(blocks)


# The 7 Minute Briefing ---------------------------------------------------------------------------


def seven_minute_briefing(audit: Audit) -> Document:
    texts = report_text_for(audit)
    sample = getattr(audit, "sample", None)
    overview = [*paragraphs(texts.overview)]
    if sample is not None:
        count = sample.cases.filter(removed_at__isnull=True).count()
        overview.append(
            Paragraph.of(f"{audit.get_methodology_display()} of {count} children's cases.")
        )
    themes = [theme.title for theme in audit.learning_themes.all()]
    recommendations = [r.text for r in audit.recommendations.all()]
    panels = (
        Callout("Aim of the audit", _or_none(paragraphs(audit.aim), "aim"), number="01"),
        Callout("Background", _or_none(paragraphs(texts.background), "background"), number="02"),
        Callout("Overview", _or_none(tuple(overview), "overview"), number="03"),
        Callout(
            "Key learning themes",
            (NumberedList.of(*themes),) if themes else _or_none((), "learning themes"),
            number="04",
        ),
        Callout(
            "Areas for improvement",
            _or_none(_bullets(_points(audit, PointKind.IMPROVEMENT)), "areas for improvement"),
            number="05",
        ),
        Callout(
            "Good practice",
            _or_none(_bullets(_points(audit, PointKind.GOOD_PRACTICE)), "good practice"),
            number="06",
        ),
        Callout(
            "Recommendations",
            _or_none(_bullets(recommendations), "recommendations"),
            number="07",
        ),
    )
    return Document(
        title=f"7 Minute Briefing: {audit.title}",
        subtitle="Read it aloud to your team: seven short sections, about a minute each.",
        author=_author(audit),
        partnership=audit.partnership.name,
        date=timezone.localdate(),
        style="briefing",
        sections=(Section("The briefing", (Panels(panels, columns=2),)),),
    )


# The learning briefing --------------------------------------------------------------------------


def audit_activity(audit: Audit) -> dict:
    """How much was done: children identified for the audit, audits completed in time, late,
    still outstanding and inadmissible. An audit whose agencies sent returns counts children by
    their returns; a single-agency monthly audit, graded without returns, by its grades (in
    time when graded by the returns date, or the meeting date when there is none)."""
    from caseaudit.moderation.models import CaseGrade

    cases = SampledCase.objects.filter(sample__audit=audit)
    identified = cases.count()
    removed = cases.filter(removed_at__isnull=False).count()
    requests = AuditRequest.objects.filter(audit=audit).exclude(status=RequestStatus.NOT_SENT)
    if requests.exists():
        from caseaudit.returns.services import tracker_counts

        counts = tracker_counts(requests)
        return {
            "basis": "returns",
            "identified": identified,
            "in_time": counts["returned"] - counts["returned_late"],
            "late": counts["returned_late"] + counts["late"],
            "outstanding": counts["outstanding"],
            "inadmissible": counts["inadmissible"] + removed,
        }
    deadline = audit.returns_due or audit.meeting_date
    grades = CaseGrade.objects.filter(audit=audit, sampled_case__removed_at__isnull=True)
    graded = grades.count()
    late = grades.filter(graded_at__date__gt=deadline).count() if deadline else 0
    return {
        "basis": "grades",
        "identified": identified,
        "in_time": graded - late,
        "late": late,
        "outstanding": identified - removed - graded,
        "inadmissible": removed,
    }


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _focus_blocks(audit: Audit, month: datetime.date | None) -> tuple:
    """Cases of Concern raised from this audit or in its month, by category and by team, then
    the worries the lead recorded."""
    from caseaudit.concerns.models import CaseOfConcern
    from caseaudit.concerns.selectors import counts_by_team

    concerns = CaseOfConcern.objects.filter(audit__partnership=audit.partnership)
    scope = Q(audit=audit)
    if month:
        scope |= Q(raised_at__date__gte=month, raised_at__date__lt=_next_month(month))
    concerns = concerns.filter(scope)
    first = concerns.filter(category=1).count()
    second = concerns.filter(category=2).count()
    blocks: list = [
        Paragraph.of(
            f"{_plural(first, 'Case', 'Cases')} of Concern in category 1 (a child may be at "
            f"risk now: a senior manager acts at once) and {second} in category 2 (the risk "
            "assessment or the service did not fit the child's needs) were raised"
            + (f" in {_month(month)}." if month else ".")
        )
    ]
    by_team = counts_by_team(concerns)
    if by_team:
        blocks.append(
            Table(
                header=("Team", "Category 1", "Category 2", "All", "Still open"),
                rows=tuple(
                    (
                        row["team"],
                        *(str(row[k]) for k in ("category_1", "category_2", "total", "open")),
                    )
                    for row in by_team
                ),
                caption="Cases of Concern by team",
                numeric=(False, True, True, True, True),
            )
        )
    worries = _points(audit, PointKind.WORRY)
    if worries:
        blocks += [Heading("What we are worried about"), BulletList.of(*worries)]
    return tuple(blocks)


def _engagement_table(audit: Audit, month: datetime.date | None) -> tuple:
    """Engagement month by month, up to the briefing's month."""
    from caseaudit.moderation.selectors import count_of, engagement_by_month

    rows = [
        (
            _month(row["month"]),
            str(row["n"]),
            *(
                str(count_of(row, field, "engaged"))
                for field in ("team_manager", "social_worker", "child", "parents")
            ),
        )
        for row in engagement_by_month(audit.partnership)
        if not month or row["month"] <= month
    ]
    if not rows:
        return ()
    return (
        Table(
            header=(
                "Month",
                "Cases",
                "Team managers engaged",
                "Social workers engaged",
                "Children engaged",
                "Parents and carers engaged",
            ),
            rows=tuple(rows),
            caption="Engagement in audits, month by month",
            numeric=(False, True, True, True, True, True),
        ),
    )


def _count_and_share(count: int, total: int) -> str:
    return f"{count} ({display_percent(100 * count / total if total else None)})"


def learning_briefing(audit: Audit) -> Document:
    """For an audit and its month: what we did, how well, what good looks like, where to
    focus, what action we took, how well we audit, triangulation and recommendations."""
    from caseaudit.actions.models import Action
    from caseaudit.actions.selectors import tracker_by_month
    from caseaudit.moderation.selectors import (
        engagement_figures,
        engagement_summary,
        moderated_grades_by_month,
    )

    texts = report_text_for(audit)
    month = audit.planned_month
    activity = audit_activity(audit)
    sections = [
        Section(
            "How much did we do?",
            (
                Table(
                    header=(
                        "Children identified",
                        "Completed in time",
                        "Late",
                        "Outstanding",
                        "Inadmissible",
                    ),
                    rows=(
                        tuple(
                            str(activity[key])
                            for key in (
                                "identified",
                                "in_time",
                                "late",
                                "outstanding",
                                "inadmissible",
                            )
                        ),
                    ),
                    caption=f"Audits for {_month(month) or audit.title}",
                    numeric=(True, True, True, True, True),
                ),
            ),
        )
    ]

    grades = moderated_grades_by_month(audit.partnership)
    rows = []
    for row in grades["months"]:
        if month and row["month"] > month:
            continue
        rows.append(
            (
                _month(row["month"]),
                *(_count_and_share(row["counts"][g["key"]], row["n"]) for g in grades["grades"]),
                str(row["n"]),
            )
        )
    how_well: tuple = (
        (
            Paragraph.of("Grades after moderation, month by month."),
            Table(
                header=("Month", *(g["label"] for g in grades["grades"]), "Cases"),
                rows=tuple(rows),
                caption="Grades following moderation",
                numeric=(False, *([True] * len(grades["grades"])), True),
            ),
        )
        if rows
        else (Paragraph.of("No grades have been moderated yet."),)
    )
    sections.append(Section("How well are we doing?", how_well))

    good = []
    for vignette in audit.vignettes.filter(kind=VignetteKind.WHAT_GOOD_LOOKS_LIKE):
        good += [Heading(vignette.title), *paragraphs(vignette.text)]
    sections.append(
        Section("What does good look like?", _or_none(tuple(good), "examples of good practice"))
    )

    sections.append(Section("Where do we need to focus?", _focus_blocks(audit, month)))

    tracker = tracker_by_month(Action.objects.filter(partnership=audit.partnership))
    if month:
        tracker = [row for row in tracker if row["month"] and row["month"] <= month]
    sections.append(
        Section(
            "What action have we taken?",
            (
                Table(
                    header=(
                        "Month agreed",
                        "Total",
                        "Completed",
                        "Outstanding",
                        "Not yet due",
                        "Cancelled",
                    ),
                    rows=tuple(
                        (
                            _month(row["month"]),
                            *(
                                str(row[k])
                                for k in (
                                    "total",
                                    "completed",
                                    "outstanding",
                                    "not_yet_due",
                                    "cancelled",
                                )
                            ),
                        )
                        for row in tracker
                    ),
                    caption="Actions from audits, by the month they were agreed",
                    numeric=(False, True, True, True, True, True),
                ),
            )
            if tracker
            else (Paragraph.of("No actions have been agreed yet."),),
        )
    )

    engagement = engagement_figures(audit)
    sections.append(
        Section(
            "How well are we doing our audits?",
            (Paragraph.of(engagement_summary(engagement)), *_engagement_table(audit, month)),
        )
    )
    if texts.triangulation:
        sections.append(Section("Triangulation", paragraphs(texts.triangulation)))
    recommendations = [r.text for r in audit.recommendations.all()]
    sections.append(
        Section("Recommendations", _or_none(_bullets(recommendations), "recommendations"))
    )
    return Document(
        title=f"Learning briefing: {_month(month) or audit.title}",
        subtitle=audit.title,
        author=_author(audit),
        partnership=audit.partnership.name,
        date=timezone.localdate(),
        style="briefing",
        sections=tuple(sections),
    )


PRODUCTS = {
    product.key: product
    for product in (
        Product("full-report", "Full audit report", full_report),
        Product("seven-minute-briefing", "7 Minute Briefing", seven_minute_briefing),
        Product("learning-briefing", "Learning briefing", learning_briefing),
    )
}


def build_document(product: str, audit: Audit) -> Document:
    """The Document of one product for one audit; KeyError for an unknown product."""
    return PRODUCTS[product].build(audit)
