"""Audit 3 — household members missing from records: six kinds of finding, and possible duplicates.

For each child (or unborn child) who is the subject of an in-scope contact or
referral received in [from, to], evaluated on the date ``d`` of the child's latest
such contact or referral. The four kinds judged on a day (:func:`findings_on`)
are also the flags of a child's household context.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("M", sex="female", date_of_birth="1990")
>>> b.person("C", date_of_birth="2016-03-01")
>>> b.relationship("M", "C", "parent_of", subtype="birth")
>>> [(f.kind, f.person_id) for f in findings_on(b.graph, "C", dt.date(2024, 1, 1), **AUDIT.defaults())]
[('father_not_recorded', None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import subjects
from familynet.analyses.declaration import ADULT_AGE, INFANT_AGE, Audit, Chosen
from familynet.analyses.duplicates import KIND as DUPLICATE
from familynet.analyses.duplicates import possible_duplicates
from familynet.analyses.facts import person
from familynet.analyses.households import (
    members,
    memberships,
    other_agency_households,
    recorded_households,
    recorded_members,
)
from familynet.analyses.people import birth_parents, date_of_birth_used, is_alive, parents
from familynet.analyses.referrals import Referral, mentions, referrals_in_scope
from familynet.analyses.siblings import Sibling, siblings
from familynet.model.cohort import CohortBatch
from familynet.model.dates import age_on
from familynet.model.keys import person_node, referral_node

#: The kinds of finding, in report order.
KINDS = (
    "father_not_recorded",
    "mentioned_person_not_in_household",
    "mentioned_parent_not_recorded",
    "member_only_in_other_agency_record",
    "sibling_not_recorded",
    "child_in_other_household_record",
    DUPLICATE,
)
#: The kinds of flag of a household context: the findings, and one of its own.
FLAG_KINDS = (*KINDS, "alleged_perpetrator_in_household")
#: Mention roles that say a person lives with, or looks after, the child.
HOUSEHOLD_ROLES = frozenset({"carer", "household_member", "alleged_perpetrator"})
#: How evidence shows a record id withheld from its reader (a blank id; docs/identity.md).
WITHHELD_RECORD = "a record you may not see"


@dataclass(frozen=True, order=True)
class Evidence:
    """One piece of evidence for a finding; the fields that do not apply are None."""

    referral_id: str | None = None
    agency_id: str | None = None
    household_id: str | None = None
    parent_id: str | None = None
    person_id: str | None = None
    """A man in the child's recorded households (father_not_recorded)."""
    roles: tuple[str, ...] = ()
    """His recorded memberships of the child's households, each ``household:role``."""
    age: str | None = None
    """His age in completed years on the day, or ``unknown``."""
    about: str | None = None
    """Whom the referral is about: ``child``, ``sibling`` or ``other_child`` (alleged_perpetrator_in_household)."""
    relationship: str | None = None
    """``partner_of:<subtype>`` with the parent ``parent_id`` (alleged_perpetrator_in_household)."""
    records: tuple[str, ...] = ()
    """In the identity view, the records the evidence is about when they are not the person's own:
    the record a membership was recorded about (member_only_in_other_agency_record), the record a
    contact or referral mentions (the two mention findings), or the two records of a candidate
    pair pending review (possible_duplicate)."""
    probability: float | None = None
    """The pair's match probability (possible_duplicate)."""

    def __str__(self) -> str:
        names = ("referral", "about", "agency", "household", "parent", "relationship", "person", "roles", "age",
                 "records", "probability")  # fmt: skip
        values = (
            self.referral_id, self.about, self.agency_id, self.household_id, self.parent_id, self.relationship,
            self.person_id, ",".join(self.roles) or None, self.age,
            ",".join(r or WITHHELD_RECORD for r in self.records) or None, self.probability,
        )  # fmt: skip
        return " ".join(f"{n}={v}" for n, v in zip(names, values, strict=True) if v is not None)


