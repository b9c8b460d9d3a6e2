"""What a household context shows as "previously recorded as", as a table of its report."""

from __future__ import annotations

from collections.abc import Sequence

from familynet.analyses import PreviouslyRecorded
from familynet.reports.report import Table


def fact(previous: PreviouslyRecorded) -> str:
    """Which fact a previous version is of, in words.

    >>> fact(PreviouslyRecorded("P1", "household_members", (("household_id", "H1"), ("recorded_by", "A1"),
    ...      ("start_date", "2015-01-01")), (), None, None, None, None, None))
    'member of H1 (A1, from 2015-01-01)'
    """
    if previous.file == "persons":
        return "person"
    values = dict(previous.fact)
    since = f", from {values['start_date']}" if values.get("start_date") else ""
    if previous.file == "household_members":
        return f"member of {values.get('household_id')} ({values.get('recorded_by')}{since})"
    kind = (values.get("type") or "").replace("_", " ")
    return f"{kind} {values.get('related_person_id')} ({values.get('recorded_by')}{since})"


def previously_table(previously: Sequence[PreviouslyRecorded]) -> Table:
    """One row per previous version: whose, which fact, what it was, who recorded it where and when, what changed it."""
    header = (
        "person_id",
        "fact",
        "previously",
        "recorded_by",
        "recorded_in",
        "recorded_at",
        "changed_by",
        "changed_at",
    )
    rows = tuple(
        (p.person_id, fact(p), p.describe(), p.recorded_by, p.recorded_in, p.recorded_at, p.replaced_in, p.replaced_at)
        for p in previously
    )
    return Table("Previously recorded as", header, rows)
