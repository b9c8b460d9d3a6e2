"""The order and horizontal place of each person in a genogram's rows.

Each row is ordered in groups of partners (a person with several partners in the
middle, the first partner on their side of the couple, a man on the left, the others
on the other side), the groups under their parents, children in birth order. Then
positions minimise the squared distance of each person from where their family
puts them (children under their parents, parents over their children), keeping the
order and :data:`SLOT` apart, in a few sweeps down and up the rows.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from familynet.genogram.labels import LABEL_WIDTH, SMALL_SIZE, couple_dates, width
from familynet.genogram.model import Couple, CoupleStatus, DescentKind, Genogram

#: The least distance between the centres of two symbols in a row: the widest label and a gap for a line.
SLOT = LABEL_WIDTH + 24.0
#: The side of a symbol's square.
SYMBOL = 40.0

_CLASSES = {
    DescentKind.BIRTH: 0,
    DescentKind.ADOPTIVE: 1,
    DescentKind.FOSTER: 2,
    DescentKind.SPECIAL_GUARDIAN: 2,
}


@dataclass(frozen=True)
class Unit:
    """Parents a child hangs from: a couple, or one parent."""

    parents: tuple[str, ...]


def units_of(
    genogram: Genogram, generation: dict[str, int], couples: dict[frozenset[str], Couple], rank: dict[str, int]
) -> dict[str, list[tuple[Unit, DescentKind]]]:
    """Each child's units, birth parents first (they place the child), then adoptive, then carers;
    from the descents one generation apart (a step-parent shows as the partner of a parent)."""
    by_class: dict[tuple[str, int], dict[str, DescentKind]] = {}
    for d in genogram.descents:
        cls = _CLASSES.get(d.kind)
        if cls is None or generation[d.parent] != generation[d.child] - 1:
            continue
        by_class.setdefault((d.child, cls), {})[d.parent] = d.kind
    found: dict[str, list[tuple[Unit, DescentKind]]] = {}
    for (child, _cls), kinds in sorted(by_class.items(), key=lambda item: (rank[item[0][0]], item[0][1])):
        ps = sorted(kinds, key=rank.__getitem__)
        groups = [tuple(sorted(ps))] if len(ps) == 2 and frozenset(ps) in couples else [(p,) for p in ps]
        for group in groups:
            unit = Unit(group)
            if all(u != unit for u, _ in found.get(child, [])):
                found.setdefault(child, []).append((unit, kinds[group[0]]))
    return found


def isotonic(desired: Sequence[float], gaps: Sequence[float] | None = None) -> list[float]:
    """Positions closest to ``desired`` (least squares) in the same order, each ``gaps[i]`` after the one
    before (default :data:`SLOT`): pool-adjacent-violators on the positions less their offsets.

    >>> isotonic([0.0, 10.0, 500.0])
    [-45.0, 55.0, 500.0]
    >>> isotonic([0.0, 10.0], [200.0])
    [-95.0, 105.0]
    """
    offsets = list(itertools.accumulate(gaps or [SLOT] * (len(desired) - 1), initial=0.0))[: len(desired)]
    shifted = [d - o for d, o in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [sum, count]
    for value in shifted:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: list[float] = []
    for total, count in blocks:
        out += [total / count] * int(count)
    return [v + o for v, o in zip(out, offsets, strict=True)]


class Placer:
    """Orders each row and places it, in sweeps down and up the generations."""

    def __init__(self, genogram: Genogram) -> None:
        self.generation = {p.person_id: p.generation for p in genogram.people}
        self.rank = {p.person_id: p.birth_rank for p in genogram.people}
        self.births = {p.person_id: p.multiple_birth for p in genogram.people if p.multiple_birth is not None}
        self.identical = {p.person_id: p.identical for p in genogram.people if p.identical is not None}
        self.couples = {
            frozenset((c.first, c.second)): c
            for c in genogram.couples
            if self.generation[c.first] == self.generation[c.second] and c.first != c.second
        }
        self.partners: dict[str, list[str]] = {p: [] for p in self.generation}
        # The model's couples are in the order they began, redacted or not.
        for c in self.couples.values():
            self.partners[c.first].append(c.second)
            self.partners[c.second].append(c.first)
        self.units = units_of(genogram, self.generation, self.couples, self.rank)
        self.children: dict[Unit, list[str]] = {}
        for child, units in self.units.items():
            for unit, _ in units:
                self.children.setdefault(unit, []).append(child)
        self.gens = sorted(set(self.generation.values()))
        self.clusters = {g: self._clusters(g) for g in self.gens}
        self.rows: dict[int, list[str]] = {}
        self.x: dict[str, float] = {}

    def _clusters(self, generation: int) -> list[list[str]]:
        """The row's people in groups of partners, each group in its drawing order."""
        seen: set[str] = set()
        groups = []
        for p in sorted((q for q, g in self.generation.items() if g == generation), key=self.rank.__getitem__):
            if p in seen:
                continue
            component, stack = set(), [p]
            while stack:
                q = stack.pop()
                if q not in component:
                    component.add(q)
                    stack += self.partners[q]
            seen |= component
            groups.append(self._line(component))
        return groups

    def _line(self, component: set[str]) -> list[str]:
        """A person with several partners in the middle, the first partner on their side of the
        couple (a man on the left), the others on the other side; partners of partners further out.

        Partners with partners of their own stand outermost, each on the side with fewer such so far,
        so that their own partners can stand beside them rather than across the row."""
        hub = max(sorted(component, key=self.rank.__getitem__), key=lambda p: len(self.partners[p]))
        line, queue = [hub], [hub]
        while queue:
            p = queue.pop(0)
            new = [q for q in self.partners[p] if q not in line]
            new[1:] = sorted(new[1:], key=lambda q: len(self.partners[q]) > 1)
            partnered = {True: 0, False: 0}
            for i, q in enumerate(new):
                if p == hub:
                    first_left = self.couples[frozenset((p, new[0]))].first == new[0]
                    left = first_left if i == 0 else not first_left
                    if i > 0 and len(self.partners[q]) > 1 and partnered[first_left] < partnered[not first_left]:
                        left = first_left
                    partnered[left] += len(self.partners[q]) > 1
                else:
                    left = line.index(p) <= (len(line) - 1) / 2
                if left:
                    line.insert(0, q)
                else:
                    line.append(q)
                queue.append(q)
        return line

    def _anchor_x(self, unit: Unit) -> float:
        return sum(self.x[p] for p in unit.parents) / len(unit.parents)

    def _parent_key(self, p: str) -> tuple[float, tuple[int, ...], int] | None:
        units = self.units.get(p)
        if not units:
            return None
        unit = units[0][0]
        return (self._anchor_x(unit), self.ranks(unit), self.rank[p])

    def ranks(self, unit: Unit) -> tuple[int, ...]:
        """The birth ranks of a unit's parents: what orders units, so that the layout is the same whatever
        the people's ids (a redacted genogram's anonymous "person not shown" has an id of its own)."""
        return tuple(sorted(self.rank[p] for p in unit.parents))

    def _place_row(self, generation: int, ordered: list[list[str]], desired: dict[str, float]) -> None:
        self.rows[generation] = [p for group in ordered for p in group]
        row = self.rows[generation]
        gaps = [self.gap(p, q) for p, q in itertools.pairwise(row)]
        for p, x in zip(row, isotonic([desired[p] for p in row], gaps), strict=True):
            self.x[p] = x

    def gap(self, p: str, q: str) -> float:
        """How far apart two neighbours of a row stand: :data:`SLOT`; half as much again for two partners
        both partnered to a third (three people partnered to each other), so that the line of the couple
        standing apart has room for their children's line beside the others', under no one; and for two
        partners, room for their years over their line beside its mark (a quarter of the way along)."""
        couple = self.couples.get(frozenset((p, q)))
        if couple is None:
            return SLOT
        if set(self.partners[p]) & set(self.partners[q]):
            return SLOT * 1.5
        # As wide as the years would be if recorded: the same redacted (no dates for a person not shown) or not.
        dated = dataclasses.replace(couple, start="0000", end="0000")
        text = max((width(line, SMALL_SIZE) for line in couple_dates(dated)), default=0.0) + 16
        marked = couple.status in {CoupleStatus.SEPARATED, CoupleStatus.DIVORCED, CoupleStatus.ENDED}
        return max(SLOT, SYMBOL + (text / 0.75 if marked else text))

    def _inversions(self, group: list[str]) -> int:
        """Pairs of children of the same parents in the group that stand out of birth order."""
        placing = [self.units[p][0][0] if self.units.get(p) else None for p in group]
        return sum(
            1
            for i, j in itertools.combinations(range(len(group)), 2)
            if placing[i] is not None and placing[i] == placing[j] and self.rank[group[i]] > self.rank[group[j]]
        )

    def down(self, generation: int) -> None:
        """Order and place a row under the row above: children by their parents, in birth order."""
        keyed = []
        for group in self.clusters[generation]:
            # Two siblings with the same partner (or partners of each other) stand oldest left when they can.
            if self._inversions(group[::-1]) < self._inversions(group):
                group.reverse()
            keys = [k for k in map(self._parent_key, group) if k is not None]
            here = sum(self.x.get(p, 0.0) for p in group) / len(group)
            keyed.append((min(keys) if keys else (here, (len(self.rank),), 0), group))
        keyed.sort(key=lambda item: item[0])
        desired: dict[str, float] = {}
        for unit, children in self.children.items():
            row = sorted(
                (c for c in children if self.generation[c] == generation and self.units[c][0][0] == unit),
                key=lambda c: self.rank[c],
            )
            for i, c in enumerate(row):
                desired[c] = self._anchor_x(unit) + (i - (len(row) - 1) / 2) * SLOT
        for _, group in keyed:
            fixed = [i for i, p in enumerate(group) if p in desired]
            for i, p in enumerate(group):
                if p in desired:
                    continue
                if fixed:
                    ref = min(fixed, key=lambda j: abs(j - i))
                    desired[p] = desired[group[ref]] + (i - ref) * SLOT
                else:
                    desired[p] = self.x.get(p, 0.0)
        self._place_row(generation, [group for _, group in keyed], desired)

    def up(self, generation: int) -> None:
        """Order and place a row over the row below: each group of partners centred over its children."""
        keyed = []
        for group in self.clusters[generation]:
            below = [
                self.x[c]
                for unit, children in self.children.items()
                if set(unit.parents) & set(group)
                for c in children
            ]
            centre = sum(below) / len(below) if below else sum(self.x[p] for p in group) / len(group)
            keyed.append((centre, group))
        keyed.sort(key=lambda item: item[0])
        desired = {
            p: centre + (i - (len(group) - 1) / 2) * SLOT for centre, group in keyed for i, p in enumerate(group)
        }
        self._place_row(generation, [group for _, group in keyed], desired)

    def run(self, sweeps: int = 2) -> None:
        top = self.gens[0]
        initial = {p: i * SLOT for i, p in enumerate(p for group in self.clusters[top] for p in group)}
        self._place_row(top, self.clusters[top], initial)
        for g in self.gens[1:]:
            self.down(g)
        for _ in range(sweeps):
            for g in reversed(self.gens[:-1]):
                self.up(g)
            for g in self.gens[1:]:
                self.down(g)
