"""The one error hierarchy of familynet.

Messages never carry personal data: they name files, lines, columns, identifiers
and codes, never names, dates of birth, addresses or NHS numbers. This module imports
nothing of familynet, so that every package may raise its errors.
"""

from __future__ import annotations

from dataclasses import dataclass


class FamilynetError(Exception):
    """Base of every error familynet raises on purpose."""


class ConfigurationError(FamilynetError):
    """A setting is missing or invalid."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (``error``) or implausible (``warning``) in a bundle."""

    file: str
    line: int
    column: str
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f": {self.column}" if self.column else "")
        return f"{self.severity}: {where}: {self.reason}"


class BundleError(FamilynetError):
    """An ingest bundle was refused; nothing from it was loaded."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class StoreError(FamilynetError):
    """The store cannot be opened or used."""


class SchemaVersionError(StoreError):
    """The database was written by a newer familynet than this one."""


class UserExistsError(FamilynetError):
    """An API user with that name already exists."""


class NotFoundError(FamilynetError):
    """A requested record does not exist."""
