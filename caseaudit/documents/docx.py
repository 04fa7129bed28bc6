"""The editable Word file of a document, written with python-docx.

Real structure, so the file stays accessible after people edit it: section titles and headings
use Word's "Heading 1" to "Heading 3" styles, lists the "List Bullet" and "List Number"
styles (each numbered list restarts at 1), tables are Word tables whose header row repeats
on every page, charts are PNG pictures with their alternative text in the picture's
description, and the file's title, author and language are set in its properties and styles.
python-docx writes text through its own XML escaping, so no string needs escaping here.
"""

import datetime
import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from caseaudit.documents import model
from caseaudit.documents.common import byline, printable
from caseaudit.documents.fonts import DOCX_FONT

INK = RGBColor(0x0B, 0x0C, 0x0C)
BLUE = RGBColor(0x1D, 0x70, 0xB8)
DARK_BLUE = RGBColor(0x00, 0x30, 0x78)
GREY = RGBColor(0x50, 0x5A, 0x5F)
LIGHT_HEX = "F3F2F1"
RULE_HEX = "B1B4B6"
BLUE_HEX = "1D70B8"
CHART_WIDTH = Cm(16)
CHART_PPI = 192

_HEADING_SIZES = {"Title": 30, "Heading 1": 22, "Heading 2": 16, "Heading 3": 13}


def _set_fonts(style_or_run, *, name: str = DOCX_FONT) -> None:
    """Arial for every script, and no theme font (a theme font would win over the name)."""
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), name)


