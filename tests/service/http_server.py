"""Real HTTP for the service tests: a uvicorn server on a free loopback port, in a thread.

Also a small probe schema, so the HTTP layer is tested apart from the familynet
schema: it answers who is calling, raises an unexpected error whose message holds
a name and SQL, raises a familynet error, and has a mutation.
"""

from __future__ import annotations

import datetime as dt
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import strawberry
import uvicorn
from starlette.types import ASGIApp
from strawberry.schema import BaseSchema

from familynet.access.auth import AuthorizationError, Principal, Role, new_token, token_hash
from familynet.service import protocol
from familynet.service.app import create_app
from familynet.service.context import RequestContext
from familynet.service.group_commit import GroupCommit
from familynet.settings import ServiceSettings, Settings
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

#: What the probe's unexpected error says: personal data and SQL, which must never reach a client.
SECRET_MESSAGE = "no row for Zoë Nguyễn: SELECT * FROM persons WHERE family_name = 'Nguyễn'"


@dataclass(frozen=True)
class Service:
    """A running service: its base URL and a token for each role."""

    url: str
    tokens: dict[Role, str]

    @property
    def admin(self) -> str:
        return self.tokens[Role.ADMIN]

    @property
    def auditor(self) -> str:
        return self.tokens[Role.AUDITOR]

    @property
    def practitioner(self) -> str:
        return self.tokens[Role.PRACTITIONER]

    def client(self, token: str | None = None, **headers: str) -> httpx.Client:
        """An HTTP client of the service, sending ``token`` as a bearer token if given."""
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def serve(db: Path, schema: BaseSchema | None = None, **settings: Any) -> Iterator[Service]:
    """Run the service on ``db`` with a new user of each role until the generator is closed.

    ``schema`` defaults to the familynet schema; the probe schema gets the probe context.
    """
    tokens = {role: add_user(db, f"{role.value}-1", role, "A1") for role in Role}
    factory = probe_context if schema is PROBE_SCHEMA else RequestContext.create
    app = create_app(ServiceSettings(store=Settings(db), **settings), schema=schema, context_factory=factory)
    with running(app) as url:
        yield Service(url, tokens)


@contextmanager
def running_server(app: ASGIApp) -> Iterator[tuple[str, uvicorn.Server]]:
    """Serve ``app`` with uvicorn (as ``familynet serve`` configures it) on 127.0.0.1 and a free
    port; yield its base URL and the server. The socket is made with protocol 0, as uvicorn
    makes it for several workers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, http=protocol.IMPORT_STRING, ws="none", lifespan="on", access_log=False, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@dataclass
class Served:
    """A ``familynet serve`` process: its base URL, and what it printed once it has stopped."""

    url: str
    output: str = ""


@contextmanager
def familynet_serve(db: Path, workers: int, env: Mapping[str, str]) -> Iterator[Served]:
    """Run ``familynet serve --workers N`` on ``db`` and a free port in a process of its own with
    ``env``; yield once its health check answers, stop it with SIGINT after, keep its output."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(Path(sys.executable).with_name("familynet")), "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{served.url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "familynet serve did not start"
                time.sleep(0.2)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        served.output, _ = process.communicate(timeout=30)


@contextmanager
def running(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` as :func:`running_server` does; yield its base URL."""
    with running_server(app) as (url, _):
        yield url


def add_user(db: Path, name: str, role: Role, agency_id: str | None = None) -> str:
    """Add an API user to the database at ``db``; return their token."""
    token = new_token()
    store = open_sqlite(db)
    try:
        store.add_user(name, role, agency_id, token_hash(token), dt.datetime.now(dt.UTC))
    finally:
        store.close()
    return token


@dataclass(frozen=True)
class ProbeContext:
    store: Store
    principal: Principal
    correlation_id: str


def probe_context(store: Store, principal: Principal, correlation_id: str, _: GroupCommit) -> ProbeContext:
    return ProbeContext(store, principal, correlation_id)


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: strawberry.Info[ProbeContext, None]) -> str:
        return f"{info.context.principal.user} {info.context.principal.role.value}"

    @strawberry.field
    def user_count(self, info: strawberry.Info[ProbeContext, None]) -> int:
        return len(info.context.store.users())

    @strawberry.field
    def boom(self) -> str:
        raise LookupError(SECRET_MESSAGE)

    @strawberry.field
    def forbidden(self) -> str:
        raise AuthorizationError("the auditor role may not read person")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def echo(self, text: str) -> str:
        return text


PROBE_SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)
