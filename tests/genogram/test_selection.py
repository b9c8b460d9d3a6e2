"""Who a genogram draws, and how, read from the graph by the rules."""

from __future__ import annotations

from pedigrees import DAY, three_partners

from families import SC, builder, live, parent
from familynet.genogram import CoupleKind, CoupleStatus, genogram


def test_everyone_the_issue_asks_for_and_no_one_else() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    by_id = {p.person_id: p for p in g.people}
    assert set(by_id) == {"GM", "GF", "GM2", "M", "F1", "F2", "F3", "W", "X", "U", "A", "B", "C", "D", "E", "H"}
    assert "G" not in by_id  # F1's child by W is no relation of C
    assert {p: by_id[p].generation for p in ("GM", "M", "W", "U", "C", "H")} == {
        "GM": -2, "M": -1, "W": -1, "U": -1, "C": 0, "H": 0,
    }  # fmt: skip
    assert by_id["C"].index and not by_id["D"].index
    assert by_id["GM"].deceased and by_id["GM"].died == "2020-01-01" and by_id["GM"].age == 69
    assert by_id["E"].unborn and by_id["E"].expected == "2024-10-01" and by_id["E"].age is None
    assert by_id["D"].relation == "sibling:half" and by_id["H"].relation == "sibling:step"
    assert {p.person_id for p in g.people if p.in_household} == {"M", "C", "D", "E", "F3"}
    (home,) = g.households
    assert home.members == ("C", "D", "E", "F3", "M")


def test_couples_current_and_former() -> None:
    g = genogram(three_partners().graph, "C", DAY)
    couples = {(c.first, c.second): (c.kind, c.status) for c in g.couples}
    assert couples[("F1", "M")] == (CoupleKind.MARRIED, CoupleStatus.DIVORCED)
    assert couples[("F2", "M")] == (CoupleKind.UNKNOWN, CoupleStatus.SEPARATED)
    assert couples[("F3", "M")] == (CoupleKind.COHABITING, CoupleStatus.CURRENT)
    assert couples[("F3", "X")] == (CoupleKind.DATING, CoupleStatus.ENDED)
    assert couples[("GF", "GM")] == (CoupleKind.MARRIED, CoupleStatus.WIDOWED)  # GM died in 2020
    (ended,) = [c for c in g.couples if (c.first, c.second) == ("F3", "X")]
    assert (ended.start, ended.end) == ("2009-01-01", "2011-01-01")


def test_parents_with_no_relationship_on_record_are_joined_as_unrecorded() -> None:
    b = builder()
    for ident, sex in (("M", "female"), ("F", "male")):
        b.person(ident, sex=sex, date_of_birth="1990")
        parent(b, ident, "C")
    b.person("C", date_of_birth="2015-01-01")
    (couple,) = genogram(b.graph, "C", DAY).couples
    assert (couple.first, couple.second, couple.kind) == ("F", "M", CoupleKind.UNRECORDED)


def test_a_childs_own_baby_is_drawn_below_them_not_as_a_sibling() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1980")
    b.person("C", sex="female", date_of_birth="2008-01-01")
    b.person("BF", sex="male", date_of_birth="2006")
    b.person("B", sex="male", date_of_birth="2024-01-01")
    parent(b, "M", "C")
    parent(b, "C", "B")
    parent(b, "BF", "B")
    live(b, "H1", "M", "C", "B")
    by_id = {p.person_id: p for p in genogram(b.graph, "C", DAY).people}
    assert (by_id["B"].generation, by_id["B"].relation) == (1, "child")
    assert (by_id["BF"].generation, by_id["BF"].relation) == (0, "parent_of_child")


def test_generations_up_and_down_are_parameters() -> None:
    b = builder()
    chain = ["GG", "G", "P", "C", "K", "KK"]
    for i, ident in enumerate(chain):
        b.person(ident, sex="female", date_of_birth=f"{1920 + 18 * i}-01-01")
        if i:
            parent(b, chain[i - 1], ident)
    drawn = {p.person_id for p in genogram(b.graph, "C", DAY).people}
    assert drawn == {"G", "P", "C", "K"}
    drawn = {p.person_id for p in genogram(b.graph, "C", DAY, generations_up=3, generations_down=2).people}
    assert drawn == set(chain)
    drawn = {p.person_id for p in genogram(b.graph, "C", DAY, generations_up=0, generations_down=0).people}
    assert drawn == {"C"}


def test_a_partner_not_yet_met_on_the_day_is_left_out() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", date_of_birth="2015-01-01")
    b.person("N", sex="male", date_of_birth="1990")
    parent(b, "M", "C")
    b.relationship("N", "M", "partner_of", subtype="cohabiting", start_date="2025-01-01", recorded_by=SC)
    assert "N" not in {p.person_id for p in genogram(b.graph, "C", DAY).people}
