"""Writers turn an Export (header and rows) into CSV or XLSX.

Every text cell that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or
a carriage return) gets a leading single quote, as defusedcsv does; one small function is
clearer than a dependency for this. Numbers, dates and times stay typed in XLSX."""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterator

from caseaudit.exports.rows import Export
from caseaudit.exports.xlsx import Cells, Memo, Runs, write_sheet

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text starting with a formula character gets
    a leading single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        # In UTC, as the database gives them: equal times always read the same (Memo).
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (datetime.date, int)):
        return str(value)
    return neutralise(value or "")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer into a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(export: Export) -> Iterator[str]:
    """The CSV, one line at a time (UTF-8 with a BOM first so Excel reads accents)."""
    writer = csv.writer(_Echo())
    text = Memo(_text)
    runs = Runs(lambda cells: [text[cell] for cell in cells])
    yield "\ufeff"
    yield writer.writerow([neutralise(cell) for cell in export.header])
    for row in export.rows:
        cells: list[str] = []
        for cell in row:
            if type(cell) is Cells:
                cells += runs.get_for(cell)
            else:
                cells.append(text[cell])
        yield writer.writerow(cells)


def write_csv(export: Export, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in csv_lines(export):
            out.write(line)


def _cell(value):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write UTC wall-clock time.
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def write_xlsx(export: Export, path: str, sheet_title: str = "Export") -> None:
    """Writes the XLSX row by row with the streaming writer in caseaudit/exports/xlsx.py: memory
    stays flat and each cell costs a few string operations. XlsxWriter in constant-memory mode
    took 300 s for 2,000,000 answer rows (docs/performance.md). Strings are written as text,
    never as formulas, links or numbers; numbers, dates and times stay typed."""
    write_sheet(path, sheet_title, export.header, export.rows, prepare=_cell)


def xlsx_tempfile(export: Export, sheet_title: str = "Export"):
    """The XLSX in a temporary file, opened for reading; it is deleted when closed."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    write_xlsx(export, handle.name, sheet_title)
    handle.seek(0)
    return handle
