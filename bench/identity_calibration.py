"""Calibrating familynet's identity model on a labelled synthetic bundle (issue 11).

Usage::

    .venv/bin/familynet ingest BUNDLE --db STORE.db --no-link
    .venv/bin/python bench/identity_calibration.py --db STORE.db --bundle BUNDLE \
        [--check-db STORE2.db --check-bundle BUNDLE2]

1. Every pair the model's blocking rules find is compared by the model's levels, in Splink
   (``gamma_*`` columns: which level of each comparison holds).
2. Supervised Fellegi–Sunter over those pairs, from the bundle's ground truth
   (``identity_truth.csv``): a level's m is the share of the blocked true pairs at that level,
   its u the share of the blocked pairs of two different people at it (each count plus a half,
   so that no level is certain); the prior is the share of true pairs among the blocked ones.
   Taking u among blocked pairs rather than random ones is deliberate: blocked pairs of two
   people are mostly relatives and namesakes (siblings share parents, a surname and a home),
   so a level's weight is what it says among the pairs the model must tell apart.
3. With those parameters, for each pair of thresholds in a grid, clustering as
   ``identity resolve`` does (guardrails, relatives never merged): auto-link precision and
   recall, recall once the review band is decided by the truth, queue size, relatives merged.
   The chosen defaults: the lowest link threshold whose auto-link precision is at least
   ``--precision`` (0.999) with no relative merged, then the lowest review threshold whose
   queue holds at most ``--queue`` (2%) of the records.

``--as-is`` skips the fit and measures the model's own parameters (those ``identity resolve``
uses, with the changes by judgement). ``--check-db``/``--check-bundle`` evaluates the chosen
parameters and thresholds on a second bundle (another seed), so the figures are not those of
the data the model was fitted to.
Prints the levels as the Python of ``familynet.identity.comparisons.LEVELS`` and the figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import linkage_metrics as lm
from familynet.identity.comparisons import LEVELS, PRIOR, levels_by_gamma, settings
from familynet.identity.records import Records
from familynet.identity.resolution import Thresholds, _cluster
from familynet.model.identity import IdentityState, is_queued
from familynet.stores.sqlite.store import open_sqlite


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Labelled:
    """A loaded bundle: its records, every blocked pair with its levels, and the truth."""

    records: Records
    left: list[str]
    right: list[str]
    levels: dict[str, list[int]]  # comparison -> index into LEVELS[comparison], per pair
    tf: dict[str, list[float]]  # term-frequency adjustment (Bayes factor) of the exact level, per pair
    truth: dict[str, str]
    related: set[lm.Pair]


def labelled(db: Path, bundle: Path) -> Labelled:
    import pandas as pd
    from splink import DuckDBAPI, Linker

    store = open_sqlite(db)
    loads = store.person_first_loads()
    records = Records.read_of(store, loads.keys())
    model = settings()
    model["retain_intermediate_calculation_columns"] = True
    model["retain_matching_columns"] = True
    db_api = DuckDBAPI()
    linker = Linker(pd.DataFrame(records.rows()), model, db_api=db_api, set_up_basic_logging=False)
    predictions: Any = linker.inference.predict()  # SplinkDataFrame's methods are untyped
    # Only the columns used: with both records' matching columns, 2 million pairs take 9 GiB.
    wanted = ["unique_id_l", "unique_id_r"] + [f"gamma_{name}" for name in LEVELS]
    wanted += [f"bf_tf_adj_{name}" for name in ("given_name", "family_name")]
    frame = db_api._execute_sql_against_backend(f"SELECT {', '.join(wanted)} FROM {predictions.physical_name}").df()
    levels = {name: [index[int(g)] for g in frame[f"gamma_{name}"]] for name, index in levels_by_gamma().items()}
    tf = {
        name: [1.0 if math.isnan(x) else float(x) for x in frame[f"bf_tf_adj_{name}"]]
        for name in ("given_name", "family_name")
    }
    truth = {row["person_id"]: row["true_person_id"] for row in read(bundle / "identity_truth.csv")}
    related = lm.relatives(read(bundle / "relationships.csv"), read(bundle / "household_members.csv"), truth)
    return Labelled(records, list(frame["unique_id_l"]), list(frame["unique_id_r"]), levels, tf, truth, related)


@dataclass(frozen=True)
class Model:
    """Fitted parameters: (m, u) per comparison and level index, and the prior."""

    mu: dict[str, dict[int, tuple[float, float]]]
    prior: float
    tf_u: dict[str, float]  # the exact level's u the tf adjustments of the data were computed for


def fit(data: Labelled) -> Model:
    """Splink's own estimates: m from the truth (every pair of records of one person, blocked or
    not), u by random sampling of pairs; the model's prior is kept (set for a store of 700,000
    records, so figures on a smaller bundle are conservative)."""
    import pandas as pd
    from splink import DuckDBAPI, Linker

    rows = [{**row, "truth": data.truth[str(row["unique_id"])]} for row in data.records.rows()]
    linker = Linker(pd.DataFrame(rows), settings(), db_api=DuckDBAPI(), set_up_basic_logging=False)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_m_from_label_column("truth")
    model = linker.misc.save_model_to_json()
    mu = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        mu[name] = {
            i: (max(level.get("m_probability") or 0.0, 1e-6), max(level.get("u_probability") or 0.0, 1e-7))
            for i, level in enumerate(comparison["comparison_levels"])
            if not level.get("is_null_level")
        }
    tf_u = {name: next(u for label, _, _, u in LEVELS[name] if label == "exact") or 1.0 for name in data.tf}
    return Model(mu, float(model["probability_two_random_records_match"]), tf_u)


def as_is(data: Labelled) -> Model:
    """The model's own parameters (``familynet.identity.comparisons``), as ``identity resolve`` uses them."""
    mu = {
        name: {i: (m, u) for i, (_, _, m, u) in enumerate(levels) if m is not None and u is not None}
        for name, levels in LEVELS.items()
    }
    tf_u = {name: next(u for label, _, _, u in LEVELS[name] if label == "exact") or 1.0 for name in data.tf}
    return Model(mu, PRIOR, tf_u)


