"""Family components, adults linked to several households, shortest family paths."""

from __future__ import annotations

import pytest

from families import POL, SC, D, blended, builder, live
from familynet.analyses import PathStep, family_components, family_path, linked_adults
from familynet.errors import NotFoundError

DAY = D(2024, 1, 1)


def test_components_ignore_agencies_and_referrals() -> None:
    b = blended()
    b.person("X", date_of_birth="2015-01-01")
    # A referral about X mentioning M joins nothing: only family facts make a family.
    b.referral("R1", "X", received_on="2024-01-01", referrer_agency_id=SC)
    b.mention("R1", "M", role="other")
    [family, other] = family_components(b.graph)
    assert other == ("Person:X",)
    assert "Person:SC1" in family and "Household:H2" in family
    assert not any(key.startswith(("Agency:", "Referral:")) for key in family)


def test_linked_adults_are_ranked_by_households_then_children() -> None:
    b = blended()
    b.person("U", sex="male", date_of_birth="1970")
    live(b, "H1", "U", by=POL)
    live(b, "H2", "U", by=POL)
    live(b, "H3", "U", by=POL)
    found = linked_adults(b.graph, DAY)
    assert [(a.person_id, a.households, len(a.children)) for a in found] == [
        ("U", ("H1", "H2", "H3"), 4),
        ("M", ("H1", "H3"), 3),  # mother of C1 and C2 (H1), partner of SC1's father (H3)
        ("S", ("H1", "H3"), 3),  # M's partner, father of SC1
        ("F2", ("H1", "H2"), 2),  # father of C2 (H1) and C3 (H2)
    ]
    assert found[0].children == ("C1", "C2", "C3", "SC1")
    assert all(len(a.households) >= 2 for a in found)
    assert linked_adults(b.graph, DAY, min_households=4) == ()


def test_the_shortest_family_path_through_a_step_family() -> None:
    b = blended()
    path = family_path(b.graph, "C3", "SC1")
    assert path is not None
    assert [step.target for step in path] == ["Person:F2", "Person:C2", "Person:M", "Person:S", "Person:SC1"]
    assert path[0] == PathStep("Person:C3", "Person:F2", "PARENT_OF", "birth", False)


def test_a_path_on_a_day_uses_only_facts_active_that_day() -> None:
    b = builder()
    for ident in ("A", "B"):
        b.person(ident)
    b.relationship("A", "B", "partner_of", subtype="married", recorded_by=SC, end_date="2020-01-01")
    assert family_path(b.graph, "A", "B") is not None
    assert family_path(b.graph, "A", "B", on=DAY) is None
    with pytest.raises(NotFoundError):
        family_path(b.graph, "A", "Z")
