"""The README's main command: ``familynet demo`` loads demo data, makes tokens and (here not) serves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from click.testing import CliRunner
from http_server import running

from familynet.cli import main
from familynet.service.app import create_app
from familynet.settings import ServiceSettings, Settings


def test_the_demo_prints_tokens_and_a_child_to_ask_for_that_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--households", "20", "--dir", str(tmp_path), "--no-serve"])
    assert result.exit_code == 0, result.output
    tokens = dict(re.findall(r"^  (demo-\w+) +(fn_\S+)$", result.stdout, re.MULTILINE))
    assert set(tokens) == {"demo-admin", "demo-practitioner"}
    # Without a server there is no request to paste: the serve command, and a child to ask for.
    assert f"familynet serve --db {tmp_path / 'familynet.db'}" in result.stdout
    [child_id] = re.findall(r"the first referred child is (P\d+)", result.stdout)
    query = f'{{ householdContext(childId: "{child_id}", purpose: "demo") {{ childId siblings {{ personId }} }} }}'
    payload = json.dumps({"query": query})
    app = create_app(ServiceSettings(store=Settings(tmp_path / "familynet.db")))
    with running(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        practitioner = {"Authorization": f"Bearer {tokens['demo-practitioner']}"}
        household = client.post("/graphql", json=json.loads(payload), headers=practitioner)
        admin = {"Authorization": f"Bearer {tokens['demo-admin']}"}
        log = client.post(
            "/graphql", json={"query": "{ accessLog { edges { node { user operation } } } }"}, headers=admin
        )
    assert household.status_code == 200
    assert "errors" not in household.json()
    assert household.json()["data"]["householdContext"]["childId"]
    assert [e["node"] for e in log.json()["data"]["accessLog"]["edges"]] == [
        {"user": "demo-practitioner", "operation": "householdContext"}
    ]
