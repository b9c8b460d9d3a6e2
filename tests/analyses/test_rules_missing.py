"""Audit 3: household members missing from records, each kind positive and negative."""

from __future__ import annotations

import datetime as dt

from families import HEA, POL, SC, D, batches, blended, builder, expecting, live, parent
from familynet.analyses import Evidence, Finding, audit_named, child_findings, findings_on, missing_members
from familynet.model.network import FamilyGraphBuilder

MISSING = audit_named("missing-members").defaults()

DAY = D(2024, 1, 1)
START, END = D(2024, 1, 1), D(2024, 12, 31)


def _kinds(b: FamilyGraphBuilder, child: str, day: dt.date = DAY) -> dict[str, list[str | None]]:
    found: dict[str, list[str | None]] = {}
    for f in findings_on(b.graph, child, day, **MISSING):
        found.setdefault(f.kind, []).append(f.person_id)
    return found


def _mother_and_child() -> FamilyGraphBuilder:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    b.person("C", sex="female", date_of_birth="2016-03-01")
    parent(b, "M", "C")
    live(b, "H1", "M", "C")
    return b


def test_father_not_recorded_for_a_mother_alone_or_with_a_step_father() -> None:
    b = _mother_and_child()
    assert findings_on(b.graph, "C", DAY, **MISSING) == (
        Finding("father_not_recorded", "C", None, (Evidence(parent_id="M"),)),
    )
    b.person("SF", sex="male", date_of_birth="1985")
    parent(b, "SF", "C", subtype="step")
    parent(b, "SF", "C", subtype="foster", start_date="2020-01-01")
    assert "father_not_recorded" in _kinds(b, "C")


def test_father_recorded_or_two_mothers_close_the_gap() -> None:
    b = _mother_and_child()
    b.person("F", sex="male", date_of_birth="1985")
    parent(b, "F", "C")
    assert "father_not_recorded" not in _kinds(b, "C")
    two = _mother_and_child()
    two.person("M2", sex="female", date_of_birth="1988")
    parent(two, "M2", "C", subtype="adoptive")
    assert "father_not_recorded" not in _kinds(two, "C")


def test_a_deceased_father_is_still_recorded() -> None:
    b = _mother_and_child()
    b.person("F", sex="male", date_of_birth="1985", date_of_death="2020-01-01")
    parent(b, "F", "C")
    assert "father_not_recorded" not in _kinds(b, "C")


def test_mentioned_person_not_in_household_gathers_every_mentioning_referral() -> None:
    b = _mother_and_child()
    b.person("F", sex="male", date_of_birth="1985")
    parent(b, "F", "C")
    b.person("P", sex="male", date_of_birth="1980")
    live(b, "H9", "P", by=POL)
    for ident, day, agency in (("R1", "2024-02-01", POL), ("R2", "2024-03-01", HEA)):
        b.referral(ident, "C", received_on=day, referrer_agency_id=agency)
        b.mention(ident, "P", role="alleged_perpetrator")
        b.mention(ident, "M", role="carer")
    b.mention("R2", "F", role="household_member")  # a parent is not exempt
    found = child_findings(b.graph, "C", START, END, **MISSING)
    mentioned = [f for f in found if f.kind == "mentioned_person_not_in_household"]
    assert mentioned == [
        Finding("mentioned_person_not_in_household", "C", "F", (Evidence(referral_id="R2", agency_id=HEA),)),
        Finding(
            "mentioned_person_not_in_household",
            "C",
            "P",
            (Evidence(referral_id="R1", agency_id=POL), Evidence(referral_id="R2", agency_id=HEA)),
        ),
    ]


def test_a_mention_outside_the_period_or_of_another_role_is_not_a_finding() -> None:
    b = _mother_and_child()
    b.person("P", sex="male", date_of_birth="1980")
    b.referral("R0", "C", received_on="2023-12-31", referrer_agency_id=POL)
    b.mention("R0", "P", role="carer")
    b.referral("R1", "C", received_on="2024-02-01", referrer_agency_id=POL)
    b.mention("R1", "P", role="relative")
    assert [f.kind for f in child_findings(b.graph, "C", START, END, **MISSING)] == ["father_not_recorded"]


