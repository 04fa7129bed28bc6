"""The documents benchmark's measuring half: run by bench/benchmarks/documents.py as
`python -m bench.documents_worker` in a fresh process (so the first render pays what a fresh
worker pays: importing python-docx and Typst, loading the fonts), with the production settings.

Builds the synthetic full report (25 cases, 15 question charts plus the population chart) and
the 7 Minute Briefing from caseaudit/documents/samples.py, renders each as DOCX and as PDF
several times, checks what came out (pages, pictures, headings) and writes the timings as JSON
to --out. Those two need no database: the documents are built from data, as a publication is
once its figures are read. With --database it also seeds a 25-case, 12-agency audit in the
database (PostgreSQL), builds its full report through `build_document` before every render and
rolls the seed back at the end.
"""

import argparse
import io
import json
import time

import django

django.setup()

import docx  # noqa: E402
import pypdf  # noqa: E402

from bench.import_worker import cpu_use  # noqa: E402
from bench.load import CpuMeter  # noqa: E402
from caseaudit.documents.docx import render_docx  # noqa: E402
from caseaudit.documents.pdf import render_pdf  # noqa: E402
from caseaudit.documents.samples import sample_full_report, sample_seven_minute_briefing  # noqa: E402


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(name: str, build, runs: int, meter: CpuMeter, *, rebuild: bool = False) -> dict:
    """Renders the document `runs` times; with `rebuild` it is built again from the database
    before each render and those times are kept too (`builds`)."""
    build_time, document = _timed(build)
    before = meter.snapshot()
    docx_times, pdf_times, builds = [], [], []
    for _ in range(runs):
        if rebuild:
            seconds, document = _timed(build)
            builds.append(seconds)
        seconds, word = _timed(render_docx, document)
        docx_times.append(seconds)
        seconds, pdf = _timed(render_pdf, document)
        pdf_times.append(seconds)
    use = cpu_use(meter, before)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    opened = docx.Document(io.BytesIO(word))
    return {
        "name": name,
        "build": build_time,
        "builds": builds,
        "docx": docx_times,
        "pdf": pdf_times,
        "cpu": use,
        "pdf_pages": len(reader.pages),
        "pdf_bytes": len(pdf),
        "docx_bytes": len(word),
        "charts": len(document.charts()),
        "docx_pictures": len(opened.inline_shapes),
        "sections": len(document.sections),
    }


def seeded_full_report():
    """The full report of a real audit in the bench database: 25 children x 12 agencies, 20
    questions, every return submitted (bench/returns_seed.py, PostgreSQL), with a finding and a
    recommendation; built through `build_document` as publishing does. Call it inside a
    transaction that is rolled back afterwards, so the seed leaves nothing behind."""
    from bench.returns_seed import seed_returns
    from caseaudit.findings.models import Finding, Recommendation
    from caseaudit.publications.products import build_document

    audit = seed_returns(300, 20, n_agencies=12, seed=7)
    finding = Finding.objects.create(
        audit=audit, number=1, text="Chronologies were not kept up to date.", challenge=""
    )
    Recommendation.objects.create(
        audit=audit, number=1, text="Keep chronologies up to date.", finding=finding
    )
    return lambda: build_document("full-report", audit)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--database", action="store_true", help="also the full report of an audit seeded in the DB"
    )
    args = parser.parse_args()
    meter = CpuMeter(lambda: None)
    results = [
        measure("full report", sample_full_report, args.runs, meter),
        measure("7 Minute Briefing", sample_seven_minute_briefing, args.runs, meter),
    ]
    if args.database:
        from django.db import transaction

        with transaction.atomic():
            build = seeded_full_report()
            results.append(
                measure("full report of a seeded audit", build, args.runs, meter, rebuild=True)
            )
            transaction.set_rollback(True)
    with open(args.out, "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main()
