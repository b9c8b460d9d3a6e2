"""Where each symbol and line of a genogram goes.

Generations are rows, the oldest at the top. In a row, partners are side by side:
a person with several partners stands in the middle with the first partner on
their left and the others on their right. Children hang from their parents'
couple line (or from a lone parent) in birth order, oldest on the left, so a
half-sibling hangs from the couple line of the parents they share.

Every line is made of horizontal and vertical segments, and each runs where no
symbol can be: a couple line of partners side by side runs between the two at
mid-height; every other line runs in the gap between two rows (below a row's
labels, or on a sibship line above the next row) and reaches a symbol only at its
own ends. So no descent line crosses a symbol, however many partners a parent has.
Within a row, symbols are at least :data:`SLOT` apart: they never overlap.

Horizontal positions minimise the squared distance of each person from where
their family puts them (children under their parents, parents over their
children), keeping the order and spacing, in a few sweeps down and up.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> from familynet.genogram.selection import genogram
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("F", sex="male", date_of_birth="1988")
>>> for child, born in (("A", "2014-01-01"), ("B", "2012-01-01")):
...     b.person(child, date_of_birth=born)
...     b.relationship("M", child, "parent_of", subtype="birth")
...     b.relationship("F", child, "parent_of", subtype="birth")
>>> placed = layout(genogram(b.graph, "A", dt.date(2024, 1, 1)))
>>> [box.person_id for box in sorted(placed.boxes, key=lambda box: (box.y, box.x))]
['F', 'M', 'B', 'A']
"""

from __future__ import annotations

import functools

from familynet.genogram.coordinates import (
    LABEL,
    LEVEL,
    MARGIN,
    SYMBOL,
    Box,
    CoupleLine,
    Drop,
    Layout,
    Point,
    Sibship,
)
from familynet.genogram.couplelines import couple_lines, stack
from familynet.genogram.model import DescentKind, Genogram
from familynet.genogram.placement import SLOT, Placer, Unit
from familynet.genogram.regions import regions

#: Where the drops of a child with several sibships (birth parents, foster carers) reach it.
_OFFSETS = (0.0, 8.0, -8.0, 16.0, -16.0)


#: How far down identical twins' drops (as a fraction of their length) the bar joining them runs.
BAR_AT = 0.4


def _bars(placer: Placer, drops: list[Drop]) -> list[tuple[Point, Point]]:
    """A bar across the drops of each identical twins (triplets) of one birth, :data:`BAR_AT` of the way down."""
    groups: dict[tuple[tuple[str, ...], int], list[Point]] = {}
    for d in drops:
        if d.twin and d.primary and d.child in placer.identical:
            (x1, y1), (x2, y2) = d.points
            groups.setdefault((d.parents, placer.identical[d.child]), []).append(
                (x1 + BAR_AT * (x2 - x1), y1 + BAR_AT * (y2 - y1))
            )
    return [(min(points), max(points)) for points in groups.values() if len(points) > 1]


