"""Commands that load and count data: ``ingest``, ``demo-data``, ``stats`` and ``demo``."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import click

from familynet.access.auth import Role, new_token, token_hash
from familynet.bundle.files import FILES as BUNDLE_FILES
from familynet.bundle.files import Row, file_path, read_rows
from familynet.bundle.ingest import IngestReport, count_rows, ingest_bundle
from familynet.cli.common import (
    db_option,
    format_option,
    open_store,
    print_problems,
    print_table,
    progress_bar,
    writable_file,
)
from familynet.cli.export import la_code_option, write_demo_formats, year_option
from familynet.cli.identity import print_counts, threshold_options
from familynet.cli.serve import check_can_listen, run_server
from familynet.errors import BundleError
from familynet.identity.resolution import STAGES, Thresholds, resolve
from familynet.settings import ServiceSettings, Settings


@click.command()
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Load the valid rows and write each rejected row, with its reasons, to --rejects.",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default="rejects.csv",
    show_default=True,
    callback=writable_file,
    help="Where --skip-invalid writes rejected rows (readable by you only).",
)
@click.option("--no-link", is_flag=True, help="Load only: leave identity linking to `familynet identity resolve`.")
@threshold_options
def ingest(
    bundle: Path,
    db: Path | None,
    skip_invalid: bool,
    rejects: Path,
    no_link: bool,
    link_threshold: float,
    review_threshold: float,
    generation_years: int,
) -> None:
    """Validate the CSV bundle in BUNDLE and load it, all or nothing, then link its persons
    to the identities already stored.

    By default a bundle with any error loads nothing. Loading the same bundle
    twice changes nothing; a later bundle updates facts and records its load
    as their provenance. Prints the rows loaded and rejected per file, then the
    identities: auto-links made and reviews queued (docs/identity.md).
    """
    with open_store(db, must_exist=False) as store:
        with progress_bar("ingest", count_rows(bundle)) as advance:
            try:
                report = ingest_bundle(store, bundle, skip_invalid=skip_invalid, rejects_path=rejects, progress=advance)
            except BundleError as error:
                print_problems(list(error.problems))
                raise
        print_report(report)
        print_problems(report.warnings)
        if skip_invalid and report.errors:
            click.echo(f"rejected rows and reasons written to {rejects}", err=True)
        if not no_link and report.committed:
            thresholds = Thresholds(link_threshold, review_threshold, generation_years)
            with progress_bar("identity linking", STAGES) as advance:
                counts = resolve(store, thresholds, fresh=bundle_person_ids(bundle), progress=advance)
            print_counts(counts)


def bundle_person_ids(bundle: Path) -> set[str]:
    """The persons a bundle records or records facts about: those whose identity features it may change."""
    found: set[str] = set()
    for spec in BUNDLE_FILES:
        columns = [c for c in ("person_id", "related_person_id", "child_id") if c in spec.columns]
        path = file_path(bundle, spec)
        if not columns or not path.is_file():
            continue
        for row in read_rows(path, spec):
            if isinstance(row, Row):
                found.update(row.cells[c] for c in columns if row.cells.get(c))
    return found


def print_report(report: IngestReport) -> None:
    click.echo(f"load {report.source}")
    header = ("file", "rows", "inserted", "updated", "unchanged", "rejected", "warnings")
    rows = [
        (
            name,
            f.rows,
            f.written.inserted,
            f.written.updated,
            f.written.unchanged,
            f.rejected,
            f.warnings,
        )
        for name, f in report.files.items()
    ]
    print_table(header, rows)


@click.command("demo-data")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--households", type=click.IntRange(1), default=1000, show_default=True, help="Households to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bundle.")
@click.option(
    "--formats", "formats_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Also write the bundle as an Annex A workbook, a CIN census file and an SSD directory here.",
)  # fmt: skip
@la_code_option
@year_option
def demo_data(out_dir: Path, households: int, seed: int, formats_dir: Path | None, la_code: str, year: str) -> None:
    """Write a synthetic local-authority bundle of HOUSEHOLDS households to OUT_DIR.

    The data is synthetic and deterministic for a seed: blended families,
    partners moving between households, adults recorded only by police,
    grandparents, deceased parents, partial dates of birth, unborn children,
    persons recorded by several agencies with several mistakes at once, twins
    and namesakes (identity_truth.csv maps each record to its true person;
    docs/synthetic.md), referrals and assessments at realistic rates. With --formats
    it is also written as an Annex A workbook, a CIN census file (--la-code, --year) and
    an SSD directory, for trying familynet import (as familynet demo-formats does).
    """
    from familynet.synthetic import write_demo_bundle

    out_dir.mkdir(parents=True, exist_ok=True)
    with progress_bar("households", households) as advance:
        counts = write_demo_bundle(out_dir, households, seed, progress=advance)
    print_table(("file", "rows"), sorted(counts.items()))
    if formats_dir is not None:
        click.echo()
        write_demo_formats(out_dir, formats_dir, la_code=la_code, year=year)


@click.command()
@db_option
@format_option
def stats(db: Path | None, fmt: str) -> None:
    """Count nodes by label and relationships by type."""
    with open_store(db) as store:
        result = store.stats()
    if fmt == "json":
        click.echo(json.dumps({"labels": result.labels, "relationships": result.relationships}, indent=2))
        return
    print_table(("label", "count"), sorted(result.labels.items()))
    click.echo()
    print_table(("relationship", "count"), sorted(result.relationships.items()))


#: Marks a directory made by ``familynet demo``, whose database a rerun may replace.
DEMO_MARKER = ".familynet-demo"


@click.command()
@click.option("--households", type=click.IntRange(1), default=500, show_default=True, help="Households to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bundle.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="demo",
    show_default=True,
    help="Where the demo bundle and database are written.",
)
@click.option("--port", type=click.IntRange(0, 65535), help="Port to serve on [default: $FAMILYNET_PORT, else 8000].")
@click.option("--no-serve", is_flag=True, help="Stop after loading and making tokens; do not start the API.")
def demo(households: int, seed: int, directory: Path, port: int | None, no_serve: bool) -> None:
    """Generate a synthetic bundle, load it into a fresh database, show what is there, then serve it.

    A rerun replaces the database of an earlier demo in the same --dir; a database
    there that the demo did not make is refused, never deleted.

    Makes two API users, demo-admin (admin) and demo-practitioner (practitioner),
    prints their tokens and an example request, and starts the GraphQL API as
    ``familynet serve`` would (settings from FAMILYNET_* variables) until interrupted.
    With --no-serve it prints the ``familynet serve`` command that starts it later.
    """
    from familynet.synthetic import write_demo_bundle

    bundle = directory / "bundle"
    db = directory / "familynet.db"
    marker = directory / DEMO_MARKER
    # familynet.db is also the default database name, so --dir . beside real data would wipe it.
    if db.exists() and not marker.exists():
        raise click.ClickException(f"{db} exists and was not made by familynet demo; choose another --dir")
    settings = ServiceSettings.from_environ()
    settings = dataclasses.replace(settings, store=Settings(db), port=settings.port if port is None else port)
    if not no_serve:
        # Before minutes of generating and loading, not after.
        check_can_listen(settings.host, settings.port)
    bundle.mkdir(parents=True, exist_ok=True)
    marker.touch()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with progress_bar("households", households) as advance:
        write_demo_bundle(bundle, households, seed, today=dt.date.today(), progress=advance)
    with open_store(db, must_exist=False) as store:
        with progress_bar("ingest", count_rows(bundle)) as advance:
            report = ingest_bundle(store, bundle, progress=advance)
        print_report(report)
        click.echo()
        result = store.stats()
        print_table(("label", "count"), sorted(result.labels.items()))
        now = dt.datetime.now(dt.UTC)
        tokens = {role: new_token() for role in (Role.ADMIN, Role.PRACTITIONER)}
        for role, token in tokens.items():
            store.add_user(f"demo-{role.value}", role, None, token_hash(token), now)
    click.echo(f"\ndatabase: {db}  (try: familynet stats --db {db})")
    with (bundle / "referrals.csv").open(newline="", encoding="utf-8") as rows:
        child_id = next(csv.DictReader(rows))["child_id"]
    base = f"http://{settings.host}:{settings.port}"
    click.echo(
        f"""
API tokens (shown once; only their hashes are stored):
  demo-admin         {tokens[Role.ADMIN]}
  demo-practitioner  {tokens[Role.PRACTITIONER]}"""
    )
    if no_serve:
        serve_command = f"familynet serve --db {db}" + ("" if port is None else f" --port {port}")
        click.echo(
            f"""Start the GraphQL API and the household viewer when you want them with:
  {serve_command}
then open {base}/ in a browser, sign in with the practitioner's token and search for
a child (the first referred child is {child_id})."""
        )
        return
    query = (
        f'{{ householdContext(childId: \\"{child_id}\\", purpose: \\"demo\\") {{ childId siblings {{ personId }} }} }}'
    )
    click.echo(
        f"""Ask for a child's household as the practitioner (every read is written to the access log):
  curl -s {base}/graphql -H 'Authorization: Bearer {tokens[Role.PRACTITIONER]}' \\
    -H 'Content-Type: application/json' -d '{{"query": "{query}"}}'
and read the access log as the admin: {{ accessLog {{ edges {{ node {{ user operation personIds }} }} }} }}
Or open the household viewer in a browser, {base}/, sign in with the
practitioner's token and search for a child (the first referred child is {child_id})."""
    )
    run_server(settings)
