"""The audit lead imports a case list: a bad row first, then the fixed file; maps another
extract's columns; reads the figures; adds a benchmark."""

import pytest
from playwright.sync_api import expect

from caseaudit.population.models import ColumnMapping, PopulationSnapshot
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in, submit

pytestmark = pytest.mark.browser

HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,previous_plan_end\n"
)
GOOD_ROWS = [
    "C1,2015-03-02,Female,Team A,S1,neglect,2026-01-10,2024-05-01",
    "C2,2018-07-12,Male,Team A,S1,neglect,2026-02-01,",
    "C3,2009-01-01,Male,Team B,,physical abuse,2025-11-01,2022-01-01",
]
BAD_ROW = "C4,31/02/2019,Female,Team B,,multiple,2026-01-01,"
FIXED_ROW = "C4,28/02/2019,Female,Team B,,multiple,2026-01-01,"
ANNEX_A = "Child Unique ID,Gender,Category of abuse\nA1,Female,Neglect\nA2,Male,Multiple\n"


def csv_upload(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def test_audit_lead_imports_maps_and_compares(page, world):
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    follow(page, page.get_by_role("link", name="Population", exact=True).first)
    assert path_of(page) == "/population/"
    axe_check(page)

    # A file with an impossible date: nothing imported, the row and column named.
    follow(page, page.get_by_role("link", name="Import a case list"))
    assert path_of(page) == "/population/import/"
    axe_check(page)
    bad = HEADER + "\n".join([*GOOD_ROWS, BAD_ROW]) + "\n"
    field(page, "file").set_input_files(csv_upload("cases.csv", bad))
    submit(page, "file")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Row 5, column date_of_birth")
    expect(error_summary(page)).to_contain_text("Nothing has been imported")
    expect(page.get_by_role("link", name="Download all 1 problem (CSV)")).to_be_visible()
    assert not PopulationSnapshot.objects.exists()

    # The fixed file goes in and the figures follow.
    fixed = HEADER + "\n".join([*GOOD_ROWS, FIXED_ROW]) + "\n"
    field(page, "file").set_input_files(csv_upload("cases.csv", fixed))
    submit(page, "file")
    assert path_of(page).startswith("/population/")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("4 children imported from cases.csv")

    # Another extract's columns, mapped to ours.
    page.goto("/population/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Add a column mapping"))
    assert path_of(page) == "/population/mappings/new/"
    axe_check(page)
    field(page, "file").set_input_files(csv_upload("annex-a.csv", ANNEX_A))
    submit(page, "file")
    assert path_of(page) == "/population/mappings/new/columns/"
    axe_check(page)
    expect(field(page, "gender")).to_have_value("Gender")
    field(page, "child_id").select_option("Child Unique ID")
    field(page, "plan_category").select_option("Category of abuse")
    field(page, "mapping_name").fill("Annex A")
    submit(page, "mapping_name")
    assert path_of(page) == "/population/import/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Mapping Annex A saved")
    assert ColumnMapping.objects.get().columns["child_id"] == "Child Unique ID"
    expect(field(page, "mapping")).to_have_value("Annex A")
    field(page, "file").set_input_files(csv_upload("annex-a.csv", ANNEX_A))
    submit(page, "file")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("2 children imported from annex-a.csv")

    # A benchmark, with a typing mistake first.
    follow(page, page.get_by_role("link", name="Add the national rate and your statistical"))
    assert path_of(page) == "/population/benchmarks/"
    axe_check(page)
    page.locator("main input[name='kind'][value='national']").check()
    field(page, "label").fill("England")
    field(page, "value").fill("twenty-three")
    submit(page, "label")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter the value as a number, like 16.5")
    expect(field(page, "label")).to_have_value("England")
    field(page, "value").fill("23.3")
    submit(page, "label")
    assert path_of(page) == "/population/benchmarks/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Benchmark England added")

    # The first import's figures, now beside England.
    snapshot = PopulationSnapshot.objects.get(file_name="cases.csv")
    page.goto(f"/population/{snapshot.pk}/")
    axe_check(page)
    chart = page.locator("main svg[role='img']")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("England")
    expect(page.locator("main table").first).to_contain_text("23.30%")
    expect(page.locator("main")).to_contain_text("By plan category")
    expect(page.locator("main")).not_to_contain_text("C1")
