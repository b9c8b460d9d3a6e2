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
from collections.abc import Iterator
from dataclasses import dataclass

from familynet.genogram.model import Couple, DescentKind, Genogram
from familynet.genogram.placement import SLOT, Placer

#: The side of a symbol's square.
SYMBOL = 40.0
#: The height of the label under a symbol.
LABEL = 30.0
#: The distance between two lines that run side by side in the gap between rows.
LEVEL = 8.0
#: The space around the drawing.
MARGIN = 20.0
#: The widest a label may be, so that a line can pass between two labels.
LABEL_WIDTH = SLOT - 24.0

Point = tuple[float, float]

#: Where the drops of a child with several sibships (birth parents, foster carers) reach it.
_OFFSETS = (0.0, 8.0, -8.0, 16.0, -16.0)


@dataclass(frozen=True)
class Box:
    """The square a person's symbol is drawn in, by its centre."""

    person_id: str
    x: float
    y: float

    @property
    def left(self) -> float:
        return self.x - SYMBOL / 2

    @property
    def right(self) -> float:
        return self.x + SYMBOL / 2

    @property
    def top(self) -> float:
        return self.y - SYMBOL / 2

    @property
    def bottom(self) -> float:
        return self.y + SYMBOL / 2


@dataclass(frozen=True)
class CoupleLine:
    """A couple's line, from the first partner drawn on the left to the other."""

    couple: Couple
    points: tuple[Point, ...]
    anchor: Point
    """Where the couple's children's line leaves the couple line."""


@dataclass(frozen=True)
class Sibship:
    """The line from a couple (or a lone parent) down to the line its children hang from."""

    parents: tuple[str, ...]
    points: tuple[Point, ...]
    kind: DescentKind
    """The kind of descent of every child of the sibship; birth (solid) when they differ."""


@dataclass(frozen=True)
class Drop:
    """The line from a sibship line down to one child; it carries the kind of descent."""

    parents: tuple[str, ...]
    child: str
    kind: DescentKind
    points: tuple[Point, ...]
    primary: bool
    """Whether these parents place the child (birth parents, else adoptive, else carers): only a
    primary sibship is in birth order, since a child stands under the parents who place them."""


@dataclass(frozen=True)
class Boundary:
    """A dotted frame round people of a household who stand side by side in a row."""

    household_id: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Layout:
    """The placed genogram, in drawing units (a symbol is :data:`SYMBOL` wide)."""

    boxes: tuple[Box, ...]
    couples: tuple[CoupleLine, ...]
    sibships: tuple[Sibship, ...]
    drops: tuple[Drop, ...]
    boundaries: tuple[Boundary, ...]
    width: float
    height: float

    def box(self, person_id: str) -> Box:
        """The box of a person (KeyError when not drawn)."""
        for b in self.boxes:
            if b.person_id == person_id:
                return b
        raise KeyError(person_id)

    def paths(self) -> Iterator[tuple[tuple[Point, ...], tuple[str, ...]]]:
        """Every line, with the people it may touch: its own ends."""
        for c in self.couples:
            yield c.points, (c.couple.first, c.couple.second)
        for s in self.sibships:
            yield s.points, s.parents
        for d in self.drops:
            yield d.points, (d.child,)


def _levels(spans: list[tuple[float, float]], order: list[int] | None = None) -> list[int]:
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


def _boundaries(genogram: Genogram, placer: Placer, y: dict[int, float]) -> list[Boundary]:
    """A frame round each run of a household's members who stand next to each other in a row."""
    found = []
    for household in genogram.households:
        inside = set(household.members)
        for generation, row in placer.rows.items():
            runs: list[list[str]] = []
            for i, p in enumerate(row):
                if p in inside:
                    if runs and i > 0 and row[i - 1] == runs[-1][-1]:
                        runs[-1].append(p)
                    else:
                        runs.append([p])
            for run in runs:
                top = y[generation] - SYMBOL / 2 - LEVEL
                found.append(
                    Boundary(
                        household.household_id,
                        placer.x[run[0]] - SLOT / 2 + 6,
                        top,
                        placer.x[run[-1]] + SLOT / 2 - 6,
                        y[generation] + SYMBOL / 2 + LABEL,
                    )
                )
    return found


def _sibships(
    placer: Placer, generation: int, x: dict[str, float], anchors: dict[tuple[str, ...], Point], top: float
) -> tuple[list[Sibship], list[Drop], float]:
    """The lines the row's children hang from, on levels from ``top`` down; and the row's top below them."""
    hanging = [
        (c, u, k, x[c] + _OFFSETS[i % len(_OFFSETS)])
        for c in placer.rows[generation]
        for i, (u, k) in enumerate(placer.units.get(c, []))
    ]
    primary = {(c, units[0][0]) for c, units in placer.units.items()}
    units = sorted({u for _, u, _, _ in hanging}, key=lambda u: u.parents)
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
    levels = _levels(spans, order)
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
        drops += [Drop(u.parents, c, k, ((v, rail), (v, row_top)), (c, u) in primary) for c, k, v in kids]
    return sibships, drops, row_top


def _couple_lines(placer: Placer, generation: int, x: dict[str, float], centre: float) -> tuple[list[CoupleLine], int]:
    """The row's couple lines, and how many levels under the labels they take."""
    position = {p: i for i, p in enumerate(placer.rows[generation])}
    couples = sorted(
        (c for c in placer.couples.values() if placer.generation[c.first] == generation),
        key=lambda c: (min(x[c.first], x[c.second]), c.first, c.second),
    )
    apart = [c for c in couples if abs(position[c.first] - position[c.second]) > 1]
    spans = [(min(x[c.first], x[c.second]), max(x[c.first], x[c.second])) for c in apart]
    deep = dict(zip((id(c) for c in apart), _levels(spans), strict=True))
    under = centre + SYMBOL / 2 + LABEL
    lines = []
    for c in couples:
        left, right = sorted((c.first, c.second), key=lambda p: x[p])
        if id(c) in deep:
            level = under + (deep[id(c)] + 1) * LEVEL
            a, b = x[left] + SYMBOL / 4, x[right] - SYMBOL / 4
            bottom = centre + SYMBOL / 2
            lines.append(CoupleLine(c, ((a, bottom), (a, level), (b, level), (b, bottom)), ((a + b) / 2, level)))
        else:
            points = ((x[left] + SYMBOL / 2, centre), (x[right] - SYMBOL / 2, centre))
            lines.append(CoupleLine(c, points, ((x[left] + x[right]) / 2, centre)))
    return lines, max(deep.values(), default=-1) + 1


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
        lines, levels = _couple_lines(placer, generation, x, centre)
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
        tuple(_boundaries(genogram, placer, y)),
        max(x.values()) + SLOT / 2 + MARGIN,
        top + MARGIN,
    )
