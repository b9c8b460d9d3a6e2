"""The root query type: person look-ups for practitioners, cited records for auditors.

Every field checks the caller's right first (a refusal is logged and raised) and
logs the persons it returns before returning them. Person-level reads take a
``purpose``, which practitioners must fill in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from familynet import analyses
from familynet.access.auth import Right
from familynet.access.logkey import search_terms_digest
from familynet.analyses.allegations import FLAG_MONTHS
from familynet.analyses.people import ADULT, INFANT
from familynet.analyses.referrals import mentions
from familynet.errors import FamilynetError, NotFoundError
from familynet.model.dates import DateFormatError, PartialDate, checked_day
from familynet.service.accesslog import AccessLogQueries
from familynet.service.audits import AuditQueries
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.genograms import GenogramQueries
from familynet.service.households import FamilyNetwork, HouseholdContext
from familynet.service.identities import IdentityQueries, withheld_flags
from familynet.service.identity_view import DEFAULT, IdentitiesArgument
from familynet.service.pagination import MAX_PAGE_SIZE, After, Connection, First, page_size, paginate
from familynet.service.records import Agency, Person, Referral
from familynet.stores.protocol import DEFAULT_HOPS

#: The widest family network a request may ask for.
MAX_HOPS = 4
#: Search hits considered before paging, best first.
MAX_SEARCH_RESULTS = 10 * MAX_PAGE_SIZE

Purpose = Annotated[
    str, strawberry.argument(description="Why you read this person's data; required of practitioners and logged.")
]


class RequestError(FamilynetError):
    """An argument of a request is out of range or malformed."""


@strawberry.type(description="A search hit and how closely its name matches, from 0 to 1.")
class PersonMatch:
    score: float
    person: Person


@strawberry.type
class Query(GenogramQueries, AuditQueries, AccessLogQueries, IdentityQueries):
    """What familynet answers."""

    @field("One person by id.")
    async def person(self, info: Info, id: strawberry.ID, purpose: Purpose) -> Person | None:
        return await _person(info, "person", id, purpose)

    @field("Persons whose names match, accents and case ignored, best first.")
    async def search_persons(
        self,
        info: Info,
        name: str,
        purpose: Purpose,
        date_of_birth: Annotated[
            str | None, strawberry.argument(description="YYYY, YYYY-MM or YYYY-MM-DD: only persons it can match.")
        ] = None,
        first: Annotated[int | None, First] = None,
        after: Annotated[str | None, After] = None,
    ) -> Connection[PersonMatch]:
        # The terms are logged as a keyed hash (familynet.access.logkey), in the operation's name.
        terms = search_terms_digest(info.context.log_key, name, date_of_birth)
        access = Access(f"searchPersons terms:{terms}", Right.READ_PERSON, purpose.strip())
        await info.context.authorize(access)
        try:
            born = None if date_of_birth is None else PartialDate.parse(date_of_birth)
        except DateFormatError as error:
            raise RequestError(f"dateOfBirth: {error}") from None
        page_size(first)  # a page of no items would still say whether there are hits: refused before the search
        matches = info.context.store.search_persons(name, born, MAX_SEARCH_RESULTS)
        page = paginate([PersonMatch(score=m.score, person=Person.of(m.person)) for m in matches], first, after)
        await info.context.record(access, [edge.node.person.person_id for edge in page.edges])
        return page

    @field("A child's household on a date: households, parents, siblings, significant adults, timeline, flags.")
    async def household_context(
        self,
        info: Info,
        child_id: strawberry.ID,
        purpose: Purpose,
        on: Annotated[dt.date | None, strawberry.argument(description="The date [default: today].")] = None,
        flag_months: int = FLAG_MONTHS,
        adult_age: int = ADULT,
        infant_age: int = INFANT,
        identities: IdentitiesArgument = DEFAULT,
    ) -> HouseholdContext:
        access = Access("householdContext", Right.READ_PERSON, purpose.strip())
        await info.context.authorize(access, [child_id])
        checked_day(on)
        subject, graph = await info.context.family_network(access, child_id, identities=identities.by_identity)
        info.context.loaders.prime(graph)
        context = analyses.household_context(
            graph, subject, on, flag_months=flag_months, adult_age=adult_age, infant_age=infant_age
        )
        flags = withheld_flags(info.context.store, info.context.principal, context.flags)
        context = replace(context, flags=flags)
        await info.context.record(access, context.person_ids())
        versions = info.context.store.previous_versions(context.person_ids())
        return HouseholdContext.of(analyses.with_history(context, graph, versions), access)

    @field("The family network within some hops of a person.")
    async def family_network(
        self,
        info: Info,
        person_id: strawberry.ID,
        purpose: Purpose,
        hops: Annotated[int, strawberry.argument(description=f"Hops from the person, 0 to {MAX_HOPS}.")] = DEFAULT_HOPS,
        identities: IdentitiesArgument = DEFAULT,
    ) -> FamilyNetwork:
        access = Access("familyNetwork", Right.READ_PERSON, purpose.strip())
        await info.context.authorize(access, [person_id])
        if not 0 <= hops <= MAX_HOPS:
            raise RequestError(f"hops must be between 0 and {MAX_HOPS}")
        subject, graph = await info.context.family_network(access, person_id, hops, identities=identities.by_identity)
        network = FamilyNetwork.of(graph, subject, hops)
        await info.context.record(access, [person_id, subject, *(p.person_id for p in network.persons)])
        return network

    @field("A contact or referral that an audit cites, for auditors: read with a purpose, and logged.")
    async def referral(
        self,
        info: Info,
        id: strawberry.ID,
        purpose: Annotated[str, strawberry.argument(description="Why you read this referral; logged.")],
    ) -> Referral | None:
        return await _referral(info, "referral", id, purpose)

    @field("An agency by id.")
    async def agency(self, info: Info, id: strawberry.ID) -> Agency | None:
        return await _agency(info, id)

    @field("A person, referral or agency by its global id (Relay), with the checks of person, referral and agency.")
    async def node(
        self,
        info: Info,
        id: strawberry.ID,
        purpose: Annotated[
            str | None, strawberry.argument(description="Required of practitioners for a person, as in person.")
        ] = None,
    ) -> relay.Node | None:
        try:
            # Parsed here, not by strawberry's GlobalID scalar, whose error on "!!!" is not a client's.
            global_id = relay.GlobalID.from_id(id)
        except GlobalIDValueError:
            global_id = relay.GlobalID("", "")
        match global_id.type_name:
            case "Person":
                return await _person(info, "node", strawberry.ID(global_id.node_id), purpose or "")
            case "Referral":
                return await _referral(info, "node", strawberry.ID(global_id.node_id), purpose)
            case "Agency":
                return await _agency(info, strawberry.ID(global_id.node_id))
        raise RequestError("not the global id of a person, referral or agency")


async def _person(info: Info, operation: str, person_id: strawberry.ID, purpose: str) -> Person | None:
    access = Access(operation, Right.READ_PERSON, purpose.strip())
    await info.context.authorize(access, [person_id])
    await info.context.record(access, [person_id])
    found = await info.context.loaders.person.load(person_id)
    return None if found is None else Person.of(found)


async def _referral(info: Info, operation: str, referral_id: strawberry.ID, purpose: str | None) -> Referral | None:
    # A purpose is always checked (None counts as none given): a referral names a child.
    access = Access(operation, Right.READ_AUDITED_RECORD, (purpose or "").strip())
    await info.context.authorize(access)
    found = await info.context.loaders.referral.load(referral_id)
    if found is None:
        await info.context.record(access, [])
        return None
    try:
        graph = info.context.store.family_network(found.child_id, 0)
    except NotFoundError:
        graph = None
    cited = [] if graph is None else list(mentions(graph, referral_id))
    await info.context.record(access, [found.child_id, *(p for p, _ in cited)])
    return Referral.of(found, cited, access)


async def _agency(info: Info, agency_id: strawberry.ID) -> Agency | None:
    found = await info.context.loaders.agency.load(agency_id)
    return None if found is None else Agency.of(found)
