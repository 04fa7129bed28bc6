import io

import docx
import pytest
from docx.oxml.ns import qn

from caseaudit.documents.docx import render_docx
from tests.documents.sample import HOSTILE, TITLE, every_block_document


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(render_docx(every_block_document())))


def _body_text(word) -> str:
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_it_sets_the_file_properties(word):
    properties = word.core_properties
    assert properties.title == TITLE
    assert properties.language == "en-GB"
    assert properties.author == "Audit lead <lead>"
    assert properties.subject == "Subtitle $ with ` odd * characters"
    lang = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"


def test_headings_use_word_heading_styles(word):
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Introduction #1"),
        ("Heading 2", "Terms [of] reference"),
        ("Heading 3", "Detail at level three"),
        ("Heading 1", "Findings"),
    ]
    # Callout titles are headings too, inside their box.
    callout_titles = [
        p.text
        for table in word.tables
        for p in table.rows[0].cells[0].paragraphs
        if p.style.name == "Heading 2"
    ]
    assert callout_titles == ["01 A numbered panel", "02 Left panel", "03 Right panel"]
    assert word.paragraphs[[p.style.name for p in word.paragraphs].index("Title")].text == TITLE


def test_lists_use_list_styles_and_each_numbered_list_restarts(word):
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert bullets == [HOSTILE[1], "second bullet"]
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["first step", HOSTILE[2], "again from one", "and two"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]


def test_tables_are_real_tables_with_a_repeating_header(word):
    table = word.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["Agency", "Returned", "Per cent"],
        ["Health <NHS>", "12", "80%"],
        [HOSTILE[3], "3", "20%"],
    ]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None
    assert header.get(qn("w:val")) == "true"
    assert table.rows[1].cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert "Table 1: Returns by agency & more" in [p.text for p in word.paragraphs]


def test_the_chart_is_a_png_with_its_alternative_text(word):
    [picture] = word.inline_shapes
    properties = picture._inline.docPr
    assert properties.get("descr") == (
        "Based on 8 returns. Yes & <ok>: 5 (62%); No #2: 2 (25%); Not applicable: 1 (12%)"
    )
    assert properties.get("title") == "Was the child seen alone? <b>#x</b> (% of returns)"
    blip = picture._inline.graphic.graphicData.pic.blipFill.blip
    assert word.part.related_parts[blip.embed].blob.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Figure 1: Was the child seen alone? <b>#x</b> (% of returns)" in _body_text(word)
    # The chart's data table follows it.
    assert ["Yes & <ok>", "62.5%"] in [[c.text for c in row.cells] for row in word.tables[1].rows]


def test_every_text_comes_out_as_written(word):
    text = _body_text(word)
    for hostile in HOSTILE:
        assert hostile in text


def test_the_link_is_a_hyperlink(word):
    [link] = word.element.body.iter(qn("w:hyperlink"))
    target = word.part.rels[link.get(qn("r:id"))].target_ref
    assert target == "https://example.org/?a=1&b=<2>"


def test_the_contents_is_a_word_field_updated_on_opening(word):
    instructions = [t.text for t in word.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC") for i in instructions)
    assert word.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_characters_xml_cannot_hold_are_left_out():
    from caseaudit.documents.model import Document, Paragraph, Section

    text = "pasted\x0bfrom\x0cWord\x00 and \x1f end"
    document = Document(title=text, sections=(Section(text, (Paragraph.of(text),)),))
    word = docx.Document(io.BytesIO(render_docx(document)))
    assert word.core_properties.title == "pastedfromWord and  end"
    assert "pastedfromWord and  end" in [p.text for p in word.paragraphs]
