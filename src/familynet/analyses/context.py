"""The household context of a child on a date: everything a practitioner reads first.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care")
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("C", date_of_birth="2016-03-01")
>>> b.relationship("M", "C", "parent_of", subtype="birth", parental_responsibility=True, recorded_by="SC")
>>> for ident, role in (("M", "parent"), ("C", "child")):
...     b.membership(ident, "H1", role=role, recorded_by="SC")
>>> ctx = household_context(b.graph, "C", dt.date(2024, 1, 1))
>>> [(p.person_id, p.parental_responsibility, p.lives_with_child) for p in ctx.parents]
[('M', True, True)]
>>> [f.kind for f in ctx.flags]
['father_not_recorded']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import networkx as nx

from familynet.analyses.adults import SignificantAdult, significant_adults
from familynet.analyses.allegations import FLAG_MONTHS, alleged_perpetrators
from familynet.analyses.facts import agency_kind, in_facts, is_active, node_id, out_facts, person
from familynet.analyses.households import Membership, members, memberships, other_agency_households, recorded_households
from familynet.analyses.missing import Finding, duplicate_findings, findings_on, mention_findings
from familynet.analyses.parameters import check_parameters
from familynet.analyses.people import ADULT, INFANT, is_confidential
from familynet.analyses.previously import PreviouslyRecorded, previously_recorded
from familynet.analyses.referrals import assessments_of, referrals_about
from familynet.analyses.siblings import Sibling, siblings
from familynet.model.dates import months_before
from familynet.model.history import PreviousVersion
from familynet.model.network import person_node


@dataclass(frozen=True)
class HouseholdView:
    """A household of the child and every agency's record of its members."""

    household_id: str
    recorded: bool
    """True for the child's recorded households; False for one only another agency puts the child in."""
    members: tuple[Membership, ...]


@dataclass(frozen=True)
class ParentView:
    """A parent of the child (any subtype)."""

    person_id: str
    subtypes: tuple[str, ...]
    parental_responsibility: bool | None
    """True if any active record gives it, False if records deny it and none gives it, else None."""
    lives_with_child: bool
    """Whether the parent shares one of the child's recorded households."""


@dataclass(frozen=True)
class AgencyView:
    """An agency involved with the child."""

    agency_id: str
    kind: str | None


@dataclass(frozen=True)
class TimelineEvent:
    """A contact, referral or assessment of the child or a sibling."""

    on: dt.date
    event: str
    """``contact``, ``referral`` or ``assessment``."""
    record_id: str
    person_id: str
    kind: str
    outcome: str | None
    categories: tuple[int, ...]
    agency_id: str | None
    """The referrer of a contact or referral; None for an assessment."""


@dataclass(frozen=True)
class RecordedAs:
    """Identity view: another record of a person the context names (docs/identity.md)."""

    person_id: str
    """The person: an identity, named by its own record's id."""
    record_id: str
    agency_id: str | None
    """The agency that recorded it."""


@dataclass(frozen=True)
class HouseholdContext:
    """The household context of a child on a date."""

    child_id: str
    on: dt.date
    households: tuple[HouseholdView, ...]
    parents: tuple[ParentView, ...]
    siblings: tuple[Sibling, ...]
    significant_adults: tuple[SignificantAdult, ...]
    agencies: tuple[AgencyView, ...]
    timeline: tuple[TimelineEvent, ...]
    flags: tuple[Finding, ...]
    confidential: tuple[str, ...] = ()
    """The persons it names who are marked confidential, sorted: not to be disclosed further."""
    also_recorded_as: tuple[RecordedAs, ...] = ()
    """Identity view: the other records of each person it names, by person then record."""
    previously: tuple[PreviouslyRecorded, ...] = ()
    """What the facts about the persons it names were previously recorded as (:func:`with_history`)."""

    def person_ids(self) -> tuple[str, ...]:
        """Every person the context names, the child first: showing it is a read of each."""
        ids = [self.child_id]
        ids += [m.person_id for h in self.households for m in h.members]
        ids += [p.person_id for p in self.parents]
        ids += [i for s in self.siblings for i in (s.person_id, *s.shared_parents)]
        ids += [a.person_id for a in self.significant_adults]
        ids += [e.person_id for e in self.timeline]
        ids += [i for f in self.flags for i in f.person_ids()]
        ids += [r.record_id for r in self.also_recorded_as]
        return tuple(dict.fromkeys(ids))


def _parents(
    graph: nx.MultiDiGraph, child_id: str, day: dt.date, homes: frozenset[str], infant_age: int
) -> tuple[ParentView, ...]:
    facts: dict[str, list[dict[str, object]]] = {}
    for other, attrs in in_facts(graph, person_node(child_id), "PARENT_OF"):
        if is_active(attrs, day):
            facts.setdefault(node_id(other), []).append(dict(attrs))
    views = []
    for parent, found in sorted(facts.items()):
        given = {f.get("parental_responsibility") for f in found}
        responsibility = True if True in given else (False if False in given else None)
        subtypes = tuple(sorted({str(f["subtype"]) for f in found if f.get("subtype")}))
        together = bool(recorded_households(graph, parent, day, infant_age=infant_age) & homes)
        views.append(ParentView(parent, subtypes, responsibility, together))
    return tuple(views)


