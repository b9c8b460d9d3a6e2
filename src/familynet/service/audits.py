"""Every audit as a GraphQL query, for auditors, built from its declaration.

Each query field is made from an :class:`~familynet.analyses.Audit` of
:data:`~familynet.analyses.AUDITS`: its arguments are the audit's parameters, with
their types, defaults and help, and it runs the audit's function over the same
:meth:`~familynet.stores.protocol.Store.cohort` batches as the CLI, so it returns the
same numbers; ``allAudits`` runs every audit over one reading of the cohort. What the
fields return is in :mod:`~familynet.service.audit_results`; the persons themselves are
reachable only with the right to read audited records.
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
from familynet.analyses.home import with_home_agency
from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.service.audit_results import TYPED, AllAudits, AuditReport, cited, report, wrapped
from familynet.service.context import Access, Info
from familynet.service.identity_view import DEFAULT, Identities, IdentitiesArgument
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
    await info.context.record(cited(operation), [])
    return lambda store: store.cohort(start, end, batch_size=batch_size, mentions=mentions, identities=identities)


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
    typed = TYPED.get(audit.name)

    async def run(
        info: Info, start: dt.date, end: dt.date, batch_size: int, identities: bool, values: dict[str, Any]
    ) -> Any:
        batches = await _batches(info, audit.field, audit.mentions, start, end, batch_size, identities)
        result = await info.context.long_read(
            lambda store: audit.run(batches(store), start, end, **with_home_agency(values, store))
        )
        return report(audit, result, audit.field) if typed is None else wrapped(typed, audit, result, audit.field)

    resolver = _resolver(audit.field, audit.parameters, typed or AuditReport, run)
    return strawberry.field(resolver=resolver, name=audit.field, description=audit.description)


async def _run_all(
    info: Info, start: dt.date, end: dt.date, batch_size: int, identities: bool, values: dict[str, Any]
) -> AllAudits:
    batches = await _batches(info, "allAudits", analyses.ALL_MENTIONS, start, end, batch_size, identities)
    result = await info.context.long_read(
        lambda store: analyses.all_audits(batches(store), start, end, **with_home_agency(values, store))
    )
    return AllAudits(
        period_from=start,
        period_to=end,
        parameters=cast(JSON, analyses.serialise(result.parameters)),
        key_messages=list(result.key_messages()),
        audits=[report(audit, result.results[audit.name], "allAudits") for audit in analyses.ALL],
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
