"""The case population reader: every rule of docs/formats.md, on real CSV bytes and real XLSX
workbooks built here. Pure parsing, so no database."""

import csv
import hashlib
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from caseaudit.population.parsing import (
    ExtractError,
    ImportIssue,
    PopulationRow,
    issues_as_csv,
    parse_extract,
    read_header,
)

TODAY = date(2026, 6, 1)
QUOTE = "\u2019"  # the curly apostrophe Word and Excel type
HEADER = (
    "child_id,date_of_birth,gender,ethnicity,team,worker_id,sibling_group,plan_category,"
    "plan_start,previous_plan_end,previous_plans,agencies,characteristics,name"
)
GOOD = "C100234,2019-03-27,Female,WBRI,North East,W017,S12,Neglect,2026-01-15,,,CSC;POL,,"


def extract(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def parse(content: bytes, filename: str = "cases.csv", **options):
    return parse_extract(content, filename, today=TODAY, **options)


def problems(content: bytes, filename: str = "cases.csv", **options) -> list[ImportIssue]:
    with pytest.raises(ExtractError) as raised:
        parse(content, filename, **options)
    return raised.value.issues


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestReading:
    def test_it_reads_every_default_column(self):
        content = extract(
            "C100234,27/03/2019,Female,WBRI,North East,W017,S12,Emotional abuse,15/01/2026,"
            "2024-05-31,2,CSC; Police ;;police,domestic abuse;parental mental health,Poppy Example"
        )
        parsed = parse(content)
        assert parsed.rows == [
            PopulationRow(
                child_id="C100234",
                date_of_birth=date(2019, 3, 27),
                gender="Female",
                ethnicity="WBRI",
                team="North East",
                worker_id="W017",
                sibling_group="S12",
                plan_category="emotional_abuse",
                plan_start=date(2026, 1, 15),
                previous_plan_end=date(2024, 5, 31),
                previous_plans=2,
                agencies=("CSC", "Police"),
                characteristics=("domestic abuse", "parental mental health"),
                name="Poppy Example",
                row_number=2,
            )
        ]
        assert parsed.row_count == 1
        assert parsed.encoding == "utf-8"
        assert parsed.format == "csv"
        assert parsed.columns == HEADER.split(",")
        assert parsed.ignored_columns == []

    def test_it_records_the_sha256_of_the_raw_bytes(self):
        content = extract(GOOD)
        parsed = parse(content)
        assert parsed.file_hash == hashlib.sha256(content).hexdigest()

    def test_it_reads_headers_in_any_case_order_and_spacing(self):
        content = extract("Neglect ,  C100234  ", header=" PLAN_CATEGORY ,Child ID")
        parsed = parse(content)
        assert parsed.rows[0].child_id == "C100234"
        assert parsed.rows[0].plan_category == "neglect"
        assert parsed.headers == {"child_id": "Child ID", "plan_category": "PLAN_CATEGORY"}

    def test_it_ignores_unknown_columns_and_names_them(self):
        content = extract("C100234,x,Neglect,y", header="child_id,Allocated SW,plan_category,Notes")
        parsed = parse(content)
        assert parsed.row_count == 1
        assert parsed.ignored_columns == ["Allocated SW", "Notes"]

    def test_it_skips_blank_rows_and_numbers_rows_as_the_file_does(self):
        content = extract("", GOOD, " , ,", GOOD.replace("C100234", "C100235"))
        parsed = parse(content)
        assert [row.row_number for row in parsed.rows] == [3, 5]

    def test_a_line_break_inside_quotes_stays_in_one_row(self):
        content = extract(
            'C100234,Neglect,"Poppy\nExample"',
            "C100235,Neglect,",
            header="child_id,plan_category,name",
        )
        parsed = parse(content)
        assert parsed.rows[0].name == "Poppy\nExample"
        assert [row.row_number for row in parsed.rows] == [2, 3]

    @pytest.mark.parametrize("separator", [";", "\t"])
    def test_it_reads_semicolon_and_tab_separated_files(self, separator):
        content = extract(
            f"C100234{separator}Neglect{separator}CSC,POL",
            header=separator.join(["child_id", "plan_category", "agencies"]),
        )
        parsed = parse(content)
        assert parsed.rows[0].child_id == "C100234"
        assert parsed.rows[0].agencies == ("CSC,POL",)

    def test_commas_in_a_comma_separated_header_win(self):
        content = extract("C100234,Neglect,a;b", header="child_id,plan_category,agencies")
        assert parse(content).rows[0].agencies == ("a", "b")

    def test_it_strips_spaces_and_treats_not_known_markers_as_blank(self):
        content = extract(
            "  C100234 , N/A , null ,-,  Neglect  ,NONE,#N/A",
            header="child_id,gender,team,date_of_birth,plan_category,previous_plans,agencies",
        )
        row = parse(content).rows[0]
        assert row.child_id == "C100234"
        assert (row.gender, row.team, row.date_of_birth) == ("", "", None)
        assert (row.previous_plans, row.agencies) == (0, ())

    def test_a_row_with_more_cells_than_the_header_is_reported(self):
        content = extract("C100234,Neglect,Smith, Poppy", header="child_id,plan_category,name")
        [issue] = problems(content)
        assert issue.row == 2
        assert issue.column is None
        assert "4 cells but the header has 3" in issue.message

    def test_trailing_empty_cells_are_fine(self):
        assert parse(extract("C100234,Neglect,,,", header="child_id,plan_category")).row_count == 1


class TestEncodings:
    def test_it_reads_utf8(self):
        parsed = parse(
            extract(f"C100234,Neglect,Zoë O{QUOTE}Example", header="child_id,plan_category,name")
        )
        assert parsed.rows[0].name == f"Zoë O{QUOTE}Example"
        assert parsed.encoding == "utf-8"

    def test_it_reads_utf8_with_a_byte_order_mark(self):
        content = b"\xef\xbb\xbf" + extract(
            "C100234,Neglect,Zoë", header="child_id,plan_category,name"
        )
        parsed = parse(content)
        assert parsed.rows[0].name == "Zoë"
        assert parsed.columns[0] == "child_id"
        assert parsed.encoding == "utf-8-sig"

    def test_it_reads_windows_1252(self):
        content = extract(
            f"C100234,Neglect,Renée O{QUOTE}Example",
            header="child_id,plan_category,name",
            encoding="cp1252",
        )
        parsed = parse(content)
        assert parsed.rows[0].name == f"Renée O{QUOTE}Example"
        assert parsed.encoding == "cp1252"

    def test_it_reads_excel_unicode_text(self):
        content = "child_id\tplan_category\tname\r\nC100234\tNeglect\tZoë\r\n".encode("utf-16")
        parsed = parse(content, "cases.txt")
        assert parsed.rows[0].name == "Zoë"
        assert parsed.encoding == "utf-16"


class TestDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2019-03-27", date(2019, 3, 27)),
            ("27/03/2019", date(2019, 3, 27)),
            ("7/3/2019", date(2019, 3, 7)),
            ("07/03/2019", date(2019, 3, 7)),
            ("27/03/2019 00:00", date(2019, 3, 27)),
            ("2019-03-27T00:00:00", date(2019, 3, 27)),
        ],
    )
    def test_it_reads_iso_and_uk_dates(self, text, expected):
        content = extract(f"C100234,Neglect,{text}", header="child_id,plan_category,date_of_birth")
        assert parse(content).rows[0].date_of_birth == expected

    @pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "29/02/2025", "00/01/2020"])
    def test_an_impossible_date_names_the_row_and_column(self, text):
        content = extract(
            "C100234,Neglect,2026-01-01",
            f"C100235,Neglect,{text}",
            header="child_id,plan_category,Plan Start",
        )
        [issue] = problems(content)
        assert issue == ImportIssue(
            3, "Plan Start", f"Plan Start must be a real date ({text} does not exist)"
        )

    @pytest.mark.parametrize(
        "text", ["March 2019", "2019/03/27", "27/03/19", "27.03.2019", "45000"]
    )
    def test_text_that_is_not_a_date_is_refused(self, text):
        content = extract(f"C100234,Neglect,{text}", header="child_id,plan_category,date_of_birth")
        [issue] = problems(content)
        assert issue.column == "date_of_birth"
        assert issue.message == (
            f"date_of_birth must be a date like 27/03/2019 or 2019-03-27 (found {text})"
        )

    @pytest.mark.parametrize("column", ["date_of_birth", "plan_start", "previous_plan_end"])
    def test_a_date_after_today_is_refused(self, column):
        content = extract("C100234,Neglect,02/06/2026", header=f"child_id,plan_category,{column}")
        [issue] = problems(content)
        assert issue == ImportIssue(
            2, column, f"{column} must be today or in the past (found 02/06/2026)"
        )

    def test_today_is_allowed(self):
        content = extract("C100234,Neglect,01/06/2026", header="child_id,plan_category,plan_start")
        assert parse(content).rows[0].plan_start == TODAY

    def test_a_previous_plan_ending_after_this_one_starts_is_refused(self):
        content = extract(
            "C100234,Neglect,2026-01-15,2026-01-16,1",
            header="child_id,plan_category,plan_start,previous_plan_end,previous_plans",
        )
        [issue] = problems(content)
        assert issue.row == 2
        assert issue.column == "previous_plan_end"
        assert "must be on or before plan_start" in issue.message

    def test_a_previous_plan_ending_the_day_this_one_starts_is_allowed(self):
        content = extract(
            "C100234,Neglect,2026-01-15,15/01/2026",
            header="child_id,plan_category,plan_start,previous_plan_end",
        )
        row = parse(content).rows[0]
        assert row.previous_plan_end == row.plan_start
        assert row.previous_plans == 1


