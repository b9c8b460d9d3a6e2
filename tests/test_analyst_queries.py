"""The analysts' Cypher of ``queries/analyst/`` gives the rules' answers, on a real Neo4j.

The rules are implemented once, in :mod:`familynet.analyses`; these queries are conveniences
for Neo4j Browser and Bloom. One database holds a generated local authority and, beside it,
hand-built families (ids ``T...``) at the edges of the definitions: leap days and month ends
in the re-referral window, a 29 February birthday, an infant living with their mother, a
sibling_of recorded twice with different subtypes, a child known only by a membership role,
a dead child, a parent's partner and a mentioned adult who each reach two households.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import neo4j
import networkx as nx
import pytest

from conftest import load_records
from familynet import analyses
from familynet.analyses.households import members, recorded_households
from familynet.bundle.ingest import ingest_bundle
from familynet.model.dates import PartialDate
from familynet.model.records import (
    Agency,
    Assessment,
    Household,
    Membership,
    Mention,
    Person,
    Record,
    Referral,
    Relationship,
)
from familynet.model.vocabulary import vocabulary
from familynet.stores.neo4j.store import Neo4jStore
from familynet.stores.queries import queries
from familynet.synthetic import write_demo_bundle
from neo4j_server import Neo4jTarget, empty_store, needs_neo4j

pytestmark = needs_neo4j

TODAY = dt.date(2025, 6, 30)
START, END = dt.date(2021, 1, 1), dt.date(2025, 6, 30)
D = dt.date
SC, POL, HEA = "TSC", "TPOL", "THEA"


def _person(ident: str, born: str | None, sex: str = "unknown", *, expected: dt.date | None = None,
            died: dt.date | None = None) -> Person:  # fmt: skip
    return Person(ident, None, None, PartialDate.parse(born) if born else None, expected, sex, died, None, SC)


def _parent(parent: str, child: str, subtype: str = "birth", by: str = SC) -> Relationship:
    return Relationship(parent, child, "parent_of", subtype, None, None, None, by)


def _member(household: str, person: str, role: str, by: str = SC) -> Membership:
    return Membership(household, person, role, None, None, by)


def _referral(ident: str, child: str, received: dt.date, concerns: str, outcome: str = "nfa") -> Referral:
    return Referral(ident, "referral", child, received, POL, tuple(concerns.split(";")), outcome, None, None, None)


def _assessment(ident: str, child: str, started: dt.date) -> Assessment:
    return Assessment(ident, child, None, "child_and_family", started, None, (), None)


def _edge_cases() -> list[Record]:
    """Families at the edges of the definitions (see the module docstring)."""
    agencies = [
        Agency(SC, "Social care", "social_care"),
        Agency(POL, "Police", "police"),
        Agency(HEA, "Health", "health"),
    ]
    households = [Household(f"TH{n}", None, None, None) for n in range(1, 5)]
    persons = [
        # Re-referral windows: 12 months before 29 Feb 2024 is 28 Feb 2023; 3 before 31 May 2025, 28 Feb 2025.
        *(_person(f"TC{n}", "2015-01-01") for n in range(1, 5)),
        _person("TC5", "2008-02-29"),  # turns 17 on 1 March 2025, not on 28 February
        _person("TM", "1985", "female"), _person("TF", "1984", "male"), _person("TM2", "1986", "female"),
        _person("TP", "1983", "male"), _person("TX", "1990", "male"),
        _person("TK1", "2014-05-01"), _person("TK2", "2016"), _person("TK3", "2024-06-01"),
        _person("TK4", None), _person("TK5", "2013-02"), _person("TS", "2012-07-07"),
        _person("TD", "2017-01-01", died=D(2024, 1, 1)), _person("TU", None, expected=D(2025, 1, 1)),
        _person("TQ", "2019-03-03"),
    ]  # fmt: skip
    relationships = [
        _parent("TM", "TK1"), _parent("TF", "TK1"), _parent("TM", "TK2"), _parent("TM", "TK3"),
        _parent("TF", "TK5"), _parent("TM2", "TK5"), _parent("TM", "TD"), _parent("TM", "TU"),
        _parent("TP", "TS"),
        Relationship("TM", "TP", "partner_of", "cohabiting", None, None, None, POL),
        Relationship("TK1", "TK4", "sibling_of", "half", None, None, None, SC),
        Relationship("TK4", "TK1", "sibling_of", "full", None, None, None, HEA),
    ]  # fmt: skip
    memberships = [
        _member("TH1", "TM", "parent"), _member("TH1", "TK1", "child"), _member("TH1", "TK2", "child"),
        _member("TH1", "TP", "partner_of_parent", POL), _member("TH2", "TK4", "child", HEA),
        _member("TH3", "TS", "child"), _member("TH3", "TP", "parent"),
        _member("TH4", "TQ", "child"), _member("TH4", "TX", "lodger"),
    ]  # fmt: skip
    referrals = [
        _referral("TR1a", "TC1", D(2023, 2, 28), "3A", "assessment"), _referral("TR1b", "TC1", D(2024, 2, 29), "3B;21"),
        _referral("TR2a", "TC2", D(2023, 2, 27), "3A"), _referral("TR2b", "TC2", D(2024, 2, 29), "3A"),
        _referral("TR3a", "TC3", D(2025, 2, 28), "4A"), _referral("TR3b", "TC3", D(2025, 5, 31), "4B;1A"),
        _referral("TR4a", "TC4", D(2025, 2, 27), "4A"), _referral("TR4b", "TC4", D(2025, 5, 31), "4A"),
        _referral("TR5a", "TC5", D(2024, 12, 1), "7A"), _referral("TR5b", "TC5", D(2025, 2, 28), "7A"),
        _referral("TRK", "TK1", D(2024, 9, 1), "3A"),
    ]  # fmt: skip
    assessments = [_assessment("TA1", "TK1", D(2024, 9, 10)), _assessment("TA2", "TK2", D(2024, 8, 15))]
    return [*agencies, *persons, *households, *memberships, *relationships, *referrals,
            Mention("TRK", "TX", "alleged_perpetrator"), *assessments]  # fmt: skip


@pytest.fixture(scope="module")
def store(neo4j_target: Neo4jTarget, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jStore]:
    bundle = tmp_path_factory.mktemp("analyst") / "bundle"
    write_demo_bundle(bundle, 300, 7, today=TODAY)
    opened = empty_store(neo4j_target)
    try:
        report = ingest_bundle(opened, bundle, today=TODAY)
        assert report.committed and not report.problems
        load_records(opened, _edge_cases(), "edge cases")
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def run(neo4j_target: Neo4jTarget) -> Iterator[Any]:
    """``run(name, **parameters)``: the rows of the analyst query ``name``, as tuples, in its order."""
    auth = None if neo4j_target.password is None else (neo4j_target.user, neo4j_target.password)
    with neo4j.GraphDatabase.driver(neo4j_target.uri, auth=auth, notifications_min_severity="OFF") as driver:

        def rows(name: str, **parameters: object) -> list[tuple[Any, ...]]:
            records, _, _ = driver.execute_query(queries("analyst")[name], parameters)
            return [tuple(record.values()) for record in records]

        yield rows


@pytest.fixture(scope="module")
def whole_graph(store: Neo4jStore) -> nx.MultiDiGraph:
    """Every fact in the store: the union of every person's one-hop network."""
    people = [p.person_id for batch in store.facts("persons") for p in batch if isinstance(p, Person)]
    return nx.compose_all(store.family_network(person, hops=1) for person in people)


