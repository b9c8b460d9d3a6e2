"""The ingest bundle: a directory of UTF-8 CSV files, read and checked row by row.

This module knows the files, their headers and how each cell must look. It turns
a row into a :mod:`familynet.model.records` record or into problems, without looking at
any other row or at the store (:mod:`familynet.bundle.ingest` checks references,
duplicates and plausibility across rows). Rows are read in batches and a batch is
checked column by column (:mod:`familynet.bundle.columns`), which gives each row the
record or the problems it gets alone.

Problems name the file, line, column and reason, never the value of a personal
field, so they can be logged and shown to anyone who runs the load.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from familynet.bundle.columns import Columns
from familynet.bundle.frontdoor import check_rows, consideration_rows, plan_rows
from familynet.errors import Problem
from familynet.model.instants import london_date
from familynet.model.nhs import is_valid_nhs_number
from familynet.model.records import (
    SUPPLIABLE_REFERRAL_FIELDS,
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
from familynet.model.text import forbidden_character, has_forbidden
from familynet.model.vocabulary import vocabulary

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
_UPRN = re.compile(r"^[0-9]{1,12}$")
_NHS_INVALID = "not a valid NHS number (ten digits with a modulus 11 check digit)"


class Row(NamedTuple):
    """A data row as read: its file, first line number and cells by column."""

    file: str
    line: int
    cells: dict[str, str]


class Batch(NamedTuple):
    """Consecutive data rows of one file as read: the file, its columns in the order of its
    header, each row's first line number and cells in that order, and the problems of the
    rows among them that could not be read."""

    file: str
    columns: tuple[str, ...]
    lines: list[int]
    cells: list[list[str]]
    problems: list[Problem]


# Each parser reads the columns of a batch in a fixed order, so that every row reports its
# problems in that order, and returns a record for each row without a problem.


def _agency(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    agency_id = c.ident("agency_id")
    name = c.text("name")
    kind = c.code("kind", v.agency_kind, required=True)
    c.require("name", name)
    return c.records(Agency, agency_id, name, kind)


def _person(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    person_id = c.ident("person_id")
    given = c.text("given_name")
    family = c.text("family_name")
    born = c.partial_date("date_of_birth", today)
    expected = c.date("expected_date_of_birth")
    sex = [code or "unknown" for code in c.code("sex", v.sex)]
    died = c.date("date_of_death", today=today)
    nhs = c.text("nhs_number", "code")
    c.check("nhs_number", nhs, is_valid_nhs_number, _NHS_INVALID)
    c.flag(
        "date_of_death",
        (
            i
            for i, (b, d) in enumerate(zip(born, died, strict=True))
            if d is not None and b is not None and d < b.earliest()
        ),
        "before date_of_birth",
    )
    recorded_by = c.ident("recorded_by", required=False)
    confidential = [bool(flag) for flag in c.boolean("confidential")]
    nhs_digits = [n.replace(" ", "") if n else None for n in nhs]
    return c.records(Person, person_id, given, family, born, expected, sex, died, nhs_digits, recorded_by, confidential)


def _household(c: Columns, today: dt.date) -> Sequence[Record | None]:
    household_id = c.ident("household_id")
    address = c.text("address", "address")
    postcode = c.text("postcode", "code")
    c.check("postcode", postcode, _POSTCODE.match, "not a UK postcode")
    uprn = c.text("uprn", "code")
    c.check("uprn", uprn, _UPRN.match, "not a UPRN (1 to 12 digits)")
    upper = [p.upper() if p else None for p in postcode]
    return c.records(Household, household_id, address, upper, uprn)


def _membership(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    household_id = c.ident("household_id")
    person_id = c.ident("person_id")
    role = c.code("role", v.membership_role, required=True)
    start = c.date("start_date", today=today)
    end = c.date("end_date")
    c.ordered("start_date", start, "end_date", end)
    recorded_by = c.ident("recorded_by")
    return c.records(Membership, household_id, person_id, role, start, end, recorded_by)


def _relationship(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    person_id = c.ident("person_id")
    related = c.ident("related_person_id")
    rel_type = c.code("type", v.relationship_type, required=True)
    # The subtypes allowed, and whether one is required, depend on the row's type.
    subtype: list[str | None] = [None] * c.size
    for kind in set(rel_type) - {None}:
        assert kind is not None
        rows = [i for i, t in enumerate(rel_type) if t == kind]
        read = c.code("subtype", v.relationship_subtypes[kind], required=kind != "sibling_of", rows=rows)
        default = "unknown" if kind == "sibling_of" else None
        for i, value in zip(rows, read, strict=True):
            subtype[i] = value or default
    responsibility = c.boolean("parental_responsibility")
    c.flag(
        "parental_responsibility",
        (
            i
            for i, (r, t) in enumerate(zip(responsibility, rel_type, strict=True))
            if r is not None and t not in {None, "parent_of"}
        ),
        "only parent_of carries parental responsibility",
    )
    start = c.date("start_date", today=today)
    end = c.date("end_date")
    c.ordered("start_date", start, "end_date", end)
    pairs = enumerate(zip(person_id, related, strict=True))
    c.flag(
        "related_person_id",
        (i for i, (p, r) in pairs if p is not None and p == r),
        "a person cannot be related to themself",
    )
    recorded_by = c.ident("recorded_by")
    twin = c.code("twin", v.twin)
    c.flag(
        "twin",
        (i for i, (w, t) in enumerate(zip(twin, rel_type, strict=True)) if w and t not in {None, "sibling_of"}),
        "only sibling_of says whether twins are identical",
    )
    return c.records(Relationship, person_id, related, rel_type, subtype, responsibility, start, end, recorded_by, twin)


def _referral(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    referral_id = c.ident("referral_id")
    kind = c.code("kind", v.referral_kind, required=True)
    child_id = c.ident("child_id")
    received = c.date("received_on", required=True, today=today)
    referrer = c.ident("referrer_agency_id", required=False)
    concerns = c.codes("concerns", v.concern_codes)
    outcome = c.code("outcome", v.referral_outcome)
    consent = c.code("consent", v.consent)
    rag = c.code("rag", v.rag)
    group_id = c.ident("group_id", required=False)
    received_at = c.instant("received_at", today=today)
    c.flag(
        "received_at",
        (
            i
            for i, (day, at) in enumerate(zip(received, received_at, strict=True))
            if at is not None and day is not None and london_date(at) != day
        ),
        "its date in Europe/London is not received_on",
    )
    decided_at = c.instant("decided_at", today=today)
    c.ordered("received_at", received_at, "decided_at", decided_at)
    feedback = c.date("feedback_sent_on", today=today)
    c.ordered("received_on", received, "feedback_sent_on", feedback)
    threshold = c.code("threshold_stated", v.threshold)
    supplied = [c.supplied(SUPPLIABLE_REFERRAL_FIELDS)] * c.size
    return c.records(
        Referral,
        referral_id,
        kind,
        child_id,
        received,
        referrer,
        concerns,
        outcome,
        consent,
        rag,
        group_id,
        received_at,
        decided_at,
        feedback,
        threshold,
        supplied,
    )


def _mention(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    referral_id = c.ident("referral_id")
    person_id = c.ident("person_id")
    role = c.code("role", v.mention_role, required=True)
    return c.records(Mention, referral_id, person_id, role)


def _assessment(c: Columns, today: dt.date) -> Sequence[Record | None]:
    v = vocabulary()
    assessment_id = c.ident("assessment_id")
    child_id = c.ident("child_id")
    referral_id = c.ident("referral_id", required=False)
    kind = c.code("kind", v.assessment_kind, required=True)
    started = c.date("started_on", required=True, today=today)
    completed = c.date("completed_on", today=today)
    c.ordered("started_on", started, "completed_on", completed)
    factors = c.codes("factors", v.concern_codes)
    outcome = c.text("outcome", "code")
    return c.records(Assessment, assessment_id, child_id, referral_id, kind, started, completed, factors, outcome)


@dataclass(frozen=True)
class FileSpec:
    """One file of the bundle: its columns, whether it must be present, its row parser, and
    the columns it may leave out (added after the file's first definition; each is read as
    empty cells, and ingest says what an absent one means)."""

    name: str
    columns: tuple[str, ...]
    required: bool
    parse: Callable[[Columns, dt.date], Sequence[Record | None]]
    optional: tuple[str, ...] = ()


#: The bundle's files in load order: every file refers only to files before it.
FILES: tuple[FileSpec, ...] = (
    FileSpec("agencies", ("agency_id", "name", "kind"), True, _agency),
    FileSpec(
        "persons",
        (
            "person_id", "given_name", "family_name", "date_of_birth", "expected_date_of_birth",
            "sex", "date_of_death", "nhs_number", "recorded_by", "confidential",
        ),
        True,
        _person,
        optional=("confidential",),
    ),
    FileSpec("households", ("household_id", "address", "postcode", "uprn"), False, _household),
    FileSpec(
        "household_members",
        ("household_id", "person_id", "role", "start_date", "end_date", "recorded_by"),
        False,
        _membership,
    ),
    FileSpec(
        "relationships",
        (
            "person_id", "related_person_id", "type", "subtype", "parental_responsibility",
            "start_date", "end_date", "recorded_by", "twin",
        ),
        False,
        _relationship,
        optional=("twin",),
    ),
    FileSpec(
        "referrals",
        (
            "referral_id", "kind", "child_id", "received_on", "referrer_agency_id", "concerns",
            "outcome", "consent", "rag", "group_id", "received_at", "decided_at", "feedback_sent_on",
            "threshold_stated",
        ),
        False,
        _referral,
        optional=SUPPLIABLE_REFERRAL_FIELDS,
    ),
    FileSpec("referral_mentions", ("referral_id", "person_id", "role"), False, _mention),
    FileSpec(
        "assessments",
        (
            "assessment_id", "child_id", "referral_id", "kind", "started_on", "completed_on",
            "factors", "outcome",
        ),
        False,
        _assessment,
    ),
    FileSpec(
        "checks",
        ("check_id", "referral_id", "agency_id", "requested_at", "responded_at", "response", "recorded_by"),
        False,
        check_rows,
        optional=("recorded_by",),
    ),
    FileSpec("plans", ("plan_id", "child_id", "kind", "start_date", "end_date", "recorded_by"), False, plan_rows),
    FileSpec(
        "considerations",
        ("referral_id", "person_id", "considered_on", "outcome", "recorded_by"),
        False,
        consideration_rows,
        optional=("recorded_by",),
    ),
)  # fmt: skip


def file_path(bundle: Path, spec: FileSpec) -> Path:
    """The path of one file of a bundle."""
    return bundle / f"{spec.name}.csv"


#: Rows read and checked together.
BATCH_SIZE = 10_000


def _header_problem(file: str, spec: FileSpec, header: list[str] | None) -> Problem | None:
    if header is None:
        return Problem(file, 1, "", "empty file: a header row is required")
    names = [name.strip() for name in header]
    missing = [c for c in spec.columns if c not in names and c not in spec.optional]
    unknown = [c for c in names if c not in spec.columns]
    if not (missing or unknown or len(set(names)) != len(names)):
        return None
    reason = "wrong header"
    if missing:
        reason += f"; missing {missing}"
    if unknown:
        # Counted, never named: a file without its header row has a row of data here.
        reason += f"; {len(unknown)} unknown column(s)"
    if len(set(names)) != len(names):
        reason += "; repeated column"
    return Problem(file, 1, "", reason + f"; expected {list(spec.columns)}")


def _csv_reason(error: csv.Error) -> str:
    """What a CSV error means, in words that hold no cell (the csv module's own name only its syntax)."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return f"a cell longer than {csv.field_size_limit()} characters"
    if text == "unexpected end of data":
        return "unbalanced quotes: a quoted cell opened on this line is not closed before the end of the file"
    return "malformed CSV (a quote inside an unquoted cell, or text after a closing quote)"


def read_batches(path: Path, spec: FileSpec, size: int = BATCH_SIZE) -> Iterator[Batch]:
    """Yield the data rows of a file ``size`` at a time, with the problems of the rows (or
    of the file) that cannot be read among them.

    A wrong header is one problem for the whole file and no rows are read.
    """
    file = path.name
    names = spec.columns
    lines: list[int] = []
    rows: list[list[str]] = []
    problems: list[Problem] = []
    try:
        # A byte that is not UTF-8 is read as a lone surrogate, refused by parse_batch at its own line.
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            line = 1
            try:
                header = next(reader, None)
                wrong = _header_problem(file, spec, header)
                if wrong is not None:
                    problems.append(wrong)
                else:
                    assert header is not None
                    names = tuple(name.strip() for name in header)
                    width = len(names)
                    line = reader.line_num + 1
                    for cells in reader:
                        if len(cells) == width:
                            rows.append(cells)
                            lines.append(line)
                            if len(rows) == size:
                                yield Batch(file, names, lines, rows, problems)
                                lines, rows, problems = [], [], []
                        elif cells:
                            reason = f"malformed row: {len(cells)} cells, expected {width}"
                            problems.append(Problem(file, line, "", reason))
                        line = reader.line_num + 1
            except csv.Error as error:
                problems.append(Problem(file, line, "", _csv_reason(error)))
    except OSError:
        problems.append(Problem(file, 0, "", "cannot be read"))
    if rows or problems:
        yield Batch(file, names, lines, rows, problems)


def read_rows(path: Path, spec: FileSpec) -> Iterator[Row | Problem]:
    """Yield each data row of a file, or the problems that make a row (or the file) unreadable,
    in the order of their lines."""
    for batch in read_batches(path, spec):
        items: list[tuple[int, Row | Problem]] = [(p.line, p) for p in batch.problems]
        items += [
            (line, Row(batch.file, line, dict(zip(batch.columns, cells, strict=True))))
            for line, cells in zip(batch.lines, batch.cells, strict=True)
        ]
        items.sort(key=lambda item: item[0])
        yield from (item for _, item in items)


def parse_batch(
    spec: FileSpec, batch: Batch, today: dt.date
) -> tuple[Sequence[Record | None], dict[int, list[Problem]]]:
    """Turn each row of a batch into its record, or None and every problem found in it
    (by the row's position in the batch)."""
    if not batch.cells:
        return [], {}
    cells: dict[str, Sequence[str]] = dict(zip(batch.columns, zip(*batch.cells, strict=True), strict=True))
    absent = frozenset(spec.optional) - cells.keys()
    for column in absent:
        cells[column] = ("",) * len(batch.cells)
    c = Columns(cells, absent)
    physical = _refuse_forbidden(batch, c)
    records = spec.parse(c, today)
    lines = [physical.get(row, line) for row, line in enumerate(batch.lines)] if physical else batch.lines
    problems = {
        row: [Problem(batch.file, lines[row], column, reason) for column, reason in found]
        for row, found in sorted(c.problems.items())
    }
    return records, problems


def _refuse_forbidden(batch: Batch, c: Columns) -> dict[int, int]:
    """Refuse the first cell of each row holding a control character or a byte that is not UTF-8
    (:mod:`familynet.model.text`); the physical line of that character (the row's first line plus the
    line breaks before it) by row."""
    physical: dict[int, int] = {}
    # One scan of the whole batch finds nothing in almost every batch; only then is each row looked at.
    if not has_forbidden(map("".join, batch.cells)):
        return physical
    for i, cells in enumerate(batch.cells):
        if not has_forbidden(cells):
            continue
        breaks = 0
        for column, value in zip(batch.columns, cells, strict=True):
            found = forbidden_character(value)
            if found is not None:
                position, reason = found
                c.add(i, column, reason)
                physical[i] = batch.lines[i] + breaks + value.count("\n", 0, position)
                break
            breaks += value.count("\n")
    return physical


def parse_row(spec: FileSpec, row: Row, today: dt.date) -> Record | list[Problem]:
    """Turn one row into its record, or into every problem found in it."""
    columns = tuple(row.cells)
    batch = Batch(row.file, columns, [row.line], [[row.cells[c] for c in columns]], [])
    (record,), problems = parse_batch(spec, batch, today)
    return problems[0] if problems else record  # type: ignore[return-value]
