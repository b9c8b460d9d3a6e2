"""Scoring pairs of records with the model of :mod:`familynet.identity.comparisons` in Splink,
on DuckDB in process (or on any Splink database API, such as Spark's).

>>> level_factors()["sex"]
[('unknown', 1.0), ('equal', 1.94), ('else', 0.06)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from familynet.identity.comparisons import settings
from familynet.identity.features import SCHEMA
from familynet.model.identity import Comparison

#: A pair found in the review band or above: its records, probability and comparisons.
Scored = tuple[str, str, float, tuple[Comparison, ...]]


def level_factors() -> dict[str, list[tuple[str, float]]]:
    """Each comparison's levels: label and Bayes factor (m/u; 1 for the null level)."""
    found = {}
    for comparison in settings()["comparisons"]:
        found[comparison["output_column_name"]] = [
            (
                level["label_for_charts"],
                1.0 if level.get("is_null_level") else level["m_probability"] / level["u_probability"],
            )
            for level in comparison["comparison_levels"]
        ]
    return found


def _level(levels: list[tuple[str, float]], factor: float) -> str:
    # Splink's output gives each comparison's Bayes factor; the model's levels all differ in it.
    return min(levels, key=lambda level: abs(math.log(level[1]) - math.log(factor)))[0]


@dataclass(frozen=True)
class Scorer:
    """Splink over a database API (default: DuckDB in this process); ``blocking`` replaces the
    model's blocking rules (``("1 = 1",)`` compares every pair: for a few records only)."""

    db_api: Any = None
    blocking: tuple[str, ...] | None = None

    def score(self, rows: list[dict[str, Any]], threshold: float, fresh: set[str] | None = None) -> Iterator[Scored]:
        """Every blocked pair of ``rows`` whose match probability is at least ``threshold``; with
        ``fresh``, only pairs with at least one record among them."""
        if len(rows) < 2:
            return iter(())
        import pandas as pd
        from splink import DuckDBAPI, Linker

        model = settings()
        model["retain_intermediate_calculation_columns"] = True
        schema = SCHEMA
        if fresh is not None:
            rows = [{**row, "fresh": row["unique_id"] in fresh} for row in rows]
            schema += ", fresh boolean"
            model["blocking_rules_to_generate_predictions"] = [
                f"({rule}) AND (l.fresh OR r.fresh)" for rule in model["blocking_rules_to_generate_predictions"]
            ]
        if self.blocking is not None:
            model["blocking_rules_to_generate_predictions"] = list(self.blocking)
        db_api = self.db_api if self.db_api is not None else DuckDBAPI()
        spark = getattr(db_api, "spark", None)
        frame = pd.DataFrame(rows) if spark is None else spark.createDataFrame(rows, schema)
        # Splink would print its progress to the terminal; the CLI prints counts of its own.
        linker = Linker(frame, model, db_api=db_api, set_up_basic_logging=False)
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        return _scored(predictions.as_record_dict())


def _scored(records: Iterable[Mapping[str, Any]]) -> Iterator[Scored]:
    levels = level_factors()
    for record in records:
        comparisons = []
        for name, known in levels.items():
            factor = float(record[f"bf_{name}"])
            adjusted = factor * float(record.get(f"bf_tf_adj_{name}") or 1.0)
            comparisons.append(Comparison(name, _level(known, factor), round(math.log2(adjusted), 3)))
        left, right = sorted((str(record["unique_id_l"]), str(record["unique_id_r"])))
        yield left, right, round(float(record["match_probability"]), 6), tuple(comparisons)
