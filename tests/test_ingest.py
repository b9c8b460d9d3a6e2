"""Loading bundles into the store: all or nothing, idempotent, nothing dropped silently."""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bundles import FAMILY, changed, many_persons, with_row, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.errors import BundleError
from familynet.model.network import household_node, person_node
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

TODAY = dt.date(2025, 6, 30)


def test_a_valid_bundle_loads_every_file(store: Store, tmp_path: Path) -> None:
    report = ingest_bundle(store, write_bundle(tmp_path / "b", FAMILY), today=TODAY)
    assert report.committed
    assert not report.problems
    assert {name: f.written.inserted for name, f in report.files.items()} == {
        name: len(rows) for name, rows in FAMILY.items()
    }
    stats = store.stats()
    assert stats.labels["Person"] == 4
    assert stats.relationships["MEMBER_OF"] == 4


def test_loading_the_same_bundle_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", FAMILY)
    ingest_bundle(store, bundle, today=TODAY)
    before = store.family_network("P2")
    again = ingest_bundle(store, bundle, today=TODAY)
    assert all(f.written.inserted == 0 and f.written.updated == 0 for f in again.files.values())
    assert sum(f.written.unchanged for f in again.files.values()) == sum(len(r) for r in FAMILY.values())
    after = store.family_network("P2")
    assert sorted(before.edges(keys=True, data="load_id")) == sorted(after.edges(keys=True, data="load_id"))


