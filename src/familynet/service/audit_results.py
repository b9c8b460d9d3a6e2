"""What the audit query fields return: each audit's result as GraphQL types.

The first audits have result types of their own (:data:`TYPED`); any other returns an
:class:`AuditReport`, its rows as the JSON its declaration serialises. Rows come a page at
a time through one :func:`pager`, and the persons a page names are logged as read when the
page is returned.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Protocol, TypeVar

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


class Named(Protocol):
    """An audit's row as its rules give it: it names the persons whose showing is a read of them."""

    def person_ids(self) -> tuple[str, ...]: ...


S = TypeVar("S", bound=Named)


def pager(
    node: type[T],
    rows: Callable[[Any, Info], Sequence[S]],
    make: Callable[[S, Access], T],
    description: str,
) -> Any:
    """The field of an audit result type that returns its rows a page at a time, as ``node``.

    ``rows(result, info)`` are the result's rows as the rules give them, ``make(row, access)``
    one of them as ``node`` (only the page's are made). The persons the page's rows name (each
    row's ``person_ids()``) are logged as read, under the result's access, before the page is
    returned. A new audit's rows need no pager of their own: this, with its row type.
    """

    async def page(
        self: Any, info: Info, first: Annotated[int | None, First] = None, after: Annotated[str | None, After] = None
    ) -> Connection[T]:
        found = paginate(rows(self, info), first, after)
        await info.context.record(self.access, [i for edge in found.edges for i in edge.node.person_ids()])
        edges = [Edge(cursor=edge.cursor, node=make(edge.node, self.access)) for edge in found.edges]
        return Connection(page_info=found.page_info, edges=edges)

    return strawberry.field(resolver=page, description=description, graphql_type=Connection[node])  # type: ignore[valid-type]


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

    rows = pager(
        CoverageRow,
        lambda self, info: self.result.rows,
        lambda r, access: convert(
            CoverageRow, r, siblings=[convert(CoveredSibling, s, access=access) for s in r.siblings], access=access
        ),
        "The rows, a page at a time.",
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

    escalations = pager(
        Escalation,
        lambda self, info: self.result.escalations,
        lambda e, access: convert(Escalation, e, referral_ids=list(e.referral_ids), access=access),
        "The escalations, a page at a time.",
    )


@strawberry.type(description="Audit 2: repeat referrals with the same concern, and escalations (see docs/rules.md).")
class RepeatReferrals(Escalations):
    result: strawberry.Private[analyses.RepeatReferrals]

    rows = pager(
        ReferralHistory,
        lambda self, info: self.result.rows,
        lambda r, access: convert(
            ReferralHistory,
            r,
            shared_categories=list(r.shared_categories),
            household_prior=list(r.household_prior),
            previous_plans=list(r.previous_plans),
            access=access,
        ),
        "The re-referral rows, a page at a time.",
    )


@strawberry.type(description="Audit 3: household members missing from records (see docs/rules.md).")
class MissingMembers(AuditHeader):
    result: strawberry.Private[analyses.MissingMembers]

    # The findings as this reader may read them: evidence naming a confidential record withheld.
    findings = pager(
        Finding,
        lambda self, info: withheld_flags(info.context.store, info.context.principal, self.result.findings),
        Finding.of,
        "The findings, a page at a time.",
    )


@strawberry.type(description="A detail row of an audit: its fields as docs/rules.md documents them.")
class AuditRow:
    data: JSON
    child_id: strawberry.ID | None
    access: strawberry.Private[Access]

    @field("The child the row is about.", graphql_type=Person | None)
    def child(self, info: Info) -> MaybeAwaitable[Person | None]:
        return cited_person(info, self.access, self.child_id)


def _row(row: Any, access: Access) -> AuditRow:
    data: Any = analyses.serialise(row)
    return AuditRow(data=data, child_id=getattr(row, "child_id", None), access=access)


@strawberry.type(description="An audit's result: its summary, key messages and rows (see docs/rules.md).")
class AuditReport(AuditHeader):
    name: str
    result: strawberry.Private[Any]
    audit: strawberry.Private[analyses.Audit]

    rows = pager(
        AuditRow,
        lambda self, info: self.audit.rows(self.result),
        _row,
        "The detail rows, a page at a time, each with the persons it names logged as read.",
    )


@strawberry.type(description="Every audit over one period, read once (familynet audit all; see docs/rules.md).")
class AllAudits:
    period_from: dt.date
    period_to: dt.date
    parameters: JSON
    key_messages: list[str] = strawberry.field(description="Every audit's key messages, in report order.")
    audits: list[AuditReport] = strawberry.field(description="Each audit's result, in report order.")


def report(audit: analyses.Audit, result: Any, operation: str) -> AuditReport:
    return wrapped(functools.partial(AuditReport, name=audit.name, audit=audit), audit, result, operation)


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
