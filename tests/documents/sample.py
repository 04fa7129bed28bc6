"""A document with every block type, its text full of characters that mean something in
HTML, Typst or Word XML."""

import datetime

from caseaudit.analysis.charts import question_chart
from caseaudit.documents.model import (
    BulletList,
    Callout,
    Chart,
    Contents,
    Document,
    Heading,
    NumberedList,
    PageBreak,
    Panels,
    Paragraph,
    Quote,
    Run,
    Section,
    Table,
)

# Each is shown somewhere in the document and must come out of every format unchanged.
HOSTILE = [
    "#set page(fill: red) $x^2$ *not bold* _not italic_ `raw`",
    "<script>alert('x')</script> & &amp; <b>",
    "@label [bracket] ] \\ backslash \\\\ two",
    "// not a comment /* nor this */ = not a heading",
    "- not a list + nor this 1. nor this ~ ' \" quotes",
]
TITLE = 'Audit <report> #1 & "quotes"'


def chart_question() -> dict:
    return {
        "key": "seen-alone",
        "text": "Was the child seen alone? <b>#x</b>",
        "n": 8,
        "options": [
            {"key": "yes", "label": "Yes & <ok>", "meaning": "positive", "count": 5,
             "percent": 62.5},
            {"key": "no", "label": "No #2", "meaning": "negative", "count": 2, "percent": 25.0},
            {"key": "na", "label": "Not applicable", "meaning": "not_applicable", "count": 1,
             "percent": 12.5},
        ],
    }  # fmt: skip


def every_block_document() -> Document:
    chart = question_chart(chart_question())
    return Document(
        title=TITLE,
        subtitle="Subtitle $ with ` odd * characters",
        author="Audit lead <lead>",
        partnership="Testshire & District SCP",
        date=datetime.date(2026, 5, 31),
        front=(Contents(),),
        sections=(
            Section(
                "Introduction #1",
                (
                    Paragraph.of(HOSTILE[0]),
                    Paragraph.of(
                        "Plain, ",
                        Run("bold ", bold=True),
                        Run("italic ", italic=True),
                        Run("a link", link="https://example.org/?a=1&b=<2>"),
                    ),
                    Heading("Terms [of] reference"),
                    BulletList.of(HOSTILE[1], "second bullet"),
                    NumberedList.of("first step", HOSTILE[2]),
                    Heading("Detail at level three", level=3),
                    NumberedList.of("again from one", "and two"),
                ),
            ),
            Section(
                "Findings",
                (
                    Table(
                        header=("Agency", "Returned", "Per cent"),
                        rows=(("Health <NHS>", "12", "80%"), (HOSTILE[3], "3", "20%")),
                        caption="Returns by agency & more",
                        numeric=(False, True, True),
                    ),
                    Chart(chart),
                    Quote(HOSTILE[4], attribution="Parent of Child C"),
                    PageBreak(),
                    Callout(
                        "A numbered panel",
                        (Paragraph.of("Panel text"), BulletList.of("panel bullet")),
                        number="01",
                    ),
                    Panels(
                        (
                            Callout("Left panel", (Paragraph.of("left"),), number="02"),
                            Callout("Right panel", (Paragraph.of("right"),), number="03"),
                        )
                    ),
                ),
            ),
        ),
    )
