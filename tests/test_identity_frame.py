"""A full resolve's features, built in DuckDB (familynet.identity.frame), are the features the
incremental path builds record by record (familynet.identity.features), on both stores: the
same model then sees the same rows either way (docs/identity.md, "Performance")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from familynet.bundle.ingest import ingest_bundle
from familynet.identity.blocking import stored_keys, stored_keys_of
from familynet.identity.frame import FEATURES, MEMORY_LIMIT, FeatureFrame, engine, memory_limit
from familynet.identity.records import Records
from familynet.identity.resolution import Thresholds, resolve
from familynet.model.identity import IdentityError
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2026, 12, 5)


def _frame_rows(store: Store) -> dict[str, dict[str, Any]]:
    with engine() as db:
        FeatureFrame.read(store, db)
        cursor = db.execute(f"SELECT * FROM {FEATURES}")
        columns = [d[0] for d in cursor.description]
        return {str(row[0]): dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def test_the_frame_holds_each_records_features_as_the_incremental_path_builds_them(
    store: Store, tmp_path: Path
) -> None:
    write_demo_bundle(tmp_path / "bundle", 60, 2, today=TODAY)
    assert ingest_bundle(store, tmp_path / "bundle", today=TODAY).committed
    first_loads = store.person_first_loads()
    expected = {str(row["unique_id"]): row for row in Records.read_of(store, first_loads.keys()).rows()}
    found = _frame_rows(store)
    assert found.keys() == expected.keys()
    # Every column is exercised, or the comparison below would prove nothing about it.
    assert {c for row in expected.values() for c, v in row.items() if v is not None} == set(found[next(iter(found))])
    assert [pid for pid in expected if found[pid] != expected[pid]] == []
    # The same keys too: those the frame stores are those incremental linking seeks.
    with engine() as db:
        FeatureFrame.read(store, db)
        assert set(stored_keys_of(db, FEATURES)) == set(stored_keys(list(expected.values())))


def test_the_memory_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAMILYNET_IDENTITY_MEMORY_LIMIT", raising=False)
    assert memory_limit() == MEMORY_LIMIT
    monkeypatch.setenv("FAMILYNET_IDENTITY_MEMORY_LIMIT", "300MB")
    with engine() as db:
        limit = db.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        spill = db.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert limit == "286.1 MiB" and "familynet-identity-" in spill and not Path(spill).exists()


def test_a_memory_limit_duckdb_cannot_read_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILYNET_IDENTITY_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="FAMILYNET_IDENTITY_MEMORY_LIMIT"), engine():
        pass
    assert duckdb  # the error is DuckDB's, reworded


def test_a_resolve_beyond_the_memory_limit_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_demo_bundle(tmp_path / "bundle", 60, 2, today=TODAY)
    store = open_sqlite(tmp_path / "store.db")
    try:
        assert ingest_bundle(store, tmp_path / "bundle", today=TODAY).committed
        monkeypatch.setenv("FAMILYNET_IDENTITY_MEMORY_LIMIT", "1MB")
        with pytest.raises(IdentityError, match=r"more memory than FAMILYNET_IDENTITY_MEMORY_LIMIT allows \(1MB\)"):
            resolve(store, Thresholds())
    finally:
        store.close()
