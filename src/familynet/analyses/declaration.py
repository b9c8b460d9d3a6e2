"""An audit, declared once: what the CLI, the GraphQL API, the report and the bench follow.

Each audit module ends with its :class:`Audit`: its function, its parameters (each
with type, default and help text), the cohort it reads, its row and result types
and its key messages. ``familynet audit NAME``, the GraphQL field, the JSON
documentation check, ``familynet audit all`` and ``bench/run.py`` are built from
:data:`familynet.analyses.audits.AUDITS`, so an audit is added in one module (and
``docs/rules.md``).

>>> MONTHS = Parameter("months", 12, "Calendar months back.")
>>> MONTHS.type, MONTHS.option, MONTHS.argument
('int', '--months', 'months')
>>> Parameter("kinds", ("referral",), "Kinds.").parse("contact, referral,contact")
('contact', 'referral')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

from familynet.analyses.cohort import check_period
from familynet.analyses.parameters import RANGES, ParameterError, check_parameters
from familynet.analyses.people import ADULT, INFANT
from familynet.model.cohort import CohortBatch, Mentions

#: The value of a parameter: a number, a list of codes, or an optional text (an id).
Value = int | tuple[str, ...] | str | None
#: An audit's parameters, every one present and checked (:meth:`Audit.chosen`), by name: what its
#: stages take (their rule functions take them as keywords, typed, without defaults of their own).
Chosen = Mapping[str, Any]


@dataclass(frozen=True)
class Parameter:
    """A parameter of an audit, named as its function's keyword argument.

    Its type follows from its default: an ``int`` (within :data:`RANGES
    <familynet.analyses.parameters.RANGES>`), a tuple of codes (given on the command
    line comma-separated, each checked by ``check``), or an optional text (default None).
    """

    name: str
    default: Value
    help: str
    check: Callable[[Collection[str]], None] | None = None
    """For a list of codes: raises ParameterError unless every code is known."""

    @property
    def type(self) -> Literal["int", "list", "text"]:
        """``int``, ``list`` (of codes) or ``text``."""
        if isinstance(self.default, bool):
            raise TypeError(self.name)
        if isinstance(self.default, int):
            return "int"
        return "list" if isinstance(self.default, tuple) else "text"

    @property
    def option(self) -> str:
        """The command-line option: ``--assessment-days``."""
        return "--" + self.name.replace("_", "-")

    @property
    def argument(self) -> str:
        """The GraphQL argument: ``assessmentDays``."""
        head, *rest = self.name.split("_")
        return head + "".join(word.title() for word in rest)

    @property
    def bounds(self) -> tuple[int, int]:
        """The inclusive range of an ``int`` parameter."""
        return RANGES[self.name]

    def parse(self, text: str) -> tuple[str, ...]:
        """A list parameter from its comma-separated form: distinct codes, sorted, checked."""
        chosen = tuple(sorted({v.strip() for v in text.split(",") if v.strip()}))
        if self.check is not None:
            self.check(chosen)
        return chosen


class AuditResult(Protocol):
    """What every audit returns: its period, parameters and summary (and its rows)."""

    @property
    def period_from(self) -> dt.date: ...

    @property
    def period_to(self) -> dt.date: ...

    @property
    def parameters(self) -> dict[str, Any]: ...

    @property
    def summary(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Audit:
    """One audit, declared once."""

    name: str
    """The command: ``familynet audit NAME``."""
    field: str
    """The GraphQL query field."""
    heading: str
    """Its section of ``docs/rules.md``, whose text the report carries."""
    description: str
    """What it answers, in one line (the command's help and the field's description)."""
    help: str
    """What the command writes, for ``--help``."""
    run: Callable[..., Any]
    """The audit's function, ``run(batches, start, end, **parameters)``: calling the declaration
    (:meth:`__call__`), the parameters not given at their defaults."""
    collect: Callable[[Iterable[CohortBatch], dt.date, dt.date, Chosen], list[Any]]
    """``collect(batches, start, end, chosen)``: what the audit's rules find for the subjects of some
    batches, given the parameters :meth:`chosen` checked. The subjects' rules read only their own family
    networks, so the cohort's batches may be shared out, and what each share found joined in any order."""
    finish: Callable[[list[Any], dt.date, dt.date, Chosen], Any]
    """``finish(found, start, end, chosen)``: the result over the whole cohort from what ``collect``
    found over all its batches, in any order (``finish`` sorts)."""
    parameters: tuple[Parameter, ...]
    mentions: Mentions
    """The ``MENTIONS`` facts its rules read, as :meth:`Store.cohort` takes them."""
    result: type
    row: type
    """The type of its detail rows (a ``HEADER`` and ``cells()``)."""
    rows: Callable[[Any], Sequence[Any]]
    """The detail rows of a result."""
    key_messages: Callable[[Any], tuple[str, ...]]
    """The sentences an auditor reads first, from a result."""
    in_all: bool = True
    """Whether ``familynet audit all`` runs it (escalations alone are part of audit 2)."""

    @property
    def header(self) -> tuple[str, ...]:
        """The columns of its detail rows."""
        header: tuple[str, ...] = getattr(self.row, "HEADER")  # noqa: B009 - every row type declares it
        return header

    def defaults(self, **overrides: Any) -> dict[str, Any]:
        """Each parameter's default by name (``overrides`` instead for those given): the keywords
        its rule functions take, for a caller that does not choose them all."""
        return {p.name: overrides.get(p.name, p.default) for p in self.parameters}

    def chosen(self, start: dt.date, end: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter, ``given`` by name or else its default, checked once for both stages:
        PeriodError or ParameterError (an unknown name, a number out of its range, an unknown code)
        before any of the cohort is read. A list of codes is kept as a sorted tuple.
        """
        check_period(start, end)
        unknown = set(given) - {p.name for p in self.parameters}
        if unknown:
            raise ParameterError(f"not parameters of {self.name}: {', '.join(sorted(unknown))}")
        chosen = self.defaults(**given)
        for p in self.parameters:
            if p.type == "list":
                chosen[p.name] = tuple(sorted(chosen[p.name]))
                if p.check is not None:
                    p.check(chosen[p.name])
        check_parameters(**{p.name: chosen[p.name] for p in self.parameters if p.type == "int"})
        return chosen

    def over(self, batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen) -> Any:
        """The result over ``batches`` with parameters already :meth:`chosen`."""
        return self.finish(self.collect(batches, start, end, chosen), start, end, chosen)

    def __call__(self, batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Any) -> Any:
        """Run the audit with the defaults for the parameters not given."""
        return self.over(batches, start, end, self.chosen(start, end, parameters))


R = TypeVar("R")


@dataclass(frozen=True)
class RowsResult(Generic[R]):
    """The result of an audit with one row per cohort item: its period, parameters, rows and summary."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, Any]
    rows: tuple[R, ...]
    summary: dict[str, Any]


class ChildRow:
    """What a row about one child gives a table and the access log: its cells in ``HEADER``
    order, and the child as the person it names."""

    HEADER: ClassVar[tuple[str, ...]]
    child_id: str

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row, in HEADER order."""
        return tuple(getattr(self, name) for name in self.HEADER)

    def person_ids(self) -> tuple[str, ...]:
        """The persons the row names: the child."""
        return (self.child_id,)


def number(count: int) -> str:
    """A count as the reports write it.

    >>> number(1204)
    '1,204'
    """
    return f"{count:,}"


def share_text(n: int, of: int, percent: float | None) -> str:
    """``n of of (percent%)``, as the key messages write a share.

    >>> share_text(3, 4, 75.0), share_text(**{"n": 0, "of": 0, "percent": None})
    ('3 of 4 (75.0%)', '0 of 0')
    """
    return f"{number(n)} of {number(of)}" + ("" if percent is None else f" ({percent}%)")


ADULT_AGE = Parameter("adult_age", ADULT, "Age in completed years at which a person stops being a child.")
INFANT_AGE = Parameter(
    "infant_age", INFANT, "Age under which a child with no recorded household of their own lives with their mother."
)


@dataclass(frozen=True)
class View:
    """How the rules see persons: a choice every audit, the household context and the genogram
    take besides their parameters (``--identities`` on the command line, ``identities`` in GraphQL).

    >>> IDENTITIES.option, IDENTITIES.argument, IDENTITIES.by_identity("records")
    ('--identities', 'identities', False)
    """

    name: str
    choices: tuple[str, ...]
    default: str
    help: str

    @property
    def option(self) -> str:
        """The command-line option."""
        return "--" + self.name

    @property
    def argument(self) -> str:
        """The GraphQL argument."""
        return self.name

    def by_identity(self, chosen: str) -> bool:
        """Whether ``chosen`` (a choice, any case) is the identity view."""
        return chosen.lower() == self.choices[0]


IDENTITIES = View(
    "identities",
    ("identities", "records"),
    "identities",
    "One person per identity, however many agencies recorded them (docs/identity.md), "
    "or one per record as loaded (records).",
)
