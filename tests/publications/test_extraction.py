"""Text out of files: every place in a DOCX or PDF where a name can hide."""

import io
import re

import docx
import pytest
from docx.oxml import parse_xml

from caseaudit.publications.extraction import (
    UnreadableFile,
    extract_texts,
    extract_texts_from_bytes,
    html_text,
)
from tests.publications.files import make_docx, make_pdf


def texts(parts) -> dict[str, str]:
    return {location: text for location, text in parts if text}


def test_a_docx_gives_paragraphs_tables_headers_footers_properties_and_alt_text():
    content = make_docx(
        paragraphs=["First finding.", "Second finding about Jasper."],
        table=[["Child", "Grade"], ["Child A", "Good"]],
        header="Header words",
        footer="Footer words",
        title="The title",
        author="The author",
        comments="The comments",
        alt_text="A chart of the grades",
    )
    found = texts(extract_texts_from_bytes(content, "report.docx"))
    assert found["paragraph 3"] == "Second finding about Jasper."
    assert found["table 1, row 2, cell 1"] == "Child A"
    assert found["section 1 header, paragraph 1"] == "Header words"
    assert found["section 1 footer, paragraph 1"] == "Footer words"
    assert found["document property title"] == "The title"
    assert found["document property author"] == "The author"
    assert found["document property comments"] == "The comments"
    assert found["image 1 alt text"] == "A chart of the grades"


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_docx_gives_tracked_changes_and_hyperlinked_text():
    document = docx.Document()
    paragraph = document.add_paragraph("Kept ")
    paragraph._p.append(
        parse_xml(f'<w:ins {W} w:id="1" w:author="x"><w:r><w:t>inserted</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="x"><w:r><w:delText> deleted</w:delText></w:r></w:del>'
        )
    )
    out = io.BytesIO()
    document.save(out)
    found = texts(extract_texts_from_bytes(out.getvalue(), "tracked.docx"))
    assert found["paragraph 1"] == "Kept inserted deleted"


def test_a_pdf_gives_each_page_and_its_document_information():
    content = make_pdf([["Page one (text)"], ["Page two"]], title="Report title", author="Lead")
    found = texts(extract_texts_from_bytes(content, "report.pdf"))
    assert found["page 1"].strip() == "Page one (text)"
    assert found["page 2"].strip() == "Page two"
    assert found["document property title"] == "Report title"
    assert found["document property author"] == "Lead"


def test_a_docx_gives_comments_text_boxes_and_link_targets():
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document()
    paragraph = document.add_paragraph("Commented on")
    document.add_comment(paragraph.runs, text="Check with the school", author="Reviewer")
    box = document.add_paragraph()
    box._p.append(
        parse_xml(
            f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Words in a box</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )
    r_id = document.part.relate_to("mailto:carer@example.org", RT.HYPERLINK, is_external=True)
    link = document.add_paragraph()
    link._p.append(
        parse_xml(
            f'<w:hyperlink {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships" r:id="{r_id}"><w:r><w:t>email the carer</w:t></w:r></w:hyperlink>'
        )
    )
    out = io.BytesIO()
    document.save(out)
    parts = extract_texts_from_bytes(out.getvalue(), "notes.docx")
    found = texts(parts)
    assert found["comments, paragraph 1"] == "Check with the school"
    assert found["text box 1, paragraph 1"] == "Words in a box"
    assert "paragraph 2" not in found  # the paragraph holding the box has no text of its own
    assert found["paragraph 3"] == "email the carer"
    assert ("link", "mailto:carer@example.org") in parts
    # the box's words are reported once, in the box, not in the paragraph that anchors it
    assert sum("Words in a box" in text for _, text in parts) == 1


def test_a_pdf_gives_alt_text_bookmarks_and_links():
    content = make_pdf(
        [["A chart"]],
        alt_text="Bar chart of grades for Child A",
        link="mailto:family@example.org",
        bookmark="Findings",
    )
    parts = extract_texts_from_bytes(content, "chart.pdf")
    assert ("alt text", "Bar chart of grades for Child A") in parts
    assert ("page 1 link", "mailto:family@example.org") in parts
    assert ("bookmark", "Findings") in parts


def test_html_loses_its_tags_but_keeps_words_apart_and_alt_text():
    text = html_text(
        "<p>Ottoline</p><p>Brackenbury &amp; co</p><script>var x = 'Secret';</script>"
        '<img alt="Photo of Jasper" src="x.png">'
    )
    assert re.search(r"Ottoline\s+Brackenbury & co", text)
    assert "Secret" not in text
    assert "Photo of Jasper" in text


def test_text_files_are_one_text_each(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nLine two", encoding="utf-8")
    assert extract_texts(path) == [("", "# Notes\n\nLine two")]
    legacy = tmp_path / "old.txt"
    legacy.write_bytes("Zo\xeb".encode("cp1252"))
    assert extract_texts(legacy) == [("", "Zoë")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx: is not a valid DOCX file"),
        ("broken.pdf", b"%PDF-1.4 nothing else", "broken.pdf: is not a valid PDF file"),
        ("fake.pdf", b"hello", "fake.pdf: is not a valid PDF file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.png: is not a text, DOCX or PDF"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(name, content, message):
    with pytest.raises(UnreadableFile, match=message):
        extract_texts_from_bytes(content, name)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(UnreadableFile, match=r"missing\.txt: cannot be read"):
        extract_texts(tmp_path / "missing.txt")
