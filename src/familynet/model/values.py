"""Values of the family graph from parsed objects or the strings of the ingest bundle.

>>> date_value("2024-02-29"), codes_value("3A;16A"), partial_value("2019-02")
(datetime.date(2024, 2, 29), ('3A', '16A'), PartialDate(year=2019, month=2, day=None))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from familynet.model.dates import PartialDate, parse_date
from familynet.model.records import SUPPLIABLE_REFERRAL_FIELDS, SUPPLIABLE_REFERRAL_FILES

DateLike = dt.date | str | None
InstantLike = dt.datetime | str | None


def date_value(value: DateLike) -> dt.date | None:
    """A date from a date, ISO 8601 text, '' or None."""
    if value is None or isinstance(value, dt.date):
        return value
    return _parsed_date(value) if value else None


# A store's rows repeat a few thousand dates across a million facts; dates are immutable
# and errors are raised afresh (lru_cache keeps no exceptions).
@lru_cache(maxsize=1 << 16)
def _parsed_date(text: str) -> dt.date:
    return parse_date(text)


def partial_value(value: PartialDate | str | None) -> PartialDate | None:
    """A partial date from a partial date, ``YYYY[-MM[-DD]]`` text, '' or None."""
    if value is None or isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value) if value else None


def codes_value(value: Iterable[str] | str | None) -> tuple[str, ...]:
    """A tuple of codes from codes, ``;``-joined text or None."""
    if value is None:
        return ()
    if isinstance(value, str):
        return _split_codes(value)
    return tuple(value)


# A store repeats the same few thousand ';'-joined code lists across a million referrals;
# the tuples are immutable, so one per distinct text serves them all.
@lru_cache(maxsize=1 << 16)
def _split_codes(text: str) -> tuple[str, ...]:
    return tuple(filter(None, text.split(";")))


def supplied_value(value: Iterable[str] | str | None) -> frozenset[str]:
    """Which optional facts of a referral were supplied, from names, ``;``-joined text or None.

    >>> sorted(supplied_value("received_at;decided_at"))
    ['decided_at', 'received_at']
    """
    if value is None:
        return frozenset()
    names = _split_codes(value) if isinstance(value, str) else tuple(value)
    return _supplied_set(tuple(sorted(names)))


# A few distinct sets across a million referrals: one frozenset each.
@lru_cache(maxsize=64)
def _supplied_set(names: tuple[str, ...]) -> frozenset[str]:
    unknown = set(names) - set(SUPPLIABLE_REFERRAL_FIELDS) - set(SUPPLIABLE_REFERRAL_FILES)
    if unknown:
        raise ValueError(f"not an optional referral field: {sorted(unknown)}")
    return frozenset(names)
