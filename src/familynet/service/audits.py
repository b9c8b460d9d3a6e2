"""The three audits (and escalations alone) as GraphQL queries, for auditors.

Each query runs the function of :mod:`familynet.analyses` that the CLI runs, over
the same :meth:`~familynet.stores.protocol.Store.cohort` batches with the same parameters
and defaults, so it returns the same numbers. Rows come a page at a time; the
persons a page names are logged as read when the page is returned, and the
persons themselves are reachable only with the right to read audited records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from familynet import analyses
from familynet.access.auth import Right
from familynet.analyses.escalation import ESCALATED_OUTCOMES
from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.households import Finding
from familynet.service.pagination import After, Connection, First, paginate
from familynet.service.records import MaybeAwaitable, Person, cited_person, convert
from familynet.stores.protocol import Store

T = TypeVar("T")
W = TypeVar("W")
R = TypeVar("R")

#: Subjects per cohort batch by default, as in ``familynet audit``.
DEFAULT_BATCH_SIZE = 500
#: The largest cohort batch a request may ask for: a batch is held in memory.
MAX_BATCH_SIZE = 5000

From = Annotated[dt.date, strawberry.argument(name="from", description="First day of the period (inclusive).")]
To = Annotated[dt.date, strawberry.argument(description="Last day of the period (inclusive).")]
BatchSize = Annotated[
    int, strawberry.argument(description=f"Cohort subjects per batch (1 to {MAX_BATCH_SIZE}); no effect on results.")
]
WindowDays = Annotated[int, strawberry.argument(description="Length of an escalation window in days.")]
MinContacts = Annotated[int, strawberry.argument(description="Contacts in a window that make an escalation.")]
EscalatedOutcomes = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Outcomes that show a case was escalated [default: section_47, strategy_discussion]."
    ),
]
AdultAge = Annotated[int, strawberry.argument(description="Age at which a person is an adult.")]
InfantAge = Annotated[int, strawberry.argument(description="Age under which a child is an infant.")]


class AuditParameterError(FamilynetError):
    """An audit parameter is out of range."""


def _cited(operation: str) -> Access:
    return Access(operation, Right.READ_AUDITED_RECORD)


async def _page(
    info: Info,
    access: Access,
    items: list[T],
    ids: Callable[[T], Iterable[str | None]],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """One page of audit rows, with the persons it names logged as read before it is returned."""
    page = paginate(items, first, after)
    await info.context.record(access, [i for edge in page.edges for i in ids(edge.node) if i is not None])
    return page


@strawberry.type(description="A sibling of a cohort child and whether an assessment covered them.")
class CoveredSibling:
    person_id: strawberry.ID
    basis: str
    relation: str
    co_resident: bool
    covered: bool
    access: strawberry.Private[Access]

    @field("The sibling.", graphql_type=Person | None)
    def person(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.person_id)


@strawberry.type(description="A cohort referral followed by an assessment, and its siblings' coverage.")
class CoverageRow:
    referral_id: str
    child_id: strawberry.ID
    received_on: dt.date
    referring_agency_kind: str | None
    siblings: list[CoveredSibling]
    access: strawberry.Private[Access]

    @field("The child referred.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)


@strawberry.type(description="Audit 1: sibling coverage of assessments (see docs/rules.md).")
class SiblingCoverage:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    summary: JSON
    result: strawberry.Private[analyses.SiblingCoverage]
    access: strawberry.Private[Access]

    @field("The rows, a page at a time.")
    async def rows(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[CoverageRow]:
        rows = [
            convert(
                CoverageRow,
                r,
                siblings=[convert(CoveredSibling, s, access=self.access) for s in r.siblings],
                access=self.access,
            )
            for r in self.result.rows
        ]
        return await _page(
            info, self.access, rows, lambda r: [r.child_id, *(s.person_id for s in r.siblings)], first, after
        )


@strawberry.type(description="A cohort referral: whether it is a re-referral and what came before it.")
class ReferralHistory:
    referral_id: str
    child_id: strawberry.ID
    received_on: dt.date
    rereferral: bool
    previous_referral_id: str | None
    days_since_previous: int | None
    interval: str | None
    same_concern: bool
    shared_categories: list[int]
    previous_outcome: str | None
    household_prior: list[str]
    access: strawberry.Private[Access]

    @field("The child referred.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)


@strawberry.type(description="The busiest unescalated window of a child's contacts and referrals.")
class Escalation:
    child_id: strawberry.ID
    window_start: dt.date
    window_end: dt.date
    count: int
    referral_ids: list[str]
    access: strawberry.Private[Access]

    @field("The child.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)


async def _escalations(
    info: Info, access: Access, found: tuple[analyses.Escalation, ...], first: int | None, after: str | None
) -> Connection[Escalation]:
    items = [convert(Escalation, e, referral_ids=list(e.referral_ids), access=access) for e in found]
    return await _page(info, access, items, lambda e: [e.child_id], first, after)


@strawberry.type(description="Audit 2: repeat referrals with the same concern, and escalations (see docs/rules.md).")
class RepeatReferrals:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    summary: JSON
    result: strawberry.Private[analyses.RepeatReferrals]
    access: strawberry.Private[Access]

    @field("The re-referral rows, a page at a time.")
    async def rows(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[ReferralHistory]:
        rows = [
            convert(
                ReferralHistory,
                r,
                shared_categories=list(r.shared_categories),
                household_prior=list(r.household_prior),
                access=self.access,
            )
            for r in self.result.rows
        ]
        return await _page(info, self.access, rows, lambda r: [r.child_id], first, after)

    @field("The escalations, a page at a time.")
    async def escalations(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[Escalation]:
        return await _escalations(info, self.access, self.result.escalations, first, after)


@strawberry.type(description="Escalations on their own: the busiest unescalated windows (see docs/rules.md).")
class Escalations:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    summary: JSON
    result: strawberry.Private[analyses.Escalations]
    access: strawberry.Private[Access]

    @field("The escalations, a page at a time.")
    async def escalations(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[Escalation]:
        return await _escalations(info, self.access, self.result.escalations, first, after)


@strawberry.type(description="Audit 3: household members missing from records (see docs/rules.md).")
class MissingMembers:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    summary: JSON
    result: strawberry.Private[analyses.MissingMembers]
    access: strawberry.Private[Access]

    @field("The findings, a page at a time.")
    async def findings(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[Finding]:
        items = [Finding.of(f, self.access) for f in self.result.findings]
        return await _page(info, self.access, items, lambda f: f.source.person_ids(), first, after)


async def _batches(
    info: Info, operation: str, audit: Callable[..., object], start: dt.date, end: dt.date, batch_size: int
) -> Callable[[Store], Iterator[CohortBatch]]:
    """The cohort ``audit`` runs over, with only the mentions its rules read, as the CLI asks,
    read from the store it is given (the long read's own: see :func:`_off_loop`)."""
    await info.context.authorize(Access(operation, Right.RUN_AUDIT))
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise AuditParameterError(f"batchSize must be between 1 and {MAX_BATCH_SIZE}")
    # The run is logged even when no row is asked for; each page then logs the persons it names.
    await info.context.record(_cited(operation), [])
    return lambda store: analyses.audit_cohort(store, audit, start, end, batch_size=batch_size)


async def _off_loop(
    info: Info, audit: Callable[..., R], cohort: Callable[[Store], Iterator[CohortBatch]], *args: Any, **kwargs: Any
) -> R:
    """``audit`` over the cohort, as a long read off the event loop (familynet.service.long_reads)."""
    return await info.context.long_read(lambda store: audit(cohort(store), *args, **kwargs))


def _wrap(cls: Callable[..., W], result: Any, operation: str) -> W:
    plain = analyses.serialise({"parameters": result.parameters, "summary": result.summary})
    return cls(
        period_from=result.period_from,
        period_to=result.period_to,
        parameters=plain["parameters"],
        summary=plain["summary"],
        result=result,
        access=_cited(operation),
    )


@strawberry.type
class AuditQueries:
    """The audit fields of the root query type."""

    @field("Audit 1: how many siblings of children referred and assessed in the period were assessed too.")
    async def sibling_coverage(
        self,
        info: Info,
        from_: From,
        to: To,
        assessment_days: Annotated[
            int, strawberry.argument(description="Days after the referral an assessment counts.")
        ] = 60,
        lookback_days: Annotated[
            int, strawberry.argument(description="Days before the referral an assessment counts.")
        ] = 30,
        adult_age: AdultAge = 18,
        infant_age: InfantAge = 1,
        batch_size: BatchSize = DEFAULT_BATCH_SIZE,
    ) -> SiblingCoverage:
        batches = await _batches(info, "siblingCoverage", analyses.sibling_coverage, from_, to, batch_size)
        result = await _off_loop(
            info,
            analyses.sibling_coverage,
            batches,
            from_,
            to,
            assessment_days=assessment_days,
            lookback_days=lookback_days,
            adult_age=adult_age,
            infant_age=infant_age,
        )
        return _wrap(SiblingCoverage, result, "siblingCoverage")

    @field("Audit 2: re-referrals with the same concern, and escalations.")
    async def repeat_referrals(
        self,
        info: Info,
        from_: From,
        to: To,
        months: Annotated[int, strawberry.argument(description="Calendar months back that make a re-referral.")] = 12,
        short_months: Annotated[int, strawberry.argument(description="First interval mark, in months.")] = 3,
        medium_months: Annotated[int, strawberry.argument(description="Second interval mark, in months.")] = 6,
        window_days: WindowDays = 42,
        min_contacts: MinContacts = 3,
        escalated_outcomes: EscalatedOutcomes = None,
        adult_age: AdultAge = 18,
        infant_age: InfantAge = 1,
        batch_size: BatchSize = DEFAULT_BATCH_SIZE,
    ) -> RepeatReferrals:
        batches = await _batches(info, "repeatReferrals", analyses.repeat_referrals, from_, to, batch_size)
        result = await _off_loop(
            info,
            analyses.repeat_referrals,
            batches,
            from_,
            to,
            months=months,
            short_months=short_months,
            medium_months=medium_months,
            window_days=window_days,
            min_contacts=min_contacts,
            escalated_outcomes=ESCALATED_OUTCOMES if escalated_outcomes is None else frozenset(escalated_outcomes),
            adult_age=adult_age,
            infant_age=infant_age,
        )
        return _wrap(RepeatReferrals, result, "repeatReferrals")

    @field("Escalations alone: children with many unescalated contacts in a short window.")
    async def escalations(
        self,
        info: Info,
        from_: From,
        to: To,
        window_days: WindowDays = 42,
        min_contacts: MinContacts = 3,
        escalated_outcomes: EscalatedOutcomes = None,
        adult_age: AdultAge = 18,
        batch_size: BatchSize = DEFAULT_BATCH_SIZE,
    ) -> Escalations:
        batches = await _batches(info, "escalations", analyses.escalations, from_, to, batch_size)
        result = await _off_loop(
            info,
            analyses.escalations,
            batches,
            from_,
            to,
            window_days=window_days,
            min_contacts=min_contacts,
            escalated_outcomes=ESCALATED_OUTCOMES if escalated_outcomes is None else frozenset(escalated_outcomes),
            adult_age=adult_age,
        )
        return _wrap(Escalations, result, "escalations")

    @field("Audit 3: household members missing from the records of children referred in the period.")
    async def missing_members(
        self,
        info: Info,
        from_: From,
        to: To,
        adult_age: AdultAge = 18,
        infant_age: InfantAge = 1,
        batch_size: BatchSize = DEFAULT_BATCH_SIZE,
    ) -> MissingMembers:
        batches = await _batches(info, "missingMembers", analyses.missing_members, from_, to, batch_size)
        result = await _off_loop(
            info, analyses.missing_members, batches, from_, to, adult_age=adult_age, infant_age=infant_age
        )
        return _wrap(MissingMembers, result, "missingMembers")
