"""Parsing a batch of bundle rows into records, column by column.

Each row gets the record it gets alone, or every problem found in it
(:mod:`familynet.bundle.files` says how each cell of each file must look). A row
holding a forbidden character is refused at the physical line of that character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from familynet.bundle.columns import Columns
from familynet.bundle.reader import Batch, Row
from familynet.errors import Problem
from familynet.model.records import Record
from familynet.model.text import forbidden_character, has_forbidden

if TYPE_CHECKING:
    from familynet.bundle.files import FileSpec


def parse_batch(
    spec: FileSpec, batch: Batch, today: dt.date, held: frozenset[str] = frozenset()
) -> tuple[Sequence[Record | None], dict[int, list[Problem]]]:
    """Turn each row of a batch into its record, or None and every problem found in it
    (by the row's position in the batch). ``held`` are the optional files of facts about
    referrals that the batch's load holds: its referrals are made with them supplied."""
    if not batch.cells:
        return [], {}
    cells: dict[str, Sequence[str]] = dict(zip(batch.columns, zip(*batch.cells, strict=True), strict=True))
    absent = frozenset(spec.optional) - cells.keys()
    for column in absent:
        cells[column] = ("",) * len(batch.cells)
    c = Columns(cells, absent, held)
    physical = _refuse_forbidden(batch, c)
    records = spec.parse(c, today)
    lines = [physical.get(row, line) for row, line in enumerate(batch.lines)] if physical else batch.lines
    problems = {
        row: [Problem(batch.file, lines[row], column, reason) for column, reason in found]
        for row, found in sorted(c.problems.items())
    }
    return records, problems


def _refuse_forbidden(batch: Batch, c: Columns) -> dict[int, int]:
    """Refuse the first cell of each row holding a control character or a byte that is not UTF-8
    (:mod:`familynet.model.text`); the physical line of that character (the row's first line plus the
    line breaks before it) by row."""
    physical: dict[int, int] = {}
    # One scan of the whole batch finds nothing in almost every batch; only then is each row looked at.
    if not has_forbidden(map("".join, batch.cells)):
        return physical
    for i, cells in enumerate(batch.cells):
        if not has_forbidden(cells):
            continue
        breaks = 0
        for column, value in zip(batch.columns, cells, strict=True):
            found = forbidden_character(value)
            if found is not None:
                position, reason = found
                c.add(i, column, reason)
                physical[i] = batch.lines[i] + breaks + value.count("\n", 0, position)
                break
            breaks += value.count("\n")
    return physical


def parse_row(spec: FileSpec, row: Row, today: dt.date) -> Record | list[Problem]:
    """Turn one row into its record, or into every problem found in it."""
    columns = tuple(row.cells)
    batch = Batch(row.file, columns, [row.line], [[row.cells[c] for c in columns]], [])
    (record,), problems = parse_batch(spec, batch, today)
    return problems[0] if problems else record  # type: ignore[return-value]
