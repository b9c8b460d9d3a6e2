"""Importing a synthetic Standard Safeguarding Dataset directory into SQLite, in rows per second.

Usage::

    .venv/bin/python bench/imports.py [--households 200000] [--seed 1] [--out bench/out]

Generates the synthetic bundle of ``--households`` households, writes it as an SSD directory
(:func:`familynet.imports.ssd_writer.write_ssd`), then times ``familynet import ssd`` on it into a
new SQLite database: reading and mapping the tables (staging), then checking and loading them.
Rows are the SSD's data rows read (every table). Prints a Markdown table with the CPU seconds
of this process and the load average before and after, since a shared machine stretches wall
times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

from familynet.imports.facts import bundle_facts
from familynet.imports.loading import Agent, load_staged, source_name
from familynet.imports.ssd import stage_ssd
from familynet.imports.ssd_writer import write_ssd
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2026, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    out: Path = args.out / f"imports-{args.households}"
    bundle, directory, db = out / "bundle", out / "ssd", out / "familynet.db"
    load_before = os.getloadavg()
    if not (bundle / "persons.csv").is_file():
        write_demo_bundle(bundle, args.households, args.seed, today=TODAY)
    if not (directory / "ssd_person.csv").is_file():
        write_ssd(bundle_facts(bundle), directory)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    agent = Agent("881", "881-CSC")
    store = open_sqlite(db)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        staging = stage_ssd(directory, agent, today=TODAY)
        staged_wall, staged_cpu = time.perf_counter() - wall, time.process_time() - cpu
        report = load_staged(store, staging, source_name("ssd", directory), agent, today=TODAY)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        store.close()
    rows = sum(c.read for c in report.lists.values())
    facts = sum(f.rows for f in report.bundle.files.values()) if report.bundle else 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load_before[0]:.1f}, after: {os.getloadavg()[0]:.1f}\n")
    print("| households | SSD rows | facts written | staging s (CPU) | total s (CPU) | rows/s | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.households:,} | {rows:,} | {facts:,} | {staged_wall:.1f} ({staged_cpu:.1f}) | {wall:.1f} ({cpu:.1f}) "
        f"| {rows / wall:,.0f} | ≥ 50,000 |"
    )


if __name__ == "__main__":
    main()
