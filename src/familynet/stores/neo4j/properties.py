"""How each record class is stored in Neo4j: its key, its properties and the ids it refers to.

A batch of records becomes rows of ``UNWIND`` statements (:mod:`familynet.stores.neo4j.load`),
each row sent only the parts its statement reads, :data:`STATEMENT_ROWS` at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j.time

from familynet.errors import StoreError
from familynet.model.records import (
    Agency,
    Assessment,
    Check,
    Consideration,
    Household,
    Membership,
    Mention,
    Person,
    Plan,
    Record,
    Referral,
    Relationship,
    field_names,
)
from familynet.stores.name_search import name_key

#: Rows sent in one statement: a whole batch of the ingest (familynet.bundle.reader.BATCH_SIZE),
#: so that each batch costs one statement per step.
STATEMENT_ROWS = 10_000
_RELATIONSHIP_TYPES = frozenset({"parent_of", "partner_of", "sibling_of"})

Values = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class FactRow:
    """One record as a statement's row: its position in the batch, its key and its stored values."""

    i: int
    k: Values
    p: Values

    def key(self) -> Values:
        return {"i": self.i, "k": self.k}

    def fact(self) -> Values:
        return {"k": self.k, "p": self.p}


def _values(record: Record) -> Values:
    values: Values = {}
    for name in field_names(type(record)):
        value = getattr(record, name)
        # Partial dates are text; tuples of codes and sets of names are lists, as Neo4j stores them.
        values[name] = str(value) if name == "date_of_birth" and value is not None else value
        if isinstance(value, tuple):
            values[name] = list(value)
        elif isinstance(value, frozenset):
            values[name] = sorted(value)
    return values


def _person_values(person: Record) -> Values:
    assert isinstance(person, Person)
    values = _values(person)
    born = person.date_of_birth
    values["name_key"] = " ".join(filter(None, (name_key(person.given_name), name_key(person.family_name))))
    values["dob_earliest"] = born.earliest() if born is not None else None
    values["dob_latest"] = born.latest() if born is not None else None
    return values


def _start_key(start: dt.date | None) -> str:
    return start.isoformat() if start is not None else ""


def _id_key(record: Record) -> Values:
    return {"id": getattr(record, field_names(type(record))[0])}


def _membership_key(m: Record) -> Values:
    assert isinstance(m, Membership)
    return {"household_id": m.household_id, "person_id": m.person_id, "recorded_by": m.recorded_by,
            "start_key": _start_key(m.start_date)}  # fmt: skip


def _relationship_key(r: Record) -> Values:
    assert isinstance(r, Relationship)
    if r.type not in _RELATIONSHIP_TYPES:
        raise StoreError(f"unknown relationship type {r.type!r}")
    return {"person_id": r.person_id, "related_person_id": r.related_person_id, "type": r.type.upper(),
            "recorded_by": r.recorded_by, "start_key": _start_key(r.start_date)}  # fmt: skip


def _mention_key(m: Record) -> Values:
    assert isinstance(m, Mention)
    return {"referral_id": m.referral_id, "person_id": m.person_id, "role": m.role}


def _consideration_key(c: Record) -> Values:
    assert isinstance(c, Consideration)
    return {"referral_id": c.referral_id, "person_id": c.person_id}


def _without(*names: str) -> Callable[[Record], Values]:
    def values(record: Record) -> Values:
        found = _values(record)
        for name in names:
            del found[name]
        return found

    return values


def _relationship_values(r: Record) -> Values:
    """A relationship's stored values; without ``twin`` when the load does not say, so that a later load
    without the column keeps what an earlier one stored (as the SQLite store does)."""
    found = _without("person_id", "related_person_id", "type")(r)
    if found["twin"] is None:
        del found["twin"]
    return found


@dataclass(frozen=True)
class Kind:
    """How one record class is stored: its key, its stored values and what it refers to."""

    key: Callable[[Record], Values]
    values: Callable[[Record], Values]
    #: (bundle file, field) of each id the record refers to; None values refer to nothing.
    references: tuple[tuple[str, str], ...] = ()


KINDS: dict[type[Record], Kind] = {
    Agency: Kind(_id_key, _values),
    Person: Kind(_id_key, _person_values, (("agencies", "recorded_by"),)),
    Household: Kind(_id_key, _values),
    Membership: Kind(
        _membership_key,
        _without("household_id", "person_id"),
        (("households", "household_id"), ("persons", "person_id"), ("agencies", "recorded_by")),
    ),
    Relationship: Kind(
        _relationship_key,
        _relationship_values,
        (("persons", "person_id"), ("persons", "related_person_id"), ("agencies", "recorded_by")),
    ),
    Referral: Kind(
        _id_key,
        _values,
        (("persons", "child_id"), ("agencies", "referrer_agency_id")),
    ),
    # A mention's stored value is its provenance, the referring agency: existing_referral_mentions
    # reads it to compare, and create_referral_mentions sets it.
    Mention: Kind(
        _mention_key, _without("referral_id", "person_id"), (("referrals", "referral_id"), ("persons", "person_id"))
    ),
    Assessment: Kind(
        _id_key,
        _values,
        (("persons", "child_id"), ("referrals", "referral_id")),
    ),
    Check: Kind(
        _id_key,
        _values,
        (("referrals", "referral_id"), ("agencies", "agency_id"), ("agencies", "recorded_by")),
    ),
    Plan: Kind(_id_key, _values, (("persons", "child_id"), ("agencies", "recorded_by"))),
    Consideration: Kind(
        _consideration_key,
        _without("referral_id", "person_id"),
        (("referrals", "referral_id"), ("persons", "person_id"), ("agencies", "recorded_by")),
    ),
}


def native(value: Any) -> Any:
    """A stored property as Python holds it: Neo4j dates and date-times as :mod:`datetime` values."""
    return value.to_native() if isinstance(value, neo4j.time.Date | neo4j.time.DateTime) else value


def same(stored: Mapping[str, Any], values: Values) -> bool:
    """Whether a fact's stored properties hold ``values``."""
    # A property set to null is absent in Neo4j.
    return all(native(stored.get(name)) == value for name, value in values.items())


def chunks(rows: Sequence[T], param: Callable[[T], Values]) -> Iterator[list[Values]]:
    """The parameters of ``rows``, one statement's worth at a time."""
    # Each statement is sent only the parts of the rows it reads: parameters cost more to
    # encode and send than the statements cost to run.
    for start in range(0, len(rows), STATEMENT_ROWS):
        yield [param(row) for row in rows[start : start + STATEMENT_ROWS]]
