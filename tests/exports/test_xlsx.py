"""The streaming XLSX writer (caseaudit/exports/xlsx.py), read back with openpyxl."""

import datetime
import zipfile
from decimal import Decimal

import openpyxl

from caseaudit.exports.rows import Export
from caseaudit.exports.writers import write_xlsx
from caseaudit.exports.xlsx import column_name


def test_column_names():
    assert [column_name(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_cells_keep_their_types_and_text_stays_text(tmp_path):
    when = datetime.datetime(2030, 3, 4, 13, 5, 6, tzinfo=datetime.UTC)
    export = Export(
        ["=header", "text", "int", "decimal", "fraction", "date", "datetime", "empty", "none"],
        iter(
            [
                ["=SUM(A1)", "a < b & c > \"d\" 'e'", 12, Decimal("3.0000"), Decimal("2.5"),
                 datetime.date(2029, 12, 31), when, "", None],
                ["+1", "  spaces kept  ", 0, Decimal("-4"), 1.25, datetime.date(1900, 3, 1),
                 when.replace(tzinfo=None), "x", "bell\x07 and tab\tinside"],
            ]
        ),
    )  # fmt: skip
    path = tmp_path / "out.xlsx"
    write_xlsx(export, str(path), "Answers")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "Answers"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "'=header"
    assert rows[1] == (
        "'=SUM(A1)", "a < b & c > \"d\" 'e'", 12, 3, 2.5,
        datetime.datetime(2029, 12, 31), datetime.datetime(2030, 3, 4, 13, 5, 6), None, None,
    )  # fmt: skip
    assert rows[2][:5] == ("'+1", "  spaces kept  ", 0, -4, 1.25)
    assert rows[2][5] == datetime.datetime(1900, 3, 1)
    assert rows[2][7:] == ("x", "bell_x0007_ and tab\tinside")
    # Dates carry a date format; formulas are never written.
    assert sheet["F2"].is_date
    assert sheet["G2"].is_date
    assert sheet["F2"].number_format == "yyyy\\-mm\\-dd"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_an_export_with_no_rows_has_its_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_xlsx(Export(["a", "b"], iter([])), str(path), "Returns")
    assert list(openpyxl.load_workbook(path).active.iter_rows(values_only=True)) == [("a", "b")]


def test_repeated_values_are_written_as_they_are_each_time(tmp_path):
    """Cells are made once per distinct value (xlsx.Memo): a boolean and the number 1 are equal
    as keys, and must still be written each as itself; so must 1 and 1.0, text after a number,
    the same text on many rows, and equal times given in two time zones."""
    when = datetime.datetime(2030, 3, 4, 13, 0, tzinfo=datetime.UTC)
    later = when.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    rows = [
        [1, True, "=same", when, Decimal("1"), 0, False],
        [True, 1, "=same", later, 1.0, False, 0],
    ] * 3
    path = tmp_path / "repeat.xlsx"
    write_xlsx(Export(list("abcdefg"), iter(rows)), str(path), "Repeat")
    read = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))[1:]
    plain = when.replace(tzinfo=None)
    for got in read[0::2]:
        assert got == (1, True, "'=same", plain, 1, 0, False)
        assert [type(got[i]) for i in (0, 1, 6)] == [int, bool, bool]
    for got in read[1::2]:
        assert got == (True, 1, "'=same", plain, 1, False, 0)
        assert [type(got[i]) for i in (0, 1, 5)] == [bool, int, bool]


def test_the_memo_keeps_at_most_its_size():
    from caseaudit.exports.xlsx import Memo

    made = []
    memo = Memo(lambda value: made.append(value) or f"<{value}>", size=3)
    assert [memo[v] for v in ["a", "b", "a", "c", "d", "a"]] == [
        "<a>", "<b>", "<a>", "<c>", "<d>", "<a>",
    ]  # fmt: skip
    # "a" was made again after the memo filled up and was emptied.
    assert made == ["a", "b", "c", "d", "a"]
    assert len(memo) <= 3
    assert [memo[v] for v in [True, 1, 1.0, False, 0]] == [
        "<True>",
        "<1>",
        "<1.0>",
        "<False>",
        "<0>",
    ]
    # Long texts are made every time, never kept: memory stays within size x longest.
    memo = Memo(lambda value: value.upper(), size=3, longest=5)
    assert memo["short"] == "SHORT"
    assert memo["longer"] == "LONGER"
    assert "short" in memo
    assert "longer" not in memo


def test_spaces_are_kept_where_text_starts_or_ends_with_them(tmp_path):
    path = tmp_path / "spaces.xlsx"
    write_xlsx(Export(["a"], iter([[" lead"], ["trail\n"], ["in side"]])), str(path), "S")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve"> lead</t>' in sheet
    assert '<t xml:space="preserve">trail\n</t>' in sheet
    assert "<t>in side</t>" in sheet
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1:] == [(" lead",), ("trail\n",), ("in side",)]
