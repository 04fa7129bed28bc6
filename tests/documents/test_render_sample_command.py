import io
import json

import docx
import pypdf
import pytest
from django.core.management import call_command

from caseaudit.documents.model import document_from_dict
from caseaudit.documents.samples import sample_seven_minute_briefing


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "json"])
def test_it_writes_the_briefing_in_each_format(tmp_path, fmt):
    out = tmp_path / f"briefing.{fmt}"
    call_command("render_sample", sample="seven-minute-briefing", format=fmt, output=out,
                 stdout=io.StringIO())  # fmt: skip
    content = out.read_bytes()
    title = "7 Minute Briefing: neglect audit"
    if fmt == "pdf":
        assert pypdf.PdfReader(io.BytesIO(content)).metadata.title == title
    elif fmt == "docx":
        assert docx.Document(io.BytesIO(content)).core_properties.title == title
    elif fmt == "html":
        assert f"<title>{title}</title>" in content.decode()
    else:
        assert document_from_dict(json.loads(content)) == sample_seven_minute_briefing()
