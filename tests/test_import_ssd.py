"""SSD directories in: persons, birth mothers, households from shared addresses, sibling groups,
contacts, referrals, assessments and enquiries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from familynet.errors import BundleError
from familynet.imports.loading import Agent, ImportReport, load_staged
from familynet.imports.ssd import stage_ssd
from familynet.imports.worker import Worker
from familynet.model.records import Plan
from familynet.stores.protocol import Store
from ssd_files import TABLES, write_ssd

TODAY = dt.date(2025, 6, 1)
AGENT = Agent("881", "881-CSC")


def _import(store: Store, directory: Path, *, worker: bool = False, **options: object) -> ImportReport:
    staging = stage_ssd(directory, AGENT, today=TODAY)
    staged = Worker(staging) if worker else staging
    return load_staged(store, staged, "ssd:test", AGENT, today=TODAY, **options)  # type: ignore[arg-type]


def _edges(store: Store, person: str, kind: str) -> set[tuple[str, str, str | None]]:
    graph = store.family_network(person)
    return {(a, b, d.get("subtype")) for a, b, d in graph.edges(data=True) if d["type"] == kind}


@pytest.mark.parametrize("worker", [False, True], ids=["one process", "worker"])
def test_an_ssd_directory_maps_to_the_family_graph(store: Store, tmp_path: Path, worker: bool) -> None:
    report = _import(store, write_ssd(tmp_path / "ssd"), worker=worker)
    child = store.person("881-K1")
    assert child is not None
    assert (child.given_name, child.nhs_number, str(child.date_of_birth)) == ("Bea", "9434765919", "2014-02-03")
    mother = store.person("881-M1")
    assert mother is not None and str(mother.date_of_birth) == "1990-05-01"
    assert _edges(store, "881-K1", "PARENT_OF") == {
        ("Person:881-M1", "Person:881-K1", "birth"),
        ("Person:881-M1", "Person:881-K2", "birth"),
    }
    assert _edges(store, "881-K1", "SIBLING_OF") == {("Person:881-K1", "Person:881-K2", "unknown")}
    # One household by UPRN; one by address and postcode, written two ways (K2 and D1 share it).
    graph = store.family_network("881-K1")
    homes = {a: (b, d["role"]) for a, b, d in graph.edges(data=True) if d["type"] == "MEMBER_OF"}
    assert homes["Person:881-M1"] == ("Household:881-H-U100023", "parent")
    assert homes["Person:881-K1"] == ("Household:881-H-U100023", "child")
    assert homes["Person:881-K2"][1] == "child"
    assert homes["Person:881-D1"] == (homes["Person:881-K2"][0], "other")
    assert graph.nodes[homes["Person:881-K2"][0]]["postcode"] == "FN9 2DN"
    referrals = store.referrals(["881-CON-CT1", "881-REF-RF1"])
    assert {r.referral_id: (r.kind, r.referrer_agency_id, r.outcome) for r in referrals.values()} == {
        "881-CON-CT1": ("contact", "881-SRC-6", "assessment"),
        "881-REF-RF1": ("referral", "881-SRC-6", None),
    }
    assert graph.nodes["Assessment:881-ASM-AS1"]["factors"] == ("3B", "2B")
    assert graph.nodes["Assessment:881-S47-S1"]["kind"] == "section_47"
    plans = {(p.plan_id, p.child_id, p.kind) for batch in store.facts("plans") for p in batch if isinstance(p, Plan)}
    assert plans == {("881-EHE-EH1", "881-K2", "early_help"), ("881-CPP-CP1", "881-K1", "child_protection")}
    counts = {name: (c.read, c.loaded, c.rejected, c.not_mapped) for name, c in report.lists.items()}
    assert counts["ssd_involvements.csv"] == (1, 0, 0, 1)
    assert counts["ssd_linked_identifiers.csv"] == (2, 1, 0, 1)
    assert counts["ssd_address.csv"] == (4, 4, 0, 0)


def test_importing_the_same_extract_twice_changes_nothing_and_a_later_one_updates(store: Store, tmp_path: Path) -> None:
    directory = write_ssd(tmp_path / "ssd")
    _import(store, directory)
    again = _import(store, directory)
    assert again.bundle is not None
    assert sum(f.written.inserted + f.written.updated for f in again.bundle.files.values()) == 0
    later = dict(TABLES)
    later["ssd_person"] = [row if row[0] != "K2" else [*row[:2], "Hale-Ross", *row[3:]] for row in TABLES["ssd_person"]]
    _import(store, write_ssd(tmp_path / "later", later))
    child = store.person("881-K2")
    assert child is not None and child.family_name == "Hale-Ross"


@pytest.mark.parametrize("worker", [False, True], ids=["one process", "worker"])
def test_problems_name_table_line_and_field(store: Store, tmp_path: Path, worker: bool) -> None:
    tables = dict(TABLES)
    tables["ssd_person"] = [*TABLES["ssd_person"], ["X1", "Eve", "Hale", "Q", "", "", "2015-02-30", "", ""]]
    tables["ssd_cin_episodes"] = [
        *TABLES["ssd_cin_episodes"],
        ["RF2", "K1", "2023-07-01", "", "77", "", "", "N", "", "", "", ""],
    ]
    tables["ssd_linked_identifiers"] = [
        *TABLES["ssd_linked_identifiers"],
        ["3", "K2", "NHS Number", "1234567890", "", ""],
    ]
    with pytest.raises(BundleError) as raised:
        _import(store, write_ssd(tmp_path / "ssd", tables), worker=worker)
    found = sorted((p.file, p.line, p.column, p.reason) for p in raised.value.problems)
    causes = [
        ("ssd_cin_episodes.csv", 3, "cine_referral_source_code", "not a known code"),
        (
            "ssd_person.csv",
            4,
            "ssd_linked_identifiers.link_identifier_value",
            "not a valid NHS number (ten digits with a modulus 11 check digit)",
        ),
        ("ssd_person.csv", 6, "pers_sex", "not a known sex or gender code"),
    ]
    assert [p for p in found if p in causes] == causes
    # Every fact about the refused K2 is refused with it, by its own table, line and field.
    assert sorted(p[:3] for p in found if p not in causes) == [
        ("ssd_address.csv", 4, "addr_person_id"),
        ("ssd_early_help_episodes.csv", 2, "earl_person_id"),
        ("ssd_family.csv", 4, "fami_person_id"),
        ("ssd_mother.csv", 3, "moth_childs_person_id"),
    ]
    assert store.stats().labels.get("Person", 0) == 0
    # With --skip-invalid the same rows are refused, counted by table and written without values.
    rejects = tmp_path / "rejects.csv"
    report = _import(
        store, write_ssd(tmp_path / "skip", tables), worker=worker, skip_invalid=True, rejects_path=rejects
    )
    counts = {name: (c.read, c.loaded, c.rejected) for name, c in report.lists.items()}
    assert counts["ssd_person.csv"] == (5, 3, 2)
    assert counts["ssd_cin_episodes.csv"] == (2, 1, 1)
    assert store.person("881-K1") is not None and store.person("881-K2") is None
    written = rejects.read_text()
    assert "ssd_person.csv,6,pers_sex,not a known sex or gender code" in written
    assert "1234567890" not in written and "Eve" not in written


def test_a_table_missing_a_column_is_refused(store: Store, tmp_path: Path) -> None:
    tables = dict(TABLES)
    tables["ssd_contacts"] = [[c for c in row if c != "2023-05-01"] for row in TABLES["ssd_contacts"]]
    tables["ssd_contacts"][0] = [c for c in TABLES["ssd_contacts"][0] if c != "cont_contact_date"]
    with pytest.raises(BundleError) as raised:
        _import(store, write_ssd(tmp_path / "ssd", tables))
    assert [(p.file, p.line, p.column, p.reason) for p in raised.value.problems] == [
        ("ssd_contacts.csv", 1, "cont_contact_date", "missing column (no header matches it)")
    ]
    with pytest.raises(BundleError, match=r"lacks ssd_person\.csv"):
        stage_ssd(write_ssd(tmp_path / "none", {"ssd_family": TABLES["ssd_family"]}), AGENT)


def test_the_recording_agency_must_be_social_care(store: Store, tmp_path: Path) -> None:
    from conftest import load_records
    from familynet.model.records import Agency

    load_records(store, [Agency("881-POL", "Police", "police")])
    with pytest.raises(BundleError, match="kind police, not social_care"):
        load_staged(
            store,
            stage_ssd(write_ssd(tmp_path / "ssd"), Agent("881", "881-POL"), today=TODAY),
            "s",
            Agent("881", "881-POL"),
            today=TODAY,
        )
    assert store.person("881-K1") is None


def test_a_contact_and_a_referral_numbered_alike_stay_two_facts(store: Store, tmp_path: Path) -> None:
    tables = dict(TABLES)
    tables["ssd_contacts"] = [TABLES["ssd_contacts"][0], ["RF1", *TABLES["ssd_contacts"][1][1:]]]
    _import(store, write_ssd(tmp_path / "ssd", tables))
    assert set(store.referrals(["881-CON-RF1", "881-REF-RF1"])) == {"881-CON-RF1", "881-REF-RF1"}


def test_a_failure_while_reading_in_the_worker_is_raised_and_nothing_loads(store: Store, tmp_path: Path) -> None:
    directory = write_ssd(tmp_path / "ssd")
    # Not UTF-8: the worker fails reading the contacts, after it has handed on the persons.
    (directory / "ssd_contacts.csv").write_bytes((directory / "ssd_contacts.csv").read_bytes() + b"\xff\xfe,\n")
    with pytest.raises(BundleError, match=r"^ssd_contacts\.csv is not UTF-8 text; nothing was loaded$"):
        _import(store, directory, worker=True)
    assert store.person("881-K1") is None


def test_rows_malformed_in_tables_read_for_keys_are_refused_by_their_line(store: Store, tmp_path: Path) -> None:
    tables = dict(TABLES)
    tables["ssd_mother"] = [*TABLES["ssd_mother"], ["3", "M1"]]
    tables["ssd_involvements"] = [*TABLES["ssd_involvements"], ["9"]]
    with pytest.raises(BundleError) as raised:
        _import(store, write_ssd(tmp_path / "ssd", tables))
    assert sorted((p.file, p.line, p.reason) for p in raised.value.problems) == [
        ("ssd_involvements.csv", 3, f"malformed row: 1 cells, expected {len(TABLES['ssd_involvements'][0])}"),
        ("ssd_mother.csv", 4, "malformed row: 2 cells, expected 4"),
    ]
    report = _import(store, write_ssd(tmp_path / "skip", tables), skip_invalid=True)
    counts = {name: (c.read, c.loaded, c.rejected) for name, c in report.lists.items()}
    assert counts["ssd_mother.csv"] == (3, 2, 1)
    assert store.person("881-K1") is not None