def _shade(element, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    element.append(shading)


def _borders(table, **edges: str) -> None:
    """Table borders: edge name -> "size:colour" (eighths of a point), others none."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in edges:
            size, colour = edges[edge].split(":")
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), size)
            element.set(qn("w:color"), colour)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with `placeholder` as its last computed result."""

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


class _DocxRenderer:
    def __init__(self, document: model.Document):
        self.document = document
        self.word = new_docx()
        self.tables = 0
        self.figures = 0
        self._styles()

    # Styles and file properties

    def _styles(self) -> None:
        word = self.word
        language = self.document.language
        defaults = word.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), language)
        normal = word.styles["Normal"]
        _set_fonts(normal)
        normal.font.size = Pt(11)
        normal.font.color.rgb = INK
        normal.paragraph_format.space_after = Pt(8)
        normal.paragraph_format.line_spacing = 1.15
        for name, size in _HEADING_SIZES.items():
            style = word.styles[name]
            _set_fonts(style)
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = INK
            style.paragraph_format.space_before = Pt(size * 0.9 if name != "Title" else 0)
            style.paragraph_format.space_after = Pt(8)
            if name == "Title":
                # The default Title has a coloured bottom border: not ours.
                border = style.element.pPr.find(qn("w:pBdr"))
                if border is not None:
                    style.element.pPr.remove(border)
        for name in ("Subtitle", "Caption", "Quote", "Header", "Footer", "List Bullet",
                     "List Number", "TOC Heading"):  # fmt: skip
            _set_fonts(word.styles[name])
        subtitle = word.styles["Subtitle"]
        spacing = subtitle.element.get_or_add_rPr().find(qn("w:spacing"))
        if spacing is not None:  # the default Subtitle is letter-spaced
            spacing.getparent().remove(spacing)
        subtitle.font.size, subtitle.font.color.rgb, subtitle.font.italic = Pt(16), GREY, False
        caption = word.styles["Caption"]
        caption.font.size, caption.font.bold, caption.font.color.rgb = Pt(10), True, INK
        caption.font.italic = False
        quote = word.styles["Quote"]
        quote.font.color.rgb = INK
        quote.paragraph_format.left_indent = Cm(0.8)

        section = word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        margin = Cm(2.2) if self.document.style == "report" else Cm(1.8)
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = Cm(2.2)

        properties = word.core_properties
        properties.title = self.document.title
        properties.subject = self.document.subtitle
        properties.author = self.document.author or self.document.partnership
        properties.last_modified_by = properties.author
        properties.keywords = self.document.partnership
        properties.language = language
        properties.comments = ""
        properties.revision = 1
        if self.document.date:
            moment = datetime.datetime.combine(
                self.document.date, datetime.time(), tzinfo=datetime.UTC
            )
            properties.created = properties.modified = moment.replace(tzinfo=None)

    def _header_footer(self) -> None:
        section = self.word.sections[0]
        if self.document.style == "report":
            section.different_first_page_header_footer = True  # the cover has none
        header = section.header.paragraphs[0]
        header.text = ""
        run = header.add_run(self.document.title)
        run.font.size, run.font.color.rgb = Pt(8.5), GREY
        if self.document.partnership:
            run = header.add_run("\t\t" + self.document.partnership)
            run.font.size, run.font.color.rgb = Pt(8.5), GREY
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for part in ("Page ", ("PAGE", "1"), " of ", ("NUMPAGES", "1")):
            if isinstance(part, tuple):
                _field(footer, part[0], part[1])
            else:
                footer.add_run(part)
        for run in footer.runs:
            run.font.size, run.font.color.rgb = Pt(8.5), GREY

    # Text

    def _runs(self, paragraph, inline: model.Inline) -> None:
        for item in inline:
            if item.link:
                self._hyperlink(paragraph, item)
                continue
            run = paragraph.add_run(item.text)
            run.bold = item.bold or None
            run.italic = item.italic or None

    def _hyperlink(self, paragraph, item: model.Run) -> None:
        relationship = paragraph.part.relate_to(
            item.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        )
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relationship)
        run = paragraph.add_run(item.text)
        run.bold = item.bold or None
        run.italic = item.italic or None
        run.font.color.rgb = BLUE
        run.font.underline = True
        link.append(run._r)  # moves the run inside the hyperlink
        paragraph._p.append(link)

    def _numbered(self, paragraph, first: bool) -> None:
        """Each numbered list starts again at 1: a new numbering instance of the style's list."""
        if first:
            numbering = self.word.part.numbering_part.numbering_definitions._numbering
            style_num = self.word.styles["List Number"].element.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            self._list_num = num.numId
        properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        properties.get_or_add_ilvl().val = 0
        properties.get_or_add_numId().val = self._list_num

    # Blocks; `container` is the document body or a table cell (callouts)

    def heading(self, container, text: str, level: int, *, new_page: bool = False):
        paragraph = container.add_paragraph(text, style=f"Heading {level}")
        # A property of the heading, not a break paragraph before it: a break paragraph pushed
        # onto a page of its own by a full page would leave that page blank.
        paragraph.paragraph_format.page_break_before = new_page or None
        return paragraph

    def spacer(self, container) -> None:
        """A small empty paragraph after a table (Word joins two tables with nothing between)."""
        paragraph = container.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(6)

    def table(self, container, table: model.Table, *, small: bool = False, caption: bool = True):
        if table.caption and caption:
            self.tables += 1
            container.add_paragraph(f"Table {self.tables}: {table.caption}", style="Caption")
        grid = container.add_table(rows=1 + len(table.rows), cols=len(table.header))
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        _borders(grid, top=f"4:{RULE_HEX}", bottom=f"4:{RULE_HEX}", insideH=f"4:{RULE_HEX}")
        if table.caption:
            description = OxmlElement("w:tblCaption")
            description.set(qn("w:val"), table.caption)
            grid._tbl.tblPr.append(description)
        size = Pt(9) if small else Pt(10.5)
        for row_index, values in enumerate((table.header, *table.rows)):
            row = grid.rows[row_index]
            if row_index == 0:
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(header)
            for column, value in enumerate(values):
                cell = row.cells[column]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(2)
                if table.is_numeric(column):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = paragraph.add_run(value)
                run.font.size = size
                if row_index == 0:
                    run.bold = True
                    _shade(cell._tc.get_or_add_tcPr(), LIGHT_HEX)
        self.spacer(container)
        return grid

    def chart(self, container, chart: model.Chart) -> None:
        self.figures += 1
        paragraph = container.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        picture = paragraph.add_run().add_picture(
            io.BytesIO(chart.chart.png(ppi=CHART_PPI)), width=CHART_WIDTH
        )
        properties = picture._inline.docPr
        properties.set("descr", chart.alt)
        properties.set("title", chart.title)
        container.add_paragraph(f"Figure {self.figures}: {chart.title}", style="Caption")
        self.table(container, chart.data_table(), small=True, caption=False)

    def callout(self, container, callout: model.Callout) -> None:
        box = container.add_table(rows=1, cols=1)
        _borders(box, top=f"24:{BLUE_HEX}")
        cell = box.rows[0].cells[0]
        _shade(cell._tc.get_or_add_tcPr(), LIGHT_HEX)
        title = cell.paragraphs[0]
        title.style = self.word.styles["Heading 2"]
        title.paragraph_format.space_before = Pt(4)
        if callout.number:
            number = title.add_run(callout.number + " ")
            number.font.color.rgb = BLUE
        heading = title.add_run(callout.title)
        heading.font.color.rgb = DARK_BLUE
        for child in callout.blocks:
            self.block(cell, child)
        self.spacer(container)

    def contents(self, container, block: model.Contents) -> None:
        container.add_paragraph(block.title, style="TOC Heading")
        # Word fills in the page numbers when it updates the field (it asks on opening, see
        # updateFields); until then the headings themselves are the field's result.
        paragraph = container.add_paragraph()
        headings = [text for level, text in self.document.headings() if level <= block.depth]
        _field(paragraph, f'TOC \\o "1-{block.depth}" \\h \\z \\u', headings[0] if headings else "")
        for text in headings[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run(text)
        settings = self.word.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def block(self, container, block) -> None:
        match block:
            case model.Heading():
                self.heading(container, block.text, block.level)
            case model.Paragraph():
                self._runs(container.add_paragraph(), block.runs)
            case model.BulletList():
                for item in block.items:
                    self._runs(container.add_paragraph(style="List Bullet"), item)
            case model.NumberedList():
                for index, item in enumerate(block.items):
                    paragraph = container.add_paragraph(style="List Number")
                    self._numbered(paragraph, first=index == 0)
                    self._runs(paragraph, item)
            case model.Table():
                self.table(container, block)
            case model.Chart():
                self.chart(container, block)
            case model.Quote():
                container.add_paragraph(block.text, style="Quote")
                if block.attribution:
                    attribution = container.add_paragraph(f"— {block.attribution}")
                    attribution.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    attribution.runs[0].italic = True
            case model.Callout():
                self.callout(container, block)
            case model.Panels():
                for callout in block.callouts:  # one after another: Word has no safe grid
                    self.callout(container, callout)
            case model.PageBreak():
                container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            case model.Contents():
                self.contents(container, block)
            case _:
                raise TypeError(f"No DOCX for {type(block).__name__}")

    def cover(self) -> None:
        word, document = self.word, self.document
        if document.partnership:
            partnership = word.add_paragraph()
            run = partnership.add_run(document.partnership)
            run.bold, run.font.color.rgb, run.font.size = True, BLUE, Pt(14)
        if document.style == "report":
            word.add_paragraph().paragraph_format.space_before = Cm(5)
        word.add_paragraph(document.title, style="Title")
        if document.subtitle:
            word.add_paragraph(document.subtitle, style="Subtitle")
        if byline(document):
            word.add_paragraph(byline(document))
        if document.style == "report":
            word.add_page_break()

    def render(self) -> bytes:
        self._header_footer()
        self.cover()
        for block in self.document.front:
            self.block(self.word, block)
        for index, section in enumerate(self.document.sections):
            new_page = self.document.style == "report" and bool(index or self.document.front)
            self.heading(self.word, section.title, 1, new_page=new_page)
            for block in section.blocks:
                self.block(self.word, block)
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()


def render_docx(document: model.Document) -> bytes:
    return _DocxRenderer(printable(document)).render()
