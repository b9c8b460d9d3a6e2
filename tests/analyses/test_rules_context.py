"""The household context of a child, and its JSON form."""

from __future__ import annotations

import json

import pytest

from families import HEA, POL, SC, D, blended, live, parent
from familynet.analyses import (
    AgencyView,
    HouseholdContext,
    ParentView,
    SignificantAdult,
    household_context,
    serialise,
)
from familynet.model.network import FamilyGraphBuilder

DAY = D(2024, 6, 1)


def _family() -> FamilyGraphBuilder:
    """The blended family, with a lodger L in H1 by police only, and referrals and assessments."""
    b = blended()
    b.person("L", sex="male", date_of_birth="1975")
    live(b, "H1", "L", by=POL, role="lodger")
    b.relationship("F1", "C1", "parent_of", subtype="birth", recorded_by=SC, parental_responsibility=True)
    parent(b, "M", "C1", parental_responsibility=True)
    b.referral("R1", "C1", received_on="2024-02-01", referrer_agency_id=POL, concerns="3A;21", outcome="assessment")
    b.mention("R1", "L", role="alleged_perpetrator")
    b.mention("R1", "M", role="parent")
    b.assessment("A1", "C1", referral_id="R1", started_on="2024-02-05", factors="3A;4B")
    b.referral("R2", "C3", received_on="2024-03-01", referrer_agency_id=HEA, concerns="18C")
    b.mention("R2", "M3", role="parent")
    b.referral("R3", "C1", received_on="2024-07-01", referrer_agency_id=HEA)  # after the day
    return b


@pytest.fixture
def context() -> HouseholdContext:
    return household_context(_family().graph, "C1", DAY)


def test_households_show_the_record_and_every_other_agencys_view(context: HouseholdContext) -> None:
    [home] = context.households
    assert (home.household_id, home.recorded) == ("H1", True)
    assert [(m.person_id, m.agency_id, m.recorded) for m in home.members] == [
        ("C1", SC, True),
        ("C2", SC, True),
        ("L", POL, False),
        ("M", SC, True),
    ]


def test_parents_show_responsibility_and_whether_they_live_there(context: HouseholdContext) -> None:
    assert context.parents == (
        ParentView("F1", ("birth",), True, False),
        ParentView("M", ("birth",), True, True),
    )


def test_siblings_and_significant_adults(context: HouseholdContext) -> None:
    assert [(s.person_id, s.relation) for s in context.siblings] == [("C2", "half"), ("SC1", "step")]
    assert context.significant_adults == (
        SignificantAdult("L", "household_member", "H1", POL, "lodger"),
        SignificantAdult("L", "mentioned", "R1", POL, "alleged_perpetrator"),
        SignificantAdult("S", "partner_of_parent", "M", SC, "cohabiting"),
    )


def test_agencies_timeline_and_flags(context: HouseholdContext) -> None:
    assert context.agencies == (AgencyView(POL, "police"), AgencyView(SC, "social_care"))
    assert [(e.on, e.event, e.record_id, e.person_id, e.categories) for e in context.timeline] == [
        (D(2024, 2, 1), "referral", "R1", "C1", (3,)),
        (D(2024, 2, 5), "assessment", "A1", "C1", (3, 4)),
    ]
    assert [(f.kind, f.person_id) for f in context.flags] == [
        ("mentioned_person_not_in_household", "L"),
        ("member_only_in_other_agency_record", "L"),
        # The lodger named as alleged perpetrator lives there (by the police's record).
        ("alleged_perpetrator_in_household", "L"),
    ]


def test_a_siblings_referral_is_on_the_timeline_and_its_adults_are_significant() -> None:
    context = household_context(_family().graph, "C2", DAY)
    assert ("R2", "C3") in [(e.record_id, e.person_id) for e in context.timeline]
    assert SignificantAdult("M3", "mentioned", "R2", HEA, "parent") in context.significant_adults
    # F2 is C2's own parent, so he is a parent, not a significant adult.
    assert "F2" not in {a.person_id for a in context.significant_adults}


def test_the_persons_marked_confidential_are_listed() -> None:
    b = _family()
    b.person("M", sex="female", date_of_birth="1988", confidential=True)
    b.person("L", sex="male", date_of_birth="1975", confidential=True)
    b.person("X", sex="male", date_of_birth="1970", confidential=True)  # unrelated: not named
    context = household_context(b.graph, "C1", DAY)
    assert context.confidential == ("L", "M")
    assert household_context(_family().graph, "C1", DAY).confidential == ()


def test_the_context_serialises_to_json_with_iso_dates_and_integer_categories(context: HouseholdContext) -> None:
    data = serialise(context)
    assert json.loads(json.dumps(data)) == data
    assert data["on"] == "2024-06-01"
    assert data["timeline"][1] == {
        "on": "2024-02-05",
        "event": "assessment",
        "record_id": "A1",
        "person_id": "C1",
        "kind": "child_and_family",
        "outcome": None,
        "categories": [3, 4],
        "agency_id": None,
    }
    assert data["siblings"][0] == {
        "person_id": "C2",
        "basis": "derived",
        "relation": "half",
        "co_resident": True,
        "shared_parents": ["M"],
    }
    assert list(data) == [
        "child_id",
        "on",
        "households",
        "parents",
        "siblings",
        "significant_adults",
        "agencies",
        "timeline",
        "flags",
        "confidential",
        "also_recorded_as",
        "previously",
    ]
