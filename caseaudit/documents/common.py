"""Small helpers every renderer shares."""

import datetime
import re

from caseaudit.documents import model


class HeadingIds:
    """Stable, unique anchor ids for headings in document order ("section-1-introduction")."""

    def __init__(self):
        self.count = 0

    def next(self, text: str) -> str:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
        return f"h{self.count}-{slug}" if slug else f"h{self.count}"


# Characters no renderer can show: C0 and C1 controls other than tab and newline, lone
# surrogates, U+FFFE and U+FFFF. Text pasted from elsewhere does carry them (a vertical tab from
# Word, a form feed); XML (DOCX) cannot hold most of them and Typst has no glyph for them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable_text(text: str) -> str:
    """`text` without the characters above, its line ends as newlines."""
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def printable(document: model.Document) -> model.Document:
    """The document with every string made printable: what every renderer starts from."""
    return model.map_text(document, printable_text)


def display_date(date: datetime.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else ""


def byline(document: model.Document) -> str:
    """ "Author · 3 December 2026": who wrote it and when, as the cover and the preview show it."""
    return " · ".join(part for part in (document.author, display_date(document.date)) if part)
