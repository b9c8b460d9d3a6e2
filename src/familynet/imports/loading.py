"""Loading staged rows through the bundle's checks, and naming each problem by its origin.

The rows load as one load (:func:`familynet.bundle.ingest.ingest_batches`): all or nothing,
or with ``skip_invalid`` the valid rows only; idempotent, as a bundle is. Before that, the
agency that recorded the source is created if the store lacks it, and each staged person
keeps the stored values of the fields the source cannot say (an Annex A row has no name: it
must not erase the name an earlier load recorded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from familynet.bundle.files import BATCH_SIZE, FILES, Batch
from familynet.bundle.ingest import IngestReport, ProblemsFound, ingest_batches
from familynet.errors import BundleError, Problem
from familynet.imports.facts import bundle_cells
from familynet.imports.staging import ListCounts, Source, Staging
from familynet.model.records import Assessment, Record
from familynet.reports.spreadsheet import open_private, write_rows
from familynet.stores.protocol import Store

_SPECS = {spec.name: spec for spec in FILES}


@dataclass
class ImportReport(ProblemsFound):
    """The outcome of one import: counts per source list and per bundle file, and every problem
    in the source's terms."""

    source: str
    committed: bool = False
    lists: dict[str, ListCounts] = field(default_factory=dict)
    bundle: IngestReport | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Agent:
    """Who an import records facts as: the local authority's code (prefixed to every id) and
    its social-care agency."""

    la_code: str
    agency_id: str


def load_staged(
    store: Store,
    staging: Staging,
    source: str,
    agent: Agent,
    *,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Load what an importer staged as one load named ``source``.

    Raises :class:`~familynet.errors.BundleError` (nothing loaded) when any row has an error
    and ``skip_invalid`` is false; its problems name sheets or elements, rows or lines and
    source columns. With ``skip_invalid`` the valid rows load and each refused source row is
    written, with its columns and reasons but none of its values, to ``rejects_path``.
    """
    _add_agency(store, staging, agent)
    _keep_stored(store, staging)
    report = ImportReport(source, lists=staging.counts)
    try:
        report.bundle = ingest_batches(
            store, source, _batches(staging), skip_invalid=skip_invalid, today=today, problems=staging.problems
        )
    except BundleError as error:
        raise BundleError(str(error), tuple(_translated(staging, list(error.problems)))) from None
    report.problems = _translated(staging, report.bundle.problems)
    report.committed = True
    _count_rejected(report)
    if skip_invalid and rejects_path is not None:
        _write_rejects(rejects_path, report.errors)
    return report


def _add_agency(store: Store, staging: Staging, agent: Agent) -> None:
    stored = store.agencies([agent.agency_id]).get(agent.agency_id)
    if stored is not None:
        # The import's households are "the record" only when social care recorded them: another
        # agency's id here would file the authority's record as that agency's view.
        if stored.kind != "social_care":
            raise BundleError(f"--recorded-by names an agency of kind {stored.kind}, not social_care")
        return
    origin = Source("--recorded-by", {})
    name = f"Children's social care, local authority {agent.la_code}"
    staging.add("agencies", {"agency_id": agent.agency_id, "name": name, "kind": "social_care"}, origin, 0)


def _keep_stored(store: Store, staging: Staging) -> None:
    """Fill in each staged person's, referral's and assessment's fields that the source does not
    supply (no cell: an Annex A row has no name, no factors) from the stored fact, so that a
    later import of a poorer source never erases what a richer one recorded. Optional columns
    are left alone: the bundle's "not supplied" already keeps them."""
    for file, lookup in (("persons", store.persons), ("referrals", store.referrals), ("assessments", None)):
        rows = staging.rows.get(file, [])
        if not rows:
            continue
        id_column = _SPECS[file].columns[0]
        ids = [row[id_column] for row in rows]
        stored: Mapping[str, Record] = lookup(ids) if lookup is not None else _stored_assessments(store, set(ids))
        optional = set(_SPECS[file].optional)
        for row in rows:
            fact = stored.get(row[id_column])
            if fact is not None:
                for column, value in bundle_cells(fact).items():
                    if column not in optional:
                        row.setdefault(column, value)


def _stored_assessments(store: Store, ids: set[str]) -> dict[str, Record]:
    # The store looks assessments up by id only through its facts: one pass, kept only when asked.
    facts = (a for batch in store.facts("assessments") for a in batch if isinstance(a, Assessment))
    return {a.assessment_id: a for a in facts if a.assessment_id in ids}


def _batches(staging: Staging) -> dict[str, Iterator[Batch]]:
    return {file: _chunks(file, rows) for file, rows in staging.rows.items()}


def _chunks(file: str, rows: list[dict[str, str]]) -> Iterator[Batch]:
    spec = _SPECS[file]
    # An optional column no row gives is not supplied (a later load that supplies it fills it in).
    given = {column for row in rows for column in row}
    columns = tuple(c for c in spec.columns if c not in spec.optional or c in given)
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        cells = [[row.get(column, "") for column in columns] for row in chunk]
        lines = list(range(start + 2, start + 2 + len(chunk)))
        yield Batch(f"{file}.csv", columns, lines, cells, [])


def _translated(staging: Staging, problems: list[Problem]) -> list[Problem]:
    """Each bundle problem named by the source row and column its row was mapped from."""
    translated = []
    for p in problems:
        if p.file.removesuffix(".csv") in staging.origins:
            source, row = staging.origin(p.file, p.line)
            column = source.columns.get(p.column, p.column)
            translated.append(Problem(source.name, row, column, p.reason, p.severity))
        else:
            translated.append(p)
    return translated


def _count_rejected(report: ImportReport) -> None:
    rows: dict[str, set[int]] = {}
    for p in report.errors:
        rows.setdefault(p.file, set()).add(p.line)
    for name, refused in rows.items():
        report.lists.setdefault(name, ListCounts()).rejected = len(refused)


def _write_rejects(path: Path, errors: list[Problem]) -> None:
    with open_private(path) as handle:
        write_rows(
            handle, ("source", "row", "column", "reason"), ((p.file, p.line, p.column, p.reason) for p in errors)
        )


def source_name(kind: str, path: Path) -> str:
    """Name a load after the format, the file or directory imported and a digest of its content
    (a directory's ``.csv`` files, by name)."""
    digest = hashlib.sha256(kind.encode())
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return f"{kind}:{path.name}@sha256:{digest.hexdigest()[:16]}"
