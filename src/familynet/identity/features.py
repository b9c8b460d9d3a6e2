"""What identity resolution compares: one row of features per record, built from a store's facts.

Names are folded (accents, case, punctuation: :func:`~familynet.stores.name_search.name_key`),
given names also mapped to their variant group (:mod:`familynet.identity.variants`) and both to
a phonetic code (Metaphone); dates of birth are split into parts; an NHS number counts only when
its check digit is valid. Addresses are the record's households and their UPRNs and postcodes,
over all time. The family context is the record's relatives, as record ids (``P:`` parents,
``C:`` children, ``R:`` partners, ``S:`` siblings) and as *similar* keys (the same letters in
lower case: canonical given name, phonetic family name and year of birth), from relationships
and from the contacts that mention the record as a parent or carer of their child. Dates are
also given as day numbers (``dob_days``, ``expected_days``: days since 1 January of year 1), so
that the model's SQL compares them with plain arithmetic, the same on DuckDB and Spark.

>>> person = Person("P1", "Zoë", "Smith-Jones", PartialDate(2015, 3, 4), None, "female", None, None, None)
>>> row = feature_row(person, Context())
>>> row["given"], row["given_canon"], row["family_parts"], row["dob"], row["sex"]
('zoe', 'zoe', ['smith', 'jones'], '2015-03-04', 'female')
>>> row["dob_days"] - PartialDate(2015, 3, 3).earliest().toordinal(), row["kin"], row["parents"]
(1, None, None)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jellyfish

from familynet.identity.variants import canonical_given
from familynet.model.dates import PartialDate
from familynet.model.nhs import is_valid_nhs_number
from familynet.model.records import Household, Membership, Mention, Person, Relationship
from familynet.stores.name_search import name_key

#: Mention roles that make the mentioned person a parent figure of the contact's child.
PARENT_ROLES = frozenset({"parent", "carer"})


@dataclass
class Context:
    """What a record's rows need beyond the person: its addresses and relatives."""

    homes: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    relatives: set[str] = field(default_factory=set)
    similar: set[str] = field(default_factory=set)
    circle: set[str] = field(default_factory=set)


def phonetic(name: str) -> str:
    """The Metaphone code of a folded name (its tokens' codes, spaced).

    >>> phonetic("smith") == phonetic("smyth")
    True
    """
    return " ".join(jellyfish.metaphone(token) for token in name.split())


def person_key(person: Person) -> str:
    """A key shared by records that look like one person: canonical given name, phonetic family
    name, year of birth.

    >>> person_key(Person("P1", "Bill", "Smyth", PartialDate(1980), None, "male", None, None, None))
    'william|SM0|1980'
    """
    year = "" if person.date_of_birth is None else str(person.date_of_birth.year)
    return f"{canonical_given(person.given_name)}|{phonetic(name_key(person.family_name))}|{year}"


def contexts(
    persons: dict[str, Person],
    households: Iterable[Household],
    memberships: Iterable[Membership],
    relationships: Iterable[Relationship],
    children: Mapping[str, str],
    mentions: Iterable[Mention],
) -> dict[str, Context]:
    """Every record's addresses and relatives; ``children`` is the child of each contact or
    referral (by id) that a mention names."""
    found: dict[str, Context] = defaultdict(Context)
    places = {h.household_id: h for h in households}
    for member in memberships:
        context = found[member.person_id]
        context.homes.add(f"H:{member.household_id}")
        home = places.get(member.household_id)
        if home is not None and home.uprn:
            context.homes.add(f"U:{home.uprn}")
        if home is not None and home.postcode:
            context.postcodes.add(home.postcode.replace(" ", "").upper())

    def relate(person_id: str, kind: str, other_id: str) -> None:
        other = persons.get(other_id)
        context = found[person_id]
        context.relatives.add(f"{kind}:{other_id}")
        if other is not None:
            context.similar.add(f"{kind.lower()}:{person_key(other)}")

    inverse = {"parent_of": ("C", "P"), "partner_of": ("R", "R"), "sibling_of": ("S", "S")}
    for fact in relationships:
        forward, backward = inverse[fact.type]
        relate(fact.person_id, forward, fact.related_person_id)
        relate(fact.related_person_id, backward, fact.person_id)
    for mention in mentions:
        child = children.get(mention.referral_id)
        if child is None or child == mention.person_id:
            continue
        found[mention.person_id].circle.add(child)
        if mention.role in PARENT_ROLES:
            relate(mention.person_id, "C", child)
    _circles(found)
    return found


