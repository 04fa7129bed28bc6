"""`document_texts` lists every text a reader of the document sees: the privacy check scans
exactly what is published."""

import datetime

from caseaudit.analysis.charts import QuestionChart
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
    map_text,
)
from caseaudit.population.charts import Bar
from caseaudit.publications.document_texts import document_texts


def every_block_document() -> Document:
    chart = QuestionChart(
        chart_id="chart-1",
        title="chart title text",
        description="chart alt text",
        bars=(Bar("bar label text", 60), Bar("second bar text", 40)),
    )
    table = Table(
        header=("header text", "Count"),
        rows=(("cell text", "3"),),
        caption="caption text",
        numeric=(False, True),
    )
    return Document(
        title="document title text",
        subtitle="subtitle text",
        author="author text",
        partnership="partnership text",
        date=datetime.date(2026, 12, 1),
        front=(Contents("contents title text"),),
        sections=(
            Section(
                "section title text",
                (
                    Heading("heading text"),
                    Heading("subheading text", level=3),
                    Paragraph.of(
                        "paragraph text ", Run("bold text", bold=True), Run("italic", italic=True)
                    ),
                    Paragraph.of(Run("link text", link="https://example.org/link-address")),
                    BulletList.of("bullet item text", "second bullet text"),
                    NumberedList.of("numbered item text"),
                    table,
                    Chart(chart),
                    Quote("quote text", "attribution text"),
                    PageBreak(),
                    Callout("callout title text", (Paragraph.of("callout paragraph text"),), "01"),
                    Panels(
                        (
                            Callout("panel one title", (BulletList.of("panel bullet text"),)),
                            Callout(
                                "panel two title",
                                (Quote("panel quote text", "panel attribution"), table),
                                "02",
                            ),
                        )
                    ),
                ),
            ),
            Section("second section text", (Chart(chart, table=table),)),
        ),
    )


def strings_in(document: Document) -> set[str]:
    found = set()

    def collect(text: str) -> str:
        found.add(text)
        return text

    map_text(document, collect)
    return {text for text in found if text.strip()}


def test_every_string_of_every_block_type_is_scanned():
    document = every_block_document()
    scanned = " | ".join(text for _, text in document_texts(document))
    missing = sorted(text for text in strings_in(document) if text not in scanned)
    assert missing == []
    # The chart's own figures table (what the renderers print under the chart) is scanned too.
    assert "60%" in scanned


def test_locations_say_where_each_text_is():
    texts = document_texts(every_block_document())
    where = {}
    for location, text in texts:
        where.setdefault(text, location)  # the first place each text is
    assert where["document title text"] == "Cover, title"
    assert where["contents title text"] == "Front, contents"
    assert where["paragraph text bold textitalic"] == "section title text, paragraph 1"
    assert where["https://example.org/link-address"] == "section title text, paragraph 2, link"
    assert where["second bullet text"] == "section title text, list 1, item 2"
    assert where["cell text"] == "section title text, table 1, row 1, column 1"
    assert where["chart alt text"] == "section title text, chart 1, description"
    assert where["attribution text"] == "section title text, quote 1, attribution"
    assert (
        where["callout paragraph text"] == "section title text, 01 callout title text, paragraph 1"
    )
    assert where["panel quote text"] == "section title text, 02 panel two title, quote 1"


def test_invisible_characters_do_not_hide_a_text():
    document = Document(
        title="T",
        sections=(Section("S", (Paragraph.of("Otto\u200bline Brack\u00adenbury"),)),),
    )
    assert ("S, paragraph 1", "Ottoline Brackenbury") in document_texts(document)
