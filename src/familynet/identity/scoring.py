"""Scoring pairs of records with the model of :mod:`familynet.identity.comparisons` in Splink,
on DuckDB in process (or on any Splink database API, such as Spark's).

Each pair's comparisons name the level that held (Splink's ``gamma_`` columns) and its weight:
the log2 Bayes factor, with the term-frequency adjustment of a name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from familynet.identity.comparisons import LEVELS, levels_by_gamma, settings
from familynet.identity.features import SCHEMA
from familynet.model.identity import Comparison

#: A pair found in the review band or above: its records, probability and comparisons.
Scored = tuple[str, str, float, tuple[Comparison, ...]]
#: Each term-frequency-adjusted column's values to their frequency (Splink's ``tf_`` lookup).
Frequencies = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Scorer:
    """Splink over a database API (default: DuckDB in this process); ``blocking`` replaces the
    model's blocking rules, each a rule's SQL or Splink's dict of one (``("1 = 1",)`` compares
    every pair: for a few records only)."""

    db_api: Any = None
    blocking: tuple[str | Mapping[str, Any], ...] | None = None

    def score(
        self,
        rows: list[dict[str, Any]],
        threshold: float,
        fresh: set[str] | None = None,
        frequencies: Frequencies | None = None,
    ) -> Iterator[Scored]:
        """Every blocked pair of ``rows`` whose match probability is at least ``threshold``; with
        ``fresh``, only pairs with at least one record among them; with ``frequencies``, names
        are as common as those say (default: as common as they are among ``rows``)."""
        if len(rows) < 2:
            return iter(())
        import pandas as pd

        db_api = self.db_api if self.db_api is not None else _duckdb_api(None)
        model = self._model(db_api)
        schema = SCHEMA
        if fresh is not None:
            rows = [{**row, "fresh": row["unique_id"] in fresh} for row in rows]
            schema += ", fresh boolean"
            for rule in model["blocking_rules_to_generate_predictions"]:
                rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.fresh OR r.fresh)"
        spark = getattr(db_api, "spark", None)
        frame = pd.DataFrame(rows) if spark is None else spark.createDataFrame(rows, schema)
        predictions = self._predict(frame, model, db_api, threshold, frequencies)
        return _scored(predictions.as_record_dict())

    def score_table(self, db: Any, table: str, threshold: float) -> Iterator[Scored]:
        """Every blocked pair of the feature rows in ``table`` of the DuckDB connection ``db``
        whose match probability is at least ``threshold``, streamed: the rows never leave DuckDB."""
        db_api = _duckdb_api(db)
        predictions = self._predict(table, self._model(db_api), db_api, threshold, None)
        by_gamma = levels_by_gamma()
        columns = ["unique_id_l", "unique_id_r", "match_probability"] + [
            f"{kind}_{name}" for name in by_gamma for kind in ("bf", "bf_tf_adj", "gamma")
        ]
        present = {d[0] for d in db.execute(f"SELECT * FROM {predictions.physical_name} LIMIT 0").description}
        chosen = [column for column in columns if column in present]
        cursor = db.execute(f"SELECT {', '.join(chosen)} FROM {predictions.physical_name}")
        return _scored(dict(zip(chosen, row, strict=True)) for batch in _batches(cursor) for row in batch)

    def _model(self, db_api: Any) -> dict[str, Any]:
        model = settings(db_api.sql_dialect.sql_dialect_str)
        model["retain_intermediate_calculation_columns"] = True
        # Splink writes the level of each comparison (gamma) only with the matching columns.
        model["retain_matching_columns"] = True
        if self.blocking is not None:
            model["blocking_rules_to_generate_predictions"] = [
                {"blocking_rule": rule} if isinstance(rule, str) else dict(rule) for rule in self.blocking
            ]
        return model

    @staticmethod
    def _predict(frame: Any, model: dict[str, Any], db_api: Any, threshold: float,
                 frequencies: Frequencies | None) -> Any:  # fmt: skip
        import pandas as pd
        from splink import Linker

        # Splink would print its progress to the terminal; the CLI prints counts of its own.
        linker = Linker(frame, model, db_api=db_api, set_up_basic_logging=False)
        for column, table in (frequencies or {}).items():
            lookup = pd.DataFrame({column: list(table), f"tf_{column}": list(table.values())})
            linker.table_management.register_term_frequency_lookup(lookup, column)  # type: ignore[no-untyped-call]
        return linker.inference.predict(threshold_match_probability=threshold)


def _duckdb_api(db: Any) -> Any:
    """Splink's DuckDB API over the connection ``db`` (None: a database of its own, in memory)."""
    from splink import DuckDBAPI

    return DuckDBAPI() if db is None else DuckDBAPI(connection=db)


def _batches(cursor: Any) -> Iterator[list[tuple[Any, ...]]]:
    while batch := cursor.fetchmany(10_000):
        yield batch


def _scored(records: Iterable[Mapping[str, Any]]) -> Iterator[Scored]:
    by_gamma = levels_by_gamma()
    for record in records:
        comparisons = []
        for name, levels in by_gamma.items():
            factor = float(record[f"bf_{name}"]) * float(record.get(f"bf_tf_adj_{name}") or 1.0)
            label = LEVELS[name][levels[int(record[f"gamma_{name}"])]][0]
            comparisons.append(Comparison(name, label, round(math.log2(factor), 3)))
        left, right = sorted((str(record["unique_id_l"]), str(record["unique_id_r"])))
        yield left, right, round(float(record["match_probability"]), 6), tuple(comparisons)
