"""CIN census files in: checked against their year's schema, then children, referrals,
assessments and section 47 enquiries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cin_census_files import NFA, REFERRAL, child, write_census
from familynet.errors import BundleError
from familynet.imports.cin_census import stage_cin_census
from familynet.imports.loading import Agent, ImportReport, load_staged
from familynet.model.records import Plan
from familynet.stores.protocol import Store

TODAY = dt.date(2025, 6, 1)
AGENT = Agent("881", "881-CSC")


def _import(store: Store, path: Path) -> ImportReport:
    return load_staged(store, stage_cin_census(path, AGENT), "cin:test", AGENT, today=TODAY)


def test_a_census_maps_to_children_referrals_assessments_and_enquiries(store: Store, tmp_path: Path) -> None:
    path = write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", REFERRAL + NFA.format(source="2A"))])
    report = _import(store, path)
    person = store.person("881-C1")
    assert person is not None and (person.sex, str(person.date_of_birth)) == ("female", "2016-03-02")
    referrals = store.referrals(["881-REF-C1-20230601", "881-REF-C1-20240115"])
    assert {r.referral_id: (r.referrer_agency_id, r.outcome) for r in referrals.values()} == {
        "881-REF-C1-20230601": ("881-SRC-6", "section_47"),
        "881-REF-C1-20240115": ("881-SRC-2A", "nfa"),
    }
    graph = store.family_network("881-C1")
    assessments = {
        key: (data["kind"], data.get("factors"))
        for key, data in graph.nodes(data=True)
        if key.startswith("Assessment:")
    }
    assert assessments == {
        "Assessment:881-ASM-C1-20230602": ("child_and_family", ("3B", "2B")),
        "Assessment:881-S47-C1-20230605": ("section_47", ()),
    }
    counts = {name: (c.read, c.loaded, c.rejected) for name, c in report.lists.items()}
    assert counts["CINdetails"] == (2, 2, 0)
    assert counts["Section47"] == (1, 1, 0)


def test_sex_is_read_from_sex_from_2024_to_2025(store: Store, tmp_path: Path) -> None:
    path = write_census(
        tmp_path / "cin.xml", [child("C1", "2016-03-02", NFA.format(source="6"), sex="<Sex>M</Sex>")], year="2025"
    )
    _import(store, path)
    person = store.person("881-C1")
    assert person is not None and person.sex == "male"
    old = write_census(
        tmp_path / "old.xml", [child("C1", "2016-03-02", NFA.format(source="6"), sex="<Sex>M</Sex>")], year="2024"
    )
    with pytest.raises(BundleError) as raised:
        stage_cin_census(old, AGENT)
    assert any("GenderCurrent" in p.reason for p in raised.value.problems)


def test_a_file_failing_its_schema_is_refused_by_line_and_element_without_values(tmp_path: Path) -> None:
    bad = REFERRAL.replace("<ReferralNFA>false</ReferralNFA>", "").replace("2023-06-05", "2023-02-30")
    path = write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", bad)])
    with pytest.raises(BundleError, match="fails the CIN census schema of 2024") as raised:
        stage_cin_census(path, AGENT)
    problems = [(p.line, p.column, p.reason) for p in raised.value.problems]
    assert (
        25,
        "/Message/Children/Child/CINdetails/Section47/S47ActualStartDate",
        "value not allowed by the schema here (its type, pattern or code list)",
    ) in problems
    assert any("ReferralNFA" in reason for _, _, reason in problems)
    assert "2023-02-30" not in str(raised.value.problems)


def test_unknown_years_other_authorities_and_broken_xml_are_refused(tmp_path: Path) -> None:
    with pytest.raises(
        BundleError,
        match=r"collection year .* is 2019; familynet has the CIN census schemas of the years \['2024', '2025'\]",
    ):
        stage_cin_census(write_census(tmp_path / "a.xml", [], year="2019"), AGENT)
    with pytest.raises(BundleError, match="local authority 882, not of --la-code 881"):
        stage_cin_census(
            write_census(tmp_path / "b.xml", [child("C1", "2016-03-02", NFA.format(source="6"))], lea="882"), AGENT
        )
    (tmp_path / "c.xml").write_text("<Message><Header>")
    with pytest.raises(BundleError, match="not well-formed XML"):
        stage_cin_census(tmp_path / "c.xml", AGENT)


def test_unknown_codes_and_future_dates_are_named_by_element_and_line(store: Store, tmp_path: Path) -> None:
    future = REFERRAL.replace("3B", "99Z").replace("2023-06-01", "2030-06-01")
    path = write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", future + NFA.format(source="77"))])
    with pytest.raises(BundleError) as raised:
        _import(store, path)
    found = sorted((p.file, p.line, p.column, p.reason) for p in raised.value.problems)
    assert found == [
        ("Assessments", 19, "FactorsIdentifiedAtAssessment/AssessmentFactors", "unknown CIN factor code at position 1"),
        ("CINdetails", 15, "CINreferralDate", "in the future"),
        ("CINdetails", 29, "ReferralSource", "not a known code"),
        # The enquiry follows the referral refused above.
        ("Section47", 24, "../CINreferralDate", "refers to a referral that is in neither the bundle nor the store"),
    ]
    assert store.person("881-C1") is None


def test_importing_the_same_census_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", REFERRAL)])
    _import(store, path)
    again = _import(store, path)
    assert again.bundle is not None
    assert sum(f.written.inserted + f.written.updated for f in again.bundle.files.values()) == 0


def test_child_protection_and_child_in_need_plans(store: Store, tmp_path: Path) -> None:
    from cin_census_files import PLANS

    report = _import(store, write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", PLANS)]))
    plans = {
        (p.plan_id, p.kind, p.start_date, p.end_date)
        for batch in store.facts("plans")
        for p in batch
        if isinstance(p, Plan)
    }
    assert plans == {
        ("881-CINP-C1-20231001", "child_in_need", dt.date(2023, 10, 1), dt.date(2023, 12, 1)),
        ("881-CPP-C1-20231202", "child_protection", dt.date(2023, 12, 2), None),
    }
    assert report.lists["ChildProtectionPlans"].loaded == 1
