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
            group_id, referrer_agency_id
Assessment  kind, started_on, completed_on, factors (tuple of codes), outcome,
            child_id, referral_id
=========== ==============================================================================

Edges carry ``type`` (the relationship type) and, for facts about a family,
provenance: ``recorded_by`` (agency id) and ``load_id``. Unknown values are ``None``.

=========== ===================== ===================================================
PARENT_OF   Person -> Person      subtype, parental_responsibility, start_date, end_date
PARTNER_OF  Person -> Person      subtype, start_date, end_date (direction as recorded)
SIBLING_OF  Person -> Person      subtype, start_date, end_date (direction as recorded)
MEMBER_OF   Person -> Household   role, start_date, end_date
ABOUT       Referral -> Person
MENTIONS    Referral -> Person    role
FROM        Referral -> Agency
OF          Assessment -> Person
FOLLOWS     Assessment -> Referral
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

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import networkx as nx

from familynet.model.dates import PartialDate, parse_date

DateLike = dt.date | str | None


def node_key(label: str, ident: str) -> str:
    """The node key of a record: ``"<Label>:<id>"``."""
    return f"{label}:{ident}"


def person_node(ident: str) -> str:
    """The node key of a person."""
    return f"Person:{ident}"


def household_node(ident: str) -> str:
    """The node key of a household."""
    return f"Household:{ident}"


def agency_node(ident: str) -> str:
    """The node key of an agency."""
    return f"Agency:{ident}"


def referral_node(ident: str) -> str:
    """The node key of a referral or contact."""
    return f"Referral:{ident}"


def assessment_node(ident: str) -> str:
    """The node key of an assessment."""
    return f"Assessment:{ident}"


def _date(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return _parsed_date(value) if value else None


# A store's rows repeat a few thousand dates across a million facts; dates are immutable
# and errors are raised afresh (lru_cache keeps no exceptions).
@lru_cache(maxsize=1 << 16)
def _parsed_date(text: str) -> dt.date:
    return parse_date(text)


def _partial(value: PartialDate | str | None) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value) if value else None


