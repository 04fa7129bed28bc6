"""Every text of a Document as (location, text) pairs: what the privacy check scans before a
version is published, so it reads exactly what the renderers print.

A location names where the text is, in words the audit lead can find in the preview:
"Findings, paragraph 2", "Methodology, table 1, row 3, column 2", "Cover: title". The walk
follows the model in caseaudit/documents/model.py; `test_document_texts` builds a document with
every block type and checks that each of its strings is listed."""

import unicodedata

from caseaudit.analysis.charts import QuestionChart
from caseaudit.documents import model
from caseaudit.documents.common import printable


def _inline(inline: model.Inline) -> str:
    return model.plain_text(inline)


def _table(where: str, table: model.Table) -> list[tuple[str, str]]:
    texts = []
    if table.caption:
        texts.append((f"{where}, caption", table.caption))
    for column, cell in enumerate(table.header, start=1):
        texts.append((f"{where}, heading of column {column}", cell))
    for number, row in enumerate(table.rows, start=1):
        for column, cell in enumerate(row, start=1):
            texts.append((f"{where}, row {number}, column {column}", cell))
    return texts


def _chart(where: str, chart: model.Chart) -> list[tuple[str, str]]:
    question: QuestionChart = chart.chart
    texts = [(f"{where}, title", question.title), (f"{where}, description", question.description)]
    for number, bar in enumerate(question.bars, start=1):
        texts.append((f"{where}, bar {number}", bar.label))
    texts += _table(f"{where}, figures", chart.data_table())
    return texts


def _links(where: str, inline: model.Inline) -> list[tuple[str, str]]:
    return [(f"{where}, link", run.link) for run in inline if run.link]


class _Counter:
    """Numbers blocks of each kind inside one container ("paragraph 3")."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]


def _blocks(where: str, blocks) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    counter = _Counter()
    for block in blocks:
        texts += _block(where, block, counter)
    return texts


def _block(where: str, block, counter: _Counter) -> list[tuple[str, str]]:
    if isinstance(block, model.Heading):
        return [(f"{where}, heading {counter.next('heading')}", block.text)]
    if isinstance(block, model.Paragraph):
        at = f"{where}, paragraph {counter.next('paragraph')}"
        return [(at, _inline(block.runs)), *_links(at, block.runs)]
    if isinstance(block, model.BulletList | model.NumberedList):
        at = f"{where}, list {counter.next('list')}"
        texts = []
        for number, item in enumerate(block.items, start=1):
            texts.append((f"{at}, item {number}", _inline(item)))
            texts += _links(f"{at}, item {number}", item)
        return texts
    if isinstance(block, model.Table):
        return _table(f"{where}, table {counter.next('table')}", block)
    if isinstance(block, model.Chart):
        return _chart(f"{where}, chart {counter.next('chart')}", block)
    if isinstance(block, model.Quote):
        at = f"{where}, quote {counter.next('quote')}"
        texts = [(at, block.text)]
        if block.attribution:
            texts.append((f"{at}, attribution", block.attribution))
        return texts
    if isinstance(block, model.Callout):
        return _callout(where, block, counter)
    if isinstance(block, model.Panels):
        texts = []
        for callout in block.callouts:
            texts += _callout(where, callout, counter)
        return texts
    if isinstance(block, model.Contents):
        return [(f"{where}, contents", block.title)]
    return []  # PageBreak: no text


def _callout(where: str, callout: model.Callout, counter: _Counter) -> list[tuple[str, str]]:
    name = model.callout_heading(callout) or f"panel {counter.next('panel')}"
    at = f"{where}, {name}"
    return [(f"{at}, title", model.callout_heading(callout)), *_blocks(at, callout.blocks)]


def _visible(text: str) -> str:
    """`text` without format characters (Unicode category Cf: zero-width spaces and joiners,
    soft hyphens, word joiners, byte-order marks). They show as nothing, so a name with one
    inside reads as the name: the check must see it that way."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def document_texts(document: model.Document) -> list[tuple[str, str]]:
    """(location, text) for every string a reader of `document` sees, empty strings left out.
    The texts are those the renderers print (`printable`: control and zero-width characters
    taken out) with invisible format characters taken out as well, so a name split by a
    zero-width space or a soft hyphen is still found."""
    document = printable(document)
    texts = [
        ("Cover, title", document.title),
        ("Cover, subtitle", document.subtitle),
        ("Cover, author", document.author),
        ("Cover, partnership", document.partnership),
    ]
    texts += _blocks("Front", document.front)
    for section in document.sections:
        texts.append((f"{section.title}, title", section.title))
        texts += _blocks(section.title, section.blocks)
    texts = [(location[:200], _visible(text)) for location, text in texts]
    return [(location, text) for location, text in texts if text.strip()]
