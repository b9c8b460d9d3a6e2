"""The two stores side by side on one synthetic bundle: ingest, household contexts, audits, and ratios.

Usage::

    .venv/bin/python bench/stores.py [--households 2000] [--seed 1] [--samples 300] [--out bench/out]
                                     [--heap 4g] [--pagecache 4g]

Neo4j is the server at ``FAMILYNET_BENCH_NEO4J_URI`` (credentials ``FAMILYNET_NEO4J_USER`` and
``FAMILYNET_NEO4J_PASSWORD``; ``FAMILYNET_BENCH_NEO4J_PID``, its process id on this machine,
adds the server's CPU time), emptied first, or else a local one started with
:mod:`familynet.stores.neo4j.launcher` with ``--heap`` and ``--pagecache`` (a page cache that holds
the 200,000-household store, about 4 GiB, keeps the reads off the disk). For each store:

- ingest rows/s (every data row over the whole ingest, validation included);
- the time the store takes to settle after it (SQLite: a WAL checkpoint; Neo4j: until the
  server idles);
- the household context (``family_network`` then ``household_context``) of ``--samples``
  random referred children, p50 and p99 in ms, after as many untimed contexts of other
  children, to warm the store;
- each audit's wall time over the bundle's last year.

Beside each, the CPU seconds of this process and of the Neo4j server (Linux), since a shared
machine stretches wall times. The Markdown table goes to standard output, ready for the
README, with the load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path

import neo4j

from familynet import analyses
from familynet.bundle.ingest import ingest_bundle
from familynet.model.dates import months_before
from familynet.stores.neo4j.launcher import start
from familynet.stores.neo4j.store import open_neo4j
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 30)
AUDITS: dict[str, Callable[..., object]] = {
    "sibling_coverage": analyses.sibling_coverage,
    "repeat_referrals": analyses.repeat_referrals,
    "escalations": analyses.escalations,
    "missing_members": analyses.missing_members,
}


#: CPU seconds so far of the process measured beside this one (the Neo4j server), or none.
ServerCPU = Callable[[], float]


def _no_server() -> float:
    return 0.0


def _process_cpu(pid: int) -> ServerCPU:
    """CPU seconds (user and system) of process ``pid`` so far, read from /proc."""

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return cpu


@contextmanager
def neo4j_store(home: Path, heap: str, pagecache: str) -> Iterator[tuple[Store, ServerCPU, Callable[[], object]]]:
    """The configured Neo4j server, emptied, or a local one for the run; its CPU clock; and
    a wait until it settles after a load."""
    uri = os.environ.get("FAMILYNET_BENCH_NEO4J_URI")
    user, password = os.environ.get("FAMILYNET_NEO4J_USER", "neo4j"), os.environ.get("FAMILYNET_NEO4J_PASSWORD")
    pid = os.environ.get("FAMILYNET_BENCH_NEO4J_PID")
    server = None
    if not uri:
        password = "bench-password"
        server = start(home, password=password, heap=heap, pagecache=pagecache)
        uri, pid = server.uri, str(server.process.pid)
    with neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None) as driver, driver.session() as s:
        s.run("MATCH (n) WHERE NOT n:FamilynetSchema CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    store = open_neo4j(uri, user, password)

    server_cpu = _process_cpu(int(pid)) if pid else _no_server

    def settle() -> object:
        # Community Edition has no db.checkpoint(): after a load the server merges its
        # full-text index, samples indexes and collects garbage for a while; wait until it
        # idles (under 5% of a core for a second), for at most three minutes.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            began = server_cpu()
            time.sleep(1)
            if server_cpu() - began < 0.05:
                break
        return None

    try:
        yield store, server_cpu, settle
    finally:
        store.close()
        if server is not None:
            server.stop()


#: A measure's value, and the CPU seconds of this process and of the server it took.
Measured = tuple[float, float, float]


def measure(
    store: Store,
    server_cpu: ServerCPU,
    settle: Callable[[], object],
    bundle: Path,
    rows: int,
    samples: int,
    seed: int,
) -> dict[str, Measured]:
    """Ingest the bundle, let the store settle, then time household contexts and audits."""
    found: dict[str, Measured] = {}

    def clocks() -> tuple[float, float, float]:
        return time.perf_counter(), time.process_time(), server_cpu()

    def since(began: tuple[float, float, float]) -> tuple[float, float, float]:
        now = clocks()
        return now[0] - began[0], now[1] - began[1], now[2] - began[2]

    began = clocks()
    ingest_bundle(store, bundle, today=TODAY)
    wall, cpu, server = since(began)
    found["ingest_rows_per_s"] = (rows / wall, cpu, server)
    # The reads are timed once the store has settled: a server still busy with the load it
    # has just taken in is not the server a practitioner reads from.
    began = clocks()
    settle()
    found["settle_s"] = since(began)
    start, end = months_before(TODAY, 12), TODAY
    children = [child for batch in store.cohort(start, end) for child in batch.child_ids]
    # As many contexts again, of other children, untimed: a server that has just started
    # (Neo4j's JVM compiling the read path) answers its first few hundred more slowly.
    for child in random.Random(-seed).sample(children, min(samples, len(children))):
        analyses.household_context(store.family_network(child), child, end)
    times = []
    began = clocks()
    for child in random.Random(seed).sample(children, min(samples, len(children))):
        started = time.perf_counter()
        analyses.household_context(store.family_network(child), child, end)
        times.append((time.perf_counter() - started) * 1000)
    _, cpu, server = since(began)
    times.sort()
    # The CPU columns of the context rows are per context, in ms.
    per = (cpu / len(times) * 1000, server / len(times) * 1000)
    found["context_p50_ms"] = (statistics.median(times), *per)
    found["context_p99_ms"] = (times[min(len(times) - 1, round(0.99 * len(times)))], *per)
    for name, audit in AUDITS.items():
        began = clocks()
        audit(store.cohort(start, end), start, end)
        found[f"{name}_s"] = since(began)
    return found


def _wal_checkpoint(db: Path) -> object:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--heap", default="4g", help="Java heap of the local Neo4j")
    parser.add_argument("--pagecache", default="4g", help="page cache of the local Neo4j")
    args = parser.parse_args()
    bundle = args.out / f"bundle-{args.households}-{args.seed}"
    if not bundle.is_dir():
        write_demo_bundle(bundle, args.households, args.seed, today=TODAY)
    rows = sum(
        sum(1 for _ in path.open(encoding="utf-8")) - 1
        for path in bundle.glob("*.csv")
        if path.name != "identity_truth.csv"
    )
    results = {}
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "familynet.db"
        sqlite = open_sqlite(db)
        try:
            results["sqlite"] = measure(
                sqlite, _no_server, partial(_wal_checkpoint, db), bundle, rows, args.samples, args.seed
            )
        finally:
            sqlite.close()
        with neo4j_store(Path(tmp) / "neo4j", args.heap, args.pagecache) as (store, server_cpu, settle):
            results["neo4j"] = measure(store, server_cpu, settle, bundle, rows, args.samples, args.seed)
    print(f"{args.households:,} households, {rows:,} rows; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average {load_before} before, {_load()} after\n")  # fmt: skip
    print("| measure | SQLite | Neo4j | Neo4j / SQLite | SQLite CPU s | Neo4j CPU s: client + server |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key in results["sqlite"]:
        (a, a_cpu, _), (b, b_cpu, b_server) = results["sqlite"][key], results["neo4j"][key]
        print(f"| {key} | {a:,.1f} | {b:,.1f} | {b / a:.2f} | {a_cpu:,.2f} | {b_cpu:,.2f} + {b_server:,.2f} |")


if __name__ == "__main__":
    main()
