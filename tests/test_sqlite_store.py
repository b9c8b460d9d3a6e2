"""The stores: idempotent writes with provenance, search, family subgraphs, cohorts, stats.

Tests taking the ``store`` fixture run on every backend; the others check what only
the embedded SQLite store promises (its file, pragmas, schema versions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from familynet.analyses import recorded_households, siblings
from familynet.errors import ConfigurationError, NotFoundError, SchemaVersionError, StoreError
from familynet.model.dates import PartialDate
from familynet.model.network import agency_node, assessment_node, household_node, person_node, referral_node
from familynet.model.records import (
    Agency,
    Assessment,
    Household,
    Membership,
    Mention,
    Person,
    Record,
    Referral,
    Relationship,
)
from familynet.stores.protocol import Stats, Store, WriteCounts
from familynet.stores.queries import parse_queries, queries
from familynet.stores.sqlite.store import open_sqlite, schema_version

D = dt.date
#: The ``load`` fixture of conftest: ``load(store, records, source="test")``.
LoadRecords = Callable[..., WriteCounts]


def _person(
    ident: str, given: str, family: str, dob: str | None = None, by: str = "A1", *, confidential: bool = False
) -> Person:
    born = PartialDate.parse(dob) if dob else None
    return Person(ident, given, family, born, None, "unknown", None, None, by, confidential)


def _rel(a: str, b: str, kind: str, subtype: str, by: str = "A1", start: D | None = None) -> Relationship:
    return Relationship(a, b, kind, subtype, True if kind == "parent_of" else None, start, None, by)


def _member(person: str, household: str, role: str, by: str = "A1", start: D | None = None) -> Membership:
    return Membership(household, person, role, start, None, by)


# A blended family around child C1 (distances from C1 in brackets): mother M [1] and her
# partner S [2] live with C1 in H1 [1]; C1's half-sibling C2 [1] lives with their
# father F2 [2] in H2 [2]; S's child SC [3] is C1's step-sibling and lives in H3 [4];
# grandmother G [2], her sister GS [3] and GS's son X [4]. U, GS's partner [4], is
# mentioned in C1's referral; W, unrelated, is the subject of a referral that an
# assessment of C1 follows.
AGENCIES = [Agency("A1", "Children's Social Care", "social_care"), Agency("A2", "Police", "police"),
            Agency("A3", "Health", "health")]  # fmt: skip
PERSONS = [
    _person("C1", "Siobhán", "Nguyễn", "2015-06-01"),
    # In a refuge: her whereabouts must not be disclosed.
    _person("M", "Zoë", "Nguyễn", "1990-04", confidential=True),
    _person("F1", "Tom", "O'Brien", "1988"),
    _person("C2", "Wei", "王", "2018-01-02"),
    _person("F2", "Jun", "王", "1980"),
    _person("S", "Dan", "Smith-Jones", "1985", by="A2"),
    _person("SC", "Amy", "Smith-Jones", "2012", by="A3"),
    _person("G", "Zoe", "NGUYEN", "1965"),
    _person("GS", "Ann", "Nguyen", "1962"),
    _person("X", "Kai", "Nguyen", "1990"),
    _person("U", "Zoey", "Brown", None, by="A2"),
    _person("W", "Ola", "Nowak", "2011"),
]
HOUSEHOLDS = [Household(h, f"{h} Example Road", "E8 1AA", None) for h in ("H1", "H2", "H3")]
RELATIONSHIPS = [
    _rel("M", "C1", "parent_of", "birth"), _rel("F1", "C1", "parent_of", "birth"),
    _rel("M", "C2", "parent_of", "birth"), _rel("F2", "C2", "parent_of", "birth"),
    _rel("C1", "C2", "sibling_of", "half"), _rel("M", "S", "partner_of", "cohabiting", by="A2"),
    _rel("S", "SC", "parent_of", "birth", by="A3"), _rel("G", "M", "parent_of", "birth"),
    _rel("G", "GS", "sibling_of", "full"), _rel("GS", "X", "parent_of", "birth"),
    _rel("U", "GS", "partner_of", "dating", by="A2"),
]  # fmt: skip
MEMBERSHIPS = [
    _member("M", "H1", "parent", start=D(2015, 1, 1)), _member("M", "H1", "parent", by="A3", start=D(2016, 5, 1)),
    _member("C1", "H1", "child"), _member("S", "H1", "partner_of_parent", by="A2"),
    _member("F2", "H2", "parent"), _member("C2", "H2", "child"), _member("SC", "H3", "child", by="A3"),
]  # fmt: skip
REFERRALS = [
    Referral("R1", "referral", "C1", D(2024, 2, 29), "A2", ("3A", "16A"), "assessment", "given", "red", "G1"),
    Referral("R2", "contact", "C2", D(2024, 3, 10), "A1", ("3A",), "nfa", None, None, None),
    Referral("R3", "referral", "W", D(2023, 6, 1), None, (), None, None, None, None),
    Referral("R4", "contact", "X", D(2024, 5, 1), "A3", (), None, None, None, None),
]
MENTIONS = [Mention("R1", "S", "alleged_perpetrator"), Mention("R1", "U", "other")]
ASSESSMENTS = [
    Assessment("X1", "C1", "R1", "child_and_family", D(2024, 3, 4), D(2024, 4, 20), ("3A",), "cin"),
    Assessment("X2", "C1", "R3", "other", None, None, (), None),
]
FAMILY: list[Record] = [*AGENCIES, *PERSONS, *HOUSEHOLDS, *RELATIONSHIPS, *MEMBERSHIPS, *REFERRALS, *MENTIONS,
                        *ASSESSMENTS]  # fmt: skip


def _ids(graph: nx.MultiDiGraph, label: str) -> set[str]:
    return {data["id"] for _, data in graph.nodes(data=True) if data["label"] == label}


def _facts(graph: nx.MultiDiGraph, edge_type: str) -> set[tuple[str, str, object]]:
    return {(a, b, d.get("recorded_by")) for a, b, d in graph.edges(data=True) if d["type"] == edge_type}


def _select(db: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(sql).fetchall()
    finally:
        connection.close()
    return rows


def _provenance(db: Path, table: str) -> list[tuple[object, ...]]:
    return _select(db, f"SELECT first_load_id, load_id FROM {table} ORDER BY rowid")


# --- schema, pragmas, transactions (SQLite) ---------------------------------------------


def test_a_new_database_is_migrated_to_the_current_version(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_sqlite(db).close()
    open_sqlite(db).close()
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA user_version").fetchone() == (schema_version(),)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    finally:
        connection.close()
    assert {"loads", "agencies", "persons", "households", "household_members", "relationships", "referrals",
            "referral_concerns", "referral_mentions", "assessments", "assessment_factors"} <= tables  # fmt: skip


def test_a_version_2_database_is_migrated_and_its_persons_are_not_confidential(tmp_path: Path) -> None:
    """A database written before the confidential marker (schema 2) keeps its persons, unmarked."""
    db = tmp_path / "v2.db"
    connection = sqlite3.connect(db)
    try:
        for script in sorted((Path(__file__).parents[1] / "schema" / "sqlite").glob("00[12]_*.sql")):
            connection.executescript(script.read_text(encoding="utf-8"))
        connection.executescript(
            "PRAGMA user_version = 2;"
            "INSERT INTO loads VALUES (1, 'old', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:01+00:00');"
            "INSERT INTO agencies VALUES ('A1', 'Children''s Social Care', 'social_care', 1, 1);"
            "INSERT INTO persons (person_id, given_name, family_name, date_of_birth, sex, recorded_by,"
            " given_key, family_key, first_load_id, load_id)"
            " VALUES ('M', 'Zoë', 'Nguyễn', '1990-04', 'female', 'A1', 'zoe', 'nguyen', 1, 1);"
        )
    finally:
        connection.close()
    store = open_sqlite(db)
    try:
        old = store.person("M")
        assert old is not None and old.given_name == "Zoë" and old.confidential is False
        with store.load("marked") as writer:
            counts = writer.write([dataclasses.replace(old, confidential=True)])
        assert counts.updated == 1
        assert store.person("M").confidential  # type: ignore[union-attr]
    finally:
        store.close()
    assert _select(db, "PRAGMA user_version") == [(schema_version(),)]
    assert schema_version() >= 3
    connection = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE persons SET confidential = 2")
    finally:
        connection.close()


def test_a_database_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {schema_version() + 1}")
    connection.close()
    with pytest.raises(SchemaVersionError, match="upgrade familynet"):
        open_sqlite(db)


def test_the_store_runs_in_wal_mode_with_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    store = open_sqlite(tmp_path / "p.db")
    try:
        assert store.pragmas() == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2}
        with pytest.raises(sqlite3.IntegrityError), store.load("orphan") as writer:
            writer.write([_member("NOBODY", "NOWHERE", "child")])
    finally:
        store.close()


def _interrupted_load(store: Store) -> None:
    with store.load("broken") as writer:
        writer.write(AGENCIES)
        writer.write(PERSONS)
        raise RuntimeError("interrupted")


def test_an_exception_in_a_load_rolls_all_of_it_back(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    store = open_sqlite(db)
    try:
        with pytest.raises(RuntimeError, match="interrupted"):
            _interrupted_load(store)
        assert store.person("C1") is None
        assert store.stats().labels["Agency"] == 0
    finally:
        store.close()
    assert _select(db, "SELECT * FROM loads") == []


def test_unchanged_facts_keep_their_load_and_changed_ones_take_the_new_one(tmp_path: Path, load: LoadRecords) -> None:
    db = tmp_path / "v.db"
    store = open_sqlite(db)
    try:
        load(store, FAMILY)
        renamed = _person("S", "Dan", "Jones-Brown", "1985", by="A2")
        moved = Membership("H1", "S", "partner_of_parent", None, D(2024, 6, 1), "A2")
        counts = load(store, [AGENCIES[1], renamed, moved])
    finally:
        store.close()
    assert counts == WriteCounts(inserted=0, updated=2, unchanged=1)
    persons = dict(zip([p.person_id for p in PERSONS], _provenance(db, "persons"), strict=True))
    assert persons["S"] == (1, 2)
    assert persons["C1"] == (1, 1)
    assert _provenance(db, "agencies") == [(1, 1)] * 3
    loads = _select(db, "SELECT load_id, source, started_at < finished_at OR started_at = finished_at FROM loads")
    assert loads == [(1, "test", 1), (2, "test", 1)]


# --- writes (every backend) ---------------------------------------------------------------


def test_writing_the_same_facts_twice_changes_nothing(store: Store, load: LoadRecords) -> None:
    assert load(store, FAMILY) == WriteCounts(inserted=len(FAMILY))
    before = store.family_network("C1")
    assert load(store, FAMILY) == WriteCounts(unchanged=len(FAMILY))
    after = store.family_network("C1")
    assert sorted(after.edges(keys=True, data="load_id")) == sorted(before.edges(keys=True, data="load_id"))
    assert dict(after.nodes(data="load_id")) == dict(before.nodes(data="load_id"))
    assert store.stats() == _stats_after_one_family()


def test_a_fact_written_twice_in_one_load_into_an_empty_store_is_stored_once(store: Store) -> None:
    # The Neo4j store skips asking what it holds of a file it held nothing of, until the
    # load repeats a key of its own.
    by_file = [[r for r in FAMILY if isinstance(r, cls)] for cls in (Agency, Person, Household)]
    with store.load("twice") as writer:
        for records in by_file:
            assert writer.write(records) == WriteCounts(inserted=len(records))
            assert writer.write(records[:1]) == WriteCounts(unchanged=1)
        ended = dataclasses.replace(MEMBERSHIPS[0], end_date=D(2024, 1, 1))
        assert writer.write([MEMBERSHIPS[0]]) == WriteCounts(inserted=1)
        assert writer.write([ended, *MEMBERSHIPS[1:2]]) == WriteCounts(inserted=1, updated=1)
    assert store.stats().relationships["MEMBER_OF"] == 2


def test_facts_with_unknown_start_dates_are_not_duplicated(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    counts = load(store, [_member("C1", "H1", "child"), _rel("C1", "C2", "sibling_of", "half")])
    assert counts == WriteCounts(unchanged=2)
    assert store.stats().relationships["MEMBER_OF"] == len(MEMBERSHIPS)


def test_a_later_load_updates_a_fact_and_stamps_its_load(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    first = store.family_network("C1")
    ended = Membership("H1", "S", "partner_of_parent", None, D(2024, 6, 1), "A2")
    changed = Referral("R1", "referral", "C1", D(2024, 2, 29), "A2", ("3A",), "assessment", "given", "red", "G1")
    assert load(store, [ended, changed]) == WriteCounts(updated=2)
    graph = store.family_network("C1")
    (edge,) = graph[person_node("S")][household_node("H1")].values()
    (old,) = first[person_node("S")][household_node("H1")].values()
    assert edge["end_date"] == D(2024, 6, 1)
    assert edge["load_id"] != old["load_id"]
    assert graph.nodes[referral_node("R1")]["concerns"] == ("3A",)
    assert store.stats().relationships["RAISES"] == 3
    (kept,) = graph[person_node("C1")][household_node("H1")].values()
    (was,) = first[person_node("C1")][household_node("H1")].values()
    assert kept["load_id"] == was["load_id"]


def test_known_ids_and_person_facts_answer_from_the_store(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    with store.load("lookup") as writer:
        assert writer.known_ids("persons", ["C1", "NOBODY", "W"]) == {"C1", "W"}
        assert writer.known_ids("referrals", ["R4", "R9"]) == {"R4"}
        assert writer.known_ids("households", []) == set()
        facts = writer.person_facts(["M", "NOBODY"])
        assert writer.known_ids("assessments", ["X1", "X9"]) == {"X1"}
        with pytest.raises(StoreError):
            writer.known_ids("relationships", ["C1"])
    assert set(facts) == {"M"}
    assert facts["M"].date_of_birth == PartialDate(1990, 4)
    assert facts["M"].sex == "unknown"


def test_a_write_takes_records_of_one_class(store: Store) -> None:
    with pytest.raises(StoreError), store.load("mixed") as writer:
        writer.write([AGENCIES[0], PERSONS[0]])


# --- persons and search ---------------------------------------------------------------------


def test_names_round_trip_exactly(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    assert store.person("C1") == PERSONS[0]
    assert store.person("M") == PERSONS[1]
    c2 = store.person("C2")
    assert c2 is not None
    assert (c2.given_name, c2.family_name) == ("Wei", "王")
    assert store.person("NOBODY") is None


def test_search_ignores_accents_and_case_and_ranks_exact_tokens_first(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    zoe = store.search_persons("zoe")
    assert [m.person.person_id for m in zoe] == ["G", "M", "U"]
    assert [m.score for m in zoe] == [0.5, 0.5, 0.25]
    both = store.search_persons("ZOË  nguyễn")
    assert [(m.person.person_id, m.score) for m in both[:2]] == [("G", 1.0), ("M", 1.0)]
    assert all(0.0 <= m.score <= 1.0 for m in both)
    assert [m.person.person_id for m in store.search_persons("王")] == ["C2", "F2"]
    assert store.search_persons("   ") == []
    assert len(store.search_persons("nguyen", limit=2)) == 2


def test_search_by_date_of_birth_matches_compatible_partial_dates(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    # Kai Nguyen, born in 1990 too, matches one token of two: after Zoë Nguyễn.
    assert [m.person.person_id for m in store.search_persons("zoe nguyen", PartialDate(1990))] == ["M", "X"]
    assert [m.person.person_id for m in store.search_persons("zoe", PartialDate(1990, 4, 17))] == ["M"]
    assert [m.person.person_id for m in store.search_persons("zoe", PartialDate(1965, 2))] == ["G"]
    assert store.search_persons("zoe", PartialDate(1991)) == []


def test_search_finds_every_token_of_a_name_and_follows_a_change(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    assert {m.person.person_id for m in store.search_persons("jones")} == {"S", "SC"}
    load(store, [_person("S", "Dan", "Jones-Brown", "1985", by="A2")])
    assert {m.person.person_id for m in store.search_persons("smith")} == {"SC"}
    assert {m.person.person_id for m in store.search_persons("brown")} == {"S", "U"}


# --- family networks ------------------------------------------------------------------------


def test_family_network_spans_three_hops_of_facts_from_any_agency(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    graph = store.family_network("C1")
    assert _ids(graph, "Person") == {"C1", "M", "F1", "C2", "F2", "S", "SC", "G", "GS", "U", "W"}
    assert _ids(graph, "Household") == {"H1", "H2", "H3"}
    assert _ids(graph, "Agency") == {"A1", "A2", "A3"}
    assert _ids(graph, "Referral") == {"R1", "R2", "R3"}
    assert _ids(graph, "Assessment") == {"X1", "X2"}
    assert (person_node("S"), person_node("SC"), "A3") in _facts(graph, "PARENT_OF")
    assert (person_node("GS"), person_node("X"), "A1") not in _facts(graph, "PARENT_OF")
    assert _facts(graph, "PARTNER_OF") == {(person_node("M"), person_node("S"), "A2"),
                                           (person_node("U"), person_node("GS"), "A2")}  # fmt: skip
    assert {(a, r) for a, _, r in _facts(graph, "MEMBER_OF") if a == person_node("M")} == {
        (person_node("M"), "A1"), (person_node("M"), "A3")}  # fmt: skip
    # SC, three hops away, comes with her own household H3 (see the test below).
    assert (person_node("SC"), household_node("H3"), "A3") in _facts(graph, "MEMBER_OF")
    assert _facts(graph, "MENTIONS") == {(referral_node("R1"), person_node("S"), "A2"),
                                         (referral_node("R1"), person_node("U"), "A2")}  # fmt: skip
    assert graph.has_edge(referral_node("R1"), agency_node("A2"), key="FROM")
    assert graph.has_edge(assessment_node("X2"), referral_node("R3"), key="FOLLOWS")
    assert graph.has_edge(referral_node("R3"), person_node("W"), key="ABOUT")
    assert graph.nodes[person_node("M")]["date_of_birth"] == PartialDate(1990, 4)
    assert all("label" in data for _, data in graph.nodes(data=True))


def test_fewer_hops_reach_less_but_keep_facts_between_the_farthest(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    two = store.family_network("C1", hops=2)
    assert person_node("SC") not in two
    assert person_node("GS") not in two
    one = store.family_network("C1", hops=1)
    assert _ids(one, "Person") - {"S", "U", "W"} == {"C1", "M", "F1", "C2"}
    # M and C2 are both one hop from C1; the fact between them is in the network.
    assert one.has_edge(person_node("M"), person_node("C2"))
    assert one.has_edge(person_node("M"), household_node("H1"))
    # C2's household comes with C2, but not its other member F2, two hops away.
    assert one.has_edge(person_node("C2"), household_node("H2"))
    assert person_node("F2") not in one
    assert list(one.predecessors(household_node("H2"))) == [person_node("C2")]


@pytest.mark.parametrize("hops", [0, 1, 2, 3])
def test_every_person_in_a_network_comes_with_all_their_memberships(store: Store, load: LoadRecords, hops: int) -> None:
    load(store, FAMILY)
    graph = store.family_network("C1", hops=hops)
    in_graph = {m for m in MEMBERSHIPS if person_node(m.person_id) in graph}
    expected = {(person_node(m.person_id), household_node(m.household_id), m.recorded_by) for m in in_graph}
    assert _facts(graph, "MEMBER_OF") == expected
    assert _ids(graph, "Household") == {m.household_id for m in in_graph}


# A family reached at the edge of a network: C1's step-sister T (M's partner S is T's father),
# undated, a child only by her role in H4; B, born a month before the day, has no household of
# his own yet and lives where his mother N, S's ex-partner, does.
EDGE = [
    _person("T", "Tia", "Smith-Jones", None), dataclasses.replace(_person("N", "Nia", "Wood", "1995"), sex="female"),
    _person("B", "Ben", "Wood", "2024-05-01"), Household("H4", "4 Example Road", "E8 1AA", None),
    _rel("S", "T", "parent_of", "birth"), _rel("N", "B", "parent_of", "birth"),
    _rel("S", "B", "parent_of", "birth"), _member("T", "H4", "child"), _member("N", "H4", "parent"),
]  # fmt: skip


def test_rules_that_read_households_see_them_at_the_edge_of_a_network(store: Store, load: LoadRecords) -> None:
    load(store, [*FAMILY, *EDGE])
    day = D(2024, 6, 1)
    # T is three hops from C1 (C1 - M - S - T): a child only through her own membership.
    step = {s.person_id: (s.basis, s.relation) for s in siblings(store.family_network("C1"), "C1", day)}
    assert step["T"] == ("derived", "step")
    # N is one hop from B: B's recorded households are his mother's.
    assert recorded_households(store.family_network("B", hops=1), "B", day) == {"H4"}


def test_family_network_of_an_unknown_person_is_not_found(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    with pytest.raises(NotFoundError) as raised:
        store.family_network("NOBODY")
    assert "Nguy" not in str(raised.value)


# --- cohorts and stats ----------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 2, 7, 500])
def test_cohort_batches_cover_each_subject_once_with_its_network(
    store: Store, load: LoadRecords, batch_size: int
) -> None:
    load(store, FAMILY)
    batches = list(store.cohort(D(2024, 1, 1), D(2024, 12, 31), batch_size=batch_size))
    subjects = [child for batch in batches for child in batch.child_ids]
    assert subjects == ["C1", "C2", "X"]
    assert all(len(batch.child_ids) <= batch_size for batch in batches)
    for batch in batches:
        for child in batch.child_ids:
            network = store.family_network(child)
            assert set(network.nodes) <= set(batch.graph.nodes)
            assert set(network.edges(keys=True)) <= set(batch.graph.edges(keys=True))


def test_a_cohort_is_streamed_and_may_be_empty(store: Store, load: LoadRecords) -> None:
    load(store, FAMILY)
    batches = store.cohort(D(2023, 6, 1), D(2023, 6, 1), batch_size=1)
    first = next(batches)
    assert first.child_ids == ("W",)
    assert next(batches, None) is None
    assert list(store.cohort(D(2020, 1, 1), D(2020, 12, 31))) == []
    with pytest.raises(StoreError):
        next(store.cohort(D(2024, 1, 1), D(2024, 12, 31), batch_size=0))


def _stats_after_one_family() -> Stats:
    return Stats(
        labels={"Person": 12, "Household": 3, "Agency": 3, "Referral": 4, "Assessment": 2, "Check": 0, "Plan": 0,
                "Concern": 2},
        relationships={"PARENT_OF": 7, "PARTNER_OF": 2, "SIBLING_OF": 2, "MEMBER_OF": 7, "ABOUT": 4,
                       "MENTIONS": 2, "FROM": 3, "RAISES": 4, "OF": 2, "FOLLOWS": 2, "FOR": 0, "TO": 0,
                       "CONSIDERED": 0},
    )  # fmt: skip


def test_stats_count_labels_and_relationship_types(store: Store, load: LoadRecords) -> None:
    assert set(store.stats().labels.values()) == {0}
    load(store, FAMILY)
    assert store.stats() == _stats_after_one_family()


# --- named queries --------------------------------------------------------------------------


def test_named_queries_are_split_and_names_are_unique() -> None:
    assert parse_queries("SELECT 1;\n", "whole") == {"whole": "SELECT 1;"}
    assert parse_queries("// name: a\nMATCH (n) RETURN n\n", "f") == {"a": "MATCH (n) RETURN n"}
    with pytest.raises(ConfigurationError, match="defined twice"):
        parse_queries("-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n", "f")
    assert {"insert_persons", "update_persons", "relationships_touching"} <= set(queries("sqlite"))
