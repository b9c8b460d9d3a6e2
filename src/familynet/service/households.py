"""GraphQL types of a child's household context and of a family network: they only convert.

The household context is :func:`familynet.analyses.household_context` as it is;
every person it names is offered by id and, through a checked field, as a person.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import strawberry

from familynet import analyses
from familynet.analyses.facts import node_id
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.history import PreviouslyRecorded
from familynet.service.loaders import person_from_node
from familynet.service.records import Agency, MaybeAwaitable, Person, agency_of, cited_person, convert


@strawberry.type(description="One piece of evidence for a finding; fields that do not apply are null.")
class Evidence:
    referral_id: str | None
    agency_id: str | None
    household_id: str | None
    parent_id: str | None
    person_id: strawberry.ID | None = strawberry.field(description="A man in the child's recorded households.")
    roles: list[str] = strawberry.field(description="His recorded memberships there, each household:role.")
    age: str | None = strawberry.field(description="His age in completed years on the day, or unknown.")
    about: str | None = strawberry.field(description="Whom an alleging referral is about: child, sibling, other_child.")
    relationship: str | None = strawberry.field(description="partner_of:<subtype> with the parent parent_id.")
    records: list[str] = strawberry.field(
        description="Identity view: the record a membership or mention was about, or a pending candidate pair's two "
        "(an empty string for a record you may not see: a pair naming a record marked confidential, "
        "without read_confidential_candidates)."
    )
    probability: float | None = strawberry.field(description="A pending candidate pair's match probability.")


@strawberry.type(description="A gap in the record about a child (audit 3; see docs/rules.md).")
class Finding:
    kind: str
    child_id: strawberry.ID
    person_id: strawberry.ID | None = strawberry.field(
        description="Null for father_not_recorded and child_in_other_household_record."
    )
    evidence: list[Evidence]
    access: strawberry.Private[Access]
    source: strawberry.Private[analyses.Finding]

    @field("The child the finding is about.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)

    @field("The person the finding names, if any.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)

    @classmethod
    def of(cls, finding: analyses.Finding, access: Access) -> Finding:
        """The type of a finding."""
        evidence = [convert(Evidence, e, roles=list(e.roles), records=list(e.records)) for e in finding.evidence]
        return convert(cls, finding, evidence=evidence, access=access, source=finding)


@strawberry.type(description="One agency's record that a person is a member of a household.")
class Membership:
    person_id: strawberry.ID
    household_id: str
    role: str | None
    agency_id: str | None
    agency_kind: str | None
    recorded: bool = strawberry.field(description="Whether the agency is social care (part of the record).")
    record_id: strawberry.ID | None = strawberry.field(
        description="Identity view: the record the membership was recorded about when not the person's own."
    )
    access: strawberry.Private[Access]

    @field("The member.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="A household of the child and every agency's record of its members.")
class HouseholdView:
    household_id: str
    recorded: bool = strawberry.field(description="False for a household only another agency puts the child in.")
    members: list[Membership]


@strawberry.type(description="A parent of the child (any subtype).")
class Parent:
    person_id: strawberry.ID
    subtypes: list[str]
    parental_responsibility: bool | None
    lives_with_child: bool
    access: strawberry.Private[Access]

    @field("The parent.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="A sibling of the child on the date.")
class Sibling:
    person_id: strawberry.ID
    basis: str = strawberry.field(description="recorded (a sibling_of exists) or derived.")
    relation: str = strawberry.field(description="The sibling_of subtype, or full, half, unknown, step or household.")
    co_resident: bool
    shared_parents: list[str]
    access: strawberry.Private[Access]

    @field("The sibling.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="One reason an adult is significant to the child.")
class SignificantAdult:
    person_id: strawberry.ID
    reason: str = strawberry.field(description="partner_of_parent, household_member or mentioned.")
    via_id: str = strawberry.field(description="The parent, household or referral that links the adult.")
    agency_id: str | None
    role: str | None
    access: strawberry.Private[Access]

    @field("The adult.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="An agency involved with the child.")
class AgencyView:
    agency_id: str
    kind: str | None

    @field("The agency.", graphql_type=Agency | None)
    def agency(self, info: Info) -> MaybeAwaitable[Agency | None]:
        return agency_of(info, self.agency_id)


@strawberry.type(description="Identity view: another record of a person the context names (docs/identity.md).")
class RecordedAs:
    person_id: strawberry.ID = strawberry.field(description="The person: an identity, named by its own record's id.")
    record_id: strawberry.ID
    agency_id: str | None = strawberry.field(description="The agency that recorded it.")


@strawberry.type(description="A contact, referral or assessment of the child or a sibling.")
class TimelineEvent:
    on: dt.date
    event: str = strawberry.field(description="contact, referral or assessment.")
    record_id: str
    person_id: strawberry.ID
    kind: str
    outcome: str | None
    categories: list[int]
    agency_id: str | None = strawberry.field(description="The referrer; null for an assessment.")


@strawberry.type(description="Everything a practitioner reads first about a child's household on a date.")
class HouseholdContext:
    child_id: strawberry.ID
    on: dt.date
    households: list[HouseholdView]
    parents: list[Parent]
    siblings: list[Sibling]
    significant_adults: list[SignificantAdult]
    agencies: list[AgencyView]
    timeline: list[TimelineEvent]
    flags: list[Finding]
    confidential_ids: list[strawberry.ID] = strawberry.field(
        description="The persons it names who are marked confidential: their identity or whereabouts must not be "
        "disclosed further (each person's own confidential field says so too)."
    )
    also_recorded_as: list[RecordedAs] = strawberry.field(
        description="Identity view: the other records of each person it names, with their agencies."
    )
    previously: list[PreviouslyRecorded] = strawberry.field(
        description="What facts about the persons it names were previously recorded as, before later loads or "
        "mutations changed them, oldest change first."
    )
    access: strawberry.Private[Access]

    @field("The child.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)

    @classmethod
    def of(cls, context: analyses.HouseholdContext, access: Access) -> HouseholdContext:
        """The type of a household context."""
        return cls(
            child_id=strawberry.ID(context.child_id),
            on=context.on,
            households=[
                HouseholdView(
                    household_id=h.household_id,
                    recorded=h.recorded,
                    members=[convert(Membership, m, access=access) for m in h.members],
                )
                for h in context.households
            ],
            parents=[convert(Parent, p, subtypes=list(p.subtypes), access=access) for p in context.parents],
            siblings=[
                convert(Sibling, s, shared_parents=list(s.shared_parents), access=access) for s in context.siblings
            ],
            significant_adults=[convert(SignificantAdult, a, access=access) for a in context.significant_adults],
            agencies=[convert(AgencyView, a) for a in context.agencies],
            timeline=[convert(TimelineEvent, e, categories=list(e.categories)) for e in context.timeline],
            flags=[Finding.of(f, access) for f in context.flags],
            confidential_ids=[strawberry.ID(p) for p in context.confidential],
            also_recorded_as=[convert(RecordedAs, r) for r in context.also_recorded_as],
            previously=[PreviouslyRecorded.of(p) for p in context.previously],
            access=access,
        )


@strawberry.type(description="A dwelling where a family lives.")
class Household:
    household_id: str
    address: str | None
    postcode: str | None
    uprn: str | None


@strawberry.type(description="A parent_of, partner_of or sibling_of fact, as recorded.")
class Relationship:
    person_id: strawberry.ID
    related_person_id: strawberry.ID
    type: str
    subtype: str | None
    parental_responsibility: bool | None
    start_date: dt.date | None
    end_date: dt.date | None
    recorded_by: str | None


@strawberry.type(description="A recorded membership of a household.")
class NetworkMembership:
    person_id: strawberry.ID
    household_id: str
    role: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    recorded_by: str | None


@strawberry.type(description="The family network within some hops of a person: persons, households and facts.")
class FamilyNetwork:
    person_id: strawberry.ID
    hops: int
    persons: list[Person]
    households: list[Household]
    relationships: list[Relationship]
    memberships: list[NetworkMembership]

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, person_id: str, hops: int) -> FamilyNetwork:
        """The type of a family network graph (see :mod:`familynet.model.network`)."""
        nodes = graph._node
        persons = [Person.of(person_from_node(a)) for a in nodes.values() if a.get("label") == "Person"]
        households = [
            Household(household_id=a["id"], address=a["address"], postcode=a["postcode"], uprn=a["uprn"])
            for a in nodes.values()
            if a.get("label") == "Household"
        ]
        relationships, memberships = [], []
        for source, target, attrs in graph.edges(data=True):
            if attrs["type"] in {"PARENT_OF", "PARTNER_OF", "SIBLING_OF"}:
                relationships.append(
                    Relationship(
                        person_id=strawberry.ID(node_id(source)),
                        related_person_id=strawberry.ID(node_id(target)),
                        type=attrs["type"].lower(),
                        subtype=attrs.get("subtype"),
                        parental_responsibility=attrs.get("parental_responsibility"),
                        start_date=attrs.get("start_date"),
                        end_date=attrs.get("end_date"),
                        recorded_by=attrs.get("recorded_by"),
                    )
                )
            elif attrs["type"] == "MEMBER_OF":
                memberships.append(
                    NetworkMembership(
                        person_id=strawberry.ID(node_id(source)),
                        household_id=node_id(target),
                        role=attrs.get("role"),
                        start_date=attrs.get("start_date"),
                        end_date=attrs.get("end_date"),
                        recorded_by=attrs.get("recorded_by"),
                    )
                )
        return cls(
            person_id=strawberry.ID(person_id),
            hops=hops,
            persons=sorted(persons, key=lambda p: p.person_id),
            households=sorted(households, key=lambda h: h.household_id),
            relationships=relationships,
            memberships=memberships,
        )
