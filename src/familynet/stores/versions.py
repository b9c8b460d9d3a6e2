"""Previous versions as both stores read and write them (:mod:`familynet.model.history`)."""

from __future__ import annotations

from collections.abc import Mapping

from familynet.model.history import as_text
from familynet.model.records import Membership, Person, Record, Relationship, field_names

_CLASSES: dict[str, type[Record]] = {"persons": Person, "household_members": Membership, "relationships": Relationship}


def version_values(file: str, stored: Mapping[str, object]) -> tuple[tuple[str, str | None], ...]:
    """The fields of a fact of ``file`` as a version holds them, from its stored values by name.

    >>> version_values("household_members", {"person_id": "P1", "household_id": "H1", "role": "child"})[:3]
    (('household_id', 'H1'), ('person_id', 'P1'), ('role', 'child'))
    """
    return tuple((name, as_text(name, stored.get(name))) for name in field_names(_CLASSES[file]))
