"""The conventions every front-door measure follows (audits 4, 5 and 6, and the new summaries).

- A share is ``n``, ``of`` and ``percent`` (rounded half up to one decimal, null when ``of``
  is 0): :func:`~familynet.analyses.cohort.share`.
- Percentiles are nearest rank: :func:`~familynet.analyses.cohort.nearest_rank`.
- "By month" is the month of ``received_on``; a missing RAG or agency kind is ``unknown``.
- A measure counts only the items whose fields it reads were supplied, and says how many were not.

>>> shares([True, False, None, True], lambda flag: flag)
{'n': 2, 'of': 3, 'percent': 66.7}
>>> hours(dt.timedelta(hours=4, minutes=3))
4.1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from familynet.analyses.cohort import share
from familynet.model.instants import LONDON, instant

T = TypeVar("T")

#: The group of an item whose RAG or agency kind is missing.
UNKNOWN = "unknown"


def group(value: str | None) -> str:
    """A RAG or agency kind as a group: ``unknown`` when missing."""
    return value or UNKNOWN


def month(day: dt.date) -> str:
    """The ``YYYY-MM`` group of a received date."""
    return day.strftime("%Y-%m")


def shares(items: Iterable[T], flag: Callable[[T], bool | None]) -> dict[str, Any]:
    """The share of ``items`` whose flag is true, over those whose flag is not None."""
    values = [v for v in map(flag, items) if v is not None]
    return share(sum(values), len(values))


def shares_by(
    items: Iterable[T], key: Callable[[T], str], flag: Callable[[T], bool | None]
) -> dict[str, dict[str, Any]]:
    """:func:`shares` per group of ``key``, groups in string order."""
    grouped: dict[str, list[T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return {name: shares(found, flag) for name, found in sorted(grouped.items())}


def counts(values: Iterable[str]) -> dict[str, int]:
    """How many of each value, in string order."""
    found: dict[str, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return dict(sorted(found.items()))


def hours(duration: dt.timedelta) -> float:
    """A duration in hours, rounded half up to one decimal (exactly, from its microseconds)."""
    tenth = 360_000_000  # microseconds in a tenth of an hour
    micro = duration // dt.timedelta(microseconds=1)
    return ((2 * micro + tenth) // (2 * tenth)) / 10


def end_of_period(end: dt.date) -> dt.datetime:
    """The instant a period ending on ``end`` ends: ``end`` + 1 day, 00:00 Europe/London."""
    midnight = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    found = instant(midnight)
    assert found is not None
    return found


def not_supplied(supplied: Iterable[Collection[str]], fields: Iterable[str]) -> dict[str, int]:
    """For each optional field, how many items (each given as the fields it supplied) lack it.

    >>> not_supplied([{"decided_at"}, set()], ["received_at", "decided_at"])
    {'received_at': 2, 'decided_at': 1}
    """
    listed = list(supplied)
    return {name: sum(name not in item for item in listed) for name in fields}