@dataclass(frozen=True)
class Finding:
    """A gap in the record about a child."""

    HEADER: ClassVar[tuple[str, ...]] = ("kind", "child_id", "person_id", "evidence")

    kind: str
    child_id: str
    person_id: str | None
    """None for father_not_recorded and child_in_other_household_record."""
    evidence: tuple[Evidence, ...]

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row, in HEADER order."""
        return (self.kind, self.child_id, self.person_id, tuple(str(e) for e in self.evidence))

    def person_ids(self) -> tuple[str, ...]:
        """The persons the finding names: the child, the person and any parent its evidence
        cites (each one a read of that person when the finding is shown)."""
        ids = (self.child_id, self.person_id, *(i for e in self.evidence for i in (e.parent_id, e.person_id)))
        ids += tuple(r for e in self.evidence for r in e.records)
        # A blank record id is one withheld from the reader (service.identities.withheld_flags).
        return tuple(i for i in ids if i)

    def sort_key(self) -> tuple[str, int, str]:
        """Child, then kind in report order, then person."""
        return (self.child_id, FLAG_KINDS.index(self.kind), self.person_id or "")


@dataclass(frozen=True)
class MissingMembers:
    """The result of audit 3 over a period."""

    period_from: dt.date
    period_to: dt.date
    parameters: dict[str, int]
    findings: tuple[Finding, ...]
    summary: dict[str, Any]


def findings_on(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    *,
    known_siblings: tuple[Sibling, ...] | None = None,
    adult_age: int,
    infant_age: int,
) -> tuple[Finding, ...]:
    """The findings judged on one day: father_not_recorded, member_only_in_other_agency_record,
    sibling_not_recorded and child_in_other_household_record; ``known_siblings`` saves
    finding again the child's siblings on the day when the caller has them."""
    person(graph, child_id)
    found: list[Finding] = []
    own_parents = birth_parents(graph, child_id, day)
    households = recorded_households(graph, child_id, day, infant_age=infant_age)
    if len(own_parents) < 2 and all(person(graph, p).get("sex") != "male" for p in own_parents):
        evidence = tuple(Evidence(parent_id=p) for p in sorted(own_parents))
        evidence += _men_at_home(graph, child_id, households, day, adult_age)
        found.append(Finding("father_not_recorded", child_id, None, evidence))
    outside: dict[str, set[Evidence]] = {}
    for household in sorted(households):
        listed = members(graph, household, day)
        in_record = {m.person_id for m in listed if m.recorded}
        for m in listed:
            if not m.recorded and m.person_id not in in_record:
                recorded_as = () if m.record_id is None else (m.record_id,)
                item = Evidence(agency_id=m.agency_id, household_id=household, records=recorded_as)
                outside.setdefault(m.person_id, set()).add(item)
    found += [
        Finding("member_only_in_other_agency_record", child_id, other, tuple(sorted(evidence)))
        for other, evidence in sorted(outside.items())
    ]
    found += [
        Finding("sibling_not_recorded", child_id, s.person_id, tuple(Evidence(parent_id=p) for p in s.shared_parents))
        for s in (
            known_siblings
            if known_siblings is not None
            else siblings(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)
        )
        if s.basis == "derived" and s.relation in {"full", "half", "unknown"} and not s.co_resident
    ]
    found += [
        Finding(
            "child_in_other_household_record",
            child_id,
            None,
            tuple(Evidence(agency_id=agency or None, household_id=household) for agency in agencies),
        )
        for household, agencies in other_agency_households(graph, child_id, day).items()
        if household not in households
    ]
    return tuple(sorted(found, key=Finding.sort_key))


