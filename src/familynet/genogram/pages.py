"""How a genogram is set on paper: the page size, the scale, and which part of the drawing and of the
key's lists each page holds, so that its smallest text prints at :data:`MIN_POINTS` or more and
nothing is cut silently.

One landscape A4 page when the drawing fits it at that size (a small family enlarged up to
:data:`MAX_SCALE` times), else one A3 sheet when it fits that; else A4 pages at that size, each
showing a window of the drawing: page 1 round the index child and their household, the others
beside it, each starting where the one before cut someone, so that everyone is whole on some page
(:attr:`Page.people`), and each page says which pages continue it. The key stands on the right of
page 1; the overlays' lists run on under it, then under the drawing on each page, then on pages of
their own: every item in full, on some page.

Pure computation, no I/O: :mod:`familynet.genogram.svg` draws what this decides.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.layout import layout
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("C", sex="female", date_of_birth="2016-03-01")
>>> g = genogram(b.graph, "C", dt.date(2024, 1, 1))
>>> sheet = paginate(g, layout(g))
>>> sheet.paper, len(sheet.pages), sheet.points >= MIN_POINTS
('A4', 1, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from familynet.genogram.coordinates import LABEL, SYMBOL, Layout
from familynet.genogram.labels import LABEL_WIDTH, SMALL_SIZE
from familynet.genogram.model import Genogram

#: A4 landscape in CSS pixels (96 per inch): a page's own units.
PAGE_WIDTH, PAGE_HEIGHT = 1123.0, 794.0
#: The width of the key and the overlays' lists on the right of page 1.
PANEL = 250.0
#: The most a small family is enlarged to fill the page.
MAX_SCALE = 1.5
#: The least size, in points, the drawing's smallest text (:data:`SMALL_SIZE` units) may print at (the page's
#: own text, 10 px and more, prints at 7.5 pt and more on A4).
MIN_POINTS = 7.0
#: How much larger an A3 page prints than an A4 one.
A3 = 2**0.5
#: The page's margins: the heading above the drawing, the marking below, the sides.
TOP, BOTTOM, SIDE = 70.0, 40.0, 20.0
#: The height of the key (:func:`familynet.genogram.svg.legend`): its title and its rows.
KEY_ROWS, KEY_ROW = 22, 18.0
#: The height of a list's title and of each line of a list, and the characters of a line.
TITLE_LINE, LIST_LINE, LIST_CHARS = 14.0, 13.0, 40
#: How far a symbol's badges and the index child's outer outline reach beyond the symbol's square.
_REACH = 10.0

#: A line of the overlays' lists, with whether it is a list's title.
Line = tuple[str, bool]


@dataclass(frozen=True)
class Column:
    """Lines of the lists on a page, from ``(x, top)`` down."""

    x: float
    top: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Page:
    """One page: a window of the drawing (none on a page of lists only) and the lists' lines on it."""

    number: int
    window: tuple[float, float, float, float] | None
    """The part of the drawing shown, ``(left, top, right, bottom)`` in drawing units."""
    people: tuple[str, ...]
    """Everyone whose symbol and label are whole on the page."""
    beside: tuple[tuple[str, int], ...]
    """The pages that continue the drawing: ``("left", 3)``, ``("right", 2)``, ``("above", 4)``, ``("below", 5)``."""
    columns: tuple[Column, ...]
    key: bool
    """Whether the key stands on the page (page 1)."""


@dataclass(frozen=True)
class Sheet:
    """A genogram set on paper."""

    paper: str
    """``A4`` or ``A3``."""
    scale: float
    """Page units per drawing unit."""
    points: float
    """The size the drawing's smallest text prints at, in points."""
    pages: tuple[Page, ...]

    @property
    def lines(self) -> list[Line]:
        """The lists' lines in the order the pages hold them."""
        return [line for page in self.pages for column in page.columns for line in column.lines]


def text_points(scale: float, paper: float = 1.0) -> float:
    """The size on paper, in points, of the drawing's smallest text at ``scale`` (``paper`` 1 for A4, √2 for A3).

    >>> round(text_points(1.0), 2)
    6.75
    """
    return SMALL_SIZE * scale * 0.75 * paper


