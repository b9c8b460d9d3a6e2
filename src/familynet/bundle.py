"""The ingest bundle: a directory of UTF-8 CSV files, read and checked row by row.

This module knows the files, their headers and how each cell must look. It turns
a row into a :mod:`familynet.records` record or into problems, without looking at
any other row or at the store; :mod:`familynet.ingest` checks references,
duplicates and plausibility across rows.

Problems name the file, line, column and reason, never the value of a personal
field, so they can be logged and shown to anyone who runs the load.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from familynet.dates import DateFormatError, PartialDate, parse_date
from familynet.errors import FamilynetError
from familynet.nhs import is_valid_nhs_number
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
from familynet.vocabulary import vocabulary

#: Longest accepted value per kind of cell; longer values are refused, never truncated.
MAX_LENGTH = {"id": 64, "name": 200, "address": 500, "code": 32}

_ID_LENGTH = MAX_LENGTH["id"]
_CODE_LENGTH = MAX_LENGTH["code"]
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
_UPRN = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (``error``) or implausible (``warning``) in a bundle."""

    file: str
    line: int
    column: str
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f": {self.column}" if self.column else "")
        return f"{self.severity}: {where}: {self.reason}"


class Row(NamedTuple):
    """A data row as read: its file, first line number and cells by column."""

    file: str
    line: int
    cells: dict[str, str]