def probabilities(model: Model, data: Labelled) -> list[float]:
    odds = math.log2(model.prior / (1 - model.prior))
    weights = [odds] * len(data.left)
    for name, levels in data.levels.items():
        table = {i: math.log2(m / u) for i, (m, u) in model.mu[name].items()}
        tf = data.tf.get(name)
        exact = next((i for i, (label, *_rest) in enumerate(LEVELS[name]) if label == "exact"), -2)
        for k, level in enumerate(levels):
            weights[k] += table.get(level, 0.0)
            if tf is not None and level == exact:
                # Splink's adjustment is u_exact / tf; the fitted u replaces the model's.
                weights[k] += math.log2(tf[k] * model.mu[name][exact][1] / model.tf_u[name])
    return [1 / (1 + 2 ** (-w)) for w in weights]


@dataclass(frozen=True)
class Figures:
    link: float
    review: float
    auto: lm.Scores
    decided: lm.Scores
    queue_pairs: int
    queue_share: float
    relatives_merged: int


def figures(data: Labelled, probability: list[float], link: float, review: float) -> Figures:
    scored = [
        (*sorted((a, b)), p, ()) for a, b, p in zip(data.left, data.right, probability, strict=True) if p >= review
    ]
    outcome = _cluster(data.records, scored, (), Thresholds(link, review), dt.datetime.now(dt.UTC), IdentityState())  # type: ignore[arg-type]
    queue = [c.pair for c in outcome.candidates.values() if is_queued(c, outcome.members, {})]
    true_pairs = lm.pairs(data.truth)
    links = lm.pairs(outcome.members)
    return Figures(
        link,
        review,
        lm.score(links, true_pairs),
        lm.score(lm.pairs(lm.decided_by_truth(outcome.members, queue, data.truth)), true_pairs),
        len(queue),
        len({r for q in queue for r in q}) / len(data.truth),
        lm.relatives_merged(links, data.truth, data.related),
    )


def row(f: Figures) -> str:
    return (
        f"| {f.link} | {f.review} | {f.auto.precision:.4f} | {f.auto.recall:.4f} | {f.auto.f1:.4f} "
        f"| {f.decided.recall:.4f} | {f.decided.f1:.4f} | {f.queue_pairs:,} ({100 * f.queue_share:.2f}%) "
        f"| {f.relatives_merged} |"
    )


HEADER = (
    "| link | review | auto precision | auto recall | auto F1 | decided recall | decided F1 | queue | relatives |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)
LINKS = (0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999)
REVIEWS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5)


def choose(data: Labelled, probability: list[float], precision: float, queue: float) -> tuple[float, float]:
    print(HEADER)
    link = LINKS[-1]
    for candidate in LINKS:
        f = figures(data, probability, candidate, candidate)
        print(row(f))
        if f.auto.precision >= precision and f.relatives_merged == 0:
            link = candidate
            break
    review = link
    for candidate in sorted(REVIEWS, reverse=True):
        if candidate > link:
            continue
        f = figures(data, probability, link, candidate)
        print(row(f))
        if f.queue_share <= queue:
            review = candidate
    return link, review


def levels_python(model: Model) -> str:
    lines = []
    for name, spec in LEVELS.items():
        lines.append(f"    {name!r}:")
        for i, (label, _, m, _) in enumerate(spec):
            if m is not None:
                fm, fu = model.mu[name][i]
                lines.append(f"        {label!r}: m {fm:.3g}, u {fu:.3g}, weight {math.log2(fm / fu):+.1f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--check-db", type=Path)
    parser.add_argument("--check-bundle", type=Path)
    parser.add_argument("--precision", type=float, default=0.999)
    parser.add_argument("--queue", type=float, default=0.02)
    parser.add_argument("--as-is", action="store_true", help="the model's own parameters, not fitted ones")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    data = labelled(args.db, args.bundle)
    model = as_is(data) if args.as_is else fit(data)
    print(f"blocked pairs {len(data.left):,}; prior (true among blocked) {model.prior:.5f}")
    print(levels_python(model))
    link, review = choose(data, probabilities(model, data), args.precision, args.queue)
    print(f"chosen: link {link}, review {review}")
    if args.check_db and args.check_bundle:
        check = labelled(args.check_db, args.check_bundle)
        print("on the check bundle:\n" + HEADER)
        print(row(figures(check, probabilities(model, check), link, review)))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
