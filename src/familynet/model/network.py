"""The family graph as NetworkX sees it: the contract between the stores and the rules.

Every store returns family subgraphs as :class:`networkx.MultiDiGraph` built with
:class:`FamilyGraphBuilder`, so the rules in :mod:`familynet.analyses` run the same on
any store, and an analyst can build a graph by hand in a notebook.

Nodes are keyed ``"<Label>:<id>"`` (``"Person:P1"``) and carry ``label`` and ``id``
plus the properties of their label:

=========== ==============================================================================
Person      given_name, family_name, date_of_birth (:class:`~familynet.model.dates.PartialDate`),
            expected_date_of_birth, date_of_death (``datetime.date``), sex, nhs_number,
            recorded_by, confidential (``bool``)
Household   address, postcode, uprn
Agency      name, kind
Referral    kind, received_on, concerns (tuple of codes), outcome, consent, rag,
            group_id, referrer_agency_id, child_id; the optional facts received_at and
            decided_at (instants: see below), feedback_sent_on (``datetime.date``),
            threshold_stated (none, universal, early_help, child_in_need,
            child_protection), and supplied (``frozenset`` of those four names whose
            column a load supplied: a name absent is *not supplied*, a name present
            with None is *recorded as unknown or not done*)
Assessment  kind, started_on, completed_on, factors (tuple of codes), outcome,
            child_id, referral_id
Check       a MASH's request for information: referral_id, agency_id (the agency asked),
            requested_at, responded_at (instants; responded_at None: no response),
            response (information_shared, nothing_known, declined; None when there is
            no response), recorded_by
Plan        kind (child_in_need, child_protection, looked_after, early_help), child_id,
            start_date, end_date, recorded_by
=========== ==============================================================================

Instants are aware ``datetime.datetime`` values: the local time in Europe/London with that
moment's fixed UTC offset (``+00:00`` or ``+01:00``, from
:func:`familynet.model.instants.instant`), never a ``ZoneInfo``, because Python subtracts
two datetimes that share a tzinfo as wall-clock times. So ``decided_at - received_at`` is
the duration between absolute instants: a night across a clock change lasts 23 or 25
hours. Build any instant you compare with them the same way, or in UTC.

Every node also carries ``load_id`` where a store read it (None when built by hand); the
``id`` of a Check is its check_id, of a Plan its plan_id.

Edges carry ``type`` (the relationship type) and, for facts about a family,
provenance: ``recorded_by`` (agency id) and ``load_id``. Unknown values are ``None``.

=========== ===================== ===================================================
PARENT_OF   Person -> Person      subtype, parental_responsibility, start_date, end_date
PARTNER_OF  Person -> Person      subtype, start_date, end_date (direction as recorded)
SIBLING_OF  Person -> Person      subtype, start_date, end_date, twin (direction as recorded)
MEMBER_OF   Person -> Household   role, start_date, end_date
ABOUT       Referral -> Person
MENTIONS    Referral -> Person    role
FROM        Referral -> Agency
OF          Assessment -> Person
OF          Plan -> Person        (the child; recorded_by, load_id)
FOLLOWS     Assessment -> Referral
FOR         Check -> Referral
TO          Check -> Agency       (the agency asked)
CONSIDERED  Referral -> Person    considered_on (``datetime.date``), outcome (a referral
                                  outcome code): the MASH considered this person, often a
                                  sibling, when it dealt with the referral (one per pair)
=========== ===================== ===================================================

Concerns are node properties (``concerns``, ``factors``) rather than ``Concern`` nodes
here, so that a shared concern code never joins two families into one component.

>>> b = FamilyGraphBuilder()
>>> b.agency("A1", name="Children's Services", kind="social_care")
>>> b.person("P1", sex="female", date_of_birth="1990")
>>> b.person("P2", sex="male", date_of_birth="2015-06-01")
>>> b.relationship("P1", "P2", "parent_of", subtype="birth", recorded_by="A1")
>>> G = b.graph
>>> [d["type"] for _, _, d in G.out_edges(person_node("P1"), data=True)]
['PARENT_OF']
>>> G.nodes[person_node("P2")]["date_of_birth"].latest()
datetime.date(2015, 6, 1)
"""

from __future__ import annotations

from collections.abc import Iterable

from familynet.model.dates import PartialDate
from familynet.model.frontdoor import FrontDoorFacts
from familynet.model.keys import (
    agency_node,
    assessment_node,
    check_node,
    household_node,
    node_key,
    person_node,
    plan_node,
    referral_node,
)
from familynet.model.referral_facts import NOT_SUPPLIED, NotSupplied, ReferralFacts
from familynet.model.values import DateLike, codes_value, date_value, partial_value

