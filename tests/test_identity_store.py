"""Identity resolution over both stores: resolve, decide, undo, re-resolve, incremental, copy."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from contextlib import closing
from pathlib import Path

import pytest

from conftest import LoadRecords
from familynet.access.auth import Role
from familynet.identity.resolution import STAGES, Thresholds, decide, resolve, review_queue
from familynet.model.identity import Decision, DecisionKind, IdentityChanges, IdentityError
from familynet.model.records import Record
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.stores.transfer import copy_store, key_tally
from identity_records import AGENCIES, HEA, POL, home, members_of, parent_of, person, unborn

AT = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
#: A handful of records makes every name in them common (term frequencies), so the thresholds
#: are lower than the defaults: the child's three records link, the twins only go to review.
LINKING = Thresholds(link=0.85, review=0.2)
#: Low thresholds: every scored pair would be linked, but for the guardrails.
EAGER = Thresholds(link=1e-9, review=1e-12)


#: Other people's records, so that names have realistic frequencies (term-frequency adjustment).
OTHERS = [person(f"X{i:02}", given, family, f"19{60 + i}-0{1 + i % 9}-1{i % 10}")
          for i, (given, family) in enumerate(
              (g, f) for g in ("Ava", "Ben", "Cara", "Dev", "Ema", "Finn") for f in ("Okafor", "Nowak", "Patel", "Reid"))]  # fmt: skip


def _family() -> list[Record]:
    """A mother, her child recorded by social care, police and health, twins, and a father and
    son of the same name, among others."""
    return [
        *AGENCIES,
        *OTHERS,
        person("M1", "Mary", "Kowalczyk", "1990-05-06", "female"),
        person("C1", "Jonathan", "Kowalczyk", "2015-03-04"),
        person("C1P", "Jonathon", "Kowalczyk", "2015-04-03", by=POL),
        person("C1H", "Jonathan", "Kowalczyk", "2015-03-04", nhs="9434765919", by=HEA),
        person("T1", "Jack", "Kowalczyk", "2018-07-08"),
        person("T2", "Harry", "Kowalczyk", "2018-07-08", by=HEA),
        person("F1", "John", "Smith", "1985-01-02"),
        person("F2", "John", "Smith", "2012-01-02"),
        parent_of("M1", "C1"),
        parent_of("M1", "T1"),
        parent_of("M1", "T2", by=HEA),
        parent_of("F1", "F2"),
        *home("H1", "M1", "C1", "T1", "T2", "F1", "F2"),  # type: ignore[list-item]
        *members_of("H1", "C1P", by=POL),
        *members_of("H1", "C1H", by=HEA),
    ]


def _identities(store: Store) -> dict[str, str]:
    return dict(store.identity_state().members)


def _decide(store: Store, kind: DecisionKind, left: str, right: str, thresholds: Thresholds = EAGER) -> None:
    decide(store, Decision(kind, left, right, "reviewer", f"checked {kind.value}", AT), thresholds)


def test_resolve_links_one_child_recorded_by_three_agencies_and_never_twins_or_father_and_son(
    store: Store, load: LoadRecords
) -> None:
    load(store, _family())
    counts = resolve(store, LINKING, now=AT)
    members = _identities(store)
    # The social-care record names the identity.
    assert members["C1"] == members["C1P"] == members["C1H"] == "C1"
    assert members["T1"] != members["T2"]
    assert members["F1"] != members["F2"]
    assert counts.identities == len(set(members.values())) == 6 + len(OTHERS)
    resolve(store, EAGER, now=AT)
    members = _identities(store)
    assert members["T1"] != members["T2"] and members["F1"] != members["F2"] and members["M1"] != members["C1"]
    reasons = {c.pair: c.reasons for c in review_queue(store.identity_state())}
    assert "possible twins" in reasons[("T1", "T2")]
    assert "a generation apart" in reasons[("F1", "F2")] and "related" in reasons[("F1", "F2")]


def test_an_unborn_childs_record_links_to_the_record_at_birth_not_to_an_older_sibling(
    store: Store, load: LoadRecords
) -> None:
    """The two records share the mother (they look like siblings); the defaults link them, and
    only a ``sibling_of`` recorded between them would stop it."""
    baby = [
        unborn("U", "Kowalczyk", "2024-05-01"),
        person("B", "Amy", "Kowalczyk", "2024-04-24", "female", by=HEA),
        parent_of("M1", "U"),
        parent_of("M1", "B", by=HEA),
        *members_of("H1", "U"),
        *members_of("H1", "B", by=HEA),
    ]
    load(store, [*_family(), *baby])
    resolve(store, Thresholds(), now=AT)
    members = _identities(store)
    assert members["U"] == members["B"] == "U"
    assert len({members["U"], members["C1"], members["T1"], members["M1"]}) == 4


def test_resolve_is_idempotent(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    first = resolve(store, LINKING, now=AT)
    state = store.identity_state()
    assert resolve(store, LINKING, now=AT + dt.timedelta(days=1)) == first
    assert store.identity_state() == state


def test_resolve_tells_its_progress_of_every_stage(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    told: list[int] = []
    resolve(store, LINKING, now=AT, progress=told.append)
    assert told == [1] * STAGES


def test_link_distinct_unlink_round_trip(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    before = _identities(store)
    _decide(store, DecisionKind.UNLINK, "C1", "C1P")
    after = _identities(store)
    assert after["C1P"] != after["C1"]
    resolve(store, LINKING, now=AT)
    assert _identities(store) == after, "an unlink is never crossed by a later automatic link"
    _decide(store, DecisionKind.LINK, "C1", "C1P")
    assert _identities(store) == before
    _decide(store, DecisionKind.DISTINCT, "T1", "T2")
    resolve(store, EAGER, now=AT)
    assert _identities(store)["T1"] != _identities(store)["T2"]
    assert ("T1", "T2") not in {c.pair for c in review_queue(store.identity_state())}
    kinds = [d.kind for d in store.identity_state().decisions]
    assert kinds == [DecisionKind.UNLINK, DecisionKind.LINK, DecisionKind.DISTINCT]
    assert all(d.user == "reviewer" and d.at == AT for d in store.identity_state().decisions)


def test_a_user_link_is_kept_with_its_reason_and_splits_back_on_unlink(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    record_level = _identities(store)
    _decide(store, DecisionKind.LINK, "M1", "F1")
    link = next(link for link in store.identity_state().links if link.pair == ("F1", "M1"))
    assert (link.user, link.reason, link.model) == ("reviewer", "checked link", None)
    assert _identities(store)["F1"] == _identities(store)["M1"]
    _decide(store, DecisionKind.UNLINK, "M1", "F1")
    assert _identities(store) == record_level


@pytest.mark.parametrize(
    ("kind", "left", "right", "message"),
    [
        (DecisionKind.LINK, "C1", "NOPE", "no record with id 'NOPE'"),
        (DecisionKind.LINK, "C1", "C1", "cannot be decided about with itself"),
        (DecisionKind.UNLINK, "T1", "T2", "not linked"),
        (DecisionKind.LINK, "F1", "F2", "contradicts"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(
    store: Store, load: LoadRecords, kind: DecisionKind, left: str, right: str, message: str
) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    state = store.identity_state()
    with pytest.raises(IdentityError, match=message):
        _decide(store, kind, left, right)
    assert store.identity_state() == state


def test_undistinct_withdraws_a_distinct_decision_and_keeps_it(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    _decide(store, DecisionKind.DISTINCT, "C1", "C1P")
    assert _identities(store)["C1"] != _identities(store)["C1P"]
    with pytest.raises(IdentityError, match="contradicts a distinct"):
        _decide(store, DecisionKind.LINK, "C1", "C1P")
    _decide(store, DecisionKind.UNDISTINCT, "C1P", "C1", LINKING)
    assert _identities(store)["C1"] == _identities(store)["C1P"], "undecided again: the model links them"
    _decide(store, DecisionKind.DISTINCT, "T1", "T2")
    _decide(store, DecisionKind.UNDISTINCT, "T1", "T2", LINKING)
    assert ("T1", "T2") in {c.pair for c in review_queue(store.identity_state())}, "guardrailed: back to review"
    kinds = [d.kind for d in store.identity_state().decisions]
    assert kinds == [DecisionKind.DISTINCT, DecisionKind.UNDISTINCT, DecisionKind.DISTINCT, DecisionKind.UNDISTINCT]
    state = store.identity_state()
    with pytest.raises(IdentityError, match="no distinct decision"):
        _decide(store, DecisionKind.UNDISTINCT, "T1", "T2")
    assert store.identity_state() == state


def test_a_link_contradicting_a_distinct_decision_is_refused(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    _decide(store, DecisionKind.DISTINCT, "T1", "T2")
    with pytest.raises(IdentityError, match="contradicts a distinct"):
        _decide(store, DecisionKind.LINK, "T2", "T1")
    _decide(store, DecisionKind.LINK, "C1", "T1")
    with pytest.raises(IdentityError, match="contradicts a distinct"):
        _decide(store, DecisionKind.LINK, "C1", "T2")


def test_incremental_linking_gives_the_identities_of_a_full_resolve(
    store: Store, load: LoadRecords, tmp_path: Path
) -> None:
    records = _family()
    later = {"C1H", "T2"}
    load(store, [r for r in records if not {getattr(r, "person_id", ""), getattr(r, "related_person_id", "")} & later])
    resolve(store, LINKING, now=AT)
    load(store, records, "second")
    counts = resolve(_ReadingNoWholeFile(store), LINKING, fresh=later, now=AT)  # type: ignore[arg-type]
    _same_as_a_full_resolve(store, counts, records, later, load, tmp_path)


def test_linking_new_records_finds_stored_records_that_hold_no_blocking_keys(
    store: Store, load: LoadRecords, tmp_path: Path
) -> None:
    # Records loaded without linking (ingest --no-link, a copy, a store from before the keys) hold
    # no blocking key, so no key finds them: linking the next records must still meet them.
    records = _family()
    later = {"C1H", "T2"}
    load(store, [r for r in records if not {getattr(r, "person_id", ""), getattr(r, "related_person_id", "")} & later])
    load(store, records, "second")
    counts = resolve(store, LINKING, fresh=later, now=AT)
    _same_as_a_full_resolve(store, counts, records, later, load, tmp_path)
    assert not store.lacks_identity_keys(())


def test_a_decision_reads_only_the_records_around_it(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    watched = _ReadingNoWholeFile(store)
    decision = Decision(DecisionKind.DISTINCT, "T1", "T2", "reviewer", "twins", AT)
    assert decide(watched, decision, LINKING) == resolve(store, LINKING, now=AT)  # type: ignore[arg-type]
    with pytest.raises(IdentityError, match="no record with id 'NOPE'"):
        decide(watched, Decision(DecisionKind.LINK, "T1", "NOPE", "reviewer", "x", AT), LINKING)  # type: ignore[arg-type]


def test_person_first_loads_of_some_records_are_those_of_every_record(store: Store, load: LoadRecords) -> None:
    records = _family()
    load(store, [r for r in records if "T2" not in {getattr(r, "person_id", ""), getattr(r, "related_person_id", "")}])
    load(store, records, "second")
    every = store.person_first_loads()
    assert every["T2"] > every["T1"]
    assert store.person_first_loads(["T1", "T2", "NOPE"]) == {"T1": every["T1"], "T2": every["T2"]}
    assert store.person_first_loads([]) == {}
    assert store.identity_totals()[0] == len(every)


def _same_as_a_full_resolve(
    store: Store, counts: object, records: list[Record], later: set[str], load: LoadRecords, tmp_path: Path
) -> None:
    full = open_sqlite(tmp_path / "full.db")
    try:
        load(full, records)
        assert counts == resolve(full, LINKING, now=AT)
        assert _identities(store) == _identities(full)
        assert review_queue(store.identity_state()) == review_queue(full.identity_state())
        # The new pairs' probabilities too: names as common among every record as a full resolve finds them.
        assert _pairs_of(store, later) == _pairs_of(full, later)
        assert _pairs_of(store, later)
    finally:
        full.close()


class _ReadingNoWholeFile:
    """A store that fails the test when a whole file of facts, every record's first load or
    every identity fact is read (linking a few records, or a decision, reads only those records,
    their candidates and the identities around them)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def facts(self, file: str, *, batch_size: int = 10_000) -> None:
        raise AssertionError(f"incremental linking read every row of {file}")

    def person_first_loads(self, person_ids: Collection[str] | None = None) -> dict[str, int]:
        if person_ids is None:
            raise AssertionError("incremental linking read every record's first load")
        return self._store.person_first_loads(person_ids)

    def identity_state(self) -> None:
        raise AssertionError("incremental linking read every identity fact")

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def _pairs_of(store: Store, records: set[str]) -> list[tuple[str, str, float]]:
    state = store.identity_state()
    return sorted((c.left, c.right, c.probability) for c in state.candidates if set(c.pair) & records)


