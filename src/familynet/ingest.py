"""Loading a bundle into a store: all or nothing, idempotent, nothing dropped silently.

Rows are checked one by one (:mod:`familynet.bundle`), then across rows and
against the store: duplicate ids, references to persons, agencies, households
and referrals that exist in neither the bundle nor the store, and implausible
facts (reported as warnings and loaded). The whole bundle is one load, one
transaction: by default any error loads nothing; with ``skip_invalid`` the valid
rows load and each rejected row is written, with its reasons, to a rejects file.
Rows are streamed in batches, so memory grows with the number of ids, not rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from familynet.bundle import FILES, FileSpec, Problem, Row, file_path, parse_row, read_rows
from familynet.dates import PartialDate
from familynet.errors import BundleError
from familynet.records import (
    Agency,
    Assessment,
    Household,
    Membership,
    Mention,
    Person,
    Record,
    Referral,
    Relationship,
)
from familynet.spreadsheet import open_private, safe_cell
from familynet.store import LoadWriter, PersonFacts, Store, WriteCounts

#: Rows checked against the store and written together.
BATCH_SIZE = 10_000
#: A parent fewer than this many years older than their child is reported as a warning.
MIN_PARENT_AGE_GAP_YEARS = 12


@dataclass
class FileReport:
    """What happened to one file of the bundle."""

    rows: int = 0
    rejected: int = 0
    warnings: int = 0
    written: WriteCounts = field(default_factory=WriteCounts)


@dataclass
class IngestReport:
    """The outcome of one ingest: per-file counts and every problem found."""

    source: str
    committed: bool = False
    files: dict[str, FileReport] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that reject a row."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Implausible but possible facts, loaded as given."""
        return [p for p in self.problems if p.severity == "warning"]


class _References:
    """Ids known so far, from the bundle or from the store, per file that others refer to."""

    def __init__(self, writer: LoadWriter) -> None:
        self.writer = writer
        self.known: dict[str, set[str]] = {
            "agencies": set(),
            "persons": set(),
            "households": set(),
            "referrals": set(),
        }
        self.persons: dict[str, PersonFacts] = {}
        self.referral_child: dict[str, str] = {}

    def resolve(self, wanted: dict[str, set[str]]) -> None:
        """Ask the store about ids the bundle has not defined, once per id."""
        for file, ids in wanted.items():
            unknown = ids - self.known[file]
            if unknown:
                self.known[file] |= self.writer.known_ids(file, unknown)

    def person_facts(self, ids: set[str]) -> None:
        missing = {i for i in ids if i not in self.persons and i in self.known["persons"]}
        if missing:
            self.persons.update(self.writer.person_facts(missing))


#: The references each record class makes: (file referred to, field). The field is also the
#: bundle column, and an empty (None) value refers to nothing.
_REFERENCES: dict[type[Record], tuple[tuple[str, str], ...]] = {
    Agency: (),
    Person: (("agencies", "recorded_by"),),
    Household: (),
    Membership: (("households", "household_id"), ("persons", "person_id"), ("agencies", "recorded_by")),
    Relationship: (("persons", "person_id"), ("persons", "related_person_id"), ("agencies", "recorded_by")),
    Referral: (("persons", "child_id"), ("agencies", "referrer_agency_id")),
    Mention: (("referrals", "referral_id"), ("persons", "person_id")),
    Assessment: (("persons", "child_id"), ("referrals", "referral_id")),
}

#: What each record class defines: the file, and the fields of the id (one field, reported
#: as the column of a duplicate) or of the natural key of an id-less fact.
_IDENTITY: dict[type[Record], tuple[str, tuple[str, ...]]] = {
    Agency: ("agencies", ("agency_id",)),
    Person: ("persons", ("person_id",)),
    Household: ("households", ("household_id",)),
    Referral: ("referrals", ("referral_id",)),
    Assessment: ("assessments", ("assessment_id",)),
    Membership: ("household_members", ("household_id", "person_id", "recorded_by", "start_date")),
    Relationship: ("relationships", ("person_id", "related_person_id", "type", "recorded_by", "start_date")),
    Mention: ("referral_mentions", ("referral_id", "person_id", "role")),
}


