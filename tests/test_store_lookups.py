"""Batched look-ups by id, on every backend: what per-request DataLoaders call."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bundles import FAMILY, changed, with_row, write_bundle
from familynet.bundle.ingest import ingest_bundle
from familynet.model.network import person_node
from familynet.model.records import Person
from familynet.stores.protocol import Store


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


def test_the_confidential_marker_is_stored_and_read_back_on_every_path(store: Store, tmp_path: Path) -> None:
    today = dt.date(2025, 1, 1)
    marked = changed(FAMILY, "persons", 0, confidential="true")
    ingest_bundle(store, write_bundle(tmp_path / "marked", marked), today=today)
    assert store.person("P1").confidential and not store.person("P2").confidential  # type: ignore[union-attr]
    assert {p: q.confidential for p, q in store.persons(["P1", "P3"]).items()} == {"P1": True, "P3": False}
    assert {m.person.person_id: m.person.confidential for m in store.search_persons("nguyen")} == {
        "P1": True,
        "P3": False,
    }
    graph = store.family_network("P2")
    assert graph.nodes[person_node("P1")]["confidential"] is True
    assert graph.nodes[person_node("P4")]["confidential"] is False
    [facts] = list(store.facts("persons"))
    assert [p.person_id for p in facts if isinstance(p, Person) and p.confidential] == ["P1"]
    # A later row states the person whole: an empty cell unmarks them, and changes the load.
    report = ingest_bundle(store, write_bundle(tmp_path / "unmarked", FAMILY), today=today)
    assert report.files["persons"].written.updated == 1
    assert store.person("P1").confidential is False  # type: ignore[union-attr]


def _drop_column(bundle: Path, file: str, column: str) -> Path:
    """The bundle as written before ``column`` existed: ``file`` without it."""
    path = bundle / f"{file}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [name for name in rows[0] if name != column])
        writer.writeheader()
        writer.writerows({name: value for name, value in row.items() if name != column} for row in rows)
    return bundle


def test_a_persons_file_without_the_confidential_column_leaves_every_marker_as_it_is(
    store: Store, tmp_path: Path
) -> None:
    today = dt.date(2025, 1, 1)
    ingest_bundle(
        store, write_bundle(tmp_path / "marked", changed(FAMILY, "persons", 0, confidential="true")), today=today
    )
    # An export from a system that has no marker: the same persons, one renamed, one new.
    older = with_row(changed(FAMILY, "persons", 0, given_name="Zoe"), "persons", person_id="P9", sex="male")
    report = ingest_bundle(
        store, _drop_column(write_bundle(tmp_path / "older", older), "persons", "confidential"), today=today
    )
    assert report.errors == []
    assert report.files["persons"].written.updated == 1 and report.files["persons"].written.inserted == 1
    assert store.person("P1").given_name == "Zoe"  # type: ignore[union-attr]
    assert {p: q.confidential for p, q in store.persons(["P1", "P2", "P9"]).items()} == {
        "P1": True,
        "P2": False,
        "P9": False,
    }
    # Loading it again changes nothing: the kept marker is no change.
    again = ingest_bundle(store, tmp_path / "older", today=today)
    assert again.files["persons"].written.updated == 0 and again.files["persons"].written.inserted == 0


def test_the_last_finished_load_is_what_a_report_names(store: Store, tmp_path: Path) -> None:
    assert store.last_load() is None
    ingest_bundle(store, write_bundle(tmp_path / "first", FAMILY), today=dt.date(2025, 1, 1))
    first = store.last_load()
    assert first is not None and first.source.startswith("first@sha256:")
    ingest_bundle(store, write_bundle(tmp_path / "second", FAMILY), today=dt.date(2025, 1, 1))
    second = store.last_load()
    assert second is not None and second.source.startswith("second@sha256:") and second.load_id > first.load_id
    assert dt.datetime.fromisoformat(second.finished_at) >= dt.datetime.fromisoformat(first.finished_at)
