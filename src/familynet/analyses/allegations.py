"""The household context flag ``alleged_perpetrator_in_household``.

Raised for a person other than the child, mentioned with role ``alleged_perpetrator``
in any contact or referral, about any child, received in [d − ``flag_months`` months, d],
who on d has an active membership (by any agency) of one of the child's households, or is
in an active married, civil_partner, cohabiting or dating ``partner_of`` with a parent of
the child. The child's households are its recorded households on d or, when it has none,
the households in which any agency records it as an active member on d. Allegations about
other families' children count too: a man alleged to have harmed another child who has
since moved in with this one is the risk the flag exists for.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care")
>>> b.person("C", date_of_birth="2016-01-01"); b.person("X", sex="male", date_of_birth="1980")
>>> b.person("O", date_of_birth="2012-01-01")
>>> b.household("H"); b.membership("C", "H", role="child", recorded_by="SC")
>>> b.membership("X", "H", role="partner_of_parent", recorded_by="SC", start_date="2024-03-01")
>>> b.referral("R1", "O", received_on="2023-12-01"); b.mention("R1", "X", role="alleged_perpetrator")
>>> [(f.person_id, [str(e) for e in f.evidence]) for f in alleged_perpetrators(b.graph, "C", dt.date(2024, 6, 1))]
[('X', ['referral=R1 about=other_child', 'agency=SC household=H'])]
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from familynet.analyses.facts import either_facts, in_facts, is_active, node_id, person
from familynet.analyses.households import members, memberships, recorded_households
from familynet.analyses.missing import Evidence, Finding
from familynet.analyses.people import ADULT, INFANT, parents
from familynet.analyses.siblings import siblings
from familynet.model.dates import months_before
from familynet.model.network import person_node

#: The partnerships with a parent that bring a person into the child's home.
PARTNER_SUBTYPES = frozenset({"married", "civil_partner", "cohabiting", "dating"})
KIND = "alleged_perpetrator_in_household"
#: Calendar months back from the day whose contacts and referrals raise the flag, by default.
FLAG_MONTHS = 12


def _near(graph: nx.MultiDiGraph, child_id: str, day: dt.date, infant_age: int) -> dict[str, list[Evidence]]:
    """Each person (not the child) in the child's households or a partner of its parent on ``day``,
    with the membership or relationship that brings them there."""
    households = recorded_households(graph, child_id, day, infant_age=infant_age) or frozenset(
        m.household_id for m in memberships(graph, child_id, day)
    )
    near: dict[str, list[Evidence]] = {}
    for household in sorted(households):
        for m in members(graph, household, day):
            if m.person_id != child_id:
                near.setdefault(m.person_id, []).append(Evidence(agency_id=m.agency_id, household_id=household))
    for parent in sorted(parents(graph, child_id, day)):
        for other, attrs in either_facts(graph, person_node(parent), "PARTNER_OF"):
            partner = node_id(other)
            if partner != child_id and attrs.get("subtype") in PARTNER_SUBTYPES and is_active(attrs, day):
                evidence = Evidence(
                    agency_id=attrs.get("recorded_by"), parent_id=parent, relationship=f"partner_of:{attrs['subtype']}"
                )
                near.setdefault(partner, []).append(evidence)
    return near


def alleged_perpetrators(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    *,
    flag_months: int = FLAG_MONTHS,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> tuple[Finding, ...]:
    """The ``alleged_perpetrator_in_household`` flags of the child on ``day``, one per person: as
    evidence every alleging referral in the window (marked ``child``, ``sibling`` of the child on
    the referral's date, or ``other_child``), then the memberships and relationships."""
    person(graph, child_id)
    opens = months_before(day, flag_months)
    nodes = graph._node
    on_day: dict[dt.date, frozenset[str]] = {}
    found = []
    for other, placed in sorted(_near(graph, child_id, day, infant_age).items()):
        alleging = []
        for key, attrs in in_facts(graph, person_node(other), "MENTIONS"):
            referral = nodes[key]
            received = referral.get("received_on")
            if attrs.get("role") != "alleged_perpetrator" or received is None or not opens <= received <= day:
                continue
            if received not in on_day:
                found_siblings = siblings(graph, child_id, received, adult_age=adult_age, infant_age=infant_age)
                on_day[received] = frozenset(s.person_id for s in found_siblings)
            subject = referral.get("child_id")
            about = "child" if subject == child_id else "sibling" if subject in on_day[received] else "other_child"
            alleging.append(
                Evidence(referral_id=node_id(key), agency_id=referral.get("referrer_agency_id"), about=about)
            )
        if alleging:
            evidence = tuple(sorted(set(alleging))) + tuple(dict.fromkeys(placed))
            found.append(Finding(KIND, child_id, other, evidence))
    return tuple(found)
