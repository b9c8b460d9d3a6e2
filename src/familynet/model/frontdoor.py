"""The front door's facts in the family graph (issue 14): checks, plans and considerations.

A part of :class:`~familynet.model.network.FamilyGraphBuilder`, whose docstring is the
contract: ``Check`` nodes (``FOR`` a referral, ``TO`` the agency asked), ``Plan`` nodes
(``OF`` the child) and ``CONSIDERED`` edges from a referral to a person.
"""

from __future__ import annotations

from familynet.model.graphwriter import GraphWriter
from familynet.model.instants import instant
from familynet.model.keys import agency_node, check_node, person_node, plan_node, referral_node
from familynet.model.values import DateLike, InstantLike, date_value


class FrontDoorFacts(GraphWriter):
    """Adds the front door's facts to the graph."""

    def check(
        self,
        ident: str,
        referral_id: str,
        agency_id: str,
        *,
        requested_at: InstantLike,
        responded_at: InstantLike = None,
        response: str | None = None,
        recorded_by: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a MASH check: a request to ``agency_id`` for information, ``FOR`` a referral, ``TO`` the agency.

        >>> from familynet.model.network import FamilyGraphBuilder
        >>> b = FamilyGraphBuilder()
        >>> b.check("K1", "R1", "A2", requested_at="2025-03-29T12:00", responded_at="2025-03-30T12:00Z",
        ...         response="nothing_known")
        >>> k = b.graph.nodes[check_node("K1")]
        >>> (k["responded_at"] - k["requested_at"]).total_seconds() / 3600
        24.0
        >>> sorted(d["type"] for _, _, d in b.graph.out_edges(check_node("K1"), data=True))
        ['FOR', 'TO']
        """
        node = check_node(ident)
        self._node(
            node,
            {
                "label": "Check",
                "id": ident,
                "referral_id": referral_id,
                "agency_id": agency_id,
                "requested_at": instant(requested_at),
                "responded_at": instant(responded_at),
                "response": response or None,
                "recorded_by": recorded_by,
                "load_id": load_id,
            },
        )
        self._edge(node, referral_node(referral_id), "FOR", {"type": "FOR"})
        self._edge(node, agency_node(agency_id), "TO", {"type": "TO"})

    def plan(
        self,
        ident: str,
        child_id: str,
        kind: str,
        *,
        start_date: DateLike = None,
        end_date: DateLike = None,
        recorded_by: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a child's plan and its ``OF`` edge to the child, which carries the provenance.

        >>> from familynet.model.network import FamilyGraphBuilder
        >>> b = FamilyGraphBuilder()
        >>> b.plan("PL1", "C1", "child_protection", start_date="2024-05-01", recorded_by="A1")
        >>> b.graph.nodes[plan_node("PL1")]["kind"], b.graph.has_edge(plan_node("PL1"), person_node("C1"))
        ('child_protection', True)
        """
        node = plan_node(ident)
        self._node(
            node,
            {
                "label": "Plan",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "start_date": date_value(start_date),
                "end_date": date_value(end_date),
                "recorded_by": recorded_by,
                "load_id": load_id,
            },
        )
        self._edge(node, person_node(child_id), "OF", {"type": "OF", "recorded_by": recorded_by, "load_id": load_id})

    def consideration(
        self,
        referral_id: str,
        person_id: str,
        *,
        considered_on: DateLike,
        outcome: str | None = None,
        recorded_by: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a ``CONSIDERED`` fact: the MASH considered the person when it dealt with the referral
        (one per referral and person).

        >>> from familynet.model.network import FamilyGraphBuilder
        >>> b = FamilyGraphBuilder()
        >>> b.consideration("R1", "S1", considered_on="2025-01-07", outcome="nfa")
        >>> b.graph.edges[referral_node("R1"), person_node("S1"), "CONSIDERED"]["outcome"]
        'nfa'
        """
        self._edge(
            referral_node(referral_id),
            person_node(person_id),
            "CONSIDERED",
            {
                "type": "CONSIDERED",
                "considered_on": date_value(considered_on),
                "outcome": outcome or None,
                "recorded_by": recorded_by,
                "load_id": load_id,
            },
        )
