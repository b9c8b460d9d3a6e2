"""The checks of a load across rows and against the store, and its writes.

Each batch of one file's parsed rows (:mod:`familynet.bundle.parser`) is checked for
duplicate ids and keys, references to persons, agencies, households and referrals that
exist in neither the load nor the store, and implausible facts (warnings, loaded); the
valid rows are written through the store's :class:`~familynet.stores.protocol.LoadWriter`
and rejected ones go, with their reasons, to the report and the rejects file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from operator import attrgetter

from familynet.bundle.files import Batch, FileSpec, parse_batch
from familynet.bundle.report import FileReport, IngestReport
from familynet.errors import Problem
from familynet.model.dates import PartialDate
from familynet.model.instants import london_date
from familynet.model.records import (
    SUPPLIABLE_REFERRAL_FIELDS,
    SUPPLIABLE_REFERRAL_FILES,
    Agency,
    Assessment,
    Check,
    Consideration,
    Household,
    Membership,
    Mention,
    Person,
    Plan,
    Record,
    Referral,
    Relationship,
)
from familynet.reports.spreadsheet import safe_cell
from familynet.stores.protocol import LoadWriter

#: A parent fewer than this many years older than their child is reported as a warning.
MIN_PARENT_AGE_GAP_YEARS = 12


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
        # Only the date of birth of a person is looked at (by the parent age check), as the
        # last day it can mean, and the sex (by the identical twins check); both for the same persons.
        self.born: dict[str, dt.date | None] = {}
        self.sex: dict[str, str] = {}
        self.referral_child: dict[str, str] = {}
        self.referral_received: dict[str, dt.date] = {}

    def resolve(self, wanted: dict[str, set[str]]) -> None:
        """Ask the store about ids the bundle has not defined, once per id."""
        for file, ids in wanted.items():
            unknown = ids - self.known[file]
            if unknown:
                self.known[file] |= self.writer.known_ids(file, unknown)

    def births(self, ids: set[str]) -> None:
        """Read the date of birth and sex of the stored persons among ``ids`` not yet known."""
        # Difference with a dict, not its keys view: only a dict is looked up rather than walked.
        missing = ids.difference(self.born) & self.known["persons"]
        if missing:
            facts = self.writer.person_facts(missing)
            self.born.update((i, _latest(fact.date_of_birth)) for i, fact in facts.items())
            self.sex.update((i, fact.sex) for i, fact in facts.items())


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
    Check: (("referrals", "referral_id"), ("agencies", "agency_id"), ("agencies", "recorded_by")),
    Plan: (("persons", "child_id"), ("agencies", "recorded_by")),
    Consideration: (("referrals", "referral_id"), ("persons", "person_id"), ("agencies", "recorded_by")),
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
    Check: ("checks", ("check_id",)),
    Plan: ("plans", ("plan_id",)),
    Consideration: ("considerations", ("referral_id", "person_id")),
}


_SINGULAR = {
    "agencies": "agency",
    "persons": "person",
    "households": "household",
    "referrals": "referral",
}
#: The reason a reference to each file is refused, made once rather than per row.
_MISSING = {file: f"refers to a {one} that is in neither the bundle nor the store" for file, one in _SINGULAR.items()}
ALREADY_RECORDED = "already recorded; a recorded fact is not rewritten here"
_PARENT_AGE = f"parent fewer than {MIN_PARENT_AGE_GAP_YEARS} years older than the child"
_OTHER_CHILD = "follows a referral about a different child"
_TWIN_SEXES = "identical twins of different recorded sex"
_RECEIVED_DAY = "not the day in Europe/London of the stored received_at: supply received_at too"
_BEFORE_RECEIVED = "before the referral's received_on"
#: The reasons of the problems whose finding depends on what the store holds (an id on record
#: or not, a stored date or child), not on the rows alone: they tell a caller what is on record.
ON_RECORD_REASONS = frozenset(
    {*_MISSING.values(), ALREADY_RECORDED, _PARENT_AGE, _OTHER_CHILD, _TWIN_SEXES, _RECEIVED_DAY, _BEFORE_RECEIVED}
)


def _latest(born: PartialDate | None) -> dt.date | None:
    return born.latest() if isinstance(born, PartialDate) else None


class Loader:
    """One load's checks across rows and against the store, file by file in load order."""

    def __init__(
        self,
        writer: LoadWriter,
        report: IngestReport,
        *,
        skip_invalid: bool,
        today: dt.date,
        rejects: csv.DictWriter[str] | None,
        files: Collection[str],
    ) -> None:
        self.writer = writer
        # The optional files of facts about referrals this load holds: it supplies them for its referrals.
        self.supplied_files = frozenset(files) & frozenset(SUPPLIABLE_REFERRAL_FILES)
        self.report = report
        self.skip_invalid = skip_invalid
        self.today = today
        self.rejects = rejects
        self.refs = _References(writer)
        self.seen: dict[str, dict[object, int]] = {}

    @property
    def failed(self) -> bool:
        return bool(self.report.errors) and not self.skip_invalid

    def load_file(self, spec: FileSpec, batches: Iterator[Batch]) -> None:
        file_report = self.report.files.setdefault(spec.name, FileReport())
        for batch in batches:
            file_report.rows += len(batch.lines)
            parsed, problems = parse_batch(spec, batch, self.today, self.supplied_files)
            if "confidential" in spec.optional and "confidential" not in batch.columns:
                parsed = self._stored_markers(parsed)  # type: ignore[arg-type]
            if spec.name == "referrals":
                parsed = self._supplied_referral_facts(parsed, batch.columns)  # type: ignore[arg-type]
            # Rows that cannot be read or parsed are rejected in the order of their lines.
            rejected: list[tuple[int, list[str] | None, list[Problem]]] = [(p.line, None, [p]) for p in batch.problems]
            rejected += [(found[0].line, batch.cells[i], found) for i, found in problems.items()]
            rejected.sort(key=lambda item: item[0])
            for _, raw, found in rejected:
                self._reject(file_report, raw, found)
            if not problems:
                if parsed:
                    self._flush(file_report, batch, batch.lines, batch.cells, parsed)  # type: ignore[arg-type]
            elif len(problems) < len(parsed):
                rows = [i for i in range(len(parsed)) if i not in problems]
                lines = [batch.lines[i] for i in rows]
                cells = [batch.cells[i] for i in rows]
                self._flush(file_report, batch, lines, cells, [parsed[i] for i in rows])  # type: ignore[misc]
        # A file's ids and natural keys are only ever duplicated within that file: its
        # keys (3.5M referral mentions in a 200k-household bundle) go before the next.
        self.seen.pop(spec.name, None)

    def _stored_markers(self, persons: Sequence[Person | None]) -> list[Person | None]:
        """A persons file written without the ``confidential`` column states no marker: each
        stored person keeps theirs (read as "not confidential", it would unmark everyone, and
        the next redacted genogram would show a parent in a refuge); new persons have none."""
        stored = self.writer.person_facts([p.person_id for p in persons if p is not None])
        marked = {i for i, facts in stored.items() if facts.confidential}
        if not marked:
            return list(persons)
        return [replace(p, confidential=True) if p is not None and p.person_id in marked else p for p in persons]

    def _supplied_referral_facts(
        self, referrals: Sequence[Referral | None], columns: Collection[str]
    ) -> list[Referral | None]:
        """The referrals (made with the optional files this load holds marked supplied, by
        :func:`~familynet.bundle.parser.parse_batch`); when the load lacks an optional column or
        file, with what the store holds of it (:meth:`_stored_referral_facts`)."""
        if set(SUPPLIABLE_REFERRAL_FIELDS) <= set(columns) and self.supplied_files == set(SUPPLIABLE_REFERRAL_FILES):
            return list(referrals)
        return self._stored_referral_facts(referrals)

    def _stored_referral_facts(self, referrals: Sequence[Referral | None]) -> list[Referral | None]:
        """A referrals file without some optional columns, or a load without some optional files
        of facts about referrals, says nothing about those facts: each stored referral keeps their
        values and whether they were supplied, so that a later load without them never turns
        "recorded" into "not supplied" (nor a feedback date into none); new referrals have them
        not supplied."""
        stored = self.writer.stored_referrals([r.referral_id for r in referrals if r is not None])
        out: list[Referral | None] = []
        for referral in referrals:
            before = stored.get(referral.referral_id) if referral is not None else None
            if referral is None or before is None or not before.supplied:
                out.append(referral)
                continue
            fields = (before.supplied - referral.supplied) & set(SUPPLIABLE_REFERRAL_FIELDS)
            kept = {name: getattr(before, name) for name in fields}
            out.append(replace(referral, **kept, supplied=referral.supplied | before.supplied))
        return out

    def _flush(
        self, file_report: FileReport, batch: Batch, lines: list[int], cells: list[list[str]], records: Sequence[Record]
    ) -> None:
        """Check parsed rows of a batch (those at ``lines``) across rows and against the store, then
        write the valid ones. Checks run column by column over the batch; problems keep row order."""
        file = batch.file
        cls = type(records[0])
        found: dict[int, list[Problem]] = {}
        references = [(target, column, list(map(attrgetter(column), records))) for target, column in _REFERENCES[cls]]
        wanted: dict[str, set[str]] = {}
        for target, _column, values in references:
            # Values are ids or None (no reference): filtering drops the Nones.
            wanted.setdefault(target, set()).update(filter(None, values))
        self.refs.resolve(wanted)
        for target, column, values in references:
            known = self.refs.known[target]
            # All known is the usual case, checked in C.
            if known.issuperset(filter(None, values)):
                continue
            for i, value in enumerate(values):
                if value is not None and value not in known:
                    found.setdefault(i, []).append(Problem(file, lines[i], column, _MISSING[target]))
        defines, fields = _IDENTITY[cls]
        keys = list(map(attrgetter(*fields), records))
        seen = self.seen.setdefault(defines, {})
        firsts = list(map(seen.setdefault, keys, lines))
        if firsts != lines:
            column = fields[0] if len(fields) == 1 else ""
            for i, (first, line) in enumerate(zip(firsts, lines, strict=True)):
                if first != line:
                    found.setdefault(i, []).append(Problem(file, line, column, f"duplicate of line {first}"))
        if cls is Relationship:
            self._parent_ages(file, lines, records, found)  # type: ignore[arg-type]
            self._twin_sexes(file, lines, records, found)  # type: ignore[arg-type]
        elif cls is Assessment:
            self._assessed_children(file, lines, records, found)  # type: ignore[arg-type]
        elif cls is Consideration:
            self._considered_dates(file, lines, records, found)  # type: ignore[arg-type]
        elif cls is Referral and "received_at" not in batch.columns:
            # Only a received_at kept from the store can disagree: the parser checked the file's own.
            self._received_days(file, lines, records, found)  # type: ignore[arg-type]
        valid = records
        if found:
            valid = []
            for i, record in enumerate(records):
                problems = found.get(i)
                if problems and any(p.severity == "error" for p in problems):
                    self._reject(file_report, cells[i], problems)
                    continue
                if problems:
                    file_report.warnings += len(problems)
                    self.report.problems.extend(problems)
                valid.append(record)
        self._define(cls, defines, fields, valid)
        if valid and not self.failed:
            file_report.written = file_report.written + self.writer.write(valid)

    def _parent_ages(
        self, file: str, lines: list[int], records: Sequence[Relationship], found: dict[int, list[Problem]]
    ) -> None:
        """Warn of parents fewer than the minimum years older than their child, in rows that
        have no problem yet."""
        parents = [i for i, r in enumerate(records) if r.type == "parent_of" and i not in found]
        pairs = [(records[i].person_id, records[i].related_person_id) for i in parents]
        self.refs.births({p for p, _ in pairs} | {c for _, c in pairs})
        born = self.refs.born
        reason = _PARENT_AGE
        for i, (parent, child) in zip(parents, pairs, strict=True):
            parent_born = born.get(parent)
            child_born = born.get(child)
            if parent_born and child_born:
                gap = (
                    child_born.year
                    - parent_born.year
                    - ((child_born.month, child_born.day) < (parent_born.month, parent_born.day))
                )
                if gap < MIN_PARENT_AGE_GAP_YEARS:
                    found[i] = [Problem(file, lines[i], "person_id", reason, "warning")]

    def _twin_sexes(
        self, file: str, lines: list[int], records: Sequence[Relationship], found: dict[int, list[Problem]]
    ) -> None:
        """Warn of identical twins whose recorded sexes, both known, differ (one record is wrong), in
        rows that have no problem yet."""
        twins = [i for i, r in enumerate(records) if r.twin == "identical" and i not in found]
        self.refs.births({p for i in twins for p in (records[i].person_id, records[i].related_person_id)})
        sex = self.refs.sex
        for i in twins:
            sexes = {sex.get(records[i].person_id), sex.get(records[i].related_person_id)}
            if len(sexes) == 2 and sexes.isdisjoint({None, "unknown"}):
                found[i] = [Problem(file, lines[i], "twin", _TWIN_SEXES, "warning")]

    def _assessed_children(
        self, file: str, lines: list[int], records: Sequence[Assessment], found: dict[int, list[Problem]]
    ) -> None:
        """Warn of assessments that follow a referral about another child, in rows that have no
        problem yet."""
        subjects = self.refs.referral_child
        # A referral already on record (an assessment recorded through the API follows one) is looked up.
        stored = {r.referral_id for r in records if r.referral_id is not None} - subjects.keys()
        if stored:
            found_stored = self.writer.stored_referrals(stored & self.refs.known["referrals"])
            subjects.update((i, r.child_id) for i, r in found_stored.items())
        reason = _OTHER_CHILD
        for i, record in enumerate(records):
            if record.referral_id is not None and i not in found:
                subject = subjects.get(record.referral_id)
                if subject is not None and subject != record.child_id:
                    found[i] = [Problem(file, lines[i], "referral_id", reason, "warning")]

    def _received_days(
        self, file: str, lines: list[int], records: Sequence[Referral], found: dict[int, list[Problem]]
    ) -> None:
        """Refuse a referral whose new ``received_on`` is not the day of the ``received_at`` it
        keeps from the store (a file without that column): the two would disagree."""
        reason = _RECEIVED_DAY
        for i, record in enumerate(records):
            at = record.received_at
            if at is not None and i not in found and london_date(at) != record.received_on:
                found[i] = [Problem(file, lines[i], "received_on", reason)]

    def _considered_dates(
        self, file: str, lines: list[int], records: Sequence[Consideration], found: dict[int, list[Problem]]
    ) -> None:
        """Refuse considerations dated before their referral was received, in rows whose referral exists."""
        received = self.refs.referral_received
        unknown = {r.referral_id for i, r in enumerate(records) if i not in found} - received.keys()
        if unknown:
            received.update((i, r.received_on) for i, r in self.writer.stored_referrals(unknown).items())
        reason = _BEFORE_RECEIVED
        for i, record in enumerate(records):
            day = received.get(record.referral_id)
            if i not in found and day is not None and record.considered_on < day:
                found[i] = [Problem(file, lines[i], "considered_on", reason)]

    def _define(self, cls: type[Record], file: str, fields: tuple[str, ...], records: Sequence[Record]) -> None:
        """Remember the ids that valid ``records`` define, and what later checks need of them."""
        if file not in self.refs.known:
            return
        (field,) = fields
        ids = list(map(attrgetter(field), records))
        self.refs.known[file].update(ids)
        if cls is Person:
            self.refs.born.update(zip(ids, map(_latest, map(attrgetter("date_of_birth"), records)), strict=True))
            self.refs.sex.update(zip(ids, map(attrgetter("sex"), records), strict=True))
        elif cls is Referral:
            self.refs.referral_child.update(zip(ids, map(attrgetter("child_id"), records), strict=True))
            self.refs.referral_received.update(zip(ids, map(attrgetter("received_on"), records), strict=True))

    def _reject(self, file_report: FileReport, cells: Sequence[str] | None, problems: list[Problem]) -> None:
        file_report.rejected += 1
        self.report.problems.extend(problems)
        if self.rejects is None:
            return
        raw = ""
        if cells is not None:
            buffer = io.StringIO()
            csv.writer(buffer).writerow(cells)
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
