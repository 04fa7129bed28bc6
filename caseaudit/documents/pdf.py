"""The tagged PDF of a document, typeset by Typst (the `typst` wheel: no other program).

`typst_source(document)` writes the Typst source; `render_pdf(document)` compiles it. The PDF
is tagged (headings, lists, tables with header rows, figures with alternative text), has its
title and language set, and is checked against PDF/UA-1 by Typst as it is written.

Escaping: no text from the document is ever written into Typst *markup*, where dozens of
characters mean something (`#`, `$`, `*`, `_`, `` ` ``, `<`, `@`, `[`, `//`, `=` at a line
start, ...). Every string goes into the source as a Typst *string literal*, through
`typst_string()`, and is shown with `#"..."` or passed as an argument (`heading("...")`).
Inside a string literal only `\\` and `"` are special, plus the escapes Typst defines, so the
escaping is small enough to be obviously complete; the tests compile hostile strings and read
them back out of the PDF unchanged.
"""

import datetime

from caseaudit.documents import model
from caseaudit.documents.common import byline, printable
from caseaudit.documents.fonts import FONT_FAMILY, typst_compiler

PDF_STANDARDS = ["ua-1"]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_string(text: str) -> str:
    """A Typst string literal whose value is exactly `text`.

    Backslash and double quote are escaped; newline, carriage return and tab use their
    escapes; any other control character, and the line and paragraph separators, are written as
    `\\u{hex}` so the source never holds an invisible character. A lone surrogate (which no
    UTF-8 file can hold) becomes U+FFFD."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        elif code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029):
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _run(run: model.Run) -> str:
    expression = typst_string(run.text)
    if run.italic:
        expression = f"emph({expression})"
    if run.bold:
        expression = f"strong({expression})"
    if run.link:
        expression = f"link({typst_string(run.link)}, {expression})"
    return expression


def _inline(inline: model.Inline) -> str:
    """Runs as markup: one embedded expression per run, nothing between them."""
    return "".join("#" + _run(run) for run in inline) or '#""'


def _content(inline: model.Inline) -> str:
    return f"[{_inline(inline)}]"


def _cell(text: str) -> str:
    return f"[#{typst_string(text)}]"


def _table(table: model.Table, *, small: bool = False) -> str:
    columns = len(table.header)
    align = ", ".join("right" if table.is_numeric(i) else "left" for i in range(columns))
    header = ", ".join(_cell(text) for text in table.header)
    body = ",\n  ".join(", ".join(_cell(text) for text in row) for row in table.rows)
    grid = (
        f"table(\n  columns: {columns}, align: ({align},),\n"
        f"  table.header(repeat: true, {header}),\n  {body}{',' if body else ''}\n)"
    )
    if small:  # a chart's figures, right under the chart's own caption: no second caption
        return f"#text(size: 9pt, {grid})"
    if table.caption:
        return (
            f"#figure(kind: table, caption: figure.caption(position: top, "
            f"{typst_string(table.caption)}),\n{grid})"
        )
    return f"#{grid}"


def _chart(chart: model.Chart) -> str:
    svg = chart.chart.print_svg()
    figure = (
        f"#figure(kind: image, caption: {typst_string(chart.title)},\n"
        f'  image(bytes({typst_string(svg)}), format: "svg", width: 100%, '
        f"alt: {typst_string(chart.alt)}))"
    )
    return figure + "\n\n" + _table(chart.data_table(), small=True)


def _callout_parts(callout: model.Callout) -> tuple[str, str, str]:
    body = "\n\n".join(_block(child) for child in callout.blocks)
    number = typst_string(callout.number) if callout.number else "none"
    return number, typst_string(callout.title), f"[\n{body}\n]"


def _callout(callout: model.Callout) -> str:
    number, title, body = _callout_parts(callout)
    return f"#callout(number: {number}, {title}){body}"


def _block(block) -> str:
    match block:
        case model.Heading():
            return f"#heading(level: {block.level}, {typst_string(block.text)})"
        case model.Paragraph():
            return _inline(block.runs)
        case model.BulletList():
            return "#list(" + ", ".join(_content(item) for item in block.items) + ")"
        case model.NumberedList():
            return "#enum(" + ", ".join(_content(item) for item in block.items) + ")"
        case model.Table():
            return _table(block)
        case model.Chart():
            return _chart(block)
        case model.Quote():
            attribution = (
                f", attribution: {typst_string(block.attribution)}" if block.attribution else ""
            )
            return f"#quote(block: true{attribution}, {typst_string(block.text)})"
        case model.Callout():
            return _callout(block)
        case model.Panels():
            cells = ",\n".join(f"({', '.join(_callout_parts(c))})" for c in block.callouts)
            return f"#panels({block.columns},\n{cells},\n)"
        case model.PageBreak():
            return "#pagebreak(weak: true)"
        case model.Contents():
            return (
                f"#outline(title: {typst_string(block.title)}, depth: {block.depth}, indent: auto)"
            )
    raise TypeError(f"No PDF for {type(block).__name__}")


def _date(date: datetime.date | None) -> str:
    if date is None:
        return "none"
    return f"datetime(year: {date.year}, month: {date.month}, day: {date.day})"


_PREAMBLE = """\
#let blue = rgb("#1d70b8")
#let dark-blue = rgb("#003078")
#let ink = rgb("#0b0c0c")
#let grey = rgb("#505a5f")
#let light = rgb("#f3f2f1")
#let rule = rgb("#b1b4b6")
#let report = {report}
#let running = {running}

