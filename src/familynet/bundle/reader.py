"""Reading a bundle file: its rows as batches of cells, with the problems of rows that cannot be read.

A batch is consecutive rows of one file (:data:`BATCH_SIZE` at a time), each with its first
physical line number; :mod:`familynet.bundle.parser` turns a batch into records. Problems name
the file, line and reason, never a cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from familynet.errors import Problem

if TYPE_CHECKING:
    from familynet.bundle.files import FileSpec


class Row(NamedTuple):
    """A data row as read: its file, first line number and cells by column."""

    file: str
    line: int
    cells: dict[str, str]


class Batch(NamedTuple):
    """Consecutive data rows of one file as read: the file, its columns in the order of its
    header, each row's first line number and cells in that order, and the problems of the
    rows among them that could not be read."""

    file: str
    columns: tuple[str, ...]
    lines: list[int]
    cells: list[list[str]]
    problems: list[Problem]


#: Rows read and checked together.
BATCH_SIZE = 10_000


def _header_problem(file: str, spec: FileSpec, header: list[str] | None) -> Problem | None:
    if header is None:
        return Problem(file, 1, "", "empty file: a header row is required")
    names = [name.strip() for name in header]
    missing = [c for c in spec.columns if c not in names and c not in spec.optional]
    unknown = [c for c in names if c not in spec.columns]
    if not (missing or unknown or len(set(names)) != len(names)):
        return None
    reason = "wrong header"
    if missing:
        reason += f"; missing {missing}"
    if unknown:
        # Counted, never named: a file without its header row has a row of data here.
        reason += f"; {len(unknown)} unknown column(s)"
    if len(set(names)) != len(names):
        reason += "; repeated column"
    return Problem(file, 1, "", reason + f"; expected {list(spec.columns)}")


def _csv_reason(error: csv.Error) -> str:
    """What a CSV error means, in words that hold no cell (the csv module's own name only its syntax)."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return f"a cell longer than {csv.field_size_limit()} characters"
    if text == "unexpected end of data":
        return "unbalanced quotes: a quoted cell opened on this line is not closed before the end of the file"
    return "malformed CSV (a quote inside an unquoted cell, or text after a closing quote)"


def read_batches(path: Path, spec: FileSpec, size: int = BATCH_SIZE) -> Iterator[Batch]:
    """Yield the data rows of a file ``size`` at a time, with the problems of the rows (or
    of the file) that cannot be read among them.

    A wrong header is one problem for the whole file and no rows are read.
    """
    file = path.name
    names = spec.columns
    lines: list[int] = []
    rows: list[list[str]] = []
    problems: list[Problem] = []
    try:
        # A byte that is not UTF-8 is read as a lone surrogate, refused by parse_batch at its own line.
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            line = 1
            try:
                header = next(reader, None)
                wrong = _header_problem(file, spec, header)
                if wrong is not None:
                    problems.append(wrong)
                else:
                    assert header is not None
                    names = tuple(name.strip() for name in header)
                    width = len(names)
                    line = reader.line_num + 1
                    for cells in reader:
                        if len(cells) == width:
                            rows.append(cells)
                            lines.append(line)
                            if len(rows) == size:
                                yield Batch(file, names, lines, rows, problems)
                                lines, rows, problems = [], [], []
                        elif cells:
                            reason = f"malformed row: {len(cells)} cells, expected {width}"
                            problems.append(Problem(file, line, "", reason))
                        line = reader.line_num + 1
            except csv.Error as error:
                problems.append(Problem(file, line, "", _csv_reason(error)))
    except OSError:
        problems.append(Problem(file, 0, "", "cannot be read"))
    if rows or problems:
        yield Batch(file, names, lines, rows, problems)


def read_rows(path: Path, spec: FileSpec) -> Iterator[Row | Problem]:
    """Yield each data row of a file, or the problems that make a row (or the file) unreadable,
    in the order of their lines."""
    for batch in read_batches(path, spec):
        items: list[tuple[int, Row | Problem]] = [(p.line, p) for p in batch.problems]
        items += [
            (line, Row(batch.file, line, dict(zip(batch.columns, cells, strict=True))))
            for line, cells in zip(batch.lines, batch.cells, strict=True)
        ]
        items.sort(key=lambda item: item[0])
        yield from (item for _, item in items)
