"""What every ``familynet`` command shares: the store option, formats, progress and tables."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from familynet.dates import DateFormatError, PartialDate
from familynet.errors import FamilynetError, StoreError
from familynet.report import text_table
from familynet.settings import Settings
from familynet.sqlite_store import open_sqlite
from familynet.store import Store

#: Problems printed by ``ingest``; the rest are counted (and all go to the rejects file).
MAX_PRINTED_PROBLEMS = 50

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database file [default: $FAMILYNET_DB, else familynet.db].",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@contextmanager
def open_store(db: Path | None, *, must_exist: bool = False) -> Iterator[Store]:
    """The store named by the settings, closed when the command ends; ``must_exist`` for
    commands that only read, so that a mistyped path is an error rather than a new, empty store."""
    path = Settings.resolve(db).db
    if must_exist and not path.is_file():
        raise StoreError(f"there is no database at {path}")
    store = open_sqlite(path)
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
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD") from None
