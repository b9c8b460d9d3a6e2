"""A cohort extracted without mentions, or with only its own: the same graphs less (some of)
their MENTIONS edges, and the same answers from every audit given the mentions its rules read
(analyses.READS_MENTIONS), on both stores."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from familynet import analyses
from familynet.analyses.facts import node_id
from familynet.bundle.ingest import ingest_bundle
from familynet.errors import StoreError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.stores.protocol import Store
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
    kept, dropped = _compared(store, hops, False, lambda batch, referral: False)
    assert kept == 0 and dropped > 100


@HOPS
def test_a_cohort_with_its_own_mentions_keeps_only_those_of_its_contacts_and_referrals(
    store: Store, tmp_path: Path, hops: int
) -> None:
    _load(store, tmp_path)
    kept, dropped = _compared(
        store, hops, "cohort", lambda batch, referral: _in_cohort(batch.graph, referral, batch.child_ids)
    )
    # Both kinds occur: mentions in the cohort's referrals, and in others (earlier, or about relatives).
    assert kept > 20 and dropped > 100


def _compared(
    store: Store, hops: int, mentions: Mentions, keeps: Callable[[CohortBatch, str], bool]
) -> tuple[int, int]:
    """Check each batch of the cohort with ``mentions`` against the full cohort's: the same
    subjects and nodes, and the same edges less the MENTIONS edges from referrals ``keeps``
    does not keep; return how many MENTIONS edges it kept and dropped."""
    full = list(store.cohort(START, END, batch_size=25, hops=hops))
    fewer = list(store.cohort(START, END, batch_size=25, hops=hops, mentions=mentions))
    assert [b.child_ids for b in fewer] == [b.child_ids for b in full]
    kept = dropped = 0
    for whole, less in zip(full, fewer, strict=True):
        assert list(less.graph.nodes(data=True)) == list(whole.graph.nodes(data=True))
        wanted = [
            e for e in whole.graph.edges(keys=True, data=True) if e[3]["type"] != "MENTIONS" or keeps(whole, e[0])
        ]
        assert list(less.graph.edges(keys=True, data=True)) == wanted
        kept += sum(1 for e in wanted if e[3]["type"] == "MENTIONS")
        dropped += whole.graph.number_of_edges() - len(wanted)
    return kept, dropped


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
