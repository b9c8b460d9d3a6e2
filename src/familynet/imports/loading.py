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
from itertools import chain
from pathlib import Path

from familynet.bundle.files import FILES, Batch
from familynet.bundle.ingest import IngestReport, ProblemsFound, ingest_batches
from familynet.errors import BundleError, Problem
from familynet.imports.facts import bundle_cells
from familynet.imports.matching import Matcher
from familynet.imports.staging import ListCounts, Part, Staged
from familynet.model.records import Assessment, Record
from familynet.reports.spreadsheet import open_private, write_rows
from familynet.stores.protocol import Store


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
    staging: Staged,
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
    agency = _agency_part(store, agent)
    files = staging.files()
    # The same referral from another format becomes the stored one (familynet.imports.matching).
    matcher = Matcher(store, source.split(":", 1)[0], source)
    parts = matcher.parts(chain(agency, staging.parts()))
    batches = _by_file([*files, *(["agencies"] if agency and "agencies" not in files else [])], parts, _Stored(store))
    report = ImportReport(source, lists=staging.counts)
    try:
        report.bundle = ingest_batches(
            store, source, batches, skip_invalid=skip_invalid, today=today, problems=staging.problems,
            finish=matcher.record,
        )  # fmt: skip
    except BundleError as error:
        raise BundleError(str(error), tuple(_translated(staging, list(error.problems)))) from None
    report.problems = _translated(staging, [*report.bundle.problems, *matcher.warnings])
    report.committed = True
    _count_rejected(report)
    if skip_invalid and rejects_path is not None:
        _write_rejects(rejects_path, report.errors)
    return report


def _agency_part(store: Store, agent: Agent) -> list[Part]:
    """The import's agency, when the store lacks it."""
    stored = store.agencies([agent.agency_id]).get(agent.agency_id)
    if stored is not None:
        # The import's households are "the record" only when social care recorded them: another
        # agency's id here would file the authority's record as that agency's view.
        if stored.kind != "social_care":
            raise BundleError(f"--recorded-by names an agency of kind {stored.kind}, not social_care")
        return []
    name = f"Children's social care, local authority {agent.la_code}"
    cells: list[str | None] = [agent.agency_id, name, "social_care"]
    return [Part("agencies", "--recorded-by", ("agency_id", "name", "kind"), [0], [cells], [])]


def _by_file(files: list[str], parts: Iterator[Part], stored: _Stored) -> dict[str, Iterator[Batch]]:
    """One iterator of batches per bundle file over parts that come in bundle file order (as the
    load reads the files), each part's missing cells filled in."""
    # The next part, read but not yet handed out: it may belong to the next file.
    ahead: list[Part | None] = [next(parts, None)]

    def batches(file: str) -> Iterator[Batch]:
        while (part := ahead[0]) is not None and part.file == file:
            ahead[0] = next(parts, None)
            yield Batch(part.source, part.columns, part.lines, stored.filled(part), part.problems)

    return {spec.name: batches(spec.name) for spec in FILES if spec.name in files}


class _Stored:
    """Fills in each person's, referral's and assessment's cells that the source does not supply
    (None: an Annex A row has no name, no factors) from the stored fact, so that a later import
    of a poorer source never erases what a richer one recorded; other missing cells are empty."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.assessments: dict[str, Record] | None = None

    def filled(self, part: Part) -> list[list[str]]:
        rows = part.cells
        missing = [i for i, row in enumerate(rows) if None in row]
        if missing:
            stored = self.lookup(part.file, [rows[i][0] for i in missing])
            for i in missing:
                fact = stored.get(rows[i][0] or "")
                if fact is None:
                    rows[i] = ["" if cell is None else cell for cell in rows[i]]
                else:
                    have = bundle_cells(fact)
                    rows[i] = [have.get(c, "") if v is None else v for c, v in zip(part.columns, rows[i], strict=True)]
        return rows  # type: ignore[return-value]

    def lookup(self, file: str, ids: list[str | None]) -> Mapping[str, Record]:
        wanted = [i for i in ids if i]
        if file == "persons":
            return self.store.persons(wanted)
        if file == "referrals":
            return self.store.referrals(wanted)
        if file == "assessments":
            if self.assessments is None:
                # The store looks assessments up by id only through its facts: one pass, when first asked.
                facts = (a for batch in self.store.facts("assessments") for a in batch if isinstance(a, Assessment))
                self.assessments = {a.assessment_id: a for a in facts}
            return self.assessments
        return {}


def _translated(staging: Staged, problems: list[Problem]) -> list[Problem]:
    """Each bundle problem named by the source column its column was mapped from (its file and
    line are already the source's)."""
    translated = []
    for p in problems:
        found = staging.sources.get(p.file)
        column = found.columns.get(p.column, p.column) if found is not None else p.column
        translated.append(Problem(p.file, p.line, column, p.reason, p.severity))
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
