"""The front door's facts in both stores (issue 14): loaded, extracted, reloaded, copied;
not supplied is not the same as empty; all or nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from bundles import FAMILY, FRONT_DOOR, REREFERRED, Rows, changed, write_bundle
from familynet.analyses.checks import checks_messages, multi_agency_checks
from familynet.analyses.coverage import coverage_messages, sibling_coverage
from familynet.analyses.rereferrals import repeat_messages, repeat_referrals
from familynet.bundle.ingest import ingest_bundle
from familynet.errors import BundleError
from familynet.model.network import check_node, person_node, plan_node, referral_node
from familynet.stores.neo4j.schema import migrate, migrations
from familynet.stores.protocol import Store
from familynet.stores.queries import queries
from familynet.stores.sqlite.store import open_sqlite
from familynet.stores.transfer import copy_store
from neo4j_server import Neo4jTarget, connect, empty_store, needs_neo4j

TODAY = dt.date(2025, 6, 30)
OPTIONAL = {"received_at", "decided_at", "feedback_sent_on", "threshold_stated"}
#: The optional files of facts about referrals, all in FRONT_DOOR.
FILES = {"checks", "considerations", "plans"}


def _load(store: Store, directory: Path, files: dict[str, Rows]) -> None:
    report = ingest_bundle(store, write_bundle(directory, files), today=TODAY)
    assert report.committed and not report.problems, report.problems


def _graph(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    nodes = sorted((key, sorted(data.items())) for key, data in graph.nodes(data=True))
    edges = sorted((a, b, key, sorted(data.items())) for a, b, key, data in graph.edges(keys=True, data=True))
    return nodes, edges


def _without_optional_columns(files: dict[str, Rows]) -> dict[str, Rows]:
    return {**files, "referrals": [{k: v for k, v in row.items() if k not in OPTIONAL} for row in files["referrals"]]}


def test_the_front_door_facts_load_and_come_back_in_the_family_network(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b", FRONT_DOOR)
    graph = store.family_network("P2")
    referral = graph.nodes[referral_node("R1")]
    assert referral["received_at"] == dt.datetime(2024, 2, 29, 9, 15, tzinfo=dt.UTC)
    assert referral["decided_at"] - referral["received_at"] == dt.timedelta(minutes=105)
    assert (referral["feedback_sent_on"], referral["threshold_stated"]) == (dt.date(2024, 3, 4), "child_protection")
    assert referral["supplied"] == OPTIONAL | FILES
    answered, unanswered = graph.nodes[check_node("K1")], graph.nodes[check_node("K2")]
    assert answered["responded_at"] - answered["requested_at"] == dt.timedelta(hours=1)
    assert (answered["response"], answered["agency_id"], answered["recorded_by"]) == ("information_shared", "A2", "A1")
    assert (unanswered["responded_at"], unanswered["response"], unanswered["recorded_by"]) == (None, None, None)
    assert graph.nodes["Agency:A3"]["kind"] == "health"
    assert {d["type"] for _, _, d in graph.out_edges(check_node("K2"), data=True)} == {"FOR", "TO"}
    plan = graph.nodes[plan_node("PL1")]
    assert (plan["kind"], plan["start_date"], plan["end_date"]) == ("child_in_need", dt.date(2023, 1, 10),
                                                                   dt.date(2023, 8, 1))  # fmt: skip
    assert graph.edges[plan_node("PL1"), person_node("P2"), "OF"]["recorded_by"] == "A1"
    considered = graph.edges[referral_node("R1"), person_node("P3"), "CONSIDERED"]
    assert (considered["considered_on"], considered["outcome"]) == (dt.date(2024, 2, 29), "nfa")
    stats = store.stats()
    assert (stats.labels["Check"], stats.labels["Plan"]) == (2, 1)
    assert (stats.relationships["FOR"], stats.relationships["TO"], stats.relationships["CONSIDERED"]) == (2, 2, 1)
    assert stats.relationships["OF"] == 2


def test_a_cohort_batch_holds_the_plans_checks_and_considerations(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b", FRONT_DOOR)
    (batch,) = store.cohort(dt.date(2024, 1, 1), dt.date(2024, 12, 31), mentions=False)
    assert {check_node("K1"), check_node("K2"), plan_node("PL1")} <= set(batch.graph)
    assert batch.graph.has_edge(referral_node("R1"), person_node("P3"), "CONSIDERED")


def test_a_load_without_the_optional_columns_keeps_what_was_supplied(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b1", FRONT_DOOR)
    before = store.referrals(["R1"])["R1"]
    # A later extract that never records the front door's times, with another outcome.
    later = changed(_without_optional_columns(FRONT_DOOR), "referrals", 0, outcome="section_47")
    _load(store, tmp_path / "b2", later)
    after = store.referrals(["R1"])["R1"]
    assert after.outcome == "section_47"
    assert (after.received_at, after.decided_at, after.feedback_sent_on, after.threshold_stated) == (
        before.received_at, before.decided_at, before.feedback_sent_on, before.threshold_stated)  # fmt: skip
    assert after.supplied == OPTIONAL | FILES
    assert store.family_network("P2").nodes[referral_node("R1")]["supplied"] == OPTIONAL | FILES


def test_a_load_without_the_checks_file_has_them_not_supplied_until_one_with_it(store: Store, tmp_path: Path) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)

    def audited() -> dict[str, Any]:
        result = multi_agency_checks(store.cohort(start, end, mentions=False), start, end, home_agency="A1")
        return {"summary": result.summary, "messages": checks_messages(result), "rows": result.rows}

    without = {name: rows for name, rows in FRONT_DOOR.items() if name != "checks"}
    _load(store, tmp_path / "b1", without)
    assert store.referrals(["R1"])["R1"].supplied == OPTIONAL | {"considerations", "plans"}
    first = audited()
    items = first["summary"]["items"]
    assert items and first["summary"]["not_supplied"] == {"checks": items}
    # Not supplied, not "no check made": counted out of both shares, and said.
    assert first["summary"]["items_with_timely_check"] == {"n": 0, "of": 0, "percent": None}
    assert first["summary"]["items_with_unasked_agency"]["of"] == 0
    assert all(not r.checks_supplied and not r.unasked for r in first["rows"])
    assert f"MASH checks not supplied for {items} of {items} items: they are not counted above." in first["messages"]
    # A later load with the file fills it in; one after it without the file keeps it.
    _load(store, tmp_path / "b2", FRONT_DOOR)
    _load(store, tmp_path / "b3", without)
    assert store.referrals(["R1"])["R1"].supplied == OPTIONAL | FILES
    assert store.family_network("P2").nodes[referral_node("R1")]["supplied"] == OPTIONAL | FILES
    later = audited()
    assert later["summary"]["not_supplied"] == {"checks": 0}
    assert later["summary"]["items_with_timely_check"]["of"] == items
    assert later["summary"]["checks"] == 2 and not any("not supplied" in m for m in later["messages"])


def test_a_load_without_considerations_and_plans_reports_them_not_supplied_until_one_with_them(
    store: Store, tmp_path: Path
) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    # P2 re-referred on 2024-06-01: audit 2's previous plan (PL1) is read for it; P3 is P2's sibling.
    rereferred = {**FRONT_DOOR, "referrals": [*FRONT_DOOR["referrals"], REREFERRED["referrals"][1]]}
    without = {name: rows for name, rows in rereferred.items() if name not in ("considerations", "plans")}

    def audited() -> tuple[dict[str, Any], tuple[str, ...], dict[str, Any], tuple[str, ...], Any]:
        coverage = sibling_coverage(store.cohort(start, end, mentions=False), start, end)
        repeat = repeat_referrals(store.cohort(start, end, mentions=False), start, end)
        [row] = coverage.rows
        return coverage.summary, coverage_messages(coverage), repeat.summary, repeat_messages(repeat), row

    _load(store, tmp_path / "b1", without)
    assert store.referrals(["R2"])["R2"].supplied == OPTIONAL | {"checks"}
    summary, messages, repeat, said, row = audited()
    # Not supplied, not "not considered" and "no plan": out of the gap and the share, and said.
    assert [(s.person_id, s.covered, s.considered) for s in row.siblings] == [("P3", False, None)]
    assert (summary["siblings_neither_covered_nor_considered"], summary["considerations_not_supplied"]) == (0, 1)
    assert (
        "Considerations not supplied for 1 of 1 siblings: they are not counted as neither assessed nor "
        "considered." in messages
    )
    assert (repeat["with_previous_plan"], repeat["not_supplied"]) == ({"n": 0, "of": 0, "percent": None}, {"plans": 1})
    assert "Plans not supplied for 1 of 1 re-referrals: they are not counted in the share with a previous plan." in said
    # A later load with the files fills them in.
    _load(store, tmp_path / "b2", rereferred)
    summary, messages, repeat, said, row = audited()
    assert [(s.person_id, s.covered, s.considered) for s in row.siblings] == [("P3", False, True)]
    assert (summary["siblings_neither_covered_nor_considered"], summary["considerations_not_supplied"]) == (0, 0)
    assert (repeat["with_previous_plan"], repeat["not_supplied"]) == ({"n": 1, "of": 1, "percent": 100.0}, {"plans": 0})
    assert not any("not supplied" in m for m in (*messages, *said))


def test_a_new_received_on_must_agree_with_the_received_at_kept(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b1", FRONT_DOOR)
    moved = changed(_without_optional_columns(FRONT_DOOR), "referrals", 0, received_on="2024-02-28")
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b2", moved), today=TODAY)
    ((problem),) = raised.value.problems
    assert (problem.file, problem.column) == ("referrals.csv", "received_on")
    assert "stored received_at" in problem.reason


def test_an_empty_cell_in_a_supplied_column_is_recorded_as_unknown(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b1", FRONT_DOOR)
    emptied = changed(FRONT_DOOR, "referrals", 0, feedback_sent_on="", threshold_stated="")
    _load(store, tmp_path / "b2", emptied)
    node = store.family_network("P2").nodes[referral_node("R1")]
    assert (node["feedback_sent_on"], node["threshold_stated"]) == (None, None)
    assert node["supplied"] == OPTIONAL | FILES


def test_a_later_load_that_supplies_a_column_fills_it_in(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b1", _without_optional_columns(FRONT_DOOR))
    node = store.family_network("P2").nodes[referral_node("R1")]
    assert node["supplied"] == FILES
    assert node["received_at"] is None
    only_feedback = {**FAMILY, "referrals": [{**FAMILY["referrals"][0], "feedback_sent_on": "2024-03-01"}]}
    _load(store, tmp_path / "b2", only_feedback)
    node = store.family_network("P2").nodes[referral_node("R1")]
    assert node["supplied"] == {"feedback_sent_on"} | FILES
    assert (node["feedback_sent_on"], node["received_at"]) == (dt.date(2024, 3, 1), None)
    _load(store, tmp_path / "b3", _without_optional_columns(FAMILY))
    assert store.family_network("P2").nodes[referral_node("R1")]["supplied"] == {"feedback_sent_on"} | FILES


def test_loading_the_front_door_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", FRONT_DOOR)
    ingest_bundle(store, bundle, today=TODAY)
    before = store.family_network("P2")
    again = ingest_bundle(store, bundle, today=TODAY)
    for name in ("referrals", "checks", "plans", "considerations"):
        written = again.files[name].written
        assert (written.inserted, written.updated, written.unchanged) == (0, 0, len(FRONT_DOOR[name])), name
    after = store.family_network("P2")
    assert sorted(before.nodes(data="load_id")) == sorted(after.nodes(data="load_id"))
    assert sorted(before.edges(keys=True, data="load_id")) == sorted(after.edges(keys=True, data="load_id"))


@pytest.mark.parametrize(
    ("file", "changes", "column", "reason"),
    [
        ("checks", {"agency_id": "A9"}, "agency_id", "neither the bundle nor the store"),
        ("checks", {"referral_id": "R9"}, "referral_id", "neither the bundle nor the store"),
        ("plans", {"child_id": "P9"}, "child_id", "neither the bundle nor the store"),
        ("considerations", {"considered_on": "2024-02-28"}, "considered_on", "before the referral's received_on"),
        ("considerations", {"person_id": "P9"}, "person_id", "neither the bundle nor the store"),
    ],
)
def test_a_bad_front_door_row_loads_nothing(
    store: Store, tmp_path: Path, file: str, changes: dict[str, str], column: str, reason: str
) -> None:
    _load(store, tmp_path / "b1", FAMILY)
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b2", changed(FRONT_DOOR, file, 0, **changes)), today=TODAY)
    ((problem),) = raised.value.problems
    assert (problem.file, problem.line, problem.column) == (f"{file}.csv", 2, column)
    assert reason in problem.reason
    stats = store.stats()
    assert (stats.labels["Check"], stats.labels["Plan"], stats.relationships["CONSIDERED"]) == (0, 0, 0)
    assert stats.labels["Agency"] == 2
    assert store.referrals(["R1"])["R1"].supplied == frozenset()


def test_a_consideration_is_checked_against_a_referral_already_stored(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b1", FAMILY)
    required = {"agencies": FAMILY["agencies"], "persons": FAMILY["persons"]}
    early = {**required, "considerations": [{**FRONT_DOOR["considerations"][0], "considered_on": "2024-02-28"}]}
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b2", early), today=TODAY)
    assert "before the referral's received_on" in raised.value.problems[0].reason
    _load(store, tmp_path / "b3", {**required, "considerations": FRONT_DOOR["considerations"]})


def test_a_duplicate_consideration_is_refused(store: Store, tmp_path: Path) -> None:
    twice = {**FRONT_DOOR, "considerations": FRONT_DOOR["considerations"] * 2}
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b", twice), today=TODAY)
    ((problem),) = raised.value.problems
    assert (problem.file, problem.line, problem.reason) == ("considerations.csv", 3, "duplicate of line 2")


def test_a_copy_carries_the_front_door_facts(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "b", FRONT_DOOR)
    target = open_sqlite(tmp_path / "copy.db")
    try:
        tallies = copy_store(store, target)
        assert (tallies["checks"].count, tallies["plans"].count, tallies["considerations"].count) == (2, 1, 1)
        assert target.referrals(["R1"]) == store.referrals(["R1"])
        # The copy is the target's first load, as the bundle was the source's: the same graph.
        assert _graph(target.family_network("P2")) == _graph(store.family_network("P2"))
    finally:
        target.close()


def test_a_version_3_database_migrates_with_its_referrals_not_supplied(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    connection = sqlite3.connect(db)
    try:
        for script in sorted((Path(__file__).parents[1] / "schema" / "sqlite").glob("00[123]_*.sql")):
            connection.executescript(script.read_text(encoding="utf-8"))
        connection.executescript(
            "PRAGMA user_version = 3;"
            "INSERT INTO loads VALUES (1, 'old', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:01+00:00');"
            "INSERT INTO agencies VALUES ('A1', 'Children''s Social Care', 'social_care', 1, 1);"
            "INSERT INTO persons (person_id, sex, given_key, family_key, first_load_id, load_id)"
            " VALUES ('C', 'female', '', '', 1, 1);"
            "INSERT INTO referrals (referral_id, kind, child_id, received_on, recorded_by, concerns,"
            " first_load_id, load_id) VALUES ('R1', 'contact', 'C', '2024-01-02', 'A1', '', 1, 1);"
        )
    finally:
        connection.close()
    store = open_sqlite(db)
    try:
        referral = store.referrals(["R1"])["R1"]
        assert (referral.supplied, referral.received_at, referral.threshold_stated) == (frozenset(), None, None)
        node = store.family_network("C").nodes[referral_node("R1")]
        assert node["supplied"] == frozenset()
        assert store.stats().labels["Check"] == 0
    finally:
        store.close()


@needs_neo4j
def test_a_neo4j_store_of_schema_4_migrates_with_its_referrals_not_supplied(
    neo4j_target: Neo4jTarget, tmp_path: Path
) -> None:
    store = empty_store(neo4j_target)
    try:
        _load(store, tmp_path / "b", _without_optional_columns(FAMILY))
        with connect(neo4j_target) as driver:
            # As a store of schema 4 holds them: referrals without the property, no constraints.
            driver.execute_query("MATCH (r:Referral) REMOVE r.supplied")
            driver.execute_query("DROP CONSTRAINT check_id IF EXISTS")
            driver.execute_query("MATCH (s:FamilynetSchema) SET s.version = 4")
            # Every migration after 4 runs: the front door's (5) and any later.
            assert migrate(driver, None, queries("cypher")) == len([n for n, _ in migrations() if n > 4])
        node = store.family_network("P2").nodes[referral_node("R1")]
        assert (node["supplied"], node["received_at"]) == (frozenset(), None)
        _load(store, tmp_path / "b2", FRONT_DOOR)
        assert store.family_network("P2").nodes[referral_node("R1")]["supplied"] == OPTIONAL | FILES
    finally:
        store.close()
