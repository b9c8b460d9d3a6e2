"""Differential: one generated bundle in both stores gives the same graphs, searches and audits.

The ``store`` fixture runs each case on each store alone; this loads the same synthetic
local authority into SQLite and Neo4j side by side and compares what auditors and
practitioners read: every audit's JSON, every referred child's household context and
family network, and searches.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from familynet import analyses
from familynet.bundle.ingest import ingest_bundle
from familynet.settings import Settings
from familynet.stores.backends import configured_store
from familynet.stores.neo4j.store import Neo4jStore
from familynet.stores.sqlite.store import SQLiteStore, open_sqlite
from familynet.synthetic import write_demo_bundle
from neo4j_server import Neo4jTarget, empty_store, needs_neo4j

pytestmark = needs_neo4j

TODAY = dt.date(2025, 6, 30)
START, END = dt.date(2024, 7, 1), dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("agree")


@pytest.fixture(scope="module")
def stores(neo4j_target: Neo4jTarget, directory: Path) -> Iterator[tuple[SQLiteStore, Neo4jStore]]:
    bundle = directory / "bundle"
    write_demo_bundle(bundle, 100, 7, today=TODAY)
    sqlite, neo4j = open_sqlite(directory / "familynet.db"), empty_store(neo4j_target)
    try:
        for store in (sqlite, neo4j):
            report = ingest_bundle(store, bundle, today=TODAY)
            assert report.committed and not report.problems
        yield sqlite, neo4j
    finally:
        sqlite.close()
        neo4j.close()


def _json(result: object) -> str:
    return json.dumps(analyses.serialise(result), sort_keys=True, default=str)


def _graph(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    nodes = sorted((key, sorted(data.items())) for key, data in graph.nodes(data=True))
    edges = sorted((a, b, key, sorted(data.items())) for a, b, key, data in graph.edges(keys=True, data=True))
    return nodes, edges


def test_the_stores_hold_the_same_counts(stores: tuple[SQLiteStore, Neo4jStore]) -> None:
    sqlite, neo4j = stores
    assert neo4j.stats() == sqlite.stats()


@pytest.mark.parametrize("batch_size", [1, 50, 500])
def test_every_audit_gives_the_same_json(stores: tuple[SQLiteStore, Neo4jStore], batch_size: int) -> None:
    audits: dict[str, Callable[..., object]] = {
        "sibling_coverage": analyses.sibling_coverage,
        "repeat_referrals": analyses.repeat_referrals,
        "escalations": analyses.escalations,
        "missing_members": analyses.missing_members,
        # Every other declared audit (the front door's, issue 14), and all of them over one reading.
        **{a.name: a for a in analyses.AUDITS if a.name not in {"siblings", "repeat-referrals", "escalations",
                                                                "missing-members"}},
        "all": analyses.all_audits,
    }  # fmt: skip
    for name, audit in audits.items():
        results = [_json(audit(store.cohort(START, END, batch_size=batch_size), START, END)) for store in stores]
        assert results[0] == results[1], name
        assert '"findings": []' not in results[0] or name == "escalations", f"{name} found nothing to compare"


def test_audit_all_shared_out_among_processes_gives_the_same_json(
    stores: tuple[SQLiteStore, Neo4jStore],
    neo4j_target: Neo4jTarget,
    directory: Path,
) -> None:
    sqlite, _ = stores
    # Each worker process opens the store as the command does, from the settings it inherits.
    neo4j = {"FAMILYNET_STORE": neo4j_target.uri, "FAMILYNET_NEO4J_USER": neo4j_target.user}
    if neo4j_target.password is not None:
        neo4j["FAMILYNET_NEO4J_PASSWORD"] = neo4j_target.password
    openers = (
        functools.partial(configured_store, Settings.resolve(directory / "familynet.db", {})),
        functools.partial(configured_store, Settings.resolve(environ=neo4j)),
    )
    expected = _json(analyses.all_audits(sqlite.cohort(START, END, mentions=analyses.ALL_MENTIONS), START, END))
    for opener in openers:
        for workers, batch_size in ((1, 500), (2, 7), (3, 5)):
            found = analyses.all_audits_in_workers(opener, START, END, workers=workers, batch_size=batch_size)
            assert _json(found) == expected, (opener, workers)


def test_every_referred_child_has_the_same_network_and_household_context(
    stores: tuple[SQLiteStore, Neo4jStore],
) -> None:
    sqlite, neo4j = stores
    children = [child for batch in sqlite.cohort(START, END) for child in batch.child_ids]
    assert len(children) > 20
    compared: set[str] = set()
    for child in children:
        graphs = [store.family_network(child) for store in stores]
        assert _graph(graphs[0]) == _graph(graphs[1]), child
        compared |= {data["label"] for _, data in graphs[0].nodes(data=True)}
        compared |= {data["type"] for _, _, data in graphs[0].edges(data=True)}
        contexts = [_json(analyses.household_context(graph, child, END)) for graph in graphs]
        assert contexts[0] == contexts[1], child
    # The front door's facts (issue 14) were among those compared.
    assert {"Check", "Plan", "FOR", "TO", "CONSIDERED"} <= compared
    assert [b.child_ids for b in neo4j.cohort(START, END, batch_size=7)] == [
        b.child_ids for b in sqlite.cohort(START, END, batch_size=7)
    ]


def test_searches_rank_alike(stores: tuple[SQLiteStore, Neo4jStore]) -> None:
    sqlite, _ = stores
    persons = [data for batch in sqlite.cohort(START, END) for _, data in batch.graph.nodes(data=True)
               if data["label"] == "Person"]  # fmt: skip
    names = sorted({p["family_name"] for p in persons if p["family_name"]})[:15]
    given = sorted({p["given_name"][:2] for p in persons if p["given_name"]})[:10]
    assert names and given
    for query in [*names, *given, *(f"{g} {n}" for g, n in zip(given, names, strict=False))]:
        hits = [[(m.person.person_id, m.score) for m in store.search_persons(query, limit=500)] for store in stores]
        assert hits[0] == hits[1], query
