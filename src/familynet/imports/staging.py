"""Rows an importer has mapped into the bundle's files, each remembering where it came from.

An importer reads its source and stages, per bundle file (``persons``, ``referrals``, ...),
rows of cells by bundle column, each with its origin: the sheet, element or table, the row or
line, and which source column each bundle column was read from. Problems found while mapping
(an unknown code, an impossible date) are staged too, in the source's terms. Loading
(:mod:`familynet.imports.loading`) then checks the rows as a bundle and names every problem
by its origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from familynet.errors import Problem


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
    >>> origin, row = s.origin("referrals.csv", 2)
    >>> origin.name, origin.columns["received_on"], row
    ('List 3', 'Date of referral', 2)
    """

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    origins: dict[str, list[tuple[Source, int]]] = field(default_factory=dict)
    counts: dict[str, ListCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Ids staged per bundle file, so that a fact read in several places is staged once.
    staged: dict[str, set[str]] = field(default_factory=dict)

    def source(self, name: str, columns: Mapping[str, str]) -> Source:
        """Name a list, element or table (and its columns) that rows come from."""
        self.counts.setdefault(name, ListCounts())
        return Source(name, dict(columns))

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

    def origin(self, bundle_file: str, line: int) -> tuple[Source, int]:
        """Where the row at ``line`` of a staged bundle file (as numbered under a header) came from."""
        return self.origins[bundle_file.removesuffix(".csv")][line - 2]
