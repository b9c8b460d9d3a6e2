"""A report beside the same audit over the previous period: ``--compare-previous``.

The previous period is as long as the report's and ends the day before it starts. Each
figure of the summary that both periods have is shown as ``before → now`` ("re-referral
rate (%) 22.0 → 18.0"); sections (``audit all``) are compared one by one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from familynet.model.dates import months_before
from familynet.reports.report import Report, Table


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period before ``[start, end]``, ending the day before ``start``: as many calendar months
    when the period is whole months (a year is the year before, leap or not), else as many days.

    >>> previous_period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> previous_period(dt.date(2025, 3, 10), dt.date(2025, 3, 19))
    (datetime.date(2025, 2, 28), datetime.date(2025, 3, 9))
    """
    before_end = start - dt.timedelta(days=1)
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return months_before(start, months), before_end
    return before_end - (end - start), before_end


def _figures(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def compared(now: Report, before: Report, period: str) -> Report:
    """``now`` with a table of each of its figures beside ``before``'s, the previous ``period``.

    >>> a = Report("t", "", {}, {"rate_percent": 18.0, "n": 3}, ())
    >>> compared(a, dataclasses.replace(a, summary={"rate_percent": 22.0}), "2024").comparison.rows
    (('rate_percent', 22.0, 18.0, '22.0 → 18.0'),)
    """
    previous, current = _figures(before.summary), _figures(now.summary)
    rows = tuple((k, previous[k], v, f"{previous[k]} → {v}") for k, v in current.items() if k in previous)
    header = ("figure", "previous_period", "this_period", "change")
    table = Table(f"Compared with the previous period, {period}", header, rows) if rows else None
    sections = tuple(compared(s, b, period) for s, b in zip(now.sections, before.sections, strict=True))
    return dataclasses.replace(now, comparison=table, sections=sections)