def _agencies(graph: nx.MultiDiGraph, child_id: str, day: dt.date) -> tuple[AgencyView, ...]:
    key = person_node(child_id)
    found = {r.referrer_agency_id for r in referrals_about(graph, child_id) if r.received_on <= day}
    found |= {m.agency_id for m in memberships(graph, child_id, day)}
    for edge_type in ("PARENT_OF", "PARTNER_OF", "SIBLING_OF"):
        facts = [*out_facts(graph, key, edge_type), *in_facts(graph, key, edge_type)]
        found |= {attrs.get("recorded_by") for _, attrs in facts if is_active(attrs, day)}
    return tuple(AgencyView(a, agency_kind(graph, a)) for a in sorted(a for a in found if a is not None))


def _timeline(graph: nx.MultiDiGraph, people: tuple[str, ...], day: dt.date) -> tuple[TimelineEvent, ...]:
    events = [
        TimelineEvent(
            r.received_on,
            r.kind,
            r.referral_id,
            subject,
            r.kind,
            r.outcome,
            tuple(sorted(r.categories)),
            r.referrer_agency_id,
        )
        for subject in people
        for r in referrals_about(graph, subject)
        if r.received_on <= day
    ]
    events += [
        TimelineEvent(
            a.started_on, "assessment", a.assessment_id, subject, a.kind, a.outcome, tuple(sorted(a.categories)), None
        )
        for subject in people
        for a in assessments_of(graph, subject)
        if a.started_on is not None and a.started_on <= day
    ]
    return tuple(sorted(events, key=lambda e: (e.on, e.person_id, e.record_id)))


def household_context(
    graph: nx.MultiDiGraph,
    child_id: str,
    on: dt.date | None = None,
    *,
    flag_months: int = FLAG_MONTHS,
    adult_age: int = ADULT,
    infant_age: int = INFANT,
) -> HouseholdContext:
    """The household context of ``child_id`` on ``on`` (default today).

    Flags are the audit 3 findings that concern the child: those judged on the day,
    and those from mentions in contacts and referrals about the child received in
    the ``flag_months`` calendar months up to and including the day; and each alleged
    perpetrator in the child's household (:func:`~familynet.analyses.allegations.alleged_perpetrators`).
    """
    check_parameters(flag_months=flag_months, adult_age=adult_age, infant_age=infant_age)
    day = on or dt.date.today()
    person(graph, child_id)
    homes = recorded_households(graph, child_id, day, infant_age=infant_age)
    views = [HouseholdView(h, True, members(graph, h, day)) for h in sorted(homes)]
    views += [
        HouseholdView(h, False, members(graph, h, day))
        for h in other_agency_households(graph, child_id, day)
        if h not in homes
    ]
    found_siblings = siblings(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)
    sibling_ids = tuple(s.person_id for s in found_siblings)
    adults = significant_adults(
        graph, child_id, day, sibling_ids=sibling_ids, adult_age=adult_age, infant_age=infant_age
    )
    flags = findings_on(graph, child_id, day, known_siblings=found_siblings, adult_age=adult_age, infant_age=infant_age)
    flags += mention_findings(
        graph, child_id, months_before(day, flag_months), day, adult_age=adult_age, infant_age=infant_age
    )
    flags += duplicate_findings(
        graph, child_id, day, months_before(day, flag_months), adult_age=adult_age, infant_age=infant_age
    )
    flags += alleged_perpetrators(
        graph, child_id, day, flag_months=flag_months, adult_age=adult_age, infant_age=infant_age
    )
    context = HouseholdContext(
        child_id,
        day,
        tuple(views),
        _parents(graph, child_id, day, homes, infant_age),
        found_siblings,
        adults,
        _agencies(graph, child_id, day),
        _timeline(graph, (child_id, *sibling_ids), day),
        tuple(sorted(flags, key=Finding.sort_key)),
    )
    # A possible duplicate's other record is named by id but need not be in the network.
    named = [p for p in context.person_ids() if person_node(p) in graph]
    also = tuple(
        RecordedAs(p, record, agency)
        for p in sorted(named)
        for record, agency in graph._node[person_node(p)].get("records", ())[1:]
    )
    confidential = tuple(sorted(p for p in named if is_confidential(graph, p)))
    return replace(context, confidential=confidential, also_recorded_as=also)


def with_history(
    context: HouseholdContext, graph: nx.MultiDiGraph, versions: Sequence[PreviousVersion]
) -> HouseholdContext:
    """``context`` showing what the facts about the persons it names were previously recorded as,
    from the ``versions`` the store kept of them (:func:`~familynet.analyses.previously.previously_recorded`)."""
    return replace(context, previously=previously_recorded(graph, versions, context.person_ids()))