class TestPreviousPlans:
    @pytest.mark.parametrize(
        ("count", "end", "expected"),
        [("", "", 0), ("", "2024-01-01", 1), ("0", "", 0), ("3", "2024-01-01", 3), ("2", "", 2)],
    )
    def test_it_counts_previous_plans(self, count, end, expected):
        content = extract(
            f"C100234,Neglect,{count},{end}",
            header="child_id,plan_category,previous_plans,previous_plan_end",
        )
        assert parse(content).rows[0].previous_plans == expected

    @pytest.mark.parametrize(
        ("count", "message"),
        [
            ("two", "previous_plans must be a whole number, like 0 or 2 (found two)"),
            ("1.5", "previous_plans must be a whole number, like 0 or 2 (found 1.5)"),
            ("-1", "previous_plans must be 0 or more"),
            ("100", "previous_plans must be 99 or fewer"),
        ],
    )
    def test_it_refuses_what_is_not_a_count(self, count, message):
        content = extract(
            f"C100234,Neglect,{count}", header="child_id,plan_category,previous_plans"
        )
        assert problems(content) == [ImportIssue(2, "previous_plans", message)]

    def test_none_is_refused_when_a_previous_plan_ended(self):
        content = extract(
            "C100234,Neglect,0,2024-01-01",
            header="child_id,plan_category,previous_plans,previous_plan_end",
        )
        assert problems(content) == [
            ImportIssue(
                2,
                "previous_plans",
                "previous_plans must be 1 or more when previous_plan_end is given",
            )
        ]