__all__ = [
    "NOT_SUPPLIED",
    "FamilyGraphBuilder",
    "NotSupplied",
    "agency_node",
    "assessment_node",
    "check_node",
    "household_node",
    "node_key",
    "person_node",
    "plan_node",
    "referral_node",
]


class FamilyGraphBuilder(ReferralFacts, FrontDoorFacts):
    """Build a family :class:`networkx.MultiDiGraph` node by node and fact by fact.

    Values may be given as parsed objects or as the strings of the ingest bundle.
    Adding the same fact twice (same key) keeps one edge, so the union of two
    overlapping family networks is the network of the union.
    """

    def person(
        self,
        ident: str,
        *,
        given_name: str | None = None,
        family_name: str | None = None,
        date_of_birth: PartialDate | str | None = None,
        expected_date_of_birth: DateLike = None,
        sex: str | None = "unknown",
        date_of_death: DateLike = None,
        nhs_number: str | None = None,
        recorded_by: str | None = None,
        confidential: bool = False,
    ) -> None:
        """Add or update a person."""
        self._node(
            person_node(ident),
            {
                "label": "Person",
                "id": ident,
                "given_name": given_name,
                "family_name": family_name,
                "date_of_birth": partial_value(date_of_birth),
                "expected_date_of_birth": date_value(expected_date_of_birth),
                "sex": sex or "unknown",
                "date_of_death": date_value(date_of_death),
                "nhs_number": nhs_number,
                "recorded_by": recorded_by,
                "confidential": confidential,
            },
        )

    def household(
        self,
        ident: str,
        *,
        address: str | None = None,
        postcode: str | None = None,
        uprn: str | None = None,
    ) -> None:
        """Add or update a household."""
        self._node(
            household_node(ident),
            {
                "label": "Household",
                "id": ident,
                "address": address,
                "postcode": postcode,
                "uprn": uprn,
            },
        )

    def agency(self, ident: str, *, name: str | None = None, kind: str = "other") -> None:
        """Add or update an agency."""
        self._node(agency_node(ident), {"label": "Agency", "id": ident, "name": name, "kind": kind})

    def membership(
        self,
        person_id: str,
        household_id: str,
        *,
        role: str = "other",
        start_date: DateLike = None,
        end_date: DateLike = None,
        recorded_by: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a ``MEMBER_OF`` fact (one per person, household, recording agency, start)."""
        start = date_value(start_date)
        key = f"MEMBER_OF|{recorded_by}|{start}"
        self._edge(
            person_node(person_id),
            household_node(household_id),
            key,
            {
                "type": "MEMBER_OF",
                "role": role,
                "start_date": start,
                "end_date": date_value(end_date),
                "recorded_by": recorded_by,
                "load_id": load_id,
            },
        )

    def relationship(
        self,
        person_id: str,
        related_person_id: str,
        rel_type: str,
        *,
        subtype: str | None = None,
        parental_responsibility: bool | None = None,
        start_date: DateLike = None,
        end_date: DateLike = None,
        recorded_by: str | None = None,
        load_id: int | None = None,
        twin: str | None = None,
    ) -> None:
        """Add a ``parent_of``, ``partner_of`` or ``sibling_of`` fact (``twin``: whether two siblings of one
        birth are identical twins, on a ``sibling_of`` only)."""
        edge_type = rel_type.upper()
        start = date_value(start_date)
        key = f"{edge_type}|{recorded_by}|{start}"
        attrs: dict[str, object] = {
            "type": edge_type,
            "subtype": subtype,
            "start_date": start,
            "end_date": date_value(end_date),
            "recorded_by": recorded_by,
            "load_id": load_id,
        }
        if edge_type == "PARENT_OF":
            attrs["parental_responsibility"] = parental_responsibility
        if edge_type == "SIBLING_OF":
            attrs["twin"] = twin
        self._edge(person_node(person_id), person_node(related_person_id), key, attrs)

    def assessment(
        self,
        ident: str,
        child_id: str,
        *,
        kind: str = "child_and_family",
        referral_id: str | None = None,
        started_on: DateLike = None,
        completed_on: DateLike = None,
        factors: Iterable[str] | str | None = None,
        outcome: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add an assessment, its ``OF`` edge and, with a referral, its ``FOLLOWS`` edge."""
        node = assessment_node(ident)
        self._node(
            node,
            {
                "label": "Assessment",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "referral_id": referral_id,
                "started_on": date_value(started_on),
                "completed_on": date_value(completed_on),
                "factors": codes_value(factors),
                "outcome": outcome,
                "load_id": load_id,
            },
        )
        self._edge(node, person_node(child_id), "OF", {"type": "OF"})
        if referral_id is not None:
            self._edge(node, referral_node(referral_id), "FOLLOWS", {"type": "FOLLOWS"})