_SINGULAR = {
    "agencies": "agency",
    "persons": "person",
    "households": "household",
    "referrals": "referral",
}
#: The reason a reference to each file is refused, made once rather than per row.
_MISSING = {file: f"refers to a {one} that is in neither the bundle nor the store" for file, one in _SINGULAR.items()}
#: The records that :meth:`_Loader._plausibility` looks at.
_PLAUSIBLE = (Relationship, Assessment)


def _dob_used(facts: PersonFacts) -> dt.date | None:
    return facts.date_of_birth.latest() if isinstance(facts.date_of_birth, PartialDate) else None


class _Loader:
    def __init__(
        self,
        writer: LoadWriter,
        report: IngestReport,
        *,
        skip_invalid: bool,
        today: dt.date,
        rejects: csv.DictWriter[str] | None,
    ) -> None:
        self.writer = writer
        self.report = report
        self.skip_invalid = skip_invalid
        self.today = today
        self.rejects = rejects
        self.refs = _References(writer)
        self.seen: dict[str, dict[object, int]] = {}

    @property
    def failed(self) -> bool:
        return bool(self.report.errors) and not self.skip_invalid

    def load_file(self, spec: FileSpec, rows: Iterator[Row | Problem]) -> None:
        file_report = self.report.files.setdefault(spec.name, FileReport())
        batch: list[tuple[Row, Record]] = []
        for item in rows:
            if isinstance(item, Problem):
                self._reject(file_report, None, [item])
                continue
            file_report.rows += 1
            parsed = parse_row(spec, item, self.today)
            if isinstance(parsed, list):
                self._reject(file_report, item, parsed)
                continue
            batch.append((item, parsed))
            if len(batch) >= BATCH_SIZE:
                self._flush(file_report, batch)
                batch = []
        self._flush(file_report, batch)
        # A file's ids and natural keys are only ever duplicated within that file: its
        # keys (3.5M referral mentions in a 200k-household bundle) go before the next.
        self.seen.pop(spec.name, None)

    def _flush(self, file_report: FileReport, batch: list[tuple[Row, Record]]) -> None:
        """Check a batch of one file's parsed rows across rows and against the store, then write
        the valid ones. Checks run column by column over the batch; problems keep row order."""
        if not batch:
            return
        cls = type(batch[0][1])
        records = [record for _, record in batch]
        found: dict[int, list[Problem]] = {}
        references = [(file, column, list(map(attrgetter(column), records))) for file, column in _REFERENCES[cls]]
        wanted: dict[str, set[str]] = {}
        for file, _column, values in references:
            wanted.setdefault(file, set()).update(value for value in values if value is not None)
        self.refs.resolve(wanted)
        for file, column, values in references:
            known = self.refs.known[file]
            for i in [i for i, value in enumerate(values) if value not in known and value is not None]:
                row = batch[i][0]
                found.setdefault(i, []).append(Problem(row.file, row.line, column, _MISSING[file]))
        defines, fields = _IDENTITY[cls]
        keys = list(map(attrgetter(*fields), records))
        seen = self.seen.setdefault(defines, {})
        column = fields[0] if len(fields) == 1 else ""
        for i, (key, (row, _record)) in enumerate(zip(keys, batch, strict=True)):
            first = seen.setdefault(key, row.line)
            if first != row.line:
                found.setdefault(i, []).append(Problem(row.file, row.line, column, f"duplicate of line {first}"))
        if cls in _PLAUSIBLE:
            self._plausibility(batch, found)
        valid = records
        if found:
            valid = []
            for i, (row, record) in enumerate(batch):
                problems = found.get(i)
                if problems and any(p.severity == "error" for p in problems):
                    self._reject(file_report, row, problems)
                    continue
                if problems:
                    file_report.warnings += len(problems)
                    self.report.problems.extend(problems)
                valid.append(record)
        self._define(cls, defines, fields, valid)
        if valid and not self.failed:
            file_report.written = file_report.written + self.writer.write(valid)

    def _plausibility(self, batch: list[tuple[Row, Record]], found: dict[int, list[Problem]]) -> None:
        """Add warnings for implausible facts to the rows of ``batch`` that have no problem yet."""
        parents = [r for _, r in batch if isinstance(r, Relationship) and r.type == "parent_of"]
        self.refs.person_facts({p for r in parents for p in (r.person_id, r.related_person_id)})
        for i, (row, record) in enumerate(batch):
            if i in found:
                continue
            if isinstance(record, Relationship) and record.type == "parent_of":
                parent = self.refs.persons.get(record.person_id)
                child = self.refs.persons.get(record.related_person_id)
                parent_born = _dob_used(parent) if parent else None
                child_born = _dob_used(child) if child else None
                if parent_born and child_born:
                    gap = (
                        child_born.year
                        - parent_born.year
                        - ((child_born.month, child_born.day) < (parent_born.month, parent_born.day))
                    )
                    if gap < MIN_PARENT_AGE_GAP_YEARS:
                        reason = f"parent fewer than {MIN_PARENT_AGE_GAP_YEARS} years older than the child"
                        found[i] = [Problem(row.file, row.line, "person_id", reason, "warning")]
            if isinstance(record, Assessment) and record.referral_id is not None:
                subject = self.refs.referral_child.get(record.referral_id)
                if subject is not None and subject != record.child_id:
                    reason = "follows a referral about a different child"
                    found[i] = [Problem(row.file, row.line, "referral_id", reason, "warning")]

    def _define(self, cls: type[Record], file: str, fields: tuple[str, ...], records: list[Record]) -> None:
        """Remember the ids that valid ``records`` define, and what later checks need of them."""
        if file not in self.refs.known:
            return
        (field,) = fields
        self.refs.known[file].update(map(attrgetter(field), records))
        if cls is Person:
            self.refs.persons.update(
                (p.person_id, PersonFacts(p.date_of_birth, p.date_of_death, p.sex))
                for p in records
                if isinstance(p, Person)
            )
        elif cls is Referral:
            self.refs.referral_child.update((r.referral_id, r.child_id) for r in records if isinstance(r, Referral))

    def _reject(self, file_report: FileReport, row: Row | None, problems: list[Problem]) -> None:
        file_report.rejected += 1
        self.report.problems.extend(problems)
        if self.rejects is None:
            return
        raw = ""
        if row is not None:
            buffer = io.StringIO()
            csv.writer(buffer).writerow(row.cells.values())
            raw = buffer.getvalue().rstrip("\r\n")
        self.rejects.writerow(
            {
                "file": problems[0].file,
                "line": problems[0].line,
                "columns": ";".join(p.column for p in problems),
                "reasons": "; ".join(p.reason for p in problems),
                "row": safe_cell(raw),
            }
        )


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
        with store.load(report.source) as writer:
            loader = _Loader(writer, report, skip_invalid=skip_invalid, today=today, rejects=rejects)
            for spec in FILES:
                path = file_path(bundle, spec)
                if path.is_file():
                    loader.load_file(spec, _counting(read_rows(path, spec), progress))
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
    with store.load(source) as writer:
        _refuse_known(writer, rows, new_only)
        loader = _Loader(writer, report, skip_invalid=False, today=today, rejects=None)
        for spec in FILES:
            if spec.name in rows:
                loader.load_file(
                    spec,
                    (
                        Row(f"{spec.name}.csv", line, {column: cells.get(column, "") for column in spec.columns})
                        for line, cells in enumerate(rows[spec.name], start=2)
                    ),
                )
        if loader.failed:
            errors = report.errors
            raise BundleError(f"the rows have {len(errors)} error(s); nothing was loaded", tuple(errors))
    report.committed = True
    return report


def _refuse_known(writer: LoadWriter, rows: Mapping[str, Sequence[Mapping[str, str]]], files: Collection[str]) -> None:
    problems = []
    for spec in FILES:
        if spec.name in files and spec.name in rows:
            id_column = spec.columns[0]
            ids = [cells.get(id_column, "") for cells in rows[spec.name]]
            known = writer.known_ids(spec.name, ids)
            problems += [
                Problem(f"{spec.name}.csv", line, id_column, "already recorded; a recorded fact is not rewritten here")
                for line, value in enumerate(ids, start=2)
                if value in known
            ]
    if problems:
        raise BundleError(f"the rows have {len(problems)} error(s); nothing was loaded", tuple(problems))


def _counting(rows: Iterator[Row | Problem], progress: Callable[[int], None] | None) -> Iterator[Row | Problem]:
    if progress is None:
        yield from rows
        return
    pending = 0
    for item in rows:
        pending += 1
        if pending == 1000:
            progress(pending)
            pending = 0
        yield item
    progress(pending)