def wrapped(item: str, chars: int = LIST_CHARS) -> list[str]:
    """An item of a list on as many lines as it needs, broken between words (never cut with "…").

    >>> wrapped("member only in other agency record: Patricia Walsh-Okonkwo", 40)
    ['member only in other agency record:', 'Patricia Walsh-Okonkwo']
    """
    lines: list[str] = []
    for word in item.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def list_lines(genogram: Genogram) -> list[Line]:
    """The overlays' lists, each item in full: people marked confidential, agencies, findings, alleged
    perpetrators, domestic abuse concerns and recorded households."""
    names = {p.person_id: p.name for p in genogram.people}

    def who(person_id: str | None) -> str:
        return "" if person_id is None else f": {names.get(person_id, person_id)}"

    overlays = genogram.overlays
    sections = [
        ("Marked confidential: do not disclose", [p.name for p in genogram.people if p.confidential]),
        ("Agencies involved", [f"{a.name or a.agency_id} ({a.kind or 'unknown'})" for a in overlays.agencies]),
        ("Findings", [f"{f.kind.replace('_', ' ')}{who(f.person_id)}" for f in overlays.findings]),
        ("Alleged perpetrators", [f"{names.get(p, p)}: {', '.join(r)}" for p, r in overlays.perpetrators.items()]),
        (
            "Domestic abuse concerns",
            [
                f"{names.get(c.first)} and {names.get(c.second)}: {', '.join(c.referrals)}"
                for c in overlays.domestic_abuse
            ],
        ),
        (
            "Recorded households",
            [f"{h.household_id}{': ' + h.address if h.address else ''}" for h in genogram.households],
        ),
    ]
    found: list[Line] = []
    for title, items in sections:
        if items:
            found += [(title, True), *((line, False) for item in items for line in wrapped(item)), ("", False)]
    return found


def _windows(
    extents: list[tuple[float, float]], length: float, first: float, size: float, focus: tuple[float, float]
) -> list[tuple[float, float]]:
    """Windows covering ``[0, length]``: the first ``first`` long round ``focus`` (or centred on it when it is
    longer), then the others ``size`` long on either side, each starting where the one before it cut an
    extent, so that every extent (shorter than a window) is whole in one. The first window first, then the
    others in order.

    >>> _windows([(90.0, 130.0)], 300.0, 100.0, 100.0, (0.0, 10.0))
    [(0.0, 100.0), (90.0, 190.0), (190.0, 290.0), (290.0, 300.0)]
    """
    if length <= first:
        return [(0.0, length)]
    lo, hi = focus
    start = (lo + hi - first) / 2 if hi - lo > first else min(lo, max(hi - first, (lo + hi - first) / 2))
    start = min(max(start, 0.0), length - first)
    found, others = [(start, start + first)], []
    end = start + first
    while end < length:
        begin = min([end, *(a for a, b in extents if a < end < b)])
        others.append((begin, min(begin + size, length)))
        end = begin + size
    while start > 0:
        finish = max([start, *(b for a, b in extents if a < start < b)])
        others.append((max(finish - size, 0.0), finish))
        start = finish - size
    return found + sorted(others)