def _men_at_home(
    graph: nx.MultiDiGraph, child_id: str, households: frozenset[str], day: dt.date, adult_age: int
) -> tuple[Evidence, ...]:
    """One entry per man alive on ``day``, ``adult_age`` or over or of unknown age, with an active
    recorded membership of one of the child's recorded households: his households and roles, and age."""
    found = []
    for man in sorted({m for h in households for m in recorded_members(graph, h, day)} - {child_id}):
        if person(graph, man).get("sex") != "male" or not is_alive(graph, man, day):
            continue
        born = date_of_birth_used(graph, man, day)
        age = age_on(born, day) if born is not None and born <= day else None
        if age is not None and age < adult_age:
            continue
        roles = tuple(
            f"{m.household_id}:{m.role or 'member'}"
            for m in memberships(graph, man, day)
            if m.recorded and m.household_id in households
        )
        found.append(Evidence(person_id=man, roles=roles, age="unknown" if age is None else str(age)))
    return tuple(found)


def _mention_evidence(graph: nx.MultiDiGraph, referral: Referral, *, infant_age: int) -> Iterable[tuple[str, str]]:
    """(kind, person) of each mention in the referral that the record does not bear out."""
    day = referral.received_on
    households = recorded_households(graph, referral.child_id, day, infant_age=infant_age)
    child_parents = parents(graph, referral.child_id, day)
    for other, role in mentions(graph, referral.referral_id):
        if other == referral.child_id:
            continue
        if role in HOUSEHOLD_ROLES and not recorded_households(graph, other, day, infant_age=infant_age) & households:
            yield "mentioned_person_not_in_household", other
        if role == "parent" and other not in child_parents:
            yield "mentioned_parent_not_recorded", other


def _period_referrals(
    graph: nx.MultiDiGraph, child_id: str, start: dt.date, end: dt.date, adult_age: int
) -> tuple[Referral, ...]:
    return referrals_in_scope(graph, child_id, adult_age=adult_age, received=(start, end))


def _mentioned_records(graph: nx.MultiDiGraph, referral_id: str, person_id: str) -> tuple[str, ...]:
    """Identity view: the records of the person the referral mentions when they are not its own."""
    edges = graph.get_edge_data(referral_node(referral_id), person_node(person_id)) or {}
    return tuple(
        sorted({a["target_record"] for a in edges.values() if a.get("type") == "MENTIONS" and "target_record" in a})
    )


def _from_mentions(
    graph: nx.MultiDiGraph, child_id: str, referrals: Iterable[Referral], infant_age: int
) -> tuple[Finding, ...]:
    evidence: dict[tuple[str, str], set[Evidence]] = {}
    for referral in referrals:
        for kind, other in _mention_evidence(graph, referral, infant_age=infant_age):
            item = Evidence(
                referral_id=referral.referral_id,
                agency_id=referral.referrer_agency_id,
                records=_mentioned_records(graph, referral.referral_id, other),
            )
            evidence.setdefault((kind, other), set()).add(item)
    found = [Finding(kind, child_id, other, tuple(sorted(items))) for (kind, other), items in evidence.items()]
    return tuple(sorted(found, key=Finding.sort_key))


def mention_findings(
    graph: nx.MultiDiGraph, child_id: str, start: dt.date, end: dt.date, *, adult_age: int, infant_age: int
) -> tuple[Finding, ...]:
    """The findings from mentions in the in-scope contacts and referrals about the child
    received in ``[start, end]``: mentioned_person_not_in_household and
    mentioned_parent_not_recorded, one per (kind, person), each mentioning referral as evidence."""
    return _from_mentions(graph, child_id, _period_referrals(graph, child_id, start, end, adult_age), infant_age)


def duplicate_findings(
    graph: nx.MultiDiGraph, child_id: str, day: dt.date, since: dt.date, *, adult_age: int, infant_age: int
) -> tuple[Finding, ...]:
    """possible_duplicate: one per person of the child's network on ``day`` with candidate pairs
    pending review (mentions in contacts and referrals received since ``since``); evidence: each
    pair's records and probability (:mod:`familynet.analyses.duplicates`)."""
    found = possible_duplicates(graph, child_id, day, since, adult_age=adult_age, infant_age=infant_age)
    return tuple(
        Finding(
            DUPLICATE, child_id, p, tuple(Evidence(records=(r.left, r.right), probability=r.probability) for r in rs)
        )
        for p, rs in found.items()
    )


