"""Synthetic publications for the benchmark, the screenshots and `caseaudit render_sample`.

Invented partnership, invented figures, pseudonyms only. They have the shape of the real
products (the full report of a 25-case audit with 15 charts, a two-page 7 Minute Briefing) so
the renderers are measured and looked at on documents of a realistic size.
"""

import datetime
import random

from caseaudit.analysis.charts import percent_chart, question_chart
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

PARTNERSHIP = "Northshire Safeguarding Children Partnership"

_QUESTIONS = [
    "Is the child's lived experience clearly recorded?",
    "Was the child seen alone at the last visit?",
    "Is there an up-to-date chronology on the file?",
    "Is there evidence of management oversight in the last three months?",
    "Were the previous plan's outcomes reviewed before this plan began?",
    "Did every agency attend the last core group?",
    "Is the child protection plan SMART?",
    "Were fathers or significant males included in the assessment?",
    "Is information shared with the GP within the expected time?",
    "Has a domestic abuse risk assessment been completed where needed?",
    "Was a neglect assessment tool used?",
    "Is the plan written in language the family can understand?",
    "Were the child's wishes and feelings recorded in their own words?",
    "Was the case discussed in supervision with a safeguarding lead?",
    "Is there evidence the plan is making a difference for the child?",
]
_OPTIONS = [
    ("yes", "Yes", "positive"),
    ("partly", "Partly", "neutral"),
    ("no", "No", "negative"),
    ("na", "Not applicable", "not_applicable"),
]
_THEMES = [
    "File and record management",
    "Background and the previous plan",
    "The child's daily lived experience",
    "The repeat child protection plan",
    "Multi-agency working",
]


def _question(index: int, rng: random.Random, returns: int) -> dict:
    weights = [rng.randint(4, 30), rng.randint(1, 10), rng.randint(1, 12), rng.randint(0, 6)]
    total = sum(weights)
    counts = [round(returns * w / total) for w in weights]
    counts[0] += returns - sum(counts)
    return {
        "key": f"q{index + 1}",
        "text": _QUESTIONS[index % len(_QUESTIONS)],
        "n": returns,
        "options": [
            {
                "key": key,
                "label": label,
                "meaning": meaning,
                "count": count,
                "percent": 100 * count / returns,
            }
            for (key, label, meaning), count in zip(_OPTIONS, counts, strict=True)
        ],
    }