#set text(font: {font}, size: {size}, lang: {lang}, region: {region}, fill: ink)
#set par(leading: 0.62em, spacing: 1.05em)
#set page(
  paper: "a4",
  margin: (x: {margin_x}, top: {margin_top}, bottom: 2.2cm),
  header: context {{
    if counter(page).get().first() > 1 [
      #set text(size: 8.5pt, fill: grey)
      #running #h(1fr) #{partnership}
      #v(-4pt) #line(length: 100%, stroke: 0.5pt + rule)
    ]
  }},
  footer: context [
    #set text(size: 8.5pt, fill: grey)
    #h(1fr) Page #counter(page).display() of #counter(page).final().first()
  ],
)
#set heading(numbering: none)
#show heading: set text(fill: ink, weight: "bold")
#show heading.where(level: 1): it => {{
  if report {{ pagebreak(weak: true) }}
  v(0.4em)
  block(below: 0.9em, text(size: {h1}, it))
  v(-0.5em)
  line(length: 3.2em, stroke: 3pt + blue)
  v(0.6em)
}}
#show heading.where(level: 2): set text(size: {h2})
#show heading.where(level: 2): set block(above: 1.5em, below: 0.8em)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 3): set block(above: 1.3em, below: 0.7em)
#show link: it => underline(text(fill: blue, it))
#set list(indent: 0.4em, body-indent: 0.6em, marker: ([•], [\\u{{2013}}]))
#set enum(indent: 0.4em, body-indent: 0.6em)
#set table(
  stroke: (x, y) => (bottom: 0.6pt + rule, top: if y == 0 {{ 0.6pt + rule }} else {{ none }}),
  fill: (x, y) => if y == 0 {{ light }},
  inset: (x: 6pt, y: 5pt),
)
#show table.cell.where(y: 0): set text(weight: "bold")
#show figure: set block(breakable: true, above: 1.4em, below: 1.0em)
#show figure: set align(left)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: it => text(size: 10pt, weight: "bold", fill: ink, it)
#show quote.where(block: true): it => block(
  stroke: (left: 4pt + blue), inset: (left: 12pt, y: 5pt), width: 100%, above: 1.2em, below: 1.2em,
)[
  #text(style: "italic", it.body)
  #if it.attribution != none {{
    block(above: 0.5em, text(size: 10pt, fill: grey)[\\u{{2014}} #it.attribution])
  }}
]
#show outline.entry.where(level: 1): set text(weight: "bold")
#show outline.entry.where(level: 1): set block(above: 1em)

