"""Siblings: basis, relation (first match wins) and co-residence."""

from __future__ import annotations

from families import SC, D, blended, builder, live, parent
from familynet.analyses import Sibling, siblings

DAY = D(2024, 1, 1)


def _relations(found: tuple[Sibling, ...]) -> dict[str, tuple[str, str, bool]]:
    return {s.person_id: (s.basis, s.relation, s.co_resident) for s in found}


def test_siblings_in_a_blended_family() -> None:
    b = blended()
    assert _relations(siblings(b.graph, "C1", DAY)) == {
        "C2": ("derived", "half", True),  # same mother, both fathers recorded
        "SC1": ("derived", "step", False),  # mother cohabits with SC1's father
    }


def test_half_siblings_in_different_households_are_not_co_resident() -> None:
    found = {s.person_id: s for s in siblings(blended().graph, "C2", DAY)}
    assert found["C3"] == Sibling("C3", "derived", "half", False, ("F2",))
    assert found["C1"].co_resident


def test_full_siblings_share_two_birth_or_adoptive_parents() -> None:
    b = builder()
    for ident in ("M", "F", "A", "B"):
        b.person(ident, date_of_birth="2015-01-01" if ident in "AB" else "1980")
    for child in ("A", "B"):
        parent(b, "M", child)
    parent(b, "F", "A")
    parent(b, "F", "B", subtype="adoptive")
    assert siblings(b.graph, "A", DAY) == (Sibling("B", "derived", "full", False, ("F", "M")),)


def test_one_shared_parent_with_the_other_unknown_is_relation_unknown() -> None:
    b = builder()
    b.person("M", date_of_birth="1980")
    b.person("F", date_of_birth="1980")
    b.person("A", date_of_birth="2015-01-01")
    b.person("B", date_of_birth="2016-01-01")
    parent(b, "M", "A")
    parent(b, "F", "A")
    parent(b, "M", "B")
    assert _relations(siblings(b.graph, "A", DAY)) == {"B": ("derived", "unknown", False)}


def test_a_recorded_sibling_of_wins_over_shared_parents() -> None:
    b = blended()
    b.relationship("C2", "C1", "sibling_of", subtype="full", recorded_by=SC)
    assert _relations(siblings(b.graph, "C1", DAY))["C2"] == ("recorded", "full", True)


def test_step_siblings_need_an_active_married_civil_or_cohabiting_partnership() -> None:
    ended = blended()
    # The same fact again (same recording agency and start) replaces the first: now ended.
    ended.relationship("M", "S", "partner_of", subtype="cohabiting", recorded_by=SC, end_date="2023-06-30")
    assert "SC1" not in _relations(siblings(ended.graph, "C1", DAY))
    dating = blended()
    dating.relationship("M", "S", "partner_of", subtype="dating", recorded_by=SC)
    assert "SC1" not in _relations(siblings(dating.graph, "C1", DAY))
    married = blended()
    married.relationship("S", "M", "partner_of", subtype="married", recorded_by=SC, start_date="2020-01-01")
    married.relationship("M", "S", "partner_of", subtype="dating", recorded_by=SC)
    assert _relations(siblings(married.graph, "SC1", DAY)) == {
        "C1": ("derived", "step", False),
        "C2": ("derived", "step", False),
    }


def test_a_step_parent_makes_step_siblings() -> None:
    b = builder()
    for ident, born in (("P", "1980"), ("A", "2015-01-01"), ("B", "2016-01-01")):
        b.person(ident, date_of_birth=born)
    parent(b, "P", "A")
    parent(b, "P", "B", subtype="step")
    assert _relations(siblings(b.graph, "A", DAY)) == {"B": ("derived", "step", False)}
    assert _relations(siblings(b.graph, "B", DAY)) == {"A": ("derived", "step", False)}


def test_another_child_in_the_recorded_household_is_a_household_sibling() -> None:
    b = builder()
    b.person("A", date_of_birth="2015-01-01")
    b.person("K", date_of_birth="2013-01-01")
    b.person("Adult", date_of_birth="1990")
    live(b, "H1", "A", "K", "Adult")
    assert _relations(siblings(b.graph, "A", DAY)) == {"K": ("derived", "household", True)}


def test_a_sibling_turning_18_is_no_longer_a_sibling() -> None:
    b = blended()
    b.person("C3", sex="male", date_of_birth="2006-01-01")
    assert "C3" in _relations(siblings(b.graph, "C2", D(2023, 12, 31)))
    assert "C3" not in _relations(siblings(b.graph, "C2", D(2024, 1, 1)))


def test_a_deceased_parent_still_makes_full_siblings_and_a_deceased_child_is_no_sibling() -> None:
    b = builder()
    for ident in ("M", "F"):
        b.person(ident, date_of_birth="1980")
    b.person("F", date_of_birth="1980", date_of_death="2020-01-01")
    for ident in ("A", "B", "X"):
        b.person(ident, date_of_birth="2015-01-01")
        parent(b, "M", ident)
        parent(b, "F", ident)
    b.person("X", date_of_birth="2015-01-01", date_of_death="2023-01-01")
    assert _relations(siblings(b.graph, "A", DAY)) == {"B": ("derived", "full", False)}


def test_an_unborn_sibling_is_not_yet_a_sibling_and_an_infant_lives_with_their_mother() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("A", date_of_birth="2015-01-01")
    b.person("B", date_of_birth="2024-03-01")
    parent(b, "M", "A")
    parent(b, "M", "B")
    live(b, "H1", "M", "A")
    assert siblings(b.graph, "A", D(2024, 2, 1)) == ()
    assert _relations(siblings(b.graph, "A", D(2024, 3, 1))) == {"B": ("derived", "unknown", True)}