def paginate(genogram: Genogram, placed: Layout) -> Sheet:
    """Set the genogram on paper (see the module docstring)."""
    wide, high = PAGE_WIDTH - 2 * SIDE, PAGE_HEIGHT - TOP - BOTTOM
    beside_key = wide - PANEL
    fit = min(MAX_SCALE, beside_key / placed.width, high / placed.height)
    least = math.ceil(MIN_POINTS / text_points(1.0) * 1000) / 1000  # rounded up: 7 pt, not 6.99999
    if fit >= least or fit * A3 >= least:
        paper, scale = ("A4", fit) if fit >= least else ("A3", fit)
        windows = [(0.0, 0.0, placed.width, placed.height)]
    else:
        paper, scale = "A4", least
        windows = _tiles(genogram, placed, (beside_key / scale, wide / scale, high / scale))
    extents = {b.person_id: _extent(b.x, b.y) for b in placed.boxes}
    pages = []
    lines = list_lines(genogram)
    for i, window in enumerate(windows):
        left, top, right, bottom = window
        people = tuple(
            p for p, (a, t, b, u) in extents.items() if left <= a and b <= right and top <= t and u <= bottom
        )
        under = TOP + (bottom - top) * scale + 24
        columns = [(PAGE_WIDTH - PANEL, TOP + 16 + KEY_ROWS * KEY_ROW + 6)] if i == 0 else []
        across = beside_key if i == 0 else wide
        columns += [(SIDE + k * PANEL, under) for k in range(int(across // PANEL))]
        placed_columns, lines = _flow(lines, columns)
        pages.append(Page(i + 1, window, people, _beside(windows, i), placed_columns, i == 0))
    while lines:
        placed_columns, lines = _flow(lines, [(SIDE + k * PANEL, TOP) for k in range(int(wide // PANEL))])
        pages.append(Page(len(pages) + 1, None, (), (), placed_columns, False))
    return Sheet(paper, scale, text_points(scale, A3 if paper == "A3" else 1.0), tuple(pages))


def _extent(x: float, y: float) -> tuple[float, float, float, float]:
    """A person's symbol, badges and label: ``(left, top, right, bottom)``."""
    half = max(LABEL_WIDTH, SYMBOL + 2 * _REACH) / 2
    return x - half, y - SYMBOL / 2 - _REACH, x + half, y + SYMBOL / 2 + _REACH + LABEL


def _tiles(
    genogram: Genogram, placed: Layout, sizes: tuple[float, float, float]
) -> list[tuple[float, float, float, float]]:
    """Windows of the drawing on pages: the first (beside the key) round the index child and their
    household, the first row of pages before any other."""
    first, width, height = sizes
    extents = [_extent(b.x, b.y) for b in placed.boxes]
    index = _extent(placed.box(genogram.index_id).x, placed.box(genogram.index_id).y)
    household = [m for h in genogram.households if genogram.index_id in h.members for m in h.members]
    around = [_extent(placed.box(p).x, placed.box(p).y) for p in household]
    # Page 1 starts where it holds the child and the most of their household, the child nearest its middle.
    starts = [index[2] - first, index[0], *(e[0] for e in around), *(e[2] - first for e in around)]
    start = max(
        (v for v in starts if v <= index[0] and index[2] <= v + first),
        key=lambda v: (
            sum(v <= e[0] and e[2] <= v + first for e in around),
            -abs(v + first / 2 - (index[0] + index[2]) / 2),
        ),
    )
    columns = _windows([(e[0], e[2]) for e in extents], placed.width, first, width, (start, start + first))
    rows = _windows([(e[1], e[3]) for e in extents], placed.height, height, height, (index[1], index[3]))
    # Pages after the first are as wide as the page; only the first shares its width with the key.
    found = [(a, t, b, u) for i, (t, u) in enumerate(rows) for j, (a, b) in enumerate(columns) if i or j]
    return [(columns[0][0], rows[0][0], columns[0][1], rows[0][1]), *found]


def _beside(windows: list[tuple[float, float, float, float]], i: int) -> tuple[tuple[str, int], ...]:
    """The pages whose windows continue page ``i``'s on each side (the nearest, overlapping its span)."""
    found = []
    for side, axis, sign in (("left", 0, -1), ("right", 2, 1), ("above", 1, -1), ("below", 3, 1)):
        across = (1, 3) if axis in (0, 2) else (0, 2)  # the other axis: the windows must overlap on it
        near = [
            j
            for j, w in enumerate(windows)
            if j != i
            and sign * (w[axis] - windows[i][axis]) > 0
            and w[across[0]] < windows[i][across[1]]
            and windows[i][across[0]] < w[across[1]]
        ]
        if near:
            j = min(near, key=lambda j: abs(windows[j][axis] - windows[i][axis]))
            found.append((side, j + 1))
    return tuple(found)


def _flow(lines: list[Line], columns: list[tuple[float, float]]) -> tuple[tuple[Column, ...], list[Line]]:
    """The lines that the columns ``(x, top)`` of a page hold, down to its bottom margin; and those left."""
    placed = []
    rest = lines
    for x, top in columns:
        y, held = top, 0
        while held < len(rest) and y + LIST_LINE <= PAGE_HEIGHT - BOTTOM - 14 - LIST_LINE:
            y += TITLE_LINE if rest[held][1] else LIST_LINE
            held += 1
        if 0 < held < len(rest) and rest[held - 1][1]:
            held -= 1  # a list's title goes with its first item
        if held:
            placed.append(Column(x, top, tuple(rest[:held])))
        rest = rest[held:]
    return tuple(placed), rest
