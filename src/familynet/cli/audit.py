"""The ``household`` and ``audit`` commands: the rules of :mod:`familynet.analyses` as people use them.

Each ``audit`` command is built from its declaration (:data:`familynet.analyses.AUDITS`):
every option is a parameter of the audit, with its type, default and help; ``docs/rules.md``
defines each one. ``audit all`` runs every audit over one reading of the cohort.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import getpass
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import networkx as nx

from familynet.analyses import (
    ALL,
    ALL_PARAMETERS,
    AUDITS,
    Audit,
    Parameter,
    all_audits_in_workers,
    household_context,
    with_history,
)
from familynet.analyses.allegations import FLAG_MONTHS
from familynet.analyses.declaration import ADULT_AGE, IDENTITIES, INFANT_AGE
from familynet.analyses.home import with_home_agency
from familynet.analyses.parameters import ParameterError
from familynet.analyses.people import children, is_adult, is_child
from familynet.cli.common import (
    db_option,
    emit,
    emit_bytes,
    iso_date,
    open_store,
    person_names,
    progress_bar,
    purpose_option,
    record_read,
    require_file_or_pipe,
    require_person,
    store_settings,
    writable_file,
)
from familynet.collector import collector_paused
from familynet.identity.view import identity_network
from familynet.model.cohort import CohortBatch
from familynet.reports.audits import all_report, audit_report
from familynet.reports.comparison import compared, previous_period
from familynet.reports.household import context_report
from familynet.reports.names import person_ids, with_names
from familynet.reports.report import FORMATS, Report, render
from familynet.reports.workbook import workbook
from familynet.stores.backends import configured_store
from familynet.stores.protocol import DEFAULT_HOPS, Store

with_names_option = click.option(
    "--with-names",
    is_flag=True,
    help="Add given and family names next to each person id (ids only without it).",
)


def _listed(parameter: Parameter) -> Callable[[click.Context, click.Parameter, str], tuple[str, ...]]:
    def parse(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        try:
            return parameter.parse(value)
        except ParameterError as error:
            raise click.BadParameter(str(error)) from None

    return parse


def option(parameter: Parameter) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The command-line option of an audit parameter: a number in its range, a comma-separated
    list of codes, or a text."""
    if parameter.type == "int":
        low, high = parameter.bounds
        kind: Any = click.IntRange(low, high)
        return click.option(
            parameter.option, type=kind, default=parameter.default, show_default=True, help=parameter.help
        )
    if parameter.type == "list":
        assert isinstance(parameter.default, tuple)
        return click.option(
            parameter.option,
            callback=_listed(parameter),
            default=",".join(parameter.default),
            show_default=True,
            help=f"{parameter.help} Comma-separated.",
        )
    return click.option(parameter.option, default=parameter.default, help=parameter.help)


adult_age_option = option(ADULT_AGE)
infant_age_option = option(INFANT_AGE)
identities_option = click.option(
    IDENTITIES.option, type=click.Choice(IDENTITIES.choices), default=IDENTITIES.default, show_default=True,
    help=IDENTITIES.help,
)  # fmt: skip


def person_network(store: Store, person_id: str, hops: int, identities: str) -> tuple[str, nx.MultiDiGraph]:
    """The person (their identity, in the identity view) and their family network in the view
    ``--identities`` chose."""
    if IDENTITIES.by_identity(identities):
        return identity_network(store, person_id, hops)
    return person_id, store.family_network(person_id, hops)


