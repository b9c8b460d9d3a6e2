"""How each audit's findings change between the record and the identity views (issue 11).

Usage::

    .venv/bin/python bench/identity_views.py [--households 3000] [--seed 11] [--out bench/out/identity-views]

Generates a synthetic bundle (``familynet demo-data``'s generator), loads it with
``familynet ingest`` (which links incrementally), resolves every record again with
``familynet identity resolve``, then runs ``familynet audit all --format json`` over the
bundle's last year twice, ``--identities records`` and ``--identities identities``, each
in a wrapper process of its own (wall, CPU and peak memory from ``getrusage``). Prints a
Markdown table of every audit's headline figures in both views and the change, with the
machine and its load average before and after. Only the command line is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from identity import FAMILYNET, TODAY, Run, bundle_for, machine, measured

START = TODAY.replace(year=TODAY.year - 1) + dt.timedelta(days=1)
VIEWS = ("records", "identities")


def audits(db: Path, view: str) -> tuple[dict[str, Any], Run]:
    """Every audit's summary over the last year in one view, and the run's figures."""
    run = measured(
        FAMILYNET, "audit", "all", "--from", str(START), "--to", str(TODAY), "--identities", view,
        "--format", "json", "--db", str(db),
    )  # fmt: skip
    if run.code:
        raise SystemExit(f"familynet audit all --identities {view} failed (exit {run.code}): {run.err[-500:]}")
    return {name: audit["summary"] for name, audit in json.loads(run.out)["audits"].items()}, run


def figures(summary: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The headline figures of a summary: every count and share at its top level, and audit 3's kinds.

    >>> list(figures({"children": 2, "share": {"n": 1, "of": 2, "percent": 50.0}, "by_kind": {"x": 1}, "m": {}}))
    [('children', '2'), ('share', '1 of 2'), ('by_kind.x', '1')]
    """
    for key, value in summary.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield key, f"{value:,}"
        elif isinstance(value, dict) and {"n", "of"} <= value.keys():
            yield key, f"{value['n']:,} of {value['of']:,}"
        elif key == "by_kind":
            yield from ((f"by_kind.{kind}", f"{count:,}") for kind, count in value.items())


def table(by_view: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Markdown rows: audit, figure, records view, identity view, changed."""
    rows = ["| audit | figure | records | identities | changed |", "| --- | --- | ---: | ---: | --- |"]
    for name, summary in by_view["records"].items():
        identities = dict(figures(by_view["identities"][name]))
        for key, value in figures(summary):
            other = identities.get(key, "")
            rows.append(f"| {name} | {key} | {value} | {other} | {'yes' if other != value else ''} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", default="bench/out/identity-views")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine before: {machine()}\n")
    bundle = bundle_for(args.households, args.seed, out)
    db = out / f"familynet-{args.households}-{args.seed}.db"
    if not db.exists():
        for step in (("ingest", str(bundle)), ("identity", "resolve")):
            done = measured(FAMILYNET, *step, "--db", str(db))
            if done.code:
                raise SystemExit(f"familynet {' '.join(step)} failed (exit {done.code}): {done.err[-500:]}")
            print(f"- familynet {step[0]}: {done.wall:.1f} s wall, {done.cpu:.1f} s CPU, peak {done.peak_mib:,.0f} MiB")
    by_view: dict[str, dict[str, Any]] = {}
    for view in VIEWS:
        by_view[view], run = audits(db, view)
        print(f"- audit all, {view} view: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, peak {run.peak_mib:,.0f} MiB")
    print(f"\n{args.households:,} households, seed {args.seed}, {START} to {TODAY}:\n")
    print("\n".join(table(by_view)))
    print(f"\nmachine after: {machine()}")


if __name__ == "__main__":
    main()
