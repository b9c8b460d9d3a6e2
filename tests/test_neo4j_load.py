"""A Neo4j load larger than one transaction: committed in batches, and all or nothing still.

A load of more than ``commit_rows`` rows commits as it goes (familynet.stores.neo4j.load); a load
that fails, or whose loader dies, must leave the store exactly as it was, provenance and all.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bundles import FAMILY, FRONT_DOOR, Rows, changed, many_persons, with_row, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.errors import BundleError, StoreError
from familynet.model.records import FILES, Agency, Person, Record
from familynet.settings import Settings
from familynet.stores.backends import open_configured_store
from familynet.stores.neo4j.load import undo_load
from familynet.stores.neo4j.store import LOCK_WAIT_SECONDS, Neo4jStore, open_neo4j
from familynet.stores.queries import queries
from familynet.stores.sqlite.store import open_sqlite
from neo4j_server import Neo4jTarget, connect, empty_store, environ, needs_neo4j

pytestmark = needs_neo4j

TODAY = dt.date(2025, 6, 30)
#: Every fact and every load, with provenance; not the lock and counter, which loads touch.
_NODES = (
    "MATCH (n) WHERE NOT n:FamilynetSchema AND NOT n:LoadLock AND NOT n:LoadCounter RETURN labels(n), properties(n)"
)
_EDGES = "MATCH (a)-[r]->(b) RETURN type(r), properties(r), properties(a), properties(b)"


def _count(target: Neo4jTarget, query: str) -> int:
    with connect(target) as driver:
        value: int = driver.execute_query(query).records[0][0]
    return value


def _committed(target: Neo4jTarget, persons: int) -> bool:
    """Whether another session comes to see ``persons`` of the running load's persons: its
    batches are committed behind the caller, so they show a moment after a write returns."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _count(target, "MATCH (p:Person) WHERE p.given_name = 'Ann' RETURN count(p)") == persons:
            return True
        time.sleep(0.02)
    return False


def _snapshot(target: Neo4jTarget) -> list[str]:
    """Every node and edge of the store, as sorted text (dates and lists included)."""
    with connect(target) as driver:
        rows: list[Any] = [*driver.execute_query(_NODES).records, *driver.execute_query(_EDGES).records]
    return sorted(repr([sorted(v.items()) if isinstance(v, dict) else v for v in row.values()]) for row in rows)


@pytest.fixture
def batched(neo4j_target: Neo4jTarget) -> Iterator[Neo4jStore]:
    """An empty Neo4j store whose loads commit every 2 rows."""
    empty_store(neo4j_target).close()
    store = open_neo4j(neo4j_target.uri, neo4j_target.user, neo4j_target.password, commit_rows=2)
    try:
        yield store
    finally:
        store.close()


def _persons(*ids: str) -> list[Person]:
    return [Person(i, "Ann", "Lee", None, None, "female", None, None, "A1") for i in ids]


def _write_then_fail(store: Neo4jStore, target: Neo4jTarget) -> None:
    with store.load("test") as writer:
        writer.write([Agency("A1", "CSC", "social_care")])
        writer.write(_persons("P1", "P2", "P3"))
        # Committed, so another session sees them before the load ends.
        assert _committed(target, 3)
        raise RuntimeError("stop")


def test_a_load_commits_in_batches_and_an_error_undoes_every_batch(
    batched: Neo4jStore, neo4j_target: Neo4jTarget
) -> None:
    with pytest.raises(RuntimeError, match="stop"):
        _write_then_fail(batched, neo4j_target)
    assert _snapshot(neo4j_target) == []


def test_the_commit_rows_setting_reaches_the_store(neo4j_target: Neo4jTarget) -> None:
    empty_store(neo4j_target).close()
    env = {**environ(neo4j_target), "FAMILYNET_NEO4J_COMMIT_ROWS": "2"}
    store = open_configured_store(Settings.resolve(environ=env))
    try:
        with pytest.raises(RuntimeError, match="stop"):
            _write_then_fail(store, neo4j_target)  # type: ignore[arg-type]
    finally:
        store.close()
    assert _snapshot(neo4j_target) == []