def test_copy_carries_identities(store: Store, load: LoadRecords, tmp_path: Path) -> None:
    source = open_sqlite(tmp_path / "source.db")
    try:
        load(source, _family())
        resolve(source, LINKING, now=AT)
        _decide(source, DecisionKind.DISTINCT, "T1", "T2")
        copy_store(source, store)
        assert store.identity_state() == source.identity_state()
    finally:
        source.close()


def test_copy_carries_blocking_keys_both_ways_so_the_next_link_stays_incremental(
    store: Store, load: LoadRecords, tmp_path: Path
) -> None:
    records = _family()
    later = {"C1H", "T2"}
    source, back = open_sqlite(tmp_path / "source.db"), open_sqlite(tmp_path / "back.db")
    try:
        load(
            source,
            [r for r in records if not {getattr(r, "person_id", ""), getattr(r, "related_person_id", "")} & later],
        )
        resolve(source, LINKING, now=AT)
        keys = key_tally(source.identity_keys())
        assert keys.count > len(records)
        copy_store(source, store)
        copy_store(store, back)
        assert key_tally(store.identity_keys()) == keys == key_tally(back.identity_keys())
        # Linking after a copy finds its candidates by key: no whole file is read.
        load(store, records, "second")
        counts = resolve(_ReadingNoWholeFile(store), LINKING, fresh=later, now=AT)  # type: ignore[arg-type]
        _same_as_a_full_resolve(store, counts, records, later, load, tmp_path)
    finally:
        source.close()
        back.close()


