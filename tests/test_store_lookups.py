"""Batched look-ups by id, on every backend: what per-request DataLoaders call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bundles import FAMILY, write_bundle
from familynet.ingest import ingest_bundle
from familynet.store import Store


def test_lookups_return_only_stored_ids(store: Store, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "bundle", FAMILY), today=dt.date(2025, 1, 1))
    persons = store.persons(["P1", "P3", "P9"])
    assert sorted(persons) == ["P1", "P3"]
    assert persons["P1"] == store.person("P1")
    assert store.agencies(["A2", "A9"])["A2"].kind == "police"
    referral = store.referrals(["R1", "R9"])
    assert list(referral) == ["R1"]
    assert referral["R1"].concerns == ("3A", "16A")
    assert referral["R1"].received_on == dt.date(2024, 2, 29)
    assert store.persons([]) == {} and store.agencies([]) == {} and store.referrals([]) == {}
