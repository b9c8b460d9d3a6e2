"""The identity benchmark's pair metrics, on hand-made clusters whose answers are counted by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from identity import evaluate
from linkage_metrics import closure, decided_by_truth, pairs, relatives, relatives_merged, score

#: Mother M (records m1, m2), her children K (k1, k2, k3) and J (j1), and a stranger S (s1).
TRUTH = {"m1": "m1", "m2": "m1", "k1": "k1", "k2": "k1", "k3": "k1", "j1": "j1", "s1": "s1"}
RELATIONSHIPS = [
    {"person_id": "m2", "related_person_id": "k3", "type": "parent_of"},
    # Unrelated by type: a relationship that is no family tie would not count.
    {"person_id": "s1", "related_person_id": "m1", "type": "lodger_of"},
]
MEMBERSHIPS = [
    {"household_id": "H1", "person_id": "m1", "role": "parent"},
    {"household_id": "H1", "person_id": "j1", "role": "child"},
    {"household_id": "H2", "person_id": "s1", "role": "lodger"},
]


def test_pairs_are_every_two_records_of_a_cluster() -> None:
    # Four true pairs: m1-m2, and three among k1, k2, k3.
    assert len(pairs(TRUTH)) == 4
    assert pairs({"a": "1"}) == set()


def test_precision_recall_and_f1_count_pairs() -> None:
    # The mother merged with k1 (a wrong cluster of m1, m2, k1: one right pair, two wrong) and
    # k2 with k3 (one of K's three pairs).
    linked = {"m1": "x", "m2": "x", "k1": "x", "k2": "y", "k3": "y", "j1": "z", "s1": "w"}
    scores = score(pairs(linked), pairs(TRUTH))
    assert (scores.links, scores.true_links) == (4, 2)
    assert scores.precision == pytest.approx(2 / 4)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(0.5)
    perfect = score(pairs(TRUTH), pairs(TRUTH))
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    nothing = score(set(), pairs(TRUTH))
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 0.0, 0.0)


def test_the_review_band_decided_by_the_truth_links_only_true_pairs_and_closes_clusters() -> None:
    auto = {"m1": "a", "m2": "b", "k1": "c", "k2": "c", "k3": "d", "j1": "e", "s1": "f"}
    review = [("m1", "m2"), ("k2", "k3"), ("j1", "k1"), ("s1", "m1")]
    decided = decided_by_truth(auto, review, TRUTH)
    assert score(pairs(decided), pairs(TRUTH)).f1 == 1.0
    assert decided["k3"] == decided["k1"] and decided["j1"] != decided["k1"]
    assert pairs(closure({"a": "1", "b": "2", "c": "2"}, [("a", "c")])) == pairs({"a": "x", "b": "x", "c": "x"})


def test_relatives_are_true_persons_joined_by_a_family_tie_or_parent_and_child_at_home() -> None:
    related = relatives(RELATIONSHIPS, MEMBERSHIPS, TRUTH)
    assert related == {frozenset({"m1", "k1"}), frozenset({"m1", "j1"})}
    # m2 with k1 merges mother and child (through records that are not the related ones);
    # m1 with m2 is a true link; s1 with m1 is wrong but they are not relatives; k3 with j1
    # is wrong and the children are not related in this data.
    links = {frozenset(p) for p in (("m2", "k1"), ("m1", "m2"), ("s1", "m1"), ("k3", "j1"), ("m1", "j1"))}
    assert relatives_merged(links, TRUTH, related) == 2


def test_the_harness_reads_the_cli_contract_export_csv_and_review_json(tmp_path: Path) -> None:
    # What `familynet identity export --format csv` and `identity review --format json` write.
    export, queue = tmp_path / "export.csv", tmp_path / "review.json"
    export.write_text("person_id,identity_id\nm1,I1\nm2,I2\nk1,I3\nk2,I3\nk3,I3\nj1,I1\ns1,I4\n", encoding="utf-8")
    queue.write_text(json.dumps([{"left": "m1", "right": "m2", "probability": 0.9}]), encoding="utf-8")
    related = relatives(RELATIONSHIPS, MEMBERSHIPS, TRUTH)
    outcome = evaluate(export, queue, TRUTH, related)
    # Auto links: m1-j1 (wrong: mother and child) and K's three pairs.
    assert (outcome.auto.links, outcome.auto.true_links, outcome.relatives_merged) == (4, 3, 1)
    # Deciding m1-m2 by the truth adds m1-m2, and with it m2-j1 (wrong).
    assert (outcome.decided.links, outcome.decided.true_links) == (6, 4)
    assert (outcome.queue_pairs, outcome.queue_records, outcome.records) == (1, 2, 7)
    export.write_text("person_id,identity_id\nm1,I1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="leaves out 6 records"):
        evaluate(export, queue, TRUTH, related)
