"""The layout, tested geometrically: symbols apart, lines clear of symbols, birth order."""

from __future__ import annotations

import itertools

import pytest
from geometry import foreign_above, household_faults, marks_near_lines, shared_verticals
from pedigrees import DAY, crosses, father_of_three, forty, three_partners, triangle

from families import SC, parent
from familynet.genogram import genogram
from familynet.genogram.coordinates import SYMBOL, Layout
from familynet.genogram.couplelines import MARK_CLEAR
from familynet.genogram.layout import layout
from familynet.genogram.placement import SLOT
from familynet.model.network import FamilyGraphBuilder

FAMILIES = {"three_partners": (three_partners, "C"), "father_of_three": (father_of_three, "K3")}


def _placed(name: str) -> tuple[Layout, dict[str, int]]:
    make, index = FAMILIES[name]
    g = genogram(make().graph, index, DAY)
    return layout(g), {p.person_id: p.birth_rank for p in g.people}


@pytest.mark.parametrize("name", FAMILIES)
def test_no_two_symbols_overlap(name: str) -> None:
    placed, _ = _placed(name)
    for a, b in itertools.combinations(placed.boxes, 2):
        assert a.right <= b.left or b.right <= a.left or a.bottom <= b.top or b.bottom <= a.top, (a, b)


@pytest.mark.parametrize("name", FAMILIES)
def test_no_line_runs_through_a_symbol(name: str) -> None:
    placed, _ = _placed(name)
    twins = {d.points for d in placed.drops if d.twin}
    segments = 0
    for points, _ends in placed.paths():
        for a, b in itertools.pairwise(points):
            # Lines are horizontal and vertical segments, but for twins' drops from one point.
            assert a[0] == b[0] or a[1] == b[1] or points in twins, (a, b)
            segments += 1
            for box in placed.boxes:
                assert not crosses(a, b, box), (a, b, box)
    assert segments > 20


@pytest.mark.parametrize("name", FAMILIES)
def test_no_child_line_crosses_the_sibship_line_of_other_parents(name: str) -> None:
    """Where two sibship lines overlap, the one whose lines would cross fewer runs higher: in these
    families none crosses, so no child seems to hang from parents not theirs."""
    placed, _ = _placed(name)
    rails = [(s.parents, s.points[2], s.points[3]) for s in placed.sibships if len(s.points) == 4]
    verticals = [(d.parents, d.points[0], d.points[1]) for d in placed.drops]
    verticals += [(s.parents, s.points[0], s.points[1]) for s in placed.sibships]
    for parents, (x, top), (_, bottom) in verticals:
        for others, (lo, y), (hi, _) in rails:
            assert others == parents or not (lo < x < hi and top < y < bottom), (parents, others)


@pytest.mark.parametrize("name", FAMILIES)
def test_every_line_reaches_its_own_symbols(name: str) -> None:
    placed, _ = _placed(name)
    for d in placed.drops:
        child = placed.box(d.child)
        assert d.points[-1][1] == child.top and abs(d.points[-1][0] - child.x) < SYMBOL / 2
    for c in placed.couples:
        ends = [placed.box(c.couple.first), placed.box(c.couple.second)]
        for point in (c.points[0], c.points[-1]):
            assert any(b.left <= point[0] <= b.right and b.top <= point[1] <= b.bottom for b in ends)


@pytest.mark.parametrize("name", FAMILIES)
def test_children_of_a_couple_stand_in_birth_order_oldest_left(name: str) -> None:
    placed, rank = _placed(name)
    sibships: dict[tuple[str, ...], list[str]] = {}
    for d in placed.drops:
        if d.primary:
            sibships.setdefault(d.parents, []).append(d.child)
    assert any(len(children) > 1 for children in sibships.values())
    for children in sibships.values():
        by_x = sorted(children, key=lambda c: placed.box(c).x)
        assert by_x == sorted(children, key=lambda c: rank[c])


