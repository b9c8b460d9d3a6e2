"""A hand-made family with linked duplicates, for the identity view of the audits.

Social care records a mother, a father and their child C at home (H1), and an unborn
baby U of a second mother. Police record the father again (FP, "Jon Smyth") at H1 and name
him in a contact about C; health record the baby at birth (B) and refer it. Linking FP to F
and B to U (:func:`link_duplicates`) makes one father and one baby.
"""

from __future__ import annotations

import datetime as dt

from familynet.identity.resolution import Thresholds, decide
from familynet.model.identity import Decision, DecisionKind
from familynet.model.records import (
    Assessment,
    Household,
    Membership,
    Mention,
    Person,
    Record,
    Referral,
    Relationship,
)
from familynet.stores.protocol import Store
from identity_records import AGENCIES, HEA, POL, SC, parent_of, person

D = dt.date
START, END = D(2024, 1, 1), D(2024, 12, 31)
AT = dt.datetime(2025, 1, 2, 9, 0, tzinfo=dt.UTC)
THRESHOLDS = Thresholds(link=0.99, review=0.5)
#: The duplicates: (social care's record, the other agency's).
DUPLICATES = (("F", "FP"), ("U", "B"))


def _member(household: str, person_id: str, role: str, by: str = SC) -> Membership:
    return Membership(household, person_id, role, D(2020, 1, 1), None, by)


def _referral(ident: str, child: str, received: dt.date, by: str, kind: str = "referral") -> Referral:
    return Referral(ident, kind, child, received, by, ("3A",), "assessment", None, None, None)


def family() -> list[Record]:
    """Every record of the family."""
    return [
        *AGENCIES,
        person("M", "Mary", "Kowalczyk", "1990-05-06", "female"),
        person("F", "John", "Smith", "1985-01-02"),
        person("FP", "Jon", "Smyth", "1985-01-02", by=POL),
        person("C", "Jonathan", "Smith", "2016-03-04"),
        person("S", "Sara", "Smith", "2018-06-07", "female"),
        person("M2", "Ada", "Okafor", "1998-02-03", "female"),
        Person("U", None, "Okafor", None, D(2024, 5, 1), "unknown", None, None, SC),
        person("B", "Grace", "Okafor", "2024-04-28", "female", by=HEA),
        parent_of("M", "C"),
        parent_of("F", "C"),
        parent_of("M", "S"),
        parent_of("F", "S"),
        parent_of("M2", "U"),
        Relationship("M", "F", "partner_of", "married", None, D(2014, 1, 1), None, SC),
        Household("H1", "1 Street", "AB1 2CD", None),
        Household("H2", "2 Road", "AB1 3EF", None),
        _member("H1", "M", "parent"),
        _member("H1", "F", "parent"),
        _member("H1", "C", "child"),
        _member("H1", "FP", "parent", by=POL),
        _member("H2", "M2", "parent"),
        _member("H2", "B", "child", by=HEA),
        _referral("R1", "C", D(2024, 3, 1), POL, "contact"),
        Mention("R1", "FP", "household_member"),
        _referral("R2", "U", D(2024, 2, 1), SC),
        _referral("R3", "B", D(2024, 6, 1), HEA),
        _referral("R4", "C", D(2024, 9, 1), SC),
        Assessment("A1", "C", "R4", "child_and_family", D(2024, 9, 2), D(2024, 10, 1), (), "nfa"),
    ]


def link_duplicates(store: Store, kind: DecisionKind = DecisionKind.LINK) -> None:
    """A reviewer's decision about each pair of duplicates (link, or unlink)."""
    for left, right in DUPLICATES:
        decide(store, Decision(kind, left, right, "reviewer", f"checked {kind.value}", AT), THRESHOLDS)
