"""Hand-made records for the identity tests: three agencies and a helper for persons."""

from __future__ import annotations

import datetime as dt

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