class TestPlanCategory:
    @pytest.mark.parametrize(
        ("label", "expected"),
        [
            ("neglect", "neglect"),
            ("Emotional abuse", "emotional_abuse"),
            ("PHYSICAL-ABUSE", "physical_abuse"),
            ("sexual_abuse", "sexual_abuse"),
            (" Sexual  Abuse ", "sexual_abuse"),
            ("Multiple", "multiple"),
            ("NEG", "neglect"),
            ("MUL", "multiple"),
        ],
    )
    def test_it_accepts_the_five_categories_however_written(self, label, expected):
        content = extract(f"C100234,{label}", header="child_id,plan_category")
        assert parse(content).rows[0].plan_category == expected

    def test_a_blank_category_is_refused(self):
        content = extract("C100234,", header="child_id,CP Category")
        assert problems(content, mapping={"plan_category": "CP Category"}) == [
            ImportIssue(2, "CP Category", "CP Category must not be blank")
        ]

    def test_an_unknown_category_is_refused(self):
        [issue] = problems(extract("C100234,Harm", header="child_id,plan_category"))
        assert issue.message == (
            "plan_category must be neglect, emotional abuse, physical abuse, sexual abuse or "
            "multiple (found Harm)"
        )


class TestLists:
    def test_it_splits_trims_drops_empties_and_repeats(self):
        content = extract(
            "C100234,Neglect, Police ;;CSC; police ;Health;,Domestic abuse;domestic ABUSE; ",
            header="child_id,plan_category,agencies,characteristics",
        )
        row = parse(content).rows[0]
        assert row.agencies == ("Police", "CSC", "Health")
        assert row.characteristics == ("Domestic abuse",)


