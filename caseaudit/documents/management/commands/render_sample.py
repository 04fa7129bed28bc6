import json
from pathlib import Path

from django.core.management.base import BaseCommand

from caseaudit.documents.model import document_to_dict
from caseaudit.documents.render import FORMATS, render
from caseaudit.documents.samples import sample_full_report, sample_seven_minute_briefing

SAMPLES = {"full-report": sample_full_report, "seven-minute-briefing": sample_seven_minute_briefing}


class Command(BaseCommand):
    help = (
        "Render one of the synthetic sample publications (invented data) as HTML, DOCX, PDF "
        "or the document model's JSON: to look at the layout without an audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sample", choices=sorted(SAMPLES), default="full-report")
        parser.add_argument("--format", choices=[*FORMATS, "json"], default="pdf")
        parser.add_argument("--output", required=True, type=Path, metavar="PATH")

    def handle(self, *args, **options):
        document = SAMPLES[options["sample"]]()
        if options["format"] == "json":
            content = json.dumps(document_to_dict(document), indent=2, ensure_ascii=False)
            options["output"].write_text(content + "\n", encoding="utf-8")
        else:
            content, _, _ = render(document, options["format"])
            options["output"].write_bytes(content)
        self.stdout.write(f"Wrote {options['output']}")
