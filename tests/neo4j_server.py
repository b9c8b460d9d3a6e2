"""The Neo4j server of a test session.

``FAMILYNET_TEST_NEO4J_URI`` (with ``FAMILYNET_NEO4J_USER`` and ``FAMILYNET_NEO4J_PASSWORD``)
names a running server, such as a ``neo4j:5`` container; without it the session starts one
with :mod:`familynet.stores.neo4j.launcher` when java and mvn are on the PATH, with a random password
so that every test also authenticates. ``FAMILYNET_TEST_NEO4J=required`` (set by
``scripts/test``, so by CI) makes a missing server an error instead of a skip.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest

from familynet.stores.neo4j import launcher as neo4j_launcher
from familynet.stores.neo4j.store import Neo4jStore, open_neo4j

URI_VARIABLE = "FAMILYNET_TEST_NEO4J_URI"
REQUIRED_VARIABLE = "FAMILYNET_TEST_NEO4J"


@dataclass(frozen=True)
class Neo4jTarget:
    """Where the tests' Neo4j listens and how to log in."""

    uri: str
    user: str
    password: str | None


def required() -> bool:
    """Whether this run must test on Neo4j (CI) rather than skip it."""
    return os.environ.get(REQUIRED_VARIABLE, "") == "required"


def reachable() -> bool:
    """Whether this session can have a Neo4j server."""
    return bool(os.environ.get(URI_VARIABLE)) or neo4j_launcher.available()


@contextmanager
def session_server(home: Path) -> Iterator[Neo4jTarget]:
    """The configured server, or one started under ``home`` and stopped at the end."""
    uri = os.environ.get(URI_VARIABLE)
    if uri:
        yield Neo4jTarget(uri, os.environ.get("FAMILYNET_NEO4J_USER", "neo4j"),
                          os.environ.get("FAMILYNET_NEO4J_PASSWORD"))  # fmt: skip
        return
    password = secrets.token_urlsafe(16)
    server = neo4j_launcher.start(home, password=password, heap="1g", pagecache="256m")
    try:
        yield Neo4jTarget(server.uri, "neo4j", password)
    finally:
        server.stop()


#: Marks a test that needs Neo4j: skipped, visibly, where no server can run, unless required.
needs_neo4j = pytest.mark.skipif(
    not reachable() and not required(), reason=f"no Neo4j: set {URI_VARIABLE} or install java and mvn"
)


def connect(target: Neo4jTarget) -> neo4j.Driver:
    """A driver for ``target``, logged in as its user, without notifications."""
    auth = None if target.password is None else (target.user, target.password)
    return neo4j.GraphDatabase.driver(target.uri, auth=auth, notifications_min_severity="OFF")


def environ(target: Neo4jTarget) -> dict[str, str]:
    """The settings that name ``target`` as the store, for a command or a child process."""
    env = {"FAMILYNET_STORE": target.uri, "FAMILYNET_NEO4J_USER": target.user}
    if target.password is not None:
        env["FAMILYNET_NEO4J_PASSWORD"] = target.password
    return env


def empty_store(target: Neo4jTarget) -> Neo4jStore:
    """The Neo4j store of ``target``, emptied of every fact, user and log entry (its schema kept)."""
    store = open_neo4j(target.uri, target.user, target.password)
    with connect(target) as driver:
        driver.execute_query("MATCH (n) WHERE NOT n:FamilynetSchema DETACH DELETE n")
    return store
