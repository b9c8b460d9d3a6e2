"""The two stores side by side on one synthetic bundle: ingest, household contexts, audits, and ratios.

Usage::

    .venv/bin/python bench/stores.py [--households 2000] [--seed 1] [--samples 300] [--out bench/out]

Neo4j is the server at ``FAMILYNET_BENCH_NEO4J_URI`` (credentials ``FAMILYNET_NEO4J_USER`` and
``FAMILYNET_NEO4J_PASSWORD``), emptied first, or else a local one started with
:mod:`familynet.neo4j_launcher` (heap 4 GiB: a load is one transaction). For each store:
ingest rows/s (every data row over the whole ingest, validation included), the household
context (``family_network`` then ``household_context``) of ``--samples`` random referred
children, p50 and p99 in ms, and each audit's wall time over the bundle's last year. The
Markdown table goes to standard output, ready for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import neo4j

from familynet import analyses
from familynet.dates import months_before
from familynet.ingest import ingest_bundle
from familynet.neo4j_launcher import start
from familynet.neo4j_store import open_neo4j
from familynet.sqlite_store import open_sqlite
from familynet.store import Store
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 30)
AUDITS: dict[str, Callable[..., object]] = {
    "sibling_coverage": analyses.sibling_coverage,
    "repeat_referrals": analyses.repeat_referrals,
    "escalations": analyses.escalations,
    "missing_members": analyses.missing_members,
}


@contextmanager
def neo4j_store(home: Path) -> Iterator[Store]:
    """The configured Neo4j server, emptied, or a local one for the run."""
    uri = os.environ.get("FAMILYNET_BENCH_NEO4J_URI")
    user, password = os.environ.get("FAMILYNET_NEO4J_USER", "neo4j"), os.environ.get("FAMILYNET_NEO4J_PASSWORD")
    server = None
    if not uri:
        password = "bench-password"
        server = start(home, password=password, heap="4g", pagecache="1g")
        uri = server.uri
    with neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None) as driver, driver.session() as s:
        s.run("MATCH (n) WHERE NOT n:FamilynetSchema CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    store = open_neo4j(uri, user, password)
    try:
        yield store
    finally:
        store.close()
        if server is not None:
            server.stop()


def measure(store: Store, bundle: Path, rows: int, samples: int, seed: int) -> dict[str, float]:
    """Ingest the bundle, then time household contexts and audits."""
    found: dict[str, float] = {}
    began = time.perf_counter()
    ingest_bundle(store, bundle, today=TODAY)
    found["ingest_rows_per_s"] = rows / (time.perf_counter() - began)
    start, end = months_before(TODAY, 12), TODAY
    children = [child for batch in store.cohort(start, end) for child in batch.child_ids]
    times = []
    for child in random.Random(seed).sample(children, min(samples, len(children))):
        began = time.perf_counter()
        analyses.household_context(store.family_network(child), child, end)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    found["context_p50_ms"] = statistics.median(times)
    found["context_p99_ms"] = times[min(len(times) - 1, round(0.99 * len(times)))]
    for name, audit in AUDITS.items():
        began = time.perf_counter()
        audit(store.cohort(start, end), start, end)
        found[f"{name}_s"] = time.perf_counter() - began
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
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
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = open_sqlite(Path(tmp) / "familynet.db")
        try:
            results["sqlite"] = measure(sqlite, bundle, rows, args.samples, args.seed)
        finally:
            sqlite.close()
        with neo4j_store(Path(tmp) / "neo4j") as store:
            results["neo4j"] = measure(store, bundle, rows, args.samples, args.seed)
    print(f"{args.households:,} households, {rows:,} rows; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}\n")  # fmt: skip
    print("| measure | SQLite | Neo4j | Neo4j / SQLite |\n| --- | --- | --- | --- |")
    for key in results["sqlite"]:
        a, b = results["sqlite"][key], results["neo4j"][key]
        print(f"| {key} | {a:,.1f} | {b:,.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
