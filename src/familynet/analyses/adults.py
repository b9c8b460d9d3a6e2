"""Significant adults of a child, and adults linked to children in several households.

A *significant adult* of a child on a day is an adult (alive, born, not a child)
other than the child's own parents who is:

- ``partner_of_parent``: in an active ``partner_of`` (not separated or divorced)
  with a parent of the child; ``via_id`` is the parent, ``role`` the partner subtype;
- ``household_member``: an active member, by any agency's record, of one of the
  child's recorded households; ``via_id`` is the household, ``role`` the membership role;
- ``mentioned``: mentioned in a contact or referral about the child or a sibling
  received on or before the day; ``via_id`` is the referral, ``role`` the mention role.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care")
>>> b.person("U", sex="male", date_of_birth="1980")
>>> for child, household in (("C1", "H1"), ("C2", "H2")):
...     b.person(child, date_of_birth="2015-01-01")
...     b.membership(child, household, role="child", recorded_by="SC")
...     b.membership("U", household, role="other", recorded_by="SC")
>>> [(a.person_id, a.households, a.children) for a in linked_adults(b.graph, dt.date(2024, 1, 1))]
[('U', ('H1', 'H2'), ('C1', 'C2'))]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import networkx as nx

from familynet.analyses.facts import Attrs, either_facts, is_active, node_id
from familynet.analyses.households import members, recorded_households
from familynet.analyses.parameters import check_parameters
from familynet.analyses.people import ADULT, ENDED_PARTNER_SUBTYPES, INFANT, is_adult, is_child, parents
from familynet.analyses.referrals import mentions, referrals_about
from familynet.analyses.siblings import siblings
from familynet.model.network import person_node


@dataclass(frozen=True, order=True)
class SignificantAdult:
    """One reason an adult is significant to a child."""

    person_id: str
    reason: str
    """``partner_of_parent``, ``household_member`` or ``mentioned``."""
    via_id: str
    """The parent, household or referral through which the adult is linked."""
    agency_id: str | None
    """The agency that recorded the link (the referrer, for a mention)."""
    role: str | None


@dataclass(frozen=True)
class LinkedAdult:
    """An adult significant to children of two or more households."""

    person_id: str
    households: tuple[str, ...]
    children: tuple[str, ...]


def _partners_of(graph: nx.MultiDiGraph, parent: str, day: dt.date) -> Iterator[tuple[str, Attrs]]:
    for other, attrs in either_facts(graph, person_node(parent), "PARTNER_OF"):
        if is_active(attrs, day) and attrs.get("subtype") not in ENDED_PARTNER_SUBTYPES:
            yield node_id(other), attrs


def significant_adults(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    *,
    sibling_ids: Collection[str] | None = None,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> tuple[SignificantAdult, ...]:
    """The significant adults of the child on ``day``, sorted; ``sibling_ids`` saves
    working the siblings out again when the caller has them."""
    if sibling_ids is None:
        sibling_ids = [s.person_id for s in siblings(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)]
    own_parents = parents(graph, child_id, day)
    found: set[SignificantAdult] = set()
    for parent in own_parents:
        for partner, attrs in _partners_of(graph, parent, day):
            found.add(
                SignificantAdult(partner, "partner_of_parent", parent, attrs.get("recorded_by"), attrs.get("subtype"))
            )
    for household in recorded_households(graph, child_id, day, infant_age=infant_age):
        for m in members(graph, household, day):
            found.add(SignificantAdult(m.person_id, "household_member", household, m.agency_id, m.role))
    for subject in (child_id, *sibling_ids):
        for referral in referrals_about(graph, subject):
            if referral.received_on <= day:
                for other, role in mentions(graph, referral.referral_id):
                    found.add(
                        SignificantAdult(other, "mentioned", referral.referral_id, referral.referrer_agency_id, role)
                    )
    return tuple(
        sorted(
            a
            for a in found
            if a.person_id != child_id
            and a.person_id not in own_parents
            and is_adult(graph, a.person_id, day, adult_age=adult_age)
        )
    )


def linked_adults(
    graph: nx.MultiDiGraph, day: dt.date, *, min_households: int = 2, adult_age: int = ADULT, infant_age: int = INFANT
) -> tuple[LinkedAdult, ...]:
    """Adults who are parents or significant adults of children, on ``day``, across at least
    ``min_households`` of those children's recorded households; ranked by households, then
    children (most first), then id. Looks at every child in the graph."""
    check_parameters(min_households=min_households, adult_age=adult_age, infant_age=infant_age)
    households: dict[str, set[str]] = {}
    linked: dict[str, set[str]] = {}
    for _key, attrs in graph.nodes(data=True):
        if attrs.get("label") != "Person" or not is_child(graph, attrs["id"], day, adult_age=adult_age):
            continue
        child_id = attrs["id"]
        adults = {
            a.person_id for a in significant_adults(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)
        }
        adults |= {p for p in parents(graph, child_id, day) if is_adult(graph, p, day, adult_age=adult_age)}
        homes = recorded_households(graph, child_id, day, infant_age=infant_age)
        for adult in adults:
            households.setdefault(adult, set()).update(homes)
            linked.setdefault(adult, set()).add(child_id)
    found = [
        LinkedAdult(adult, tuple(sorted(homes)), tuple(sorted(linked[adult])))
        for adult, homes in households.items()
        if len(homes) >= min_households
    ]
    return tuple(sorted(found, key=lambda a: (-len(a.households), -len(a.children), a.person_id)))