def sample_full_report(*, cases: int = 25, charts: int = 15, seed: int = 1) -> Document:
    """A full audit report: contents, methodology with the sample's make-up, a chart per
    question with its commentary, perspectives, findings with challenges, recommendations and
    appendices."""
    rng = random.Random(seed)  # noqa: S311 - invented figures, not secrets
    agencies = [
        "Children's Social Care",
        "Community Health NHS Trust",
        "Northshire Police",
        "Schools",
        "Early Help",
        "Adult Mental Health",
    ]
    sent = cases * len(agencies)
    returned = sent - rng.randint(5, 15)
    introduction = Section(
        "Introduction",
        (
            Heading("Terms of reference"),
            Paragraph.of(
                "The partnership quality-assures the work its agencies do together with "
                "children. This audit looked at children who became subject to a child "
                "protection plan for a second or later time, to learn why plans end and begin "
                "again and what would help families make changes that last."
            ),
            BulletList.of(
                "A themed audit of a sample of children's cases, chosen from the case system.",
                "Every agency that knows the child audits its own records against the same "
                "questions.",
                "Practitioners and, where possible, families are asked for their view.",
                "The report goes to the partnership's executive group with recommendations.",
            ),
            Paragraph.of(
                "The audit aimed to identify good practice and areas for improvement, and to "
                "turn what was found into learning for the whole workforce."
            ),
        ),
    )
    sample_rows = (
        ("Under 5 years", str(cases * 8 // 15), "Neglect", str(cases * 2 // 3)),
        ("5 to 10 years", str(cases * 4 // 15), "Emotional abuse", str(cases - cases * 2 // 3)),
        ("Over 10 years", str(cases - cases * 8 // 15 - cases * 4 // 15), "", ""),
    )
    methodology = Section(
        "Audit methodology",
        (
            Heading("Sample"),
            Paragraph.of(
                "On the day the audit began the case system held 202 child protection plans, "
                "of which 34 (16.8%) were repeat plans. From these, ",
                Run(f"{cases} children", bold=True),
                " were selected: the interval between plans was three years or less, one "
                "child was chosen from each sibling group, and the sample was balanced by "
                "gender and category of plan.",
            ),
            Table(
                header=("Age", "Children", "Category", "Children "),
                rows=sample_rows,
                caption="The sample by age and category of plan",
                numeric=(False, True, False, True),
            ),
            Heading("Response to the audit"),
            Paragraph.of(
                f"{sent} audit requests were sent to {len(agencies)} agencies and ",
                Run(f"{returned} were returned ({100 * returned / sent:.0f}%)", bold=True),
                ".",
            ),
            Table(
                header=("Agency", "Requests sent", "Returned", "Per cent"),
                rows=tuple(
                    (name, str(cases), str(got), f"{100 * got / cases:.0f}%")
                    for name, got in (
                        (name, cases - rng.randint(0, 4) if i else cases)
                        for i, name in enumerate(agencies)
                    )
                ),
                caption="Requests and returns by agency",
                numeric=(False, True, True, True),
            ),
            Heading("Population figures against benchmarks"),
            Chart(
                percent_chart(
                    chart_id="chart-repeat-rate",
                    title="Children on a repeat child protection plan (%)",
                    points=[
                        ("Northshire", 16.8),
                        ("England", 14.9),
                        ("Statistical neighbours", 16.1),
                    ],
                )
            ),
        ),
    )
    themes = []
    per_theme = max(1, charts // len(_THEMES))
    for theme_index, theme in enumerate(_THEMES):
        blocks = []
        for offset in range(per_theme):
            index = theme_index * per_theme + offset
            if index >= charts:
                break
            question = _question(index, rng, returned)
            best = question["options"][0]
            blocks.extend(
                (
                    Heading(question["text"]),
                    Chart(question_chart(question)),
                    Paragraph.of(
                        "In ",
                        Run(f"{best['percent']:.0f}%", bold=True),
                        f" of the {returned} returns the answer was yes. Auditors' comments "
                        "show that where the answer was no, the record was often out of date "
                        "rather than the work not done; that is itself a finding, because the "
                        "next worker relies on the record.",
                    ),
                    Quote(
                        "The chronology was last updated before the current plan began, so the "
                        "conference did not see the pattern of the last two years.",
                        "Agency auditor, health",
                    ),
                )
            )
        themes.append(Section(f"Findings: {theme.lower()}", tuple(blocks)))
    perspectives = Section(
        "Practitioners' and parents' perspectives",
        (
            Paragraph.of(
                "A workshop with the practitioners who know the children discussed the early "
                "findings. Several described a pressure to end plans within a fixed time, and "
                "a sense that a plan could end when attendance improved even though the "
                "reasons for the concern had not changed."
            ),
            Quote(
                "When the plan ended, everything stopped at once. We were doing well and then "
                "there was nobody.",
                "Parent of Child F",
            ),
            Quote(
                "I would have liked to meet the other workers before the conference, not at it.",
                "Parent of Child K",
            ),
        ),
    )
    findings = Section(
        "Findings and challenges",
        tuple(
            Callout(
                title,
                (Paragraph.of(text), Paragraph.of(Run("Challenge for: ", bold=True), challenge)),
                number=f"{number}",
            )
            for number, (title, text, challenge) in enumerate(
                (
                    (
                        "Plans end before change is sustained",
                        (
                            "Plans were ended when first-order changes had been made, such as "
                            "better attendance at appointments, without evidence that the "
                            "causes of concern had changed."
                        ),
                        "conference chairs and core groups.",
                    ),
                    (
                        "Chronologies are not kept up to date",
                        "In a third of returns the chronology was more than three months old.",
                        "all agencies' managers.",
                    ),
                    (
                        "Fathers are not routinely included",
                        (
                            "Fathers and significant males were included in fewer than half "
                            "of the assessments."
                        ),
                        "children's social care and health.",
                    ),
                ),
                start=1,
            )
        ),
    )
    recommendations = Section(
        "Recommendations",
        (
            NumberedList.of(
                "Before a plan ends, the core group records what has changed for the child and "
                "why it will last.",
                "Every agency keeps a chronology reviewed at least every three months.",
                "Assessment templates prompt for fathers and significant males.",
                "The partnership repeats this audit in twelve months to measure the change.",
            ),
        ),
    )
    appendices = Section(
        "Appendices",
        (
            Heading("Appendix 1: a case example"),
            Paragraph.of(
                "Child B (name changed) was six when the second plan began. The first plan had "
                "ended after nine months when school attendance improved; within a year the "
                "same concerns about neglect were referred again by the school."
            ),
            Heading("Appendix 2: a practitioner's view"),
            Quote(
                "What helped was a worker who stayed, and a plan the family could read.",
                "Social worker, safeguarding team",
            ),
            Heading("Appendix 3: the audit template's questions"),
            NumberedList.of(*_QUESTIONS[:charts]),
        ),
    )
    return Document(
        title="Multi-agency audit of repeat child protection plans",
        subtitle=f"Findings from {cases} children's cases audited by {len(agencies)} agencies",
        author="Independent audit lead",
        partnership=PARTNERSHIP,
        date=datetime.date(2026, 11, 30),
        style="report",
        front=(Contents(),),
        sections=(introduction, methodology, *themes, perspectives, findings, recommendations,
                  appendices),
    )  # fmt: skip


def sample_seven_minute_briefing() -> Document:
    """A 7 Minute Briefing: seven numbered panels, one or two pages."""
    panels = (
        Callout(
            "Aim of the audit",
            (
                BulletList.of(
                    "To look at how well agencies recognise and respond to early signs of "
                    "neglect.",
                    "To see whether working together improves outcomes for children living "
                    "with neglect.",
                ),
            ),
            number="01",
        ),
        Callout(
            "Background",
            (
                Paragraph.of(
                    "Neglect has been a partnership priority since its first neglect audit. "
                    "A neglect assessment tool was introduced last year to help practitioners "
                    "recognise neglect at the earliest stage."
                ),
            ),
            number="02",
        ),
        Callout(
            "Overview",
            (
                Paragraph.of("A deep-dive reflective review of two children's cases:"),
                BulletList.of(
                    "Case 1: a family known to services for several years, with repeated "
                    "escalation and de-escalation.",
                    "Case 2: chosen at random from children on a plan for neglect.",
                ),
            ),
            number="03",
        ),
        Callout(
            "Key learning themes",
            (
                NumberedList.of(
                    "Engagement with families is meaningful, not tokenistic.",
                    "Recognise disguised compliance before it leads to drift.",
                    "Show that following procedure changes the child's lived experience.",
                    "Robust management oversight prevents drift.",
                    "Fathers and significant males are part of assessments and plans.",
                ),
            ),
            number="04",
        ),
        Callout(
            "Areas for improvement",
            (
                BulletList.of(
                    "When a child discloses, show that we listened and what we did.",
                    "Keep consistent, accurate records of involvement.",
                    "Assess concerns as part of a chronology, not as single incidents.",
                ),
                Paragraph.of(
                    Run("Key question: ", bold=True),
                    "are our actions making a positive difference to this child's life?",
                ),
            ),
            number="05",
        ),
        Callout(
            "Good practice",
            (
                BulletList.of(
                    "Clear decisions in strategy meetings after three referrals in a short "
                    "time.",
                    "A creche observation form captured the child's voice while a parent "
                    "attended a course.",
                    "Agencies recognised the parents' own vulnerability together.",
                ),
            ),
            number="06",
        ),
        Callout(
            "Recommendations",
            (
                BulletList.of(
                    "Understand the impact of cancelled core groups on monitoring plans.",
                    "Help practitioners include fathers and significant others when working "
                    "with families.",
                ),
                Paragraph.of(
                    "More briefings: ",
                    Run("northshire-scp.example/learning", link="https://northshire-scp.example/learning"),
                ),
            ),
            number="07",
        ),
    )  # fmt: skip
    return Document(
        title="7 Minute Briefing: neglect audit",
        subtitle="Learning from a two-case deep dive, to be read aloud to a team",
        partnership=PARTNERSHIP,
        date=datetime.date(2026, 11, 30),
        style="briefing",
        sections=(Section("What the audit found", (Panels(panels, columns=2),)),),
    )
