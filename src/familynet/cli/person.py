"""The ``person`` commands: look up persons by name and date of birth."""

from __future__ import annotations

import json
from pathlib import Path

import click

from familynet.cli.common import (
    db_option,
    format_option,
    open_store,
    partial_date,
    print_table,
    purpose_option,
    record_read,
)
from familynet.model.dates import PartialDate
from familynet.stores.name_search import why_matched


@click.group()
def person() -> None:
    """Look up persons."""


@person.command("search")
@click.argument("name")
@click.option("--dob", callback=partial_date, help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True, help="At most this many matches.")
@purpose_option
@db_option
@format_option
def person_search(name: str, dob: PartialDate | None, limit: int, purpose: str, db: Path | None, fmt: str) -> None:
    """Find persons by NAME (accents and case ignored), best match first: the exact
    name first, then by the words that match, each with why it matched.

    The persons found are appended to the access log, with the purpose, before
    they are shown.
    """
    with open_store(db) as store:
        matches = store.search_persons(name, dob, limit)
        record_read(store, "person search", [m.person.person_id for m in matches], purpose)
    rows = [
        (
            m.person.person_id,
            m.person.given_name,
            m.person.family_name,
            str(m.person.date_of_birth) if m.person.date_of_birth else None,
            m.person.sex,
            f"{m.score:.2f}",
            why_matched(name, m.person.given_name, m.person.family_name),
        )
        for m in matches
    ]
    header = ("person_id", "given_name", "family_name", "date_of_birth", "sex", "score", "matched")
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No one found.")
        return
    print_table(header, rows)