def test_migration_008_keeps_every_decision_and_user_and_admits_undistinct_and_the_records_role(
    tmp_path: Path,
) -> None:
    """A store made before ``undistinct`` and the records role: its decisions and users are kept."""
    db = tmp_path / "old.db"
    schema = Path(__file__).resolve().parents[1] / "schema" / "sqlite"
    with closing(sqlite3.connect(db)) as connection:
        for script in sorted(schema.glob("00[1-5]_*.sql")):
            connection.executescript(script.read_text(encoding="utf-8"))
        connection.executescript(
            "INSERT INTO identity_decisions VALUES (7, 'distinct', 'T1', 'T2', 'reviewer', 'twins', '2026-12-01T00:00:00+00:00');"
            "INSERT INTO users VALUES ('pat', 'practitioner', 'SC', 'h', '2026-12-01T00:00:00+00:00', NULL);"
            "PRAGMA user_version = 5;"
        )
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("INSERT INTO identity_decisions VALUES (8, 'undistinct', 'T1', 'T2', 'r', 'x', 'y')")
    store = open_sqlite(db)
    try:
        (kept,) = store.identity_state().decisions
        assert (kept.kind, kept.pair, kept.user, kept.reason) == (
            DecisionKind.DISTINCT,
            ("T1", "T2"),
            "reviewer",
            "twins",
        )
        assert [(u.name, u.role) for u in store.users()] == [("pat", Role.PRACTITIONER)]
        store.add_user("rec", Role.RECORDS, None, "h2", AT)
        store.apply_identity_changes(
            IdentityChanges(decisions=(Decision(DecisionKind.UNDISTINCT, "T1", "T2", "rec", "wrong pair", AT),))
        )
        assert [d.kind for d in store.identity_state().decisions] == [DecisionKind.DISTINCT, DecisionKind.UNDISTINCT]
    finally:
        store.close()
