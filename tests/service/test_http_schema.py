"""The familynet schema over real HTTP: modes, the access log, OIDC bearer tokens, ``familynet serve``."""

from __future__ import annotations

import base64
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql_support import load_family
from http_server import Service, add_user, familynet_serve, serve

import test_oidc
from familynet.access.auth import Role
from familynet.access.checkpoint import Checkpoint
from familynet.access.log import verify_chain
from familynet.access.oidc import OIDCSettings
from familynet.stores.sqlite.store import open_sqlite

# The local JWKS server and signing key of the OIDC tests.
signing_key = test_oidc.signing_key
jwks_url = test_oidc.jwks_url

INTROSPECTION = "{ __schema { queryType { name } } }"
HOUSEHOLD = '{ householdContext(childId: "P2", purpose: "strategy discussion") { childId siblings { personId } } }'


def family_db(directory: Path) -> Path:
    """A new database holding the family of tests/bundles.py."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "familynet.db"
    store = open_sqlite(path)
    try:
        load_family(store)
    finally:
        store.close()
    return path


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    yield from serve(family_db(tmp_path / "production"))


@pytest.fixture
def dev_service(tmp_path: Path) -> Iterator[Service]:
    yield from serve(family_db(tmp_path / "development"), development=True)


def post(service: Service, token: str, query: str) -> httpx.Response:
    with service.client(token) as client:
        return client.post("/graphql", json={"query": query})


def household(response: httpx.Response) -> dict[str, Any]:
    """The household context of a response that must have no errors."""
    body = response.json()
    assert "errors" not in body, body
    context: dict[str, Any] = body["data"]["householdContext"]
    return context


def test_introspection_only_in_development_mode(service: Service, dev_service: Service) -> None:
    production = post(service, service.admin, INTROSPECTION)
    development = post(dev_service, dev_service.admin, INTROSPECTION)
    assert "data" not in production.json()
    assert production.json()["errors"]
    assert development.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_a_household_read_is_logged_under_the_responses_correlation_id(service: Service, tmp_path: Path) -> None:
    response = post(service, service.practitioner, HOUSEHOLD)
    assert response.status_code == 200
    context = household(response)
    assert context["childId"] == "P2"
    assert {s["personId"] for s in context["siblings"]} == {"P3"}
    store = open_sqlite(tmp_path / "production" / "familynet.db")
    try:
        [entry] = store.access_entries()
    finally:
        store.close()
    assert entry.request.correlation_id == response.headers["x-correlation-id"]
    assert (entry.request.user, entry.request.operation, entry.request.allowed) == (
        "practitioner-1",
        "householdContext",
        True,
    )


def test_a_genogram_over_http_is_logged_and_a_png_comes_base64_encoded(service: Service, tmp_path: Path) -> None:
    query = """{ svg: genogram(personId: "P2", on: "2024-03-10", purpose: "conference") { mediaType content personIds }
        png: genogram(personId: "P2", on: "2024-03-10", format: PNG, redact: true, purpose: "conference") {
            base64 content } }"""
    response = post(service, service.practitioner, query)
    assert response.status_code == 200
    found = response.json()["data"]
    assert found["svg"]["mediaType"] == "image/svg+xml" and "OFFICIAL-SENSITIVE" in found["svg"]["content"]
    assert found["png"]["base64"] and base64.b64decode(found["png"]["content"]).startswith(b"\x89PNG")
    store = open_sqlite(tmp_path / "production" / "familynet.db")
    try:
        entries = store.access_entries()
    finally:
        store.close()
    # Both fields read the same persons for the same purpose: one entry names them.
    assert [(e.request.operation, sorted(e.request.person_ids), e.request.purpose) for e in entries] == [
        ("genogram", sorted(found["svg"]["personIds"]), "conference")
    ]
    assert entries[0].request.correlation_id == response.headers["x-correlation-id"]


def test_when_the_access_log_cannot_be_written_the_answer_is_500_with_no_data(service: Service, tmp_path: Path) -> None:
    # The log fails for real: its table is gone.
    connection = sqlite3.connect(tmp_path / "production" / "familynet.db")
    connection.execute("DROP TABLE access_log_persons")
    connection.close()
    response = post(service, service.practitioner, HOUSEHOLD)
    assert response.status_code == 500
    assert response.json()["data"] is None
    assert "P3" not in response.text
    assert response.json()["errors"][0]["extensions"]["correlationId"] == response.headers["x-correlation-id"]


def test_a_role_without_the_right_gets_an_error_and_no_data(service: Service) -> None:
    response = post(service, service.auditor, HOUSEHOLD)
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["householdContext"]
    assert "P3" not in response.text


def test_an_oidc_bearer_token_authenticates_over_http(
    tmp_path: Path, signing_key: rsa.RSAPrivateKey, jwks_url: str
) -> None:
    oidc = OIDCSettings(issuer=test_oidc.ISSUER, audience=test_oidc.AUDIENCE, jwks_url=jwks_url)
    token = test_oidc._token(signing_key, roles=["practitioner"], sub="oidc-user-7")
    expired = test_oidc._token(signing_key, roles=["practitioner"], exp=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    for service in serve(family_db(tmp_path), oidc=oidc):
        accepted = post(service, token, HOUSEHOLD)
        refused = post(service, expired, HOUSEHOLD)
        forged = post(service, jwt.encode({"sub": "x", "roles": ["admin"]}, "s" * 32, algorithm="HS256"), HOUSEHOLD)
    assert household(accepted)["childId"] == "P2"
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer realm="familynet", error="invalid_token"'
    assert forged.status_code == 401


def test_familynet_serve_runs_several_workers_on_one_database_and_log(tmp_path: Path) -> None:
    db = family_db(tmp_path)
    token = add_user(db, "pat", Role.PRACTITIONER, "A1")
    authorization = {"Authorization": f"Bearer {token}"}
    # Eight clients at once, so both workers append to the access log at the same time.
    with (
        familynet_serve(db, 2, {**os.environ, "FAMILYNET_RATE_LIMIT": "0"}) as served,
        httpx.Client(base_url=served.url, headers=authorization, timeout=30) as client,
        ThreadPoolExecutor(8) as pool,
    ):
        answers = list(pool.map(lambda _: client.post("/graphql", json={"query": HOUSEHOLD}), range(40)))
    output = served.output
    assert {a.status_code for a in answers} == {200}
    assert all(household(a)["childId"] == "P2" for a in answers)
    assert "production mode" in output
    assert output.count("Application startup complete") == 2
    assert "POST /graphql 200" in output
    store = open_sqlite(db)
    try:
        entries = store.access_entries()
    finally:
        store.close()
    assert len(entries) == 40
    assert verify_chain(entries).ok  # two processes appended, and the hash chain is unbroken
    assert {e.request.correlation_id for e in entries} == {a.headers["x-correlation-id"] for a in answers}


def test_300_requests_at_once_get_200_or_429_never_a_5xx_and_every_answer_is_logged(tmp_path: Path) -> None:
    db = family_db(tmp_path)
    for served in serve(db):  # the default rate limit: 10 a second, bursts of 50
        with ThreadPoolExecutor(32) as pool, served.client(served.practitioner) as client:
            answers = list(pool.map(lambda _: client.post("/graphql", json={"query": HOUSEHOLD}), range(300)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) == {200, 429}, sorted(set(statuses))
    assert all(a.headers.get("x-correlation-id") for a in answers)
    store = open_sqlite(db)
    try:
        logged = {e.request.correlation_id for e in store.access_entries() if e.request.operation == "householdContext"}
    finally:
        store.close()
    answered = {a.headers["x-correlation-id"] for a in answers if a.status_code == 200}
    assert answered <= logged, "an answered read is missing from the access log"


def test_familynet_serve_writes_access_log_checkpoints_where_the_operator_says(tmp_path: Path) -> None:
    db = family_db(tmp_path)
    token = add_user(db, "pat", Role.PRACTITIONER, "A1")
    path = tmp_path / "elsewhere" / "familynet.checkpoints"
    path.parent.mkdir()
    key = "k" * 40
    env = {**os.environ, "FAMILYNET_ACCESS_LOG_KEY": key, "FAMILYNET_CHECKPOINT_PATH": str(path)}
    with familynet_serve(db, 1, env) as served:
        response = httpx.post(
            f"{served.url}/graphql", json={"query": HOUSEHOLD}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
    heads = [Checkpoint.read(line, key.encode()) for line in path.read_text().splitlines()]
    # One when the worker started (an empty log), one when it stopped, after the read.
    assert heads[0].entries == 0 and heads[-1].entries == 1