class TestChildId:
    def test_a_blank_or_not_known_child_id_is_refused(self):
        content = extract(",Neglect", "N/A,Neglect", header="child_id,plan_category")
        assert problems(content) == [
            ImportIssue(2, "child_id", "child_id must not be blank"),
            ImportIssue(3, "child_id", "child_id must not be blank"),
        ]

    def test_every_duplicate_is_reported_naming_the_first_row(self):
        content = extract(
            "C100234,Neglect",
            "C100235,Neglect",
            "C100234,Neglect",
            "c100234,Neglect",
            "C100235,Neglect",
            header="child_id,plan_category",
        )
        assert problems(content) == [
            ImportIssue(
                4, "child_id", "child_id C100234 is also on row 2. Each child must appear only once"
            ),
            ImportIssue(
                5, "child_id", "child_id c100234 is also on row 2. Each child must appear only once"
            ),
            ImportIssue(
                6, "child_id", "child_id C100235 is also on row 3. Each child must appear only once"
            ),
        ]

    def test_a_child_id_over_64_characters_is_refused(self):
        [issue] = problems(extract(f"{'C' * 65},Neglect", header="child_id,plan_category"))
        assert issue.message == "child_id must be 64 characters or fewer"


class TestBadFiles:
    def test_an_empty_file(self):
        for content in (b"", b"\r\n \r\n", b"\xef\xbb\xbf"):
            assert problems(content) == [ImportIssue(None, None, "The selected file is empty")]

    def test_a_header_with_no_rows_under_it(self):
        for content in (extract(header=HEADER), extract("", ",,", header=HEADER)):
            assert problems(content) == [
                ImportIssue(None, None, "The file has no rows of cases under the header row")
            ]

    def test_a_file_without_a_child_id_column(self):
        [issue] = problems(extract("C100234,Neglect", header="Person ID,plan_category"))
        assert issue.row is None
        assert issue.message == (
            "The file has no child_id column. Columns found: Person ID, plan_category. "
            "Rename a column to child_id, or map one of the columns to child_id"
        )

    def test_a_file_without_a_plan_category_column(self):
        [issue] = problems(extract("C100234", header="child_id"))
        assert issue.message.startswith("The file has no plan_category column")

    def test_a_column_twice_in_the_header(self):
        [issue] = problems(extract("C1,C2,Neglect", header="child_id,Child ID,plan_category"))
        assert issue.message == (
            "The header has 2 columns called child_id. Remove or rename all but one"
        )

    def test_a_file_over_the_size_limit(self):
        content = extract(*[GOOD.replace("C100234", f"C{n}") for n in range(20)])
        assert len(content) > 1024
        assert problems(content, max_bytes=1024) == [
            ImportIssue(None, None, "The selected file must be smaller than 1KB")
        ]
        assert parse(content, max_bytes=len(content)).row_count == 20

    def test_the_default_size_limit_is_20mb(self):
        content = b"x" * (20 * 1024 * 1024 + 1)
        assert problems(content) == [
            ImportIssue(None, None, "The selected file must be smaller than 20MB")
        ]

    @pytest.mark.parametrize(
        ("content", "filename"),
        [
            (bytes(range(256)) * 4, "cases.csv"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "cases.csv"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "cases.png"),
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "cases.pdf"),
            (b"<html><body><table><tr><td>child_id</td></tr></table></body></html>", "cases.xls"),
            (b"child_id\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f", "cases.csv"),
        ],
    )
    def test_a_file_that_is_neither_csv_nor_xlsx(self, content, filename):
        assert problems(content, filename) == [
            ImportIssue(None, None, "The selected file must be a CSV or Excel (.xlsx) file")
        ]

    def test_a_csv_named_xlsx(self):
        [issue] = problems(extract(GOOD), "cases.xlsx")
        assert issue.message.startswith(
            "The selected file is named .xlsx but is not an Excel workbook"
        )

    def test_a_password_protected_or_old_excel_file(self):
        [issue] = problems(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "cases.xlsx")
        assert issue.message.startswith("The selected file is password protected")

    def test_a_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<document/>")
        [issue] = problems(buffer.getvalue(), "cases.xlsx")
        assert issue.message == (
            "The selected file is a zip archive but not an Excel workbook. "
            "Upload a CSV or Excel (.xlsx) file"
        )

    def test_a_broken_zip(self):
        [issue] = problems(b"PK\x03\x04" + b"\x00" * 100, "cases.xlsx")
        assert "not an Excel workbook" in issue.message

    def test_one_bad_row_among_good_ones_names_that_row_and_column(self):
        lines = [GOOD.replace("C100234", f"C1{n:05}") for n in range(20)]
        lines[12] = lines[12].replace("2019-03-27", "2019-02-30")
        with pytest.raises(ExtractError) as raised:
            parse(extract(*lines))
        assert raised.value.issues == [
            ImportIssue(
                14, "date_of_birth", "date_of_birth must be a real date (2019-02-30 does not exist)"
            )
        ]
        assert (
            str(raised.value)
            == "Row 14: date_of_birth must be a real date (2019-02-30 does not exist)"
        )

    def test_it_reports_every_problem_not_just_the_first(self):
        content = extract(
            "C100234,Harm,31/02/2019",
            "C100235,Neglect,2019-01-01",
            ",Neglect,2030-01-01",
            header="child_id,plan_category,date_of_birth",
        )
        assert [(issue.row, issue.column) for issue in problems(content)] == [
            (2, "plan_category"),
            (2, "date_of_birth"),
            (4, "child_id"),
            (4, "date_of_birth"),
        ]

    def test_it_stops_listing_after_the_limit_and_counts_the_rest(self):
        content = extract(*[f"C{n},Harm" for n in range(7)], header="child_id,plan_category")
        issues = problems(content, max_issues=3)
        assert len(issues) == 4
        assert issues[-1] == ImportIssue(None, None, "and 4 more problems")


