"""The streaming XLSX writer (caseaudit/exports/xlsx.py), read back with openpyxl."""

import datetime
import zipfile
from decimal import Decimal

import openpyxl

from caseaudit.exports.rows import Export
from caseaudit.exports.writers import write_xlsx


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
    made.clear()
    assert [memo[v] for v in [True, 1, 1.0, False, 0, True, 0]] == [
        "<True>",
        "<1>",
        "<1.0>",
        "<False>",
        "<0>",
        "<True>",
        "<0>",
    ]
    # Kept apart by type and value: each made once.
    assert made == [True, 1, 1.0, False, 0]
    # Long texts are made every time, never kept: memory stays within size x longest.
    memo = Memo(lambda value: value.upper(), size=3, longest=5)
    assert memo["short"] == "SHORT"
    assert memo["longer"] == "LONGER"
    assert "short" in memo
    assert "longer" not in memo


def test_spaces_are_kept_where_text_starts_or_ends_with_them(tmp_path):
    path = tmp_path / "spaces.xlsx"
    rows = [[" lead"], ["trail\n"], ["in side"], [" lead"]]
    write_xlsx(Export(["a"], iter(rows)), str(path), "S")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        table = archive.read("xl/sharedStrings.xml").decode()
    # Met once: inline in the sheet; met twice: shared, its text in the table.
    assert '<t xml:space="preserve">trail\n</t>' in sheet
    assert "<t>in side</t>" in sheet
    assert '<t xml:space="preserve"> lead</t>' in sheet
    assert '<t xml:space="preserve"> lead</t>' in table
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1:] == [(" lead",), ("trail\n",), ("in side",), (" lead",)]


def read_parts(path):
    with zipfile.ZipFile(path) as archive:
        return (
            archive.read("xl/worksheets/sheet1.xml").decode(),
            archive.read("xl/sharedStrings.xml").decode(),
        )


def test_texts_met_again_are_shared_and_the_rest_written_inline(tmp_path, monkeypatch):
    """A short text goes to the shared strings table the second time it is met (a text in a
    Cells group at once), the sheet holding its index from then on; a text met once, a text
    past SHARED_LONGEST characters, and new texts once the table holds SHARED_LIMIT, are
    written inline. Read back, every cell is its own text wherever it went."""
    from caseaudit.exports import xlsx

    monkeypatch.setattr(xlsx, "SHARED_LIMIT", 4)
    long_text = "x" * (xlsx.SHARED_LONGEST + 1)
    long_question = "Was it " + "y" * xlsx.SHARED_LONGEST + "?"
    group = xlsx.Cells(("in a group", "=q", long_question))
    rows = [
        ["agency", group, long_text],
        ["agency", group, long_text],
        ["once", "agency", "late", "", ""],
        ["late", "late", "agency"],
    ]
    path = tmp_path / "shared.xlsx"
    write_xlsx(Export(["h", "g1", "g2", "g3", "t"], iter(rows)), str(path), "S")
    read = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert read[1:] == [
        ("agency", "in a group", "'=q", long_question, long_text),
        ("agency", "in a group", "'=q", long_question, long_text),
        ("once", "agency", "late", None, None),
        ("late", "late", "agency", None, None),
    ]
    sheet, table = read_parts(path)
    assert 'uniqueCount="4"' in table
    assert table.count("<si>") == 4
    # A group's texts at once, however long; "agency" when met the second time.
    for text in ("in a group", "'=q", long_question, "agency"):
        assert f"<t>{text}</t>" in table
    assert long_question not in sheet
    # "agency" inline the first time only; "late" met twice after the table filled up.
    assert sheet.count("<t>agency</t>") == 1
    assert sheet.count(f"<t>{long_text}</t>") == 2
    assert sheet.count("<t>once</t>") == 1
    assert sheet.count("<t>late</t>") == 3


