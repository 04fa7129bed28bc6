"""The text of a file, as (location, text) pairs for the privacy check.

Plain text, Markdown and HTML are one text each (location "", so hits are placed by line). A
DOCX gives every paragraph of the body, its tables, text boxes, headers and footers, footnotes,
endnotes and comments (tracked insertions and deletions included: a deleted name is still in the
file), the alt text of its images, its link targets and its document properties. A PDF gives
the text of every page, its document information, bookmarks, annotations and the alternative
text of its tagged structure.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

TextParts = list[tuple[str, str]]


class UnreadableFile(Exception):
    """The file cannot be read as text, DOCX or PDF; the message says why, for a person."""


def extract_texts(path: str | Path) -> TextParts:
    """The texts of the file at `path`, by what the file is (not only what it is called)."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot be read ({error.strerror or error})") from error
    return extract_texts_from_bytes(content, path.name)


def extract_texts_from_bytes(content: bytes, name: str) -> TextParts:
    suffix = Path(name).suffix.lower()
    if content.startswith(b"%PDF-"):
        return pdf_texts(content, name)
    if content.startswith(b"PK\x03\x04"):
        return docx_texts(content, name)
    if suffix in (".pdf", ".docx"):
        raise UnreadableFile(f"{name}: is not a valid {suffix[1:].upper()} file")
    text = _decode(content, name)
    if suffix in (".html", ".htm", ".xhtml"):
        return [("", html_text(text))]
    return [("", text)]