AUDIT_1 = [{}, {"assessment_days": 30, "lookback_days": 0, "adult_age": 16, "infant_age": 2}]


@pytest.mark.parametrize("parameters", AUDIT_1, ids=["defaults", "other"])
def test_siblings_not_assessed_are_audit_1s_uncovered_siblings(
    store: Neo4jStore, run: Any, parameters: dict[str, int]
) -> None:
    result = analyses.sibling_coverage(store.cohort(START, END), START, END, **parameters)
    expected = [
        (row.referral_id, row.child_id, row.received_on, row.referring_agency_kind, s.person_id, s.basis, s.relation,
         s.co_resident)
        for row in result.rows for s in row.siblings if not s.covered
    ]  # fmt: skip
    defaults = {"assessment_days": 60, "lookback_days": 30, "adult_age": 18, "infant_age": 1}
    found = run("siblings_not_assessed", **{"from": START, "to": END, **defaults, **parameters,
                "record_agency_kind": vocabulary().record_agency_kind})  # fmt: skip
    assert [(*row[:2], row[2].to_native(), *row[3:]) for row in found] == expected
    assert len({row[0] for row in expected}) > 4
    if not parameters:
        edge = {row[4:7] for row in expected if row[0] == "TRK"}
        assert edge == {("TK3", "derived", "unknown"), ("TK4", "recorded", "full"), ("TK5", "derived", "half"),
                        ("TS", "derived", "step")}  # fmt: skip


