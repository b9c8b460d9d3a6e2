"""Typed values read out of a batch of bundle rows, one column at a time.

:mod:`familynet.bundle.files` says how each cell of each file must look; this module
reads a whole column of a batch at once. Each reader checks the column in one
pass of C-level operations (strip, length bounds, set inclusion) and only when
that finds something unusual looks at the cells one by one, to report each
problem with its row. Values that repeat (codes, dates, flags) are converted once
per distinct cell. A batch of one row is read the same way, so a single row and a
file of millions get the same values and the same problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

from familynet.model.dates import DateFormatError, PartialDate, parse_date
from familynet.model.instants import london_date, parse_instant

#: Longest accepted value per kind of cell; longer values are refused, never truncated.
MAX_LENGTH = {"id": 64, "name": 200, "address": 500, "code": 32}

T = TypeVar("T")
#: What a reader makes of one distinct cell: its value and the reason it is refused, if it is.
Converted = tuple[T, str | None]


def _longer(kind: str) -> str:
    return f"longer than {MAX_LENGTH[kind]} characters"


@cache
def _code_table(allowed: frozenset[str]) -> dict[str, str]:
    # One string per code, not one per cell: natural keys hold codes until a file is done.
    return {code: code for code in allowed if len(code) <= MAX_LENGTH["code"]}


def _within(values: Sequence[str], limit: int, *, nonempty: bool) -> bool:
    """Whether every value is at most ``limit`` long (and, if ``nonempty``, not empty)."""
    lengths = list(map(len, values))
    return not lengths or (max(lengths) <= limit and (not nonempty or min(lengths) > 0))


class Columns:
    """The cells of a batch of rows by column, and the problems found in them by row.

    Problems of a row keep the order in which its columns are read, so a parser
    that reads columns in a fixed order reports each row's problems in that order.

    >>> c = Columns({"id": [" P1", "", "P3"]})
    >>> c.ident("id"), c.problems
    (['P1', None, 'P3'], {1: [('id', 'required')]})
    """

    __slots__ = ("absent", "cells", "held", "problems", "size")

    def __init__(
        self,
        cells: Mapping[str, Sequence[str]],
        absent: frozenset[str] = frozenset(),
        held: frozenset[str] = frozenset(),
    ) -> None:
        self.cells = cells
        #: Optional columns the file does not have (read as empty cells): not supplied.
        self.absent = absent
        #: The optional files of facts about referrals that the batch's load holds: it supplies them.
        self.held = held
        self.size = len(next(iter(cells.values()), ()))
        self.problems: dict[int, list[tuple[str, str]]] = {}

    def supplied(self, columns: Iterable[str]) -> frozenset[str]:
        """Which of ``columns`` the file has, and the files the load holds: an empty cell in one
        of them is a value (unknown or not done), while an absent column says nothing.

        >>> sorted(Columns({"a": ["x"]}, frozenset({"b"}), frozenset({"checks"})).supplied(["a", "b"]))
        ['a', 'checks']
        """
        return (frozenset(columns) - self.absent) | self.held

    def add(self, row: int, column: str, reason: str) -> None:
        """Record a problem of one row."""
        self.problems.setdefault(row, []).append((column, reason))

    def flag(self, column: str, failing: Iterable[int], reason: str) -> None:
        """Record the same problem for each row in ``failing``."""
        for row in failing:
            self.add(row, column, reason)

    def check(self, column: str, values: Sequence[str | None], valid: Callable[[str], object], reason: str) -> None:
        """Refuse the rows whose text in ``values`` (None or not empty) is not ``valid``."""
        if all(map(valid, filter(None, values))):
            return
        self.flag(column, (row for row, value in enumerate(values) if value is not None and not valid(value)), reason)

    def _stripped(self, column: str) -> list[str]:
        return list(map(str.strip, self.cells[column]))

    def _bounded(self, column: str, values: Sequence[str], kind: str, *, required: bool) -> Sequence[str | None]:
        """``values`` with empty ones as None, each refused when too long (or empty and required)."""
        limit = MAX_LENGTH[kind]
        if _within(values, limit, nonempty=required):
            return values if required else [value or None for value in values]
        out: list[str | None] = []
        for row, value in enumerate(values):
            if not value:
                if required:
                    self.add(row, column, "required")
                out.append(None)
            elif len(value) > limit:
                self.add(row, column, _longer(kind))
                out.append(None)
            else:
                out.append(value)
        return out

    def ident(self, column: str, *, required: bool = True) -> Sequence[str | None]:
        """An identifier, outer whitespace trimmed."""
        return self._bounded(column, self._stripped(column), "id", required=required)

    def text(self, column: str, kind: str = "name") -> Sequence[str | None]:
        """Free text of a kind of cell in :data:`MAX_LENGTH`."""
        # Names keep their Unicode exactly: no normalisation, only outer whitespace trimmed.
        return self._bounded(column, self._stripped(column), kind, required=False)

    def require(self, column: str, values: Sequence[object]) -> None:
        """Refuse the rows where ``values`` is None and the column has no other problem."""
        for row, value in enumerate(values):
            if value is None and all(c != column for c, _ in self.problems.get(row, ())):
                self.add(row, column, "required")

    def code(
        self,
        column: str,
        allowed: frozenset[str],
        *,
        required: bool = False,
        rows: Sequence[int] | None = None,
    ) -> list[str | None]:
        """A code of the vocabulary ``allowed``; of the batch's ``rows`` only, if given."""
        values = self._stripped(column)
        if rows is not None:
            values = [values[row] for row in rows]
        table = _code_table(allowed)
        distinct = set(values)
        if distinct <= table.keys() or (not required and distinct - {""} <= table.keys()):
            return list(map(table.get, values))
        out: list[str | None] = []
        for at, value in enumerate(values):
            row = at if rows is None else rows[at]
            if value in table:
                out.append(table[value])
                continue
            out.append(None)
            if not value:
                if required:
                    self.add(row, column, "required")
            elif len(value) > MAX_LENGTH["code"]:
                self.add(row, column, _longer("code"))
            else:
                self.add(row, column, f"unknown code; expected one of {sorted(allowed)}")
        return out

    def distinct(self, column: str, convert: Callable[[str], Converted[T]]) -> list[T]:
        """Convert each distinct cell of a column once; a refused cell refuses its rows."""
        cells = self.cells[column]
        values: dict[str, T] = {}
        refused: dict[str, str] = {}
        for cell in set(cells):
            values[cell], reason = convert(cell)
            if reason is not None:
                refused[cell] = reason
        if refused:
            for row, cell in enumerate(cells):
                if cell in refused:
                    self.add(row, column, refused[cell])
        return list(map(values.__getitem__, cells))

    def codes(self, column: str, allowed: Mapping[str, str]) -> list[tuple[str, ...]]:
        """A ``;``-separated list of CIN factor codes."""

        def convert(cell: str) -> Converted[tuple[str, ...]]:
            value = cell.strip()
            if len(value) > MAX_LENGTH["address"]:
                return (), _longer("address")
            codes = tuple(part.strip() for part in value.split(";") if part.strip())
            unknown = [str(i) for i, code in enumerate(codes, 1) if code not in allowed]
            if unknown:
                return codes, f"unknown CIN factor code at position {', '.join(unknown)}"
            return codes, None

        return self.distinct(column, convert)

    def _short(self, column: str, convert: Callable[[str], Converted[T]], *, required: bool = False) -> list[T | None]:
        """Convert each distinct non-empty cell of a column of short values (dates, flags):
        an empty cell is None (refused if ``required``), one longer than a code is refused."""

        def checked(cell: str) -> Converted[T | None]:
            value = cell.strip()
            if not value:
                return None, "required" if required else None
            if len(value) > MAX_LENGTH["code"]:
                return None, _longer("code")
            return convert(value)

        return self.distinct(column, checked)

    def date(self, column: str, *, required: bool = False, today: dt.date | None = None) -> list[dt.date | None]:
        """A full ISO 8601 date; not after ``today`` if given."""

        def convert(value: str) -> Converted[dt.date | None]:
            try:
                day = parse_date(value)
            except DateFormatError as error:
                return None, str(error)
            return day, "in the future" if today is not None and day > today else None

        return self._short(column, convert, required=required)

    def instant(self, column: str, *, required: bool = False, today: dt.date | None = None) -> list[dt.datetime | None]:
        """An ISO 8601 date-time, with an offset or in local time in Europe/London
        (:func:`~familynet.model.instants.parse_instant`); its date there not after ``today`` if given."""

        def convert(value: str) -> Converted[dt.datetime | None]:
            try:
                moment = parse_instant(value)
            except DateFormatError as error:
                return None, str(error)
            return moment, "in the future" if today is not None and london_date(moment) > today else None

        return self._short(column, convert, required=required)

    def partial_date(self, column: str, today: dt.date) -> list[PartialDate | None]:
        """A date known to the year, month or day, not after ``today``."""

        def convert(value: str) -> Converted[PartialDate | None]:
            try:
                partial = PartialDate.parse(value)
            except DateFormatError as error:
                return None, str(error)
            return partial, "in the future" if partial.earliest() > today else None

        return self._short(column, convert)

    def boolean(self, column: str) -> list[bool | None]:
        """``true``, ``false`` (any case) or empty."""

        def convert(value: str) -> Converted[bool | None]:
            lowered = value.lower()
            if lowered not in {"true", "false"}:
                return None, "expected true, false or empty"
            return lowered == "true", None

        return self._short(column, convert)

    def ordered(
        self,
        start_column: str,
        starts: Sequence[dt.date | None],
        end_column: str,
        ends: Sequence[dt.date | None],
    ) -> None:
        """Refuse the rows whose end is before their start (dates, or instants: date-times)."""
        reason = f"before {start_column}"
        for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if end is not None and start is not None and end < start:
                self.add(row, end_column, reason)

    def records(self, make: Callable[..., T], *columns: Sequence[Any]) -> Sequence[T | None]:
        """One record per row from the columns' values, None for a row with a problem."""
        if not self.problems:
            return list(map(make, *columns))
        problems = self.problems
        return [None if row in problems else make(*values) for row, values in enumerate(zip(*columns, strict=True))]
