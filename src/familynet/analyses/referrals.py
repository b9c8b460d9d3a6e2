"""Contacts, referrals and assessments of a person, read from the graph.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("POL", kind="police")
>>> b.person("C", date_of_birth="2016-05-01")
>>> b.referral("R1", "C", received_on="2024-02-29", referrer_agency_id="POL", concerns="3A;18C;21")
>>> [(r.referral_id, r.referrer_kind, sorted(r.categories)) for r in referrals_about(b.graph, "C")]
[('R1', 'police', [3, 18])]
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import networkx as nx

from familynet.analyses.facts import agency_kind, in_facts, node_id, out_facts, person
from familynet.analyses.memo import remembered
from familynet.analyses.people import ADULT, is_in_scope
from familynet.model.network import person_node, referral_node
from familynet.model.vocabulary import concern_category


def categories(codes: Iterable[str]) -> frozenset[int]:
    """The concern categories of factor codes (3A -> 3, 18C -> 18; 21 has none).

    >>> sorted(categories(["3A", "3B", "18C", "21"]))
    [3, 18]
    """
    return _categories(codes if isinstance(codes, tuple) else tuple(codes))


# Audits ask for the categories of the same few thousand code lists millions of times.
@lru_cache(maxsize=1 << 16)
def _categories(codes: tuple[str, ...]) -> frozenset[int]:
    return frozenset(c for c in (concern_category(code) for code in codes) if c is not None)


@dataclass(frozen=True)
class Referral:
    """A contact or referral about a child."""

    referral_id: str
    child_id: str
    kind: str
    received_on: dt.date
    concerns: tuple[str, ...]
    outcome: str | None
    referrer_agency_id: str | None
    referrer_kind: str | None
    consent: str | None = None
    rag: str | None = None
    received_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    feedback_sent_on: dt.date | None = None
    threshold_stated: str | None = None
    supplied: frozenset[str] = frozenset()
    """The optional fields (received_at, decided_at, feedback_sent_on, threshold_stated) whose
    column a load supplied; one absent is *not supplied*, whatever its value."""

    @property
    def categories(self) -> frozenset[int]:
        """The concern categories of the referral."""
        return categories(self.concerns)

    def has(self, *fields: str) -> bool:
        """Whether every one of the optional ``fields`` was supplied."""
        return all(f in self.supplied for f in fields)


@dataclass(frozen=True)
class Assessment:
    """An assessment of a child."""

    assessment_id: str
    child_id: str
    kind: str
    started_on: dt.date | None
    completed_on: dt.date | None
    factors: tuple[str, ...]
    outcome: str | None
    referral_id: str | None

    @property
    def categories(self) -> frozenset[int]:
        """The concern categories of the assessment's factors."""
        return categories(self.factors)


# The audits ask for overlapping windows of the same history: each referral is built once a batch.
@remembered
def _referral(graph: nx.MultiDiGraph, key: str, child_id: str) -> Referral:
    attrs = graph._node[key]
    agency = attrs.get("referrer_agency_id")
    return Referral(
        node_id(key),
        child_id,
        attrs.get("kind") or "referral",
        attrs["received_on"],
        tuple(attrs.get("concerns") or ()),
        attrs.get("outcome"),
        agency,
        agency_kind(graph, agency),
        attrs.get("consent"),
        attrs.get("rag"),
        attrs.get("received_at"),
        attrs.get("decided_at"),
        attrs.get("feedback_sent_on"),
        attrs.get("threshold_stated"),
        attrs.get("supplied") or frozenset(),
    )


@remembered
def _history(graph: nx.MultiDiGraph, child_id: str) -> tuple[tuple[dt.date, str, str], ...]:
    """The (received_on, id, node key) of every contact and referral about the person, by date then id."""
    nodes = graph._node
    return tuple(
        sorted(
            (nodes[key]["received_on"], node_id(key), key) for key, _ in in_facts(graph, person_node(child_id), "ABOUT")
        )
    )


@remembered
def referrals_about(
    graph: nx.MultiDiGraph,
    child_id: str,
    kind: str | Collection[str] | None = None,
    *,
    received: tuple[dt.date, dt.date] | None = None,
) -> tuple[Referral, ...]:
    """Contacts and referrals about the person (of ``kind`` or kinds, or any; received within the
    ``received`` first and last days, or on any), by date then id."""
    person(graph, child_id)
    kinds = (kind,) if isinstance(kind, str) else kind
    nodes = graph._node
    history = _history(graph, child_id)
    # The audits ask for many windows of the same child's years of history (remembered once for
    # all of them): only the window's few are looked at and built.
    if received is not None:
        first, last = received
        history = history[bisect_left(history, first, key=_received) : bisect_right(history, last, key=_received)]
    return tuple(
        _referral(graph, key, child_id) for _, _, key in history if kinds is None or nodes[key].get("kind") in kinds
    )


