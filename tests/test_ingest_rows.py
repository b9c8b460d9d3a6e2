"""Rows given in memory go through the bundle's checks and load all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bundles import FAMILY
from familynet.bundle.ingest import ingest_rows
from familynet.errors import BundleError
from familynet.stores.protocol import Store

TODAY = dt.date(2025, 1, 1)


def test_valid_rows_load_as_one_load(store: Store) -> None:
    report = ingest_rows(store, "rows", FAMILY, today=TODAY)
    assert report.committed
    assert report.files["persons"].written.inserted == 4
    assert store.stats().labels["Person"] == 4


def test_rows_with_errors_load_nothing_and_name_every_problem(store: Store) -> None:
    ingest_rows(store, "first", {"agencies": FAMILY["agencies"]}, today=TODAY)
    person = {"person_id": "P1", "date_of_birth": "2030-01-01", "recorded_by": "A9"}
    with pytest.raises(BundleError) as raised:
        ingest_rows(store, "second", {"persons": [person, {"person_id": "P2", "sex": "x"}]}, today=TODAY)
    problems = {(p.file, p.line, p.column) for p in raised.value.problems}
    assert problems == {
        ("persons.csv", 2, "date_of_birth"),
        ("persons.csv", 3, "sex"),
    }
    assert store.person("P2") is None
    with pytest.raises(BundleError) as raised:
        ingest_rows(store, "third", {"persons": [{"person_id": "P1", "recorded_by": "A9"}]}, today=TODAY)
    assert [(p.column, p.reason) for p in raised.value.problems] == [
        ("recorded_by", "refers to a agency that is in neither the bundle nor the store")
    ]
    assert store.person("P1") is None