def _codes(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return _split_codes(value)
    return tuple(value)


# A store repeats the same few thousand ';'-joined code lists across a million referrals;
# the tuples are immutable, so one per distinct text serves them all.
@lru_cache(maxsize=1 << 16)
def _split_codes(text: str) -> tuple[str, ...]:
    return tuple(filter(None, text.split(";")))


class FamilyGraphBuilder:
    """Build a family :class:`networkx.MultiDiGraph` node by node and fact by fact.

    Values may be given as parsed objects or as the strings of the ingest bundle.
    Adding the same fact twice (same key) keeps one edge, so the union of two
    overlapping family networks is the network of the union.
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.graph: nx.MultiDiGraph = graph if graph is not None else nx.MultiDiGraph()

    def _node(self, key: str, attrs: dict[str, object]) -> None:
        """``graph.add_node(key, **attrs)`` in a few dict operations (see :meth:`_edge`)."""
        graph = self.graph
        data = graph._node.get(key)
        if data is None:
            graph._succ[key] = graph.adjlist_inner_dict_factory()
            graph._pred[key] = graph.adjlist_inner_dict_factory()
            graph._node[key] = attrs
        else:
            data.update(attrs)
        nx._clear_cache(graph)

    def _edge(self, u: str, v: str, key: str, attrs: dict[str, object]) -> None:
        """``graph.add_edge(u, v, key=key, **attrs)``, adding to or updating the edge with that
        key, in a few dict operations: a store adds hundreds of thousands of edges to one
        cohort batch, and networkx's general add_edge costs several times more."""
        self._fact(u, v, key, attrs)
        nx._clear_cache(self.graph)

    def _fact(self, u: str, v: str, key: str, attrs: dict[str, object]) -> None:
        """:meth:`_edge` without clearing networkx's cache, for loops that clear it once."""
        graph = self.graph
        succ = graph._succ
        if u not in succ:
            self._node(u, {})
        if v not in succ:
            self._node(v, {})
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = graph._pred[v][u] = {}
        data = keys.get(key)
        if data is None:
            keys[key] = attrs
        else:
            data.update(attrs)

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
                "date_of_birth": _partial(date_of_birth),
                "expected_date_of_birth": _date(expected_date_of_birth),
                "sex": sex or "unknown",
                "date_of_death": _date(date_of_death),
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
        start = _date(start_date)
        key = f"MEMBER_OF|{recorded_by}|{start}"
        self._edge(
            person_node(person_id),
            household_node(household_id),
            key,
            {
                "type": "MEMBER_OF",
                "role": role,
                "start_date": start,
                "end_date": _date(end_date),
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
    ) -> None:
        """Add a ``parent_of``, ``partner_of`` or ``sibling_of`` fact."""
        edge_type = rel_type.upper()
        start = _date(start_date)
        key = f"{edge_type}|{recorded_by}|{start}"
        attrs: dict[str, object] = {
            "type": edge_type,
            "subtype": subtype,
            "start_date": start,
            "end_date": _date(end_date),
            "recorded_by": recorded_by,
            "load_id": load_id,
        }
        if edge_type == "PARENT_OF":
            attrs["parental_responsibility"] = parental_responsibility
        self._edge(person_node(person_id), person_node(related_person_id), key, attrs)

    def referral(
        self,
        ident: str,
        child_id: str,
        *,
        kind: str = "referral",
        received_on: DateLike,
        referrer_agency_id: str | None = None,
        concerns: Iterable[str] | str | None = None,
        outcome: str | None = None,
        consent: str | None = None,
        rag: str | None = None,
        group_id: str | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a contact or referral, its ``ABOUT`` edge and its ``FROM`` edge."""
        node = referral_node(ident)
        self._node(
            node,
            {
                "label": "Referral",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "received_on": _date(received_on),
                "referrer_agency_id": referrer_agency_id,
                "concerns": _codes(concerns),
                "outcome": outcome,
                "consent": consent,
                "rag": rag,
                "group_id": group_id,
                "load_id": load_id,
            },
        )
        self._edge(node, person_node(child_id), "ABOUT", {"type": "ABOUT"})
        if referrer_agency_id is not None:
            self._edge(node, agency_node(referrer_agency_id), "FROM", {"type": "FROM"})

    def mention(self, referral_id: str, person_id: str, *, role: str, load_id: int | None = None) -> None:
        """Add a ``MENTIONS`` fact; its provenance is the referring agency."""
        node = referral_node(referral_id)
        referral = self.graph._node.get(node)
        recorded_by = referral.get("referrer_agency_id") if referral is not None else None
        self._edge(
            node,
            person_node(person_id),
            f"MENTIONS|{role}",
            {"type": "MENTIONS", "role": role, "recorded_by": recorded_by, "load_id": load_id},
        )

    def referrals(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add many contacts and referrals, each a row of the fields of a
        :class:`familynet.model.records.Referral` in order, then ``load_id``, as a store reads them
        (``received_on`` a date or ISO text, ``concerns`` codes or ``;``-joined text): the
        graph that :meth:`referral` on each row builds, in a tight loop, since a store
        adds hundreds of thousands to one cohort batch."""
        graph = self.graph
        nodes, succ, pred = graph._node, graph._succ, graph._pred
        new = graph.adjlist_inner_dict_factory
        for ident, kind, child_id, received_on, agency, concerns, outcome, consent, rag, group_id, load_id in rows:
            node = f"Referral:{ident}"
            attrs = {
                "label": "Referral",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "received_on": _date(received_on),
                "referrer_agency_id": agency,
                "concerns": _codes(concerns),
                "outcome": outcome,
                "consent": consent,
                "rag": rag,
                "group_id": group_id,
                "load_id": load_id,
            }
            data = nodes.get(node)
            if data is None:
                out = succ[node] = new()
                pred[node] = new()
                nodes[node] = attrs
            else:
                data.update(attrs)
                out = succ[node]
            # The ABOUT and FROM edges, as _fact adds them, inline: this loop is the hot path.
            target = f"Person:{child_id}"
            if target not in succ:
                self._node(target, {})
            keys = out.get(target)
            if keys is None:
                keys = out[target] = pred[target][node] = {}
            if "ABOUT" not in keys:
                keys["ABOUT"] = {"type": "ABOUT"}
            if agency is not None:
                target = f"Agency:{agency}"
                if target not in succ:
                    self._node(target, {})
                keys = out.get(target)
                if keys is None:
                    keys = out[target] = pred[target][node] = {}
                if "FROM" not in keys:
                    keys["FROM"] = {"type": "FROM"}
        nx._clear_cache(graph)

    def mentions(self, rows: Iterable[Sequence[Any]]) -> None:
        """Add many ``MENTIONS`` facts, each a row ``(referral_id, person_id, role, load_id)``:
        the graph that :meth:`mention` on each row builds, in a tight loop (see :meth:`referrals`)."""
        graph = self.graph
        nodes, succ, pred = graph._node, graph._succ, graph._pred
        for referral_id, person_id, role, load_id in rows:
            node = f"Referral:{referral_id}"
            referral = nodes.get(node)
            recorded_by = None
            if referral is None:
                self._node(node, {})
            else:
                recorded_by = referral.get("referrer_agency_id")
            target = f"Person:{person_id}"
            if target not in succ:
                self._node(target, {})
            # _fact, inline (see referrals).
            out = succ[node]
            keys = out.get(target)
            if keys is None:
                keys = out[target] = pred[target][node] = {}
            attrs = {"type": "MENTIONS", "role": role, "recorded_by": recorded_by, "load_id": load_id}
            key = f"MENTIONS|{role}"
            data = keys.get(key)
            if data is None:
                keys[key] = attrs
            else:
                data.update(attrs)
        nx._clear_cache(graph)

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
                "started_on": _date(started_on),
                "completed_on": _date(completed_on),
                "factors": _codes(factors),
                "outcome": outcome,
                "load_id": load_id,
            },
        )
        self._edge(node, person_node(child_id), "OF", {"type": "OF"})
        if referral_id is not None:
            self._edge(node, referral_node(referral_id), "FOLLOWS", {"type": "FOLLOWS"})
