"""The ``familynet`` command line. Each command's docstring is its ``--help``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from familynet.dates import DateFormatError, PartialDate
from familynet.errors import BundleError, FamilynetError
from familynet.ingest import IngestReport, count_rows, ingest_bundle
from familynet.report import text_table
from familynet.settings import Settings
from familynet.sqlite_store import open_sqlite
from familynet.store import Store

#: Problems printed by ``ingest``; the rest are counted (and all go to the rejects file).
MAX_PRINTED_PROBLEMS = 50

_db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database file [default: $FAMILYNET_DB, else familynet.db].",
)
_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@contextmanager
def _store(db: Path | None) -> Iterator[Store]:
    store = open_sqlite(Settings.resolve(db).db)
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


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FamilynetError as error:
            # Messages are free of personal data by construction, so they can be shown.
            raise click.ClickException(str(error)) from None


@click.group(cls=_Group)
@click.version_option(package_name="familynet")
def main() -> None:
    """familynet: family and household networks for children's safeguarding.

    Holds children, parents, siblings, significant adults, households, agencies,
    referrals and assessments as a graph with provenance, and answers the
    questions a MASH practitioner or auditor asks of it.
    """


@main.command()
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_db_option
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
    help="Where --skip-invalid writes rejected rows (readable by you only).",
)
def ingest(bundle: Path, db: Path | None, skip_invalid: bool, rejects: Path) -> None:
    """Validate the CSV bundle in BUNDLE and load it, all or nothing.

    By default a bundle with any error loads nothing. Loading the same bundle
    twice changes nothing; a later bundle updates facts and records its load
    as their provenance. Prints the rows loaded and rejected per file.
    """
    with _store(db) as store, progress_bar("ingest", count_rows(bundle)) as advance:
        try:
            report = ingest_bundle(store, bundle, skip_invalid=skip_invalid, rejects_path=rejects, progress=advance)
        except BundleError as error:
            _print_problems(list(error.problems))
            raise
    _print_report(report)
    _print_problems(report.warnings)
    if skip_invalid and report.errors:
        click.echo(f"rejected rows and reasons written to {rejects}", err=True)


def _print_report(report: IngestReport) -> None:
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
    _print_table(header, rows)


def _print_problems(problems: list[Any]) -> None:
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(str(problem), err=True)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        click.echo(f"... and {len(problems) - MAX_PRINTED_PROBLEMS} more", err=True)


def _print_table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    click.echo(text_table(header, rows))


@main.command("demo-data")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--households", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bundle.")
def demo_data(out_dir: Path, households: int, seed: int) -> None:
    """Write a synthetic local-authority bundle of HOUSEHOLDS households to OUT_DIR.

    The data is synthetic and deterministic for a seed: blended families,
    partners moving between households, adults recorded only by police,
    grandparents, deceased parents, partial dates of birth, unborn children,
    persons recorded twice with name variants (identity_truth.csv maps each
    record to its true person), referrals and assessments at realistic rates.
    """
    from familynet.synthetic import write_demo_bundle

    out_dir.mkdir(parents=True, exist_ok=True)
    with progress_bar("households", households) as advance:
        counts = write_demo_bundle(out_dir, households, seed, progress=advance)
    _print_table(("file", "rows"), sorted(counts.items()))


@main.command()
@_db_option
@_format_option
def stats(db: Path | None, fmt: str) -> None:
    """Count nodes by label and relationships by type."""
    with _store(db) as store:
        result = store.stats()
    if fmt == "json":
        click.echo(json.dumps({"labels": result.labels, "relationships": result.relationships}, indent=2))
        return
    _print_table(("label", "count"), sorted(result.labels.items()))
    click.echo()
    _print_table(("relationship", "count"), sorted(result.relationships.items()))


@main.group()
def person() -> None:
    """Look up persons."""


def _partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except DateFormatError as error:
        raise click.BadParameter(str(error)) from None


@person.command("search")
@click.argument("name")
@click.option("--dob", callback=_partial_date, help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@_db_option
@_format_option
def person_search(name: str, dob: PartialDate | None, limit: int, db: Path | None, fmt: str) -> None:
    """Find persons by NAME (accents and case ignored), best match first."""
    with _store(db) as store:
        matches = store.search_persons(name, dob, limit)
    rows = [
        (
            m.person.person_id,
            m.person.given_name,
            m.person.family_name,
            str(m.person.date_of_birth) if m.person.date_of_birth else None,
            m.person.sex,
            f"{m.score:.2f}",
        )
        for m in matches
    ]
    header = ("person_id", "given_name", "family_name", "date_of_birth", "sex", "score")
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return
    _print_table(header, rows)


@main.command()
@click.option("--households", type=click.IntRange(1), default=500, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="demo",
    show_default=True,
    help="Where the demo bundle and database are written.",
)
def demo(households: int, seed: int, directory: Path) -> None:
    """Generate a synthetic bundle, load it into a fresh database and show what is there."""
    from familynet.synthetic import write_demo_bundle

    bundle = directory / "bundle"
    bundle.mkdir(parents=True, exist_ok=True)
    db = directory / "familynet.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with progress_bar("households", households) as advance:
        write_demo_bundle(bundle, households, seed, today=dt.date.today(), progress=advance)
    with _store(db) as store, progress_bar("ingest", count_rows(bundle)) as advance:
        report = ingest_bundle(store, bundle, progress=advance)
        _print_report(report)
        click.echo()
        result = store.stats()
        _print_table(("label", "count"), sorted(result.labels.items()))
    click.echo(f"\ndatabase: {db}  (try: familynet stats --db {db})")
