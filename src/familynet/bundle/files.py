"""The ingest bundle: a directory of UTF-8 CSV files, read and checked row by row.

This module knows the files, their columns and how each cell must look: each file's
parser turns a batch of rows, column by column (:mod:`familynet.bundle.columns`), into
:mod:`familynet.model.records` records or problems, without looking at any other row or
at the store (:mod:`familynet.bundle.ingest` checks references, duplicates and
plausibility across rows). Rows are read in batches by :mod:`familynet.bundle.reader` and
parsed by :mod:`familynet.bundle.parser`; their functions are named here too, as the
bundle's interface to importers.

Problems name the file, line, column and reason, never the value of a personal
field, so they can be logged and shown to anyone who runs the load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from familynet.bundle.columns import Columns
from familynet.bundle.frontdoor import check_rows, consideration_rows, plan_rows
from familynet.bundle.parser import parse_batch, parse_row
from familynet.bundle.reader import BATCH_SIZE, Batch, Row, read_batches, read_rows
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
from familynet.model.vocabulary import vocabulary

__all__ = [
    "BATCH_SIZE",
    "FILES",
    "Batch",
    "FileSpec",
    "Row",
    "file_path",
    "parse_batch",
    "parse_row",
    "read_batches",
    "read_rows",
]

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
_UPRN = re.compile(r"^[0-9]{1,12}$")
_NHS_INVALID = "not a valid NHS number (ten digits with a modulus 11 check digit)"


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