def _sibships(
    placer: Placer, generation: int, x: dict[str, float], anchors: dict[tuple[str, ...], Point], top: float
) -> tuple[list[Sibship], list[Drop], float]:
    """The lines the row's children hang from, on levels from ``top`` down; and the row's top below them."""
    trunks = {u: anchors[u.parents][0] for c in placer.rows[generation] for u, _ in placer.units.get(c, [])}

    # A child's drop from each of their sibships reaches them at its own offset, or the next one clear of
    # the other sibships' lines down and of the child's other drops: no two descent lines share a vertical.
    hanging: list[tuple[str, Unit, DescentKind, float]] = []
    for c in placer.rows[generation]:
        used: list[float] = []
        for i, (u, k) in enumerate(placer.units.get(c, [])):
            own = x[c] + _OFFSETS[i % len(_OFFSETS)]
            tries = [v for v in (own, *(x[c] + o for o in _OFFSETS)) if v not in used]
            clear = [v for v in tries if all(abs(v - t) >= LEVEL for w, t in trunks.items() if w != u)]
            used.append((*clear, *tries, own)[0])
            hanging.append((c, u, k, used[-1]))
    primary = {(c, units[0][0]) for c, units in placer.units.items()}
    units = sorted({u for _, u, _, _ in hanging}, key=placer.ranks)
    spans = []
    for u in units:
        xs = [anchors[u.parents][0], *(v for _, unit, _, v in hanging if unit == u)]
        spans.append((min(xs), max(xs)))
    drop_xs = [[v for _, unit, _, v in hanging if unit == u] for u in units]
    trunk_xs = [anchors[u.parents][0] for u in units]

    def crossings(upper: int, lower: int) -> int:
        """Lines of two sibships that cross when the first's line runs above the second's: the first's
        drops over the second's line, and the second's trunk through the first's line."""
        lo, hi = spans[lower]
        crossed = sum(lo < v < hi for v in drop_xs[upper])
        return crossed + (spans[upper][0] < trunk_xs[lower] < spans[upper][1])

    def higher_first(a: int, b: int) -> int:
        preferred = crossings(a, b) - crossings(b, a)
        return preferred or (spans[a][0] > spans[b][0]) - (spans[a][0] < spans[b][0])

    # Overlapping sibship lines go one above the other: the higher is the one whose lines cross fewer.
    order = sorted(range(len(units)), key=functools.cmp_to_key(higher_first))
    levels = stack(spans, order)
    row_top = top + (max(levels, default=-1) + 1) * LEVEL + 2 * LEVEL
    sibships, drops = [], []
    for u, level, (lo, hi) in zip(units, levels, spans, strict=True):
        rail = top + level * LEVEL
        ax, ay = anchors[u.parents]
        kids = [(c, k, v) for c, unit, k, v in hanging if unit == u]
        kinds = {k for _, k, _ in kids}
        trunk = kinds.pop() if len(kinds) == 1 else DescentKind.BIRTH
        points = ((ax, ay), (ax, rail), (lo, rail), (hi, rail)) if lo < hi else ((ax, ay), (ax, rail))
        sibships.append(Sibship(u.parents, points, trunk))
        # Twins (triplets) hang from one point of the line, their births' middle, as the convention draws them.
        births: dict[int, list[float]] = {}
        for c, _, v in kids:
            if (n := placer.births.get(c)) is not None and (c, u) in primary:
                births.setdefault(n, []).append(v)
        for c, k, v in kids:
            xs = births.get(placer.births.get(c, -1), [])
            start = sum(xs) / len(xs) if len(xs) > 1 else v
            drops.append(Drop(u.parents, c, k, ((start, rail), (v, row_top)), (c, u) in primary, len(xs) > 1))
    return sibships, drops, row_top


def layout(genogram: Genogram) -> Layout:
    """Place the genogram (see the module docstring)."""
    placer = Placer(genogram)
    placer.run()
    shift = MARGIN + SLOT / 2 - min(placer.x.values())
    placer.x = x = {p: v + shift for p, v in placer.x.items()}
    y: dict[int, float] = {}
    couples: list[CoupleLine] = []
    sibships: list[Sibship] = []
    drops: list[Drop] = []
    anchors: dict[tuple[str, ...], Point] = {}
    top = MARGIN
    for generation in placer.gens:
        found, hanging, top = _sibships(placer, generation, x, anchors, top)
        sibships += found
        drops += hanging
        centre = y[generation] = top + SYMBOL / 2
        lines, levels = couple_lines(placer, generation, x, centre)
        couples += lines
        anchors.update((tuple(sorted((c.couple.first, c.couple.second))), c.anchor) for c in lines)
        anchors.update(((p,), (x[p], centre + SYMBOL / 2)) for p in placer.rows[generation])
        top = centre + SYMBOL / 2 + LABEL + (levels + 1) * LEVEL
    boxes = tuple(Box(p, x[p], y[placer.generation[p]]) for p in sorted(x, key=lambda p: (placer.generation[p], x[p])))
    return Layout(
        boxes,
        tuple(couples),
        tuple(sibships),
        tuple(drops),
        tuple(regions(genogram, placer, y)),
        max(x.values()) + SLOT / 2 + MARGIN,
        top + MARGIN,
        tuple(_bars(placer, drops)),
    )
