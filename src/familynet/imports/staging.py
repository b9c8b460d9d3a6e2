"""Rows an importer has mapped into the bundle's files, each remembering where it came from.

An importer reads its source and stages, per bundle file (``persons``, ``referrals``, ...),
rows of cells by bundle column, each with its origin: the sheet, element or table, the row or
line, and which source column each bundle column was read from. Problems found while mapping
(an unknown code, an impossible date) are staged too, in the source's terms. Loading
(:mod:`familynet.imports.loading`) then checks the rows as a bundle and names every problem
by its origin.

Whatever loads is a :class:`Staged`: batches of one bundle file's rows from one source, in
the bundle's file order, each batch named after its source and numbered by the source's own
rows, so that a problem the bundle's checks find is already in the source's terms but for its
column. :class:`Staging` holds a whole small source (a workbook, a census file) in memory; the
SSD streams its batches as it reads its tables (:mod:`familynet.imports.ssd`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from familynet.bundle.files import BATCH_SIZE, FILES
from familynet.errors import Problem

_SPECS = {spec.name: spec for spec in FILES}


class Part(NamedTuple):
    """Consecutive rows of one bundle file mapped from one source: each row's cells in the order
    of ``columns``, None where the source does not supply a column (the stored value, if any,
    stays), each row's line or row in the source, and the source rows refused while mapping."""

    file: str
    source: str
    columns: tuple[str, ...]
    lines: list[int]
    cells: list[list[str | None]]
    problems: list[Problem]


class Staged(Protocol):
    """What an importer hands the load: its parts in bundle file order, the sources they name, and
    the rows counted per source (complete once the parts are read)."""

    counts: dict[str, ListCounts]
    #: Problems known before any part is read (they count as errors, or warnings, of the load).
    problems: list[Problem]
    sources: dict[str, Source]

    def files(self) -> list[str]:
        """The bundle files the parts will hold (in bundle order): a file listed supplies its facts."""
        ...

    def parts(self) -> Iterator[Part]:
        """The parts, in the order of the bundle's files."""
        ...


@dataclass
class ListCounts:
    """What happened to the rows of one source list, element or table."""

    read: int = 0
    rejected: int = 0
    not_mapped: int = 0

    @property
    def loaded(self) -> int:
        """Rows that became facts (or confirmed facts already held)."""
        return self.read - self.rejected - self.not_mapped


@dataclass(frozen=True)
class Source:
    """One list, element or table of a source, and the source column of each bundle column."""

    name: str
    columns: Mapping[str, str]


@dataclass
class Staging:
    """The bundle rows mapped from one source, their origins, and the problems found so far.

    >>> s = Staging()
    >>> src = s.source("List 3", {"received_on": "Date of referral"})
    >>> s.read(src)
    >>> s.add("referrals", {"referral_id": "R1", "received_on": "2024-01-02"}, src, 2)
    >>> s.rows["referrals"]
    [{'referral_id': 'R1', 'received_on': '2024-01-02'}]
    >>> s.sources["List 3"].columns["received_on"]
    'Date of referral'
    """

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    origins: dict[str, list[tuple[Source, int]]] = field(default_factory=dict)
    counts: dict[str, ListCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Ids staged per bundle file, so that a fact read in several places is staged once.
    staged: dict[str, set[str]] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def source(self, name: str, columns: Mapping[str, str]) -> Source:
        """Name a list, element or table (and its columns) that rows come from."""
        self.counts.setdefault(name, ListCounts())
        self.sources[name] = Source(name, dict(columns))
        return self.sources[name]

    def read(self, source: Source) -> None:
        """Count one row read from ``source``."""
        self.counts[source.name].read += 1

    def not_mapped(self, source: Source) -> None:
        """Count one row read from ``source`` that states nothing familynet holds."""
        self.counts[source.name].not_mapped += 1

    def add(self, file: str, cells: dict[str, str], source: Source, row: int, *, key: str | None = None) -> None:
        """Stage one row of a bundle file. With ``key``, only the first row with that key is
        staged (a child is staged once however many lists name them)."""
        if key is not None:
            seen = self.staged.setdefault(file, set())
            if key in seen:
                return
            seen.add(key)
        self.rows.setdefault(file, []).append(cells)
        self.origins.setdefault(file, []).append((source, row))

    def problem(self, source: Source, row: int, column: str, reason: str) -> None:
        """Refuse a source row while mapping it; ``column`` is a bundle column of ``source``
        (named by its source column) or already a source column."""
        self.problems.append(Problem(source.name, row, source.columns.get(column, column), reason))

    def files(self) -> list[str]:
        """The bundle files staged, in bundle order."""
        return [spec.name for spec in FILES if spec.name in self.rows]

    def parts(self) -> Iterator[Part]:
        """The staged rows as parts: a bundle file's optional columns that no row gives are not
        supplied (a later load that supplies them fills them in); a missing cell of another
        column is None, and keeps its stored value.

        >>> s = Staging()
        >>> src = s.source("List 3", {})
        >>> s.add("referrals", {"referral_id": "R1", "kind": "referral"}, src, 7)
        >>> part = next(s.parts())
        >>> part.source, part.lines, part.cells[0][:3]
        ('List 3', [7], ['R1', 'referral', None])
        """
        for file in self.files():
            spec, rows, origins = _SPECS[file], self.rows[file], self.origins[file]
            given = {column for row in rows for column in row}
            columns = tuple(c for c in spec.columns if c not in spec.optional or c in given)
            absent = {c: "" if c in spec.optional else None for c in columns}
            start = 0
            while start < len(rows):
                source = origins[start][0]
                end = start + 1
                while end < len(rows) and end - start < BATCH_SIZE and origins[end][0].name == source.name:
                    end += 1
                cells = [[row.get(c, absent[c]) for c in columns] for row in rows[start:end]]
                yield Part(file, source.name, columns, [row for _, row in origins[start:end]], cells, [])
                start = end
