"""Blocking keys find every pair each of the model's blocking rules compares, so that linking new
records reads only the records sharing a key with them (docs/identity.md, "Incremental linking").
A blocking rule added to the model is checked here as soon as it is added."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from familynet.bundle.ingest import ingest_bundle
from familynet.identity.blocking import Keys, blocking_keys, rule, rules
from familynet.identity.comparisons import BLOCKING
from familynet.identity.features import Context, feature_row
from familynet.identity.records import Records
from familynet.identity.scoring import Scorer
from familynet.model.dates import PartialDate
from familynet.model.identity import IdentityError
from familynet.model.records import Person
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The feature rows of a small synthetic bundle: duplicates of every kind, relatives, homes."""
    path = tmp_path_factory.mktemp("blocking")
    write_demo_bundle(path / "bundle", 80, 3, today=TODAY)
    store = open_sqlite(path / "store.db")
    try:
        assert ingest_bundle(store, path / "bundle", today=TODAY).committed
        first_loads = store.person_first_loads()
        return Records.read_of(store, first_loads.keys()).rows()
    finally:
        store.close()


def _found(keys: Keys, left: str, right: str) -> bool:
    """Whether each record of the pair, new, finds the other by its keys."""
    return bool(keys.sought[left] & keys.own[right]) and bool(keys.sought[right] & keys.own[left])


@pytest.mark.parametrize("number", range(len(BLOCKING)), ids=[str(b["blocking_rule"]) for b in BLOCKING])
def test_the_keys_of_each_blocking_rule_find_every_pair_it_compares(rows: list[dict[str, Any]], number: int) -> None:
    blocking = BLOCKING[number]
    compared = {(left, right) for left, right, *_ in Scorer(blocking=(blocking,)).score(rows, 0.0)}
    assert compared, "the synthetic bundle has no pair this rule compares: the check below would prove nothing"
    keys = blocking_keys(rows, [rule(blocking)])
    assert [pair for pair in compared if not _found(keys, *pair)] == []


def test_a_pair_no_rule_compares_shares_no_key() -> None:
    """The keys are no more than the rules: two records alike in nothing blocked share none."""
    one = feature_row(Person("A", "Ann", "Lee", None, None, "female", None, None, None), Context())
    other = feature_row(Person("B", "Bob", "Ray", None, None, "male", None, None, None), Context())
    keys = blocking_keys([one, other])
    assert keys.own["A"] and keys.own["B"]
    assert not keys.sought["A"] & keys.own["B"]
    assert not keys.sought["B"] & keys.own["A"]


@pytest.mark.parametrize(
    "text",
    ["levenshtein(l.given, r.given) <= 1", "l.dob = r.dob OR l.nhs = r.nhs", "l.dob = l.expected", "l.sex = 'female'"],
)
def test_a_blocking_rule_no_key_can_find_is_refused(text: str) -> None:
    with pytest.raises(IdentityError, match="has no equality between the two records"):
        rule({"blocking_rule": text})


def test_every_rule_of_the_model_has_keys() -> None:
    assert [r.text for r in rules()] == [b["blocking_rule"] for b in BLOCKING]


def test_names_are_counted_once_per_record_with_one() -> None:
    rows = [
        {"unique_id": uid, "given": given, "family": None} for uid, given in (("A", "ann"), ("B", "ann"), ("C", None))
    ]
    keys = blocking_keys(rows, [])
    frequency = keys.frequency["given"]
    assert set(frequency) == {"ann", None}
    assert [frequency["ann"] in keys.own[uid] for uid in "ABC"] == [True, True, False]
    assert [frequency[None] in keys.own[uid] for uid in "ABC"] == [True, True, False]


def test_keys_are_stable_across_runs() -> None:
    """Stored keys must read the same in a later process: hashed with MD5, not a seeded hash."""
    row = {"unique_id": "A", "nhs": "9434765919", "given": None, "family": None}
    # The rule's key, and the key every record holds.
    assert blocking_keys([row], [rules()[0]]).own["A"] == {350169939368646510, 6773317368421860256}


def test_a_records_keys_do_not_depend_on_the_records_keyed_with_it() -> None:
    """A daily record keyed with one of no date of birth finds what it finds keyed alone, and
    what the full resolve's frame stored: a year must key as 2004, never as 2004.0."""
    dated = feature_row(
        Person("A", "Zoe", "Singh", PartialDate.parse("2004-06-27"), None, "female", None, None, None), Context()
    )
    undated = feature_row(Person("B", "Ann", "Lee", None, None, "female", None, None, None), Context())
    assert blocking_keys([dated, undated]).own["A"] == blocking_keys([dated]).own["A"]
    assert blocking_keys([dated, undated]).sought["A"] == blocking_keys([dated]).sought["A"]
