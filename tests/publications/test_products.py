"""The three publications built from a real audit: every section heading, the key figures (the
same as the statistics endpoint's) and no identifying detail, in DOCX (python-docx) and PDF
(pypdf text extraction)."""

import io
import re

import docx
import pypdf
import pytest

from caseaudit.analysis.statistics import audit_statistics
from caseaudit.documents.render import render
from caseaudit.findings.models import Finding, LearningTheme, Recommendation, ReportPoint, Vignette
from caseaudit.findings.services import quote_add, report_text_save
from caseaudit.publications.products import PRODUCTS, build_document, percent_text
from caseaudit.returns.models import Answer
from tests.analysis.fixtures import CHILDREN, statistics_audit
from tests.returns.factories import identifying_details

pytestmark = pytest.mark.django_db

FULL_REPORT_SECTIONS = [
    "Introduction",
    "Audit methodology",
    "Thematic findings",
    "Practitioners' and parents' perspectives",
    "Conclusions",
    "Findings",
    "Recommendations",
    "Appendices",
]
BRIEFING_PANELS = [
    "01 Aim of the audit",
    "02 Background",
    "03 Overview",
    "04 Key learning themes",
    "05 Areas for improvement",
    "06 Good practice",
    "07 Recommendations",
]
LEARNING_SECTIONS = [
    "How much did we do?",
    "How well are we doing?",
    "What does good look like?",
    "Where do we need to focus?",
    "What action have we taken?",
    "How well are we doing our audits?",
    "Triangulation",
    "Recommendations",
]


@pytest.fixture
def audit(world):
    audit = statistics_audit(world, title="Neglect: multi-agency audit")
    lena = world.lena
    child = CHILDREN[3]
    # An auditor wrote the child's name in a comment: the publication must not carry it.
    Answer.objects.filter(
        request__audit=audit, comment="No tools were recorded on the file."
    ).update(comment=f"No tools were recorded for {child.name}.")
    report_text_save(
        audit=audit,
        fields={
            "introduction": "Why we looked at neglect.",
            "background": "Neglect is a priority.",
            "overview": "Five children, two agencies.",
            "practitioners_perspective": "Practitioners wanted time to reflect.",
            "family_perspective": "Parents valued honesty.",
            "conclusions": "Tools were rarely used.",
            "triangulation": "Dip samples agree.",
        },
        user=lena,
    )
    finding = Finding.objects.create(
        audit=audit,
        number=1,
        text="Tools were seldom used.",
        challenge_for="all agencies",
        challenge="Use the tools.",
        question_keys=["tools"],
    )
    answer = Answer.objects.get(request__audit=audit, comment__startswith="No tools")
    quote_add(finding=finding, answer_pk=answer.pk, user=lena)
    Recommendation.objects.create(audit=audit, number=1, text="Train on GCP2.", finding=finding)
    LearningTheme.objects.create(audit=audit, number=1, title="Voice of the child")
    for number, (kind, text) in enumerate(
        [("good_practice", "Prompt sharing."), ("improvement", "Record visits.")], start=1
    ):
        ReportPoint.objects.create(audit=audit, number=number, kind=kind, text=text)
    Vignette.objects.create(
        audit=audit, number=1, kind="case_example", title="Child 2's story", text="A story."
    )
    Vignette.objects.create(
        audit=audit, number=2, kind="what_good_looks_like", title="Good work", text="Good."
    )
    return audit


