"""/population/mappings/new/: read a file's header row, match its columns to ours, save the
mapping by name. The file itself is not kept: only its header names, in the session."""

from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.population.models import ColumnMapping, PopulationCase, PopulationSnapshot

UPLOAD_URL = "/population/mappings/new/"
COLUMNS_URL = "/population/mappings/new/columns/"
ANNEX_A = (
    b"Child Unique ID,Gender,Date of birth,Category of abuse,Team\n"
    b"A100,Female,01/02/2016,Neglect,Team A\n"
    b"A101,Male,03/04/2019,Emotional abuse,Team B\n"
)


def annex_a() -> SimpleUploadedFile:
    return SimpleUploadedFile("annex-a.csv", ANNEX_A, content_type="text/csv")


def upload(client, world, persona: str = "lena"):
    client.force_login(world.users[persona])
    return client.post(UPLOAD_URL, {"file": annex_a()})


def choices(**chosen: str) -> dict:
    data = {
        "child_id": "Child Unique ID",
        "plan_category": "Category of abuse",
        "gender": "Gender",
        "date_of_birth": "Date of birth",
        "team": "Team",
        "mapping_name": "Annex A",
    }
    return {**data, **chosen}


class TestMappingUpload:
    def test_it_reads_only_the_header_row(self, client, world):
        response = upload(client, world)
        assert response.status_code == 302
        assert response["Location"] == COLUMNS_URL
        kept = client.session["population_mapping_headers"]
        assert kept == {
            "headers": ["Child Unique ID", "Gender", "Date of birth", "Category of abuse", "Team"],
            "file_name": "annex-a.csv",
        }
        assert "A100" not in str(dict(client.session))
        assert not PopulationSnapshot.objects.exists()

    def test_an_empty_file(self, client, world):
        client.force_login(world.lena)
        response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile("a.csv", b"\n\n")})
        assert response.status_code == 200
        assert "The selected file is empty" in response.content.decode()

    def test_a_binary_file(self, client, world):
        client.force_login(world.lena)
        upload = SimpleUploadedFile("a.csv", b"%PDF-1.7\n" + bytes(range(256)))
        content = client.post(UPLOAD_URL, {"file": upload}).content.decode()
        assert "The selected file must be a CSV or Excel (.xlsx) file" in content

    def test_no_file_chosen(self, client, world):
        client.force_login(world.lena)
        content = client.post(UPLOAD_URL, {}).content.decode()
        assert "Select a CSV or Excel (.xlsx) file" in content
        assert 'enctype="multipart/form-data"' in content

    def test_access(self, client, world):
        assert client.get(UPLOAD_URL).status_code == 302
        client.force_login(world.morgan)
        assert client.post(UPLOAD_URL, {"file": annex_a()}).status_code == 404
        assert "population_mapping_headers" not in client.session
        client.force_login(world.lena)
        assert client.put(UPLOAD_URL).status_code == 405


class TestMappingColumns:
    def test_matching_names_are_chosen_already(self, client, world):
        upload(client, world)
        content = client.get(COLUMNS_URL).content.decode()
        assert '<option value="Gender" selected>' in content
        assert '<option value="Date of birth" selected>' in content
        assert '<option value="Team" selected>' in content
        assert '<option value="Child Unique ID" selected>' not in content
        assert "annex-a.csv" in content

    def test_it_saves_the_mapping_and_sends_you_to_import_with_it(self, client, world):
        upload(client, world)
        response = client.post(COLUMNS_URL, choices())
        assert response.status_code == 302
        assert response["Location"] == "/population/import/?mapping=Annex+A"
        mapping = ColumnMapping.objects.get()
        assert (mapping.partnership, mapping.name) == (world.north, "Annex A")
        assert mapping.columns["child_id"] == "Child Unique ID"
        assert mapping.columns["plan_category"] == "Category of abuse"
        assert mapping.columns["name"] == ""
        assert "population_mapping_headers" not in client.session

        content = client.get(response["Location"]).content.decode()
        assert "Mapping Annex A saved. Now import annex-a.csv with it" in content
        assert '<option value="Annex A" selected>' in content
        response = client.post(
            "/population/import/", {"file": annex_a(), "mapping": "Annex A"}, follow=True
        )
        assert PopulationCase.objects.filter(snapshot__partnership=world.north).count() == 2
        assert "2 children imported" in response.content.decode()

    def test_required_columns_must_be_chosen(self, client, world):
        upload(client, world)
        response = client.post(COLUMNS_URL, choices(child_id="", mapping_name="Mine"))
        content = response.content.decode()
        assert response.status_code == 200
        assert "Select the column that holds child_id" in content
        # What was chosen stays chosen.
        assert '<option value="Category of abuse" selected>' in content
        assert 'value="Mine"' in content
        assert not ColumnMapping.objects.exists()

    def test_only_the_files_headers_can_be_chosen(self, client, world):
        upload(client, world)
        content = client.post(COLUMNS_URL, choices(team="Invented")).content.decode()
        assert "Select one of the file&#x27;s columns for team" in content

    def test_the_name_must_be_new_in_this_partnership(self, client, world):
        ColumnMapping.objects.create(partnership=world.north, name="Annex A", columns={})
        ColumnMapping.objects.create(partnership=world.south, name="South", columns={})
        upload(client, world)
        content = client.post(COLUMNS_URL, choices(mapping_name="annex a")).content.decode()
        assert "A mapping called annex a already exists. Enter a different name" in content
        assert ColumnMapping.objects.filter(partnership=world.north).count() == 1
        # Another partnership's names do not count.
        assert client.post(COLUMNS_URL, choices(mapping_name="South")).status_code == 302

    def test_a_name_is_needed(self, client, world):
        upload(client, world)
        content = client.post(COLUMNS_URL, choices(mapping_name="")).content.decode()
        assert "Enter a name for this mapping" in content

    def test_without_a_file_it_sends_you_to_step_one(self, client, world):
        client.force_login(world.lena)
        response = client.get(COLUMNS_URL)
        assert response.status_code == 302
        assert response["Location"] == UPLOAD_URL

    def test_south_saves_into_south(self, client, world):
        upload(client, world, "sol")
        client.post(COLUMNS_URL, choices())
        assert ColumnMapping.objects.get().partnership == world.south

    def test_access(self, client, world):
        upload(client, world)
        client.logout()
        assert client.post(COLUMNS_URL, choices()).status_code == 302
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            client.force_login(world.users[persona])
            assert client.post(COLUMNS_URL, choices()).status_code == 404
        assert not ColumnMapping.objects.exists()
        client.force_login(world.lena)
        assert client.delete(COLUMNS_URL).status_code == 405
