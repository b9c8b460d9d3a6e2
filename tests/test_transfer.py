"""familynet copy: a whole dataset moves between stores, verified, and back again unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from familynet.access.log import AccessRequest
from familynet.cli import main
from familynet.errors import StoreError
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.stores.transfer import copy_store, fact_digest, tally
from neo4j_server import Neo4jTarget, empty_store, needs_neo4j
from test_sqlite_store import FAMILY, PERSONS, LoadRecords

AT = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _filled(store: Store, load: LoadRecords) -> Store:
    load(store, FAMILY)
    store.append_access([AccessRequest(AT, "pat", "practitioner", "A1", "s47 enquiry", "householdContext",
                                       ("C1", "M"), True, "corr-1"),
                         AccessRequest(AT, "sam", "auditor", None, None, "missingMembers", (), False, "corr-2")])  # fmt: skip
    return store


def test_a_copy_has_every_fact_and_the_same_log_and_refuses_a_full_target(
    store: Store, load: LoadRecords, tmp_path: Path
) -> None:
    source = _filled(store, load)
    target = open_sqlite(tmp_path / "copy.db")
    try:
        tallies = copy_store(source, target, batch_size=3)
        assert tallies == tally(target)
        assert tallies["persons"].count == len(PERSONS)
        assert target.persons(["M", "C1"]) == source.persons(["M", "C1"])
        assert target.person("M").confidential  # type: ignore[union-attr]
        assert target.stats() == source.stats()
        assert target.access_entries() == source.access_entries()
        assert sorted(target.family_network("C1").edges(keys=True)) == sorted(
            source.family_network("C1").edges(keys=True)
        )
        with pytest.raises(StoreError, match="not empty"):
            copy_store(source, target)
    finally:
        target.close()


def test_the_checksum_sees_any_changed_value() -> None:
    person = PERSONS[0]
    assert fact_digest(person) == fact_digest(dataclasses.replace(person))
    assert fact_digest(person) != fact_digest(dataclasses.replace(person, nhs_number="9434765919"))
    assert fact_digest(person) != fact_digest(dataclasses.replace(person, confidential=not person.confidential))


@needs_neo4j
def test_familynet_copy_moves_sqlite_to_neo4j_and_back(
    neo4j_target: Neo4jTarget, tmp_path: Path, load: LoadRecords
) -> None:
    original = _filled(open_sqlite(tmp_path / "original.db"), load)
    expected = tally(original)
    original.close()
    empty_store(neo4j_target).close()
    env = {"FAMILYNET_NEO4J_USER": neo4j_target.user, "FAMILYNET_NEO4J_PASSWORD": neo4j_target.password or ""}
    runner = CliRunner()
    there = runner.invoke(main, ["copy", "--from", f"sqlite:{tmp_path / 'original.db'}", "--to", neo4j_target.uri],
                          env=env)  # fmt: skip
    assert there.exit_code == 0, there.output
    assert "persons" in there.output
    back = runner.invoke(main, ["copy", "--from", neo4j_target.uri, "--to", str(tmp_path / "back.db")], env=env)
    assert back.exit_code == 0, back.output
    returned, first = open_sqlite(tmp_path / "back.db"), open_sqlite(tmp_path / "original.db")
    try:
        assert tally(returned) == expected
        assert returned.access_entries() == first.access_entries()
    finally:
        returned.close()
        first.close()
