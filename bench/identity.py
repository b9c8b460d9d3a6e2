"""Identity resolution (issue 11): plain Splink beside familynet's linking, on one synthetic bundle.

Usage::

    .venv/bin/python bench/identity.py [--households 20000] [--seed 1] [--out bench/out/identity]
                                       [--auto 0.95] [--review 0.5] [--no-familynet]
    .venv/bin/python bench/identity.py --resolve-only [--households 200000]

Splink (on DuckDB) is a dependency of familynet's own linking. In one run, over
the bundle's records (``persons.csv``) against its ground truth (``identity_truth.csv``):

(a) plain Splink as its tutorials train it: names (Jaro-Winkler, term frequencies), date of
    birth, sex, NHS number and postcode (each record's latest household); the chance that two
    random records match from deterministic rules, u by random sampling, m by expectation
    maximisation over two blocking rules; links at ``--auto`` and above (clustered), a review
    band from ``--review`` up to it;
(b) familynet's linking, only through its command line::

        familynet ingest BUNDLE --db DB
        familynet identity resolve --db DB
        familynet identity export --format csv --db DB     # person_id,identity_id for every record
        familynet identity review --format json --db DB    # [{"left", "right", "probability"}, ...]

For each, from :mod:`linkage_metrics`: pairwise precision, recall and F1 of the automatic
links; the same once the review band is decided as the ground truth says; the review queue
(pairs, and the records in it as a share of all records); relatives merged. How each audit's
figures change between the record and the identity views is ``bench/identity_views.py``.

``--resolve-only`` times ``familynet identity resolve`` alone on a bundle already loaded
(wall, CPU and peak memory of that process, from ``getrusage(RUSAGE_CHILDREN)`` in a wrapper
process that runs nothing else). The Markdown goes to standard output, with the machine and
its load average.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import linkage_metrics as lm
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 30)
FAMILYNET = str(Path(sys.executable).with_name("familynet"))
#: The issue's targets, printed beside the figures.
TARGETS = {
    "auto precision": "≥ 0.999",
    "auto+review recall": "≥ 0.99",
    "review queue": "≤ 2% of records",
    "relatives merged": "= 0",
    "auto F1": "above (a)'s",
}
#: Runs a command and prints its wall time and its resource use (this wrapper runs nothing else).
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "wall": time.perf_counter() - start, "cpu": use.ru_utime + use.ru_stime,
                  "peak_kib": use.ru_maxrss, "out": done.stdout, "err": done.stderr}))
"""


@dataclass(frozen=True)
class Run:
    """One command's exit code, wall and CPU seconds, peak resident memory, and output."""

    code: int
    wall: float
    cpu: float
    peak_mib: float
    out: str
    err: str


