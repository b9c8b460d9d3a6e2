"""The ``access-log`` commands: check and read the log of who read whose data."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import click

from familynet.access.checkpoint import Checkpoint, CheckpointError, advance, append_line, problem, start
from familynet.access.log import AccessEntry, timestamp, verify_chain
from familynet.access.logkey import key_bytes
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


def _log_key() -> bytes:
    text = os.environ.get("FAMILYNET_ACCESS_LOG_KEY", "").strip()
    if not text:
        raise click.ClickException("set FAMILYNET_ACCESS_LOG_KEY: checkpoints are signed with it")
    return key_bytes(text)


@access_log.command("verify")
@click.option(
    "--against",
    "against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of checkpoints (access-log checkpoint): the log must still hold each one's head "
    "(needs FAMILYNET_ACCESS_LOG_KEY).",
)
@db_option
def verify(against: Path | None, db: Path | None) -> None:
    """Check that the access log is unbroken: no entry changed, removed or reordered.

    With --against, also that no entry was deleted at the end, or rewritten with every later
    hash recomputed, before the head of any checkpoint in the file. Exits with status 1 and
    says what is wrong.
    """
    key = None if against is None else _log_key()
    checkpoints = [] if against is None or key is None else _checkpoints(against, key)
    with open_store(db) as store:
        check = verify_chain(_all_entries(store))
        if not check.ok:
            raise click.ClickException(f"the access log is broken at entry {check.first_broken}")
        for checkpoint in checkpoints:
            wrong = problem(_all_entries(store), checkpoint)
            if wrong is not None:
                raise click.ClickException(wrong)
    against_text = f", and holds the heads of {len(checkpoints)} checkpoint(s)" if checkpoints else ""
    click.echo(f"ok: {check.entries} entries, unbroken{against_text}")


def _checkpoints(path: Path, key: bytes) -> list[Checkpoint]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise click.ClickException(f"{path} holds no checkpoint")
    try:
        return [Checkpoint.read(line, key) for line in lines]
    except CheckpointError as error:
        raise click.ClickException(f"{path}: {error}") from None


@access_log.command("checkpoint")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the checkpoint to this file (readable by its owner only when new) [default: print it].",
)
@db_option
def checkpoint(output: Path | None, db: Path | None) -> None:
    """Print the log's head (entries and the last hash), signed with FAMILYNET_ACCESS_LOG_KEY.

    Keep checkpoints away from the database (another host, syslog, write-once storage):
    ``access-log verify --against FILE`` then finds entries deleted at the end or rewritten
    before a checkpoint's head, even with every later hash recomputed.
    """
    key = _log_key()
    with open_store(db) as store:
        try:
            head = advance(start(dt.datetime.now(dt.UTC)), _all_entries(store), dt.datetime.now(dt.UTC))
        except CheckpointError as error:
            raise click.ClickException(str(error)) from None
    line = head.signed(key)
    if output is None:
        click.echo(line)
        return
    append_line(output, line)
    click.echo(f"checkpoint of {head.entries} entries appended to {output}", err=True)


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
