"""Every change to a person, membership or relationship keeps the version it replaces, with its
provenance: nothing a later load or mutation changes is lost (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bundles import FAMILY
from familynet.bundle.ingest import ingest_rows
from familynet.cli import main
from familynet.model.history import PreviousVersion
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import SQLiteStore, open_sqlite
from familynet.stores.transfer import copy_store
from neo4j_server import empty_store, reachable, required

#: The day the loads are checked against.
TODAY = dt.date(2025, 1, 1)

#: The family loaded again by another bundle: P1 renamed and born on another day, her membership
#: of H1 ended, her partnership with P4 ended, P2 as before.
SECOND: dict[str, list[dict[str, str]]] = {
    "persons": [
        {**FAMILY["persons"][0], "family_name": "Smith", "date_of_birth": "1990-04-02"},
        FAMILY["persons"][1],
    ],
    "household_members": [{**FAMILY["household_members"][0], "end_date": "2024-09-01"}],
    "relationships": [{**FAMILY["relationships"][2], "end_date": "2024-08-01"}],
}


def versions(store: Store, person_id: str, file: str) -> list[PreviousVersion]:
    return [v for v in store.previous_versions([person_id]) if v.file == file]


def first(rows: list[dict[str, str]], **match: str) -> dict[str, Any]:
    return next(r for r in rows if all(r.get(k) == v for k, v in match.items()))


def test_a_second_load_keeps_what_the_first_recorded(store: Store) -> None:
    ingest_rows(store, "first bundle", FAMILY, today=TODAY)
    assert store.previous_versions() == []
    ingest_rows(store, "second bundle", SECOND, today=TODAY)
    person = store.person("P1")
    assert person is not None and person.family_name == "Smith"
    [was] = versions(store, "P1", "persons")
    original = first(FAMILY["persons"], person_id="P1")
    assert dict(was.values) == {
        **{k: original.get(k) for k in dict(was.values)},
        "expected_date_of_birth": None,
        "date_of_death": None,
        "confidential": "false",
    }
    assert (was.recorded_by, was.recorded_in, was.replaced_in) == ("A1", "first bundle", "second bundle")
    assert was.recorded_at is not None and was.replaced_at is not None
    [membership] = versions(store, "P1", "household_members")
    assert (membership.value("household_id"), membership.value("end_date"), membership.value("start_date")) == (
        "H1",
        None,
        "2015-01-01",
    )
    # A relationship's history is found from either of its persons.
    [partners] = versions(store, "P4", "relationships")
    assert partners == versions(store, "P1", "relationships")[0]
    assert (partners.value("type"), partners.value("end_date"), partners.recorded_by) == ("partner_of", None, "A2")
    # P2 was loaded again unchanged, so nothing of hers was replaced; loading the second bundle
    # again changes nothing and keeps nothing more.
    assert store.previous_versions(["P2"]) == []
    ingest_rows(store, "second bundle again", SECOND, today=TODAY)
    assert len(store.previous_versions()) == 3


def test_copy_carries_the_history_both_ways(store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ingest_rows(store, "first bundle", FAMILY, today=TODAY)
    ingest_rows(store, "second bundle", SECOND, today=TODAY)
    history = store.previous_versions()
    assert len(history) == 3
    # Into the other backend, and from there into a new embedded store.
    other: Store
    if not isinstance(store, SQLiteStore):
        other = open_sqlite(tmp_path / "copy.db")
    elif reachable() or required():
        other = empty_store(request.getfixturevalue("neo4j_target"))
    else:
        pytest.skip("no Neo4j to copy into")
    try:
        copy_store(store, other)
        assert other.previous_versions() == history
        assert other.previous_versions(["P4"]) == store.previous_versions(["P4"])
        again = open_sqlite(tmp_path / "again.db")
        try:
            copy_store(other, again)
            assert again.previous_versions() == history
        finally:
            again.close()
    finally:
        other.close()


def test_familynet_household_shows_previously_recorded_as(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"
    store = open_sqlite(db)
    try:
        ingest_rows(store, "first bundle", FAMILY, today=TODAY)
        ingest_rows(store, "second bundle", SECOND, today=TODAY)
    finally:
        store.close()
    result = CliRunner().invoke(
        main, ["household", "P2", "--on", "2024-10-01", "--purpose", "strategy discussion", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    shown = result.output[result.output.index("Previously recorded as") :]
    assert "family_name Nguyễn, date_of_birth 1990-04" in shown
    assert "member of H1 (A1, from 2015-01-01)" in shown and "partner of P4 (A2, from 2016-03-01)" in shown