def docx_text(content: bytes) -> tuple[list[tuple[str, str]], str]:
    """(style, text) of every heading, body and table cells included, and all the words."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    return headings, "\n".join(p.text for p in paragraphs)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_full_report_has_every_section_and_the_statistics_figures(audit):
    document = build_document("full-report", audit)
    docx_bytes, _, _ = render(document, "docx")
    pdf_bytes, _, _ = render(document, "pdf")
    headings, words = docx_text(docx_bytes)
    pdf_words = squash(pdf_text(pdf_bytes))
    level_1 = [text for style, text in headings if style == "Heading 1"]
    assert level_1 == FULL_REPORT_SECTIONS
    for section in FULL_REPORT_SECTIONS:
        assert section in pdf_words
    statistics = audit_statistics(audit, by_case=False)
    for question in statistics["questions"]:
        for option in question["options"]:
            if question["n"]:
                assert percent_text(option["percent"]) in words, (question["key"], option["key"])
                assert percent_text(option["percent"]) in pdf_words
    # Requests sent and returned, the numbered finding with its challenge, the quote.
    assert "10 audit requests were sent to agencies and 9 returned (90.0%)" in squash(words)
    assert "Challenge for all agencies:" in words
    assert "No tools were recorded for Child 4." in words
    assert "Appendix 1: A case example from the audit sample" in words
    assert "Appendix 2: The audit template's questions" in words


def test_the_seven_minute_briefing_has_its_seven_numbered_sections(audit):
    document = build_document("seven-minute-briefing", audit)
    headings, words = docx_text(render(document, "docx")[0])
    assert [text for _, text in headings if text[:2].isdigit()] == BRIEFING_PANELS
    pdf_words = squash(pdf_text(render(document, "pdf")[0]))
    for panel in BRIEFING_PANELS:
        assert panel.split(" ", 1)[1] in pdf_words
    assert "Voice of the child" in words
    assert "Record visits." in words
    assert "Prompt sharing." in words
    assert len(pypdf.PdfReader(io.BytesIO(render(document, "pdf")[0])).pages) <= 2


def test_the_learning_briefing_has_its_sections(audit, world):
    import datetime

    from caseaudit.actions.services import action_create

    for due in (datetime.date(2026, 5, 20), datetime.date(2099, 1, 1)):
        action_create(
            partnership=world.north,
            user=world.lena,
            owner=world.memberships["chris"],
            what="Record the child's words",
            due_date=due,
            success_measure="Dip sample in three months",
            originated_on=datetime.date(2026, 5, 4),
            notify_owner=False,
        )
    from caseaudit.moderation.models import Engagement

    audit.planned_month = datetime.date(2026, 5, 1)
    audit.save(update_fields=["planned_month"])
    child_1 = audit.sample.cases.get(pseudonym="Child 1")
    Engagement.objects.create(
        audit=audit,
        sampled_case=child_1,
        social_worker="engaged",
        team_manager="engaged",
        child="not_appropriate",
        child_reason="Aged 1",
        parents="engaged",
    )
    document = build_document("learning-briefing", audit)
    headings, words = docx_text(render(document, "docx")[0])
    assert [text for style, text in headings if style == "Heading 1"] == LEARNING_SECTIONS
    pdf_words = squash(pdf_text(render(document, "pdf")[0]))
    for section in LEARNING_SECTIONS:
        assert section in pdf_words
    # Five children identified; their nine returns were in on time (the fixture's due date).
    assert "Dip samples agree." in words
    assert "Good work" in words
    assert "Engagement in audits, month by month" in pdf_words
    assert "May 2026\n1\n1\n1\n0\n1" in words
    # The tracker: May 2026, two actions, none completed, one past due, one not yet due.
    assert "May 2026\n2\n0\n1\n1\n0" in words


@pytest.mark.parametrize("product", sorted(PRODUCTS))
def test_no_identifying_detail_reaches_any_format(audit, product):
    document = build_document(product, audit)
    for fmt in ("html", "docx", "pdf"):
        content = render(document, fmt)[0]
        if fmt == "docx":
            text = docx_text(content)[1]
        elif fmt == "pdf":
            text = squash(pdf_text(content))
        else:
            text = content.decode()
        for child in CHILDREN:
            for detail in identifying_details(child):
                assert detail not in text, (product, fmt, detail)


def test_the_full_report_says_how_far_each_recommendation_has_got(audit, world):
    import datetime

    from caseaudit.actions.services import action_cancel, action_complete, action_create

    recommendation = audit.recommendations.get()
    document = build_document("full-report", audit)
    words = squash(docx_text(render(document, "docx")[0])[1])
    assert "Train on GCP2. Answers finding 1." in words
    assert "Actions agreed" not in words

    def agreed(what):
        return action_create(
            partnership=world.north,
            user=world.lena,
            owner=world.memberships["sam"],
            what=what,
            due_date=datetime.date(2099, 1, 1),
            success_measure="Seen in the next audit",
            source=recommendation,
        )

    agreed("Book the training")
    action_complete(action=agreed("Write the guide"), user=world.lena, evidence="Published")
    action_cancel(action=agreed("Duplicate"), user=world.lena, reason="Entered twice")
    document = build_document("full-report", audit)
    words = squash(docx_text(render(document, "docx")[0])[1])
    assert "Answers finding 1. Actions agreed: 2 (1 completed, 0 overdue)." in words
    assert "Book the training" not in words
    assert "Actions agreed: 2 (1 completed, 0 overdue)." in squash(
        pdf_text(render(document, "pdf")[0])
    )