def _evaluate(
    graph: nx.MultiDiGraph, child_id: str, start: dt.date, end: dt.date, adult_age: int, infant_age: int
) -> tuple[Finding, ...] | None:
    """The child's findings, or None when the child is not in the audit's cohort."""
    referrals = _period_referrals(graph, child_id, start, end, adult_age)
    if not referrals:
        return None
    day = referrals[-1].received_on
    found = findings_on(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)
    found += _from_mentions(graph, child_id, referrals, infant_age)
    found += duplicate_findings(graph, child_id, day, start, adult_age=adult_age, infant_age=infant_age)
    return tuple(sorted(found, key=Finding.sort_key))


def child_findings(
    graph: nx.MultiDiGraph, child_id: str, start: dt.date, end: dt.date, *, adult_age: int, infant_age: int
) -> tuple[Finding, ...]:
    """Audit 3 for one child: every finding, judged on the date of the child's latest
    in-scope contact or referral received in ``[start, end]`` (none without one)."""
    return _evaluate(graph, child_id, start, end, adult_age, infant_age) or ()


def missing_found(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen
) -> list[tuple[Finding, ...]]:
    """Audit 3 for the subjects of some cohort batches, in any order: each cohort child's findings."""
    adult_age, infant_age = chosen["adult_age"], chosen["infant_age"]
    return [
        evaluated
        for graph, child_id in subjects(batches)
        if (evaluated := _evaluate(graph, child_id, start, end, adult_age, infant_age)) is not None
    ]


def missing_result(
    found: Iterable[tuple[Finding, ...]], start: dt.date, end: dt.date, chosen: Chosen
) -> MissingMembers:
    """Audit 3 from each cohort child's findings, as :func:`missing_found` found them over every batch."""
    children = 0
    findings: list[Finding] = []
    for evaluated in found:
        children += 1
        findings += evaluated
    findings.sort(key=Finding.sort_key)
    by_kind = dict.fromkeys(KINDS, 0)
    for finding in findings:
        by_kind[finding.kind] += 1
    summary: dict[str, Any] = {
        "children": children,
        "children_with_findings": len({f.child_id for f in findings if f.kind != DUPLICATE}),
        "children_with_possible_duplicates": len({f.child_id for f in findings if f.kind == DUPLICATE}),
        "findings": len(findings),
        "by_kind": by_kind,
    }
    return MissingMembers(start, end, dict(chosen), tuple(findings), summary)


def missing_members(batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: int) -> MissingMembers:
    """Audit 3 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: MissingMembers = AUDIT(batches, start, end, **parameters)
    return result


def missing_messages(result: MissingMembers) -> tuple[str, ...]:
    """Audit 3's key messages: children with findings, and the findings by kind."""
    s = result.summary
    # Key messages are read by a board, not parsed: the kinds in words, not codes.
    kinds = ", ".join(f"{kind.replace('_', ' ')} {count:,}" for kind, count in s["by_kind"].items() if count)
    return (
        f"{s['children_with_findings']:,} of {s['children']:,} children referred had a household member "
        "missing from the records.",
        f"Findings by kind: {kinds or 'none'}.",
        *(
            [
                f"{s['children_with_possible_duplicates']:,} children had a person in their network with a possible "
                "duplicate record pending review."
            ]
            if s["children_with_possible_duplicates"]
            else []
        ),
    )


AUDIT = Audit(
    name="missing-members",
    field="missingMembers",
    heading="Audit 3 — household members missing from records",
    description="Audit 3: household members missing from the records of children referred in the period.",
    help="For each child who is the subject of an in-scope contact or referral received in the period: fathers "
    "not recorded, mentioned persons not in the household record, mentioned parents not recorded, members only "
    "in another agency's record, siblings not recorded, and the child in another agency's household.",
    run=missing_members,
    collect=missing_found,
    finish=missing_result,
    parameters=(ADULT_AGE, INFANT_AGE),
    mentions="cohort",
    result=MissingMembers,
    row=Finding,
    rows=lambda result: result.findings,
    key_messages=missing_messages,
)
