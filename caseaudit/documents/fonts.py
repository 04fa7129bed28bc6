"""The fonts every rendered file uses and the Typst compiler set up with them.

PDFs and PNGs must look the same on every machine, so they use only fonts that come from PyPI
wheels: Source Sans Pro (SIL Open Font License, from the pinned `font-source-sans-pro` wheel)
for text and charts, and Typst's own embedded fonts as the fallback for characters Source Sans
Pro lacks. System fonts are never read. DOCX files name Arial instead: Word draws with the
reader's fonts, and Arial is on every machine that opens Word files.
"""

import functools
import re

import font_source_sans_pro
import typst

FONT_FAMILY = "Source Sans Pro"
DOCX_FONT = "Arial"

_VIEWBOX = re.compile(r'<svg\b[^>]*?\bviewBox="\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+([\d.]+)\s*"')

# Typst reads the SVG from sys.inputs, so its text is never part of the Typst source.
_PNG_SOURCE = b"""#set page(width: auto, height: auto, margin: 0pt, fill: white)
#image(bytes(sys.inputs.svg), format: "svg", width: float(sys.inputs.width) * 1pt)
"""


@functools.cache
def typst_fonts() -> typst.Fonts:
    return typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=True,
        font_paths=[font_source_sans_pro.font_directory],
    )


def typst_compiler() -> typst.Compiler:
    """A compiler with the bundled fonts only (cheap: the fonts are loaded once per process)."""
    return typst.Compiler(font_paths=typst_fonts(), ignore_system_fonts=True)


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of an SVG in points, from its viewBox (one unit = one point)."""
    found = _VIEWBOX.search(svg)
    if not found:
        raise ValueError("The SVG has no viewBox")
    return float(found.group(1)), float(found.group(2))


def svg_to_png(svg: str, *, ppi: float = 144) -> bytes:
    """An SVG as a PNG on white, width x ppi / 72 pixels wide."""
    width, _ = svg_size(svg)
    return typst_compiler().compile(
        input=_PNG_SOURCE,
        format="png",
        ppi=ppi,
        sys_inputs={"svg": svg, "width": f"{width:g}"},
    )
