"""Pairwise scores of a record linkage against the ground truth, for ``bench/identity.py``.

A linkage is a clustering of records (record id -> cluster id). Its links are every pair
of records in one cluster; the truth's are every pair of records of one true person
(``identity_truth.csv``). Precision, recall and F1 are over those pairs. A *relative
merged* is a linked pair whose two true persons are relatives: joined by ``parent_of``,
``sibling_of`` or ``partner_of`` in ``relationships.csv``, or parent and child in one
household in ``household_members.csv``.

>>> truth = {"a": "A", "a2": "A", "b": "B"}
>>> score(pairs({"a": "1", "a2": "1", "b": "1"}), pairs(truth))
Scores(links=3, true_links=1, precision=0.3333333333333333, recall=1.0, f1=0.5)
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Pair = frozenset[str]
#: The relationship types whose two persons are relatives.
RELATIVE_TYPES = frozenset({"parent_of", "sibling_of", "partner_of"})


@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall and F1 of a set of links (1.0 where nothing was there to get wrong)."""

    links: int
    true_links: int
    precision: float
    recall: float
    f1: float


def pairs(clusters: Mapping[str, str]) -> set[Pair]:
    """Every pair of records in the same cluster.

    >>> sorted(sorted(p) for p in pairs({"a": "1", "b": "1", "c": "1", "d": "2"}))
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    """
    members: dict[str, list[str]] = defaultdict(list)
    for record, cluster in clusters.items():
        members[cluster].append(record)
    return {frozenset(p) for group in members.values() for p in itertools.combinations(sorted(group), 2)}


def score(links: set[Pair], truth: set[Pair]) -> Scores:
    """Precision, recall and F1 of ``links`` against the true pairs."""
    hits = len(links & truth)
    precision = hits / len(links) if links else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(len(links), hits, precision, recall, f1)


def closure(clusters: Mapping[str, str], extra: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``clusters`` with the ``extra`` pairs linked too, transitively (a union-find); each
    merged cluster takes the name of one of the clusters it joins.

    >>> sorted(sorted(p) for p in pairs(closure({"a": "1", "b": "2", "c": "3"}, [("a", "b")])))
    [['a', 'b']]
    """
    parent = {record: record for record in clusters}

    def root(record: str) -> str:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    first: dict[str, str] = {}
    for record, cluster in clusters.items():
        parent[root(record)] = root(first.setdefault(cluster, record))
    for left, right in extra:
        parent[root(left)] = root(right)
    return {record: clusters[root(record)] for record in clusters}


def decided_by_truth(
    clusters: Mapping[str, str], review: Iterable[tuple[str, str]], truth: Mapping[str, str]
) -> dict[str, str]:
    """The linkage once every queued pair is decided as the ground truth says."""
    return closure(clusters, ((a, b) for a, b in review if truth[a] == truth[b]))


def relatives(
    relationships: Iterable[Mapping[str, str]], memberships: Iterable[Mapping[str, str]], truth: Mapping[str, str]
) -> set[Pair]:
    """Pairs of true persons who are relatives (see the module's definition)."""
    related = {
        frozenset((truth[row["person_id"]], truth[row["related_person_id"]]))
        for row in relationships
        if row["type"] in RELATIVE_TYPES
    }
    parents: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)
    for row in memberships:
        if row["role"] == "parent":
            parents[row["household_id"]].add(truth[row["person_id"]])
        elif row["role"] == "child":
            children[row["household_id"]].add(truth[row["person_id"]])
    related |= {frozenset((p, c)) for h, ps in parents.items() for p in ps for c in children[h]}
    return {pair for pair in related if len(pair) == 2}


def relatives_merged(links: set[Pair], truth: Mapping[str, str], related: set[Pair]) -> int:
    """How many links join records of two different true persons who are relatives.

    >>> truth = {"mum": "M", "kid": "K", "kid2": "K"}
    >>> relatives_merged({frozenset({"mum", "kid"}), frozenset({"kid", "kid2"})}, truth, {frozenset({"M", "K"})})
    1
    """
    count = 0
    for link in links:
        a, b = (truth[record] for record in link)
        count += a != b and frozenset((a, b)) in related
    return count
