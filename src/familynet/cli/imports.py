"""``familynet import``: Annex A, the CIN census and the Standard Safeguarding Dataset."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from familynet.cli.common import db_option, open_store, print_problems, print_table, writable_file
from familynet.errors import BundleError
from familynet.imports.loading import Agent, ImportReport, load_staged, source_name
from familynet.imports.staging import Staged

_LA_CODE = re.compile(r"^[0-9]{3}$")


def _la_code(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not _LA_CODE.match(value):
        raise click.BadParameter("the 3-digit DfE code of the local authority, e.g. 881")
    return value


def _options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        (
            click.option(
                "--la-code", required=True, callback=_la_code,
                help="The local authority's 3-digit DfE code, prefixed to every id (pooled LAs never collide).",
            ),
            click.option(
                "--recorded-by", "recorded_by", required=True, metavar="AGENCY_ID",
                help="The agency (children's social care) that recorded the source; created when absent.",
            ),
            click.option(
                "--skip-invalid", is_flag=True,
                help="Load the valid rows and write each refused row's place and reasons to --rejects.",
            ),
            click.option(
                "--rejects", type=click.Path(dir_okay=False, path_type=Path), default="rejects.csv",
                show_default=True, callback=writable_file,
                help="Where --skip-invalid writes refused rows (readable by you only).",
            ),
            db_option,
        )
    ):  # fmt: skip
        command = option(command)
    return command


@click.group("import")
def import_group() -> None:
    """Import the files a local authority already has: Annex A, the CIN census, the SSD.

    Each is checked like a bundle and loaded all or nothing (or, with --skip-invalid, the
    valid rows); importing the same file twice changes nothing. Every problem names the
    sheet or element, row or line, and column, never a value. Prints, per list or table,
    the rows read, loaded, rejected and not mapped (docs/imports.md).
    """


def _run(kind: str, path: Path, stage: Callable[[Path, Agent], Staged], options: dict[str, Any]) -> None:
    agent = Agent(options["la_code"], options["recorded_by"])
    staging = stage(path, agent)
    with open_store(options["db"], must_exist=False) as store:
        try:
            report = load_staged(
                store, staging, source_name(kind, path), agent,
                skip_invalid=options["skip_invalid"], rejects_path=options["rejects"],
            )  # fmt: skip
        except BundleError as error:
            print_problems(list(error.problems))
            raise
    print_import(report)
    print_problems(report.warnings)
    if options["skip_invalid"] and report.errors:
        click.echo(f"refused rows and reasons written to {options['rejects']}", err=True)


def print_import(report: ImportReport) -> None:
    """Counts per source list, then per bundle file written."""
    click.echo(f"load {report.source}")
    rows = [(name, c.read, c.loaded, c.rejected, c.not_mapped) for name, c in report.lists.items()]
    print_table(("list", "read", "loaded", "rejected", "not mapped"), rows)
    if report.bundle is not None:
        click.echo()
        written = [
            (name, f.written.inserted, f.written.updated, f.written.unchanged)
            for name, f in report.bundle.files.items()
        ]
        print_table(("facts", "inserted", "updated", "unchanged"), written)


@import_group.command("annex-a")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--cin", "cin", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The CIN census of the same period: a referred, assessed, in-need or protected child it lacks is a warning.",
)  # fmt: skip
@_options
def annex_a(workbook: Path, cin: Path | None, **options: Any) -> None:
    """Import Ofsted's Annex A WORKBOOK (.xlsx): Lists 1, 2, 3, 4, 6 and 7.

    Contacts, early help assessments, referrals, assessments, and child in need and child
    protection plans, with each child's gender and date of birth.
    """
    from familynet.imports.annex_a import stage_annex_a
    from familynet.imports.cin_census import census_children

    def stage(path: Path, agent: Agent) -> Staged:
        children = census_children(cin, agent) if cin is not None else None
        return stage_annex_a(path, agent, cin_children=children)

    _run("annex-a", workbook, stage, options)


@import_group.command("cin-census")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_options
def cin_census(file: Path, **options: Any) -> None:
    """Import a DfE Children in Need census FILE (XML), checked against its year's schema.

    Children, their referrals, assessments (with factors), section 47 enquiries, and child
    protection and child in need plans. A file of a year familynet has no schema for is refused.
    """
    from familynet.imports.cin_census import stage_cin_census

    _run("cin-census", file, stage_cin_census, options)


@import_group.command("ssd")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_options
def ssd(directory: Path, **options: Any) -> None:
    """Import a Standard Safeguarding Dataset DIRECTORY of CSV exports (<table>.csv).

    Persons with NHS numbers, birth mothers, households from shared addresses over time,
    sibling groups, contacts, referrals, assessments with factors, section 47 enquiries and
    early help, child in need and child protection plans.
    """
    from familynet.imports.ssd import stage_ssd
    from familynet.imports.worker import Worker

    # The tables are read and mapped in a second process while this one checks and writes.
    _run("ssd", directory, lambda path, agent: Worker(stage_ssd(path, agent)), options)
