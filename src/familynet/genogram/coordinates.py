"""The coordinates of a placed genogram, in drawing units (a symbol is :data:`SYMBOL` wide): each
person's box, and each couple line, sibship line, drop and household frame as points.

The sizes of a drawing are here too: :data:`SYMBOL` and :data:`LABEL_WIDTH` (the widest a label may be,
so that a line can pass between two labels) from where the row is placed and labelled. Frozen
dataclasses with no I/O; :func:`familynet.genogram.layout.layout` makes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from familynet.genogram.labels import LABEL_WIDTH as LABEL_WIDTH
from familynet.genogram.labels import LINE, NAME_LINES
from familynet.genogram.model import Couple, DescentKind
from familynet.genogram.placement import SYMBOL as SYMBOL

#: The height of the label under a symbol: the name's lines and two more (:mod:`familynet.genogram.labels`).
LABEL = (NAME_LINES + 2) * LINE + 4
#: The distance between two lines that run side by side in the gap between rows.
LEVEL = 8.0
#: The space around the drawing.
MARGIN = 20.0

Point = tuple[float, float]


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
    mark: Point
    """Where a separation or divorce mark goes: on the couple's own line, clear of every line that
    crosses or meets it."""


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
    twin: bool = False
    """One of a multiple birth's drops, which leave the sibship line from one point, slanting to each child:
    the only lines that are not horizontal or vertical."""


@dataclass(frozen=True)
class Boundary:
    """One rectangle of a household's region (:mod:`familynet.genogram.regions`): their union is connected."""

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
    bars: tuple[tuple[Point, Point], ...] = ()
    """The bars joining identical twins' (triplets') drops, each from the leftmost drop to the rightmost."""

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
