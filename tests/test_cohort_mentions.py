"""A cohort extracted without mentions, or with only its own: the same graphs less (some of)
their MENTIONS edges, and the same answers from every audit given the mentions its rules read
(analyses.READS_MENTIONS), on both stores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest

from familynet import analyses
from familynet.analyses.facts import node_id
from familynet.errors import StoreError
from familynet.ingest import ingest_bundle
from familynet.store import Store
from familynet.synthetic import write_demo_bundle

TODAY = dt.date(2025, 6, 30)
START, END = dt.date(2024, 7, 1), dt.date(2025, 6, 30)


def _load(store: Store, tmp_path: Path) -> None:
    write_demo_bundle(tmp_path / "bundle", 60, 3, today=TODAY)
    assert ingest_bundle(store, tmp_path / "bundle", today=TODAY).committed


# Three hops is one statement in Neo4j; two, a few per hop: each reads mentions its own way.
HOPS = pytest.mark.parametrize("hops", [3, 2])


@HOPS
def test_a_cohort_without_mentions_is_the_same_graphs_less_their_mentions(
    store: Store, tmp_path: Path, hops: int
) -> None:
    _load(store, tmp_path)
    full = list(store.cohort(START, END, batch_size=25, hops=hops))
    bare = list(store.cohort(START, END, batch_size=25, hops=hops, mentions=False))
    assert [b.child_ids for b in bare] == [b.child_ids for b in full]
    mentions = 0
    for whole, less in zip(full, bare, strict=True):
        assert list(less.graph.nodes(data=True)) == list(whole.graph.nodes(data=True))
        kept = [e for e in whole.graph.edges(keys=True, data=True) if e[3]["type"] != "MENTIONS"]
        assert list(less.graph.edges(keys=True, data=True)) == kept
        mentions += whole.graph.number_of_edges() - len(kept)
    assert mentions > 100


@HOPS
def test_a_cohort_with_its_own_mentions_keeps_only_those_of_its_contacts_and_referrals(
    store: Store, tmp_path: Path, hops: int
) -> None:
    _load(store, tmp_path)
    full = list(store.cohort(START, END, batch_size=25, hops=hops))
    own = list(store.cohort(START, END, batch_size=25, hops=hops, mentions="cohort"))
    assert [b.child_ids for b in own] == [b.child_ids for b in full]
    kept = dropped = 0
    for whole, less in zip(full, own, strict=True):
        assert list(less.graph.nodes(data=True)) == list(whole.graph.nodes(data=True))
        wanted = [
            e
            for e in whole.graph.edges(keys=True, data=True)
            if e[3]["type"] != "MENTIONS" or _in_cohort(whole.graph, e[0], whole.child_ids)
        ]
        assert list(less.graph.edges(keys=True, data=True)) == wanted
        kept += sum(1 for e in wanted if e[3]["type"] == "MENTIONS")
        dropped += whole.graph.number_of_edges() - len(wanted)
    # Both kinds occur: mentions in the cohort's referrals, and in others (earlier, or about relatives).
    assert kept > 20 and dropped > 100


def _in_cohort(graph: nx.MultiDiGraph, referral: str, subjects: tuple[str, ...]) -> bool:
    """Whether a referral node is one of the cohort's: received in the period, about a subject."""
    about = {node_id(t) for t, keyed in graph.succ[referral].items() for a in keyed.values() if a["type"] == "ABOUT"}
    return START <= graph.nodes[referral]["received_on"] <= END and bool(about & set(subjects))


def test_a_cohort_refuses_mentions_it_does_not_know(store: Store) -> None:
    with pytest.raises(StoreError):
        store.cohort(START, END, mentions="some")  # type: ignore[arg-type]


def test_audits_that_read_no_mentions_give_the_same_answers_without_them(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path)
    for audit, reads in analyses.READS_MENTIONS.items():
        answers = [
            json.dumps(analyses.serialise(audit(store.cohort(START, END, mentions=m), START, END)), default=str)
            for m in (True, reads)
        ]
        assert answers[0] == answers[1], audit.__name__
    # Audit 3 does read them, but only its cohort's own: without them it would miss its findings.
    assert analyses.READS_MENTIONS[analyses.missing_members] == "cohort"
    assert _mention_findings(store, False) == 0 < _mention_findings(store, True)


def _mention_findings(store: Store, mentions: bool) -> int:
    found = analyses.serialise(analyses.missing_members(store.cohort(START, END, mentions=mentions), START, END))
    return int(found["summary"]["by_kind"]["mentioned_person_not_in_household"])
