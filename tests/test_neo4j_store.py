"""What only the Neo4j store promises: its schema, refusals, credentials and the ``--store`` option.

Everything else it shares with the embedded store runs through the ``store`` fixture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from neo4j.api import BookmarkManager

from bundles import FAMILY, write_bundle
from familynet.access.auth import Role
from familynet.bundle.ingest import ingest_bundle
from familynet.cli import main
from familynet.errors import ConfigurationError, SchemaVersionError, StoreError
from familynet.model.records import Agency, Household, Membership, Person
from familynet.settings import Settings
from familynet.stores.neo4j.schema import migrate, migrations, schema_version, statements
from familynet.stores.neo4j.store import Neo4jStore, open_neo4j
from familynet.stores.protocol import Store
from familynet.stores.queries import queries
from neo4j_server import Neo4jTarget, connect, empty_store, environ, needs_neo4j


def test_settings_take_a_neo4j_uri_and_keep_the_password_out_of_their_repr() -> None:
    env = {"FAMILYNET_STORE": "neo4j://db.example:7687", "FAMILYNET_NEO4J_PASSWORD": "s3cret-pass"}
    settings = Settings.resolve(environ=env)
    assert (settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password) == (
        "neo4j://db.example:7687", "neo4j", "s3cret-pass")  # fmt: skip
    assert "s3cret" not in repr(settings)
    assert Settings.resolve(environ=env, store="sqlite:other.db") == Settings(Path("other.db"))
    assert Settings.resolve(environ=env, store="bolt://x:1").neo4j_uri == "bolt://x:1"
    assert Settings.resolve(environ=env).neo4j_commit_rows is None
    assert Settings.resolve(environ={**env, "FAMILYNET_NEO4J_COMMIT_ROWS": "50000"}).neo4j_commit_rows == 50_000
    for wrong in ("0", "-5", "ten", "1e4"):
        with pytest.raises(ConfigurationError, match="FAMILYNET_NEO4J_COMMIT_ROWS"):
            Settings.resolve(environ={**env, "FAMILYNET_NEO4J_COMMIT_ROWS": wrong})


def test_migrations_are_split_into_statements_and_every_one_is_idempotent() -> None:
    text = (Path(__file__).parents[1] / "schema" / "neo4j" / "001_initial.cypher").read_text(encoding="utf-8")
    found = statements(text)
    assert found
    assert all("IF NOT EXISTS" in statement and not statement.endswith(";") for statement in found)


@needs_neo4j
def test_the_schema_is_applied_once_and_a_newer_one_is_refused(neo4j_target: Neo4jTarget) -> None:
    empty_store(neo4j_target).close()
    with connect(neo4j_target) as driver:
        assert migrate(driver, None, queries("cypher")) == 0
        constraints = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
        indexes = {r["name"]: r["type"] for r in driver.execute_query("SHOW INDEXES YIELD name, type").records}
        assert {"person_id", "household_id", "agency_id", "referral_id", "assessment_id", "user_name"} <= constraints
        assert indexes["person_names"] == "FULLTEXT"
        assert {"person_dob_earliest", "referral_received_on", "referral_child"} <= indexes.keys()
        driver.execute_query("MATCH (s:FamilynetSchema) SET s.version = $v", v=schema_version() + 1)
        try:
            with pytest.raises(SchemaVersionError, match="upgrade familynet"):
                open_neo4j(neo4j_target.uri, neo4j_target.user, neo4j_target.password)
        finally:
            driver.execute_query("MATCH (s:FamilynetSchema) SET s.version = $v", v=schema_version())


def _orphan_load(store: Store) -> None:
    with store.load("orphan") as writer:
        writer.write([Agency("A1", "Children's Social Care", "social_care")])
        writer.write([Membership("NOWHERE", "NOBODY", "child", None, None, "A1")])


@needs_neo4j
def test_a_write_that_refers_to_missing_ids_rolls_the_whole_load_back(neo4j_target: Neo4jTarget) -> None:
    store = empty_store(neo4j_target)
    try:
        with pytest.raises(StoreError, match="not in the store") as raised:
            _orphan_load(store)
        assert "NOBODY" not in str(raised.value)
        assert store.stats().labels["Agency"] == 0
        with connect(neo4j_target) as driver:
            assert driver.execute_query("MATCH (l:Load) RETURN count(l)").records[0][0] == 0
    finally:
        store.close()


@needs_neo4j
def test_wrong_credentials_are_a_clean_store_error(neo4j_target: Neo4jTarget) -> None:
    if neo4j_target.password is None:
        pytest.skip("the configured server runs without authentication")
    with pytest.raises(StoreError, match="refused the user and password") as raised:
        open_neo4j(neo4j_target.uri, neo4j_target.user, "wrong-password")
    assert "wrong-password" not in str(raised.value)


@needs_neo4j
def test_loads_stamp_increasing_ids_with_their_source_and_times(neo4j_target: Neo4jTarget) -> None:
    store = empty_store(neo4j_target)
    try:
        for source in ("first", "second"):
            with store.load(source) as writer:
                writer.write([Agency("A1", "Children's Social Care", "social_care")])
    finally:
        store.close()
    with connect(neo4j_target) as driver:
        rows = driver.execute_query("MATCH (l:Load) RETURN l.load_id, l.source, l.started_at <= l.finished_at "
                                    "ORDER BY l.load_id").records  # fmt: skip
    assert [tuple(r.values()) for r in rows] == [(1, "first", True), (2, "second", True)]


@needs_neo4j
def test_the_cli_ingests_into_and_counts_a_neo4j_store(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    empty_store(neo4j_target).close()
    bundle = write_bundle(tmp_path / "b", FAMILY)
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(bundle)], env=environ(neo4j_target))
    assert ingested.exit_code == 0, ingested.output
    counted = runner.invoke(main, ["stats", "--format", "json", "--store", neo4j_target.uri],
                            env={**environ(neo4j_target), "FAMILYNET_STORE": ""})  # fmt: skip
    assert counted.exit_code == 0, counted.output
    assert '"Person": 4' in counted.output
    assert not (tmp_path / "familynet.db").exists()


@needs_neo4j
def test_a_read_through_another_store_sees_a_committed_load(neo4j_target: Neo4jTarget) -> None:
    writer_store = empty_store(neo4j_target)
    reader_store = open_neo4j(neo4j_target.uri, neo4j_target.user, neo4j_target.password)
    try:
        with writer_store.load("one") as writer:
            writer.write([Agency("A1", "Children's Social Care", "social_care")])
        assert reader_store.agencies(["A1"]) == {"A1": Agency("A1", "Children's Social Care", "social_care")}
        assert writer_store.person("NOBODY") is None
    finally:
        writer_store.close()
        reader_store.close()


@needs_neo4j
def test_familynet_migrate_applies_what_the_database_lacks(neo4j_target: Neo4jTarget) -> None:
    empty_store(neo4j_target).close()
    with connect(neo4j_target) as driver:
        driver.execute_query("MATCH (s:FamilynetSchema) SET s.version = 0")
        driver.execute_query("DROP INDEX person_dob_latest IF EXISTS")
        migrated = CliRunner().invoke(main, ["migrate"], env=environ(neo4j_target))
        assert migrated.exit_code == 0, migrated.output
        assert migrated.output == f"the Neo4j store is at schema version {schema_version()}\n"
        assert driver.execute_query("MATCH (s:FamilynetSchema) RETURN s.version").records[0][0] == schema_version()
        indexes = {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name").records}
        assert "person_dob_latest" in indexes


@needs_neo4j
def test_migration_3_marks_the_persons_of_an_older_database_not_confidential(
    neo4j_target: Neo4jTarget, tmp_path: Path
) -> None:
    store = empty_store(neo4j_target)
    try:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", FAMILY))
    finally:
        store.close()
    with connect(neo4j_target) as driver:
        # As a store of schema 2 holds them: persons without the property.
        driver.execute_query("MATCH (p:Person) REMOVE p.confidential")
        driver.execute_query("MATCH (s:FamilynetSchema) SET s.version = 2")
        driver.execute_query("MATCH (p:Person {person_id: 'P4'}) SET p.confidential = true")
        # Migrations 3 onwards.
        assert migrate(driver, None, queries("cypher")) == len([n for n, _ in migrations() if n > 2])
        marks: dict[str, bool] = dict(
            driver.execute_query("MATCH (p:Person) RETURN p.person_id, p.confidential").records
        )
        assert marks == {"P1": False, "P2": False, "P3": False, "P4": True}
        assert migrate(driver, None, queries("cypher")) == 0


class _Recording(BookmarkManager):
    """The driver's bookmark manager, noting the bookmarks each session began with and committed."""

    def __init__(self) -> None:
        self._inner = neo4j.GraphDatabase.bookmark_manager()
        self.began_with: list[frozenset[str]] = []
        self.committed: list[frozenset[str]] = []

    def update_bookmarks(self, previous_bookmarks: Collection[str], new_bookmarks: Collection[str]) -> None:
        self.committed.append(frozenset(new_bookmarks))
        self._inner.update_bookmarks(previous_bookmarks, new_bookmarks)

    def get_bookmarks(self) -> Collection[str]:
        bookmarks = frozenset(self._inner.get_bookmarks())
        self.began_with.append(bookmarks)
        return bookmarks


