"""The genogram's SVG pages printed to PDF (a landscape page each) or a PNG picture, with cairosvg.

cairosvg, a dependency, needs the cairo library (Debian's ``libcairo2``); without
it, :class:`RenderError` says so. Names are drawn in the system's fonts: DejaVu, and
Noto Sans CJK for Chinese, Japanese and Korean (Debian's ``fonts-noto-cjk``, which
scripts/demo installs); cairo takes one font per text, with no fallback, so the SVG
names the CJK font for a text that needs it (:mod:`familynet.genogram.svg`). The
SVG references nothing outside itself, and cairosvg runs in its safe mode.
"""

from __future__ import annotations

import io
from typing import Any

from familynet.errors import FamilynetError
from familynet.genogram.model import Genogram
from familynet.genogram.pages import PAGE_WIDTH
from familynet.genogram.svg import svg, svg_pages

#: The width of a PNG picture, in pixels (the page is A4 landscape).
PNG_WIDTH = 2339


class RenderError(FamilynetError):
    """PDF or PNG output is not available here: cairosvg or the cairo library is missing."""


def _cairosvg() -> Any:
    try:
        import cairosvg  # it loads the cairo library on import
    except (ImportError, OSError):
        raise RenderError(
            "PDF and PNG need the cairo library: install Debian's libcairo2 (scripts/demo does)"
        ) from None
    return cairosvg


def pdf(genogram: Genogram) -> bytes:
    """The genogram's pages (:mod:`familynet.genogram.pages`) as a landscape PDF, a page each."""
    cairosvg = _cairosvg()
    output = io.BytesIO()
    target: list[Any] = []

    class _Page(cairosvg.surface.PDFSurface):  # type: ignore[misc,name-defined]  # cairosvg is untyped
        """A page of the one PDF: cairosvg draws each SVG page onto the same cairo surface."""

        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            if not target:
                target.append(cairosvg.surface.cairo.PDFSurface(output, width, height))
            return target[0], width, height

    for page in svg_pages(genogram):
        _Page(cairosvg.parser.Tree(bytestring=page.encode()), None, 96).cairo.show_page()
    target[0].finish()
    return output.getvalue()


def png(genogram: Genogram, width: int = PNG_WIDTH) -> bytes:
    """The genogram's page as a PNG picture ``width`` pixels wide (200 dpi by default)."""
    data: bytes = _cairosvg().svg2png(bytestring=svg(genogram).encode(), output_width=width, scale=width / PAGE_WIDTH)
    return data
