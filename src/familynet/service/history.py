"""The GraphQL types of previous versions: a person's own (``Person.history``) and what a household
context shows as "previously recorded as" (``HouseholdContext.previously``)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from familynet import analyses
from familynet.model.history import PreviousVersion as Version


@strawberry.type(description="A field of a fact and its value as text (null: nothing was recorded).")
class FieldValue:
    field: str
    value: str | None


def _values(pairs: Sequence[tuple[str, str | None]]) -> list[FieldValue]:
    return [FieldValue(field=name, value=value) for name, value in pairs]


@strawberry.type(description="A fact as recorded before a later load or mutation changed it, with its provenance.")
class PreviousVersion:
    file: str = strawberry.field(description="persons or household_members.")
    values: list[FieldValue] = strawberry.field(description="Every field of the fact as it was recorded.")
    recorded_by: str | None = strawberry.field(description="The agency that recorded this version.")
    recorded_in: str | None = strawberry.field(description="The load that recorded it: a bundle, import or mutation.")
    recorded_at: str | None = strawberry.field(description="When that load began (ISO 8601, UTC).")
    replaced_in: str | None = strawberry.field(description="The load or mutation that changed it.")
    replaced_at: str | None

    @classmethod
    def of(cls, version: Version) -> PreviousVersion:
        """The type of a kept version."""
        return cls(
            file=version.file,
            values=_values(version.values),
            recorded_by=version.recorded_by,
            recorded_in=version.recorded_in,
            recorded_at=version.recorded_at,
            replaced_in=version.replaced_in,
            replaced_at=version.replaced_at,
        )


@strawberry.type(description="What a fact about a person the household context names was previously recorded as.")
class PreviouslyRecorded:
    person_id: strawberry.ID
    file: str = strawberry.field(description="persons, household_members or relationships.")
    fact: list[FieldValue] = strawberry.field(
        description="Which fact: a membership's household, agency and start; a relationship's other person and type."
    )
    was: list[FieldValue] = strawberry.field(description="The fields the change replaced, with their values then.")
    description: str = strawberry.field(description="The same in words: family_name Jones, date_of_birth 1990.")
    recorded_by: str | None
    recorded_in: str | None
    recorded_at: str | None
    replaced_in: str | None
    replaced_at: str | None

    @classmethod
    def of(cls, previous: analyses.PreviouslyRecorded) -> PreviouslyRecorded:
        """The type of one "previously recorded as"."""
        return cls(
            person_id=strawberry.ID(previous.person_id),
            file=previous.file,
            fact=_values(previous.fact),
            was=_values(previous.was),
            description=previous.describe(),
            recorded_by=previous.recorded_by,
            recorded_in=previous.recorded_in,
            recorded_at=previous.recorded_at,
            replaced_in=previous.replaced_in,
            replaced_at=previous.replaced_at,
        )