@click.command()
@click.argument("person_id")
@click.option("--on", metavar="DATE", callback=iso_date, help="The date, YYYY-MM-DD [default: today].")
@click.option(
    "--flag-months",
    type=click.IntRange(0),
    default=FLAG_MONTHS,
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
@identities_option
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
    with open_store(db) as store:
        require_person(store, person_id)
        subject, graph = person_network(store, person_id, DEFAULT_HOPS, identities)
        _refuse_an_adult(store, graph, subject, on or dt.date.today(), adult_age, purpose)
        context = household_context(
            graph, subject, on, flag_months=flag_months, adult_age=adult_age, infant_age=infant_age
        )
        context = with_history(context, graph, store.previous_versions(context.person_ids()))
        report = _named(store, context_report(context), with_names)
        record_read(store, "household", {person_id, subject, *person_ids(report)}, purpose)
    emit(render(report, fmt), None)


def _refuse_an_adult(
    store: Store, graph: nx.MultiDiGraph, person_id: str, day: dt.date, adult_age: int, purpose: str
) -> None:
    """The household context is a child's: for an adult, say so and offer their children
    (their own children are never shown as anyone's siblings). Naming the children is a read."""
    if not is_adult(graph, person_id, day, adult_age=adult_age):
        return
    kids = sorted(c for c in children(graph, person_id, day) if is_child(graph, c, day, adult_age=adult_age))
    record_read(store, "household", {person_id, *kids}, purpose)
    offer = f"; their children: {', '.join(kids)}" if kids else "; no children of theirs are recorded"
    raise click.ClickException(f"{person_id} is an adult on {day}, and the household context is a child's{offer}")


@click.group()
def audit() -> None:
    """Audit the records over a period: every audit of docs/rules.md, or all of them at once.

    Each audit writes a table, JSON, CSV (its detail rows) or one self-contained
    HTML report with its key messages, definitions, parameters, summary, charts and
    details, to standard output or to --output. docs/rules.md defines every audit. Each
    run is appended to the access log, with the persons it names, before its output.
    """


def counted(batches: Iterator[CohortBatch], advance: Callable[[int], None]) -> Iterator[CohortBatch]:
    """The cohort's batches, counting their subjects on a progress display: the cohort's
    size is known only once it has been read, so a count, not a bar."""
    for batch in batches:
        yield batch
        advance(len(batch.child_ids))


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
        type=click.Choice([*FORMATS, "xlsx"]),
        default="table",
        show_default=True,
        help="Output format; csv is the detail rows, html one self-contained report to email, "
        "xlsx a workbook with a summary sheet and a sheet per table.",
    ),
    click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=writable_file,
        default=None,
        help="Write to this file (readable by you only) instead of standard output.",
    ),
    click.option(
        "--with-names",
        is_flag=True,
        help="Add given and family names next to each person id (ids only without it).",
    ),
    click.option(
        "--compare-previous",
        is_flag=True,
        help="Show each figure beside the previous period's (as long, ending the day before --from): 22.0 → 18.0.",
    ),
    click.option(
        "--batch-size",
        type=click.IntRange(1),
        default=500,
        show_default=True,
        help="Subjects whose family networks are read from the store at a time (memory against speed).",
    ),
    identities_option,
)


def _publish(
    name: str,
    options: dict[str, Any],
    run: Callable[[Store, dt.date, dt.date, int, bool], Report],
) -> None:
    """Run an audit over the store's cohort for the period and write its report, after
    logging the persons it names."""
    start, end = options.pop("start"), options.pop("end")
    db, fmt, output = options.pop("db"), options.pop("fmt"), options.pop("output")
    wanted, batch_size, compare = options.pop("with_names"), options.pop("batch_size"), options.pop("compare_previous")
    by_identity = IDENTITIES.by_identity(options.pop(IDENTITIES.name))
    if fmt == "xlsx":
        require_file_or_pipe(fmt, output)
    with open_store(db) as store:
        report = _named(store, run(store, start, end, batch_size, by_identity), wanted)
        report = dataclasses.replace(report, about=_about(db, store, start, end, by_identity))
        if compare:
            # Figures only: the previous period's persons are not shown, so not read.
            before_start, before_end = previous_period(start, end)
            before = run(store, before_start, before_end, batch_size, by_identity)
            report = compared(report, before, f"{before_start:%-d %B %Y} to {before_end:%-d %B %Y}")
        record_read(store, f"audit {name}", person_ids(report), "audit")
    if fmt == "xlsx":
        emit_bytes(workbook(report), output)
    else:
        emit(render(report, fmt), output)


