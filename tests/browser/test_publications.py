"""The audit lead previews the 7 Minute Briefing, finds a child's name in it, tries to publish
(refused), accepts the hit with a reason (a missing reason first), publishes and downloads the
PDF; a board viewer sees the version and downloads it too. Every page is checked with axe."""

import pypdf
import pytest
from playwright.sync_api import expect

from caseaudit.findings.services import report_text_save
from tests.analysis.fixtures import CHILDREN, statistics_audit
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_lead_accepts_a_hit_publishes_and_a_board_viewer_downloads(new_page, world, tmp_path):
    audit = statistics_audit(world)
    name = CHILDREN[0].name
    report_text_save(
        audit=audit,
        fields={"background": f"The family of {name} asked that the audit be shared."},
        user=world.lena,
    )
    page = new_page()
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Publications: the full report"))
    assert path_of(page) == f"/audits/{audit.pk}/publications/"
    axe_check(page)
    follow(page, page.get_by_role("link", name="Preview and publish the 7 minute briefing"))
    card = page.locator("#hit-1")
    expect(card).to_contain_text("Child's name (Child 1)")
    expect(card).to_contain_text("The briefing, 02 Background, paragraph 1")
    expect(card.locator("mark")).to_have_text(name)
    expect(page.get_by_role("button", name="Publish version 1")).to_have_count(0)
    expect(page.locator(".app-publication-preview")).to_contain_text("07 Recommendations")
    axe_check(page)

    follow(page, page.get_by_role("button", name="Accept detail 1 for publishing"))
    expect(error_summary(page)).to_contain_text("Enter why this can be published")
    axe_check(page)
    field(page, "hit-1-reason").fill("The family asked for the name to be used")
    follow(page, page.get_by_role("button", name="Accept detail 1 for publishing"))
    expect(page.locator("main")).to_contain_text("Accepted for publishing, with your reason")
    expect(page.locator("main")).to_contain_text("No identifying details found")
    axe_check(page)

    follow(page, page.get_by_role("button", name="Publish version 1 as HTML, Word and PDF"))
    expect(page.get_by_role("heading", name="7 Minute Briefing: version 1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ready")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of version 1").click()
    download = download_info.value
    assert download.suggested_filename == "seven-minute-briefing-v1.pdf"
    saved = tmp_path / "lead.pdf"
    download.save_as(saved)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(saved).pages)
    assert "Aim of the audit" in text

    board = new_page()
    sign_in(board, world.bea.email, world.totp_secrets["bea"])
    board.goto(f"/audits/{audit.pk}/publications/")
    expect(board.locator("#seven-minute-briefing ~ table").first).to_contain_text("Version 1")
    expect(board.get_by_role("link", name="Preview and publish")).to_have_count(0)
    axe_check(board)
    follow(board, board.get_by_role("link", name="Version 1").first)
    axe_check(board)
    with board.expect_download() as download_info:
        board.get_by_role("link", name="Download DOCX of version 1").click()
    assert download_info.value.suggested_filename == "seven-minute-briefing-v1.docx"