def _decode(content: bytes, name: str) -> str:
    if b"\x00" in content[:4096]:
        raise UnreadableFile(f"{name}: is not a text, DOCX or PDF file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Windows' own encoding, which Word's "plain text" saves in by default
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{name}: is not a text, DOCX or PDF file") from error


# --- HTML --------------------------------------------------------------------------------------


class _TextOfHtml(HTMLParser):
    """Text with every tag replaced by a space (so words either side stay apart and lines stay
    where they were); script and style left out; alt and title attributes kept."""

    SKIP = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts.append(" ")
        for key, value in attrs:
            if key in ("alt", "title", "aria-label") and value:
                self.parts.append(f"{value} ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


# --- DOCX --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W = f"{{{W}}}"
_TEXT_TAGS = {f"{_W}t", f"{_W}delText", f"{_W}instrText"}
_BREAK_TAGS = {f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}tab": "\t", f"{_W}noBreakHyphen": "-"}
_TEXT_BOX = f"{_W}txbxContent"


def _paragraph_text(p) -> str:
    """All the text of a w:p: runs anywhere inside it (hyperlinks, tracked insertions and
    deletions, content controls, fields), but not the paragraphs of a text box anchored in it,
    which are reported on their own."""
    out: list[str] = []

    def walk(element):
        for child in element:
            tag = child.tag
            if tag == _TEXT_BOX or not isinstance(tag, str):
                continue
            if tag in _TEXT_TAGS:
                out.append(child.text or "")
            elif tag in _BREAK_TAGS:
                out.append(_BREAK_TAGS[tag])
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _story_texts(root, prefix: str) -> TextParts:
    """Paragraphs and tables of a body, header, footer or note part, in order, then its text
    boxes. Locations: "{prefix}paragraph 3", "{prefix}table 1, row 2, cell 1"."""
    parts: TextParts = []
    paragraph = table = 0

    def cells(tbl, where: str):
        for r, tr in enumerate(tbl.iterfind(f"{_W}tr"), start=1):
            for c, tc in enumerate(tr.iterfind(f"{_W}tc"), start=1):
                cell = f"{where}, row {r}, cell {c}"
                for block in tc:
                    if block.tag == f"{_W}p":
                        parts.append((cell, _paragraph_text(block)))
                    elif block.tag == f"{_W}tbl":
                        cells(block, f"{cell}, table")

    def blocks(container):
        nonlocal paragraph, table
        for block in container:
            if block.tag == f"{_W}p":
                paragraph += 1
                parts.append((f"{prefix}paragraph {paragraph}", _paragraph_text(block)))
            elif block.tag == f"{_W}tbl":
                table += 1
                cells(block, f"{prefix}table {table}")
            elif block.tag in (f"{_W}sdt", f"{_W}customXml"):
                content = block.find(f"{_W}sdtContent")
                blocks(content if content is not None else block)

    blocks(root)
    for box, content in enumerate(root.iter(_TEXT_BOX), start=1):
        for n, p in enumerate(content.iter(f"{_W}p"), start=1):
            parts.append((f"{prefix}text box {box}, paragraph {n}", _paragraph_text(p)))
    return parts


def docx_texts(content: bytes, name: str) -> TextParts:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise UnreadableFile(f"{name}: is not a valid DOCX file ({error})") from error
    except Exception as error:  # python-docx raises its own errors for other packages
        raise UnreadableFile(f"{name}: is not a valid DOCX file ({error})") from error

    parts = _story_texts(document.element.body, "")
    seen = set()
    for s, section in enumerate(document.sections, start=1):
        for label, attribute in (
            ("header", "header"),
            ("first page header", "first_page_header"),
            ("even page header", "even_page_header"),
            ("footer", "footer"),
            ("first page footer", "first_page_footer"),
            ("even page footer", "even_page_footer"),
        ):
            story = getattr(section, attribute)
            if story.is_linked_to_previous:
                continue
            element = story._element  # the w:hdr / w:ftr of this section's own part
            if id(element) in seen:
                continue
            seen.add(id(element))
            parts.extend(_story_texts(element, f"section {s} {label}, "))

    note_parts = {
        "/word/footnotes.xml": "footnotes",
        "/word/endnotes.xml": "endnotes",
        "/word/comments.xml": "comments",
    }
    images = 0
    for part in document.part.package.iter_parts():
        label = note_parts.get(str(part.partname))
        if label:
            root = getattr(part, "_element", None)
            if root is None:
                root = etree.fromstring(part.blob, _safe_parser())
            for n, p in enumerate(root.iter(f"{_W}p"), start=1):
                parts.append((f"{label}, paragraph {n}", _paragraph_text(p)))
        if str(part.partname).startswith("/word/") and part.partname.endswith(".xml"):
            root = getattr(part, "_element", None)
            if root is None:
                continue
            for doc_pr in root.iter(f"{{{WP}}}docPr"):
                images += 1
                for attribute in ("descr", "title"):
                    if doc_pr.get(attribute):
                        parts.append((f"image {images} alt text", doc_pr.get(attribute)))
        for rel in part.rels.values():
            if rel.reltype == RT.HYPERLINK and rel.is_external:
                parts.append(("link", rel.target_ref))

    properties = document.core_properties
    for label in (
        "title",
        "subject",
        "author",
        "keywords",
        "comments",
        "category",
        "last_modified_by",
        "content_status",
        "identifier",
    ):
        value = getattr(properties, label, "")
        if value:
            parts.append((f"document property {label.replace('_', ' ')}", str(value)))
    return parts


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# --- PDF ---------------------------------------------------------------------------------------


def pdf_texts(content: bytes, name: str) -> TextParts:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(f"{name}: is a password-protected PDF")
        parts: TextParts = [
            (f"page {n}", page.extract_text() or "") for n, page in enumerate(reader.pages, 1)
        ]
        metadata = reader.metadata or {}
        for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator"):
            value = metadata.get(key)
            if value:
                parts.append((f"document property {key[1:].lower()}", str(value)))
        parts.extend(_pdf_bookmarks(reader.outline))
        for n, page in enumerate(reader.pages, 1):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                for key in ("/Contents", "/T"):
                    if annotation.get(key):
                        parts.append((f"page {n} annotation", str(annotation[key])))
                action = annotation.get("/A")
                if action is not None and action.get_object().get("/URI"):
                    parts.append((f"page {n} link", str(action.get_object()["/URI"])))
        root = reader.trailer["/Root"]
        if "/StructTreeRoot" in root:
            parts.extend(_pdf_alt_texts(root["/StructTreeRoot"]))
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise UnreadableFile(f"{name}: is not a valid PDF file ({error})") from error
    return parts


def _pdf_bookmarks(outline, found: TextParts | None = None) -> TextParts:
    found = [] if found is None else found
    for item in outline or []:
        if isinstance(item, list):
            _pdf_bookmarks(item, found)
        elif getattr(item, "title", None):
            found.append(("bookmark", str(item.title)))
    return found


def _pdf_alt_texts(tree, limit: int = 20000) -> TextParts:
    """/Alt and /ActualText of the tagged structure (a chart's alt text, say), without
    recursion so a deep or looping tree cannot exhaust the stack."""
    found: TextParts = []
    stack, seen = [tree], set()
    while stack and len(seen) < limit:
        node = stack.pop()
        ref = getattr(node, "indirect_reference", None)
        node = node.get_object()
        key = (ref.idnum, ref.generation) if ref is not None else id(node)
        if key in seen:
            continue
        seen.add(key)
        if isinstance(node, dict):
            for attribute in ("/Alt", "/ActualText"):
                if node.get(attribute):
                    found.append(("alt text", str(node[attribute])))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                stack.extend(reversed(kids) if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found
