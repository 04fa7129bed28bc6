import struct
import zlib

import pytest

from caseaudit.analysis.charts import question_chart
from caseaudit.documents.fonts import FONT_FAMILY
from tests.documents.sample import chart_question


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR"
    assert length == 13
    assert zlib.crc32(png[12:29]) == struct.unpack(">I", png[29:33])[0]
    assert png.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", png[16:24])


@pytest.mark.parametrize("ppi", [72, 144, 192])
def test_png_is_the_charts_size_at_the_resolution(ppi):
    chart = question_chart(chart_question())
    # 640 x (16 + 36 per bar) points: the SVG's viewBox.
    assert _png_size(chart.png(ppi=ppi)) == (round(640 * ppi / 72), round(124 * ppi / 72))


def test_the_print_svg_names_the_bundled_font_and_the_page_svg_does_not():
    chart = question_chart(chart_question())
    assert f'font-family="{FONT_FAMILY}"' in chart.print_svg()
    assert 'font-family="arial, sans-serif"' in str(chart.svg())


def test_the_png_has_the_labels_drawn():
    """Text in the chart is drawn with the bundled font: without it the PNG would hold only
    bars and compress far smaller."""
    chart = question_chart(chart_question())
    bars_only = question_chart({**chart_question(), "options": [
        {**option, "label": ""} for option in chart_question()["options"]
    ]})  # fmt: skip
    assert len(chart.png()) > 1.5 * len(bars_only.png())
