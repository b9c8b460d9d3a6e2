"""What the audit query fields return: each audit's result as GraphQL types.

The first audits have result types of their own (:data:`TYPED`); any other returns an
:class:`AuditReport`, its rows as the JSON its declaration serialises. Rows come a page at
a time, and the persons a page names are logged as read when the page is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from familynet import analyses
from familynet.access.auth import Right
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.households import Finding
from familynet.service.identities import withheld_flags
from familynet.service.pagination import After, Connection, Edge, First, paginate
from familynet.service.records import MaybeAwaitable, Person, cited_person, convert

T = TypeVar("T")
W = TypeVar("W")


def cited(operation: str) -> Access:
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


@strawberry.type(description="What every audit's result states (see docs/rules.md).")
class AuditHeader:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    summary: JSON
    key_messages: list[str] = strawberry.field(description="What an auditor should read first, in sentences.")
    access: strawberry.Private[Access]


@strawberry.type(description="A sibling of a cohort child and whether an assessment covered them.")
class CoveredSibling:
    person_id: strawberry.ID
    basis: str
    relation: str
    co_resident: bool
    covered: bool
    considered: bool | None = strawberry.field(
        description="Considered within the window; null when not and the referral's considerations were not supplied."
    )
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
class SiblingCoverage(AuditHeader):
    result: strawberry.Private[analyses.SiblingCoverage]

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
    previous_assessment: str | None
    previous_plans: list[str]
    plans_supplied: bool = strawberry.field(description="Whether plans were supplied with the referral.")
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


@strawberry.type(description="Escalations on their own: the busiest unescalated windows (see docs/rules.md).")
class Escalations(AuditHeader):
    result: strawberry.Private[analyses.Escalations | analyses.RepeatReferrals]

    @field("The escalations, a page at a time.")
    async def escalations(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[Escalation]:
        found = self.result.escalations
        items = [convert(Escalation, e, referral_ids=list(e.referral_ids), access=self.access) for e in found]
        return await _page(info, self.access, items, lambda e: [e.child_id], first, after)


@strawberry.type(description="Audit 2: repeat referrals with the same concern, and escalations (see docs/rules.md).")
class RepeatReferrals(Escalations):
    result: strawberry.Private[analyses.RepeatReferrals]

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
                previous_plans=list(r.previous_plans),
                access=self.access,
            )
            for r in self.result.rows
        ]
        return await _page(info, self.access, rows, lambda r: [r.child_id], first, after)


@strawberry.type(description="Audit 3: household members missing from records (see docs/rules.md).")
class MissingMembers(AuditHeader):
    result: strawberry.Private[analyses.MissingMembers]

    @field("The findings, a page at a time.")
    async def findings(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[Finding]:
        readable = withheld_flags(info.context.store, info.context.principal, self.result.findings)
        items = [Finding.of(f, self.access) for f in readable]
        return await _page(info, self.access, items, lambda f: f.source.person_ids(), first, after)


@strawberry.type(description="A detail row of an audit: its fields as docs/rules.md documents them.")
class AuditRow:
    data: JSON
    child_id: strawberry.ID | None
    access: strawberry.Private[Access]

    @field("The child the row is about.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)


@strawberry.type(description="An audit's result: its summary, key messages and rows (see docs/rules.md).")
class AuditReport(AuditHeader):
    name: str
    result: strawberry.Private[Any]
    audit: strawberry.Private[analyses.Audit]

    @field("The detail rows, a page at a time, each with the persons it names logged as read.")
    async def rows(
        self, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[AuditRow]:
        page: Connection[Any] = paginate(self.audit.rows(self.result), first, after)
        await info.context.record(self.access, [i for edge in page.edges for i in edge.node.person_ids()])
        edges = [Edge(cursor=edge.cursor, node=_row(edge.node, self.access)) for edge in page.edges]
        return Connection(page_info=page.page_info, edges=edges)


def _row(row: Any, access: Access) -> AuditRow:
    data: Any = analyses.serialise(row)
    return AuditRow(data=data, child_id=getattr(row, "child_id", None), access=access)


@strawberry.type(description="Every audit over one period, read once (familynet audit all; see docs/rules.md).")
class AllAudits:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    key_messages: list[str] = strawberry.field(description="Every audit's key messages, in report order.")
    audits: list[AuditReport] = strawberry.field(description="Each audit's result, in report order.")


def report(audit: analyses.Audit, result: Any, operation: str) -> AuditReport:
    plain = analyses.serialise({"parameters": result.parameters, "summary": result.summary})
    return AuditReport(
        name=audit.name,
        period_from=result.period_from,
        period_to=result.period_to,
        parameters=plain["parameters"],
        summary=plain["summary"],
        key_messages=list(audit.key_messages(result)),
        result=result,
        audit=audit,
        access=cited(operation),
    )


def wrapped(cls: Callable[..., W], audit: analyses.Audit, result: Any, operation: str) -> W:
    plain = analyses.serialise({"parameters": result.parameters, "summary": result.summary})
    return cls(
        period_from=result.period_from,
        period_to=result.period_to,
        parameters=plain["parameters"],
        summary=plain["summary"],
        key_messages=list(audit.key_messages(result)),
        result=result,
        access=cited(operation),
    )


#: The result types of the first audits, by command name; any other audit returns an AuditReport.
TYPED: dict[str, Any] = {
    "siblings": SiblingCoverage,
    "repeat-referrals": RepeatReferrals,
    "escalations": Escalations,
    "missing-members": MissingMembers,
}
