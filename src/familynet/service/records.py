"""GraphQL types of the stored records (:mod:`familynet.model.records`): they only convert.

Persons, referrals and agencies are Relay nodes: their ``id`` is a global id that
``node(id)`` resolves with the same checks as ``person``, ``referral`` and
``agency``. A type that names a person by id also offers the person itself through a field
that goes through :meth:`~familynet.service.context.RequestContext.person`: the
caller's right is checked and the read logged whatever path reaches it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from dataclasses import fields
from typing import Annotated, Any, TypeAlias, TypeVar

import strawberry
from strawberry import relay

from familynet.access.auth import Right
from familynet.model import records
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.history import PreviousVersion

T = TypeVar("T")


def convert(cls: type[T], value: object, /, **extra: Any) -> T:
    """An instance of the strawberry type ``cls`` with the same-named attributes of ``value``."""
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.init)  # type: ignore[arg-type]
    return cls(**{name: getattr(value, name) for name in names if name not in extra}, **extra)


#: The init fields of each type ``convert`` has made: a household context converts hundreds of objects.
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


#: What a nested field returns: the value, or an awaitable of it, which graphql-core awaits.
#: A value costs graphql-core no coroutine and a list of them no gathering of tasks.
MaybeAwaitable: TypeAlias = T | Awaitable[T]


def cited_person(info: Info, access: Access, person_id: str | None) -> MaybeAwaitable[Person | None]:
    """The person ``person_id`` read under ``access``: checked, logged, batched; at once when
    the request has logged the read already and holds the person (see ``RequestContext.known_person``)."""
    if person_id is None:
        return None
    known = info.context.known_person(access, person_id)
    if known is not None:
        return Person.of(known)
    return _checked_person(info, access, person_id)


async def _checked_person(info: Info, access: Access, person_id: str) -> Person | None:
    found = await info.context.person(access, person_id)
    return None if found is None else Person.of(found)


@strawberry.type(description="An organisation that records facts or makes referrals.")
class Agency(relay.Node):
    key: relay.NodeID[str]
    agency_id: strawberry.ID
    name: str
    kind: str

    @classmethod
    def of(cls, agency: records.Agency) -> Agency:
        """The type of a stored agency."""
        return convert(cls, agency, key=agency.agency_id)


def agency_of(info: Info, agency_id: str | None) -> MaybeAwaitable[Agency | None]:
    """An agency by id, through the request's loader (agencies are not personal data); at once
    when a family network primed it."""
    if agency_id is None:
        return None
    primed = info.context.loaders.primed_agencies.get(agency_id)
    if primed is not None:
        return Agency.of(primed)
    return _loaded_agency(info, agency_id)


async def _loaded_agency(info: Info, agency_id: str) -> Agency | None:
    found = await info.context.loaders.agency.load(agency_id)
    return None if found is None else Agency.of(found)


@strawberry.type(description="A child or adult, as the recording agency holds them.")
class Person(relay.Node):
    key: relay.NodeID[str]
    person_id: strawberry.ID
    given_name: str | None
    family_name: str | None
    date_of_birth: str | None = strawberry.field(description="YYYY, YYYY-MM or YYYY-MM-DD as recorded.")
    expected_date_of_birth: dt.date | None
    sex: str
    date_of_death: dt.date | None
    nhs_number: str | None
    confidential: bool = strawberry.field(
        description="True when the person's identity or whereabouts must not be disclosed (a parent in a refuge, "
        "an adopted child's birth relative): a redacted genogram leaves them out."
    )
    recorded_by_id: str | None = strawberry.field(description="The agency whose record this is.")

    @field("The agency whose record this is.", graphql_type=Agency | None)
    def recorded_by(self, info: Info) -> MaybeAwaitable[Agency | None]:
        return agency_of(info, self.recorded_by_id)

    @field("The id of the identity (the real person) this record is one of: the id of one of its records.")
    def identity_id(self, info: Info) -> strawberry.ID:
        return strawberry.ID(info.context.store.identities_of([self.person_id]).get(self.person_id, self.person_id))

    @field("Also recorded as: the other records of this person's identity, each with its agency; checked and logged.")
    async def also_recorded_as(
        self,
        info: Info,
        purpose: Annotated[str, strawberry.argument(description="Why you read the other records; logged.")],
    ) -> list[Person]:
        access = Access("alsoRecordedAs", Right.READ_PERSON, purpose.strip())
        others = sorted(set(info.context.store.identities_of([self.person_id])) - {self.person_id})
        await info.context.authorize(access, [self.person_id, *others])
        found = [await _checked_person(info, access, other) for other in others]
        return [person for person in found if person is not None]

    @field(
        "What this person's record and household memberships were recorded as before later loads or mutations "
        "changed them, oldest change first (relationships: see householdContext's previously, which names the "
        "other person only when it shows them)."
    )
    def history(self, info: Info) -> list[PreviousVersion]:
        # The person was read (and logged) to reach this field; their own versions name no one else.
        versions = info.context.store.previous_versions([self.person_id])
        return [PreviousVersion.of(v) for v in versions if v.file != "relationships"]

    @classmethod
    def of(cls, person: records.Person) -> Person:
        """The type of a stored person."""
        born = None if person.date_of_birth is None else str(person.date_of_birth)
        return convert(cls, person, key=person.person_id, date_of_birth=born, recorded_by_id=person.recorded_by)


@strawberry.type(description="A person named in a contact or referral.")
class Mention:
    person_id: strawberry.ID
    role: str
    access: strawberry.Private[Access]

    @field("The person mentioned.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="A contact or referral about a child.")
class Referral(relay.Node):
    key: relay.NodeID[str]
    referral_id: strawberry.ID
    kind: str
    child_id: strawberry.ID
    received_on: dt.date
    referrer_agency_id: str | None
    concerns: list[str]
    outcome: str | None
    consent: str | None
    rag: str | None
    group_id: str | None
    mentions: list[Mention]
    access: strawberry.Private[Access]

    @field("The child the referral is about.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)

    @field("The agency that referred.", graphql_type=Agency | None)
    def referrer(self, info: Info) -> MaybeAwaitable[Agency | None]:
        return agency_of(info, self.referrer_agency_id)

    @classmethod
    def of(cls, referral: records.Referral, mentions: list[tuple[str, str]], access: Access) -> Referral:
        """The type of a stored referral and the (person id, role) of its mentions."""
        return convert(
            cls,
            referral,
            key=referral.referral_id,
            concerns=list(referral.concerns),
            mentions=[Mention(person_id=strawberry.ID(p), role=r, access=access) for p, r in mentions],
            access=access,
        )
