"""Export profiles: what a named profile keeps of each fact (``graph/imports/export_profiles.toml``).

A profile degrades records one at a time, as liia-tools' "degrade" does for Annex A, but for
every fact familynet holds: names dropped, dates of birth coarsened, places cut to a postcode
sector or district, ids replaced by a keyed hash, free text and NHS numbers dropped, and
confidential persons left out with every fact about them.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace

from familynet.errors import ConfigurationError
from familynet.imports.values import mapping
from familynet.model.dates import PartialDate
from familynet.model.records import (
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

#: Id fields of each record class that name a person, household, referral or fact (never an agency).
_IDS = {
    Person: ("person_id",), Household: ("household_id",), Membership: ("household_id", "person_id"),
    Relationship: ("person_id", "related_person_id"), Referral: ("referral_id", "child_id", "group_id"),
    Mention: ("referral_id", "person_id"), Assessment: ("assessment_id", "child_id", "referral_id"),
    Plan: ("plan_id", "child_id"), Check: ("check_id", "referral_id"), Consideration: ("referral_id", "person_id"),
}  # fmt: skip
#: The person fields of each record class: a fact about a person left out is left out too.
_PERSONS = {
    Membership: ("person_id",), Relationship: ("person_id", "related_person_id"), Referral: ("child_id",),
    Mention: ("person_id",), Assessment: ("child_id",), Plan: ("child_id",),
    Consideration: ("person_id",),
}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """One named export profile (the keys of ``export_profiles.toml``)."""

    name: str
    names: bool
    date_of_birth: str
    place: str
    ids: str
    nhs_numbers: bool
    free_text: bool
    confidential: str


def profile(name: str) -> Profile:
    """The profile called ``name``.

    >>> profile("research").ids
    'keyed_hash'
    """
    profiles = mapping("export_profiles")
    if name not in profiles:
        raise ConfigurationError(f"no export profile {name!r}; the profiles are {sorted(profiles)}")
    return Profile(name, **profiles[name])


class Degrader:
    """Applies a profile to records, file by file in bundle order, remembering what it left out."""

    def __init__(self, chosen: Profile, key: bytes | None) -> None:
        if chosen.ids == "keyed_hash" and not key:
            raise ConfigurationError(f"the {chosen.name} profile hashes ids: set FAMILYNET_EXPORT_KEY")
        self.profile = chosen
        self.key = key or b""
        self.left_out: set[str] = set()
        self.persons: list[str] = []

    def hashed(self, value: str) -> str:
        """A keyed hash of an id: stable for the same key, meaningless without it.

        >>> Degrader(profile("research"), b"k").hashed("P1") == Degrader(profile("research"), b"k").hashed("P1")
        True
        """
        return "H" + hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()[:24]

    def degrade(self, record: Record) -> Record | None:
        """The record as the profile lets it out, or None when it is left out."""
        p = self.profile
        cls = type(record)
        if any(getattr(record, f) in self.left_out for f in _PERSONS.get(cls, ())):
            if isinstance(record, Referral):
                self.left_out.add(record.referral_id)
            return None
        if isinstance(record, Mention | Assessment | Check | Consideration) and record.referral_id in self.left_out:
            if not isinstance(record, Assessment):
                return None
            record = replace(record, referral_id=None)
        if isinstance(record, Person):
            if record.confidential and p.confidential == "left_out":
                self.left_out.add(record.person_id)
                return None
            self.persons.append(record.person_id)
            record = self._person(record)
        elif isinstance(record, Household):
            record = self._household(record)
        elif isinstance(record, Assessment) and not p.free_text:
            record = replace(record, outcome=None)
        if p.ids == "keyed_hash":
            changes = {f: self.hashed(v) for f in _IDS.get(cls, ()) if (v := getattr(record, f))}
            record = replace(record, **changes)  # type: ignore[arg-type]
        return record

    def _person(self, person: Person) -> Person:
        p = self.profile
        born, expected = person.date_of_birth, person.expected_date_of_birth
        if p.date_of_birth != "day":
            born = _coarse(born, p.date_of_birth)
            expected = expected.replace(day=1) if expected else None
        return replace(
            person,
            given_name=person.given_name if p.names else None,
            family_name=person.family_name if p.names else None,
            date_of_birth=born,
            expected_date_of_birth=expected,
            nhs_number=person.nhs_number if p.nhs_numbers else None,
        )

    def _household(self, household: Household) -> Household:
        place = self.profile.place
        if place == "address":
            return household
        return replace(household, address=_area(household.postcode, place), postcode=None, uprn=None)


def _coarse(born: PartialDate | None, precision: str) -> PartialDate | None:
    """A date of birth to its month (``month``) or to the first of its month (``first_of_month``).

    >>> born = PartialDate.parse("2015-04-03")
    >>> str(_coarse(born, "month")), str(_coarse(born, "first_of_month"))
    ('2015-04', '2015-04-01')
    >>> str(_coarse(PartialDate.parse("2015"), "first_of_month"))
    '2015'
    """
    if born is None or born.month is None:
        return born
    if precision == "month":
        return PartialDate(born.year, born.month, None)
    return PartialDate(born.year, born.month, 1)


def _area(postcode: str | None, place: str) -> str | None:
    """A postcode's sector (``FN4 9``) or district (``FN4``).

    >>> _area("FN4 9QL", "sector"), _area("FN4 9QL", "district"), _area(None, "sector")
    ('FN4 9', 'FN4', None)
    """
    if not postcode:
        return None
    bare = postcode.replace(" ", "").upper()
    outward, inward = bare[:-3], bare[-3:]
    return f"{outward} {inward[0]}" if place == "sector" else outward
