"""Date-times as the front door records them: absolute instants, local time meaning Europe/London.

A MASH records when a contact came in, when it was decided and when other agencies were
asked and answered. Durations between them are between absolute instants, so a night across
a clock change lasts 23 or 25 hours. A date-time written without an offset is local time in
England; one that names an hour the clocks skipped (the spring-forward hour) or an hour they
repeated (the fall-back hour) is refused, because nobody can tell which instant it meant.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from familynet.model.dates import DateFormatError

#: The time zone of English children's services: local times without an offset are in it.
LONDON = ZoneInfo("Europe/London")


class LocalTimeError(DateFormatError):
    """A local time without an offset that did not exist, or occurred twice, in Europe/London."""


def parse_instant(text: str) -> dt.datetime:
    """Parse an ISO 8601 date-time, with or without an offset, into an instant (see :func:`instant`).

    Without an offset the time is local time in Europe/London.

    >>> parse_instant("2025-03-30T00:30")
    datetime.datetime(2025, 3, 30, 0, 30, tzinfo=datetime.timezone.utc)
    >>> parse_instant("2025-03-30T03:30").isoformat()
    '2025-03-30T03:30:00+01:00'
    >>> parse_instant("2025-03-30T03:30") - parse_instant("2025-03-29T03:30")
    datetime.timedelta(seconds=82800)
    >>> parse_instant("2025-10-26T01:30+00:00").isoformat()
    '2025-10-26T01:30:00+00:00'
    >>> parse_instant("2025-10-26T01:30:00Z") - parse_instant("2025-10-26T01:30+01:00")
    datetime.timedelta(seconds=3600)

    The hour the clocks skip in spring and the hour they repeat in autumn are refused:

    >>> parse_instant("2025-03-30T01:30")
    Traceback (most recent call last):
    ...
    familynet.model.instants.LocalTimeError: a local time skipped when the clocks went forward: give an offset
    >>> parse_instant("2025-10-26T01:30")
    Traceback (most recent call last):
    ...
    familynet.model.instants.LocalTimeError: a local time repeated when the clocks went back: give an offset
    """
    return _parse_instant(text)


# A bundle repeats the same instants rarely, but a store's extraction reads the same texts
# many times over; values are immutable and errors are raised afresh (lru_cache keeps none).
@lru_cache(maxsize=1 << 16)
def _parse_instant(text: str) -> dt.datetime:
    # fromisoformat alone also takes dates, week dates and ordinal dates; a date-time has a 'T'.
    if len(text) < 16 or text[10] not in "Tt" or not text.isascii():
        raise DateFormatError("not an ISO 8601 date-time (YYYY-MM-DDThh:mm, with an optional offset)")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DateFormatError("not an ISO 8601 date-time (YYYY-MM-DDThh:mm, with an optional offset)") from None
    if value.year < 1850:
        raise DateFormatError("year before 1850")
    if value.tzinfo is not None:
        return _fixed(value)
    # Most days have one offset all day long: a local time on one is that offset's instant,
    # with no time zone arithmetic (a tenth of a bundle's ingest went on it).
    steady = _steady_offset(value.date())
    if steady is not None:
        return value.replace(tzinfo=_offset(steady))
    return _fixed(london(value))


def london(local: dt.datetime) -> dt.datetime:
    """A naive local time in Europe/London with its ``ZoneInfo``; LocalTimeError when the clocks
    skipped or repeated it.

    >>> london(dt.datetime(2025, 7, 1, 9, 0)).isoformat()
    '2025-07-01T09:00:00+01:00'
    """
    first = local.replace(tzinfo=LONDON, fold=0)
    second = local.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() != second.utcoffset():
        # In the gap both folds name instants whose local time reads otherwise.
        if first.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None) != local:
            raise LocalTimeError("a local time skipped when the clocks went forward: give an offset")
        raise LocalTimeError("a local time repeated when the clocks went back: give an offset")
    return first


@lru_cache(maxsize=1 << 12)
def _steady_offset(day: dt.date) -> dt.timedelta | None:
    """The UTC offset of Europe/London all through ``day``, or None if the clocks change on it.

    Both folds are asked at both ends of the day, so a change at midnight counts too.

    >>> _steady_offset(dt.date(2025, 7, 1)), _steady_offset(dt.date(2025, 3, 30))
    (datetime.timedelta(seconds=3600), None)
    """
    ends = (dt.datetime.combine(day, dt.time.min), dt.datetime.combine(day, dt.time.max))
    offsets = {moment.replace(tzinfo=LONDON, fold=fold).utcoffset() for moment in ends for fold in (0, 1)}
    return offsets.pop() if len(offsets) == 1 else None


def _fixed(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and offset == _steady_offset(value.date()):
        # The time as written is already London's: its day has that one offset throughout, and
        # the instant lies in that day there (it is that day's local time at that offset).
        if type(value.tzinfo) is dt.timezone and not value.fold:
            # Already a fixed offset (as every instant a store gives back is): replace would build
            # the same instant again, and took a third of the time of reading one.
            return value
        return value.replace(tzinfo=_offset(offset), fold=0)
    local = value.astimezone(LONDON)
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=_offset(offset), fold=0)


@lru_cache(maxsize=8)
def _offset(offset: dt.timedelta) -> dt.timezone:
    return dt.UTC if not offset else dt.timezone(offset)


def instant(value: dt.datetime | str | None) -> dt.datetime | None:
    """An instant given as an aware datetime or ISO 8601 text; None for None or ''.

    The instant is the local time in Europe/London with that moment's fixed UTC offset
    (``+00:00`` or ``+01:00``), never with the ``ZoneInfo``: Python subtracts two datetimes
    that share a tzinfo as wall-clock times, which would make every night across a clock
    change last 24 hours. With fixed offsets, differences are between absolute instants.

    >>> instant(dt.datetime(2025, 7, 6, 9, 0, tzinfo=dt.UTC)).isoformat()
    '2025-07-06T10:00:00+01:00'
    >>> autumn = instant(dt.datetime(2025, 10, 26, 9, 0, tzinfo=LONDON))
    >>> autumn - instant(dt.datetime(2025, 10, 25, 9, 0, tzinfo=LONDON))
    datetime.timedelta(days=1, seconds=3600)
    >>> instant(dt.datetime(2025, 1, 6, 9, 0))
    Traceback (most recent call last):
    ...
    familynet.model.dates.DateFormatError: a date-time without a time zone: give an aware datetime
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _parse_instant(value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise DateFormatError("a date-time without a time zone: give an aware datetime")
    return _fixed(value)


def london_date(value: dt.datetime) -> dt.date:
    """The calendar date of an instant in Europe/London.

    >>> london_date(parse_instant("2025-06-30T23:30:00Z"))
    datetime.date(2025, 7, 1)
    >>> london_date(dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC))
    datetime.date(2025, 7, 1)
    """
    day = value.date()
    offset = value.utcoffset()
    # As in _fixed: written at the one offset its day has in London, its date is London's.
    if offset is not None and offset == _steady_offset(day):
        return day
    return value.astimezone(LONDON).date()
