"""The GraphQL-over-HTTP compliance audits of the ``graphql-http`` npm package, run with Node.

The audits (MUST, SHOULD and MAY items of the specification) run against the
familynet schema over real HTTP, with an API token. In development mode every one
passes: no MUST failure and no SHOULD warning. Production mode refuses
introspection, and four audits send their variables to an introspection field
(``__type(name: $name)``): those four, and only those, see the refusal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from http_server import serve

from familynet.stores.sqlite.store import open_sqlite

AUDIT_DIR = Path(__file__).parents[1] / "http-audit"


@pytest.fixture(scope="module")
def node() -> str:
    """Node, with the audit's locked packages installed (scripts/test installs them too)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, "the GraphQL-over-HTTP audit needs Node and npm"
    if not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AUDIT_DIR, check=True, capture_output=True)
    return node


#: The audits whose operation is ``query Type($name: String!) { __type(name: $name) { name } }``.
INTROSPECTING = {"2EA1", "28B9", "D6D5", "6A70"}


def audit(node: str, tmp_path: Path, *, development: bool) -> dict[str, dict[str, str]]:
    """Run every audit against a fresh service; results by audit id."""
    db = tmp_path / "familynet.db"
    open_sqlite(db).close()
    for service in serve(db, development=development, rate_limit=0.0):
        done = subprocess.run(
            [node, str(AUDIT_DIR / "audit.mjs"), f"{service.url}/graphql", service.admin],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) > 50  # the package's full list ran
    return {r["id"]: r for r in results}


def test_every_audit_passes_in_development_mode(node: str, tmp_path: Path) -> None:
    results = audit(node, tmp_path, development=True)
    assert [r for r in results.values() if r["status"] != "ok"] == []
    assert results["22EB"]["name"] == "SHOULD accept application/graphql-response+json and match the content-type"


def test_in_production_only_the_introspecting_audits_see_introspection_refused(node: str, tmp_path: Path) -> None:
    results = audit(node, tmp_path, development=False)
    assert {i for i, r in results.items() if r["status"] != "ok"} == INTROSPECTING
    assert all("{variables}" in results[i]["name"] for i in INTROSPECTING)
