"""The record, other agencies' views, and the unborn/infant rule."""

from __future__ import annotations

from families import HEA, POL, D, builder, expecting, live, parent
from familynet.analyses import members, other_agency_households, recorded_households


def test_a_person_recorded_by_police_only_has_no_recorded_household() -> None:
    b = builder()
    b.person("F", sex="male", date_of_birth="1980")
    live(b, "H1", "F", by=POL)
    assert recorded_households(b.graph, "F", D(2024, 1, 1)) == frozenset()
    assert other_agency_households(b.graph, "F", D(2024, 1, 1)) == {"H1": (POL,)}
    [membership] = members(b.graph, "H1", D(2024, 1, 1))
    assert (membership.person_id, membership.agency_kind, membership.recorded) == ("F", "police", False)


def test_recorded_households_are_every_active_social_care_membership() -> None:
    b = builder()
    b.person("C", date_of_birth="2015-01-01")
    live(b, "H1", "C")
    live(b, "H2", "C")
    b.membership("C", "H3", recorded_by="SC", end_date="2023-12-31")
    assert recorded_households(b.graph, "C", D(2024, 1, 1)) == {"H1", "H2"}


def test_an_infant_without_a_household_of_their_own_is_in_their_mothers() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1995")
    b.person("F", sex="male", date_of_birth="1995")
    b.person("B", date_of_birth="2023-06-01")
    parent(b, "M", "B")
    parent(b, "F", "B")
    live(b, "H1", "M")
    live(b, "H2", "F")
    assert recorded_households(b.graph, "B", D(2024, 5, 31)) == {"H1"}
    # One year old: no longer an infant, so no household without one of their own.
    assert recorded_households(b.graph, "B", D(2024, 6, 1)) == frozenset()


def test_an_unborn_child_is_in_their_mothers_recorded_households() -> None:
    b = expecting()
    live(b, "H9", "M", by=HEA)
    assert recorded_households(b.graph, "U", D(2024, 6, 1)) == {"H1"}


def test_an_infant_with_a_recorded_household_of_their_own_keeps_it() -> None:
    b = builder()
    b.person("M", sex="female", date_of_birth="1995")
    b.person("B", date_of_birth="2024-01-01")
    parent(b, "M", "B")
    live(b, "H1", "M")
    live(b, "H2", "B")
    assert recorded_households(b.graph, "B", D(2024, 3, 1)) == {"H2"}


def test_an_infant_is_not_placed_through_a_foster_mother() -> None:
    b = builder()
    b.person("FC", sex="female", date_of_birth="1970")
    b.person("B", date_of_birth="2024-01-01")
    parent(b, "FC", "B", subtype="foster")
    live(b, "H1", "FC")
    assert recorded_households(b.graph, "B", D(2024, 3, 1)) == frozenset()
