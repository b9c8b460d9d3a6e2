"""Possible duplicates in a child's network: persons with identity candidates pending review.

In the identity view (docs/identity.md) a store marks each person one of whose records is in a
candidate pair waiting in the review queue (``pending_reviews`` on the Person node: the two record
ids and the match probability). A possible duplicate may hide something (the father police
name under another spelling, a second record of the child), so the household context and
audit 3 flag every such person in the child's network on a day ``d``: the child; its parents and
siblings on d; every person with an active membership (any agency) on d of one of the child's
households (its recorded households on d, or when it has none, those in which any agency records
it); every person in an active ``partner_of`` with one of its parents on d; and every person
mentioned in a contact or referral about the child received in a window.

>>> from familynet.model.identity_view import PendingReview
>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2016-01-01"); b.person("F", sex="male", date_of_birth="1980")
>>> b.relationship("F", "C", "parent_of", subtype="birth")
>>> b.graph.nodes["Person:F"]["pending_reviews"] = (PendingReview("F", "F9", 0.8),)
>>> possible_duplicates(b.graph, "C", dt.date(2024, 1, 1), dt.date(2023, 1, 1))
{'F': (PendingReview(left='F', right='F9', probability=0.8),)}
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from familynet.analyses.facts import either_facts, is_active, node_id, person
from familynet.analyses.households import members, memberships, recorded_households
from familynet.analyses.memo import remembered, remembers
from familynet.analyses.people import ADULT, INFANT, parents
from familynet.analyses.referrals import mentions, referrals_about
from familynet.analyses.siblings import siblings
from familynet.model.identity_view import PendingReview
from familynet.model.network import person_node

KIND = "possible_duplicate"


def network_on(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    since: dt.date,
    *,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> set[str]:
    """The child's network on ``day`` (see the module), with the persons mentioned in contacts and
    referrals about the child received in [``since``, ``day``]."""
    found = {child_id, *parents(graph, child_id, day)}
    found |= {s.person_id for s in siblings(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)}
    households = recorded_households(graph, child_id, day, infant_age=infant_age) or frozenset(
        m.household_id for m in memberships(graph, child_id, day)
    )
    found |= {m.person_id for h in households for m in members(graph, h, day)}
    for parent in parents(graph, child_id, day):
        found |= {
            node_id(o) for o, attrs in either_facts(graph, person_node(parent), "PARTNER_OF") if is_active(attrs, day)
        }
    for referral in referrals_about(graph, child_id, received=(since, day)):
        found |= {person_id for person_id, _ in mentions(graph, referral.referral_id)}
    return found


@remembered
def _under_review(graph: nx.MultiDiGraph) -> frozenset[str]:
    """The persons of the graph with pending reviews (a scan of every node)."""
    prefix = person_node("")
    return frozenset(
        node_id(key) for key, attrs in graph._node.items() if attrs.get("pending_reviews") and key.startswith(prefix)
    )


def possible_duplicates(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    since: dt.date,
    *,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> dict[str, tuple[PendingReview, ...]]:
    """Each person of the child's network on ``day`` (mentions since ``since``) with pending
    reviews, and those reviews, by person id."""
    # Most batches hold no one under review (a store loaded without linking, none at all): then
    # there is no network to walk. The scan of the whole graph is made once while its answers are
    # remembered (every audit of a batch), and never per child.
    if remembers(graph) and not _under_review(graph):
        person(graph, child_id)
        return {}
    nodes = graph.nodes
    return {
        p: nodes[person_node(p)]["pending_reviews"]
        for p in sorted(network_on(graph, child_id, day, since, adult_age=adult_age, infant_age=infant_age))
        if nodes[person_node(p)].get("pending_reviews")
    }
