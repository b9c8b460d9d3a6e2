"""The ``genogram`` command: draw a child's family on a date."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from familynet.cli.audit import adult_age_option, infant_age_option
from familynet.cli.common import db_option, emit, iso_date, open_store, record_read
from familynet.genogram import Genogram, OverlayOptions, genogram
from familynet.genogram.dot import dot
from familynet.genogram.gedcom import gedcom
from familynet.genogram.jsonmodel import json_model
from familynet.genogram.printout import pdf, png
from familynet.genogram.svg import svg
from familynet.spreadsheet import open_private

FORMATS = ("svg", "pdf", "png", "dot", "gedcom", "json")
#: Hops of the family network beyond the generations asked: the partners of the
#: parents of half-siblings, and members of the household, are a few steps out.
EXTRA_HOPS = 3


def _overlay(name: str, what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    flag = name.replace("_", "-")
    return click.option(f"--{flag}/--no-{flag}", name, default=True, show_default=True, help=f"Overlay {what}.")


@click.command("genogram")
@click.argument("person_id")
@click.option("--on", metavar="DATE", callback=iso_date, help="The date, YYYY-MM-DD [default: today].")
@click.option(
    "--generations-up", type=click.IntRange(0, 4), default=2, show_default=True, help="Generations above the child."
)
@click.option(
    "--generations-down", type=click.IntRange(0, 3), default=1, show_default=True, help="Generations below the child."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="svg", show_default=True, help="Output format.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file, readable by you only [default: standard output; PDF and PNG need a file or a pipe].",
)
@click.option("--redact", is_flag=True, help="Leave out addresses, and every date but its year.")
@_overlay("perpetrators", "people named as alleged perpetrators in contacts and referrals")
@_overlay("domestic_abuse", "domestic abuse concerns (category 3) raised about both partners of a couple")
@_overlay("agencies", "the agencies involved with the child")
@_overlay("findings", "the findings about the record (father not recorded, unassessed sibling, ...)")
@click.option(
    "--flag-months",
    type=click.IntRange(0),
    default=12,
    show_default=True,
    help="Calendar months back from the date whose contacts and referrals raise findings.",
)
@adult_age_option
@infant_age_option
@click.option("--purpose", required=True, help="Why you are reading this child's record; kept in the access log.")
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
    """
    if fmt in {"pdf", "png"} and output is None and sys.stdout.isatty():
        raise click.UsageError(f"{fmt.upper()} is binary: give --output FILE or pipe it")
    hops = max(generations_up, generations_down) + EXTRA_HOPS
    with open_store(db, must_exist=True) as store:
        graph = store.family_network(person_id, hops)
        drawn = genogram(
            graph,
            person_id,
            on,
            generations_up=generations_up,
            generations_down=generations_down,
            overlays=OverlayOptions(perpetrators, domestic_abuse, agencies, findings),
            redact=redact,
            flag_months=flag_months,
            adult_age=adult_age,
            infant_age=infant_age,
        )
        named = {p.person_id for p in drawn.people} | {f.person_id for f in drawn.overlays.findings if f.person_id}
        record_read(store, "genogram", named, purpose)
    if fmt in {"pdf", "png"}:
        data = pdf(drawn) if fmt == "pdf" else png(drawn)
        if output is None:
            sys.stdout.buffer.write(data)
            return
        with open_private(output) as handle:
            handle.buffer.write(data)
        click.echo(f"written to {output}", err=True)
        return
    writers: dict[str, Callable[[Genogram], str]] = {"svg": svg, "dot": dot, "gedcom": gedcom, "json": _json}
    emit(writers[fmt](drawn), output)


def _json(drawn: Genogram) -> str:
    return json.dumps(json_model(drawn), indent=2, ensure_ascii=False) + "\n"
