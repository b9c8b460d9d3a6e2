"""Importing a synthetic Standard Safeguarding Dataset directory into SQLite, in rows per second.

Usage::

    .venv/bin/python bench/imports.py [--households 200000] [--seed 1] [--out bench/out]

Generates the synthetic bundle of ``--households`` households, writes it as an SSD directory
(:func:`familynet.imports.ssd_writer.write_ssd`), or takes one already written (``--ssd DIR``),
then times what ``familynet import ssd`` does into a new SQLite database: the tables read and
mapped in a worker process (:mod:`familynet.imports.worker`) while this one checks and loads
them. Rows are the SSD's data rows read (every table). With ``--load-only`` the tables are read
and mapped in this process first, held, and only the load is timed: the CPU seconds of the
import's critical path (checking and writing, matching, the fact sources), alone on the clock.
Prints a Markdown table with the wall time, the CPU seconds of each process, rows per second
of wall and of CPU, the peak resident memory of each, and the load average before and after,
since a shared machine stretches wall times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import time
from collections.abc import Iterator
from pathlib import Path

from familynet.imports.facts import bundle_facts
from familynet.imports.loading import Agent, load_staged, source_name
from familynet.imports.ssd import stage_ssd
from familynet.imports.ssd_writer import write_ssd
from familynet.imports.staging import Part, Staged
from familynet.imports.worker import Worker
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2026, 1, 1)


class Held:
    """A source's parts read and held (every row in memory), to time the load without the reading."""

    def __init__(self, staged: Staged) -> None:
        self.held: list[Part] = list(staged.parts())
        self.counts, self.problems, self.sources = staged.counts, staged.problems, staged.sources
        self.files = staged.files

    def parts(self) -> Iterator[Part]:
        """The parts held."""
        return iter(self.held)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--ssd", type=Path, help="an SSD directory already written (its database goes in --out)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY, help="the import's today")
    parser.add_argument("--load-only", action="store_true", help="map first, in this process; time the load alone")
    args = parser.parse_args()
    out: Path = args.out / f"imports-{args.households}"
    bundle, directory, db = out / "bundle", args.ssd or out / "ssd", out / "familynet.db"
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    if args.ssd is None and not (bundle / "persons.csv").is_file():
        write_demo_bundle(bundle, args.households, args.seed, today=TODAY)
    if not (directory / "ssd_person.csv").is_file():
        write_ssd(bundle_facts(bundle), directory)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    agent = Agent("881", "881-CSC")
    store = open_sqlite(db)
    try:
        staged: Staged = stage_ssd(directory, agent, today=args.today)
        if args.load_only:
            staged = Held(staged)
        wall, cpu = time.perf_counter(), time.process_time()
        if not args.load_only:
            staged = Worker(staged)
        report = load_staged(store, staged, source_name("ssd", directory), agent, today=args.today)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        store.close()
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = worker.ru_utime + worker.ru_stime
    peak, worker_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, worker.ru_maxrss / 2**20
    rows = sum(c.read for c in report.lists.values())
    facts = sum(f.rows for f in report.bundle.files.values()) if report.bundle else 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load_before[0]:.1f}, after: {os.getloadavg()[0]:.1f}\n")
    print(
        "| households | SSD rows | facts written | wall s | CPU s (load + worker) | rows/s (wall) | rows/CPU-s "
        "| peak GiB (load, worker) | target |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.households:,} | {rows:,} | {facts:,} | {wall:.1f} | {cpu:.1f} + {worker_cpu:.1f} "
        f"| {rows / wall:,.0f} | {rows / (cpu + worker_cpu):,.0f} | {peak:.2f}, {worker_peak:.2f} | ≥ 50,000 rows/s |"
    )


if __name__ == "__main__":
    main()
