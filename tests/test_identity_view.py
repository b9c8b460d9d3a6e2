"""The identity view of family networks and household contexts, on both stores."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from conftest import LoadRecords
from familynet.analyses import household_context
from familynet.identity.resolution import decide, resolve, review_queue
from familynet.identity.view import identity_network
from familynet.model.identity import Decision, DecisionKind
from familynet.stores.protocol import Store
from test_identity_store import AT, LINKING, _family

ON = dt.date(2026, 1, 1)


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return dict(a.nodes(data=True)) == dict(b.nodes(data=True)) and sorted(
        a.edges(keys=True, data=True), key=repr
    ) == sorted(b.edges(keys=True, data=True), key=repr)


def test_each_identity_is_one_node_listing_its_records_with_their_agencies(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    identity, graph = identity_network(store, "C1P")
    assert identity == "C1"
    persons = {n for n in graph if n.startswith("Person:")}
    assert "Person:C1" in persons and not {"Person:C1P", "Person:C1H"} & persons
    child = graph.nodes["Person:C1"]
    assert child["records"] == (("C1", "SC"), ("C1H", "HEA"), ("C1P", "POL"))
    assert (child["given_name"], child["recorded_by"]) == ("Jonathan", "SC")
    memberships = {(d["recorded_by"], d.get("source_record")) for _, v, d in graph.out_edges("Person:C1", data=True)}
    assert memberships >= {("SC", None), ("POL", "C1P"), ("HEA", "C1H")}


def test_the_household_context_sees_one_child_where_the_records_view_sees_three(
    store: Store, load: LoadRecords
) -> None:
    load(store, _family())
    resolve(store, LINKING, now=AT)
    records = household_context(store.family_network("C1"), "C1", ON)
    identity, graph = identity_network(store, "C1")
    identities = household_context(graph, identity, ON)
    assert {"C1P", "C1H"} <= set(records.person_ids())
    # The identity view names the police and health records only as the child's other records.
    assert {(r.person_id, r.record_id, r.agency_id) for r in identities.also_recorded_as} >= {
        ("C1", "C1H", "HEA"),
        ("C1", "C1P", "POL"),
    }
    assert not {"C1P", "C1H"} & {m.person_id for h in identities.households for m in h.members}
    assert not {f"Person:{r}" for r in ("C1P", "C1H")} & set(graph.nodes)
    assert {"T1", "T2"} <= {s.person_id for s in identities.siblings}


def test_an_unlink_restores_the_record_level_answers_exactly(store: Store, load: LoadRecords) -> None:
    load(store, _family())
    before = store.family_network("C1")
    resolve(store, LINKING, now=AT)
    # Unlinking one pair may let the model join another (nothing forbids it): unlink until none is left.
    unlinked = 0
    while linked := [(a, b) for a, b in (("C1", "C1P"), ("C1", "C1H"), ("C1H", "C1P"))
                     if store.identity_state().members[a] == store.identity_state().members[b]]:  # fmt: skip
        decide(store, Decision(DecisionKind.UNLINK, *linked[0], "reviewer", "test", AT), LINKING)
        unlinked += 1
    assert unlinked >= 2
    identity, graph = identity_network(store, "C1")
    assert identity == "C1"
    # The pairs still queued for review (the twins, the father and son) are flagged, and only they.
    queued = {n: d.pop("pending_reviews") for n, d in graph.nodes(data=True) if "pending_reviews" in d}
    assert {(r.left, r.right) for reviews in queued.values() for r in reviews} == {
        (c.left, c.right) for c in review_queue(store.identity_state())
    }
    assert _same(graph, before)
    assert household_context(graph, "C1", ON) == household_context(before, "C1", ON)
