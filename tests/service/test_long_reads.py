"""Audits run off the event loop: other requests are answered while one runs, and audits are
bounded in number and time per worker (familynet.service.long_reads)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from graphql_support import AUDITOR, PRODUCTION, messages
from http_server import add_user, familynet_serve

from familynet.access.auth import Role
from familynet.bundle.ingest import ingest_bundle
from familynet.service.context import RequestContext
from familynet.service.long_reads import LongReadRefused, LongReads
from familynet.settings import ServiceSettings
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

#: A long audit: every subject of eleven years, one subject per cohort batch (seconds, even on an idle machine).
LONG_AUDIT = '{ missingMembers(from: "2015-01-01", to: "2026-12-31", batchSize: 1) { summary } }'


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("long")
    write_demo_bundle(directory / "bundle", households=1000, seed=3)
    db = directory / "familynet.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, directory / "bundle")
    finally:
        store.close()
    return db


def test_typename_and_health_answer_within_100_ms_while_an_audit_runs(big_db: Path) -> None:
    # The one latency check of the suite, because the issue asks for it: without the off-loop
    # audit both waited for the whole audit (seconds); with it they wait for a thread switch.
    auditor = add_user(big_db, "aud", Role.AUDITOR)
    practitioner = add_user(big_db, "pat", Role.PRACTITIONER, "A01")
    env = {**os.environ, "FAMILYNET_RATE_LIMIT": "0"}
    with (
        familynet_serve(big_db, 1, env) as served,
        httpx.Client(base_url=served.url, timeout=120) as client,
        ThreadPoolExecutor(1) as pool,
    ):
        audit = pool.submit(
            client.post, "/graphql", json={"query": LONG_AUDIT}, headers={"Authorization": f"Bearer {auditor}"}
        )
        time.sleep(1.0)  # the audit is under way
        assert not audit.done(), "the audit must outlast the probes for this test to mean anything"
        timings = []
        probe = {"json": {"query": "{ __typename }"}, "headers": {"Authorization": f"Bearer {practitioner}"}}
        for _ in range(5):
            for method, path, kwargs in (("GET", "/health", {}), ("POST", "/graphql", probe)):
                started = time.perf_counter()
                assert client.request(method, path, **kwargs).status_code == 200  # type: ignore[arg-type]
                timings.append(time.perf_counter() - started)
        assert not audit.done(), "the probes must have run while the audit ran"
        assert audit.result().status_code == 200
    assert max(timings) < 0.1, timings


def test_an_audit_over_the_cap_is_refused_and_one_over_time_is_stopped(big_db: Path) -> None:
    gate = threading.Event()
    # A read that waits on the gate holds the one slot until the gate opens.

    reads = LongReads(lambda: open_sqlite(big_db), timeout=0.5, concurrency=1)

    def persons(store: Store) -> int:
        return store.stats().labels["Person"]

    def wait(store: Store) -> bool:
        return gate.wait(5)

    def one(store: Store) -> int:
        return 1

    async def scenario() -> tuple[str, str, int]:
        blocked = asyncio.ensure_future(reads.run(wait))
        await asyncio.sleep(0.1)
        with pytest.raises(LongReadRefused) as busy:
            await reads.run(one)
        with pytest.raises(LongReadRefused) as late:
            await blocked
        gate.set()
        await asyncio.sleep(0.2)
        # The slot is free once the stopped read has ended.
        return str(busy.value), str(late.value), await reads.run(persons)

    try:
        busy, late, counted = asyncio.run(scenario())
    finally:
        reads.close()
    assert busy == "too many audits are running on this worker (at most 1); try again shortly"
    assert late.startswith("the audit took longer than 0.5 seconds and was stopped")
    assert counted > 1000


def test_an_audit_out_of_time_stops_at_its_next_batch(big_db: Path) -> None:
    store = open_sqlite(big_db)
    reads = LongReads(lambda: open_sqlite(big_db), timeout=0.2, concurrency=1)
    try:
        context = RequestContext.create(store, AUDITOR, "c", long_reads=reads)
        result = asyncio.run(PRODUCTION.execute(LONG_AUDIT, context_value=context))
        assert result.data is None or result.data["missingMembers"] is None
        assert messages(result)[0].startswith("the audit took longer than 0.2 seconds")
        started = time.monotonic()
        reads.close()  # waits for the thread: it stops at its next batch, not at the audit's end
        assert time.monotonic() - started < 5
    finally:
        store.close()


def test_the_time_limit_and_the_cap_are_settings() -> None:
    defaults = ServiceSettings.from_environ({})
    assert (defaults.audit_timeout_seconds, defaults.audit_concurrency) == (600.0, 2)
    chosen = ServiceSettings.from_environ({"FAMILYNET_AUDIT_TIMEOUT_SECONDS": "30", "FAMILYNET_AUDIT_CONCURRENCY": "1"})
    assert (chosen.audit_timeout_seconds, chosen.audit_concurrency) == (30.0, 1)
