"""The demo publishes the repeat-plans audit's full report, the neglect deep dive's 7 Minute
Briefing and May's learning briefing in every format (through the privacy check), once."""

import io

import docx
import pypdf

from caseaudit.accounts.demo import load_demo
from caseaudit.publications.demo import DEMO_PUBLICATIONS
from caseaudit.publications.models import Publication
from caseaudit.publications.privacy import find_identifying_details


def test_the_demo_publishes_its_three_products_in_every_format_once(db):
    load_demo()
    published = Publication.objects.select_related("audit").order_by("pk")
    assert [(p.audit.title, p.product) for p in published] == list(DEMO_PUBLICATIONS)
    for publication in published:
        assert (publication.status, publication.version) == ("ready", 1)
        assert publication.published_by.email == "lead@north.example"
        files = {file.format: file.full_path.read_bytes() for file in publication.files.all()}
        assert sorted(files) == ["docx", "html", "pdf"]
        word = docx.Document(io.BytesIO(files["docx"]))
        pdf = pypdf.PdfReader(io.BytesIO(files["pdf"]))
        texts = [("docx", "\n".join(p.text for p in word.paragraphs))]
        texts += [(f"page {n}", page.extract_text()) for n, page in enumerate(pdf.pages, 1)]
        # What the files hold (not only the document they were made from) passes the check.
        assert find_identifying_details(texts, audit=publication.audit) == []
    load_demo()
    assert Publication.objects.count() == 3
