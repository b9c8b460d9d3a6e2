"""Annex A workbooks in: children, contacts, referrals, assessments and plans, checked and named
by sheet, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from annex_a_files import HEADERS, write_workbook
from familynet.errors import BundleError
from familynet.imports.annex_a import stage_annex_a
from familynet.imports.loading import Agent, ImportReport, load_staged
from familynet.model.records import Plan
from familynet.stores.protocol import Store

TODAY = dt.date(2025, 6, 1)
AGENT = Agent("881", "881-CSC")

ROWS: dict[str, list[dict[str, object]]] = {
    "List 1": [
        # A contact about two children: one row per child, no contact id.
        {
            "Child Unique ID": "C1",
            "Gender": "a) Male",
            "Date of Birth": "03/04/2015",
            "Date of Contact": "01/09/2024",
            "Contact Source": "q) 6: Police",
        },
        {
            "Child Unique ID": "C2",
            "Gender": "b) Female",
            "Date of Birth": 42005,
            "Date of Contact": "01/09/2024",
            "Contact Source": "q) 6: Police",
        },
    ],
    "List 2": [
        {
            "Child Unique ID": "C2",
            "Gender": "b) Female",
            "Assessment start date": "02/09/2024",
            "Assessment completion date": "30/09/2024",
        },
    ],
    "List 3": [
        {
            "Child Unique ID": "C1",
            "Gender": "a) Male",
            "Date of referral": dt.datetime(2024, 10, 1),
            "Referral Source": "e) 2A: Schools",
            "Referral NFA?": "b) No",
        },
        {
            "Child Unique ID": "C1",
            "Gender": "a) Male",
            "Date of referral": "05/02/2025",
            "Referral Source": "g) 3A: Health services",
            "Referral NFA?": "a) Yes",
        },
    ],
    "List 5": [{"Child Unique ID": "C1"}],
    "List 4": [
        {
            "Child Unique ID": "C1",
            "Continuous Assessment Start Date": "02/10/2024",
            "Continuous Assessment Date of Authorisation": "20/11/2024",
            "Was the child assessed as requiring LA children's social care support?": "a) Yes",
        },
    ],
}


def _import(store: Store, path: Path, **options: Any) -> ImportReport:
    staging = stage_annex_a(path, AGENT)
    return load_staged(store, staging, "annex-a:test", AGENT, today=TODAY, **options)


def test_a_workbook_maps_to_children_contacts_referrals_and_assessments(store: Store, tmp_path: Path) -> None:
    report = _import(store, write_workbook(tmp_path / "annex.xlsx", ROWS))
    child = store.person("881-C1")
    assert child is not None
    assert (child.sex, str(child.date_of_birth), child.recorded_by) == ("male", "2015-04-03", "881-CSC")
    sister = store.person("881-C2")
    assert sister is not None and str(sister.date_of_birth) == "2015-01-01"
    referrals = store.referrals(
        ["881-CON-C1-20240901", "881-CON-C2-20240901", "881-REF-C1-20241001", "881-REF-C1-20250205"]
    )
    assert {r.referral_id: (r.kind, r.referrer_agency_id, r.outcome) for r in referrals.values()} == {
        "881-CON-C1-20240901": ("contact", "881-SRC-6", None),
        "881-CON-C2-20240901": ("contact", "881-SRC-6", None),
        "881-REF-C1-20241001": ("referral", "881-SRC-2A", None),
        "881-REF-C1-20250205": ("referral", "881-SRC-3A", "nfa"),
    }
    agencies = store.agencies(["881-CSC", "881-SRC-6", "881-SRC-2A"])
    assert {a.agency_id: a.kind for a in agencies.values()} == {
        "881-CSC": "social_care",
        "881-SRC-6": "police",
        "881-SRC-2A": "education",
    }
    labels = store.stats().labels
    assert labels["Assessment"] == 2
    counts = {name: (c.read, c.loaded, c.rejected, c.not_mapped) for name, c in report.lists.items()}
    assert counts["List 1"] == (2, 2, 0, 0)
    assert counts["List 4"] == (1, 1, 0, 0)
    # List 5 is not imported: its rows are counted as not mapped.
    assert counts["List 5"] == (1, 0, 0, 1)


def test_importing_the_same_workbook_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "annex.xlsx", ROWS)
    _import(store, path)
    before = store.stats()
    again = _import(store, path)
    assert again.bundle is not None
    written = again.bundle.files
    assert sum(f.written.inserted + f.written.updated for f in written.values()) == 0
    assert store.stats() == before


def test_an_import_keeps_what_the_source_cannot_say(store: Store, tmp_path: Path) -> None:
    from conftest import load_records
    from familynet.model.dates import PartialDate
    from familynet.model.records import Agency, Person

    load_records(
        store,
        [
            Agency("881-CSC", "CSC", "social_care"),
            Person(
                "881-C1",
                "Sam",
                "Cole",
                PartialDate.parse("2015-04-03"),
                None,
                "male",
                None,
                "9434765919",
                "881-CSC",
                True,
            ),
        ],
    )
    _import(store, write_workbook(tmp_path / "annex.xlsx", ROWS))
    child = store.person("881-C1")
    assert child is not None
    assert (child.given_name, child.family_name, child.nhs_number, child.confidential) == (
        "Sam",
        "Cole",
        "9434765919",
        True,
    )
    assert store.agencies(["881-CSC"])["881-CSC"].name == "CSC"


def test_problems_name_sheet_row_and_column_and_load_nothing(store: Store, tmp_path: Path) -> None:
    rows = {
        "List 1": [
            {
                "Child Unique ID": "C1",
                "Gender": "a) Male",
                "Date of Birth": "31/02/2015",
                "Date of Contact": "01/09/2024",
                "Contact Source": "q) 6: Police",
            },
            {"Child Unique ID": "C2", "Gender": "z) Other", "Date of Contact": "01/09/2024"},
            {"Child Unique ID": "C3", "Date of Contact": "01/09/2024", "Contact Source": "x) 77: Nobody"},
            {"Child Unique ID": "C4", "Date of Contact": "01/09/2030"},
        ],
    }
    with pytest.raises(BundleError) as raised:
        _import(store, write_workbook(tmp_path / "annex.xlsx", rows))
    found = sorted((p.file, p.line, p.column, p.reason) for p in raised.value.problems)
    assert found == [
        ("List 1", 2, "Date of Birth", "not a date (dd/mm/yyyy or an Excel date serial), or a day that does not exist"),
        ("List 1", 3, "Gender", "not a known sex or gender code"),
        ("List 1", 4, "Contact Source", "not a known code"),
        ("List 1", 5, "Date of Contact", "in the future"),
    ]
    assert "2015" not in str(raised.value.problems)
    assert store.stats().labels.get("Person", 0) == 0


def test_skip_invalid_loads_the_rest_and_writes_rejects_without_values(store: Store, tmp_path: Path) -> None:
    rows = {
        "List 1": [
            {"Child Unique ID": "C1", "Date of Birth": "31/02/2015", "Date of Contact": "01/09/2024"},
            {"Child Unique ID": "C2", "Date of Birth": "28/02/2015", "Date of Contact": "01/09/2024"},
        ],
    }
    rejects = tmp_path / "rejects.csv"
    report = _import(store, write_workbook(tmp_path / "annex.xlsx", rows), skip_invalid=True, rejects_path=rejects)
    assert store.person("881-C2") is not None and store.person("881-C1") is None
    assert report.lists["List 1"].rejected == 1
    text = rejects.read_text()
    assert text.splitlines()[1].startswith("List 1,2,Date of Birth,")
    assert "31/02" not in text


def test_wrong_sheet_names_and_missing_columns_are_refused(store: Store, tmp_path: Path) -> None:
    headers = dict(HEADERS)
    headers["Contacts"] = headers.pop("List 1")
    with pytest.raises(BundleError, match=r"lacks the sheet\(s\) \['List 1'\]"):
        stage_annex_a(write_workbook(tmp_path / "a.xlsx", {}, headers=headers), AGENT)
    headers = dict(HEADERS)
    headers["List 3"] = [h for h in HEADERS["List 3"] if h != "Date of referral"]
    with pytest.raises(BundleError) as raised:
        _import(store, write_workbook(tmp_path / "b.xlsx", {"List 3": [{"Child Unique ID": "C1"}]}, headers=headers))
    assert [(p.file, p.line, p.column, p.reason) for p in raised.value.problems] == [
        ("List 3", 1, "Date of referral", "missing column (no header matches it)")
    ]
    (tmp_path / "c.xlsx").write_text("not a workbook")
    with pytest.raises(BundleError, match="not an Excel workbook"):
        stage_annex_a(tmp_path / "c.xlsx", AGENT)


def test_headers_match_ignoring_case_and_spaces(store: Store, tmp_path: Path) -> None:
    headers = dict(HEADERS)
    headers["List 1"] = ["child unique id", "GENDER", "Date  of Contact"]
    _import(
        store,
        write_workbook(
            tmp_path / "a.xlsx",
            {"List 1": [{"child unique id": "C9", "GENDER": "Female", "Date  of Contact": "02/01/2025"}]},
            headers=headers,
        ),
    )
    child = store.person("881-C9")
    assert child is not None and child.sex == "female"


def test_lists_6_and_7_give_plans(store: Store, tmp_path: Path) -> None:
    rows = {
        "List 6": [
            {
                "Child Unique ID": "C1",
                "CIN Start Date": "01/10/2024",
                "CIN Closure Date": "01/03/2025",
                "Case Status": "c) Child in need plan",
            },
            {"Child Unique ID": "C2", "CIN Start Date": "01/10/2024", "Case Status": "d) Open assessment"},
            {"Child Unique ID": "C3", "CIN Start Date": "01/10/2024", "Case Status": "z) Nothing"},
        ],
        "List 7": [{"Child Unique ID": "C1", "Child Protection Plan Start Date": "02/03/2025"}],
    }
    with pytest.raises(BundleError) as raised:
        _import(store, write_workbook(tmp_path / "bad.xlsx", rows))
    assert [(p.file, p.line, p.column, p.reason) for p in raised.value.problems] == [
        ("List 6", 4, "Case Status", "not a known case status")
    ]
    rows["List 6"].pop()
    report = _import(store, write_workbook(tmp_path / "annex.xlsx", rows))
    plans = {
        (p.plan_id, p.child_id, p.kind, p.start_date, p.end_date)
        for batch in store.facts("plans")
        for p in batch
        if isinstance(p, Plan)
    }
    assert plans == {
        ("881-CINP-C1-20241001", "881-C1", "child_in_need", dt.date(2024, 10, 1), dt.date(2025, 3, 1)),
        ("881-CPP-C1-20250302", "881-C1", "child_protection", dt.date(2025, 3, 2), None),
    }
    assert (report.lists["List 6"].read, report.lists["List 6"].not_mapped) == (2, 1)


def test_a_child_missing_from_the_cin_census_is_a_warning(store: Store, tmp_path: Path) -> None:
    from cin_census_files import NFA, child, write_census
    from familynet.imports.cin_census import census_children

    census = write_census(tmp_path / "cin.xml", [child("C1", "2015-04-03", NFA.format(source="6"))])
    rows = {
        "List 1": [{"Child Unique ID": "C2", "Date of Contact": "01/09/2024"}],
        "List 3": [
            {"Child Unique ID": "C1", "Date of referral": "01/10/2024"},
            {"Child Unique ID": "C2", "Date of referral": "02/10/2024"},
        ],
    }
    staging = stage_annex_a(
        write_workbook(tmp_path / "annex.xlsx", rows), AGENT, cin_children=census_children(census, AGENT)
    )
    report = load_staged(store, staging, "annex-a:test", AGENT, today=TODAY)
    assert [(p.file, p.line, p.column, p.severity) for p in report.warnings] == [
        ("List 3", 3, "Child Unique ID", "warning")
    ]
    assert store.person("881-C2") is not None


def test_an_annex_a_after_a_cin_census_erases_nothing_the_census_said(store: Store, tmp_path: Path) -> None:
    from cin_census_files import REFERRAL, child, write_census
    from familynet.imports.cin_census import stage_cin_census

    census = write_census(tmp_path / "cin.xml", [child("C1", "2016-03-02", REFERRAL)])
    load_staged(store, stage_cin_census(census, AGENT), "cin:test", AGENT, today=TODAY)
    rows = {
        "List 3": [
            {
                "Child Unique ID": "C1",
                "Date of referral": "01/06/2023",
                "Referral Source": "q) 6: Police",
                "Referral NFA?": "b) No",
            }
        ],
        "List 4": [{"Child Unique ID": "C1", "Continuous Assessment Start Date": "02/06/2023"}],
    }
    report = _import(store, write_workbook(tmp_path / "annex.xlsx", rows))
    assert report.bundle is not None
    assert report.bundle.files["referrals"].written.unchanged == 1
    referral = store.referrals(["881-REF-C1-20230601"])["881-REF-C1-20230601"]
    assert referral.outcome == "section_47"
    graph = store.family_network("881-C1")
    assessment = graph.nodes["Assessment:881-ASM-C1-20230602"]
    assert (assessment["factors"], str(assessment["completed_on"])) == (("3B", "2B"), "2023-07-10")


def test_a_title_above_the_header_is_read_past(store: Store, tmp_path: Path) -> None:
    import openpyxl

    path = write_workbook(tmp_path / "a.xlsx", {})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["List 1"]
    sheet.insert_rows(1, 2)
    sheet["A1"] = "Annex A: List 1, contacts"
    sheet.append(["C7", "b) Female", None, "01/02/2016", None, "03/03/2025", "a) 1A: Individual"])
    workbook.save(path)
    report = _import(store, path)
    child = store.person("881-C7")
    assert child is not None and child.sex == "female"
    assert store.referrals(["881-CON-C7-20250303"])
    assert report.lists["List 1"].read == 1
