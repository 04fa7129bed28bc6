"""A streaming XLSX writer for large exports: a worksheet of typed cells (more when the rows
pass what a sheet can hold, SHEET_ROWS), written row by row into the zip as it goes, so memory
stays flat and a repeated cell costs a dictionary look-up (XlsxWriter, even in constant-memory
mode, makes several Python calls per cell: 2,000,000 answer rows of 16 columns took 300 s; see
docs/performance.md).

It writes only what the exports need: text (shared strings for the short texts that repeat,
inline strings for the rest), numbers, booleans, dates and date-times (as Excel serial numbers
with a yyyy-mm-dd or yyyy-mm-dd hh:mm:ss format); a bold header row is not attempted. Values
arrive already neutralised (writers.neutralise): text is written as text, never as a formula.
An empty string or None leaves the cell empty. docs/formats.md describes the file."""

import datetime
import itertools
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials have no time zone
EPOCH_DATE = EPOCH.date()
# Characters XML 1.0 cannot hold, written as Excel does: _xHHHH_.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FLUSH = 1 << 20

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
{sheets}<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
</Types>"""
SHEET_TYPE = """<Override PartName="/xl/worksheets/sheet{number}.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""
WORKBOOK_SHEET = '<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>'
# The sheets are rId1 to rIdN; styles and shared strings come after them.
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
<Relationship Id="rIdStrings" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
Target="sharedStrings.xml"/></Relationships>"""
SHEET_REL = """<Relationship Id="rId{number}" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet{number}.xml"/>"""
# Style 1: dates, style 2: date-times.
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"""
SHEET_END = "</sheetData></worksheet>"
SHARED_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{count}">"""
SHARED_END = "</sst>"
# At most this many distinct texts, each at most SHARED_LONGEST characters, go to the shared
# strings table (kept in memory until the sheet is written); the rest are written inline.
SHARED_LIMIT = 100_000
SHARED_LONGEST = 300
# Rows a sheet holds, its header included, as Excel and LibreOffice can open; an export with
# more goes on over further sheets, each starting with the header.
SHEET_ROWS = 1_048_576


def _illegal(match: re.Match) -> str:
    return f"_x{ord(match.group()):04X}_"


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(_illegal, value)
    return escape(value)


def _t(value: str) -> str:
    """A text's `<t>` element. `xml:space="preserve"` only where it matters (spaces at either
    end, which a reader may otherwise drop): on every cell it was a fifth of a long export's
    XML."""
    if value[0].isspace() or value[-1].isspace():
        return f'<t xml:space="preserve">{_text(value)}</t>'
    return f"<t>{_text(value)}</t>"


def _cell(value) -> str:
    """A cell's XML, without a reference: cells follow one another in their row, each in the
    column after the one before (ECMA-376 Part 1, 18.3.1.4: `r` is optional), and an empty
    cell is `<c/>`. References were a third of a long export's XML (`r="K1234567"` on every
    cell); LargeXlsx and Microsoft Dynamics write sheets this way, and Excel, LibreOffice,
    Google Sheets and openpyxl read them (docs/formats.md)."""
    if value is None or value == "":
        return "<c/>"
    kind = type(value)
    if kind is str:
        return f'<c t="inlineStr"><is>{_t(value)}</is></c>'
    if kind is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f"<c><v>{value!r}</v></c>"
    if kind is datetime.datetime:
        delta = value.replace(tzinfo=None) - EPOCH
        serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        return f'<c s="2"><v>{serial!r}</v></c>'
    if kind is datetime.date:
        return f'<c s="1"><v>{(value - EPOCH_DATE).days}</v></c>'
    return _cell(str(value))


class Memo(dict):
    """value -> make(value), made once per distinct value: exports repeat the same section,
    question, option, agency and submission time on many rows. Lookups are plain dictionary
    lookups (`memo[value]`); a miss calls `make`. Emptied when it grows past `size`, so memory
    stays flat: texts longer than `longest` (free text, which seldom repeats) are made every
    time, and so is a value `make` says not to keep (`keep`). True == 1 == 1.0 == Decimal(1)
    as keys, so booleans and the numbers equal to 0 or 1 are kept apart, by type and value
    (`exact`): neither can stand for the other."""

    def __init__(self, make, size: int = 50_000, longest: int = 300, keep=None):
        super().__init__()
        self.make, self.size, self.longest, self.keep = make, size, longest, keep
        self.exact: dict[tuple, object] = {}

    def __missing__(self, value):
        kind = type(value)
        if kind is not str and (kind is bool or value in (0, 1)):
            key = (kind, value)
            found = self.exact.get(key)
            if found is None:
                found = self.exact[key] = self.make(value)
            return found
        found = self.make(value)
        if kind is str and len(value) > self.longest:
            return found
        if self.keep is None or self.keep(value, found):
            if len(self) >= self.size:
                self.clear()
            self[value] = found
        return found


class Cells(tuple):
    """Cells side by side that repeat together on many rows (a question's columns, a return's
    columns), given as one item of a row: the XLSX writer makes their XML once for each such
    group it meets (`Runs`), rather than cell by cell on every row, and the CSV writer reads
    them as the cells they hold (`flat`). The same group should be the same object: the
    writers know it by identity, which costs one look-up whatever its length."""

    __slots__ = ()


class Runs(dict):
    """Cells -> make(cells), kept by the group's identity (id) with the group itself, so no
    other group can take its id while it is kept; emptied past `size`."""

    def __init__(self, make, size: int = 10_000):
        super().__init__()
        self.make, self.size = make, size

    def get_for(self, cells: Cells):
        entry = self.get(id(cells))
        if entry is None or entry[0] is not cells:
            if len(self) >= self.size:
                self.clear()
            entry = self[id(cells)] = (cells, self.make(cells))
        return entry[1]


