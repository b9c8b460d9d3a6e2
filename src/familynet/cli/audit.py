"""The ``household`` and ``audit`` commands: the rules of :mod:`familynet.analyses` as people use them.

Every option of an audit is a parameter of its function in ``familynet.analyses``,
with the contract's default; ``docs/rules.md`` defines each one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from familynet.analyses import (
    audit_cohort,
    escalations,
    household_context,
    missing_members,
    repeat_referrals,
    sibling_coverage,
)
from familynet.analyses.escalation import ESCALATED_OUTCOMES
from familynet.analyses.parameters import ParameterError, check_outcomes
from familynet.cli.common import db_option, emit, iso_date, open_store, person_names, purpose_option, record_read
from familynet.identity.view import identity_network
from familynet.model.cohort import CohortBatch
from familynet.reports.audits import (
    context_report,
    coverage_report,
    escalations_report,
    missing_report,
    person_ids,
    repeat_report,
    with_names,
)
from familynet.reports.report import FORMATS, Report, render
from familynet.stores.protocol import Store

Result = TypeVar("Result")


with_names_option = click.option(
    "--with-names",
    is_flag=True,
    help="Add given and family names next to each person id (ids only without it).",
)
adult_age_option = click.option(
    "--adult-age",
    type=click.IntRange(1),
    default=18,
    show_default=True,
    help="Age in completed years at which a person stops being a child.",
)
infant_age_option = click.option(
    "--infant-age",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Age under which a child with no recorded household of their own lives with their mother.",
)


@click.command()
@click.argument("person_id")
@click.option("--on", metavar="DATE", callback=iso_date, help="The date, YYYY-MM-DD [default: today].")
@click.option(
    "--flag-months",
    type=click.IntRange(0),
    default=12,
    show_default=True,
    help="Calendar months back from the date whose contacts and referrals raise mention flags.",
)
@adult_age_option
@infant_age_option
@purpose_option
@with_names_option
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format: readable sections, or the whole context as JSON (documented in docs/rules.md).",
)
@click.option(
    "--identities",
    type=click.Choice(["identities", "records"]),
    default="identities",
    show_default=True,
    help="One node per person, however many agencies recorded them (docs/identity.md), or one per record.",
)
def household(
    person_id: str,
    on: dt.date | None,
    flag_months: int,
    adult_age: int,
    infant_age: int,
    purpose: str,
    with_names: bool,
    db: Path | None,
    fmt: str,
    identities: str,
) -> None:
    """Show the household context of the child PERSON_ID on a date.

    The recorded households with every other agency's view of their members,
    parents (parental responsibility, whether they live there), siblings (basis,
    relation, co-residence), significant adults (with the agency and role that
    link them), agencies involved, the timeline of the child and siblings, and
    every flag that concerns the child. docs/rules.md defines each part. Each person is
    one node however many agencies recorded them (docs/identity.md; --identities records
    for one node per record). The
    read is appended to the access log, with its purpose, before anything is shown.
    """
    with open_store(db, must_exist=True) as store:
        if identities == "identities":
            subject, graph = identity_network(store, person_id)
        else:
            subject, graph = person_id, store.family_network(person_id)
        context = household_context(
            graph, subject, on, flag_months=flag_months, adult_age=adult_age, infant_age=infant_age
        )
        report = _named(store, context_report(context), with_names)
        record_read(store, "household", {person_id, subject, *person_ids(report)}, purpose)
    emit(render(report, fmt), None)


@click.group()
def audit() -> None:
    """Audit the records over a period: sibling coverage, repeat referrals, escalations, missing members.

    Each audit writes a table, JSON, CSV (its detail rows) or one self-contained
    HTML report with the definitions, parameters, summary, charts and details,
    to standard output or to --output. docs/rules.md defines every audit. Each
    run is appended to the access log, with the persons it names, before its output.
    """


@dataclass(frozen=True)
class AuditRun:
    """The options every audit shares."""

    name: str
    start: dt.date
    end: dt.date
    db: Path | None
    fmt: str
    output: Path | None
    with_names: bool
    batch_size: int

    def publish(
        self,
        run: Callable[[Iterator[CohortBatch]], Result],
        build: Callable[[Result], Report],
        audit: Callable[..., object],
    ) -> None:
        """Run an audit over the store's cohort for the period (without the mentions its rules
        do not read, see :func:`~familynet.analyses.audit_cohort`) and write its report."""
        with open_store(self.db, must_exist=True) as store:
            batches = audit_cohort(store, audit, self.start, self.end, batch_size=self.batch_size)
            result = run(batches)
            report = _named(store, build(result), self.with_names)
            record_read(store, f"audit {self.name}", person_ids(report), "audit")
        emit(render(report, self.fmt), self.output)


def _named(store: Store, report: Report, wanted: bool) -> Report:
    return with_names(report, person_names(store, person_ids(report))) if wanted else report


_AUDIT_OPTIONS = (
    click.option(
        "--from", "start", required=True, metavar="DATE", callback=iso_date, help="First day of the period, YYYY-MM-DD."
    ),
    click.option(
        "--to", "end", required=True, metavar="DATE", callback=iso_date, help="Last day of the period, YYYY-MM-DD."
    ),
    db_option,
    click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format; csv is the detail rows, html one self-contained report to email.",
    ),
    click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write to this file (readable by you only) instead of standard output.",
    ),
    with_names_option,
    click.option(
        "--batch-size",
        type=click.IntRange(1),
        default=500,
        show_default=True,
        help="Subjects whose family networks are read from the store at a time (memory against speed).",
    ),
)


def audit_command(name: str) -> Callable[[Callable[..., None]], click.Command]:
    """Register an audit command taking the shared options as an :class:`AuditRun`."""

    def decorate(function: Callable[..., None]) -> click.Command:
        @functools.wraps(function)
        def command(
            start: dt.date,
            end: dt.date,
            db: Path | None,
            fmt: str,
            output: Path | None,
            with_names: bool,
            batch_size: int,
            **parameters: Any,
        ) -> None:
            function(AuditRun(name, start, end, db, fmt, output, with_names, batch_size), **parameters)

        for option in reversed(_AUDIT_OPTIONS):
            command = option(command)
        return audit.command(name)(command)

    return decorate


def _outcomes(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(sorted({v.strip() for v in value.split(",") if v.strip()}))
    try:
        check_outcomes(chosen)
    except ParameterError as error:
        raise click.BadParameter(str(error)) from None
    return chosen


def _months_option(name: str, default: int, meaning: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(name, type=click.IntRange(1), default=default, show_default=True, help=meaning)


window_days_option = click.option(
    "--window-days",
    type=click.IntRange(1),
    default=42,
    show_default=True,
    help="Escalation window length in days: its end date and the days before it.",
)
min_contacts_option = click.option(
    "--min-contacts",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Contacts or referrals in a window that make an escalation.",
)
escalated_outcomes_option = click.option(
    "--escalated-outcomes",
    callback=_outcomes,
    default=",".join(sorted(ESCALATED_OUTCOMES)),
    show_default=True,
    help="Comma-separated referral outcomes that mean a window was acted on (so it is not reported).",
)


@audit_command("siblings")
@click.option(
    "--assessment-days",
    type=click.IntRange(0),
    default=60,
    show_default=True,
    help="Days after the referral within which the child's assessment must start; also the end of the "
    "siblings' coverage window.",
)
@click.option(
    "--lookback-days",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Days before the referral from which a sibling's assessment covers them.",
)
@adult_age_option
@infant_age_option
def siblings(run: AuditRun, assessment_days: int, lookback_days: int, adult_age: int, infant_age: int) -> None:
    """Audit 1, sibling coverage: were the siblings of each assessed referral's child assessed too?

    Per in-scope referral received in the period whose child was assessed, each
    sibling with basis, relation, co-residence and whether an assessment covered
    them; summary by referring agency kind and by month.
    """
    run.publish(
        lambda batches: sibling_coverage(
            batches,
            run.start,
            run.end,
            assessment_days=assessment_days,
            lookback_days=lookback_days,
            adult_age=adult_age,
            infant_age=infant_age,
        ),
        coverage_report,
        sibling_coverage,
    )


@audit_command("repeat-referrals")
@_months_option("--months", 12, "Calendar months back that make a re-referral (and bound household_prior).")
@_months_option("--short-months", 3, "First interval mark in calendar months (0-3m).")
@_months_option("--medium-months", 6, "Second interval mark in calendar months (3-6m; beyond it 6-12m).")
@window_days_option
@min_contacts_option
@escalated_outcomes_option
@adult_age_option
@infant_age_option
def repeat_referrals_command(
    run: AuditRun,
    months: int,
    short_months: int,
    medium_months: int,
    window_days: int,
    min_contacts: int,
    escalated_outcomes: tuple[str, ...],
    adult_age: int,
    infant_age: int,
) -> None:
    """Audit 2, repeat referrals: re-referrals within 12 months (DfE CIN census), and escalations.

    One row per in-scope referral received in the period that is a re-referral or
    follows a sibling's referral for the same concern; then each child with many
    unescalated contacts in a short window. Summary: re-referral rate,
    same-concern share, intervals, outcomes that preceded re-referrals.
    """
    run.publish(
        lambda batches: repeat_referrals(
            batches,
            run.start,
            run.end,
            months=months,
            short_months=short_months,
            medium_months=medium_months,
            window_days=window_days,
            min_contacts=min_contacts,
            escalated_outcomes=escalated_outcomes,
            adult_age=adult_age,
            infant_age=infant_age,
        ),
        repeat_report,
        repeat_referrals,
    )


@audit_command("escalations")
@window_days_option
@min_contacts_option
@escalated_outcomes_option
@adult_age_option
def escalations_command(
    run: AuditRun, window_days: int, min_contacts: int, escalated_outcomes: tuple[str, ...], adult_age: int
) -> None:
    """Escalations alone: children with many contacts or referrals in a short window, none escalated.

    One row per child whose busiest qualifying window ends on a contact or
    referral received in the period: the window, the count and the referral ids.
    """
    run.publish(
        lambda batches: escalations(
            batches,
            run.start,
            run.end,
            window_days=window_days,
            min_contacts=min_contacts,
            escalated_outcomes=escalated_outcomes,
            adult_age=adult_age,
        ),
        escalations_report,
        escalations,
    )


@audit_command("missing-members")
@adult_age_option
@infant_age_option
def missing_members_command(run: AuditRun, adult_age: int, infant_age: int) -> None:
    """Audit 3, household members missing from records: six kinds of finding per child.

    For each child who is the subject of an in-scope contact or referral received
    in the period: fathers not recorded, mentioned persons not in the household
    record, mentioned parents not recorded, members only in another agency's
    record, siblings not recorded, and the child in another agency's household.
    """
    run.publish(
        lambda batches: missing_members(batches, run.start, run.end, adult_age=adult_age, infant_age=infant_age),
        missing_report,
        missing_members,
    )