def measured(*args: str) -> Run:
    """Run ``args`` in a wrapper process, so its figures are its own and no one else's."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    return Run(data["code"], data["wall"], data["cpu"], data["peak_kib"] / 1024, data["out"], data["err"])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def bundle_for(households: int, seed: int, out: Path) -> Path:
    bundle = out / f"bundle-{households}-{seed}"
    if not (bundle / "identity_truth.csv").exists():
        write_demo_bundle(bundle, households, seed, today=TODAY)
    return bundle


# -- (a) plain Splink ------------------------------------------------------------------------


def splink_input(bundle: Path) -> Any:
    """One row a record: names, full date of birth (partial ones are null), sex, NHS number, postcode."""
    import pandas as pd

    postcode = {row["household_id"]: row["postcode"] for row in read(bundle / "households.csv")}
    latest: dict[str, tuple[str, str]] = {}
    for row in read(bundle / "household_members.csv"):
        seen = latest.get(row["person_id"])
        if seen is None or row["start_date"] > seen[0]:
            latest[row["person_id"]] = (row["start_date"], postcode[row["household_id"]])
    rows = [
        {
            "unique_id": p["person_id"],
            "given_name": p["given_name"] or None,
            "family_name": p["family_name"] or None,
            "date_of_birth": p["date_of_birth"] if len(p["date_of_birth"]) == 10 else None,
            "sex": p["sex"] if p["sex"] in {"female", "male"} else None,
            "nhs_number": p["nhs_number"].replace(" ", "") or None,
            "postcode": latest[p["person_id"]][1] if p["person_id"] in latest else None,
        }
        for p in read(bundle / "persons.csv")
    ]
    return pd.DataFrame(rows)


def run_splink(bundle: Path, out: Path, auto: float, review: float) -> tuple[Path, Path, float]:
    """Train and run plain Splink; write its answers as familynet's export and review would be."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    # Splink narrates its training at INFO; standard output is the Markdown report.
    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.process_time()
    frame = splink_input(bundle)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nhs_number"),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nhs_number"),
            block_on("given_name", "family_name"),
            block_on("family_name", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "given_name"),
            block_on("postcode", "family_name"),
            block_on("postcode", "date_of_birth"),
        ],
    )
    linker = Linker(frame, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth"), block_on("nhs_number")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    # SplinkDataFrame's methods are untyped: hold it as Any.
    predictions: Any = linker.inference.predict(threshold_match_probability=review)
    clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, auto)
    clusters = clustered.as_pandas_dataframe()
    scored = predictions.as_pandas_dataframe()
    out.mkdir(parents=True, exist_ok=True)
    export, queue = out / "export.csv", out / "review.json"
    identity = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("person_id", "identity_id"))
        writer.writerows(identity.items())
    band = scored[(scored["match_probability"] < auto) & (scored["match_probability"] >= review)]
    pending = [
        {"left": left, "right": right, "probability": float(p)}
        for left, right, p in zip(band["unique_id_l"], band["unique_id_r"], band["match_probability"], strict=True)
        if identity[left] != identity[right]
    ]
    queue.write_text(json.dumps(sorted(pending, key=lambda c: -c["probability"])), encoding="utf-8")
    return export, queue, time.process_time() - started


# -- (b) familynet's linking ------------------------------------------------------------------


def run_familynet(bundle: Path, out: Path) -> tuple[Path, Path, Run] | str:
    """Load, resolve, export and list the review queue through the CLI; or why it could not."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "familynet.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    loaded = measured(FAMILYNET, "ingest", str(bundle), "--db", str(db))
    if loaded.code:
        return f"ingest failed (exit {loaded.code})"
    resolved = measured(FAMILYNET, "identity", "resolve", "--db", str(db))
    if resolved.code:
        return f"`familynet identity resolve` failed or does not exist (exit {resolved.code})"
    export, queue = out / "export.csv", out / "review.json"
    for command, target in ((("export", "--format", "csv"), export), (("review", "--format", "json"), queue)):
        done = measured(FAMILYNET, "identity", *command, "--db", str(db))
        if done.code:
            return f"`familynet identity {command[0]}` failed (exit {done.code})"
        target.write_text(done.out, encoding="utf-8")
    return export, queue, resolved


# -- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A linkage's figures against the ground truth."""

    auto: lm.Scores
    decided: lm.Scores
    queue_pairs: int
    queue_records: int
    records: int
    relatives_merged: int


def evaluate(export: Path, queue: Path, truth: Mapping[str, str], related: set[lm.Pair]) -> Outcome:
    """Score an export (``person_id,identity_id``) and a review queue (JSON) against the truth."""
    clusters = {row["person_id"]: row["identity_id"] for row in read(export)}
    missing = set(truth) - set(clusters)
    if missing:
        raise SystemExit(f"the export leaves out {len(missing)} records")
    review = [(c["left"], c["right"]) for c in json.loads(queue.read_text(encoding="utf-8"))]
    true_pairs = lm.pairs(truth)
    links = lm.pairs(clusters)
    return Outcome(
        auto=lm.score(links, true_pairs),
        decided=lm.score(lm.pairs(lm.decided_by_truth(clusters, review, truth)), true_pairs),
        queue_pairs=len(review),
        queue_records=len({record for pair in review for record in pair}),
        records=len(truth),
        relatives_merged=lm.relatives_merged(links, truth, related),
    )


# -- report -----------------------------------------------------------------------------------


def machine() -> str:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    cpus = os.cpu_count()
    return f"{platform.processor() or platform.machine()}, {cpus} cores; load average {load}"