def flat(row) -> list:
    """A row with its Cells groups opened into their cells."""
    out: list = []
    for value in row:
        if type(value) is Cells:
            out.extend(value)
        else:
            out.append(value)
    return out


class _Rows:
    """Turns rows into `<row>` XML. A cell's XML depends only on its value (no references,
    `_cell`): it is kept per distinct value (Memo) and a Cells group's XML per group (Runs), so
    a repeated cell costs a dictionary look-up and a row one join (docs/performance.md).

    A short text goes to the shared strings table the second time it is met (`shared`: text ->
    its index, in order), and from then on the sheet holds its index, not the text: the
    section, question, option and agency of a long export repeat on every row. A text met once
    (free text, mostly) stays inline and out of the table, which stops taking new texts at
    SHARED_LIMIT."""

    def __init__(self, prepare=None):
        shared: dict[str, int] = {}
        seen: set[str] = set()  # short texts met once, not yet shared

        def make(value, at_once: bool = False) -> str:
            value = prepare(value) if prepare else value
            if type(value) is str and value and (at_once or len(value) <= SHARED_LONGEST):
                index = shared.get(value)
                if index is None and len(shared) < SHARED_LIMIT:
                    if at_once or value in seen:
                        seen.discard(value)
                        index = shared[value] = len(shared)
                    else:
                        if len(seen) >= SHARED_LIMIT:
                            seen.clear()
                        seen.add(value)
                if index is not None:
                    return f'<c t="s"><v>{index}</v></c>'
            return _cell(value)

        def keep(value, found: str) -> bool:
            # A text left inline is made again when met again, so that it is shared then.
            return not found.startswith('<c t="i') or len(shared) >= SHARED_LIMIT

        self.memo = Memo(make, keep=keep)
        # Texts in Cells groups repeat by definition (a question's text, however long): shared
        # at once. They are as many as the questions, options, cases and agencies.
        grouped = Memo(lambda value: make(value, at_once=True), longest=10_000)
        self.runs = Runs(lambda cells: "".join([grouped[value] for value in cells]))
        self.shared = shared

    def xml(self, number: int, values: list) -> str:
        memo = self.memo
        runs = self.runs
        out = []
        for value in values:
            if type(value) is Cells:
                entry = runs.get(id(value))  # Runs.get_for, written out: most rows' items
                out.append(
                    entry[1] if entry is not None and entry[0] is value else runs.get_for(value)
                )
            else:
                out.append(memo[value])
        body = "".join(out)
        while body.endswith("<c/>"):  # trailing empty cells are left out
            body = body[:-4]
        return f'<row r="{number}">{body}</row>'


def sheet_names(title: str, count: int) -> list[str]:
    """The names of `count` sheets of one export: the title, then "title (2)", "title (3)"...
    each at most 31 characters, as Excel allows."""
    names = [title[:31]]
    for number in range(2, count + 1):
        suffix = f" ({number})"
        names.append(title[: 31 - len(suffix)] + suffix)
    return names


def write_sheet(path, sheet_title: str, header: list, rows: Iterable[list], prepare=None) -> int:
    """Writes `header` and `rows` (lists of str, int, float, bool, date, datetime, None, and
    Cells groups of them) as a new XLSX file at `path`: one sheet, or as many as it takes at
    SHEET_ROWS rows each, every sheet starting with the header. `prepare`, when given, turns
    each value into one of those first (writers._cell: neutralising text); it must give the
    same result for equal values. Returns the number of sheets."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        writer = _Rows(prepare)
        rows = iter(rows)
        sheets = 0
        while True:
            sheets += 1
            with zf.open(f"xl/worksheets/sheet{sheets}.xml", "w", force_zip64=True) as sheet:
                _write_rows(sheet, writer, header, itertools.islice(rows, SHEET_ROWS - 1))
            following = next(rows, None)
            if following is None:
                break
            rows = itertools.chain([following], rows)
        with zf.open("xl/sharedStrings.xml", "w") as table:
            table.write(SHARED_START.format(count=len(writer.shared)).encode())
            parts, size = [], 0
            for text in writer.shared:  # in index order: dictionaries keep insertion order
                parts.append(f"<si>{_t(text)}</si>")
                size += len(parts[-1])
                if size > FLUSH:
                    table.write("".join(parts).encode())
                    parts, size = [], 0
            parts.append(SHARED_END)
            table.write("".join(parts).encode())
        numbers = range(1, sheets + 1)
        names = [escape(name, {'"': "&quot;"}) for name in sheet_names(sheet_title, sheets)]
        # The package's other parts come last: only now is the number of sheets known (the
        # order of a zip's entries carries no meaning; readers go by its directory).
        zf.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(SHEET_TYPE.format(number=n) for n in numbers)),
        )
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr(
            "xl/workbook.xml",
            WORKBOOK.format(
                sheets="".join(
                    WORKBOOK_SHEET.format(name=name, number=n)
                    for n, name in zip(numbers, names, strict=True)
                )
            ),
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(sheets="".join(SHEET_REL.format(number=n) for n in numbers)),
        )
        zf.writestr("xl/styles.xml", STYLES)
    return sheets


def _write_rows(sheet, writer: _Rows, header: list, rows: Iterable[list]) -> None:
    """One sheet: the header, then the rows."""
    sheet.write(SHEET_START.encode())
    parts = [writer.xml(1, header)]
    size = 0
    for number, values in enumerate(rows, start=2):
        line = writer.xml(number, values)
        parts.append(line)
        size += len(line)
        if size > FLUSH:
            sheet.write("".join(parts).encode())
            parts, size = [], 0
    parts.append(SHEET_END)
    sheet.write("".join(parts).encode())
