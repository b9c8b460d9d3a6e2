"""Checks of a layout's lines that a reader relies on to see who hangs from whom (issue 16)."""

from __future__ import annotations

import itertools

from familynet.genogram.coordinates import LABEL, LABEL_WIDTH, Layout, Point

#: Two vertical lines nearer than this read as one.
APART = 3.0


def _on(point: Point, a: Point, b: Point) -> bool:
    return min(a[0], b[0]) <= point[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= point[1] <= max(a[1], b[1])


def foreign_above(placed: Layout) -> list[tuple[tuple[str, ...], str]]:
    """Sibships whose line leaves its parents' couple line where something else of the parents' row
    stands above it (another person's symbol or label, another couple's line), so that a reader
    following a child's line up meets that first; and sibships whose line does not leave from the
    horizontal part of their own couple line."""
    found: list[tuple[tuple[str, ...], str]] = []
    lines = {tuple(sorted((c.couple.first, c.couple.second))): c for c in placed.couples}
    for s in placed.sibships:
        x, y = s.points[0]
        row = placed.box(s.parents[0]).y
        if len(s.parents) == 2:
            own = lines[s.parents]
            if not any(a[1] == b[1] == y and _on((x, y), a, b) for a, b in itertools.pairwise(own.points)):
                found.append((s.parents, "not on its couple line"))
        for box in placed.boxes:
            if box.y == row and box.person_id not in s.parents and abs(box.x - x) < LABEL_WIDTH / 2:
                found.append((s.parents, f"under {box.person_id}"))
        for c in placed.couples:
            if tuple(sorted((c.couple.first, c.couple.second))) == s.parents or placed.box(c.couple.first).y != row:
                continue
            for a, b in itertools.pairwise(c.points):
                if a[1] == b[1] < y and min(a[0], b[0]) < x < max(a[0], b[0]):
                    found.append((s.parents, f"under the line of {c.couple.first} and {c.couple.second}"))
    return found


def shared_verticals(placed: Layout) -> list[tuple[tuple[str, ...], tuple[str, ...], float, tuple[str, ...]]]:
    """Pairs of vertical lines of different parents (sibship lines, drops to children, couple lines'
    legs) that run along the same vertical, one over the other; with the children of drops among them."""
    verticals: list[tuple[tuple[str, ...], float, float, float, tuple[str, ...]]] = []
    for s in placed.sibships:
        verticals.append((s.parents, s.points[0][0], s.points[0][1], s.points[1][1], ()))
    for d in placed.drops:
        verticals.append((d.parents, d.points[0][0], d.points[0][1], d.points[1][1], (d.child,)))
    for c in placed.couples:
        ends = tuple(sorted((c.couple.first, c.couple.second)))
        verticals += [(ends, a[0], a[1], b[1], ()) for a, b in itertools.pairwise(c.points) if a[0] == b[0]]
    found = []
    for (p, x1, a1, b1, c1), (q, x2, a2, b2, c2) in itertools.combinations(verticals, 2):
        overlap = min(max(a1, b1), max(a2, b2)) - max(min(a1, b1), min(a2, b2))
        if p != q and abs(x1 - x2) < APART and overlap > 0:
            found.append((p, q, x1, c1 + c2))
    return found


def marks_near_lines(placed: Layout, clear: float) -> list[tuple[str, str, str]]:
    """Couple lines whose separation or divorce mark is off their own horizontal line, or nearer than
    ``clear`` to a vertical line that crosses or meets it there (a child's line, a couple line's leg)."""
    verticals = [
        (a[0], min(a[1], b[1]), max(a[1], b[1]))
        for points, _ in placed.paths()
        for a, b in itertools.pairwise(points)
        if a[0] == b[0]
    ]
    found = []
    for c in placed.couples:
        assert c.mark is not None
        x, y = c.mark
        if not any(a[1] == b[1] == y and _on(c.mark, a, b) for a, b in itertools.pairwise(c.points)):
            found.append((c.couple.first, c.couple.second, "off its line"))
        for vx, top, bottom in verticals:
            if top <= y <= bottom and abs(vx - x) < clear:
                found.append((c.couple.first, c.couple.second, f"{abs(vx - x):.1f} from a line at x={vx:.1f}"))
    return found


def household_faults(placed: Layout, households: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Households whose region is not one connected region holding each member's symbol and label, or
    holds someone else's symbol."""
    found = []
    for household, members in households.items():
        parts = [b for b in placed.boundaries if b.household_id == household]
        if not members:
            continue
        reached, stack = {0}, [0]
        while stack:
            i = parts[stack.pop()]
            for j, other in enumerate(parts):
                touching = (
                    i.left <= other.right and other.left <= i.right and i.top <= other.bottom and other.top <= i.bottom
                )
                if j not in reached and touching:
                    reached.add(j)
                    stack.append(j)
        if len(reached) != len(parts):
            found.append((household, "in pieces"))
        for box in placed.boxes:
            held = [
                b
                for b in parts
                if b.left <= box.left and box.right <= b.right and b.top <= box.top and box.bottom + LABEL <= b.bottom
            ]
            inside = [
                b
                for b in parts
                if b.left < box.right and box.left < b.right and b.top < box.bottom and box.top < b.bottom
            ]
            if box.person_id in members and not held:
                found.append((household, f"{box.person_id} outside"))
            if box.person_id not in members and inside:
                found.append((household, f"{box.person_id} inside"))
    return found
