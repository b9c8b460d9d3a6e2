"""The ``genogram`` command: draw a child's family on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

from familynet.analyses.allegations import FLAG_MONTHS
from familynet.cli.audit import adult_age_option, identities_option, infant_age_option, person_network
from familynet.cli.common import (
    checked_purpose,
    db_option,
    emit,
    emit_bytes,
    iso_date,
    open_store,
    record_read,
    require_file_or_pipe,
    require_person,
    writable_file,
)
from familynet.genogram import OverlayOptions, genogram
from familynet.genogram.document import Format, network_hops, write
from familynet.genogram.selection import (
    GENERATIONS_DOWN,
    GENERATIONS_UP,
    MAX_GENERATIONS_DOWN,
    MAX_GENERATIONS_UP,
)


def _overlay(name: str, what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    flag = name.replace("_", "-")
    return click.option(f"--{flag}/--no-{flag}", name, default=True, show_default=True, help=f"Overlay {what}.")


@click.command("genogram")
@click.argument("person_id")
@click.option("--on", metavar="DATE", callback=iso_date, help="The date, YYYY-MM-DD [default: today].")
@click.option(
    "--generations-up",
    type=click.IntRange(0, MAX_GENERATIONS_UP),
    default=GENERATIONS_UP,
    show_default=True,
    help="Generations above the child.",
)
@click.option(
    "--generations-down",
    type=click.IntRange(0, MAX_GENERATIONS_DOWN),
    default=GENERATIONS_DOWN,
    show_default=True,
    help="Generations below the child.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default=Format.SVG.value,
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    default=None,
    help="Write to this file, readable by you only [default: standard output; PDF and PNG need a file or a pipe].",
)
@click.option(
    "--redact", is_flag=True, help="Leave out addresses, every date but its year, and everyone marked confidential."
)
@_overlay("perpetrators", "people named as alleged perpetrators in contacts and referrals")
@_overlay("domestic_abuse", "domestic abuse concerns (category 3) raised about both partners of a couple")
@_overlay("agencies", "the agencies involved with the child")
@_overlay("findings", "the findings about the record (father not recorded, unassessed sibling, ...)")
@click.option(
    "--flag-months",
    type=click.IntRange(0),
    default=FLAG_MONTHS,
    show_default=True,
    help="Calendar months back from the date whose contacts and referrals raise findings.",
)
@adult_age_option
@infant_age_option
@click.option(
    "--purpose",
    required=True,
    callback=checked_purpose,
    help="Why you are reading this child's record; kept in the access log.",
)
@identities_option
@db_option
def genogram_command(
    person_id: str,
    on: dt.date | None,
    generations_up: int,
    generations_down: int,
    fmt: str,
    output: Path | None,
    redact: bool,
    perpetrators: bool,
    domestic_abuse: bool,
    agencies: bool,
    findings: bool,
    flag_months: int,
    adult_age: int,
    infant_age: int,
    purpose: str,
    identities: str,
    db: Path | None,
) -> None:
    """Draw the genogram of the child PERSON_ID on a date.

    The child (double outline), parents and their current and former partners,
    grandparents, full, half and step siblings, the child's children, other members
    of the household (framed by a dotted line), unborn and deceased people, in the
    McGoldrick/Gerson symbols, with switchable safeguarding overlays. SVG and PDF
    print on A4 landscape marked OFFICIAL-SENSITIVE. docs/genogram.md describes
    every symbol, overlay and format. The read is appended to the access log, with
    its purpose and everyone drawn or named in a finding, before anything is written.
    Each person is one symbol however many agencies recorded them (docs/identity.md;
    --identities records for one per record).
    """
    document_format = Format(fmt)
    if document_format.binary:
        require_file_or_pipe(fmt, output)
    with open_store(db) as store:
        require_person(store, person_id)
        hops = network_hops(generations_up, generations_down)
        subject, graph = person_network(store, person_id, hops, identities)
        drawn = genogram(
            graph,
            subject,
            on,
            generations_up=generations_up,
            generations_down=generations_down,
            overlays=OverlayOptions(perpetrators, domestic_abuse, agencies, findings),
            redact=redact,
            flag_months=flag_months,
            adult_age=adult_age,
            infant_age=infant_age,
        )
        record_read(store, "genogram", {person_id, *drawn.person_ids()}, purpose)
    document = write(drawn, document_format)
    if isinstance(document, str):
        emit(document, output)
    else:
        emit_bytes(document, output)