@needs_neo4j
def test_every_read_waits_for_the_bookmarks_of_the_stores_earlier_writes(neo4j_target: Neo4jTarget) -> None:
    # A read after a write in the same request goes through the same store (one per service
    # worker), so it sees the write even on a cluster whose replica lags: the server holds the
    # read back until it has the transactions the read's bookmarks name.
    empty_store(neo4j_target).close()
    bookmarks = _Recording()
    store = Neo4jStore(connect(neo4j_target), bookmark_manager=bookmarks)
    try:
        with store.load("one") as writer:
            writer.write([Agency("A1", "Children's Social Care", "social_care")])
            writer.write([Person("P1", "Zoe", "Smith", None, None, "female", None, None, "A1")])
            writer.write([Household("H1", None, None, None)])
            writer.write([Membership("H1", "P1", "parent", None, None, "A1")])
        loaded = bookmarks.committed[-1]
        assert loaded
        bookmarks.began_with.clear()
        assert store.agencies(["A1"]) and store.family_network("P1").number_of_nodes() == 3
        assert bookmarks.began_with and all(loaded <= began for began in bookmarks.began_with)
        store.add_user("pat", Role.PRACTITIONER, "A1", "hash-of-a-token", dt.datetime.now(dt.UTC))
        added = bookmarks.committed[-1]
        assert added and added != loaded
        bookmarks.began_with.clear()
        assert [user.name for user in store.users()] == ["pat"]
        assert bookmarks.began_with and all(added <= began for began in bookmarks.began_with)
    finally:
        store.close()
