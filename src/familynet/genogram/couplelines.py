"""Couple lines: partners side by side joined between them, partners standing apart joined under
the row; where their children's line leaves each, and where a separation or divorce mark goes.

A couple standing apart is joined under the row; their children's line leaves it nearest its
middle where nothing of the row stands above (a person, their label, another couple's line) and no
other line runs down, so that it cannot be read as coming from a partner standing between them.
"""

from __future__ import annotations

import itertools
import math

from familynet.genogram.coordinates import LABEL, LABEL_WIDTH, LEVEL, SYMBOL, CoupleLine, Point
from familynet.genogram.model import Couple
from familynet.genogram.placement import SLOT, Placer, Unit

#: Where the legs of lines under the row leave a symbol, from its middle: the outermost, the innermost, and
#: the most between two.
_LEG_OUT, _LEG_IN, _LEG_STEP = SYMBOL / 2 - 3, 3.0, 6.0
#: The least distance between a separation or divorce mark and a line that crosses or meets its couple line.
MARK_CLEAR = 12.0
#: How far apart two lines down should stand when the line of a couple standing apart can leave nowhere that
#: nothing stands above: a quarter of a slot, so that neither reads as the other's.
_APART = SLOT / 4


def stack(spans: list[tuple[float, float]], order: list[int] | None = None) -> list[int]:
    """The first level (from 0) on which each span overlaps no span before it, taking the spans in
    ``order`` (default: shortest first)."""
    if order is None:
        order = sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], spans[i][0]))
    taken: list[list[tuple[float, float]]] = []
    found = [0] * len(spans)
    for i in order:
        lo, hi = spans[i]
        level = 0
        while level < len(taken) and any(lo <= b + LEVEL and a - LEVEL <= hi for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((lo, hi))
        found[i] = level
    return found


def free_point(lo: float, hi: float, target: float, blocked: list[tuple[float, float]]) -> float | None:
    """The point of ``[lo, hi]`` outside every blocked interval nearest ``target`` (the middle of a narrow
    gap, so that a line there stands clear of both sides); None when all of it is blocked.

    >>> free_point(0.0, 300.0, 150.0, [(60.0, 250.0)])
    30.0
    >>> free_point(0.0, 300.0, 150.0, [(0.0, 300.0)]) is None
    True
    """
    gaps, start = [], lo
    for a, b in sorted(blocked):
        if a > start:
            gaps.append((start, min(a, hi)))
        start = max(start, b)
        if start >= hi:
            break
    if start < hi:
        gaps.append((start, hi))
    points = [(u + v) / 2 if v - u < SLOT else min(max(target, u + LEVEL), v - LEVEL) for u, v in gaps if v > u]
    return min(points, key=lambda v: abs(v - target), default=None)


def _legs(apart: list[Couple], x: dict[str, float], deep: dict[int, int]) -> dict[tuple[int, str], float]:
    """Where each line under the row leaves each partner: toward the other partner, the shallowest line
    outermost and each deeper one further in (so that its leg passes clear of the shallower lines),
    never on the symbol's middle, where a lone parent's line to their children leaves."""
    found: dict[tuple[int, str], float] = {}
    sides: dict[tuple[str, float], list[Couple]] = {}
    for c in apart:
        for p, q in ((c.first, c.second), (c.second, c.first)):
            sides.setdefault((p, 1.0 if x[q] > x[p] else -1.0), []).append(c)
    for (p, side), here in sides.items():
        step = min(_LEG_STEP, (_LEG_OUT - _LEG_IN) / max(1, len(here) - 1))
        for k, c in enumerate(sorted(here, key=lambda c: deep[id(c)])):
            found[id(c), p] = x[p] + side * (_LEG_OUT - k * step)
    return found


def couple_lines(placer: Placer, generation: int, x: dict[str, float], centre: float) -> tuple[list[CoupleLine], int]:
    """The row's couple lines, and how many levels under the labels they take.

    A couple standing apart is joined under the row; their children's line leaves it nearest its
    middle where nothing of the row stands above (a person, their label, another couple's line) and
    no other line runs down, so that it cannot be read as coming from a partner standing between them.
    """
    row = placer.rows[generation]
    position = {p: i for i, p in enumerate(row)}
    couples = sorted(
        (c for c in placer.couples.values() if placer.generation[c.first] == generation),
        key=lambda c: (min(x[c.first], x[c.second]), placer.rank[c.first], placer.rank[c.second]),
    )
    apart = [c for c in couples if abs(position[c.first] - position[c.second]) > 1]
    spans = [(min(x[c.first], x[c.second]), max(x[c.first], x[c.second])) for c in apart]
    deep = dict(zip((id(c) for c in apart), stack(spans), strict=True))
    under = centre + SYMBOL / 2 + LABEL
    legs = _legs(apart, x, deep)
    labels = [(x[p] - LABEL_WIDTH / 2, x[p] + LABEL_WIDTH / 2) for p in row]
    above: list[tuple[float, float]] = []
    verticals = list(legs.values())
    # A lone parent's line to their children leaves the middle of their symbol.
    lone = [x[p] for p in row if Unit((p,)) in placer.children]
    lines: list[tuple[Couple, tuple[Point, ...], Point]] = []
    for c in sorted(couples, key=lambda c: deep.get(id(c), -1)):
        left, right = sorted((c.first, c.second), key=lambda p: x[p])
        if id(c) in deep:
            level = under + (deep[id(c)] + 1) * LEVEL
            a, b = legs[id(c), left], legs[id(c), right]
            bottom = centre + SYMBOL / 2
            near = [(v - LEVEL, v + LEVEL) for v in verticals]
            wide = [(v - _APART, v + _APART) for v in (*verticals, *lone)]
            # Clear of the row's people and of the couple lines above; else (where those lines leave no
            # room, as for three people partnered to each other, whose row leaves them room beside the
            # others' lines) clear of the people and well apart from every other line down, so that no
            # child's line seems to continue another's; else clear of the people at least.
            anchor = free_point(a + LEVEL, b - LEVEL, (a + b) / 2, labels + above + near)
            for blocked in (labels + wide, labels + near):
                anchor = free_point(a + LEVEL, b - LEVEL, (a + b) / 2, blocked) if anchor is None else anchor
            anchor = (a + b) / 2 if anchor is None else anchor
            verticals.append(anchor)
            above.append((a, b))
            lines.append((c, ((a, bottom), (a, level), (b, level), (b, bottom)), (anchor, level)))
        else:
            points = ((x[left] + SYMBOL / 2, centre), (x[right] - SYMBOL / 2, centre))
            above.append((x[left], x[right]))
            verticals.append((x[left] + x[right]) / 2)
            lines.append((c, points, ((x[left] + x[right]) / 2, centre)))
    order = {id(c): i for i, c in enumerate(couples)}
    lines.sort(key=lambda line: order[id(line[0])])
    # Every line down that crosses or meets a couple line: the legs of the lines under the row, and the
    # children's lines, which leave from the anchors (or a lone parent) and run down past every deeper line.
    down = [(a[0], a[1], b[1]) for _, points, _ in lines for a, b in itertools.pairwise(points) if a[0] == b[0]]
    down += [(ax, ay, math.inf) for _, _, (ax, ay) in lines]
    down += [(x[p], centre + SYMBOL / 2, math.inf) for p in row]
    placed = [CoupleLine(c, points, anchor, _mark(points, down)) for c, points, anchor in lines]
    return placed, max(deep.values(), default=-1) + 1


def _mark(points: tuple[Point, ...], down: list[tuple[float, float, float]]) -> Point:
    """Where a separation or divorce mark goes on a couple line: on its horizontal part, nearest a quarter of
    the way along, :data:`MARK_CLEAR` clear of its ends and of every line down that crosses or meets it,
    so that the mark cannot be read as another couple's."""
    (a, y), (b, _) = max(
        itertools.pairwise(points), key=lambda seg: abs(seg[1][0] - seg[0][0]) * (seg[0][1] == seg[1][1])
    )
    lo, hi = min(a, b), max(a, b)
    blocked = [(v - MARK_CLEAR, v + MARK_CLEAR) for v, top, bottom in down if min(top, bottom) <= y <= max(top, bottom)]
    found = free_point(lo + MARK_CLEAR, hi - MARK_CLEAR, lo + (hi - lo) / 4, blocked)
    return (lo + (hi - lo) / 4 if found is None else found, y)
