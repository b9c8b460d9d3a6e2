"""The identity model on Splink's Spark backend, in local mode: the same pairs, probabilities and
levels as on DuckDB. Needs pyspark (in the ``test`` and ``spark`` extras) and Java; skipped,
visibly, without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from familynet.identity.features import Context, contexts, feature_row
from familynet.identity.scoring import Scorer
from familynet.model.records import Person, Relationship
from test_identity_store import _family

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra)")


@pytest.mark.slow
# pyspark 3.5 still uses distutils' version classes and leaves its gateway's sockets to the
# garbage collector: warnings of the library, not of familynet.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_the_model_gives_the_same_pairs_on_spark_as_on_duckdb(tmp_path: Path) -> None:
    from pyspark.sql import SparkSession
    from splink.backends.spark import SparkAPI, similarity_jar_location

    records = _family()
    persons = {r.person_id: r for r in records if isinstance(r, Person)}
    found = contexts(persons, [], [], [r for r in records if isinstance(r, Relationship)], {}, [])
    rows = [feature_row(p, found.get(pid, Context())) for pid, p in persons.items()]
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("familynet-identity-test")
        .config("spark.ui.enabled", "false")
        # Splink's Jaro-Winkler and other similarity functions for Spark.
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(str(tmp_path / "checkpoints"))
    try:
        api = SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
        on_spark = {s[:2]: s[2:] for s in Scorer(db_api=api).score(rows, 0.001)}
    finally:
        spark.stop()
    on_duckdb = {s[:2]: s[2:] for s in Scorer().score(rows, 0.001)}
    assert on_duckdb
    assert on_spark.keys() == on_duckdb.keys()
    for key, (probability, comparisons) in on_duckdb.items():
        assert on_spark[key][0] == pytest.approx(probability, abs=1e-6)
        assert [c.level for c in on_spark[key][1]] == [c.level for c in comparisons]