class TestXlsx:
    def test_it_reads_date_cells_numbers_and_text(self):
        content = workbook(
            (
                "Cases",
                [
                    [
                        "child_id",
                        "date_of_birth",
                        "plan_category",
                        "plan_start",
                        "previous_plans",
                        "team",
                    ],
                    [
                        100234,
                        date(2019, 3, 27),
                        "Physical abuse",
                        datetime(2026, 1, 15),
                        2,
                        " North ",
                    ],
                    ["C100235", "27/03/2020", "NEG", "2026-02-01", 0.0, None],
                ],
            )
        )
        parsed = parse(content, "cases.xlsx")
        first, second = parsed.rows
        assert (first.child_id, first.date_of_birth, first.plan_start) == (
            "100234",
            date(2019, 3, 27),
            date(2026, 1, 15),
        )
        assert (first.plan_category, first.previous_plans, first.team) == (
            "physical_abuse",
            2,
            "North",
        )
        assert (second.date_of_birth, second.plan_start, second.previous_plans) == (
            date(2020, 3, 27),
            date(2026, 2, 1),
            0,
        )
        assert parsed.format == "xlsx"
        assert parsed.encoding is None
        assert parsed.sheet == "Cases"
        assert parsed.notices == []

    def test_it_recognises_a_workbook_by_its_content_not_its_name(self):
        content = workbook(("Cases", [["child_id", "plan_category"], ["C100234", "Neglect"]]))
        assert parse(content, "export.csv").format == "xlsx"

    def test_a_future_date_cell_is_refused_showing_a_uk_date(self):
        content = workbook(
            (
                "Cases",
                [["child_id", "plan_category", "DOB"], ["C100234", "Neglect", date(2027, 1, 2)]],
            )
        )
        assert problems(content, "cases.xlsx", mapping={"date_of_birth": "DOB"}) == [
            ImportIssue(2, "DOB", "DOB must be today or in the past (found 02/01/2027)")
        ]

    def test_a_number_where_a_date_belongs_is_refused(self):
        content = workbook(
            ("Cases", [["child_id", "plan_category", "plan_start"], ["C100234", "Neglect", 45000]])
        )
        [issue] = problems(content, "cases.xlsx")
        assert (
            issue.message == "plan_start must be a date like 27/03/2019 or 2019-03-27 (found 45000)"
        )

    def test_a_fractional_count_is_refused(self):
        content = workbook(
            (
                "Cases",
                [["child_id", "plan_category", "previous_plans"], ["C100234", "Neglect", 1.5]],
            )
        )
        [issue] = problems(content, "cases.xlsx")
        assert issue.column == "previous_plans"

    def test_it_reads_the_first_sheet_with_data_and_says_so(self):
        content = workbook(
            ("Cover", []),
            (
                "Cases",
                [[], ["child_id", "plan_category"], ["C100234", "Neglect"], [], ["C100235", "MUL"]],
            ),
            ("Lookups", [["code", "label"], ["NEG", "Neglect"]]),
        )
        parsed = parse(content, "cases.xlsx")
        assert parsed.sheet == "Cases"
        assert [row.row_number for row in parsed.rows] == [3, 5]
        assert parsed.notices == [
            "The workbook has 3 sheets. Cases were read from the first sheet with data, “Cases”"
        ]

    def test_a_workbook_with_no_data(self):
        content = workbook(("Sheet1", []), ("Sheet2", [[None, "  "]]))
        assert problems(content, "cases.xlsx") == [
            ImportIssue(None, None, "The selected file is empty")
        ]

    def test_a_workbook_with_a_header_only(self):
        content = workbook(("Cases", [["child_id", "plan_category"]]))
        assert problems(content, "cases.xlsx") == [
            ImportIssue(None, None, "The file has no rows of cases under the header row")
        ]


class TestMapping:
    ANNEX_A = (
        "Child Unique ID,Gender,Date of Birth,Category of Abuse,CP Plan Start Date,Allocated Worker"
    )

    def test_it_reads_differently_named_columns(self):
        content = extract("ID-1,Male,01/02/2018,Sexual abuse,03/04/2026,W1", header=self.ANNEX_A)
        mapping = {
            "child_id": "child unique id",
            "date_of_birth": "Date of Birth",
            "plan_category": "Category of Abuse",
            "plan_start": "CP Plan Start Date",
            "worker_id": "Allocated Worker",
        }
        parsed = parse(content, mapping=mapping)
        row = parsed.rows[0]
        assert (row.child_id, row.gender, row.date_of_birth) == ("ID-1", "Male", date(2018, 2, 1))
        assert (row.plan_category, row.plan_start, row.worker_id) == (
            "sexual_abuse",
            date(2026, 4, 3),
            "W1",
        )
        assert parsed.ignored_columns == []

    def test_messages_use_the_files_own_column_names(self):
        content = extract("ID-1,Male,01/13/2018,Neglect,03/04/2026,W1", header=self.ANNEX_A)
        mapping = {
            "child_id": "Child Unique ID",
            "date_of_birth": "Date of Birth",
            "plan_category": "Category of Abuse",
        }
        assert problems(content, mapping=mapping) == [
            ImportIssue(
                2, "Date of Birth", "Date of Birth must be a real date (01/13/2018 does not exist)"
            )
        ]

    def test_a_mapped_column_missing_from_the_file_is_reported(self):
        content = extract("ID-1,Male,01/02/2018,Neglect,03/04/2026,W1", header=self.ANNEX_A)
        mapping = {
            "child_id": "Child Unique ID",
            "plan_category": "Category of Abuse",
            "team": "Team",
        }
        [issue] = problems(content, mapping=mapping)
        assert issue.message.startswith("The file has no column called Team (chosen for team)")

    def test_a_column_mapped_to_nothing_is_treated_as_absent(self):
        content = extract("C100234,Neglect,Zed", header="child_id,plan_category,name")
        parsed = parse(content, mapping={"name": ""})
        assert parsed.rows[0].name == ""
        assert parsed.ignored_columns == ["name"]

    def test_an_unknown_column_in_the_mapping_is_a_programming_error(self):
        with pytest.raises(ValueError, match="surname"):
            parse(extract(GOOD), mapping={"surname": "Surname"})

    def test_read_header_gives_the_names_as_the_file_spells_them(self):
        assert read_header(
            extract(GOOD, header=" Child Unique ID ,Gender,,Notes"), "cases.csv"
        ) == [
            "Child Unique ID",
            "Gender",
            "Notes",
        ]
        content = workbook(("Cases", [["Child Unique ID", "DOB"], ["C1", date(2019, 1, 1)]]))
        assert read_header(content, "cases.xlsx") == ["Child Unique ID", "DOB"]

    def test_read_header_refuses_a_bad_file(self):
        with pytest.raises(ExtractError):
            read_header(b"", "cases.csv")


