"""The facts familynet holds, as frozen dataclasses with no I/O.

One class per ingest file; a validated bundle row becomes one of these and a
store writes it. Unknown values are ``None``; lists are tuples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from familynet.model.dates import PartialDate


@dataclass(frozen=True, slots=True)
class Agency:
    """An organisation that records facts or makes referrals."""

    agency_id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Person:
    """A child or adult. ``recorded_by`` is the agency whose record this is."""

    person_id: str
    given_name: str | None
    family_name: str | None
    date_of_birth: PartialDate | None
    expected_date_of_birth: dt.date | None
    sex: str
    date_of_death: dt.date | None
    nhs_number: str | None
    recorded_by: str | None
    confidential: bool = False
    """The person's identity or whereabouts must not be disclosed (a parent in a refuge, an
    adopted child's birth relative): a redacted genogram leaves them out."""


@dataclass(frozen=True, slots=True)
class Household:
    """A dwelling where a family lives."""

    household_id: str
    address: str | None
    postcode: str | None
    uprn: str | None


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's membership of a household, as one agency recorded it."""

    household_id: str
    person_id: str
    role: str
    start_date: dt.date | None
    end_date: dt.date | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Relationship:
    """``parent_of``, ``partner_of`` or ``sibling_of`` between two people."""

    person_id: str
    related_person_id: str
    type: str
    subtype: str | None
    parental_responsibility: bool | None
    start_date: dt.date | None
    end_date: dt.date | None
    recorded_by: str
    twin: str | None = None
    """For a ``sibling_of`` between two children of one birth: ``identical``, ``non_identical`` or ``unknown``."""


@dataclass(frozen=True, slots=True)
class Referral:
    """A contact or referral about a child (or unborn child)."""

    referral_id: str
    kind: str
    child_id: str
    received_on: dt.date
    referrer_agency_id: str | None
    concerns: tuple[str, ...]
    outcome: str | None
    consent: str | None
    rag: str | None
    group_id: str | None
    received_at: dt.datetime | None = None
    """When the MASH received it (an instant; its date in Europe/London is ``received_on``)."""
    decided_at: dt.datetime | None = None
    """When the MASH decided what to do."""
    feedback_sent_on: dt.date | None = None
    """When the referrer was told the outcome."""
    threshold_stated: str | None = None
    """The level of need the referrer gave."""
    supplied: frozenset[str] = frozenset()
    """Which of the four optional facts above a load supplied (:data:`SUPPLIABLE_REFERRAL_FIELDS`):
    one not supplied is None because the source said nothing of it, not because it was not done;
    and which optional files of facts about the referral (:data:`SUPPLIABLE_REFERRAL_FILES`)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A person named in a referral, with their role in it."""

    referral_id: str
    person_id: str
    role: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """An assessment of a child, usually following a referral."""

    assessment_id: str
    child_id: str
    referral_id: str | None
    kind: str
    started_on: dt.date | None
    completed_on: dt.date | None
    factors: tuple[str, ...]
    outcome: str | None


@dataclass(frozen=True, slots=True)
class Check:
    """A MASH's request to an agency for what it knows about the child of a referral.

    ``responded_at`` is None while there is no response, and ``response`` then too.
    """

    check_id: str
    referral_id: str
    agency_id: str
    requested_at: dt.datetime
    responded_at: dt.datetime | None
    response: str | None
    recorded_by: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A child in need, child protection, looked-after or early help plan for a child."""

    plan_id: str
    child_id: str
    kind: str
    start_date: dt.date | None
    end_date: dt.date | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Consideration:
    """That the MASH considered a person (typically a sibling) when it dealt with a referral,
    and what it decided for them (a referral outcome code)."""

    referral_id: str
    person_id: str
    considered_on: dt.date
    outcome: str | None
    recorded_by: str | None = None


Record = (
    Agency | Person | Household | Membership | Relationship | Referral | Mention | Assessment
    | Check | Plan | Consideration
)  # fmt: skip

#: The optional facts of a referral, each stored with whether a load supplied its column:
#: not supplied is not the same as recorded as unknown (docs/bundle.md).
SUPPLIABLE_REFERRAL_FIELDS = ("received_at", "decided_at", "feedback_sent_on", "threshold_stated")
#: The optional files whose facts hang off a referral: a load that holds the file supplies
#: them for each referral it loads (none in the file then means none made), and a load
#: without it says nothing about them.
SUPPLIABLE_REFERRAL_FILES = ("checks", "considerations", "plans")

#: Bundle file stem for each record class, in the order a bundle loads.
FILES: dict[type[Record], str] = {
    Agency: "agencies",
    Person: "persons",
    Household: "households",
    Membership: "household_members",
    Relationship: "relationships",
    Referral: "referrals",
    Mention: "referral_mentions",
    Assessment: "assessments",
    Check: "checks",
    Plan: "plans",
    Consideration: "considerations",
}


def field_names(cls: type[Record]) -> tuple[str, ...]:
    """The field names of a record class, in order.

    >>> field_names(Mention)
    ('referral_id', 'person_id', 'role')
    """
    return tuple(f.name for f in fields(cls))