def _later(files: dict[str, Rows]) -> dict[str, Rows]:
    """A second bundle that changes facts of every file but agencies and households, and adds some."""
    later = changed(files, "persons", 0, family_name="Tran")
    later = changed(later, "household_members", 3, role="lodger")
    later = changed(later, "relationships", 2, subtype="married")
    # A new referrer changes the provenance of the referral's mentions too.
    later = changed(later, "referrals", 0, concerns="3B", outcome="nfa", referrer_agency_id="A1")
    later = changed(later, "assessments", 0, outcome="cp_plan", factors="21")
    later = changed(later, "referrals", 0, decided_at="2024-02-29T12:00", threshold_stated="")
    later = changed(later, "checks", 1, responded_at="2024-03-01T09:00", response="nothing_known")
    later = changed(later, "plans", 0, end_date="2023-09-01")
    later = changed(later, "considerations", 0, outcome="early_help")
    later = with_row(later, "persons", person_id="P5", given_name="Eve", sex="female", recorded_by="A1")
    later = with_row(later, "household_members", household_id="H1", person_id="P5", role="child", recorded_by="A1")
    later = with_row(later, "relationships", person_id="P1", related_person_id="P5", type="parent_of",
                     subtype="birth", recorded_by="A1")  # fmt: skip
    later = with_row(later, "referrals", referral_id="R9", kind="referral", child_id="P5",
                     received_on="2025-01-02", referrer_agency_id="A1", concerns="16A")  # fmt: skip
    later = with_row(later, "checks", check_id="K3", referral_id="R9", agency_id="A3",
                     requested_at="2025-01-02T10:00")  # fmt: skip
    later = with_row(later, "plans", plan_id="PL2", child_id="P5", kind="early_help", start_date="2025-01-03",
                     recorded_by="A1")  # fmt: skip
    later = with_row(later, "considerations", referral_id="R9", person_id="P2", considered_on="2025-01-02")
    return with_row(later, "referral_mentions", referral_id="R1", person_id="P3", role="sibling")


def test_a_refused_bundle_leaves_every_fact_and_its_provenance_as_it_was(
    batched: Neo4jStore, neo4j_target: Neo4jTarget, tmp_path: Path
) -> None:
    ingest_bundle(batched, write_bundle(tmp_path / "first", FRONT_DOOR), today=TODAY)
    before = _snapshot(neo4j_target)
    # The last row is refused only after every file before it has been written.
    refused = with_row(_later(FRONT_DOOR), "considerations", referral_id="R1", person_id="P99",
                       considered_on="2025-01-03")  # fmt: skip
    with pytest.raises(BundleError):
        ingest_bundle(batched, write_bundle(tmp_path / "later", refused), today=TODAY)
    assert _snapshot(neo4j_target) == before
    assert _count(neo4j_target, "MATCH (u:LoadUndo) RETURN count(u)") == 0
    # Without its error the same bundle loads, and changes what it changes.
    ingest_bundle(batched, write_bundle(tmp_path / "fixed", _later(FRONT_DOOR)), today=TODAY)
    assert _snapshot(neo4j_target) != before
    assert batched.person("P1").family_name == "Tran"  # type: ignore[union-attr]
    assert _count(neo4j_target, "MATCH (u:LoadUndo) RETURN count(u)") == 0


def _records(bundle: Path, db: Path) -> dict[str, list[Record]]:
    """The records of ``bundle`` by file, as a store reads them back."""
    store = open_sqlite(db)
    try:
        ingest_bundle(store, bundle, today=TODAY)
        return {file: [r for batch in store.facts(file) for r in batch] for file in FILES.values()}
    finally:
        store.close()


def _change_everything_then_fail(store: Neo4jStore, records: dict[str, list[Record]]) -> None:
    with store.load("later") as writer:
        written = {file: writer.write(found) for file, found in records.items()}
        assert {file for file, counts in written.items() if counts.updated} == set(FILES.values()) - {
            "agencies", "households"}  # fmt: skip
        raise RuntimeError("stop")


def test_an_undone_load_puts_back_every_kind_of_fact_it_changed(
    batched: Neo4jStore, neo4j_target: Neo4jTarget, tmp_path: Path
) -> None:
    ingest_bundle(batched, write_bundle(tmp_path / "first", FRONT_DOOR), today=TODAY)
    before = _snapshot(neo4j_target)
    records = _records(write_bundle(tmp_path / "later", _later(FRONT_DOOR)), tmp_path / "later.db")
    with pytest.raises(RuntimeError, match="stop"):
        _change_everything_then_fail(batched, records)
    assert _snapshot(neo4j_target) == before


def _undone_behind_its_back(store: Neo4jStore, target: Neo4jTarget) -> None:
    with store.load("test") as writer:
        writer.write([Agency("A1", "CSC", "social_care")])
        writer.write(_persons("P1", "P2"))
        assert _committed(target, 2)
        # As another process would if this load's lock transaction had ended.
        with connect(target) as driver, driver.session() as session:
            (load_id,) = session.run("MATCH (l:Load) RETURN l.load_id").single(strict=True)
            undo_load(session, queries("cypher"), load_id)
        writer.write(_persons("P3", "P4"))


