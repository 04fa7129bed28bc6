"""Moderated grades by month as a stacked bar chart in inline SVG: one bar per month, one
segment per grade (share of that month's cases), with a legend. Like the other charts it needs
no script and no inline styles, and the page shows the same numbers in a table."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from caseaudit.population.charts import COLOUR_TEXT

WIDTH = 640
LABEL_WIDTH = 150
BAR_AREA = 470
ROW_HEIGHT = 34
BAR_HEIGHT = 22
LEGEND_ROW = 24
LEGEND_COLUMNS = 4
LEGEND_COLUMN = 160
# Best to worst. GOV.UK colours, each at least 3:1 against white and against its neighbour's
# label colour; more grades than colours reuse the last.
GRADE_COLOURS = ("#00703c", "#1d70b8", "#505a5f", "#d4351c", "#6f72af", "#0b0c0c")


def _colour(index: int) -> str:
    return GRADE_COLOURS[min(index, len(GRADE_COLOURS) - 1)]


def grades_by_month_chart(table: dict, *, chart_id: str = "moderated-grades-chart") -> SafeString:
    """`table` is moderation.selectors.moderated_grades_by_month's shape."""
    grades = table["grades"]
    months = table["months"]
    legend_rows = -(-len(grades) // LEGEND_COLUMNS)
    legend_height = legend_rows * LEGEND_ROW + 8
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="14" height="14" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
        (
            (
                (index % LEGEND_COLUMNS) * LEGEND_COLUMN,
                6 + (index // LEGEND_COLUMNS) * LEGEND_ROW,
                _colour(index),
                (index % LEGEND_COLUMNS) * LEGEND_COLUMN + 19,
                18 + (index // LEGEND_COLUMNS) * LEGEND_ROW,
                COLOUR_TEXT,
                grade["label"],
            )
            for index, grade in enumerate(grades)
        ),
    )
    rows = []
    for row_index, month in enumerate(months):
        y = legend_height + row_index * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for index, grade in enumerate(grades):
            count = month["counts"].get(grade["key"], 0)
            if not count or not month["n"]:
                continue
            width = round(count / month["n"] * BAR_AREA, 1)
            segments.append((x, y, width, BAR_HEIGHT, _colour(index)))
            x += width
        rows.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="15" fill="{}">{}</text>{}',
                LABEL_WIDTH - 10,
                y + BAR_HEIGHT / 2 + 5,
                COLOUR_TEXT,
                f"{month['month']:%b %Y} ({month['n']})",
                format_html_join(
                    "",
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                    segments,
                ),
            )
        )
    description = "; ".join(
        f"{month['month']:%B %Y}: "
        + ", ".join(f"{grade['label']} {month['counts'].get(grade['key'], 0)}" for grade in grades)
        for month in months
    )
    height = legend_height + ROW_HEIGHT * len(months) + 8
    return format_html(
        '<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" focusable="false" '
        'aria-labelledby="{id}-title {id}-desc" font-family="arial, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{legend}{rows}</svg>",
        width=WIDTH,
        height=height,
        id=chart_id,
        title="Moderated grades by month, as a share of each month's cases",
        description=description,
        legend=legend,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )
