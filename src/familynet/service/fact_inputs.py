"""The input types of the mutations: the facts a caller records, one bundle row (or a few) each."""

from __future__ import annotations

import strawberry


@strawberry.input(
    description="A person. Dates are YYYY-MM-DD (a date of birth may be YYYY or YYYY-MM). Updating a person on "
    "record, a field left out keeps its recorded value and null clears it."
)
class PersonInput:
    person_id: strawberry.ID
    given_name: str | None = strawberry.UNSET
    family_name: str | None = strawberry.UNSET
    date_of_birth: str | None = strawberry.UNSET
    expected_date_of_birth: str | None = strawberry.UNSET
    sex: str | None = strawberry.UNSET
    date_of_death: str | None = strawberry.UNSET
    nhs_number: str | None = strawberry.UNSET
    confidential: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True: the person's identity or whereabouts must not be disclosed. Left out: as recorded "
        "(false for a new person); null: false.",
    )


@strawberry.input(description="A person's membership of a household; address fields record the household too.")
class HouseholdMembershipInput:
    household_id: str
    person_id: strawberry.ID
    role: str
    start_date: str | None = None
    end_date: str | None = None
    address: str | None = None
    postcode: str | None = None
    uprn: str | None = None


@strawberry.input(description="A parent_of, partner_of or sibling_of fact.")
class RelationshipInput:
    person_id: strawberry.ID
    related_person_id: strawberry.ID
    type: str
    subtype: str | None = None
    parental_responsibility: bool | None = None
    start_date: str | None = None
    end_date: str | None = None
    twin: str | None = strawberry.field(
        default=None,
        description="sibling_of only: whether two siblings of one birth are identical twins: identical, "
        "non_identical or unknown. Left out or null states nothing: the value recorded stays.",
    )


@strawberry.input(description="A person named in a referral and their role in it.")
class MentionInput:
    person_id: strawberry.ID
    role: str


@strawberry.input(description="A contact or referral about a child, with the persons it mentions.")
class ReferralInput:
    referral_id: str
    kind: str
    child_id: strawberry.ID
    received_on: str
    referrer_agency_id: str | None = strawberry.field(default=None, description="Default: the caller's agency.")
    concerns: list[str] = strawberry.field(default_factory=list)
    outcome: str | None = None
    consent: str | None = None
    rag: str | None = None
    group_id: str | None = None
    mentions: list[MentionInput] = strawberry.field(default_factory=list)


@strawberry.input(description="An assessment of a child.")
class AssessmentInput:
    assessment_id: str
    child_id: strawberry.ID
    kind: str
    started_on: str
    referral_id: str | None = None
    completed_on: str | None = None
    factors: list[str] = strawberry.field(default_factory=list)
    outcome: str | None = None


@strawberry.input(description="End a membership your agency recorded (the one starting on startDate, if several).")
class EndHouseholdMembershipInput:
    household_id: str
    person_id: strawberry.ID
    end_date: str
    start_date: str | None = None
