"""What every ``familynet`` command shares: the store option, formats, progress and tables."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
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
from familynet.stores.backends import open_configured_store
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


@contextmanager
def open_store(db: Path | None, *, must_exist: bool = False) -> Iterator[Store]:
    """The store named by the settings, closed when the command ends; ``must_exist`` for
    commands that only read, so that a mistyped path is an error rather than a new, empty store."""
    store = open_configured_store(store_settings(db), must_exist=must_exist)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error, advanced by the callback it yields."""
    # A progress bar only for people: in a pipe or CI it would be noise.
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


class FamilynetGroup(click.Group):
    """A command group that shows familynet errors as clean command-line errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FamilynetError as error:
            # Messages are free of personal data by construction, so they can be shown.
            raise click.ClickException(str(error)) from None


def print_problems(problems: list[Any]) -> None:
    """Print up to MAX_PRINTED_PROBLEMS problems on standard error and count the rest."""
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(str(problem), err=True)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        click.echo(f"... and {len(problems) - MAX_PRINTED_PROBLEMS} more", err=True)


def print_table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Print rows under a header as aligned text."""
    click.echo(text_table(header, rows))


def partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> PartialDate | None:
    """Click callback: parse YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except DateFormatError as error:
        raise click.BadParameter(str(error)) from None


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: parse a full date, YYYY-MM-DD."""
    if value is None:
        return None
    # Not dt.date.fromisoformat: since Python 3.11 it also takes 20240101 and week dates (2024-W01-1).
    try:
        return parse_date(value)
    except DateFormatError:
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD") from None


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
