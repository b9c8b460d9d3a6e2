"""The SSD's tables as files: each table's header matched to its fields, its rows read, and the
bundle rows mapped from it handed on a batch at a time.

The field names are data (``graph/imports/ssd.toml``); :mod:`familynet.imports.ssd` maps rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from familynet.bundle.files import BATCH_SIZE
from familynet.errors import BundleError, Problem
from familynet.imports.staging import ListCounts, Part, Source
from familynet.imports.values import header_key

#: The internal names each bundle column is read from (the first a table has), so that a
#: problem names the SSD field.
_ALIASES = {
    "person_id": ("person_id", "mother_id"), "child_id": ("person_id",), "received_on": ("date",),
    "started_on": ("date",), "start_date": ("date",), "completed_on": ("end",), "end_date": ("end",),
    "referrer_agency_id": ("source",), "referral_id": ("referral_id", "id"), "household_id": ("address",),
    "postcode": ("postcode",), "factors": ("id",), "related_person_id": ("child_id", "person_id"),
    "plan_id": ("id",), "assessment_id": ("id",),
}  # fmt: skip


class Refused(Exception):
    """A row refused while mapping, for ``name`` (an internal name or a source column)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name, self.reason = name, reason


def table_source(table: str, spec: dict[str, Any], path: Path) -> Source:
    """The source of a table's problems: its file and the SSD field of each bundle column."""
    wanted: dict[str, str] = spec["columns"]
    aliases = {
        column: next(wanted[name] for name in names if name in wanted)
        for column, names in _ALIASES.items()
        if any(name in wanted for name in names)
    }
    if table == "ssd_person":
        # A person's NHS number comes from the linked identifiers, and is checked with the person.
        aliases["nhs_number"] = "ssd_linked_identifiers.link_identifier_value"
    return Source(path.name, wanted | aliases)


class Table:
    """One SSD table as found: its file, its source (for problems), and where its fields are."""

    def __init__(self, path: Path, source: Source, positions: dict[str, int], width: int) -> None:
        self.path, self.source, self.width = path, source, width
        self.names = tuple(positions)
        self.getter = itemgetter(*positions.values())

    @classmethod
    def found(cls, source: Source, spec: dict[str, Any], path: Path, problems: list[Problem]) -> Table | None:
        """The table at ``path`` if its header has every required field; else None, and each
        missing field is a problem (line 1)."""
        wanted: dict[str, str] = spec["columns"]
        with _utf8(source), path.open(encoding="utf-8-sig", newline="") as handle:
            header = [header_key(cell) for cell in next(csv.reader(handle), [])]
        positions = {name: header.index(header_key(f)) for name, f in wanted.items() if header_key(f) in header}
        absent = [name for name in spec["required"] if name not in positions]
        for name in absent:
            problems.append(Problem(source.name, 1, wanted[name], "missing column (no header matches it)"))
        return None if absent else cls(path, source, positions, len(header))

    def rows(self, counts: ListCounts | None, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
        """Each data row's line and its fields by internal name; with ``counts``, rows are
        counted read and malformed rows refused (a second pass over the table passes None)."""
        names, getter, width, single = self.names, self.getter, self.width, len(self.names) == 1
        with _utf8(self.source), self.path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            next(rows, None)
            line = 2
            for cells in rows:
                if cells:
                    if counts is not None:
                        counts.read += 1
                    if len(cells) != width:
                        if counts is not None:
                            reason = f"malformed row: {len(cells)} cells, expected {width}"
                            problems.append(Problem(self.source.name, line, "", reason))
                    else:
                        found = getter(cells)
                        yield line, dict(zip(names, map(str.strip, (found,) if single else found), strict=True))
                line = rows.line_num + 1


@contextmanager
def _utf8(source: Source) -> Iterator[None]:
    """A table that is not UTF-8 is refused by name (the whole import: nothing loads), not with a traceback."""
    try:
        yield
    except UnicodeDecodeError:
        raise BundleError(f"{source.name} is not UTF-8 text; nothing was loaded") from None


class Output:
    """The rows of one bundle file being mapped from one table, handed on a batch at a time."""

    def __init__(self, file: str, source: Source, columns: tuple[str, ...]) -> None:
        self.file, self.source, self.columns = file, source, columns
        self.lines: list[int] = []
        self.cells: list[list[str | None]] = []
        self.problems: list[Problem] = []

    def add(self, line: int, cells: list[str | None]) -> Iterator[Part]:
        """Add a row; a full batch is handed on."""
        self.lines.append(line)
        self.cells.append(cells)
        if len(self.lines) >= BATCH_SIZE:
            yield self.part()

    def refuse(self, line: int, refused: Refused) -> None:
        """Refuse a row, named by its line and the SSD field."""
        column = self.source.columns.get(refused.name, refused.name)
        self.problems.append(Problem(self.source.name, line, column, refused.reason))

    def part(self) -> Part:
        """The rows and problems so far, as a part; the next batch starts empty."""
        part = Part(self.file, self.source.name, self.columns, self.lines, self.cells, self.problems)
        self.lines, self.cells, self.problems = [], [], []
        return part

    def rest(self) -> Iterator[Part]:
        """The last, partial batch, if there is one."""
        if self.lines or self.problems:
            yield self.part()