def test_cells_follow_one_another_with_no_references(tmp_path):
    """Cells carry no reference (the `r` of ECMA-376 is optional): each is in the column after
    the one before, an empty cell in between is `<c/>`, and empty cells at the end of a row
    are left out. Read back, every value is in its own column."""
    rows = [["a", "", None, 4, ""], ["", "", "", "", "e"], [None, None], [1, "", ""]]
    path = tmp_path / "gaps.xlsx"
    write_xlsx(Export(list("ABCDE"), iter(rows)), str(path), "G")
    sheet, _ = read_parts(path)
    assert ' r="A' not in sheet
    assert ' r="E' not in sheet
    row = '<row r="2"><c t="inlineStr"><is><t>a</t></is></c><c/><c/><c><v>4</v></c></row>'
    assert row in sheet
    assert '<row r="4"></row>' in sheet
    assert '<row r="5"><c><v>1</v></c></row>' in sheet
    workbook = openpyxl.load_workbook(path)
    assert list(workbook.active.iter_rows(values_only=True)) == [
        ("A", "B", "C", "D", "E"),
        ("a", None, None, 4, None),
        (None, None, None, None, "e"),
        (None,) * 5,
        (1, None, None, None, None),
    ]
    assert workbook.active["D2"].value == 4
    assert workbook.active["E3"].value == "e"


def test_groups_of_cells_are_written_as_their_cells(tmp_path):
    """A row may give cells that repeat together as one Cells group: the sheet holds the same
    cells as for the flat row, and a group is known by identity, so groups that are equal as
    tuples (1 and True) are each written as themselves."""
    from caseaudit.exports.writers import csv_lines
    from caseaudit.exports.xlsx import Cells, flat

    ones, trues = Cells((1, "x", "")), Cells((True, "x", ""))
    when = Cells((datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), "web"))
    rows = [[ones, "free", when], [trues, "", when], [ones, "=f", Cells(("", ""))]]
    grouped = tmp_path / "grouped.xlsx"
    plain = tmp_path / "plain.xlsx"
    header = ["n", "t", "e", "free", "at", "source"]
    write_xlsx(Export(header, iter(rows)), str(grouped), "G")
    write_xlsx(Export(header, iter([flat(row) for row in rows])), str(plain), "G")
    got = list(openpyxl.load_workbook(grouped).active.iter_rows(values_only=True))
    assert got == list(openpyxl.load_workbook(plain).active.iter_rows(values_only=True))
    at = datetime.datetime(2030, 1, 2, 3, 4, 5)
    assert got[1:] == [
        (1, "x", None, "free", at, "web"),
        (True, "x", None, None, at, "web"),
        (1, "x", None, "'=f", None, None),
    ]
    assert [type(row[0]) for row in got[1:]] == [int, bool, int]
    lines = list(csv_lines(Export(header, iter(rows))))
    assert lines[2:] == [
        "1,x,,free,2030-01-02T03:04:05+00:00,web\r\n",
        "True,x,,,2030-01-02T03:04:05+00:00,web\r\n",
        "1,x,,'=f,,\r\n",
    ]


def test_rows_past_what_a_sheet_holds_go_on_over_further_sheets(tmp_path, monkeypatch):
    """Excel and LibreOffice open at most 1,048,576 rows a sheet: an export with more goes on
    over further sheets, each starting with the header, named after the first."""
    from caseaudit.exports import xlsx

    monkeypatch.setattr(xlsx, "SHEET_ROWS", 3)
    for count, want in [(2, [2]), (4, [2, 2]), (5, [2, 2, 1])]:
        path = tmp_path / f"rows{count}.xlsx"
        data = [[f"row {n}", n] for n in range(1, count + 1)]
        title = "Answers of a very long audit title"
        assert xlsx.write_sheet(str(path), title, ["text", "n"], iter(data)) == len(want)
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames == xlsx.sheet_names(title, len(want))
        read = []
        for sheet, size in zip(workbook.worksheets, want, strict=True):
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0] == ("text", "n")
            assert len(rows) == 1 + size
            read += rows[1:]
        assert read == [tuple(row) for row in data]
    assert xlsx.sheet_names("Answers of a very long audit title", 3) == [
        "Answers of a very long audit ti",
        "Answers of a very long audi (2)",
        "Answers of a very long audi (3)",
    ]
    assert all(len(name) <= 31 for name in xlsx.sheet_names("x" * 40, 12))