def _circles(found: dict[str, Context]) -> None:
    """Add to each record's circle the children of its family: its children, its siblings, its
    parents' and its partners' children (itself left out). A police record named only in a
    contact about child C (a sibling, an alleged perpetrator) then meets the social-care record
    of the same person, a relative of C, in C's circle."""
    children = {pid: {r[2:] for r in c.relatives if r.startswith("C:")} for pid, c in found.items()}
    for pid, context in list(found.items()):
        family = set(children[pid])
        for r in context.relatives:
            kind, other = r[:2], r[2:]
            if kind == "S:":
                family.add(other)
            elif kind in ("P:", "R:"):
                family |= children.get(other, set())
        context.circle |= family - {pid}


#: The columns of :func:`feature_row` as a Spark DDL schema (Spark cannot infer a column that is
#: empty in every row).
SCHEMA = (
    "unique_id string, given string, given_canon string, given_phonetic string, family string, "
    "family_phonetic string, family_parts array<string>, dob string, dob_year int, dob_month int, dob_day int, "
    "dob_days int, expected_days int, sex string, nhs string, homes array<string>, home string, "
    "postcodes array<string>, kin array<string>, parents array<string>, children array<string>, "
    "partners array<string>, kin_keys array<string>, circle array<string>"
)


def _kind(relatives: set[str], kind: str) -> list[str] | None:
    return sorted(r for r in relatives if r.startswith(kind)) or None


def person_features(person: Person) -> dict[str, Any]:
    """The columns of a record's feature row that come from the person alone (every column of
    :func:`feature_row` before ``homes``).

    >>> person_features(Person("P1", "Bill", None, None, None, "unknown", None, None, None))["given_canon"]
    'william'
    """
    given, family = name_key(person.given_name), name_key(person.family_name)
    dob = person.date_of_birth
    expected = person.expected_date_of_birth
    nhs = (person.nhs_number or "").replace(" ", "")
    return {
        "unique_id": person.person_id,
        "given": given or None,
        "given_canon": canonical_given(person.given_name) or None,
        "given_phonetic": phonetic(given) or None,
        "family": family or None,
        "family_phonetic": phonetic(family) or None,
        "family_parts": family.split() or None,
        "dob": None if dob is None else str(dob),
        "dob_year": None if dob is None else dob.year,
        "dob_month": None if dob is None else dob.month,
        "dob_day": None if dob is None else dob.day,
        "dob_days": dob.earliest().toordinal() if dob is not None and dob.is_full else None,
        "expected_days": None if expected is None else expected.toordinal(),
        "sex": person.sex if person.sex in ("female", "male") else None,
        "nhs": nhs if nhs and is_valid_nhs_number(nhs) else None,
    }


def feature_row(person: Person, context: Context) -> dict[str, Any]:
    """The row Splink compares for one record (column names as in :mod:`familynet.identity.comparisons`)."""
    return person_features(person) | {
        "homes": sorted(context.homes) or None,
        "home": min(context.homes, default=None),
        "postcodes": sorted(context.postcodes) or None,
        # Relatives of a kind a record's duplicate shares: parents (a child's), children (a parent's), partners.
        "kin": sorted(r for r in context.relatives if r[0] in "PCR") or None,
        "parents": _kind(context.relatives, "P:"),
        "children": _kind(context.relatives, "C:"),
        "partners": _kind(context.relatives, "R:"),
        "kin_keys": sorted(context.similar) or None,
        "circle": sorted(context.circle) or None,
    }


def dob_bounds(dob: PartialDate | None) -> tuple[int, int] | None:
    """The first and last ordinal day a (partial) date of birth can mean."""
    return None if dob is None else (dob.earliest().toordinal(), dob.latest().toordinal())
