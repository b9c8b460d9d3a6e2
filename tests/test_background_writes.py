"""A load's writes on a thread of their own (familynet.bundle.background), on every backend:
reads see every earlier write, counts reach their file's report, and an error on the
writer's thread is raised to the caller and loads nothing."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from types import FrameType

import pytest

from bundles import FAMILY, write_bundle
from familynet.bundle.background import background_writes
from familynet.bundle.ingest import ingest_bundle
from familynet.bundle.report import FileReport
from familynet.errors import StoreError
from familynet.model.records import Agency, Person
from familynet.stores.protocol import Store, WriteCounts

_AGENCY = Agency("A1", "Children's Services", "social_care")
_PERSON = Person("P1", "Ada", "Example", None, None, "female", None, None, "A1")


def test_a_read_waits_for_the_batch_in_flight_and_counts_reach_the_report(store: Store) -> None:
    agencies, persons = FileReport(), FileReport()
    with store.load("test") as writer, background_writes(writer) as background:
        background.submit([_AGENCY], agencies)
        assert background.known_ids("agencies", ["A1", "A2"]) == {"A1"}
        assert agencies.written == WriteCounts(inserted=1)
        background.submit([_PERSON], persons)
    assert persons.written == WriteCounts(inserted=1)
    assert store.person("P1") == _PERSON


def _mixed_load(store: Store) -> None:
    with store.load("test") as writer, background_writes(writer) as background:
        background.submit([_AGENCY], FileReport())
        background.submit([_AGENCY, _PERSON], FileReport())


def test_an_error_on_the_writers_thread_is_raised_and_nothing_is_loaded(store: Store) -> None:
    with pytest.raises(StoreError, match="one class"):
        _mixed_load(store)
    assert store.stats().labels.get("Agency", 0) == 0


def test_an_ingest_writes_on_a_thread_of_its_own(store: Store, tmp_path: Path) -> None:
    writers: set[str] = set()

    def trace(frame: FrameType, event: str, arg: object) -> None:
        # Threads started from here on call this as they enter each function.
        if frame.f_code.co_name == "write":
            writers.add(threading.current_thread().name)

    threading.settrace(trace)
    try:
        report = ingest_bundle(store, write_bundle(tmp_path / "bundle", FAMILY), today=dt.date(2025, 1, 1))
    finally:
        threading.settrace(None)
    assert report.committed and report.files["persons"].written.inserted > 0
    assert writers and all(name.startswith("familynet-writes") for name in writers)
