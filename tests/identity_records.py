"""Hand-made records for the identity tests: three agencies and a helper for persons."""

from __future__ import annotations

import datetime as dt

from bundles import FAMILY, Rows
from familynet.model.dates import PartialDate
from familynet.model.records import Agency, Household, Membership, Person, Relationship

SC, POL, HEA = "SC", "POL", "HEA"
AGENCIES = [Agency(SC, "Children's Services", "social_care"), Agency(POL, "Police", "police"),
            Agency(HEA, "Health", "health")]  # fmt: skip


def person(
    pid: str,
    given: str | None,
    family: str | None,
    dob: str | None,
    sex: str = "male",
    *,
    nhs: str | None = None,
    by: str = SC,
    confidential: bool = False,
) -> Person:
    """A record of a person."""
    born = None if dob is None else PartialDate.parse(dob)
    return Person(pid, given, family, born, None, sex, None, nhs, by, confidential)


def unborn(pid: str, family: str | None, expected: str, *, by: str = SC) -> Person:
    """A record of a child before birth: no given name, no date of birth or sex, an expected date."""
    return Person(pid, None, family, None, dt.date.fromisoformat(expected), "unknown", None, None, by)


def parent_of(parent: str, child: str, by: str = SC) -> Relationship:
    """``parent`` is a birth parent of ``child``."""
    return Relationship(parent, child, "parent_of", "birth", None, None, None, by)


def home(household: str, *members: str, by: str = SC, postcode: str = "AB1 2CD") -> list[object]:
    """A household and its members, as ``by`` recorded them."""
    return [Household(household, "1 Street", postcode, None), *members_of(household, *members, by=by)]


def members_of(household: str, *members: str, by: str = SC) -> list[Membership]:
    """Members of a household, as ``by`` recorded them."""
    return [Membership(household, m, "child", dt.date(2020, 1, 1), None, by) for m in members]


#: FAMILY with the mother also recorded by police (with her NHS number, in the household's
#: police view) and a twin of her son recorded by health.
DUPLICATED: dict[str, Rows] = {
    **FAMILY,
    "persons": [
        *FAMILY["persons"],
        {"person_id": "P5", "given_name": "Zoe", "family_name": "Nguyen", "date_of_birth": "1990-04-12",
         "sex": "female", "nhs_number": "943 476 5919", "recorded_by": "A2"},
        {"person_id": "P6", "given_name": "Tim", "family_name": "Nguyễn", "date_of_birth": "2018-01-02",
         "sex": "male", "recorded_by": "A2"},
    ],
    "household_members": [
        *FAMILY["household_members"],
        {"household_id": "H1", "person_id": "P5", "role": "parent", "recorded_by": "A2"},
        {"household_id": "H1", "person_id": "P6", "role": "child", "recorded_by": "A2"},
    ],
    "relationships": [
        *FAMILY["relationships"],
        {"person_id": "P1", "related_person_id": "P6", "type": "parent_of", "subtype": "birth", "recorded_by": "A2"},
    ],
}  # fmt: skip