#let callout-inset = (x: 12pt, top: 10pt, bottom: 12pt)
#let callout-stroke = (top: 4pt + blue)
#let callout-content(number, title, body) = [
  #show heading: set text(size: 13pt, fill: dark-blue)
  #show heading: set block(above: 0pt, below: 0.8em)
  #heading(level: 2)[#if number != none [#box(fill: blue, inset: (x: 5pt, y: 3pt), radius: 2pt,
    text(fill: white, number)) ]#title]
  #body
]
#let callout(number: none, title, body) = block(
  width: 100%, fill: light, inset: callout-inset, stroke: callout-stroke, breakable: true,
  below: 1.2em, callout-content(number, title, body),
)
// Panels side by side: grid cells share their row's height, so a row of panels lines up.
#let panels(columns, ..callouts) = {{
  let count = callouts.pos().len()
  grid(
    columns: (1fr,) * columns, column-gutter: 10pt, row-gutter: 10pt,
    inset: callout-inset,
    fill: (x, y) => if y * columns + x < count {{ light }},
    stroke: (x, y) => if y * columns + x < count {{ callout-stroke }},
    // A last panel alone in its row takes the whole row.
    ..callouts.pos().enumerate().map(((index, (number, title, body))) => {{
      let content = callout-content(number, title, body)
      let spare = calc.rem(count, columns)
      if index == count - 1 and spare != 0 {{
        grid.cell(colspan: columns - spare + 1, content)
      }} else {{ content }}
    }}),
  )
}}
"""

_COVER = """\
#page(header: none, footer: none, margin: 0pt)[
  #block(width: 100%, fill: blue, inset: (x: 2.2cm, top: 1.6cm, bottom: 1.2cm))[
    #text(fill: white, size: 15pt, weight: "bold", {partnership})
  ]
  #pad(x: 2.2cm, top: 5cm)[
    #line(length: 4em, stroke: 5pt + blue)
    #v(0.6em)
    #show title: set text(size: 30pt, weight: "bold", fill: ink)
    #title()
    #v(0.4em)
    #text(size: 16pt, fill: grey, {subtitle})
    #v(3cm)
    #text(size: 12pt, {byline})
  ]
]
"""

_BRIEFING_TITLE = """\
#block(width: 100%, fill: blue, inset: (x: 14pt, y: 12pt), below: 1.2em)[
  #set text(fill: white)
  #text(size: 10pt, weight: "bold", {partnership})
  #v(-2pt)
  #show title: set text(size: 22pt, weight: "bold", fill: white)
  #title()
  #text(size: 11pt, {subtitle})
]
"""


def _lang(language: str) -> tuple[str, str]:
    language_code, _, region = language.partition("-")
    return language_code.lower(), region.lower()


def typst_source(document: model.Document) -> str:
    """The Typst source of the whole document."""
    report = document.style == "report"
    language, region = _lang(document.language)
    info = [f"title: {typst_string(document.title)}"]
    if document.author:
        info.append(f"author: ({typst_string(document.author)},)")
    if document.subtitle:
        info.append(f"description: {typst_string(document.subtitle)}")
    if document.partnership:
        info.append(f"keywords: ({typst_string(document.partnership)},)")
    info.append(f"date: {_date(document.date)}")
    parts = [
        f"#set document({', '.join(info)})",
        _PREAMBLE.format(
            report="true" if report else "false",
            running=typst_string(document.title),
            partnership=typst_string(document.partnership),
            font=typst_string(FONT_FAMILY),
            size="11pt" if report else "10.5pt",
            lang=typst_string(language),
            region=typst_string(region),
            margin_x="2.2cm" if report else "1.6cm",
            margin_top="2.4cm" if report else "1.8cm",
            h1="22pt" if report else "16pt",
            h2="15pt" if report else "13pt",
        ),
    ]
    values = {
        "partnership": typst_string(document.partnership),
        "subtitle": typst_string(document.subtitle),
        "byline": typst_string(byline(document)),
    }
    parts.append((_COVER if report else _BRIEFING_TITLE).format(**values))
    parts.extend(_block(block) for block in document.front)
    for section in document.sections:
        parts.append(f"#heading(level: 1, {typst_string(section.title)})")
        parts.extend(_block(block) for block in section.blocks)
    return "\n\n".join(parts) + "\n"


def _timestamp(document: model.Document) -> datetime.datetime | None:
    """The document's date as the PDF's creation time, so the same source gives the same
    bytes (a published version's hash is then reproducible)."""
    if document.date is None:
        return None
    return datetime.datetime.combine(document.date, datetime.time(), tzinfo=datetime.UTC)


def render_pdf(document: model.Document) -> bytes:
    document = printable(document)
    return typst_compiler().compile(
        input=typst_source(document).encode(),
        format="pdf",
        pdf_standards=PDF_STANDARDS,
        timestamp=_timestamp(document),
    )
