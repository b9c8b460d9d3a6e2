"""The ``access-log`` commands: check and read the log of who read whose data."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import click

from familynet.access.log import AccessEntry, timestamp, verify_chain
from familynet.cli.common import db_option, format_option, open_store, print_table, record_read
from familynet.stores.protocol import Store

#: Entries read from the store at a time, so a long log is checked in flat memory.
PAGE = 10_000


def _all_entries(store: Store) -> Iterator[AccessEntry]:
    after = 0
    while page := store.access_entries(after=after, limit=PAGE):
        yield from page
        after = page[-1].sequence


@click.group("access-log")
def access_log() -> None:
    """Check and read the access log: every read of a person's data, who made it and why."""


@access_log.command("verify")
@db_option
def verify(db: Path | None) -> None:
    """Check that the access log is unbroken: no entry changed, removed or reordered.

    Exits with status 1 and names the first entry that does not fit when it is broken.
    """
    with open_store(db) as store:
        check = verify_chain(_all_entries(store))
    if not check.ok:
        raise click.ClickException(f"the access log is broken at entry {check.first_broken}")
    click.echo(f"ok: {check.entries} entries, unbroken")


@access_log.command("show")
@click.option("--user", help="Only this user's entries.")
@click.option("--person", "person_id", help="Only entries that name this person id.")
@click.option(
    "--last",
    type=click.IntRange(1),
    help="The newest this many entries, newest first (instead of --after and --limit).",
)
@click.option("--after", type=click.IntRange(0), default=0, show_default=True, help="Only entries after this one.")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True, help="At most this many entries.")
@db_option
@format_option
def show(
    user: str | None, person_id: str | None, last: int | None, after: int, limit: int, db: Path | None, fmt: str
) -> None:
    """Print access log entries: when, who, role, agency, purpose, operation, persons, allowed.

    In order from --after, or the newest --last entries, newest first. The table
    wraps to the terminal. Reading the log is itself logged, with the person asked
    about, as the API logs it.
    """
    with open_store(db) as store:
        if last is None:
            entries = store.access_entries(after=after, limit=limit, user=user, person_id=person_id)
        else:
            entries = _newest(store, last, user, person_id)
        # Who looked into whose reads is worth knowing; the API's accessLog logs it the same way.
        record_read(store, "access-log show", [] if person_id is None else [person_id], None)
    header = ("sequence", "at", "user", "role", "agency_id", "purpose", "operation", "person_ids", "allowed")
    rows = [
        (
            e.sequence,
            timestamp(e.request.at),
            e.request.user,
            e.request.role,
            e.request.agency_id,
            e.request.purpose,
            e.request.operation,
            ";".join(e.request.person_ids),
            e.request.allowed,
        )
        for e in entries
    ]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return
    print_table(header, rows)


def _newest(store: Store, count: int, user: str | None, person_id: str | None) -> list[AccessEntry]:
    """The newest ``count`` entries (of ``user``, naming ``person_id``), newest first."""
    # The store reads the log forwards only; a page at a time keeps memory flat.
    kept: deque[AccessEntry] = deque(maxlen=count)
    after = 0
    while page := store.access_entries(after=after, limit=PAGE, user=user, person_id=person_id):
        kept.extend(page)
        after = page[-1].sequence
    return list(reversed(kept))