_received = itemgetter(0)


def in_scope(graph: nx.MultiDiGraph, referral: Referral, *, adult_age: int = ADULT) -> bool:
    """Whether the referral's subject is a child or unborn on the day it was received."""
    return is_in_scope(graph, referral.child_id, referral.received_on, adult_age=adult_age)


@remembered
def referrals_in_scope(
    graph: nx.MultiDiGraph,
    child_id: str,
    kind: str | Collection[str] | None = None,
    *,
    adult_age: int = ADULT,
    received: tuple[dt.date, dt.date] | None = None,
) -> tuple[Referral, ...]:
    """The in-scope contacts and referrals about the person (of ``kind``, or any; received
    within ``received``, or on any day), by date then id."""
    return tuple(
        r for r in referrals_about(graph, child_id, kind, received=received) if in_scope(graph, r, adult_age=adult_age)
    )


def assessments_of(graph: nx.MultiDiGraph, child_id: str) -> tuple[Assessment, ...]:
    """Assessments of the person, by start date (unknown last) then id."""
    person(graph, child_id)
    found = []
    for key, _ in in_facts(graph, person_node(child_id), "OF"):
        attrs = graph._node[key]
        if attrs.get("label") == "Plan":  # a plan is OF its child too
            continue
        found.append(
            Assessment(
                node_id(key),
                child_id,
                attrs.get("kind") or "other",
                attrs.get("started_on"),
                attrs.get("completed_on"),
                tuple(attrs.get("factors") or ()),
                attrs.get("outcome"),
                attrs.get("referral_id"),
            )
        )
    return tuple(sorted(found, key=lambda a: (a.started_on is None, a.started_on or dt.date.min, a.assessment_id)))


def has_assessment_between(graph: nx.MultiDiGraph, child_id: str, first: dt.date, last: dt.date) -> bool:
    """Whether any assessment of the person starts within ``[first, last]``."""
    return any(a.started_on is not None and first <= a.started_on <= last for a in assessments_of(graph, child_id))


def mentions(graph: nx.MultiDiGraph, referral_id: str) -> tuple[tuple[str, str], ...]:
    """The (person id, role) of each person a referral mentions, in that order."""
    found = {
        (node_id(other), attrs.get("role") or "other")
        for other, attrs in out_facts(graph, referral_node(referral_id), "MENTIONS")
    }
    return tuple(sorted(found))


@dataclass(frozen=True)
class Plan:
    """A child's plan (child in need, child protection, looked after, early help)."""

    plan_id: str
    child_id: str
    kind: str
    start_date: dt.date | None
    end_date: dt.date | None


def plans_of(graph: nx.MultiDiGraph, child_id: str) -> tuple[Plan, ...]:
    """The person's plans, by id."""
    person(graph, child_id)
    nodes = graph._node
    found = [
        Plan(node_id(key), child_id, attrs.get("kind") or "", attrs.get("start_date"), attrs.get("end_date"))
        for key, _ in in_facts(graph, person_node(child_id), "OF")
        if (attrs := nodes[key]).get("label") == "Plan"
    ]
    return tuple(sorted(found, key=lambda p: p.plan_id))


def considerations_of(graph: nx.MultiDiGraph, person_id: str) -> tuple[tuple[str, dt.date | None], ...]:
    """The (referral id, considered_on) of each consideration of the person, on any referral."""
    person(graph, person_id)
    return tuple(
        sorted(
            (node_id(key), attrs.get("considered_on"))
            for key, attrs in in_facts(graph, person_node(person_id), "CONSIDERED")
        )
    )


@dataclass(frozen=True)
class Check:
    """A MASH's request to an agency for information about a referral."""

    check_id: str
    agency_id: str
    agency_kind: str | None
    requested_at: dt.datetime | None
    responded_at: dt.datetime | None
    response: str | None


def checks_for(graph: nx.MultiDiGraph, referral_id: str) -> tuple[Check, ...]:
    """The checks made for the referral, by requested_at (unknown last) then id."""
    nodes = graph._node
    found = []
    for key, _ in in_facts(graph, referral_node(referral_id), "FOR"):
        attrs = nodes[key]
        agency = attrs.get("agency_id")
        found.append(
            Check(
                node_id(key),
                agency,
                agency_kind(graph, agency),
                attrs.get("requested_at"),
                attrs.get("responded_at"),
                attrs.get("response"),
            )
        )
    return tuple(sorted(found, key=lambda c: (c.requested_at is None, c.requested_at or _EPOCH, c.check_id)))


_EPOCH = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
