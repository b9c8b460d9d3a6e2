"""Dates as safeguarding records hold them: full, year-month or year only.

Calendar arithmetic used by the rules lives here once: calendar months back
(clamped to the month's last day) and ages (a 29 February birthday falls on
1 March in other years).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from familynet.errors import FamilynetError


class DateFormatError(FamilynetError, ValueError):
    """A value is not an ISO 8601 date of the accepted precision."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year.

    >>> PartialDate.parse("2019-02").latest()
    datetime.date(2019, 2, 28)
    >>> str(PartialDate.parse("2019"))
    '2019'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise DateFormatError otherwise."""
        return _parse_partial(text)

    @property
    def is_full(self) -> bool:
        """Whether the day is known."""
        return self.day is not None

    def earliest(self) -> dt.date:
        """The first day the value can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day the value can mean (for a date of birth: the youngest the person can be)."""
        if self.day is not None:
            assert self.month is not None
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


# A bundle repeats the same few thousand dates across millions of cells; values are
# immutable and errors are raised afresh (lru_cache keeps no exceptions).
@lru_cache(maxsize=1 << 16)
def _parse_partial(text: str) -> PartialDate:
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise DateFormatError("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        raise DateFormatError("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if year < 1850:
        raise DateFormatError("year before 1850")
    if month is not None and not 1 <= month <= 12:
        raise DateFormatError("month out of range")
    if day is not None:
        assert month is not None
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateFormatError("day out of range for the month")
    return PartialDate(year, month, day)


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> dt.date:
    """Parse a full ISO 8601 calendar date ``YYYY-MM-DD``.

    >>> parse_date("2024-02-29")
    datetime.date(2024, 2, 29)
    """
    value = PartialDate.parse(text)
    if not value.is_full:
        raise DateFormatError("not a full ISO 8601 date (YYYY-MM-DD)")
    return value.earliest()


#: The days a question "on a date" may ask about: the rules count years back and forward from
#: that day, which Python's dates cannot do near the years 1 and 9999.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)


def checked_day(day: dt.date | None, name: str = "on") -> dt.date | None:
    """``day`` if it lies between :data:`EARLIEST_DAY` and :data:`LATEST_DAY` (or is None), else an error.

    >>> checked_day(dt.date(2025, 1, 1))
    datetime.date(2025, 1, 1)
    >>> checked_day(dt.date(1, 1, 1))
    Traceback (most recent call last):
    ...
    familynet.model.dates.DateFormatError: on must be between 1900-01-01 and 2199-12-31
    """
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        raise DateFormatError(f"{name} must be between {EARLIEST_DAY} and {LATEST_DAY}")
    return day


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, or that month's last day.

    >>> months_before(dt.date(2024, 2, 29), 12)
    datetime.date(2023, 2, 28)
    >>> months_before(dt.date(2025, 5, 31), 3)
    datetime.date(2025, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def anniversary(born: dt.date, years: int) -> dt.date:
    """The date ``born`` turns ``years`` old; 29 February birthdays fall on 1 March.

    >>> anniversary(dt.date(2008, 2, 29), 18)
    datetime.date(2026, 3, 1)
    """
    year = born.year + years
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return born.replace(year=year)


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``.

    >>> leapling = dt.date(2008, 2, 29)
    >>> age_on(leapling, dt.date(2026, 2, 28)), age_on(leapling, dt.date(2026, 3, 1))
    (17, 18)
    """
    years = day.year - born.year
    if anniversary(born, years) > day:
        years -= 1
    return years
