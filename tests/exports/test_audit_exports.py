"""The exports page of an audit and its downloads: CSV and XLSX read back, formula characters
neutralised, identifying details only for people allowed to see them and always logged, and
404 for everyone the audit's results are not for."""

import csv
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.exports import rows
from tests.returns.factories import CHILDREN


def signed_in(client, world, name):
    client.force_login(world.users[name])
    return client


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_page_offers_exports_and_formats(client, world, audit):
    response = signed_in(client, world, "lena").get(f"/audits/{audit.pk}/exports/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Returns, one row per answer" in page
    assert 'name="identifying"' in page
    assert "recorded in the access log" in page


def test_the_identifying_checkbox_is_only_for_those_allowed(client, world, audit):
    response = signed_in(client, world, "bea").get(f"/audits/{audit.pk}/exports/")
    assert response.status_code == 200
    assert 'name="identifying"' not in response.content.decode()


def test_choosing_sends_to_the_download(client, world, audit):
    response = signed_in(client, world, "lena").get(
        f"/audits/{audit.pk}/exports/", {"export": "returns-wide", "format": "xlsx"}
    )
    assert response.status_code == 302
    assert response.url == f"/audits/{audit.pk}/exports/returns-wide.xlsx"


def test_choosing_identifying_details_keeps_the_choice(client, world, audit):
    response = signed_in(client, world, "lena").get(
        f"/audits/{audit.pk}/exports/",
        {"export": "returns-long", "format": "csv", "identifying": "on"},
    )
    assert response.url == f"/audits/{audit.pk}/exports/returns-long.csv?identifying=1"


def test_choosing_nothing_shows_errors(client, world, audit):
    response = signed_in(client, world, "lena").get(f"/audits/{audit.pk}/exports/", {"format": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select what you want to export" in page
    assert "Select a format" in page


def test_csv_long_streams_and_reads_back(client, world, audit, monkeypatch):
    """The answers are read a batch of returns at a time (memory holds one batch): with a
    batch of one return, two reads for the two submitted returns."""
    batches = []
    answers_of = rows.answers_of

    def spy(request_ids):
        batches.append(list(request_ids))
        return answers_of(request_ids)

    monkeypatch.setattr(rows, "answers_of", spy)
    monkeypatch.setattr(rows, "REQUEST_BATCH", 1)
    response = signed_in(client, world, "lena").get(f"/audits/{audit.pk}/exports/returns-long.csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{audit.pk}-returns-long.csv"'
    )
    table = read_csv(response)
    assert [len(batch) for batch in batches] == [1, 1]
    assert table[0] == rows.LONG_HEADER
    assert len(table) == 1 + 9 + 2
    by_key = {(row[2], row[4], row[7]): row for row in table[1:]}
    csc = "North Children's Social Care"
    assert by_key[(csc, "tools", "chronology")][13] == '\'=HYPERLINK("x")'
    assert by_key[(csc, "tools", "genogram")][8] == "'=Genogram"
    assert by_key[(csc, "seen_alone", "yes")][13] == "'@seen at school"
    assert by_key[(csc, "child_words", "")][10] == "'-I want to stay"
    assert by_key[(csc, "summary", "")][10] == "'=SUM(A1:A9)"
    assert by_key[(csc, "summary", "")][13] == "'+good work"
    assert by_key[(csc, "visits", "")][11] == "4"
    assert by_key[(csc, "plan_date", "")][12] == "2029-11-02"


def test_xlsx_wide_reads_back_with_numbers_as_numbers(client, world, audit):
    response = signed_in(client, world, "morgan").get(
        f"/audits/{audit.pk}/exports/returns-wide.xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{audit.pk}-returns-wide.xlsx"'
    )
    table = read_xlsx(response)
    header = table[0]
    csc = dict(zip(header, table[1], strict=True))
    assert csc["case"] == "Child A"
    assert csc["tools"] == "chronology; genogram"
    assert csc["tools_comment"] == '\'=HYPERLINK("x")'
    assert csc["summary"] == "'=SUM(A1:A9)"
    assert csc["visits"] == 4
    assert csc["plan_date"].date().isoformat() == "2029-11-02"
    assert len(table) == 3


def test_every_export_is_logged(client, world, audit):
    signed_in(client, world, "bea").get(f"/audits/{audit.pk}/exports/returns-wide.csv")
    event = AccessEvent.objects.get(action=Action.EXPORT)
    assert event.user == world.bea
    assert event.object_id == str(audit.pk)
    assert event.detail == f"Export audit-{audit.pk}-returns-wide.csv"


def test_identifying_details_are_absent_by_default(client, world, audit):
    response = signed_in(client, world, "lena").get(f"/audits/{audit.pk}/exports/returns-long.csv")
    text = b"".join(response.streaming_content).decode()
    for detail in (CHILDREN[0].child_id, CHILDREN[0].name, CHILDREN[0].date_of_birth):
        assert detail not in text
    assert not AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()


def test_identifying_details_when_permitted_are_logged(client, world, audit):
    response = signed_in(client, world, "lena").get(
        f"/audits/{audit.pk}/exports/returns-long.xlsx?identifying=1"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{audit.pk}-returns-long-identifying.xlsx"'
    )
    table = read_xlsx(response)
    assert table[0][2:5] == ["child_id", "child_name", "date_of_birth"]
    assert {tuple(row[2:5]) for row in table[1:]} == {
        (CHILDREN[0].child_id, CHILDREN[0].name, CHILDREN[0].date_of_birth)
    }
    event = AccessEvent.objects.get(action=Action.VIEW_IDENTIFYING_DETAILS)
    assert event.user == world.lena
    assert "with identifying details" in event.detail


@pytest.mark.parametrize("name", ["bea", "morgan"])
def test_identifying_details_are_refused_to_others(client, world, audit, name):
    response = signed_in(client, world, name).get(
        f"/audits/{audit.pk}/exports/returns-long.csv?identifying=1"
    )
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()


def test_an_unknown_export_or_format_is_not_found(client, world, audit):
    client = signed_in(client, world, "lena")
    assert client.get(f"/audits/{audit.pk}/exports/returns-tall.csv").status_code == 404
    assert client.get(f"/audits/{audit.pk}/exports/returns-long.ods").status_code == 404


@pytest.mark.parametrize("url", ["/audits/{pk}/exports/", "/audits/{pk}/exports/returns-long.csv"])
def test_agency_auditor_only_after_release(client, world, audit, url):
    client = signed_in(client, world, "chris")
    assert client.get(url.format(pk=audit.pk)).status_code == 404
    audit.results_released_at = timezone.now()
    audit.save(update_fields=["results_released_at"])
    assert client.get(url.format(pk=audit.pk)).status_code == 200


def test_agency_auditor_after_release_gets_every_agency_pseudonymised(client, world, audit):
    audit.results_released_at = timezone.now()
    audit.save(update_fields=["results_released_at"])
    client = signed_in(client, world, "chris")
    table = read_csv(client.get(f"/audits/{audit.pk}/exports/returns-wide.csv"))
    assert {row[1] for row in table[1:]} == {"North Children's Social Care", "North Health Trust"}
    response = client.get(f"/audits/{audit.pk}/exports/returns-wide.csv?identifying=1")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/audits/{pk}/exports/", "/audits/{pk}/exports/returns-long.csv"])
def test_other_partnership_gets_404(client, world, audit, url):
    assert signed_in(client, world, "sol").get(url.format(pk=audit.pk)).status_code == 404


@pytest.mark.parametrize("url", ["/audits/{pk}/exports/", "/audits/{pk}/exports/returns-long.csv"])
def test_anonymous_goes_to_sign_in(client, audit, url):
    response = client.get(url.format(pk=audit.pk))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/audits/{pk}/exports/", "/audits/{pk}/exports/returns-long.csv"])
def test_wrong_method(client, world, audit, url):
    assert signed_in(client, world, "lena").post(url.format(pk=audit.pk)).status_code == 405


def test_statistics_csv(client, world, audit):
    response = signed_in(client, world, "sam").get(f"/audits/{audit.pk}/exports/statistics.csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{audit.pk}-statistics.csv"'
    )
    table = read_csv(response)
    assert table[0] == rows.STATISTICS_HEADER
    genogram = next(row for row in table if row[2] == "tools" and row[8] == "genogram")
    assert genogram[9] == "'=Genogram"


def test_statistics_have_no_identifying_details(client, world, audit):
    client = signed_in(client, world, "lena")
    response = client.get(f"/audits/{audit.pk}/exports/statistics.csv?identifying=1")
    assert response.status_code == 404
    response = client.get(
        f"/audits/{audit.pk}/exports/",
        {"export": "statistics", "format": "csv", "identifying": "on"},
    )
    assert response.status_code == 200
    assert "Statistics have no identifying details" in response.content.decode()
