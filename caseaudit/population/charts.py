"""Server-drawn bar charts as inline SVG.

No script and no inline styles (the Content-Security-Policy refuses them): colours are SVG
presentation attributes. Each chart is an image with a title and a description for screen
readers, and the page always shows the same numbers in a table next to it.
"""

import html
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 290
BAR_AREA = 260
ROW_HEIGHT = 36
BAR_HEIGHT = 22
TOP = 8
# GOV.UK colours, each at least 3:1 against white.
COLOUR_LOCAL = "#1d70b8"
COLOUR_OTHER = "#505a5f"
COLOUR_AVERAGE = "#003078"
COLOUR_TEXT = "#0b0c0c"
MAX_LABEL = 38


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | int
    colour: str = COLOUR_OTHER


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _escape(value) -> str:
    """conditional_escape, without its lazy-string wrapper: safe strings as they are."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _number(value) -> str:
    return f"{float(value):g}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: list[Bar],
    unit: str = "%",
    font_family: str = "arial, sans-serif",
):
    """A horizontal bar chart. Labels and values are escaped by format_html. `font_family`:
    the documents pass their bundled font, since a PDF or PNG cannot rely on the reader's."""
    largest = max((float(bar.value) for bar in bars), default=0) or 1
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    # One string per bar, escaped as format_html_join would (same output), but without its
    # per-argument calls: a trend chart has a bar per audit, thousands of them in a long history.
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = round(float(bar.value) / largest * BAR_AREA, 1)
        text_y = y + BAR_HEIGHT / 2 + 5
        colour = _escape(bar.colour)
        rows.append(
            f'<text x="{LABEL_WIDTH - 10}" y="{text_y}" text-anchor="end" font-size="15" '
            f'fill="{COLOUR_TEXT}">{_escape(_short(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"></rect>'
            f'<text x="{LABEL_WIDTH + length + 8}" y="{text_y}" font-size="15" '
            f'font-weight="bold" fill="{COLOUR_TEXT}">{_escape(_number(bar.value) + unit)}</text>'
        )
    body = mark_safe("\n".join(rows))  # every value above is escaped
    return format_html(
        '<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" focusable="false" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font_family}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '<line x1="{axis}" y1="0" x2="{axis}" y2="{height}" stroke="{text}" stroke-width="1">'
        "</line>{body}</svg>",
        width=WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        axis=LABEL_WIDTH,
        text=COLOUR_TEXT,
        body=body,
        font_family=font_family,
    )


def repeat_rate_chart(comparison: list[dict]) -> SafeString:
    """The local repeat-plan rate beside the benchmarks (rows from benchmark_comparison)."""
    bars = []
    for row in comparison:
        if row.get("local"):
            colour = COLOUR_LOCAL
        elif "kind" not in row:
            colour = COLOUR_AVERAGE
        else:
            colour = COLOUR_OTHER
        bars.append(Bar(label=row["label"], value=row["value"], colour=colour))
    description = "; ".join(f"{bar.label}: {_number(bar.value)}%" for bar in bars)
    return bar_chart(
        chart_id="repeat-rate-chart",
        title="Children on a repeat plan (%), this extract compared with benchmarks",
        description=description,
        bars=bars,
    )
