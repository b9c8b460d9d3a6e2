"""How the stores' rows read back: the values of named queries' rows as records and dates.

Both stores return the same columns for the same named queries (dates and instants as ISO 8601
text or a driver's values, codes ``;``-joined or as lists), so one reading serves both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

from familynet.model.dates import PartialDate
from familynet.model.instants import instant
from familynet.model.records import Person, Record, Referral
from familynet.model.values import supplied_value

#: A row as sqlite3 returns it.
Row = tuple[Any, ...]


def json_ids(ids: Iterable[str]) -> tuple[str]:
    """Ids as the one JSON array parameter that named queries read with ``json_each``.

    >>> json_ids(["P1", "P2"])
    ('["P1", "P2"]',)
    """
    return (json.dumps(list(ids)),)


def stored_date(text: str | None) -> dt.date | None:
    """A date stored as ISO 8601 text, or None."""
    return dt.date.fromisoformat(text) if text else None


def stored_partial_date(text: str | None) -> PartialDate | None:
    """A full, year-month or year-only date stored as text, or None."""
    return PartialDate.parse(text) if text else None


def stored_instant(value: str | dt.datetime | None) -> dt.datetime | None:
    """An instant stored as ISO 8601 text with its offset (or a driver's aware datetime), or None."""
    return instant(value)


def person_from_row(row: Row) -> Person:
    """A person from a row of the ``persons_by_id`` columns."""
    return Person(
        row[0],
        row[1],
        row[2],
        stored_partial_date(row[3]),
        stored_date(row[4]),
        row[5],
        stored_date(row[6]),
        row[7],
        row[8],
        bool(row[9]),
    )


def referral_from_row(row: Row) -> Referral:
    """A contact or referral from a row of the ``referrals_by_id`` columns; concerns may be
    ``;``-joined text (SQLite) or a list (Neo4j)."""
    referral = record_from_row(Referral, row[:15])
    assert isinstance(referral, Referral)
    return referral


def _codes(value: str | list[str] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(code for code in value.split(";") if code)
    return tuple(value or ())


#: How a stored value reads back, by the annotation of the record field that holds it.
_READERS: dict[str, Callable[[Any], Any]] = {
    "PartialDate | None": stored_partial_date,
    "dt.date | None": stored_date,
    "dt.date": stored_date,
    "dt.datetime | None": stored_instant,
    "dt.datetime": stored_instant,
    # A referral's supplied optional facts, stored ';'-joined (SQLite) or as a list (Neo4j).
    "frozenset[str]": supplied_value,
    "tuple[str, ...]": _codes,
    "bool | None": lambda value: None if value is None else bool(value),
    "bool": bool,
}


def record_from_row(cls: type[Record], row: Row) -> Record:
    """A record of ``cls`` from a row of its fields in order, as either store returns them.

    >>> record_from_row(Referral, ("R1", "contact", "P1", "2024-02-29", None, "3A;16A") + (None,) * 9).concerns
    ('3A', '16A')
    """
    values = [_READERS.get(str(f.type), _same)(value) for f, value in zip(fields(cls), row, strict=True)]
    return cls(*values)


def _same(value: Any) -> Any:
    return value
