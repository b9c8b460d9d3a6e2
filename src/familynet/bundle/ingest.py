"""Loading a bundle into a store: all or nothing, idempotent, nothing dropped silently.

Each row is checked on its own (:mod:`familynet.bundle.files`), then across rows and
against the store (:mod:`familynet.bundle.loader`): duplicate ids, references to persons,
agencies, households and referrals that exist in neither the bundle nor the store, and
implausible facts (reported as warnings and loaded). The whole bundle is one load, one
transaction: by default any error loads nothing; with ``skip_invalid`` the valid
rows load and each rejected row is written, with its reasons, to a rejects file.
Rows are streamed in batches (read, checked and written 10,000 at a time), so memory
grows with the number of ids, not rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from familynet.bundle.directory import check_directory
from familynet.bundle.files import FILES, Batch, FileSpec, file_path, parse_batch, read_batches
from familynet.bundle.loader import ALREADY_RECORDED, Loader
from familynet.bundle.report import FileReport, IngestReport, ProblemsFound
from familynet.collector import collector_paused
from familynet.errors import BundleError, Problem
from familynet.reports.spreadsheet import open_private
from familynet.stores.protocol import LoadWriter, Store

# The report is what every load returns: named here for the importers that load through ingest_batches.
__all__ = [
    "FileReport",
    "IngestReport",
    "ProblemsFound",
    "bundle_source",
    "count_rows",
    "ingest_batches",
    "ingest_bundle",
    "ingest_rows",
    "row_problems",
]


def bundle_source(bundle: Path) -> str:
    """Name a load after its bundle directory and a digest of its files' content."""
    digest = hashlib.sha256()
    for spec in FILES:
        path = file_path(bundle, spec)
        if path.is_file():
            digest.update(spec.name.encode())
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
    return f"{bundle.name}@sha256:{digest.hexdigest()[:16]}"


def count_rows(bundle: Path) -> int:
    """Roughly how many data rows a bundle holds (its lines less headers), for progress."""
    total = 0
    for spec in FILES:
        path = file_path(bundle, spec)
        if path.is_file():
            with path.open("rb") as handle:
                total += max(
                    sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1,
                    0,
                )
    return total


