"""Real files for the privacy check: DOCX made with python-docx, PDF written by hand (the
smallest valid PDF with text: a catalogue, one page per list item, Helvetica, an xref table)."""

import io
import struct
import zlib

import docx
from docx.oxml.ns import qn


def nhs_number(first_nine: str) -> str:
    """`first_nine` with its modulus-11 check digit (the test picks prefixes that have one)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    assert check != 10, f"{first_nine} has no valid check digit"
    return first_nine + str(check)


def bad_check_digit(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


def tiny_png() -> bytes:
    """A 1 x 1 white PNG, for a picture with alt text."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_docx(
    *,
    paragraphs=(),
    table=(),
    header="",
    footer="",
    title="",
    author="",
    comments="",
    alt_text="",
) -> bytes:
    document = docx.Document()
    document.add_heading("Learning from the audit", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if alt_text:
        shape = document.add_picture(io.BytesIO(tiny_png()))
        shape._inline.find(qn("wp:docPr")).set("descr", alt_text)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.comments = comments
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def make_pdf(
    pages: list[list[str]],
    *,
    title: str = "",
    author: str = "",
    alt_text: str = "",
    link: str = "",
    bookmark: str = "",
) -> bytes:
    """A PDF with one page per item of `pages`, each line of text on its own line; with
    `alt_text` a structure tree holding one figure with that /Alt, with `link` a link
    annotation on the first page, with `bookmark` one outline item."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the pages are numbered
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = b"BT /F1 11 Tf 72 760 Td 14 TL\n"
        for line in lines:
            stream += _pdf_string(line) + b" Tj T*\n"
        stream += b"ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    extra = b""
    if alt_text:
        figure = add(b"<< /Type /StructElem /S /Figure /Alt " + _pdf_string(alt_text) + b" >>")
        tree = add(b"<< /Type /StructTreeRoot /K [%d 0 R] >>" % figure)
        extra += b" /StructTreeRoot %d 0 R /MarkInfo << /Marked true >>" % tree
    if bookmark:
        outlines = add(b"")
        item = add(
            b"<< /Title "
            + _pdf_string(bookmark)
            + b" /Parent %d 0 R /Dest [%d 0 R /Fit] >>" % (outlines, kids[0])
        )
        objects[outlines - 1] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 1 >>" % (
            item,
            item,
        )
        extra += b" /Outlines %d 0 R" % outlines
    if link:
        annotation = add(
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
            b"/A << /S /URI /URI " + _pdf_string(link) + b" >> >>"
        )
        page = objects[kids[0] - 1]
        objects[kids[0] - 1] = page[:-2] + b" /Annots [%d 0 R] >>" % annotation
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, extra)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = add(b"<< /Title " + _pdf_string(title) + b" /Author " + _pdf_string(author) + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()
