"""Previous versions: a person, membership or relationship as recorded before a later load or
mutation changed it, with its provenance.

Nothing a load or a mutation changes is lost: the store keeps the version each change
replaces (both stores, in the write that replaces it). A version's values are the fact's
fields under their names in the bundle's files, as text (booleans ``true``/``false``), or
None where nothing was recorded.

>>> version = PreviousVersion("persons", "P1", None, (("family_name", "Smith"), ("recorded_by", "A1")),
...                           "bundle a", "2025-01-01T00:00:00+00:00", "bundle b", "2025-02-01T00:00:00+00:00")
>>> version.value("family_name"), version.recorded_by
('Smith', 'A1')
>>> version.changed({"family_name": "Jones", "recorded_by": "A1"})
('family_name',)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The bundle files whose facts keep their previous versions.
VERSIONED_FILES = ("persons", "household_members", "relationships")
#: Fields that hold booleans, kept as ``true`` or ``false``.
BOOLEAN_FIELDS = frozenset({"confidential", "parental_responsibility"})


@dataclass(frozen=True)
class PreviousVersion:
    """One fact as it was recorded, before the load ``replaced_in`` changed it."""

    #: The bundle file of the fact: persons, household_members or relationships.
    file: str
    #: The person it is about (for a relationship, its first person).
    person_id: str
    #: A relationship's other person; None for the other files.
    related_person_id: str | None
    #: The fact's fields and their values as text, in the file's column order.
    values: tuple[tuple[str, str | None], ...]
    #: The source of the load (a bundle, an import or a mutation with its user) that recorded it.
    recorded_in: str | None
    #: When that load began (ISO 8601, UTC).
    recorded_at: str | None
    #: The source of the load that changed it.
    replaced_in: str | None
    #: When that load began.
    replaced_at: str | None

    def value(self, name: str) -> str | None:
        """The value of field ``name`` in this version (None if it held none)."""
        return dict(self.values).get(name)

    @property
    def recorded_by(self) -> str | None:
        """The agency that recorded this version."""
        return self.value("recorded_by")

    def changed(self, current: Mapping[str, str | None]) -> tuple[str, ...]:
        """The fields whose value in ``current`` (the fact as now recorded, as text) differs from this version's."""
        return tuple(name for name, value in self.values if current.get(name) != value)


def as_text(name: str, value: object) -> str | None:
    """A field's stored value as a version holds it.

    >>> as_text("confidential", 1), as_text("confidential", "false"), as_text("parental_responsibility", None)
    ('true', 'false', None)
    """
    if value is None or isinstance(value, str):  # nothing recorded, or a version's value already
        return value
    if name in BOOLEAN_FIELDS:
        return "true" if value else "false"
    return str(value)