def ingest_bundle(
    store: Store,
    bundle: Path,
    *,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Validate a bundle and load it into ``store`` as one load.

    Raises :class:`~familynet.errors.BundleError` (after rolling back) when the
    bundle has errors and ``skip_invalid`` is false; its ``problems`` list them all.
    With ``skip_invalid``, rejected rows go to ``rejects_path`` (a CSV readable by
    its owner only) and the rest loads.
    """
    today = today or dt.date.today()
    if not bundle.is_dir():
        raise BundleError("the bundle is not a directory")
    check_directory(bundle)
    missing = [spec.name + ".csv" for spec in FILES if spec.required and not file_path(bundle, spec).is_file()]
    if missing:
        raise BundleError(f"the bundle lacks required file(s) {missing}")
    report = IngestReport(bundle_source(bundle))
    handle = open_private(rejects_path) if skip_invalid and rejects_path is not None else None
    try:
        rejects = None
        if handle is not None:
            rejects = csv.DictWriter(handle, ["file", "line", "columns", "reasons", "row"])
            rejects.writeheader()
        # A large load keeps millions of ids, keys and records alive, none in a reference
        # cycle: the collector would walk them all again and again (half of parsing's CPU).
        with collector_paused(), store.load(report.source) as writer:
            present = [spec.name for spec in FILES if file_path(bundle, spec).is_file()]
            loader = Loader(writer, report, skip_invalid=skip_invalid, today=today, rejects=rejects, files=present)
            for spec in FILES:
                path = file_path(bundle, spec)
                if path.is_file():
                    loader.load_file(spec, _counting(read_batches(path, spec), progress))
            if loader.failed:
                errors = report.errors
                raise BundleError(f"the bundle has {len(errors)} error(s); nothing was loaded", tuple(errors))
        report.committed = True
        return report
    finally:
        if handle is not None:
            handle.close()


def ingest_rows(
    store: Store,
    source: str,
    rows: Mapping[str, Sequence[Mapping[str, str]]],
    *,
    today: dt.date | None = None,
    new_only: Collection[str] = (),
) -> IngestReport:
    """Validate rows given as cells by column, per bundle file stem, and load them as one load.

    The rows go through exactly the checks of :func:`ingest_bundle` (each row, then
    across rows and against the store) and load all or nothing: any error raises
    :class:`~familynet.errors.BundleError` with every problem and loads nothing.
    Missing cells are empty; problems number each file's rows from line 2, as
    under a header. This is how facts recorded one at a time (GraphQL mutations)
    are validated like a bundle. The rows of the files in ``new_only`` (``referrals``,
    ``assessments``, ...) must record new facts: a row whose id the store already holds
    is refused, so that recording a fact can never rewrite one already on record.
    """
    today = today or dt.date.today()
    report = IngestReport(source)
    batches = {spec.name: [batch] for spec, batch in _row_batches(rows)}
    with store.load(source) as writer:
        _refuse_known(writer, rows, new_only)
        _load_batches(writer, report, batches, skip_invalid=False, today=today, what="the rows have")
    report.committed = True
    return report


def row_problems(rows: Mapping[str, Sequence[Mapping[str, str]]], *, today: dt.date | None = None) -> list[Problem]:
    """The problems of rows given as for :func:`ingest_rows` that each row has on its own,
    found without the store (nothing is loaded).

    >>> [p.column for p in row_problems({"persons": [{"person_id": "P1", "date_of_birth": "soon"}]})]
    ['date_of_birth']
    """
    today = today or dt.date.today()
    found: list[Problem] = []
    for spec, batch in _row_batches(rows):
        _, problems = parse_batch(spec, batch, today)
        found += [p for _, row in sorted(problems.items()) for p in row]
    return found


def _row_batches(rows: Mapping[str, Sequence[Mapping[str, str]]]) -> Iterator[tuple[FileSpec, Batch]]:
    """Rows given as cells by column as one batch per file, in bundle order, lines from 2."""
    for spec in FILES:
        if spec.name in rows:
            # An optional column no row gives is not supplied, as in a file without it.
            given_columns = {column for given in rows[spec.name] for column in given}
            columns = tuple(c for c in spec.columns if c not in spec.optional or c in given_columns)
            cells = [[given.get(column, "") for column in columns] for given in rows[spec.name]]
            lines = list(range(2, len(cells) + 2))
            yield spec, Batch(f"{spec.name}.csv", columns, lines, cells, [])


def ingest_batches(
    store: Store,
    source: str,
    batches: Mapping[str, Iterable[Batch]],
    *,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    problems: Sequence[Problem] = (),
    finish: Callable[[LoadWriter], None] | None = None,
) -> IngestReport:
    """Validate rows read from another format, as batches of cells per bundle file stem, and
    load them as one load.

    This is how importers (:mod:`familynet.imports`) load: their rows go through exactly
    the checks of :func:`ingest_bundle`, all or nothing, or with ``skip_invalid`` the valid
    rows only (no rejects file is written: the importer names rejected rows in its own
    terms). ``problems`` are errors the importer found before the rows became cells; they
    count as errors of this load, so without ``skip_invalid`` nothing loads and every
    problem, theirs and the bundle's, is raised together in a
    :class:`~familynet.errors.BundleError`. ``finish``, when given, is called with the load's
    writer once every row is written, to write what the importer keeps of the load in its
    transaction (the sources of its facts).
    """
    today = today or dt.date.today()
    report = IngestReport(source, problems=list(problems))
    with collector_paused(), store.load(source) as writer:
        _load_batches(writer, report, batches, skip_invalid=skip_invalid, today=today, what="the source has")
        if finish is not None:
            finish(writer)
    report.committed = True
    return report


def _load_batches(
    writer: LoadWriter,
    report: IngestReport,
    batches: Mapping[str, Iterable[Batch]],
    *,
    skip_invalid: bool,
    today: dt.date,
    what: str,
) -> None:
    loader = Loader(writer, report, skip_invalid=skip_invalid, today=today, rejects=None, files=list(batches))
    for spec in FILES:
        if spec.name in batches:
            loader.load_file(spec, iter(batches[spec.name]))
    if loader.failed:
        errors = report.errors
        raise BundleError(f"{what} {len(errors)} error(s); nothing was loaded", tuple(errors))


def _refuse_known(writer: LoadWriter, rows: Mapping[str, Sequence[Mapping[str, str]]], files: Collection[str]) -> None:
    problems = []
    for spec in FILES:
        if spec.name in files and spec.name in rows:
            id_column = spec.columns[0]
            ids = [cells.get(id_column, "") for cells in rows[spec.name]]
            known = writer.known_ids(spec.name, ids)
            problems += [
                Problem(f"{spec.name}.csv", line, id_column, ALREADY_RECORDED)
                for line, value in enumerate(ids, start=2)
                if value in known
            ]
    if problems:
        raise BundleError(f"the rows have {len(problems)} error(s); nothing was loaded", tuple(problems))


def _counting(batches: Iterator[Batch], progress: Callable[[int], None] | None) -> Iterator[Batch]:
    for batch in batches:
        yield batch
        if progress is not None:
            progress(len(batch.lines) + len(batch.problems))