def test_mentioned_parent_not_recorded_unless_a_parent_on_that_day() -> None:
    b = _mother_and_child()
    b.person("X", sex="male", date_of_birth="1980")
    b.referral("R1", "C", received_on="2024-02-01", referrer_agency_id=POL)
    b.mention("R1", "X", role="parent")
    b.mention("R1", "M", role="parent")
    found = [
        f for f in child_findings(b.graph, "C", START, END, **MISSING) if f.kind == "mentioned_parent_not_recorded"
    ]
    assert found == [Finding("mentioned_parent_not_recorded", "C", "X", (Evidence(referral_id="R1", agency_id=POL),))]
    parent(b, "X", "C", subtype="step")
    assert not [
        f for f in child_findings(b.graph, "C", START, END, **MISSING) if f.kind == "mentioned_parent_not_recorded"
    ]


def test_a_man_recorded_by_police_only_in_the_childs_household_is_flagged() -> None:
    b = _mother_and_child()
    b.person("P", sex="male", date_of_birth="1980")
    live(b, "H1", "P", by=POL)
    live(b, "H1", "M", by=HEA)  # M is in the record too: no finding for her
    assert findings_on(b.graph, "C", DAY, **MISSING)[1:] == (
        Finding("member_only_in_other_agency_record", "C", "P", (Evidence(agency_id=POL, household_id="H1"),)),
    )
    live(b, "H1", "P")
    assert "member_only_in_other_agency_record" not in _kinds(b, "C")


def test_sibling_not_recorded_for_a_half_sibling_living_elsewhere() -> None:
    b = blended()
    assert findings_on(b.graph, "C2", DAY, **MISSING)[0] == Finding(
        "sibling_not_recorded", "C2", "C3", (Evidence(parent_id="F2"),)
    )
    # A step-sibling living elsewhere is not this finding; co-resident half-siblings neither.
    assert "sibling_not_recorded" not in _kinds(b, "C1")
    b.relationship("C2", "C3", "sibling_of", subtype="half", recorded_by=SC)
    assert "sibling_not_recorded" not in _kinds(b, "C2")


def test_child_in_another_household_by_another_agencys_record() -> None:
    b = _mother_and_child()
    live(b, "H2", "C", by=HEA)
    live(b, "H2", "C", by=POL)
    live(b, "H1", "C", by=POL)  # H1 is in the record: no finding
    assert [f for f in findings_on(b.graph, "C", DAY, **MISSING) if f.kind == "child_in_other_household_record"] == [
        Finding(
            "child_in_other_household_record",
            "C",
            None,
            (Evidence(agency_id=HEA, household_id="H2"), Evidence(agency_id=POL, household_id="H2")),
        )
    ]
    live(b, "H2", "C")
    assert "child_in_other_household_record" not in _kinds(b, "C")


def test_the_audit_judges_on_the_date_of_the_latest_contact_in_the_period() -> None:
    b = _mother_and_child()
    b.person("F", sex="male", date_of_birth="1985")
    parent(b, "F", "C", start_date="2024-06-01")
    b.referral("R1", "C", kind="contact", received_on="2024-03-01", referrer_agency_id=POL)
    assert [f.kind for f in child_findings(b.graph, "C", START, END, **MISSING)] == ["father_not_recorded"]
    b.referral("R2", "C", kind="contact", received_on="2024-06-01", referrer_agency_id=POL)
    assert child_findings(b.graph, "C", START, END, **MISSING) == ()


def test_an_unborn_child_is_in_the_cohort_and_in_their_mothers_household() -> None:
    b = expecting()
    b.person("P", sex="male", date_of_birth="1990")
    live(b, "H1", "P", by=POL)
    b.referral("R1", "U", received_on="2024-05-01", referrer_agency_id=HEA)
    b.mention("R1", "M", role="household_member")
    result = missing_members(batches([b.graph], [["U"]], None), START, END)
    assert [(f.kind, f.person_id) for f in result.findings] == [
        ("father_not_recorded", None),
        ("member_only_in_other_agency_record", "P"),
    ]
    assert result.summary["children"] == 1
    assert result.summary["children_with_findings"] == 1
    assert result.summary["by_kind"]["member_only_in_other_agency_record"] == 1
    assert result.summary["by_kind"]["sibling_not_recorded"] == 0


def test_a_subject_who_turned_18_before_every_contact_is_not_in_the_cohort() -> None:
    b = _mother_and_child()
    b.person("C", sex="female", date_of_birth="2006-01-01")
    b.referral("R1", "C", received_on="2024-02-01", referrer_agency_id=POL)
    result = missing_members(batches([b.graph], [["C"]], None), START, END)
    assert result.findings == ()
    assert result.summary["children"] == 0