def outcome_rows(name: str, o: Outcome) -> list[str]:
    share = 100 * o.queue_records / o.records
    return [
        f"| {name} | {o.auto.precision:.4f} | {o.auto.recall:.4f} | {o.auto.f1:.4f} | {o.decided.precision:.4f} "
        f"| {o.decided.recall:.4f} | {o.decided.f1:.4f} | {o.queue_pairs:,} ({share:.2f}% of records) "
        f"| {o.relatives_merged} | {o.auto.links:,} |"
    ]


def compare(args: argparse.Namespace) -> None:
    out = Path(args.out)
    print(f"machine before: {machine()}\n")
    bundle = bundle_for(args.households, args.seed, out)
    truth = {row["person_id"]: row["true_person_id"] for row in read(bundle / "identity_truth.csv")}
    related = lm.relatives(read(bundle / "relationships.csv"), read(bundle / "household_members.csv"), truth)
    true_pairs = len(lm.pairs(truth))
    print(
        f"{args.households:,} households, seed {args.seed}: {len(truth):,} records of "
        f"{len(set(truth.values())):,} true persons, {true_pairs:,} true pairs\n"
    )
    export, queue, cpu = run_splink(bundle, out / "splink", args.auto, args.review)
    rows = outcome_rows(
        f"(a) plain Splink, auto ≥ {args.auto}, review ≥ {args.review}", evaluate(export, queue, truth, related)
    )
    notes = [f"(a) trained and ran in {cpu:.1f} s of CPU."]
    if not args.no_familynet:
        ours = run_familynet(bundle, out / "familynet")
        if isinstance(ours, str):
            notes.append(f"(b) could not be measured: {ours}.")
        else:
            rows += outcome_rows("(b) familynet", evaluate(ours[0], ours[1], truth, related))
            notes.append(
                f"(b) resolved in {ours[2].wall:.1f} s wall, {ours[2].cpu:.1f} s CPU, peak {ours[2].peak_mib:,.0f} MiB."
            )
    print(
        "| linkage | auto precision | auto recall | auto F1 | decided precision | decided recall "
        "| decided F1 | review queue | relatives merged | auto links |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    targets = [TARGETS["auto precision"], "", TARGETS["auto F1"], "", TARGETS["auto+review recall"], ""]
    targets += [TARGETS["review queue"], TARGETS["relatives merged"], ""]
    print("| targets for (b) | " + " | ".join(targets) + " |")
    print()
    print("\n".join(f"- {note}" for note in notes))
    print(f"\nmachine after: {machine()}")


def resolve_only(args: argparse.Namespace) -> None:
    out = Path(args.out)
    bundle = bundle_for(args.households, args.seed, out)
    db = out / f"resolve-{args.households}-{args.seed}.db"
    if not db.exists():
        loaded = measured(FAMILYNET, "ingest", str(bundle), "--db", str(db))
        if loaded.code:
            raise SystemExit(f"ingest failed (exit {loaded.code})")
    print(f"machine before: {machine()}")
    run = measured(FAMILYNET, "identity", "resolve", "--db", str(db))
    if run.code:
        print(f"`familynet identity resolve` failed or does not exist (exit {run.code}): could not be measured")
    else:
        print(
            f"resolve, {args.households:,} households: {run.wall:.1f} s wall (target ≤ 300), {run.cpu:.1f} s CPU, "
            f"peak {run.peak_mib:,.0f} MiB (target < 4,096)"
        )
    print(f"machine after: {machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=None, help="20000, or 200000 with --resolve-only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="bench/out/identity")
    parser.add_argument("--auto", type=float, default=0.95, help="(a) links at this match probability and above")
    parser.add_argument("--review", type=float, default=0.5, help="(a) queues pairs from here up to --auto")
    parser.add_argument("--no-familynet", action="store_true", help="run (a) only")
    parser.add_argument("--resolve-only", action="store_true", help="time familynet identity resolve alone")
    args = parser.parse_args()
    if args.households is None:
        args.households = 200_000 if args.resolve_only else 20_000
    (resolve_only if args.resolve_only else compare)(args)


if __name__ == "__main__":
    main()
