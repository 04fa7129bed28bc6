"""The HTML preview of a document, with GOV.UK Frontend classes.

`render_html(document)` is a fragment for a page that extends the site's base template;
`render_html(document, standalone=True)` is a whole HTML file (lang, title and a small
stylesheet of its own) for `--format html`. Every string goes through `escape` or
`format_html`; the charts' SVG is built by format_html too.
"""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from caseaudit.documents import model
from caseaudit.documents.common import HeadingIds, byline, printable

# Section titles are <h2> (the document title is the page's <h1>); Heading levels 2 and 3 are
# <h3> and <h4>.
_HEADING_CLASS = {2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s"}


def _inline(inline: model.Inline) -> SafeString:
    parts = []
    for run in inline:
        text = escape(run.text)
        if run.bold:
            text = format_html("<strong>{}</strong>", text)
        if run.italic:
            text = format_html("<em>{}</em>", text)
        if run.link:
            text = format_html('<a class="govuk-link" href="{}">{}</a>', run.link, text)
        parts.append(text)
    return mark_safe("".join(parts))


def _table(table: model.Table) -> SafeString:
    def cell(tag: str, kind: str, column: int, value: str) -> SafeString:
        classes = f"govuk-table__{kind}"
        if table.is_numeric(column):
            classes += f" govuk-table__{kind}--numeric"
        scope = ' scope="col"' if tag == "th" else ""
        return format_html('<{} class="{}"{}>{}</{}>', tag, classes, mark_safe(scope), value, tag)

    caption = (
        format_html('<caption class="govuk-table__caption govuk-table__caption--s">{}</caption>',
                    table.caption)
        if table.caption
        else ""
    )  # fmt: skip
    head = mark_safe(
        "".join(cell("th", "header", i, value) for i, value in enumerate(table.header))
    )
    body = mark_safe(
        "".join(
            format_html(
                '<tr class="govuk-table__row">{}</tr>',
                mark_safe("".join(cell("td", "cell", i, value) for i, value in enumerate(row))),
            )
            for row in table.rows
        )
    )
    return format_html(
        '<table class="govuk-table">{}<thead class="govuk-table__head">'
        '<tr class="govuk-table__row">{}</tr></thead><tbody class="govuk-table__body">{}</tbody>'
        "</table>",
        caption,
        head,
        body,
    )


class _HtmlRenderer:
    def __init__(self, document: model.Document):
        self.document = document
        self.ids = HeadingIds()

    def heading(self, level: int, text: str) -> SafeString:
        tag = f"h{level + 1}"
        return format_html(
            '<{} class="{}" id="{}">{}</{}>',
            tag,
            _HEADING_CLASS[level + 1],
            self.ids.next(text),
            text,
            tag,
        )

    def block(self, block) -> SafeString:
        match block:
            case model.Heading():
                return self.heading(block.level, block.text)
            case model.Paragraph():
                return format_html('<p class="govuk-body">{}</p>', _inline(block.runs))
            case model.BulletList() | model.NumberedList():
                tag, kind = (
                    ("ul", "bullet") if isinstance(block, model.BulletList) else ("ol", "number")
                )
                items = format_html_join("", "<li>{}</li>", ((_inline(i),) for i in block.items))
                return format_html(
                    '<{} class="govuk-list govuk-list--{}">{}</{}>', tag, kind, items, tag
                )
            case model.Table():
                return _table(block)
            case model.Chart():
                return format_html(
                    '<figure class="govuk-!-margin-left-0 govuk-!-margin-right-0 '
                    'govuk-!-margin-bottom-6">'
                    '<figcaption class="govuk-heading-s">{}</figcaption>{}{}</figure>',
                    block.title,
                    block.chart.svg(),
                    _table(block.data_table()),
                )
            case model.Quote():
                attribution = (
                    format_html('<footer class="govuk-body-s">{}</footer>', block.attribution)
                    if block.attribution
                    else ""
                )
                return format_html(
                    '<blockquote class="govuk-inset-text"><p class="govuk-body">{}</p>{}'
                    "</blockquote>",
                    block.text,
                    attribution,
                )
            case model.Callout():
                inner = mark_safe("".join(self.block(child) for child in block.blocks))
                return format_html(
                    '<section class="govuk-inset-text">{}{}</section>',
                    self.heading(2, model.callout_heading(block)),
                    inner,
                )
            case model.Panels():
                width = {1: "full", 2: "one-half", 3: "one-third"}[block.columns]
                rows = []
                for start in range(0, len(block.callouts), block.columns):
                    columns = "".join(
                        format_html(
                            '<div class="govuk-grid-column-{}">{}</div>', width, self.block(c)
                        )
                        for c in block.callouts[start : start + block.columns]
                    )
                    rows.append(
                        format_html('<div class="govuk-grid-row">{}</div>', mark_safe(columns))
                    )
                return mark_safe("".join(rows))
            case model.PageBreak():
                return mark_safe(
                    '<hr class="govuk-section-break govuk-section-break--l '
                    'govuk-section-break--visible">'
                )
            case model.Contents():
                return self.contents(block)
        raise TypeError(f"No HTML for {type(block).__name__}")

    def contents(self, block: model.Contents) -> SafeString:
        preview = HeadingIds()  # the ids the headings below will get, in the same order
        numbered = [(level, preview.next(text), text) for level, text in self.document.headings()]
        items = [(anchor, text) for level, anchor, text in numbered if level <= block.depth]
        return format_html(
            '<nav aria-labelledby="{id}"><h2 class="govuk-heading-m" id="{id}">{}</h2>'
            '<ol class="govuk-list govuk-list--number">{}</ol></nav>',
            block.title,
            format_html_join("", '<li><a class="govuk-link" href="#{}">{}</a></li>', items),
            id="contents-title",
        )

    def render(self) -> SafeString:
        document = self.document
        header = []
        if document.partnership:
            header.append(
                format_html('<span class="govuk-caption-l">{}</span>', document.partnership)
            )
        header.append(format_html('<h1 class="govuk-heading-xl">{}</h1>', document.title))
        if document.subtitle:
            header.append(format_html('<p class="govuk-body-l">{}</p>', document.subtitle))
        if byline(document):
            header.append(format_html('<p class="govuk-body-s">{}</p>', byline(document)))
        parts = header + [self.block(block) for block in document.front]
        for section in document.sections:
            parts.append(self.heading(1, section.title))
            parts.extend(self.block(block) for block in section.blocks)
        return format_html(
            '<article lang="{}">{}</article>', document.language, mark_safe("".join(parts))
        )


_STANDALONE_CSS = """
body{font-family:arial,sans-serif;color:#0b0c0c;max-width:46em;margin:2em auto;padding:0 1em;
line-height:1.4}a{color:#1d70b8}.govuk-caption-l{color:#505a5f;font-size:1.2em}
.govuk-inset-text{border-left:8px solid #1d70b8;background:#f3f2f1;padding:.5em 1em;margin:1em 0}
.govuk-table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
.govuk-table th,.govuk-table td{border-bottom:1px solid #b1b4b6;padding:.4em .6em;text-align:left}
.govuk-table__header--numeric,.govuk-table__cell--numeric{text-align:right}
.govuk-table__caption{font-weight:bold;text-align:left;padding-bottom:.4em}
.govuk-grid-row{display:flex;gap:1.5em}.govuk-grid-row>div{flex:1}
svg{max-width:100%;height:auto}
"""


def render_html(document: model.Document, *, standalone: bool = False) -> str:
    document = printable(document)
    fragment = _HtmlRenderer(document).render()
    if not standalone:
        return fragment
    return format_html(
        '<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{}</title><style>{}</style></head><body>{}</body></html>\n",
        document.language,
        document.title,
        mark_safe(_STANDALONE_CSS),
        fragment,
    )
