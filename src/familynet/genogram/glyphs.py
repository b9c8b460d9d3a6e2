"""The marks an SVG genogram is drawn with: symbols (square, circle, diamond, triangle), the cross of a
death, badges, couple lines' slashes and the domestic abuse zig-zag, line styles, and escaped text in
a font that has its letters.

>>> caption(0, 10, "Ann <b>").endswith(">Ann &lt;b&gt;</text>"), "Noto Sans CJK" in caption(0, 10, "王芳")
(True, True)
"""

from __future__ import annotations

import itertools
import re
from xml.sax.saxutils import escape

from familynet.genogram.coordinates import Point
from familynet.genogram.model import CoupleKind, CoupleStatus, DescentKind, Sex

FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
# cairo (PDF, PNG) draws a text in the first font of its family alone, with no fallback, so a
# text with Chinese, Japanese or Korean names a font that has them (browsers fall back anyway).
CJK_FONT = 'font-family="Noto Sans CJK SC, Noto Sans CJK JP, sans-serif"'
CJK = re.compile("[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
DASH = {
    DescentKind.BIRTH: "",
    DescentKind.STEP: "",
    DescentKind.ADOPTIVE: ' stroke-dasharray="7 4"',
    DescentKind.FOSTER: ' stroke-dasharray="1.5 3"',
    DescentKind.SPECIAL_GUARDIAN: ' stroke-dasharray="7 3 1.5 3"',
}
COUPLE_DASH = {
    CoupleKind.COHABITING: ' stroke-dasharray="6 4"',
    CoupleKind.DATING: ' stroke-dasharray="6 4"',
    CoupleKind.UNKNOWN: ' stroke-dasharray="14 3"',
}
SLASHES = {CoupleStatus.SEPARATED: 1, CoupleStatus.ENDED: 1, CoupleStatus.DIVORCED: 2}
#: How far outside the symbol the index child's second outline runs.
INDEX_RING = 4.0
#: How far the domestic abuse zig-zag stands from its couple line.
ZIGZAG_GAP = 3.0
RED, AMBER, PURPLE = "#c00000", "#b35900", "#5b2a86"


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def polyline(points: tuple[Point, ...] | list[Point]) -> str:
    return " ".join(("M" if i == 0 else "L") + f"{num(x)},{num(y)}" for i, (x, y) in enumerate(points))


def caption(x: float, y: float, text: str, *, size: float = 10, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
        f"{CJK_FONT if CJK.search(text) else FONT}{extra}>"
        f"{escape(text)}</text>"
    )


def shortened(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def outline(sex: Sex | None, x: float, y: float, size: float, extra: str = "") -> str:
    """A symbol's outline: square, circle, diamond or (for None, unborn) triangle."""
    h = size / 2
    style = f'fill="#fff" stroke="#000" stroke-width="1.5"{extra}'
    if sex is None:
        # The apex at the top of the symbol's square, where the line from the parents reaches it.
        return f'<path d="{polyline([(x, y - h), (x + h * 0.7, y + h * 0.4), (x - h * 0.7, y + h * 0.4)])} Z" {style}/>'
    if sex is Sex.MALE:
        return f'<rect x="{num(x - h)}" y="{num(y - h)}" width="{num(size)}" height="{num(size)}" {style}/>'
    if sex is Sex.FEMALE:
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(h)}" {style}/>'
    return f'<path d="{polyline([(x, y - h), (x + h, y), (x, y + h), (x - h, y)])} Z" {style}/>'


def cross(x: float, y: float, size: float) -> str:
    h = size / 2
    strokes = f"{polyline([(x - h, y - h), (x + h, y + h)])} {polyline([(x + h, y - h), (x - h, y + h)])}"
    return f'<path class="deceased" d="{strokes}" stroke="#000" stroke-width="1.5"/>'


def badge(x: float, y: float, label: str, colour: str) -> str:
    return (
        f'<g class="badge"><rect x="{num(x - 9)}" y="{num(y - 7)}" width="18" height="14" rx="3" fill="{colour}"/>'
        + caption(x, y + 3.5, label, size=9, extra=' fill="#fff" font-weight="bold"')
        + "</g>"
    )


def horizontal(points: tuple[Point, ...]) -> tuple[float, float, float]:
    """The left and right ends and the height of the longest horizontal part of a line."""
    (x1, y), (x2, _) = max(
        itertools.pairwise(points), key=lambda seg: abs(seg[1][0] - seg[0][0]) if seg[0][1] == seg[1][1] else -1
    )
    return min(x1, x2), max(x1, x2), y


def slashes(mark: Point, count: int) -> str:
    """One or two slashes across a couple line at its mark (clear of every line crossing it)."""
    x, y = mark
    return "".join(
        f'<path class="slash" d="{polyline([(x + dx - 4, y + 7), (x + dx + 4, y - 7)])}" '
        'stroke="#000" stroke-width="1.5"/>'
        for dx in ((0.0,) if count == 1 else (-3.0, 3.0))
    )


def zigzag(points: tuple[Point, ...]) -> str:
    """Domestic abuse concerns: a red zig-zag beside (below) the horizontal part of the couple line, clear of
    it, so that the line's own style (solid, dashed) still reads; the years stand above the line."""
    lo, hi, y = horizontal(points)
    zig = [(lo + i * 6.0, y + ZIGZAG_GAP + (6 if i % 2 else 0)) for i in range(int((hi - lo) / 6) + 1)]
    return f'<path class="domestic-abuse" d="{polyline(zig)}" fill="none" stroke="{RED}" stroke-width="1.5"/>'


def sample_line(x: float, y: float, dash: str, colour: str) -> str:
    return f'<path d="{polyline([(x, y), (x + 20, y)])}" stroke="{colour}" stroke-width="1.5"{dash}/>'
