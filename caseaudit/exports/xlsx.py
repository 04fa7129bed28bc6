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


def _row(number: int, values: list, columns: list[str]) -> str:
    cells = []
    append = cells.append
    for column, value in zip(columns, values, strict=False):
        if value is None or value == "":
            continue
        kind = type(value)
        if kind is str:
            append(
                f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_text(value)}</t></is></c>"
            )
        elif kind is bool:
            append(f'<c r="{column}{number}" t="b"><v>{int(value)}</v></c>')
        elif kind is int or kind is float:
            append(f'<c r="{column}{number}"><v>{value!r}</v></c>')
        elif kind is datetime.datetime:
            delta = value.replace(tzinfo=None) - EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            append(f'<c r="{column}{number}" s="2"><v>{serial!r}</v></c>')
        elif kind is datetime.date:
            append(f'<c r="{column}{number}" s="1"><v>{(value - EPOCH_DATE).days}</v></c>')
        else:
            append(
                f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_text(str(value))}</t></is></c>"
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_sheet(path, sheet_title: str, rows: Iterable[list]) -> None:
    """Writes `rows` (lists of str, int, float, bool, date, datetime, None) as the only sheet of
    a new XLSX file at `path`."""
    name = escape(sheet_title[:31], {'"': "&quot;"})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name=name))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            columns: list[str] = []
            parts: list[str] = []
            size = 0
            for number, values in enumerate(rows, start=1):
                if len(values) > len(columns):
                    columns = [column_name(i) for i in range(len(values))]
                line = _row(number, values, columns)
                parts.append(line)
                size += len(line)
                if size > FLUSH:
                    sheet.write("".join(parts).encode())
                    parts, size = [], 0
            parts.append(SHEET_END)
            sheet.write("".join(parts).encode())
