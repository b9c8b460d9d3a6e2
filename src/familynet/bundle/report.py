"""What a load did: per-file counts and every problem found, by severity."""

from __future__ import annotations

from dataclasses import dataclass, field

from familynet.errors import Problem
from familynet.stores.protocol import WriteCounts


@dataclass
class FileReport:
    """What happened to one file of the bundle."""

    rows: int = 0
    rejected: int = 0
    warnings: int = 0
    written: WriteCounts = field(default_factory=WriteCounts)


class ProblemsFound:
    """The problems of a load, by severity: shared by an ingest's report and an import's."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """The problems that reject a row."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Implausible but possible facts, loaded as given."""
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class IngestReport(ProblemsFound):
    """The outcome of one ingest: per-file counts and every problem found."""

    source: str
    committed: bool = False
    files: dict[str, FileReport] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
