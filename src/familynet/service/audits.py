"""Every audit as a GraphQL query, for auditors, built from its declaration.

Each query field is made from an :class:`~familynet.analyses.Audit` of
:data:`~familynet.analyses.AUDITS`: its arguments are the audit's parameters, with
their types, defaults and help, and it runs the audit's function over the same
:meth:`~familynet.stores.protocol.Store.cohort` batches as the CLI, so it returns the
same numbers; ``allAudits`` runs every audit over one reading of the cohort. The first
audits have result types of their own; any other returns an :class:`AuditReport`.
Rows come a page at a time; the persons a page names are logged as read when the
page is returned, and the persons themselves are reachable only with the right to
read audited records.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from familynet import analyses
from familynet.access.auth import Right
from familynet.analyses.declaration import IDENTITIES
from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.households import Finding
from familynet.service.identities import withheld_flags
from familynet.service.identity_view import DEFAULT, Identities, IdentitiesArgument
from familynet.service.pagination import After, Connection, Edge, First, paginate
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
    considered: bool
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


async def _batches(
    info: Info, operation: str, mentions: Mentions, start: dt.date, end: dt.date, batch_size: int, identities: bool
) -> Callable[[Store], Iterator[CohortBatch]]:
    """The cohort an audit runs over, with only the mentions its rules read, as the CLI asks,
    read from the store it is given (the long read's own: :meth:`RequestContext.long_read
    <familynet.service.context.RequestContext.long_read>` runs it off the event loop)."""
    await info.context.authorize(Access(operation, Right.RUN_AUDIT))
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise AuditParameterError(f"batchSize must be between 1 and {MAX_BATCH_SIZE}")
    # The run is logged even when no row is asked for; each page then logs the persons it names.
    await info.context.record(_cited(operation), [])
    return lambda store: store.cohort(start, end, batch_size=batch_size, mentions=mentions, identities=identities)


def _report(audit: analyses.Audit, result: Any, operation: str) -> AuditReport:
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
        access=_cited(operation),
    )


def _wrap(cls: Callable[..., W], audit: analyses.Audit, result: Any, operation: str) -> W:
    plain = analyses.serialise({"parameters": result.parameters, "summary": result.summary})
    return cls(
        period_from=result.period_from,
        period_to=result.period_to,
        parameters=plain["parameters"],
        summary=plain["summary"],
        key_messages=list(audit.key_messages(result)),
        result=result,
        access=_cited(operation),
    )


#: The result types of the first audits, by command name; any other audit returns an AuditReport.
_TYPED: dict[str, Any] = {
    "siblings": SiblingCoverage,
    "repeat-referrals": RepeatReferrals,
    "escalations": Escalations,
    "missing-members": MissingMembers,
}


def _argument(parameter: analyses.Parameter) -> inspect.Parameter:
    """The resolver parameter of an audit parameter: its GraphQL type, default and description."""
    described = strawberry.argument(description=parameter.help)
    kind: Any
    default: Any = parameter.default
    if parameter.type == "int":
        kind = Annotated[int, described]
    elif parameter.type == "list":
        kind = Annotated[list[str], described]
    else:
        kind = Annotated[str | None, described]
    return inspect.Parameter(parameter.name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)


def _values(parameters: Iterable[analyses.Parameter], given: dict[str, Any]) -> dict[str, Any]:
    """The arguments as the audit function takes them: a list of codes as a checked, sorted tuple."""
    values: dict[str, Any] = {}
    for p in parameters:
        value = given[p.name]
        values[p.name] = p.parse(",".join(value)) if p.type == "list" else value
    return values


def _resolver(
    name: str, parameters: tuple[analyses.Parameter, ...], returns: Any, run: Callable[..., Any]
) -> Callable[..., Any]:
    """An async resolver named ``name`` whose signature strawberry reads: the period, the
    parameters, the batch size and the view; ``run(info, start, end, batch_size, values)``
    answers it, the view among the values (``identities``, true for the identity view)."""

    async def resolve(self: Any, info: Info, **given: Any) -> Any:
        start, end, batch_size = given.pop("from_"), given.pop("to"), given.pop("batch_size")
        view: Identities = given.pop(IDENTITIES.name)
        return await run(info, start, end, batch_size, view.by_identity, _values(parameters, given))

    keyword = inspect.Parameter.KEYWORD_ONLY
    resolve.__name__ = name
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
            inspect.Parameter("from_", keyword, annotation=From),
            inspect.Parameter("to", keyword, annotation=To),
            *(_argument(p) for p in parameters),
            inspect.Parameter("batch_size", keyword, annotation=BatchSize, default=DEFAULT_BATCH_SIZE),
            inspect.Parameter(IDENTITIES.name, keyword, annotation=IdentitiesArgument, default=DEFAULT),
        ],
        return_annotation=returns,
    )
    return resolve


def _audit_field(audit: analyses.Audit) -> Any:
    """The query field of one declared audit."""
    typed = _TYPED.get(audit.name)

    async def run(
        info: Info, start: dt.date, end: dt.date, batch_size: int, identities: bool, values: dict[str, Any]
    ) -> Any:
        batches = await _batches(info, audit.field, audit.mentions, start, end, batch_size, identities)
        result = await info.context.long_read(lambda store: audit.run(batches(store), start, end, **values))
        return _report(audit, result, audit.field) if typed is None else _wrap(typed, audit, result, audit.field)

    resolver = _resolver(audit.field, audit.parameters, typed or AuditReport, run)
    return strawberry.field(resolver=resolver, name=audit.field, description=audit.description)


async def _run_all(
    info: Info, start: dt.date, end: dt.date, batch_size: int, identities: bool, values: dict[str, Any]
) -> AllAudits:
    batches = await _batches(info, "allAudits", analyses.ALL_MENTIONS, start, end, batch_size, identities)
    result = await info.context.long_read(lambda store: analyses.all_audits(batches(store), start, end, **values))
    return AllAudits(
        period_from=start,
        period_to=end,
        parameters=cast(JSON, analyses.serialise(result.parameters)),
        key_messages=list(result.key_messages()),
        audits=[_report(audit, result.results[audit.name], "allAudits") for audit in analyses.ALL],
    )


_ALL = strawberry.field(
    resolver=_resolver("allAudits", analyses.ALL_PARAMETERS, AllAudits, _run_all),
    name="allAudits",
    description="Every audit over the period, the cohort read once: all key messages, then each audit.",
)


class AuditQueries:
    """The audit fields of the root query type: one per declared audit, and allAudits."""


for _audit in analyses.AUDITS:
    setattr(AuditQueries, _audit.field, _audit_field(_audit))
AuditQueries.all_audits = _ALL  # type: ignore[attr-defined]
strawberry.type(AuditQueries)
