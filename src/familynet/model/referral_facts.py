"""Contacts and referrals in the family graph, and the persons they mention.

A part of :class:`~familynet.model.network.FamilyGraphBuilder`, whose docstring is the
contract: ``Referral`` nodes, their ``ABOUT`` edge to the child and ``FROM`` edge to the
referrer, and ``MENTIONS`` edges to persons; one at a time, or many rows at once as a store
reads them (the hot path of a cohort batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, TypeVar

import networkx as nx

from familynet.model.graphwriter import GraphWriter
from familynet.model.instants import instant
from familynet.model.keys import agency_node, person_node, referral_node
from familynet.model.records import SUPPLIABLE_REFERRAL_FILES
from familynet.model.values import DateLike, InstantLike, codes_value, date_value, supplied_value

_T = TypeVar("_T")


class NotSupplied(Enum):
    """The type of :data:`NOT_SUPPLIED`."""

    TOKEN = 0


#: An optional fact whose column no load supplied (as distinct from None: recorded as unknown).
NOT_SUPPLIED = NotSupplied.TOKEN


def _given(value: _T | NotSupplied) -> _T | None:
    return None if isinstance(value, NotSupplied) else value


class ReferralFacts(GraphWriter):
    """Adds contacts, referrals and their mentions to the graph."""

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
        received_at: InstantLike | NotSupplied = NOT_SUPPLIED,
        decided_at: InstantLike | NotSupplied = NOT_SUPPLIED,
        feedback_sent_on: DateLike | NotSupplied = NOT_SUPPLIED,
        threshold_stated: str | NotSupplied | None = NOT_SUPPLIED,
        supplied: Iterable[str] | None = None,
        load_id: int | None = None,
    ) -> None:
        """Add a contact or referral, its ``ABOUT`` edge and its ``FROM`` edge.

        ``received_at``, ``decided_at``, ``feedback_sent_on`` and ``threshold_stated`` are
        optional facts: one not passed is *not supplied* (None, and absent from the node's
        ``supplied``); one passed as None is supplied and *recorded as unknown or not done*.
        The referral's checks, considerations and plans are supplied: what a graph built by
        hand holds of them is all there is. ``supplied`` overrides which are supplied, as a
        store that read them says.

        >>> from familynet.model.network import FamilyGraphBuilder
        >>> b = FamilyGraphBuilder()
        >>> b.referral("R1", "C1", received_on="2025-10-25", received_at="2025-10-25T23:10",
        ...            decided_at="2025-10-26T09:10", feedback_sent_on=None)
        >>> r = b.graph.nodes[referral_node("R1")]
        >>> sorted(r["supplied"]), r["threshold_stated"]
        (['checks', 'considerations', 'decided_at', 'feedback_sent_on', 'plans', 'received_at'], None)
        >>> r["decided_at"] - r["received_at"]
        datetime.timedelta(seconds=39600)
        """
        given = {
            "received_at": received_at,
            "decided_at": decided_at,
            "feedback_sent_on": feedback_sent_on,
            "threshold_stated": threshold_stated,
        }
        node = referral_node(ident)
        self._node(
            node,
            {
                "label": "Referral",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "received_on": date_value(received_on),
                "referrer_agency_id": referrer_agency_id,
                "concerns": codes_value(concerns),
                "outcome": outcome,
                "consent": consent,
                "rag": rag,
                "group_id": group_id,
                "received_at": instant(_given(received_at)),
                "decided_at": instant(_given(decided_at)),
                "feedback_sent_on": date_value(_given(feedback_sent_on)),
                "threshold_stated": _given(threshold_stated) or None,
                "supplied": supplied_value(
                    (*(k for k, v in given.items() if not isinstance(v, NotSupplied)), *SUPPLIABLE_REFERRAL_FILES)
                    if supplied is None
                    else supplied
                ),
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
        (dates and instants as values or ISO text, ``concerns`` and ``supplied`` as names or
        ``;``-joined text): the
        graph that :meth:`referral` on each row builds, in a tight loop, since a store
        adds hundreds of thousands to one cohort batch."""
        graph = self.graph
        nodes, succ, pred = graph._node, graph._succ, graph._pred
        new = graph.adjlist_inner_dict_factory
        for (
            ident,
            kind,
            child_id,
            received_on,
            agency,
            concerns,
            outcome,
            consent,
            rag,
            group_id,
            received_at,
            decided_at,
            feedback_sent_on,
            threshold_stated,
            supplied,
            load_id,
        ) in rows:
            node = f"Referral:{ident}"
            attrs = {
                "label": "Referral",
                "id": ident,
                "kind": kind,
                "child_id": child_id,
                "received_on": date_value(received_on),
                "referrer_agency_id": agency,
                "concerns": codes_value(concerns),
                "outcome": outcome,
                "consent": consent,
                "rag": rag,
                "group_id": group_id,
                "received_at": instant(received_at),
                "decided_at": instant(decided_at),
                "feedback_sent_on": date_value(feedback_sent_on),
                "threshold_stated": threshold_stated,
                "supplied": supplied_value(supplied),
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
