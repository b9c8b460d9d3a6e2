"""The local Neo4j server: a real Community kernel that speaks Bolt and checks passwords."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

from familynet.stores.neo4j import launcher as neo4j_launcher
from neo4j_server import Neo4jTarget, needs_neo4j, required

pytestmark = needs_neo4j


def test_the_server_answers_cypher_over_bolt(neo4j_target: Neo4jTarget) -> None:
    auth = None if neo4j_target.password is None else (neo4j_target.user, neo4j_target.password)
    with neo4j.GraphDatabase.driver(neo4j_target.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                             "RETURN name, versions[0] AS version, edition")  # fmt: skip
    (component,) = records
    assert component["name"] == "Neo4j Kernel"
    assert component["version"].startswith("5.")
    assert component["edition"] == "community"


def test_the_server_refuses_a_wrong_password(neo4j_target: Neo4jTarget) -> None:
    if neo4j_target.password is None:
        pytest.skip("the configured server runs without authentication")
    with (
        neo4j.GraphDatabase.driver(neo4j_target.uri, auth=(neo4j_target.user, "not-the-password")) as driver,
        pytest.raises(neo4j.exceptions.AuthError),
    ):
        driver.verify_connectivity()


@pytest.mark.slow
@pytest.mark.skipif(not neo4j_launcher.available() and not required(), reason="the launcher needs java and mvn")
def test_the_launcher_starts_again_on_its_home_with_the_same_password(tmp_path: Path) -> None:
    for _ in range(2):
        server = neo4j_launcher.start(tmp_path / "home", password="same-password-1", heap="512m", pagecache="64m")
        try:
            with neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "same-password-1")) as driver:
                driver.verify_connectivity()
        finally:
            server.stop()
