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


def display_date(date: datetime.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else ""


def byline(document: model.Document) -> str:
    """ "Author · 3 December 2026": who wrote it and when, as the cover and the preview show it."""
    return " · ".join(part for part in (document.author, display_date(document.date)) if part)
