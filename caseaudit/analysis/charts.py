"""The chart of one question's statistics, as an object the pages and the publications share.

A chart is plain data (title, description, bars); `svg()` draws it with the same inline-SVG
bar chart as the population figures, so it needs no script and no inline styles. Every chart is
shown next to a table of the same numbers. `png()` draws the same SVG as a PNG (for DOCX), with
the documents' bundled font, through Typst: nothing but PyPI wheels, no system fonts."""

from dataclasses import dataclass

from caseaudit.population.charts import COLOUR_LOCAL, COLOUR_OTHER, Bar, bar_chart


@dataclass(frozen=True)
class QuestionChart:
    chart_id: str
    title: str
    description: str
    bars: tuple[Bar, ...]

    def svg(self, *, font_family: str = "arial, sans-serif"):
        return bar_chart(
            chart_id=self.chart_id,
            title=self.title,
            description=self.description,
            bars=list(self.bars),
            font_family=font_family,
        )

    def print_svg(self) -> str:
        """The SVG drawn with the documents' bundled font (for PDF and PNG)."""
        # Imported here, as in png(): pages that only draw SVG never load Typst.
        from caseaudit.documents.fonts import FONT_FAMILY

        return str(self.svg(font_family=FONT_FAMILY))

    def png(self, *, ppi: float = 144) -> bytes:
        """The chart as a PNG on white: its viewBox at `ppi` (640 points wide, so 1,280 px at
        the default 144 ppi)."""
        from caseaudit.documents.fonts import svg_to_png

        return svg_to_png(self.print_svg(), ppi=ppi)


def display_percent(value: float | None) -> str:
    """A percentage as shown to people: whole numbers, "-" when there is none."""
    return "-" if value is None else f"{value:.0f}%"


def question_chart(question: dict) -> QuestionChart | None:
    """The bar chart of a choice question: the percentage of returns choosing each option.
    None for questions without options or that nobody answered."""
    if not question["options"] or not question["n"]:
        return None
    bars = tuple(
        Bar(
            label=option["label"],
            value=round(option["percent"], 1),
            colour=COLOUR_OTHER
            if option["meaning"] in ("not_applicable", "not_known")
            else COLOUR_LOCAL,
        )
        for option in question["options"]
    )
    description = f"Based on {question['n']} returns. " + "; ".join(
        f"{option['label']}: {option['count']} ({display_percent(option['percent'])})"
        for option in question["options"]
    )
    return QuestionChart(
        chart_id=f"chart-{question['key']}",
        title=f"{question['text']} (% of returns)",
        description=description,
        bars=bars,
    )


def percent_chart(*, chart_id: str, title: str, points: list[tuple[str, float | None]]):
    """A bar per labelled percentage (None drawn as 0 and described as "no figure")."""
    bars = tuple(
        Bar(label=label, value=round(value or 0, 1), colour=COLOUR_LOCAL) for label, value in points
    )
    description = "; ".join(f"{label}: {display_percent(value)}" for label, value in points)
    return QuestionChart(chart_id=chart_id, title=title, description=description, bars=bars)
