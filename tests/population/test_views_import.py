"""/population/import/: upload an extract; every row checked, all stored or none."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from caseaudit.population.models import ColumnMapping, PopulationCase, PopulationSnapshot
from caseaudit.population.parsing import DEFAULT_MAX_BYTES

URL = "/population/import/"
HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,previous_plan_end\n"
)


def csv_file(*rows: str, name: str = "cases.csv", header: str = HEADER) -> SimpleUploadedFile:
    content = (header + "".join(row + "\n" for row in rows)).encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


GOOD_ROWS = (
    "C1,2015-03-02,Female,Team A,S1,neglect,2026-01-10,2024-05-01",
    "C2,12/07/2018,Male,Team B,S1,Emotional abuse,2026-02-01,",
    "C3,2009-01-01,Male,Team B,,physical abuse,2025-11-01,",
)


def nothing_stored() -> bool:
    return not PopulationSnapshot.objects.exists() and not PopulationCase.objects.exists()


class TestImportPage:
    def test_it_shows_the_upload_form(self, client, world):
        client.force_login(world.lena)
        content = client.get(URL).content.decode()
        assert 'enctype="multipart/form-data"' in content
        assert 'accept=".csv,.xlsx"' in content
        assert "smaller than 20MB" in content

    def test_it_offers_saved_mappings_only_when_there_are_some(self, client, world):
        client.force_login(world.lena)
        assert 'name="mapping"' not in client.get(URL).content.decode()
        ColumnMapping.objects.create(partnership=world.north, name="Annex A", columns={})
        ColumnMapping.objects.create(partnership=world.south, name="South report", columns={})
        content = client.get(URL + "?mapping=Annex+A").content.decode()
        assert '<option value="Annex A" selected>' in content
        assert "South report" not in content


class TestImportGoodFile:
    def test_it_imports_and_shows_the_figures(self, client, world):
        client.force_login(world.lena)
        response = client.post(URL, {"file": csv_file(*GOOD_ROWS)})
        snapshot = PopulationSnapshot.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/population/{snapshot.pk}/"
        assert (snapshot.partnership, snapshot.imported_by, snapshot.row_count) == (
            world.north,
            world.lena,
            3,
        )
        content = client.get(response["Location"]).content.decode()
        assert "3 children imported from cases.csv" in content

    def test_it_imports_an_excel_workbook(self, client, world):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["child_id", "plan_category", "gender"])
        sheet.append(["C1", "Neglect", "Female"])
        sheet.append(["C2", "Multiple", "Male"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        client.force_login(world.alice)
        upload = SimpleUploadedFile("cases.xlsx", buffer.getvalue())
        response = client.post(URL, {"file": upload})
        assert response.status_code == 302
        assert PopulationSnapshot.objects.get().file_format == "xlsx"

    def test_it_imports_with_a_saved_mapping(self, client, world):
        ColumnMapping.objects.create(
            partnership=world.north,
            name="Annex A",
            columns={"child_id": "Child Unique ID", "plan_category": "Category of abuse"},
        )
        client.force_login(world.lena)
        upload = csv_file("A1,Neglect", header="Child Unique ID,Category of abuse\n")
        response = client.post(URL, {"file": upload, "mapping": "Annex A"})
        assert response.status_code == 302
        assert PopulationSnapshot.objects.get().mapping_name == "Annex A"

    def test_south_imports_into_south(self, client, world):
        client.force_login(world.sol)
        client.post(URL, {"file": csv_file(*GOOD_ROWS)})
        assert PopulationSnapshot.objects.get().partnership == world.south


class TestImportBadFile:
    def post(self, client, world, upload, **data):
        client.force_login(world.lena)
        response = client.post(URL, {"file": upload, **data})
        assert response.status_code == 200
        assert nothing_stored()
        content = response.content.decode()
        assert "<title>Error: " in content
        assert "govuk-error-summary" in content
        return content

    def test_a_bad_row_names_the_row_and_column_and_stores_nothing(self, client, world):
        content = self.post(
            client, world, csv_file(*GOOD_ROWS, "C4,31/02/2019,Male,Team A,,neglect,2026-01-01,")
        )
        assert "Row 5, column date_of_birth: date_of_birth must be a real date" in content
        assert "The file has a problem" in content
        assert "Nothing has been imported" in content
        assert "Download all 1 problem (CSV)" in content

    def test_an_empty_file(self, client, world):
        content = self.post(client, world, SimpleUploadedFile("cases.csv", b""))
        assert "The selected file is empty" in content

    def test_a_file_of_blank_lines(self, client, world):
        content = self.post(client, world, SimpleUploadedFile("cases.csv", b"\n\n \n"))
        assert "The selected file is empty" in content

    def test_no_child_id_column(self, client, world):
        content = self.post(client, world, csv_file("Neglect", header="plan_category\n"))
        assert "The file has no child_id column" in content

    def test_duplicate_ids(self, client, world):
        content = self.post(client, world, csv_file(GOOD_ROWS[0], GOOD_ROWS[0]))
        assert "Row 3, column child_id: child_id C1 is also on row 2" in content

    def test_impossible_dates(self, client, world):
        content = self.post(
            client, world, csv_file("C1,2015-13-45,Female,Team A,,neglect,2099-01-01,")
        )
        assert "date_of_birth must be a real date" in content
        assert "plan_start must be today or in the past" in content
        assert "The file has 2 problems" in content

    def test_a_file_over_the_size_limit(self, client, world):
        upload = SimpleUploadedFile("cases.csv", b"x" * (DEFAULT_MAX_BYTES + 1))
        content = self.post(client, world, upload)
        assert "The selected file must be smaller than 20MB" in content

    def test_a_binary_file(self, client, world):
        upload = SimpleUploadedFile("cases.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        content = self.post(client, world, upload)
        assert "The selected file must be a CSV or Excel (.xlsx) file" in content

    def test_a_renamed_file_that_is_not_a_workbook(self, client, world):
        content = self.post(client, world, SimpleUploadedFile("cases.xlsx", b"child_id\nC1\n"))
        assert "is not an Excel workbook" in content

    def test_no_file_chosen(self, client, world):
        client.force_login(world.lena)
        content = client.post(URL, {}).content.decode()
        assert "Select a CSV or Excel (.xlsx) file" in content
        assert nothing_stored()

    def test_the_chosen_mapping_stays_chosen(self, client, world):
        ColumnMapping.objects.create(
            partnership=world.north, name="Annex A", columns={"child_id": "Child Unique ID"}
        )
        content = self.post(client, world, csv_file("C1,x"), mapping="Annex A")
        assert '<option value="Annex A" selected>' in content
        assert "The file has no column called Child Unique ID" in content

    def test_another_partnerships_mapping_cannot_be_chosen(self, client, world):
        ColumnMapping.objects.create(partnership=world.south, name="South report", columns={})
        ColumnMapping.objects.create(partnership=world.north, name="Annex A", columns={})
        content = self.post(client, world, csv_file(*GOOD_ROWS), mapping="South report")
        assert "Select a saved mapping" in content

    def test_only_the_first_ten_problems_are_shown(self, client, world):
        rows = [f"C{n},2015-01-01,Female,Team A,,not a category,2026-01-01," for n in range(15)]
        content = self.post(client, world, csv_file(*rows))
        assert "The file has 15 problems" in content
        assert "Row 11, column plan_category" in content
        assert "Row 12, column plan_category" not in content
        assert "These are the first 10" in content
        assert "Download all 15 problems (CSV)" in content

    def test_file_values_are_escaped(self, client, world):
        content = self.post(client, world, csv_file("<b>X</b>,<script>,,,,neglect,,"))
        assert "<script>" not in content
        assert "&lt;script&gt;" in content


class TestImportAccess:
    def test_other_roles_get_404(self, client, world):
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.get(URL).status_code == 404
            assert client.post(URL, {"file": csv_file(*GOOD_ROWS)}).status_code == 404
        assert nothing_stored()

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.post(URL, {"file": csv_file(*GOOD_ROWS)})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert nothing_stored()

    def test_wrong_method(self, client, world):
        client.force_login(world.lena)
        assert client.put(URL).status_code == 405


class TestImportProblemsDownload:
    BAD_ROWS = ("C1,31/02/2019,,,,neglect,,", "C2,2015-01-01,,,,nonsense,,")

    def problems_url(self, client, world, upload=None) -> str:
        client.force_login(world.lena)
        response = client.post(URL, {"file": upload or csv_file(*self.BAD_ROWS)})
        return response.context["problems_url"]

    def test_it_downloads_every_problem_as_csv(self, client, world):
        url = self.problems_url(client, world)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"] == 'attachment; filename="import-problems.csv"'
        assert response["Cache-Control"] == "no-store"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["row", "column", "problem"]
        assert [row[:2] for row in rows[1:]] == [["2", "date_of_birth"], ["3", "plan_category"]]

    def test_cells_a_spreadsheet_would_run_are_neutralised(self, client, world):
        ColumnMapping.objects.create(
            partnership=world.north, name="Odd", columns={"child_id": "=ID"}
        )
        client.force_login(world.lena)
        upload = csv_file(",neglect", header="=ID,plan_category\n")
        url = client.post(URL, {"file": upload, "mapping": "Odd"}).context["problems_url"]
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        assert rows[1] == ["2", "'=ID", "'=ID must not be blank"]

    def test_the_problems_are_not_kept_in_clear_in_the_session(self, client, world):
        self.problems_url(client, world, csv_file("SECRET-ID-77,2015-01-01,,,,nonsense,,"))
        stored = client.session["population_import_problems"]
        assert "SECRET-ID-77" not in str(stored)
        assert "nonsense" not in str(stored)

    def test_it_expires(self, client, world, monkeypatch):
        url = self.problems_url(client, world)
        session = client.session
        session["population_import_problems"]["expires"] = 0
        session.save()
        response = client.get(url)
        assert response.status_code == 410
        assert "no longer available" in response.content.decode()
        assert client.get(url).status_code == 404

    def test_someone_else_cannot_download_them(self, client, world):
        url = self.problems_url(client, world)
        client.force_login(world.alice)
        assert client.get(url).status_code == 404

    def test_a_wrong_token_is_404(self, client, world):
        self.problems_url(client, world)
        assert client.get("/population/import/problems/guessed/").status_code == 404

    def test_other_roles_and_anonymous(self, client, world):
        url = self.problems_url(client, world)
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(world.chris)
        assert client.get(url).status_code == 404

    def test_wrong_method(self, client, world):
        url = self.problems_url(client, world)
        assert client.post(url).status_code == 405
