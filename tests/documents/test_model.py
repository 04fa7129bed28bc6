import json

import pytest

from caseaudit.documents.model import (
    Document,
    Heading,
    Run,
    Section,
    Table,
    document_from_dict,
    document_to_dict,
)
from caseaudit.documents.samples import sample_full_report
from tests.documents.sample import every_block_document


@pytest.mark.parametrize("build", [every_block_document, sample_full_report])
def test_a_document_round_trips_through_json(build):
    document = build()
    stored = json.dumps(document_to_dict(document))
    assert document_from_dict(json.loads(stored)) == document


def test_headings_may_not_skip_a_level():
    with pytest.raises(ValueError, match="level 3 after level 1"):
        Section("Findings", (Heading("Too deep", level=3),))


def test_only_web_and_mail_links():
    with pytest.raises(ValueError, match="link must start"):
        Run("click", link="javascript:alert(1)")
    assert Run("mail", link="mailto:qa@example.org").link


def test_table_rows_match_the_header():
    with pytest.raises(ValueError, match="as many cells"):
        Table(header=("a", "b"), rows=(("1",),))


def test_headings_lists_what_a_contents_shows():
    document = every_block_document()
    assert document.headings() == [
        (1, "Introduction #1"),
        (2, "Terms [of] reference"),
        (3, "Detail at level three"),
        (1, "Findings"),
        (2, "01 A numbered panel"),
        (2, "02 Left panel"),
        (2, "03 Right panel"),
    ]
    assert len(document.charts()) == 1


def test_a_document_needs_a_language_tag():
    with pytest.raises(ValueError, match="language"):
        Document(title="x", sections=(), language="english")


def test_printable_text_drops_controls_and_keeps_lines():
    from caseaudit.documents.common import printable_text

    assert printable_text("a\r\nb\rc\nd\te\x0bf\x00g\x85h\ud800i") == "a\nb\nc\nd\tefghi"


def test_map_text_reaches_every_string():
    from caseaudit.documents.model import map_text

    shouted = map_text(every_block_document(), str.upper)
    assert shouted.title == 'AUDIT <REPORT> #1 & "QUOTES"'
    assert shouted.charts()[0].chart.bars[0].label == "YES & <OK>"
    assert all(text == text.upper() for _, text in shouted.headings())


def test_the_model_refuses_shapes_no_renderer_can_draw():
    from caseaudit.documents.model import Panels

    with pytest.raises(ValueError, match="at least one column"):
        Table(header=(), rows=())
    with pytest.raises(ValueError, match="1, 2 or 3"):
        Panels((), columns=4)
    with pytest.raises(ValueError, match="style"):
        Document(title="x", sections=(), style="poster")


def test_map_text_leaves_settings_alone():
    from caseaudit.documents.model import map_text

    shouted = map_text(every_block_document(), str.upper)
    assert (shouted.language, shouted.style) == ("en-GB", "report")
    assert shouted.charts()[0].chart.chart_id == "chart-seen-alone"
    assert shouted.charts()[0].chart.bars[0].colour == "#1d70b8"
