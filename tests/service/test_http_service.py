"""The HTTP layer over real HTTP: authentication, limits, headers, CORS, media types, masking.

A uvicorn server runs the service over a small probe schema (``http_server``);
the familynet schema's own behaviour over HTTP is in ``test_http_schema.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_server import PROBE_SCHEMA, SECRET_MESSAGE, Service, running_server, serve
from starlette.types import Message

from familynet.access.auth import Role
from familynet.service.app import create_app
from familynet.service.view import MASKED_MESSAGE
from familynet.settings import ServiceSettings, Settings
from familynet.stores.sqlite.store import open_sqlite

GQL = "application/graphql-response+json"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "familynet.db"
    open_sqlite(path).close()
    return path


def _serve(db: Path, **settings: object) -> Iterator[Service]:
    return serve(db, PROBE_SCHEMA, **settings)


@pytest.fixture
def service(db: Path) -> Iterator[Service]:
    """Production mode, generous limits."""
    yield from _serve(db, rate_limit=1000.0, rate_burst=1000)


@pytest.fixture
def dev_service(tmp_path: Path) -> Iterator[Service]:
    db = tmp_path / "development.db"
    open_sqlite(db).close()
    yield from _serve(db, development=True, rate_limit=1000.0, rate_burst=1000)


def _query(client: httpx.Client, query: str, **kwargs: object) -> httpx.Response:
    return client.post("/graphql", json={"query": query}, **kwargs)  # type: ignore[arg-type]


def test_health_needs_no_credentials(service: Service) -> None:
    with service.client() as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_token_names_the_caller_and_the_store_answers_in_the_request(service: Service) -> None:
    with service.client(service.auditor) as client:
        response = _query(client, "{ whoami userCount }")
    assert response.status_code == 200
    # One user of each role (serve).
    assert response.json() == {"data": {"whoami": "auditor-1 auditor", "userCount": len(Role)}}


@pytest.mark.parametrize(
    ("authorization", "invalid_token"),
    [
        (None, False),
        ("Basic YWRtaW46YWRtaW4=", False),
        ("Bearer fn_not-a-real-token", True),
        ("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", True),  # a JWT, and OIDC is not configured
    ],
)
def test_missing_or_invalid_credentials_get_401_with_a_challenge_and_no_detail(
    service: Service, authorization: str | None, invalid_token: bool
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with service.client(**headers) as client:
        response = _query(client, "{ whoami }")
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="familynet"')
    assert ('error="invalid_token"' in challenge) is invalid_token
    assert "data" not in response.json()
    message = response.json()["errors"][0]["message"]
    assert message in {"authentication required", "invalid credentials"}
    assert "fn_" not in response.text and "OIDC" not in response.text


def test_a_revoked_token_is_refused(service: Service, db: Path) -> None:
    store = open_sqlite(db)
    try:
        assert store.revoke_user("auditor-1", dt.datetime.now(dt.UTC))
    finally:
        store.close()
    with service.client(service.auditor) as client:
        assert _query(client, "{ whoami }").status_code == 401


def test_each_user_has_a_rate_limit_answered_with_429_and_retry_after(db: Path) -> None:
    for service in _serve(db, rate_limit=0.1, rate_burst=3):
        with service.client(service.admin) as admin, service.client(service.auditor) as auditor:
            statuses = [_query(admin, "{ whoami }").status_code for _ in range(4)]
            refused = _query(admin, "{ whoami }")
            other = _query(auditor, "{ whoami }")
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert refused.json() == {"errors": [{"message": "too many requests"}]}
    assert other.status_code == 200


def test_a_body_over_the_limit_is_refused_with_413_declared_or_streamed(db: Path) -> None:
    padding = "#" + "x" * 3000 + "\n"
    for service in _serve(db, max_body_bytes=2048):
        with service.client(service.admin) as client:
            declared = _query(client, padding + "{ whoami }")

            def chunks() -> Iterator[bytes]:
                yield b'{"query": "'
                yield padding.encode()
                yield b'{ whoami }"}'

            streamed = client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
            small = _query(client, "{ whoami }")
    assert declared.status_code == 413
    assert "transfer-encoding" not in declared.request.headers
    assert streamed.status_code == 413
    assert streamed.request.headers["transfer-encoding"] == "chunked"
    assert small.status_code == 200


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def test_every_response_has_the_security_headers(db: Path) -> None:
    for service in _serve(db, max_body_bytes=100, rate_limit=0.01, rate_burst=1, hsts_seconds=31536000):
        with service.client(service.admin) as client, service.client() as anonymous:
            responses = [
                anonymous.get("/health"),
                anonymous.post("/graphql", json={"query": "{ whoami }"}),  # 401
                client.post("/graphql", json={"query": "{ whoami }" + " " * 200}),  # 413
                _query(client, "{ whoami }"),  # 200
                _query(client, "{ whoami }"),  # 429
                anonymous.get("/nowhere"),  # 401: unknown paths need credentials too
            ]
    assert [r.status_code for r in responses] == [200, 401, 413, 200, 429, 401]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert len(response.headers["x-correlation-id"]) == 32


def test_hsts_only_when_configured(service: Service) -> None:
    with service.client() as client:
        assert "strict-transport-security" not in client.get("/health").headers


def test_cors_answers_only_configured_origins(db: Path) -> None:
    allowed, other = "https://mash.example.test", "https://evil.example.test"
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    for service in _serve(db, cors_origins=(allowed,)):
        with service.client() as client:
            ok = client.options("/graphql", headers={"Origin": allowed, **preflight})
            refused = client.options("/graphql", headers={"Origin": other, **preflight})
            actual = client.post(
                "/graphql",
                json={"query": "{ whoami }"},
                headers={"Origin": allowed, "Authorization": f"Bearer {service.admin}"},
            )
            foreign = client.post(
                "/graphql",
                json={"query": "{ whoami }"},
                headers={"Origin": other, "Authorization": f"Bearer {service.admin}"},
            )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == allowed
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert actual.headers["access-control-allow-origin"] == allowed
    assert "access-control-allow-origin" not in foreign.headers


def test_no_cors_headers_without_configured_origins(service: Service) -> None:
    with service.client(service.admin, Origin="https://mash.example.test") as client:
        response = _query(client, "{ whoami }")
    assert response.status_code == 200
    assert not [h for h in response.headers if h.startswith("access-control-")]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GQL, GQL),
        (f"{GQL}, application/json;q=0.9", GQL),
        (f"{GQL};q=0.5, application/json", "application/json"),
    ],
)
def test_the_accept_header_picks_the_media_type(service: Service, accept: str | None, media_type: str) -> None:
    headers = {} if accept is None else {"Accept": accept}
    with service.client(service.admin) as client:
        request = client.build_request("POST", "/graphql", json={"query": "{ whoami }"}, headers=headers)
        if accept is None:
            del request.headers["Accept"]
        response = client.send(request)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.json() == {"data": {"whoami": "admin-1 admin"}}


def test_an_unacceptable_media_type_gets_406(service: Service) -> None:
    with service.client(service.admin, Accept="text/xml") as client:
        assert _query(client, "{ whoami }").status_code == 406


@pytest.mark.parametrize("query", ["{ whoami ", "{ nosuchfield }"])
def test_request_errors_are_400_without_data_in_the_graphql_media_type(service: Service, query: str) -> None:
    with service.client(service.admin, Accept=GQL) as client:
        graphql_response = _query(client, query)
    with service.client(service.admin, Accept="application/json") as client:
        json_response = _query(client, query)
    assert graphql_response.status_code == 400
    assert graphql_response.headers["content-type"].startswith(GQL)
    assert "data" not in graphql_response.json()
    assert graphql_response.json()["errors"]
    assert json_response.status_code == 200
    assert "data" not in json_response.json()


def test_a_field_error_is_200_with_partial_data_in_the_graphql_media_type(service: Service) -> None:
    with service.client(service.admin, Accept=GQL) as client:
        response = _query(client, "{ forbidden }")
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["path"] == ["forbidden"]


def test_mutations_only_over_post_with_json(service: Service) -> None:
    mutation = 'mutation { echo(text: "hi") }'
    with service.client(service.admin) as client:
        over_get = client.get("/graphql", params={"query": mutation})
        as_form = client.post("/graphql", data={"query": mutation})
        as_text = client.post("/graphql", content=mutation, headers={"Content-Type": "text/plain"})
        as_graphql = client.post("/graphql", content=mutation, headers={"Content-Type": "application/graphql"})
        as_json = client.post("/graphql", json={"query": mutation})
        query_over_get = client.get("/graphql", params={"query": "{ whoami }"})
    assert over_get.status_code == 405
    assert over_get.headers["allow"] == "POST"
    assert "data" not in over_get.json()
    assert [as_form.status_code, as_text.status_code, as_graphql.status_code] == [415, 415, 415]
    assert as_json.json() == {"data": {"echo": "hi"}}
    assert query_over_get.json() == {"data": {"whoami": "admin-1 admin"}}


def test_other_methods_get_405(service: Service) -> None:
    with service.client(service.admin) as client:
        response = client.put("/graphql", json={"query": "{ whoami }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_batched_requests_are_refused(service: Service) -> None:
    with service.client(service.admin) as client:
        response = client.post("/graphql", json=[{"query": "{ whoami }"}, {"query": "{ whoami }"}])
    assert response.status_code == 400
    assert "data" not in response.json()


def test_unexpected_errors_are_masked_with_a_correlation_id_in_production(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), service.client(service.admin) as client:
        response = _query(client, "{ boom whoami }")
    body = response.json()
    correlation_id = response.headers["x-correlation-id"]
    assert response.status_code == 200
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": MASKED_MESSAGE,
            "locations": [{"line": 1, "column": 3}],
            "path": ["boom"],
            "extensions": {"correlationId": correlation_id},
        }
    ]
    logged = [r.getMessage() for r in caplog.records if correlation_id in r.getMessage()]
    assert any(line.startswith("unexpected LookupError") and "in boom" in line for line in logged)
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Zoë", "Nguy", "SELECT", "persons"):
        assert secret not in log_text
        assert secret not in response.text


def test_each_request_is_logged_with_its_correlation_id_and_no_query_string(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), service.client(service.admin) as client:
        response = client.get("/graphql", params={"query": "{ whoami }", "variables": '{"name": "Zoë"}'})
        # The line is written once the response is sent, so it may trail the client by a moment.
        deadline = time.monotonic() + 5
        while not any(response.headers["x-correlation-id"] in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    [line] = [r.getMessage() for r in caplog.records if response.headers["x-correlation-id"] in r.getMessage()]
    assert line.startswith("GET /graphql 200 ")
    assert "whoami" not in line and "Zo" not in line


def test_familynet_errors_keep_their_message(service: Service) -> None:
    with service.client(service.admin) as client:
        response = _query(client, "{ forbidden }")
    assert response.json()["errors"][0]["message"] == "the auditor role may not read person"


def test_development_mode_shows_errors_and_suggestions(dev_service: Service) -> None:
    with dev_service.client(dev_service.admin) as client:
        boom = _query(client, "{ boom }")
        typo = _query(client, "{ whoam }")
    assert boom.json()["errors"][0]["message"] == SECRET_MESSAGE
    assert "Did you mean 'whoami' or 'boom'?" in typo.json()["errors"][0]["message"]


def test_production_mode_cuts_field_suggestions(service: Service) -> None:
    with service.client(service.admin) as client:
        typo = _query(client, "{ whoam }")
    assert typo.json()["errors"][0]["message"] == "Cannot query field 'whoam' on type 'Query'."


def test_graphiql_only_in_development_mode(service: Service, dev_service: Service) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    with dev_service.client(**browser) as client:
        page = client.get("/graphql")
    with service.client(**browser) as client:
        anonymous = client.get("/graphql")
    with service.client(service.admin, **browser) as client:
        authenticated = client.get("/graphql")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    assert "https://unpkg.com" in page.headers["content-security-policy"]
    assert anonymous.status_code == 401
    assert authenticated.status_code == 404


def test_websocket_connections_are_closed_before_anything_runs(db: Path) -> None:
    """familynet serve accepts no WebSocket upgrade (uvicorn runs with ws="none"); under a server
    that does, the app still closes the connection with policy violation, unauthenticated."""
    app = create_app(ServiceSettings(store=Settings(db)), schema=PROBE_SCHEMA)
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": "/graphql", "headers": [], "query_string": b"", "state": {}}
    asyncio.run(app(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_a_failure_outside_graphql_is_a_500_with_headers_and_no_message_in_the_log(
    service: Service, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The store fails for real while authenticating: its users table is gone.
    connection = sqlite3.connect(db)
    connection.execute("DROP TABLE users")
    connection.close()
    with caplog.at_level(logging.INFO), service.client(service.admin) as client:
        response = _query(client, "{ whoami }")
    assert response.status_code == 500
    assert response.json() == {"errors": [{"message": "internal server error"}]}
    assert response.headers["cache-control"] == "no-store"
    correlation_id = response.headers["x-correlation-id"]
    [line] = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert line.startswith("unexpected ") and correlation_id in line
    assert "no such table" not in line


def test_connections_have_nagles_algorithm_off(db: Path) -> None:
    """Else uvicorn's separate writes of a response's head and body wait for the client's delayed ACK (40 ms)."""
    app = create_app(ServiceSettings(store=Settings(db)), schema=PROBE_SCHEMA)
    with running_server(app) as (url, server), httpx.Client(base_url=url) as client:
        assert client.get("/health").status_code == 200
        sockets = [c.transport.get_extra_info("socket") for c in server.server_state.connections]
        assert sockets
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
