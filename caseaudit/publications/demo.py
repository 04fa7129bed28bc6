"""The demo's publications (issue 7, item 6): the repeat-plans audit's full report, the neglect
deep dive's 7 Minute Briefing and May's learning briefing, each published once in every format
through the same service the pages use, so the demo's texts pass the same privacy check."""

from caseaudit.audits.models import Audit
from caseaudit.publications.publishing import publication_publish

DEMO_PUBLICATIONS = (
    ("Repeat Child Protection Plans", "full-report"),
    ("Neglect: a multi-agency deep dive", "seven-minute-briefing"),
    ("Monthly practice audit: May 2026", "learning-briefing"),
)


def load_demo_publications(partnership, user) -> bool:
    """Publish what is not published yet. Returns True when anything was published. Raises
    PrivacyCheckFailed when a demo text trips the privacy check (the demo is then wrong)."""
    made = False
    for title, product in DEMO_PUBLICATIONS:
        audit = Audit.objects.filter(partnership=partnership, title=title).first()
        if audit is None or audit.publications.filter(product=product).exists():
            continue
        publication_publish(audit=audit, product=product, user=user, via="demo")
        made = True
    return made