def test_a_mother_of_children_by_three_partners() -> None:
    placed, _ = _placed("three_partners")
    hanging = {d.child: d.parents for d in placed.drops}
    assert hanging["A"] == hanging["B"] == ("F1", "M")
    assert hanging["C"] == ("F2", "M")  # the half-siblings hang from their own parents' couple line
    assert hanging["D"] == hanging["E"] == ("F3", "M")
    assert hanging["H"] == ("F3", "X")
    row = [b.person_id for b in sorted(placed.boxes, key=lambda b: b.x) if b.y == placed.box("M").y]
    assert row.index("M") - row.index("F1") == 1  # the first partner beside her
    assert row.index("F2") - row.index("M") == 1
    assert abs(row.index("W") - row.index("F1")) == 1  # and each father's other partner beside him
    assert abs(row.index("X") - row.index("F3")) == 1
    grandparents = placed.box("GM").y
    assert grandparents < placed.box("M").y < placed.box("C").y


def test_a_father_of_children_by_three_mothers() -> None:
    placed, _ = _placed("father_of_three")
    hanging = {(d.child, d.parents): d.kind.value for d in placed.drops}
    assert hanging[("K5", ("F", "M3"))] == "adoptive"
    assert hanging[("K4", ("F", "M3"))] == "foster"
    assert hanging[("K6", ("F6", "M2"))] == "birth"
    row = [b.person_id for b in sorted(placed.boxes, key=lambda b: b.x) if b.y == placed.box("F").y]
    assert abs(row.index("F6") - row.index("M2")) == 1


def test_a_parent_with_many_partners_and_children_by_each_stays_clear() -> None:
    b = FamilyGraphBuilder()
    b.agency(SC, kind="social_care")
    b.person("P", sex="female", date_of_birth="1970")
    b.person("I", sex="male", date_of_birth="2000-01-01")
    for n in range(6):
        b.person(f"Q{n}", sex="male", date_of_birth="1970")
        b.relationship(f"Q{n}", "P", "partner_of", subtype="separated", start_date=f"199{n}-01-01", recorded_by=SC)
        for k in range(3):
            child = f"C{n}{k}"
            b.person(child, date_of_birth=f"{2000 + 2 * n}-0{k + 1}-01")
            parent(b, "P", child)
            parent(b, f"Q{n}", child)
    parent(b, "P", "I")
    placed = layout(genogram(b.graph, "I", DAY))
    for x, y in itertools.combinations(placed.boxes, 2):
        assert x.right <= y.left or y.right <= x.left or x.bottom <= y.top or y.bottom <= x.top
    for points, _ends in placed.paths():
        for a, c in itertools.pairwise(points):
            assert not any(crosses(a, c, box) for box in placed.boxes)


def test_two_sisters_with_the_same_partner_stand_oldest_left() -> None:
    b = FamilyGraphBuilder()
    b.agency(SC, kind="social_care")
    b.person("M", sex="female", date_of_birth="1960")
    b.person("Q", sex="male", date_of_birth="1979")
    for sister, born in (("OLD", "1980-01-01"), ("YOUNG", "1985-01-01")):
        b.person(sister, sex="female", date_of_birth=born)
        parent(b, "M", sister)
    # The older sister's relationship came first, which alone would put her on Q's right.
    b.relationship("Q", "OLD", "partner_of", subtype="separated", start_date="1999-01-01", recorded_by=SC)
    b.relationship("Q", "YOUNG", "partner_of", subtype="cohabiting", start_date="2005-01-01", recorded_by=SC)
    b.person("K", date_of_birth="2006-01-01")
    parent(b, "YOUNG", "K")
    parent(b, "Q", "K")
    placed = layout(genogram(b.graph, "K", DAY))
    assert placed.box("OLD").x < placed.box("Q").x < placed.box("YOUNG").x


LAYOUTS = {**FAMILIES, "forty": (forty, "C")}


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_child_hangs_from_its_own_couple_line(name: str) -> None:
    """Looking up a child's line, the first thing met is their parents' couple line: it leaves
    that line, and no other person, label or couple line of the parents' row is above it."""
    make, index = LAYOUTS[name]
    assert foreign_above(layout(genogram(make().graph, index, DAY))) == []


