"""``familynet export``: minimised data out, through a named profile, logged with its purpose."""

from __future__ import annotations

from pathlib import Path

import click

from familynet.cli.common import db_option, open_store, print_table, purpose_option, record_read
from familynet.imports.export import FORMATS, export
from familynet.imports.profiles import profile
from familynet.imports.values import mapping
from familynet.settings import export_key


@click.command("export")
@click.argument("profile_name", metavar="PROFILE", type=click.Choice(sorted(mapping("export_profiles"))))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@purpose_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="bundle", show_default=True,
              help="A CSV bundle, an SSD directory, an Annex A workbook or a CIN census file.")  # fmt: skip
@click.option("--la-code", default="", help="The local authority's 3-digit code (the CIN census header).")
@click.option("--year", type=click.Choice(sorted(mapping("cin_census")["years"])),
              default=max(mapping("cin_census")["years"]), show_default=True,
              help="The CIN census collection year (the year the census period ends).")  # fmt: skip
@db_option
def export_command(
    profile_name: str, out_dir: Path, purpose: str, fmt: str, la_code: str, year: str, db: Path | None
) -> None:
    """Write the store's facts to OUT_DIR through PROFILE: full, partner or research.

    full keeps everything; partner keeps names, cuts dates of birth to the month and
    addresses to the postcode sector; research drops names, NHS numbers and free text,
    replaces ids with a keyed hash (FAMILYNET_EXPORT_KEY), cuts dates of birth to the first
    of the month and places to the postcode district, and leaves out confidential persons
    with every fact about them (docs/imports.md). The export, with its purpose and every
    person it lets out, is appended to the access log before a file is written.
    """
    if fmt == "cin-census" and not (len(la_code) == 3 and la_code.isdigit()):
        raise click.BadParameter("a CIN census needs --la-code, the 3-digit code of the local authority")
    chosen = profile(profile_name)
    key = export_key()
    with open_store(db) as store:
        counts = export(
            store, chosen, out_dir, key=key, fmt=fmt, la_code=la_code, year=year,
            log=lambda persons: record_read(store, f"export:{chosen.name}", persons, purpose),
        )  # fmt: skip
    print_table(("file", "rows"), sorted(counts.items()))


#: The options of the demo formats' CIN census header, shared by demo-formats and demo-data --formats.
la_code_option = click.option(
    "--la-code", default="999", show_default=True, help="The local authority code in the CIN census header."
)
year_option = click.option(
    "--year", type=click.Choice(sorted(mapping("cin_census")["years"])), default=max(mapping("cin_census")["years"]),
    show_default=True, help="The CIN census collection year.",
)  # fmt: skip


@click.command("demo-formats")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@la_code_option
@year_option
def demo_formats(bundle: Path, out_dir: Path, la_code: str, year: str) -> None:
    """Write a (synthetic) BUNDLE as an Annex A workbook, a CIN census file and an SSD directory.

    For trying the importers on made-up data: familynet demo-data, then this, then
    familynet import annex-a / cin-census / ssd on what it wrote (familynet demo-data
    --formats does both steps in one). Each format carries what it can of the bundle
    (docs/imports.md).
    """
    write_demo_formats(bundle, out_dir, la_code=la_code, year=year)


def write_demo_formats(bundle: Path, out_dir: Path, *, la_code: str, year: str) -> None:
    """Write ``bundle`` in the three formats the importers read, into ``out_dir``, and list what was written."""
    from familynet.imports.annex_a_writer import write_annex_a
    from familynet.imports.cin_writer import write_cin_census
    from familynet.imports.facts import bundle_facts
    from familynet.imports.ssd_writer import write_ssd

    out_dir.mkdir(parents=True, exist_ok=True)
    facts = bundle_facts(bundle)
    lists = write_annex_a(facts, out_dir / "annex_a.xlsx")
    children = write_cin_census(facts, out_dir / f"cin_census_{year}.xml", year=year, la_code=la_code)
    tables = write_ssd(facts, out_dir / "ssd")
    rows = [("annex_a.xlsx", name, n) for name, n in lists.items()]
    rows += [(f"cin_census_{year}.xml", "Child", children)]
    rows += [("ssd/", name, n) for name, n in sorted(tables.items())]
    print_table(("file", "list or table", "rows"), rows)
