"""One entry point for the three renderers: `render(document, fmt)` -> (bytes, content type,
file extension), the contract every generated file honours."""

from caseaudit.documents.docx import render_docx
from caseaudit.documents.html import render_html
from caseaudit.documents.model import Document
from caseaudit.documents.pdf import render_pdf

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


def render(document: Document, fmt: str) -> tuple[bytes, str, str]:
    if fmt == "html":
        content = render_html(document, standalone=True).encode()
    elif fmt == "docx":
        content = render_docx(document)
    elif fmt == "pdf":
        content = render_pdf(document)
    else:
        raise ValueError(f"Unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    content_type, extension = FORMATS[fmt]
    return content, content_type, extension