@pytest.mark.parametrize("name", [*LAYOUTS, "triangle"])
def test_no_two_descent_lines_share_a_vertical(name: str) -> None:
    make, index = {**LAYOUTS, "triangle": (triangle, "BC")}[name]
    assert shared_verticals(layout(genogram(make().graph, index, DAY))) == []


@pytest.mark.parametrize("name", LAYOUTS)
def test_separation_and_divorce_marks_sit_clear_of_crossing_lines(name: str) -> None:
    make, index = LAYOUTS[name]
    assert marks_near_lines(layout(genogram(make().graph, index, DAY)), MARK_CLEAR) == []


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_household_is_one_region_round_its_members_only(name: str) -> None:
    make, index = LAYOUTS[name]
    g = genogram(make().graph, index, DAY)
    placed = layout(g)
    assert g.households and all(h.members for h in g.households)
    assert household_faults(placed, {h.household_id: h.members for h in g.households}) == []


def test_twins_descend_from_one_point_redacted_or_not() -> None:
    """C's twins B1 and B2 (born the same day to C and BF) in the 40-person family."""
    for redact in (False, True):
        g = genogram(forty().graph, "C", DAY, redact=redact)
        assert g.person("B1").multiple_birth == g.person("B2").multiple_birth is not None
        assert g.person("C").multiple_birth is None
        drops = {d.child: d for d in layout(g).drops}
        assert drops["B1"].twin and drops["B2"].twin
        assert drops["B1"].points[0] == drops["B2"].points[0]
        assert drops["B1"].points[-1][0] < drops["B1"].points[0][0] < drops["B2"].points[-1][0]


def test_three_people_partnered_to_each_other_hang_their_children_from_their_own_lines() -> None:
    """A, B and C partnered to each other, a child of each couple: the side-by-side lines of the partner
    between (A) with each of the others cover the whole line of the couple standing apart (B and C), so
    their children's line leaves it under one of those lines, but under no one, well apart from every
    other line down, and every child's line starts on its own parents' couple line."""
    placed = layout(genogram(triangle().graph, "BC", DAY))
    lines = {tuple(sorted((c.couple.first, c.couple.second))): c for c in placed.couples}
    assert len(lines[("B", "C")].points) == 4  # standing apart, joined under the row
    found = foreign_above(placed)
    assert [f for f in found if not f[1].startswith("under the line")] == []
    assert {parents for parents, _ in found} <= {("B", "C")}
    trunks = sorted(s.points[0][0] for s in placed.sibships)
    assert all(b - a >= SLOT / 4 for a, b in itertools.pairwise(trunks)), trunks
    for s in placed.sibships:
        assert s.points[0] == lines[s.parents].anchor


@pytest.mark.parametrize("twin", ["identical", "non_identical", None])
def test_identical_twins_are_joined_by_a_bar_when_recorded(twin: str | None) -> None:
    """C's twins B1 and B2 in the 40-person family, with a sibling_of saying whether they are identical:
    a bar across their drops only when recorded identical, redacted or not."""
    b = forty()
    if twin is not None:
        b.relationship("B1", "B2", "sibling_of", subtype="full", recorded_by=SC, twin=twin)
    for redact in (False, True):
        g = genogram(b.graph, "C", DAY, redact=redact)
        placed = layout(g)
        if twin != "identical":
            assert g.person("B1").identical is None and placed.bars == ()
            continue
        assert g.person("B1").identical == g.person("B2").identical is not None
        (((x1, y1), (x2, y2)),) = placed.bars
        drops = {d.child: d.points for d in placed.drops}
        # Level, from one twin's drop to the other's, between the sibship line and the row.
        assert y1 == y2 and drops["B1"][0][1] < y1 < drops["B1"][1][1]
        for child, x in (("B1", x1), ("B2", x2)):
            (ax, ay), (bx, by) = drops[child]
            assert abs(ax + (y1 - ay) / (by - ay) * (bx - ax) - x) < 1e-6