AUDIT_2 = [{}, {"months": 6, "short_months": 1, "medium_months": 3, "adult_age": 17}]


@pytest.mark.parametrize("parameters", AUDIT_2, ids=["defaults", "other"])
def test_rereferrals_with_the_same_concern_are_audit_2s(
    store: Neo4jStore, run: Any, parameters: dict[str, Any]
) -> None:
    result = analyses.repeat_referrals(store.cohort(START, END), START, END, **parameters)
    expected = [
        (r.referral_id, r.child_id, r.received_on, r.previous_referral_id, r.days_since_previous, r.interval,
         list(r.shared_categories), r.previous_outcome)
        for r in result.rows if r.rereferral and r.same_concern
    ]  # fmt: skip
    defaults = {"months": 12, "short_months": 3, "medium_months": 6, "adult_age": 18}
    found = run("rereferrals_same_concern", **{"from": START, "to": END, **defaults, **parameters})
    assert [(*row[:2], row[2].to_native(), *row[3:]) for row in found] == expected
    edge = {row[0]: row[3:] for row in expected if row[0].startswith("T")}
    assert len(expected) - len(edge) >= 3, "too few generated re-referrals to compare"
    if not parameters:
        assert edge == {"TR1b": ("TR1a", 366, "6-12m", [3], "assessment"), "TR3b": ("TR3a", 92, "0-3m", [4], "nfa"),
                        "TR4b": ("TR4a", 93, "3-6m", [4], "nfa"), "TR5b": ("TR5a", 89, "0-3m", [7], "nfa")}  # fmt: skip
    else:
        assert edge == {"TR3b": ("TR3a", 92, "1-3m", [4], "nfa"), "TR4b": ("TR4a", 93, "3-6m", [4], "nfa"),
                        "TR5b": ("TR5a", 89, "1-3m", [7], "nfa")}  # fmt: skip


@pytest.mark.parametrize("day", [D(2024, 8, 31), END])
@pytest.mark.parametrize("min_households", [2, 3])
def test_adults_in_several_households_are_the_linked_adults(
    whole_graph: nx.MultiDiGraph, run: Any, day: dt.date, min_households: int
) -> None:
    expected = [
        (a.person_id, list(a.households), list(a.children))
        for a in analyses.linked_adults(whole_graph, day, min_households=min_households)
    ]
    found = run("adults_in_several_households", on=day, min_households=min_households, adult_age=18, infant_age=1,
                record_agency_kind=vocabulary().record_agency_kind)  # fmt: skip
    assert found == expected
    if min_households == 2:
        assert len(expected) > 5
        edge = {row[0]: row[1:] for row in expected if row[0].startswith("T")}
        assert edge["TP"][0] == ["TH1", "TH3"]
        assert ("TX" in edge) == (day > D(2024, 8, 31))  # mentioned on 1 September


def test_the_household_of_a_child_is_the_rules_recorded_households(store: Neo4jStore, run: Any) -> None:
    kind = vocabulary().record_agency_kind
    children = [child for batch in store.cohort(START, END) for child in batch.child_ids]
    compared = 0
    for child in children:
        graph = store.family_network(child)
        for day in (START, dt.date(2024, 12, 31), END):
            expected = sorted(
                (m.household_id, m.person_id, m.role, m.agency_id, m.agency_kind, m.recorded)
                for household in recorded_households(graph, child, day)
                for m in members(graph, household, day)
            )
            found = run("household_of_a_child", child_id=child, on=day, infant_age=1, record_agency_kind=kind)
            assert sorted(found) == expected, (child, day)
            compared += bool(expected)
    assert compared > 50
