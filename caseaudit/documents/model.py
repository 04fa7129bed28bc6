"""A publication as plain data: built once, rendered to HTML, DOCX and PDF.

Everything here is text and numbers. No block holds markup of any kind: bold and italic are
flags on a `Run`, links are a `Run` with an address, and every renderer escapes every string for
its own format. A document round-trips through JSON (`document_to_dict` / `document_from_dict`)
so a published version can keep the exact source it was rendered from.

Blocks:

- `Heading` (levels 2 and 3 inside a section; a `Section`'s title is level 1)
- `Paragraph` (runs of text: bold, italic, link)
- `BulletList`, `NumberedList` (each item is one line of runs)
- `Table` (header row, rows of text cells, caption, which columns are numeric)
- `Chart` (an analysis `QuestionChart`: title, alternative text, its data table)
- `Quote` (words and the pseudonym they are attributed to)
- `Callout` (a boxed panel with an optional number: the 7 Minute Briefing's panels, a finding)
- `Panels` (callouts side by side where the page allows)
- `PageBreak`, `Contents` (table of contents; page numbers in the PDF)
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Literal

from caseaudit.analysis.charts import QuestionChart
from caseaudit.population.charts import Bar

ALLOWED_LINK_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting. `link` is an http(s) or mailto address."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""

    def __post_init__(self):
        if self.link and not self.link.lower().startswith(ALLOWED_LINK_SCHEMES):
            raise ValueError(f"A link must start with one of {ALLOWED_LINK_SCHEMES}")


Inline = tuple[Run, ...]


def runs(*parts: "str | Run") -> Inline:
    """Text from plain strings and Runs: runs("In ", Run("88%", bold=True), " of cases")."""
    return tuple(part if isinstance(part, Run) else Run(part) for part in parts)


def plain_text(inline: Inline) -> str:
    return "".join(run.text for run in inline)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2

    def __post_init__(self):
        if self.level not in (2, 3):
            raise ValueError("A heading inside a section is level 2 or 3")


@dataclass(frozen=True)
class Paragraph:
    runs: Inline

    @classmethod
    def of(cls, *parts: "str | Run") -> "Paragraph":
        return cls(runs(*parts))


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]

    @classmethod
    def of(cls, *items: "str | Inline") -> "BulletList":
        return cls(tuple(runs(item) if isinstance(item, str) else item for item in items))


@dataclass(frozen=True)
class NumberedList:
    items: tuple[Inline, ...]

    @classmethod
    def of(cls, *items: "str | Inline") -> "NumberedList":
        return cls(tuple(runs(item) if isinstance(item, str) else item for item in items))


@dataclass(frozen=True)
class Table:
    """A data table. `numeric[i]` right-aligns column i (figures line up on their units)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()

    def __post_init__(self):
        width = len(self.header)
        if not width:
            raise ValueError("A table has at least one column")
        if any(len(row) != width for row in self.rows):
            raise ValueError("Every row of a table has as many cells as the header")
        if self.numeric and len(self.numeric) != width:
            raise ValueError("numeric has one flag per column")

    def is_numeric(self, column: int) -> bool:
        return bool(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Chart:
    """A chart of the analysis app with its numbers as a table (shown with the picture, so the
    figures are there without it). `table` defaults to the bars' labels and values."""

    chart: QuestionChart
    table: Table | None = None

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def alt(self) -> str:
        return self.chart.description

    def data_table(self) -> Table:
        if self.table is not None:
            return self.table
        return Table(
            header=("Answer", "Per cent"),
            rows=tuple((bar.label, f"{float(bar.value):g}%") for bar in self.chart.bars),
            caption=f"Figures for: {self.chart.title}",
            numeric=(False, True),
        )


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str = ""  # a pseudonym or a role ("Parent of Child C"), never a name


@dataclass(frozen=True)
class Callout:
    """A boxed panel: a title (shown as a heading), an optional number ("01") and content."""

    title: str
    blocks: tuple["CalloutBlock", ...]
    number: str = ""


@dataclass(frozen=True)
class Panels:
    """Callouts laid out side by side where the format has room (PDF and HTML: a grid)."""

    callouts: tuple[Callout, ...]
    columns: int = 2

    def __post_init__(self):
        if self.columns not in (1, 2, 3):
            raise ValueError("Panels are 1, 2 or 3 columns wide")


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Contents:
    title: str = "Contents"
    depth: int = 2


CalloutBlock = Paragraph | BulletList | NumberedList | Table | Quote
Block = (
    Heading
    | Paragraph
    | BulletList
    | NumberedList
    | Table
    | Chart
    | Quote
    | Callout
    | Panels
    | PageBreak
    | Contents
)


@dataclass(frozen=True)
class Section:
    """A top-level part of a document; its title is a level 1 heading."""

    title: str
    blocks: tuple[Block, ...] = ()

    def __post_init__(self):
        # Tagged PDF (PDF/UA) and screen readers need heading levels without gaps.
        level = 1
        for block in self.blocks:
            if isinstance(block, Heading):
                if block.level > level + 1:
                    raise ValueError(
                        f"Heading {block.text!r} is level {block.level} after level {level}"
                    )
                level = block.level
            elif isinstance(block, Callout | Panels):
                level = 2


@dataclass(frozen=True)
class Document:
    """`style` "report" starts with a cover page and starts each section on a new page;
    "briefing" is compact: a title band and the sections straight after."""

    title: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    author: str = ""
    partnership: str = ""
    date: datetime.date | None = None
    language: str = "en-GB"
    style: Literal["report", "briefing"] = "report"
    front: tuple[Block, ...] = field(default=())  # blocks before the first section (contents)

    def __post_init__(self):
        if "-" not in self.language:
            raise ValueError('language is a tag such as "en-GB"')
        if self.style not in ("report", "briefing"):
            raise ValueError('style is "report" or "briefing"')

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every heading in order: what a table of contents lists."""
        found = []
        for section in self.sections:
            found.append((1, section.title))
            for block in section.blocks:
                if isinstance(block, Heading):
                    found.append((block.level, block.text))
                elif isinstance(block, Callout):
                    found.append((2, callout_heading(block)))
                elif isinstance(block, Panels):
                    found.extend((2, callout_heading(callout)) for callout in block.callouts)
        return found

    def charts(self) -> list[Chart]:
        return [block for _, block in self.walk() if isinstance(block, Chart)]

    def walk(self):
        """(section or None, block) for every block, callouts' contents included."""
        for block in self.front:
            yield None, block
        for section in self.sections:
            for block in section.blocks:
                yield section, block
                if isinstance(block, Panels):
                    callouts = block.callouts
                elif isinstance(block, Callout):
                    callouts = (block,)
                else:
                    callouts = ()
                for callout in callouts:
                    if callout is not block:
                        yield section, callout
                    for child in callout.blocks:
                        yield section, child


def callout_heading(callout: Callout) -> str:
    return f"{callout.number} {callout.title}".strip()


# Fields that name a setting rather than hold text people read.
_NOT_TEXT = frozenset({"language", "style", "chart_id", "colour"})


def map_text(value: Any, change: Callable[[str], str]) -> Any:
    """`value` (a document or any part of it) with `change` applied to every text in it:
    paragraphs, titles, captions, cells, link addresses, chart labels and descriptions alike
    (not the settings in _NOT_TEXT)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(map_text(item, change) for item in value)
    if hasattr(value, "__dataclass_fields__"):
        changed = {
            item.name: map_text(getattr(value, item.name), change)
            for item in fields(value)
            if item.name not in _NOT_TEXT
        }
        return replace(value, **changed)
    return value


# JSON: every dataclass becomes {"type": name, ...fields}; dates as ISO strings.

_TYPES = {
    cls.__name__: cls
    for cls in (
        Run,
        Heading,
        Paragraph,
        BulletList,
        NumberedList,
        Table,
        Chart,
        Quote,
        Callout,
        Panels,
        PageBreak,
        Contents,
        Section,
        Document,
        QuestionChart,
        Bar,
    )
}


def _encode(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if type(value).__name__ in _TYPES and hasattr(value, "__dataclass_fields__"):
        encoded = {"type": type(value).__name__}
        for item in fields(value):
            encoded[item.name] = _encode(getattr(value, item.name))
        return encoded
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if isinstance(value, dict):
        cls = _TYPES[value["type"]]
        kwargs = {key: _decode(item) for key, item in value.items() if key != "type"}
        if cls is Document and kwargs.get("date"):
            kwargs["date"] = datetime.date.fromisoformat(kwargs["date"])
        if cls is Table:
            kwargs["header"] = tuple(kwargs["header"])
        return cls(**kwargs)
    return value


def document_to_dict(document: Document) -> dict:
    """The document as JSON-ready data (what a published version stores as its source)."""
    return _encode(document)


def document_from_dict(data: dict) -> Document:
    document = _decode(data)
    if not isinstance(document, Document):
        raise ValueError("Not a document")
    return document