class _RowInvalidError(FamilynetError):
    """Raised inside a row parser to hand back every problem of the row at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems


class _Cells:
    """Reads typed values out of one row, collecting every problem rather than the first."""

    __slots__ = ("cells", "problems")

    def __init__(self, cells: dict[str, str]) -> None:
        self.cells = cells
        self.problems: list[tuple[str, str]] = []

    def _raw(self, column: str, kind: str) -> str | None:
        value = self.cells[column].strip()
        if not value:
            return None
        if len(value) > MAX_LENGTH[kind]:
            self.problems.append((column, f"longer than {MAX_LENGTH[kind]} characters"))
            return None
        return value

    # The methods below return a plainly valid value at once, and leave empty and
    # overlong values to ``_raw``: a bundle has millions of cells, nearly all valid.

    def ident(self, column: str, *, required: bool = True) -> str | None:
        plain = self.cells[column].strip()
        if plain and len(plain) <= _ID_LENGTH:
            return plain
        value = self._raw(column, "id")
        if value is None and required and column not in {c for c, _ in self.problems}:
            self.problems.append((column, "required"))
        return value

    def text(self, column: str, kind: str = "name") -> str | None:
        # Names keep their Unicode exactly: no normalisation, only outer whitespace trimmed.
        value = self.cells[column].strip()
        if len(value) <= MAX_LENGTH[kind]:
            return value or None
        return self._raw(column, kind)

    def code(self, column: str, allowed: frozenset[str], *, required: bool = False) -> str | None:
        plain = self.cells[column].strip()
        if plain in allowed and len(plain) <= _CODE_LENGTH:
            # One string per code, not one per cell: natural keys hold codes until a file is done.
            return sys.intern(plain)
        value = self._raw(column, "code")
        if value is None:
            if required and column not in {c for c, _ in self.problems}:
                self.problems.append((column, "required"))
            return None
        if value not in allowed:
            self.problems.append((column, f"unknown code; expected one of {sorted(allowed)}"))
            return None
        return value

    def codes(self, column: str, allowed: dict[str, str]) -> tuple[str, ...]:
        value = self._raw(column, "address")
        if value is None:
            return ()
        codes = tuple(part.strip() for part in value.split(";") if part.strip())
        unknown = [str(i) for i, code in enumerate(codes, 1) if code not in allowed]
        if unknown:
            self.problems.append((column, f"unknown CIN factor code at position {', '.join(unknown)}"))
        return codes

    def date(self, column: str, *, required: bool = False, today: dt.date | None = None) -> dt.date | None:
        value = self._raw(column, "code")
        if value is None:
            if required and column not in {c for c, _ in self.problems}:
                self.problems.append((column, "required"))
            return None
        try:
            day = parse_date(value)
        except DateFormatError as error:
            self.problems.append((column, str(error)))
            return None
        if today is not None and day > today:
            self.problems.append((column, "in the future"))
        return day

    def partial_date(self, column: str, today: dt.date) -> PartialDate | None:
        value = self._raw(column, "code")
        if value is None:
            return None
        try:
            partial = PartialDate.parse(value)
        except DateFormatError as error:
            self.problems.append((column, str(error)))
            return None
        if partial.earliest() > today:
            self.problems.append((column, "in the future"))
        return partial

    def boolean(self, column: str) -> bool | None:
        value = self._raw(column, "code")
        if value is None:
            return None
        lowered = value.lower()
        if lowered not in {"true", "false"}:
            self.problems.append((column, "expected true, false or empty"))
            return None
        return lowered == "true"

    def ordered(self, start_column: str, start: dt.date | None, end_column: str, end: dt.date | None) -> None:
        if start is not None and end is not None and end < start:
            self.problems.append((end_column, f"before {start_column}"))

    def done(self) -> None:
        if self.problems:
            raise _RowInvalidError(self.problems)


def _agency(c: _Cells, today: dt.date) -> Agency:
    v = vocabulary()
    agency_id = c.ident("agency_id")
    name = c.text("name")
    kind = c.code("kind", v.agency_kind, required=True)
    if name is None and "name" not in {col for col, _ in c.problems}:
        c.problems.append(("name", "required"))
    c.done()
    assert agency_id is not None and name is not None and kind is not None
    return Agency(agency_id, name, kind)


def _person(c: _Cells, today: dt.date) -> Person:
    v = vocabulary()
    person_id = c.ident("person_id")
    given = c.text("given_name")
    family = c.text("family_name")
    born = c.partial_date("date_of_birth", today)
    expected = c.date("expected_date_of_birth")
    sex = c.code("sex", v.sex) or "unknown"
    died = c.date("date_of_death", today=today)
    nhs = c.text("nhs_number", "code")
    if nhs is not None and not is_valid_nhs_number(nhs):
        c.problems.append(("nhs_number", "not a valid NHS number (ten digits with a modulus 11 check digit)"))
    if born is not None and died is not None and died < born.earliest():
        c.problems.append(("date_of_death", "before date_of_birth"))
    recorded_by = c.ident("recorded_by", required=False)
    confidential = c.boolean("confidential")
    c.done()
    assert person_id is not None
    nhs_digits = nhs.replace(" ", "") if nhs else None
    return Person(person_id, given, family, born, expected, sex, died, nhs_digits, recorded_by, bool(confidential))


def _household(c: _Cells, today: dt.date) -> Household:
    household_id = c.ident("household_id")
    address = c.text("address", "address")
    postcode = c.text("postcode", "code")
    if postcode is not None and not _POSTCODE.match(postcode):
        c.problems.append(("postcode", "not a UK postcode"))
    uprn = c.text("uprn", "code")
    if uprn is not None and not _UPRN.match(uprn):
        c.problems.append(("uprn", "not a UPRN (1 to 12 digits)"))
    c.done()
    assert household_id is not None
    return Household(household_id, address, postcode.upper() if postcode else None, uprn)


def _membership(c: _Cells, today: dt.date) -> Membership:
    v = vocabulary()
    household_id = c.ident("household_id")
    person_id = c.ident("person_id")
    role = c.code("role", v.membership_role, required=True)
    start = c.date("start_date", today=today)
    end = c.date("end_date")
    c.ordered("start_date", start, "end_date", end)
    recorded_by = c.ident("recorded_by")
    c.done()
    assert household_id is not None and person_id is not None and role is not None
    assert recorded_by is not None
    return Membership(household_id, person_id, role, start, end, recorded_by)


def _relationship(c: _Cells, today: dt.date) -> Relationship:
    v = vocabulary()
    person_id = c.ident("person_id")
    related = c.ident("related_person_id")
    rel_type = c.code("type", v.relationship_type, required=True)
    subtype = None
    if rel_type is not None:
        subtype = c.code("subtype", v.relationship_subtypes[rel_type], required=rel_type != "sibling_of")
        subtype = subtype or ("unknown" if rel_type == "sibling_of" else None)
    responsibility = c.boolean("parental_responsibility")
    if responsibility is not None and rel_type not in {None, "parent_of"}:
        c.problems.append(("parental_responsibility", "only parent_of carries parental responsibility"))
    start = c.date("start_date", today=today)
    end = c.date("end_date")
    c.ordered("start_date", start, "end_date", end)
    if person_id is not None and person_id == related:
        c.problems.append(("related_person_id", "a person cannot be related to themself"))
    recorded_by = c.ident("recorded_by")
    c.done()
    assert person_id is not None and related is not None and rel_type is not None
    assert recorded_by is not None
    return Relationship(person_id, related, rel_type, subtype, responsibility, start, end, recorded_by)


def _referral(c: _Cells, today: dt.date) -> Referral:
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
    c.done()
    assert referral_id is not None and kind is not None and child_id is not None
    assert received is not None
    return Referral(referral_id, kind, child_id, received, referrer, concerns, outcome, consent, rag, group_id)


def _mention(c: _Cells, today: dt.date) -> Mention:
    v = vocabulary()
    referral_id = c.ident("referral_id")
    person_id = c.ident("person_id")
    role = c.code("role", v.mention_role, required=True)
    c.done()
    assert referral_id is not None and person_id is not None and role is not None
    return Mention(referral_id, person_id, role)


def _assessment(c: _Cells, today: dt.date) -> Assessment:
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
    c.done()
    assert assessment_id is not None and child_id is not None and kind is not None
    return Assessment(assessment_id, child_id, referral_id, kind, started, completed, factors, outcome)


@dataclass(frozen=True)
class FileSpec:
    """One file of the bundle: its columns, whether it must be present, its row parser."""

    name: str
    columns: tuple[str, ...]
    required: bool
    parse: Callable[[_Cells, dt.date], Record]


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
            "start_date", "end_date", "recorded_by",
        ),
        False,
        _relationship,
    ),
    FileSpec(
        "referrals",
        (
            "referral_id", "kind", "child_id", "received_on", "referrer_agency_id", "concerns",
            "outcome", "consent", "rag", "group_id",
        ),
        False,
        _referral,
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
)  # fmt: skip


def file_path(bundle: Path, spec: FileSpec) -> Path:
    """The path of one file of a bundle."""
    return bundle / f"{spec.name}.csv"


def read_rows(path: Path, spec: FileSpec) -> Iterator[Row | Problem]:
    """Yield each data row of a file, or the problems that make a row (or the file) unreadable.

    A wrong header is one problem for the whole file and no rows are read.
    """
    file = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            line = 1
            try:
                header = next(reader, None)
                if header is None:
                    yield Problem(file, 1, "", "empty file: a header row is required")
                    return
                names = [name.strip() for name in header]
                missing = [c for c in spec.columns if c not in names]
                unknown = [c for c in names if c not in spec.columns]
                if missing or unknown or len(set(names)) != len(names):
                    reason = "wrong header"
                    if missing:
                        reason += f"; missing {missing}"
                    if unknown:
                        reason += f"; unknown {unknown}"
                    if len(set(names)) != len(names):
                        reason += "; repeated column"
                    yield Problem(file, 1, "", reason + f"; expected {list(spec.columns)}")
                    return
                line = reader.line_num + 1
                width = len(names)
                for cells in reader:
                    if len(cells) != width:
                        if cells:
                            yield Problem(
                                file,
                                line,
                                "",
                                f"malformed row: {len(cells)} cells, expected {width}",
                            )
                    else:
                        yield Row(file, line, dict(zip(names, cells, strict=True)))
                    line = reader.line_num + 1
            except csv.Error:
                yield Problem(file, line, "", "malformed CSV (unbalanced quotes or a NUL byte)")
            except UnicodeDecodeError:
                yield Problem(file, line, "", "not valid UTF-8")
    except OSError:
        yield Problem(file, 0, "", "cannot be read")


def parse_row(spec: FileSpec, row: Row, today: dt.date) -> Record | list[Problem]:
    """Turn one row into its record, or into every problem found in it."""
    try:
        return spec.parse(_Cells(row.cells), today)
    except _RowInvalidError as failed:
        return [Problem(row.file, row.line, column, reason) for column, reason in failed.problems]
