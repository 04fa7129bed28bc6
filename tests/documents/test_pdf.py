import io

import pypdf
import pytest

from caseaudit.documents.pdf import render_pdf, typst_source, typst_string
from caseaudit.documents.samples import sample_seven_minute_briefing
from tests.documents.sample import HOSTILE, TITLE, every_block_document


def _structure(reader: pypdf.PdfReader) -> list[dict]:
    """Every structure element of the tagged PDF: its type and its alternative text."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
            return
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/S" in node:
            found.append({"type": str(node["/S"]), "alt": node.get("/Alt")})
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture(scope="module")
def rendered():
    pdf = render_pdf(every_block_document())
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # Typst puts a no-break space in "Figure 1" and "Table 1".
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    return pdf, reader, text


def test_it_sets_title_language_and_author(rendered):
    _, reader, _ = rendered
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == "Audit lead <lead>"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_it_is_tagged_and_claims_pdf_ua(rendered):
    _, reader, _ = rendered
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata


def test_headings_are_tagged_by_level(rendered):
    _, reader, text = rendered
    types = [element["type"] for element in _structure(reader)]
    for level in ("/H1", "/H2", "/H3"):
        assert level in types
    for heading in ("Introduction #1", "Terms [of] reference", "Detail at level three",
                    "Findings", "01  A numbered panel"):  # fmt: skip
        assert heading in text


def test_lists_tables_quotes_and_contents_are_tagged(rendered):
    _, reader, _ = rendered
    types = {element["type"] for element in _structure(reader)}
    assert {"/L", "/LI", "/Table", "/THead", "/TH", "/TD", "/BlockQuote", "/TOC", "/Link"} <= types


def test_the_chart_is_a_figure_with_its_alternative_text(rendered):
    _, reader, text = rendered
    figures = [element for element in _structure(reader) if element["type"] == "/Figure"]
    assert [str(figure["alt"]) for figure in figures] == [
        "Based on 8 returns. Yes & <ok>: 5 (62%); No #2: 2 (25%); Not applicable: 1 (12%)"
    ]
    assert "Figure 1: Was the child seen alone? <b>#x</b> (% of returns)" in text
    assert "/Table" in [element["type"] for element in _structure(reader)]


def test_the_contents_has_page_numbers(rendered):
    _, _, text = rendered
    contents = text[text.index("Contents") : text.index("Page 2 of")]
    assert [line.rsplit(" ", 1)[-1] for line in contents.splitlines()[1:]] == [
        "3", "3", "4", "5", "5", "5",
    ]  # fmt: skip


def test_every_hostile_string_comes_out_as_written(rendered):
    _, _, text = rendered
    for hostile in HOSTILE:
        assert hostile in text
    assert TITLE in text


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("line\nbreak\ttab\rreturn", '"line\\nbreak\\ttab\\rreturn"'),
        ("bell\x07 del\x7f sep\u2028", '"bell\\u{7} del\\u{7f} sep\\u{2028}"'),
        ("#$*_`<>@[]//*~=-+", '"#$*_`<>@[]//*~=-+"'),
        ("lone \ud800 surrogate", '"lone \ufffd surrogate"'),
    ],
)
def test_typst_string_escapes(text, literal):
    assert typst_string(text) == literal


@pytest.mark.parametrize(
    "hostile",
    [
        *HOSTILE,
        '"); #panic("injected") //',
        '\\"#panic("x")',
        "]#panic[x]",
        "*/ #panic() /*",
        "here, é ü ß — “curly” \u2018single\u2019 …",
    ],
)
def test_hostile_text_cannot_escape_its_string(hostile):
    from caseaudit.documents.model import Document, Paragraph, Section

    document = Document(title=hostile, sections=(Section(hostile, (Paragraph.of(hostile),)),))
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(document)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == hostile
    assert text.count(hostile) >= 2  # the heading and the paragraph


def test_the_source_holds_document_text_only_as_string_literals():
    source = typst_source(every_block_document())
    for hostile in HOSTILE:
        assert typst_string(hostile) in source


def test_the_briefing_fits_on_two_pages():
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(sample_seven_minute_briefing())))
    assert len(reader.pages) <= 2
    text = "".join(page.extract_text() for page in reader.pages)
    for number in ("01", "02", "03", "04", "05", "06", "07"):
        assert number in text


def test_control_characters_do_not_stop_the_pdf():
    from caseaudit.documents.model import Document, Paragraph, Section

    text = "pasted\x0bfrom\x0cWord\x00 and \x1f end"
    document = Document(title="Controls", sections=(Section("Controls", (Paragraph.of(text),)),))
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(document)))
    assert "end" in reader.pages[-1].extract_text()
