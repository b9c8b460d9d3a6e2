"""Fixtures shared by the suite: a store on a fresh database, for every backend."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from pathlib import Path

import pytest

from familynet.model.records import FILES, Record
from familynet.stores.protocol import Store, WriteCounts
from familynet.stores.sqlite.store import open_sqlite
from neo4j_server import Neo4jTarget, empty_store, needs_neo4j, session_server

#: Opens a store on a fresh database, under a temporary directory or on the session's server.
Opener = Callable[[pytest.FixtureRequest, Path], Store]

OPENERS: dict[str, Opener] = {
    "sqlite": lambda _, directory: open_sqlite(directory / "familynet.db"),
    "neo4j": lambda request, _: empty_store(request.getfixturevalue("neo4j_target")),
}

#: The backends every ``store`` test runs on. Neo4j is skipped, visibly, where no server
#: can run (tests/neo4j_server.py), and never in CI, which requires it.
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("neo4j", id="neo4j", marks=needs_neo4j)]

#: Writes records through ``store.load(source)``, in bundle file order; returns the counts.
LoadRecords = Callable[..., WriteCounts]


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """The session's Neo4j server (tests/neo4j_server.py), started when a test first needs it."""
    with session_server(tmp_path_factory.mktemp("neo4j")) as target:
        yield target


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store on an empty database, closed after the test."""
    opened = OPENERS[request.param](request, tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def load_records(store: Store, records: Iterable[Record], source: str = "test") -> WriteCounts:
    """Write ``records`` as one load, one class at a time in the order a bundle loads."""
    order = list(FILES)
    ordered = sorted(records, key=lambda record: order.index(type(record)))
    total = WriteCounts()
    with store.load(source) as writer:
        for _, group in groupby(ordered, key=type):
            total = total + writer.write(list(group))
    return total


@pytest.fixture
def load() -> LoadRecords:
    """``load(store, records, source="test")``: write records through ``store.load``."""
    return load_records