def _about(
    db: Path | None, store: Store, start: dt.date, end: dt.date, by_identity: bool
) -> tuple[tuple[str, str], ...]:
    """Where a report comes from: the period, the store (never its credentials) and its last
    load, who ran it and when."""
    settings = store_settings(db)
    if settings.neo4j_uri is not None:
        parts = urlsplit(settings.neo4j_uri)
        data = f"Neo4j store {parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    else:
        data = f"SQLite store {settings.db.resolve()}"
    return (
        ("Period", f"{start:%-d %B %Y} to {end:%-d %B %Y}"),
        ("Data", data),
        ("Last load", _last_load(store)),
        ("Identity view", _IDENTITY_VIEW if by_identity else _RECORD_VIEW),
        ("Run by", getpass.getuser()),
        ("Run at", f"{dt.datetime.now(dt.UTC):%-d %B %Y %H:%M} UTC"),
    )


_IDENTITY_VIEW = "identities: each person once, however many agencies recorded them (docs/identity.md)"
_RECORD_VIEW = "records: the records as loaded, each record a person (--identities records)"


def _last_load(store: Store) -> str:
    """The store's last finished load: its number, its source (the bundle's name and a digest of
    its files) and when it finished."""
    last = store.last_load()
    if last is None:
        return "none: the store holds no load"
    return f"load {last.load_id} ({last.source}), finished {last.finished_at[:16]} UTC"


def _command(name: str, help_text: str, parameters: tuple[Parameter, ...], callback: Callable[..., None]) -> None:
    command: Callable[..., Any] = callback
    for decorate in (*(option(p) for p in reversed(parameters)), *reversed(_AUDIT_OPTIONS)):
        command = decorate(command)
    audit.command(name, help=help_text)(command)


def _declared(declared: Audit) -> None:
    """``familynet audit NAME`` for one declared audit."""

    def run(**options: Any) -> None:
        def report(store: Store, start: dt.date, end: dt.date, batch_size: int, by_identity: bool) -> Report:
            batches = store.cohort(
                start, end, batch_size=batch_size, mentions=declared.mentions, identities=by_identity
            )
            with progress_bar(f"audit {declared.name}, subjects", None) as advance:
                chosen = with_home_agency(options, store)
                return audit_report(declared, declared.run(counted(batches, advance), start, end, **chosen))

        _publish(declared.name, options, report)

    _command(declared.name, f"{declared.description}\n\n{declared.help}", declared.parameters, run)


for _audit in AUDITS:
    _declared(_audit)


def _all(**options: Any) -> None:
    workers, db, fmt = options.pop("workers"), options["db"], options["fmt"]

    def report(store: Store, start: dt.date, end: dt.date, batch_size: int, by_identity: bool) -> Report:
        # Each worker process opens the store itself, the one this command opened.
        opener = functools.partial(configured_store, store_settings(db), must_exist=True)
        with progress_bar("audit all, subjects", None) as advance:
            found = all_audits_in_workers(
                opener, start, end, workers=workers, batch_size=batch_size, identities=by_identity,
                progress=advance, **with_home_agency(options, store),
            )  # fmt: skip
        return all_report(found, data=fmt == "json")  # only JSON shows the serialised results

    # The report of every audit is a million small objects made at once, by the one process that
    # cannot share the work: the collections they trigger free nothing (a quarter of the time
    # of making and rendering the report at 20,000 households; familynet.collector).
    with collector_paused():
        _publish("all", options, report)


_command(
    "all",
    "Every audit over the period in one report: all key messages first, then each audit's section.\n\n"
    f"The audits: {', '.join(a.name for a in ALL)}. The cohort is read once for all of them, shared out among "
    "--workers processes; each option is the parameter of every audit that takes it.",
    ALL_PARAMETERS,
    click.option(
        "--workers",
        type=click.IntRange(1, 64),
        # Two: on a quiet 2-core machine they take about two thirds of one's time (README, Benchmarks).
        default=2,
        envvar="FAMILYNET_AUDIT_WORKERS",
        show_default=True,
        help="Processes that share out the cohort, each reading and auditing its own batches "
        "[env: FAMILYNET_AUDIT_WORKERS].",
    )(_all),
)