def test_a_later_bundle_updates_facts_and_stamps_its_load(store: Store, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b1", FAMILY), today=TODAY)
    first = store.family_network("P2")
    later = changed(FAMILY, "household_members", 3, end_date="2024-01-31")
    report = ingest_bundle(store, write_bundle(tmp_path / "b2", later), today=TODAY)
    assert report.files["household_members"].written.updated == 1
    graph = store.family_network("P2")
    (edge,) = graph[person_node("P4")][household_node("H1")].values()
    (old,) = first[person_node("P4")][household_node("H1")].values()
    assert edge["end_date"] == dt.date(2024, 1, 31)
    assert edge["load_id"] != old["load_id"]
    (unchanged,) = graph[person_node("P1")][household_node("H1")].values()
    (was,) = first[person_node("P1")][household_node("H1")].values()
    assert unchanged["load_id"] == was["load_id"]


def test_any_error_loads_nothing_and_lists_every_problem(store: Store, tmp_path: Path) -> None:
    bad = changed(FAMILY, "persons", 1, date_of_birth="2010-13-01")
    bad = changed(bad, "referrals", 0, concerns="3A;XX")
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b", bad), today=TODAY)
    where = [(p.file, p.line, p.column) for p in raised.value.problems]
    assert ("persons.csv", 3, "date_of_birth") in where
    assert ("referrals.csv", 2, "concerns") in where
    # P2 was refused, so everything about P2 is refused too, and reported.
    assert ("household_members.csv", 3, "person_id") in where
    assert store.stats().labels.get("Person", 0) == 0
    assert store.person("P1") is None


def test_skip_invalid_loads_valid_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    bad = changed(FAMILY, "persons", 3, nhs_number="=1+1")
    rejects = tmp_path / "rejects.csv"
    report = ingest_bundle(
        store, write_bundle(tmp_path / "b", bad), skip_invalid=True, rejects_path=rejects, today=TODAY
    )
    assert report.committed
    assert store.person("P4") is None
    assert store.person("P1") is not None
    assert report.files["persons"].rejected == 1
    # P4's membership, partnership and mention are refused with it: nothing half-loaded.
    assert report.files["household_members"].rejected == 1
    assert report.files["relationships"].rejected == 1
    assert report.files["referral_mentions"].rejected == 1
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert rows[0]["file"] == "persons.csv"
    assert rows[0]["line"] == "5"
    assert "NHS number" in rows[0]["reasons"]
    assert rows[0]["row"].startswith("P4,")
    assert os.stat(rejects).st_mode & 0o777 == 0o600


def test_rejects_neutralise_formulas(store: Store, tmp_path: Path) -> None:
    bad = with_row(FAMILY, "agencies", agency_id="=cmd()", name="x", kind="nope")
    rejects = tmp_path / "rejects.csv"
    ingest_bundle(store, write_bundle(tmp_path / "b", bad), skip_invalid=True, rejects_path=rejects, today=TODAY)
    with rejects.open(encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["row"].startswith("'=cmd()")


def test_duplicate_ids_are_refused_after_the_first(store: Store, tmp_path: Path) -> None:
    bad = with_row(FAMILY, "persons", person_id="P2", sex="male")
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b", bad), today=TODAY)
    (problem,) = raised.value.problems
    assert (problem.line, problem.column, problem.reason) == (6, "person_id", "duplicate of line 3")


def test_a_fact_recorded_twice_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    bad = with_row(FAMILY, "referral_mentions", referral_id="R1", person_id="P4", role="alleged_perpetrator")
    with pytest.raises(BundleError, match="1 error"):
        ingest_bundle(store, write_bundle(tmp_path / "b", bad), today=TODAY)


def test_references_must_exist_in_the_bundle_or_the_store(store: Store, tmp_path: Path) -> None:
    orphan = {"agencies": FAMILY["agencies"], "persons": FAMILY["persons"][:1],
              "referrals": [{"referral_id": "R9", "kind": "contact", "child_id": "P2",
                             "received_on": "2025-01-01"}]}  # fmt: skip
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b1", orphan), today=TODAY)
    (problem,) = raised.value.problems
    assert (problem.file, problem.column) == ("referrals.csv", "child_id")
    assert "neither the bundle nor the store" in problem.reason
    ingest_bundle(store, write_bundle(tmp_path / "b2", FAMILY), today=TODAY)
    later = {"agencies": FAMILY["agencies"][:1], "persons": FAMILY["persons"][:1],
             "referrals": orphan["referrals"]}  # fmt: skip
    report = ingest_bundle(store, write_bundle(tmp_path / "b3", later), today=TODAY)
    assert report.files["referrals"].written.inserted == 1


def test_implausible_facts_load_with_a_warning(store: Store, tmp_path: Path) -> None:
    young = changed(FAMILY, "persons", 0, date_of_birth="2008-01-01")
    report = ingest_bundle(store, write_bundle(tmp_path / "b", young), today=TODAY)
    assert report.committed
    # The mother is too young for both children: one warning per parent_of row, none for the partner row.
    assert [(w.file, w.line, w.severity) for w in report.warnings] == [
        ("relationships.csv", 2, "warning"),
        ("relationships.csv", 3, "warning"),
    ]
    assert all("fewer than 12 years older" in w.reason for w in report.warnings)
    assert report.files["relationships"].written.inserted == 3


def test_unicode_names_round_trip_exactly(store: Store, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", FAMILY), today=TODAY)
    mother = store.person("P1")
    child = store.person("P2")
    assert mother is not None
    assert child is not None
    assert (mother.given_name, mother.family_name) == ("Zoë", "Nguyễn")
    assert (child.given_name, child.family_name) == ("Siobhán", "王")
    assert [m.person.person_id for m in store.search_persons("zoe nguyen")][:1] == ["P1"]


def test_a_missing_required_file_is_refused(store: Store, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"agencies": FAMILY["agencies"]})
    with pytest.raises(BundleError, match=r"persons\.csv"):
        ingest_bundle(store, bundle, today=TODAY)


_CRASH_PERSONS = 150_000

_INGEST = """
import sys
from pathlib import Path
from familynet.bundle.ingest import ingest_bundle
from familynet.stores.sqlite.store import open_sqlite
store = open_sqlite(Path(sys.argv[1]))
ingest_bundle(store, Path(sys.argv[2]))
store.close()
"""


def _wait_for_wal(wal: Path, size: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if wal.exists() and wal.stat().st_size >= size:
            return
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.parametrize("wal_bytes", [1, 1 << 20, 8 << 20])
def test_killing_an_ingest_leaves_all_or_nothing(tmp_path: Path, wal_bytes: int) -> None:
    bundle = many_persons(tmp_path / "bundle", _CRASH_PERSONS)
    db = tmp_path / "crash.db"
    open_sqlite(db).close()
    child = subprocess.Popen([sys.executable, "-c", _INGEST, str(db), str(bundle)])
    # The write-ahead log grows only while the load writes: kill it then, mid-transaction.
    _wait_for_wal(Path(f"{db}-wal"), wal_bytes, child)
    assert child.poll() is None, "the ingest finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    store = open_sqlite(db)
    try:
        assert store.stats().labels.get("Person", 0) == 0
        ingest_bundle(store, bundle)
        assert store.stats().labels["Person"] == _CRASH_PERSONS
    finally:
        store.close()
