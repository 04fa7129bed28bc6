"""A streaming XLSX writer for large exports: one worksheet of typed cells, written row by row
into the zip as it goes, so memory stays flat and each cell costs a few string operations
(XlsxWriter, even in constant-memory mode, makes several Python calls per cell: 2,000,000
answer rows of 16 columns took 300 s; see docs/performance.md).

It writes only what the exports need: text (inline strings), numbers, booleans, dates and
date-times (as Excel serial numbers with a yyyy-mm-dd or yyyy-mm-dd hh:mm:ss format), a bold
header row is not attempted. Values arrive already neutralised (writers.neutralise): text is
written as text, never as a formula. An empty string or None leaves the cell empty."""

import datetime
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
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""
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


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _illegal(match: re.Match) -> str:
    return f"_x{ord(match.group()):04X}_"


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(_illegal, value)
    return escape(value)


def _string(value: str) -> str:
    """An inline string cell's rest. `xml:space="preserve"` only where it matters (spaces at
    either end, which a reader may otherwise drop): it is a fifth of a long export's XML."""
    if value[0].isspace() or value[-1].isspace():
        return f'" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    return f'" t="inlineStr"><is><t>{_text(value)}</t></is></c>'


def _rest(value) -> str | None:
    """A cell's XML after its reference (`<c r="B7` + this), or None for an empty cell."""
    if value is None or value == "":
        return None
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is bool:
        return f'" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f'"><v>{value!r}</v></c>'
    if kind is datetime.datetime:
        delta = value.replace(tzinfo=None) - EPOCH
        serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        return f'" s="2"><v>{serial!r}</v></c>'
    if kind is datetime.date:
        return f'" s="1"><v>{(value - EPOCH_DATE).days}</v></c>'
    return _string(str(value))


class Memo(dict):
    """value -> make(value), made once per distinct value: exports repeat the same section,
    question, option, agency and submission time on many rows. Lookups are plain dictionary
    lookups (`memo[value]`); a miss calls `make`. Emptied when it grows past `size`, so memory
    stays flat: texts longer than `longest` (free text, which seldom repeats) are made every
    time too. True == 1 == 1.0 == Decimal(1) as keys, so booleans and the numbers equal to 0
    or 1 are made every time rather than kept, and neither can stand for the other."""

    def __init__(self, make, size: int = 50_000, longest: int = 300):
        super().__init__()
        self.make, self.size, self.longest = make, size, longest

    def __missing__(self, value):
        found = self.make(value)
        if type(value) is str:
            keep = len(value) <= self.longest
        else:
            keep = type(value) is not bool and value not in (0, 1)
        if keep:
            if len(self) >= self.size:
                self.clear()
            self[value] = found
        return found


class _Rows:
    """Turns rows into `<row>` XML. Each cell is its reference (column and row number) and the
    rest, which depends only on the value: the rest is kept per distinct value (Memo), and the
    row is one join on its row number, so a repeated cell costs a dictionary look-up and a
    concatenation (docs/performance.md)."""

    def __init__(self, prepare=None):
        def make(value) -> str:
            return _rest(prepare(value) if prepare else value) or ""

        self.memo = Memo(make)
        self.columns: list[str] = []  # each column's `<c r="B`

    def xml(self, number: int, values: list) -> str:
        if len(values) > len(self.columns):
            self.columns = [f'<c r="{column_name(i)}' for i in range(len(values))]
        pieces = ['<row r="']
        pending = '">'
        memo = self.memo
        for opening, value in zip(self.columns, values, strict=False):
            found = memo[value]
            if found:
                pieces.append(pending + opening)
                pending = found
        pieces.append(pending + "</row>")
        return str(number).join(pieces)


def write_sheet(path, sheet_title: str, rows: Iterable[list], prepare=None) -> None:
    """Writes `rows` (lists of str, int, float, bool, date, datetime, None) as the only sheet of
    a new XLSX file at `path`. `prepare`, when given, turns each value into one of those first
    (writers._cell: neutralising text); it must give the same result for equal values."""
    name = escape(sheet_title[:31], {'"': "&quot;"})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name=name))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            writer = _Rows(prepare)
            parts: list[str] = []
            size = 0
            for number, values in enumerate(rows, start=1):
                line = writer.xml(number, values)
                parts.append(line)
                size += len(line)
                if size > FLUSH:
                    sheet.write("".join(parts).encode())
                    parts, size = [], 0
            parts.append(SHEET_END)
            sheet.write("".join(parts).encode())
