"""The root mutation type: record facts one at a time, validated exactly like a CSV ingest.

Each mutation turns its input into the rows of the bundle files it touches and
hands them to :func:`familynet.bundle.ingest.ingest_rows`: the bundle's row checks, then
its checks across rows and against the store (references, duplicates,
plausibility), in one load, all or nothing. Facts are stamped with the caller's
agency (``recorded_by``) and the load is named after the caller, the operation
and the request's correlation id. Invalid input changes nothing and comes back as
:class:`ValidationErrors`, one :class:`FieldError` per problem, naming the input
field and the reason, never the value; a caller who may not read persons is told the
problems found against the store in one wording (:mod:`familynet.service.existence`).
The store work of each mutation runs off the event loop (:meth:`RequestContext.write`),
as it can wait for the store's write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from familynet.access.auth import Right
from familynet.analyses.facts import node_id
from familynet.bundle.ingest import ingest_rows, row_problems
from familynet.errors import BundleError, NotFoundError, Problem
from familynet.model.network import household_node
from familynet.model.records import Person
from familynet.service.context import Access, Info, RequestContext
from familynet.service.existence import withheld
from familynet.service.fact_inputs import (
    AssessmentInput,
    EndHouseholdMembershipInput,
    HouseholdMembershipInput,
    PersonInput,
    ReferralInput,
    RelationshipInput,
)
from familynet.service.fields import mutation
from familynet.service.identities import IdentityMutations
from familynet.stores.protocol import Store

Rows = dict[str, list[dict[str, str]]]


@strawberry.type(description="One problem with one input field; it never repeats the value given.")
class FieldError:
    field: str = strawberry.field(description="The input field, e.g. dateOfBirth or mentions[0].personId.")
    reason: str
    severity: str = strawberry.field(description="error (nothing was recorded) or warning (recorded as given).")


@strawberry.type(description="The input was refused; nothing was recorded.")
class ValidationErrors:
    errors: list[FieldError]


@strawberry.interface(description="The facts were recorded: how many rows were new, changed or already so.")
class Recorded:
    inserted: int
    updated: int
    unchanged: int
    warnings: list[FieldError] = strawberry.field(description="Implausible facts, recorded as given.")


@strawberry.type(description="A person was recorded.")
class PersonRecorded(Recorded):
    person_id: strawberry.ID


@strawberry.type(description="A household membership was recorded.")
class MembershipRecorded(Recorded):
    household_id: str
    person_id: strawberry.ID


@strawberry.type(description="A relationship was recorded.")
class RelationshipRecorded(Recorded):
    person_id: strawberry.ID
    related_person_id: strawberry.ID


@strawberry.type(description="A contact or referral was recorded with its mentions.")
class ReferralRecorded(Recorded):
    referral_id: str


@strawberry.type(description="An assessment was recorded.")
class AssessmentRecorded(Recorded):
    assessment_id: str


@strawberry.type(description="A household membership was ended.")
class MembershipEnded(Recorded):
    household_id: str
    person_id: strawberry.ID


RecordPersonResult = Annotated[PersonRecorded | ValidationErrors, strawberry.union("RecordPersonResult")]
RecordHouseholdMembershipResult = Annotated[
    MembershipRecorded | ValidationErrors, strawberry.union("RecordHouseholdMembershipResult")
]
RecordRelationshipResult = Annotated[
    RelationshipRecorded | ValidationErrors, strawberry.union("RecordRelationshipResult")
]
RecordReferralResult = Annotated[ReferralRecorded | ValidationErrors, strawberry.union("RecordReferralResult")]
RecordAssessmentResult = Annotated[AssessmentRecorded | ValidationErrors, strawberry.union("RecordAssessmentResult")]
EndHouseholdMembershipResult = Annotated[
    MembershipEnded | ValidationErrors, strawberry.union("EndHouseholdMembershipResult")
]


def _cells(values: Mapping[str, object]) -> dict[str, str]:
    """Input values as bundle cells: empty for None, true/false for booleans, ';'-joined lists."""
    cells = {}
    for name, value in values.items():
        if value is None:
            cells[name] = ""
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        elif isinstance(value, list):
            cells[name] = ";".join(value)
        else:
            cells[name] = str(value)
    return cells


def _field(problem: Problem, lists: Mapping[str, str]) -> str:
    """The input field a problem is about: its column in camel case, inside a list for listed rows."""
    name = to_camel_case(problem.column) if problem.column else "input"
    stem = problem.file.removesuffix(".csv")
    if stem in lists:
        return f"{lists[stem]}[{problem.line - 2}].{name}"
    return name


#: Why a person is not updated: found against the store, as the ingest's references are.
OTHER_AGENCY = "another agency recorded this person; only that agency can update the record"


def _errors(context: RequestContext, problems: Sequence[Problem], lists: Mapping[str, str]) -> list[FieldError]:
    """The problems as the caller may be told them (:func:`~familynet.service.existence.withheld`)."""
    told = withheld(problems, may_read=context.principal.can(Right.READ_PERSON), also=(OTHER_AGENCY,))
    return [FieldError(field=_field(p, lists), reason=p.reason, severity=p.severity) for p in told]


async def _agency(info: Info, operation: str, person_ids: Sequence[str]) -> str | None:
    """The caller's agency, once their right to write is checked (a refusal is logged and raised).

    The write is logged with the persons it names too: its answer (recorded, or refused because
    another agency recorded the person) tells whether they are on record, which a caller who may
    not read persons (an admin) could otherwise probe unseen.
    """
    access = Access(operation, Right.WRITE_FACTS)
    await info.context.authorize(access, person_ids)
    await info.context.record(access, person_ids)
    return info.context.principal.agency_id


def _stored(person: Person | None) -> dict[str, object]:
    """A person on record as the values of :class:`PersonInput`."""
    if person is None:
        return {}
    values = {name: getattr(person, name) for name in PERSON_FIELDS}
    return {k: v if v is None or isinstance(v, (bool, str)) else str(v) for k, v in values.items()}


#: The fields of a person a mutation may set, as in persons.csv.
PERSON_FIELDS = (
    "given_name", "family_name", "date_of_birth", "expected_date_of_birth", "sex", "date_of_death", "nhs_number",
    "confidential",
)  # fmt: skip


def _no_agency() -> ValidationErrors:
    reason = "your account has no agency to record facts under"
    return ValidationErrors(errors=[FieldError(field="recordedBy", reason=reason, severity="error")])


def _record(
    context: RequestContext,
    store: Store,
    operation: str,
    rows: Rows,
    lists: Mapping[str, str] | None = None,
    *,
    new_only: tuple[str, ...] = (),
) -> dict[str, Any] | ValidationErrors:
    """Validate and load ``rows`` into ``store`` as one load named after the caller; the fields
    of :class:`Recorded`. Called in the writing thread (:meth:`RequestContext.write`)."""
    lists = lists or {}
    source = f"graphql {operation} by {context.principal.user} ({context.correlation_id})"
    try:
        report = ingest_rows(store, source, rows, today=context.clock().date(), new_only=new_only)
    except BundleError as refused:
        return ValidationErrors(errors=_errors(context, refused.problems, lists))
    totals = [f.written for f in report.files.values()]
    return {
        "inserted": sum(t.inserted for t in totals),
        "updated": sum(t.updated for t in totals),
        "unchanged": sum(t.unchanged for t in totals),
        "warnings": _errors(context, report.warnings, lists),
    }


def _end_membership(
    context: RequestContext, store: Store, input: EndHouseholdMembershipInput, agency: str
) -> dict[str, Any] | ValidationErrors:
    """End the one membership ``agency`` recorded that ``input`` names (in the writing thread)."""
    try:
        graph = store.family_network(input.person_id, 0)
    except NotFoundError:
        graph = None
    found = []
    if graph is not None and household_node(input.household_id) in graph:
        found = [
            attrs
            for _, target, attrs in graph.out_edges(f"Person:{input.person_id}", data=True)
            if attrs["type"] == "MEMBER_OF"
            and node_id(target) == input.household_id
            and attrs.get("recorded_by") == agency
            and (input.start_date is None or str(attrs.get("start_date")) == input.start_date)
        ]
    if len(found) != 1:
        reason = (
            "your agency has recorded no such membership"
            if not found
            else "your agency has recorded several; give startDate"
        )
        return ValidationErrors(errors=[FieldError(field="householdId", reason=reason, severity="error")])
    attrs = found[0]
    start: dt.date | None = attrs.get("start_date")
    row = {
        "household_id": input.household_id,
        "person_id": input.person_id,
        "role": attrs.get("role"),
        "start_date": None if start is None else start.isoformat(),
        "end_date": input.end_date,
        "recorded_by": agency,
    }
    return _record(context, store, "endHouseholdMembership", {"household_members": [_cells(row)]})


@strawberry.type
class Mutation(IdentityMutations):
    """Facts recorded one at a time, by practitioners and admins; identity decisions by the records role and admins."""

    @mutation("Record a person (or update one your agency recorded).")
    async def record_person(self, info: Info, input: PersonInput) -> RecordPersonResult:
        context = info.context
        agency = await _agency(info, "recordPerson", [input.person_id])
        if agency is None:
            return _no_agency()
        given = {k: v for k, v in vars(input).items() if v is not strawberry.UNSET}

        def write(store: Store) -> dict[str, Any] | ValidationErrors:
            existing = store.person(input.person_id)
            # A field left out keeps what is on record (a new person: empty); null clears it.
            rows = {"persons": [_cells({**_stored(existing), **given, "recorded_by": agency})]}
            # Another agency's practitioner could otherwise blank this agency's names, date of
            # birth and NHS number and take the record over. The input's own problems come
            # first, as for a new person, so the refusal tells no more than they would.
            if existing is not None and existing.recorded_by != agency:
                problems = row_problems(rows, today=context.clock().date()) or [
                    Problem("persons.csv", 2, "person_id", OTHER_AGENCY)
                ]
                return ValidationErrors(errors=_errors(context, problems, {}))
            return _record(context, store, "recordPerson", rows)

        result = await context.write(write)
        if isinstance(result, ValidationErrors):
            return result
        return PersonRecorded(person_id=input.person_id, **result)

    @mutation("Record that a person is a member of a household.")
    async def record_household_membership(
        self, info: Info, input: HouseholdMembershipInput
    ) -> RecordHouseholdMembershipResult:
        agency = await _agency(info, "recordHouseholdMembership", [input.person_id])
        if agency is None:
            return _no_agency()
        values = vars(input)
        household = {k: values[k] for k in ("household_id", "address", "postcode", "uprn")}
        rows: Rows = {}
        if any(household[k] is not None for k in ("address", "postcode", "uprn")):
            rows["households"] = [_cells(household)]
        membership = {k: v for k, v in values.items() if k not in {"address", "postcode", "uprn"}}
        rows["household_members"] = [_cells({**membership, "recorded_by": agency})]
        result = await info.context.write(lambda store: _record(info.context, store, "recordHouseholdMembership", rows))
        if isinstance(result, ValidationErrors):
            return result
        return MembershipRecorded(household_id=input.household_id, person_id=input.person_id, **result)

    @mutation("Record a parent_of, partner_of or sibling_of fact.")
    async def record_relationship(self, info: Info, input: RelationshipInput) -> RecordRelationshipResult:
        agency = await _agency(info, "recordRelationship", [input.person_id, input.related_person_id])
        if agency is None:
            return _no_agency()
        rows = {"relationships": [_cells({**vars(input), "recorded_by": agency})]}
        result = await info.context.write(lambda store: _record(info.context, store, "recordRelationship", rows))
        if isinstance(result, ValidationErrors):
            return result
        return RelationshipRecorded(
            person_id=input.person_id,
            related_person_id=input.related_person_id,
            **result,
        )

    @mutation("Record a new contact or referral about a child and the persons it mentions, together.")
    async def record_referral(self, info: Info, input: ReferralInput) -> RecordReferralResult:
        agency = await _agency(info, "recordReferral", [input.child_id, *(m.person_id for m in input.mentions)])
        if agency is None:
            return _no_agency()
        values = {k: v for k, v in vars(input).items() if k != "mentions"}
        values["referrer_agency_id"] = input.referrer_agency_id or agency
        rows: Rows = {"referrals": [_cells(values)]}
        rows["referral_mentions"] = [
            _cells({"referral_id": input.referral_id, "person_id": m.person_id, "role": m.role}) for m in input.mentions
        ]
        # A referral or assessment carries no recording agency to own it, so recording one
        # never rewrites one on record (its child, outcome or mentions): corrections are loads.
        lists = {"referral_mentions": "mentions"}
        result = await info.context.write(
            lambda store: _record(info.context, store, "recordReferral", rows, lists, new_only=("referrals",))
        )
        if isinstance(result, ValidationErrors):
            return result
        return ReferralRecorded(referral_id=input.referral_id, **result)

    @mutation("Record a new assessment of a child.")
    async def record_assessment(self, info: Info, input: AssessmentInput) -> RecordAssessmentResult:
        if await _agency(info, "recordAssessment", [input.child_id]) is None:
            return _no_agency()
        rows = {"assessments": [_cells(vars(input))]}
        result = await info.context.write(
            lambda store: _record(info.context, store, "recordAssessment", rows, new_only=("assessments",))
        )
        if isinstance(result, ValidationErrors):
            return result
        return AssessmentRecorded(assessment_id=input.assessment_id, **result)

    @mutation("End a household membership that your agency recorded.")
    async def end_household_membership(
        self, info: Info, input: EndHouseholdMembershipInput
    ) -> EndHouseholdMembershipResult:
        agency = await _agency(info, "endHouseholdMembership", [input.person_id])
        if agency is None:
            return _no_agency()
        result = await info.context.write(lambda store: _end_membership(info.context, store, input, agency))
        if isinstance(result, ValidationErrors):
            return result
        return MembershipEnded(household_id=input.household_id, person_id=input.person_id, **result)