def test_a_load_undone_by_another_process_fails_rather_than_commit_behind_it(
    batched: Neo4jStore, neo4j_target: Neo4jTarget
) -> None:
    with pytest.raises(StoreError, match="undone while it ran"):
        _undone_behind_its_back(batched, neo4j_target)
    assert _snapshot(neo4j_target) == []


def test_a_finished_load_is_never_undone(batched: Neo4jStore, neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    ingest_bundle(batched, write_bundle(tmp_path / "first", FAMILY), today=TODAY)
    before = _snapshot(neo4j_target)
    with connect(neo4j_target) as driver, driver.session() as session:
        (load_id,) = session.run("MATCH (l:Load) RETURN l.load_id").single(strict=True)
        undo_load(session, queries("cypher"), load_id)
    assert _snapshot(neo4j_target) == before


def _write_a_taken_id(store: Neo4jStore, target: Neo4jTarget) -> None:
    with store.load("test") as writer:
        writer.write([Agency("A1", "CSC", "social_care")])
        writer.write(_persons("P1", "P2"))
        # Taken behind the load's back: the store held no persons as the load began, so
        # the load does not ask, and the server refuses the batch as it writes it.
        with connect(target) as driver:
            driver.execute_query("CREATE (:Person {person_id: 'P3', given_name: 'Other'})")
        writer.write(_persons("P3"))


def test_the_error_of_a_batch_written_behind_the_caller_fails_and_undoes_the_load(
    batched: Neo4jStore, neo4j_target: Neo4jTarget
) -> None:
    with pytest.raises(StoreError, match="ConstraintValidationFailed"):
        _write_a_taken_id(batched, neo4j_target)
    with connect(neo4j_target) as driver:
        names = driver.execute_query("MATCH (p:Person) RETURN p.given_name").records
    assert [row[0] for row in names] == ["Other"]
    assert _count(neo4j_target, "MATCH (n:Agency) RETURN count(n)") == 0


def test_a_store_opened_while_a_load_runs_leaves_the_load_alone(batched: Neo4jStore, neo4j_target: Neo4jTarget) -> None:
    with batched.load("test") as writer:
        writer.write([Agency("A1", "CSC", "social_care")])
        writer.write(_persons("P1", "P2"))
        assert _committed(neo4j_target, 2)
        began = time.monotonic()
        open_neo4j(neo4j_target.uri, neo4j_target.user, neo4j_target.password).close()
        # It waited for the lock, found the load running, and undid nothing.
        assert time.monotonic() - began >= LOCK_WAIT_SECONDS
        assert _count(neo4j_target, "MATCH (p:Person) RETURN count(p)") == 2
        writer.write(_persons("P3"))
    assert _count(neo4j_target, "MATCH (p:Person) RETURN count(p)") == 3
    assert _count(neo4j_target, "MATCH (l:Load) WHERE l.finished_at IS NULL RETURN count(l)") == 0


_INGEST = """
import os, sys
from pathlib import Path
from familynet.bundle.ingest import ingest_bundle
from familynet.stores.neo4j.store import open_neo4j
store = open_neo4j(sys.argv[1], os.environ["FAMILYNET_NEO4J_USER"], os.environ.get("FAMILYNET_NEO4J_PASSWORD"),
                   commit_rows=1_000)
ingest_bundle(store, Path(sys.argv[2]))
"""


@pytest.mark.slow
def test_a_killed_load_is_undone_when_the_store_is_next_opened(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    persons = 30_000
    store = empty_store(neo4j_target)
    try:
        ingest_bundle(store, many_persons(tmp_path / "first", persons))
    finally:
        store.close()
    before = _snapshot(neo4j_target)
    # Renames every person the first load made, then adds as many again.
    bundle = many_persons(tmp_path / "second", 2 * persons, given_name="Ann")
    env = {**os.environ, **environ(neo4j_target)}
    child = subprocess.Popen([sys.executable, "-c", _INGEST, neo4j_target.uri, str(bundle)], env=env)
    # Not a count of persons: Neo4j's counts can show a commit a moment before its nodes.
    unfinished = "MATCH (l:Load) WHERE l.finished_at IS NULL RETURN count(l)"
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        if _count(neo4j_target, unfinished) > 0:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the ingest finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert _count(neo4j_target, "MATCH (p:Person {given_name: 'Ann'}) RETURN count(p)") > 0
    store = open_neo4j(neo4j_target.uri, neo4j_target.user, neo4j_target.password)
    try:
        assert _snapshot(neo4j_target) == before
        ingest_bundle(store, bundle)
        assert _count(neo4j_target, "MATCH (p:Person {given_name: 'Ann'}) RETURN count(p)") == 2 * persons
    finally:
        store.close()
