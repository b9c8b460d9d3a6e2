"""What every ``familynet`` command shares: the store option, formats, progress and tables."""

from __future__ import annotations

import calendar
import datetime as dt
import getpass
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import click

from familynet.access.log import AccessRequest
from familynet.access.purpose import PurposeRequiredError, PurposeRule
from familynet.errors import ConfigurationError, FamilynetError
from familynet.model.dates import DateFormatError, PartialDate, parse_date
from familynet.reports.report import text_table
from familynet.reports.spreadsheet import open_private
from familynet.settings import Settings, purpose_min_letters
from familynet.stores.backends import configured_store
from familynet.stores.protocol import Store

#: Problems printed by ``ingest``; the rest are counted (and all go to the rejects file).
MAX_PRINTED_PROBLEMS = 50

_STORE_KEY = "familynet.stores.protocol"


def _remember_store(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_STORE_KEY] = value


_db = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database file [default: $FAMILYNET_DB, else familynet.db].",
)
# Kept out of the commands' parameters: open_store reads it from the click context.
_store = click.option(
    "--store",
    metavar="URI",
    default=None,
    expose_value=False,
    callback=_remember_store,
    help="The store: a neo4j:// or bolt:// URI (credentials from FAMILYNET_NEO4J_USER and "
    "FAMILYNET_NEO4J_PASSWORD), or a SQLite file, instead of --db [default: $FAMILYNET_STORE].",
)


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--db`` and ``--store`` options of a command that opens the store."""
    return _db(_store(command))


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


def store_settings(db: Path | None) -> Settings:
    """Which store a command uses: its ``--store``, else ``--db``, else the environment."""
    context = click.get_current_context(silent=True)
    return Settings.resolve(db, store=None if context is None else context.meta.get(_STORE_KEY))


def open_store(db: Path | None, *, must_exist: bool = True) -> AbstractContextManager[Store]:
    """The store named by the settings, closed when the command ends.

    Only the commands that load data (``ingest``, ``demo``, ``migrate``) pass
    ``must_exist=False``: for every other a mistyped path is an error ("there is no
    database at ..."), never a new, empty store.
    """
    return configured_store(store_settings(db), must_exist=must_exist)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """Progress on standard error, advanced by the callback it yields: a bar when ``total``
    is known, else a running count. Commands and subsystems (ingest, copy, audits, identity
    resolution) take that callback as their ``progress`` argument.

    Only for people: when standard error is not a terminal (a pipe, a log, CI) it shows
    nothing at all. On a terminal it always ends its line, even when the work fails.
    """
    stream = sys.stderr
    if not stream.isatty():
        yield lambda done: None
        return
    if total is not None:
        with click.progressbar(length=total, label=label, file=stream, show_pos=True) as bar:
            yield bar.update
        return
    count = 0

    def advance(done: int) -> None:
        nonlocal count
        count += done
        stream.write(f"\r{label}: {count:,}")
        stream.flush()

    try:
        yield advance
    finally:
        stream.write("\n")
        stream.flush()


class FamilynetGroup(click.Group):
    """A command group that shows familynet errors, and a file or port that cannot be used,
    as one line and a non-zero exit rather than a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FamilynetError as error:
            # Messages are free of personal data by construction, so they can be shown.
            raise click.ClickException(str(error)) from None
        except OSError as error:
            # A file the user named that cannot be read or written: its path and the reason.
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None


def writable_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback for an output file: its directory must exist and be writable, checked
    before the command runs (an audit may take minutes before it writes)."""
    if value is None:
        return None
    directory = value.parent
    if not directory.is_dir():
        raise click.BadParameter(f"there is no directory {directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise click.BadParameter(f"the directory {directory} is not writable by you")
    return value


def print_problems(problems: list[Any]) -> None:
    """Print up to MAX_PRINTED_PROBLEMS problems on standard error and count the rest."""
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(str(problem), err=True)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        click.echo(f"... and {len(problems) - MAX_PRINTED_PROBLEMS} more", err=True)


def print_table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Print rows under a header as aligned text, wrapped to the terminal's width (or to
    ``COLUMNS`` when it is set); a pipe gets each row on one line."""
    wrap = sys.stdout.isatty() or "COLUMNS" in os.environ
    click.echo(text_table(header, rows, shutil.get_terminal_size().columns if wrap else None))


def partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> PartialDate | None:
    """Click callback: parse YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except DateFormatError as error:
        raise click.BadParameter(str(error)) from None


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: parse a full date, YYYY-MM-DD; a day the calendar lacks is named as such."""
    if value is None:
        return None
    # Not dt.date.fromisoformat: since Python 3.11 it also takes 20240101 and week dates (2024-W01-1).
    try:
        return parse_date(value)
    except DateFormatError as error:
        raise click.BadParameter(_date_problem(value, str(error))) from None


def _date_problem(value: str, reason: str) -> str:
    """What is wrong with ``value``, a date that did not parse for ``reason``.

    >>> _date_problem("2024-02-30", "day out of range for the month")
    '2024-02-30 does not exist: February 2024 has 29 days'
    >>> _date_problem("1/2/2024", "not an ISO 8601 date")
    "'1/2/2024' is not a date of the form YYYY-MM-DD"
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        return f"{value!r} is not a date of the form YYYY-MM-DD"
    year, month, _ = (int(part) for part in match.groups())
    if 1 <= month <= 12 and reason.startswith("day out of range"):
        days = calendar.monthrange(year, month)[1]
        return f"{value} does not exist: {calendar.month_name[month]} {year} has {days} days"
    return f"{value} is not a date: {reason}"


def require_person(store: Store, person_id: str) -> None:
    """Refuse a person id the store does not hold; ids match exactly as given, but one
    that differs only in case from a held id is named ("did you mean P0001747?")."""
    if store.person(person_id) is not None:
        return
    # A typed id is most often all in the wrong case: try it all upper and all lower.
    near = [c for c in dict.fromkeys((person_id.upper(), person_id.lower())) if c != person_id]
    held = next((c for c in near if store.person(c) is not None), None)
    hint = "" if held is None else f"; did you mean {held}?"
    raise click.ClickException(f"there is no person with id {person_id!r}{hint}")


def person_names(store: Store, ids: Collection[str]) -> dict[str, tuple[str | None, str | None]]:
    """Given and family names of the persons ``ids``, for ``--with-names``."""
    found = {}
    for person_id in sorted(ids):
        person = store.person(person_id)
        if person is not None:
            found[person_id] = (person.given_name, person.family_name)
    return found


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to standard output, or to a new file readable by its owner only."""
    if output is None:
        click.echo(text, nl=False)
        return
    with open_private(output) as handle:
        handle.write(text)
    click.echo(f"written to {output}", err=True)


def emit_bytes(data: bytes, output: Path | None) -> None:
    """Write a binary document (PDF, PNG, xlsx) to standard output, or to a new file readable by its owner only."""
    if output is None:
        sys.stdout.buffer.write(data)
        return
    with open_private(output) as handle:
        handle.buffer.write(data)
    click.echo(f"written to {output}", err=True)


def require_file_or_pipe(fmt: str, output: Path | None) -> None:
    """Refuse, before any work, to write a binary format to a terminal."""
    if output is None and sys.stdout.isatty():
        raise click.UsageError(f"{fmt.upper()} is binary: give --output FILE or pipe it")


def checked_purpose(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A ``--purpose`` as the service takes one (familynet.access.purpose): at least
    ``FAMILYNET_PURPOSE_MIN_LETTERS`` letters, at most 500 characters."""
    try:
        return PurposeRule(min_letters=purpose_min_letters()).check(value)
    except (PurposeRequiredError, ConfigurationError) as error:
        raise click.BadParameter(f"say why you are reading these records: {error}") from None


purpose_option = click.option(
    "--purpose",
    required=True,
    callback=checked_purpose,
    help="Why you are reading these records; kept in the access log with your user name.",
)


def record_read(store: Store, operation: str, person_ids: Collection[str], purpose: str | None) -> None:
    """Append a read of persons' data by the person at this terminal to the access log, before it is shown.

    The command line opens the database file itself, so it has no API role: its
    entries carry the operating-system user and the role ``command_line``.
    """
    request = AccessRequest(
        at=dt.datetime.now(dt.UTC),
        user=getpass.getuser(),
        role="command_line",
        agency_id=None,
        purpose=purpose,
        operation=operation,
        person_ids=tuple(sorted(person_ids)),
        allowed=True,
        correlation_id=uuid.uuid4().hex,
    )
    store.append_access([request])