class TestIssuesAsCsv:
    def test_it_lists_row_column_and_problem(self):
        content = issues_as_csv(
            [
                ImportIssue(None, None, "The selected file is empty"),
                ImportIssue(3, "DOB", "DOB must be a real date"),
            ]
        )
        assert content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows == [
            ["row", "column", "problem"],
            ["", "", "The selected file is empty"],
            ["3", "DOB", "DOB must be a real date"],
        ]

    @pytest.mark.parametrize("text", ["=cmd()", "+1", "-1", "@x", "\tx", "\rx"])
    def test_it_neutralises_formulas(self, text):
        content = issues_as_csv([ImportIssue(2, text, text)])
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        assert rows[1] == ["2", "'" + text, "'" + text]

    def test_a_header_that_looks_like_a_formula_is_neutralised_end_to_end(self):
        content = extract(
            "C100234,Neglect,31/02/2019", header="child_id,plan_category,=HYPERLINK()"
        )
        issues = problems(content, mapping={"date_of_birth": "=HYPERLINK()"})
        rows = list(csv.reader(io.StringIO(issues_as_csv(issues).decode("utf-8-sig"))))
        assert rows[1][1] == "'=HYPERLINK()"
        assert rows[1][2].startswith("'=HYPERLINK() must be a real date")


class TestDocumentedExample:
    def test_the_example_in_the_docs_reads(self):
        with open("docs/examples/population.csv", "rb") as example:
            parsed = parse(example.read(), "population.csv")
        assert parsed.row_count == 12
        assert parsed.ignored_columns == []
        assert sum(1 for row in parsed.rows if row.previous_plans) == 6
        assert len({row.sibling_group for row in parsed.rows if row.sibling_group}) == 3
