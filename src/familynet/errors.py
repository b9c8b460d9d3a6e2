"""The one error hierarchy of familynet.

Messages never carry personal data: they name files, lines, columns, identifiers
and codes, never names, dates of birth, addresses or NHS numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from familynet.bundle.files import Problem


class FamilynetError(Exception):
    """Base of every error familynet raises on purpose."""


class ConfigurationError(FamilynetError):
    """A setting is missing or invalid."""


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
