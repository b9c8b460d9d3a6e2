"""How far the identity view reaches: every fact about any record of a person, on both stores.

A network in the identity view is the record-level network with each identity one person: a hop
from any record of a person is a hop from the person, so a fact linking an identity's other record
to people nothing else reaches brings them in (issue 11: "every fact about any of its records
attaches to that node").
"""

from __future__ import annotations

import datetime as dt

from conftest import LoadRecords
from familynet.analyses import household_context
from familynet.identity.resolution import Thresholds, decide
from familynet.identity.view import identity_network
from familynet.model.identity import Decision, DecisionKind
from familynet.model.records import Assessment, Household, Membership, Mention, Record, Referral, Relationship
from familynet.stores.protocol import Store
from identity_records import AGENCIES, HEA, POL, SC, parent_of, person, unborn

D = dt.date
ON = D(2026, 1, 1)
AT = dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
#: No automatic link: every link in these tests is a reviewer's.
MANUAL = Thresholds(link=1.0, review=1.0)
FLAG = "alleged_perpetrator_in_household"


def _member(household: str, person_id: str, role: str, by: str = SC) -> Membership:
    return Membership(household, person_id, role, D(2024, 1, 1), None, by)


def _referral(ident: str, child: str, received: dt.date, by: str) -> Referral:
    return Referral(ident, "contact", child, received, by, ("3A",), "nfa", None, None, None)


def _link(store: Store, *pairs: tuple[str, str]) -> None:
    for left, right in pairs:
        decide(store, Decision(DecisionKind.LINK, left, right, "reviewer", "same person", AT), MANUAL)


def _step_father() -> list[Record]:
    """Child C lives with her mother M and step-father S (social care's records, household H). The
    police know S as SP, the father of O in another family, and name SP as alleged perpetrator in
    a contact about O. No fact of C's family reaches SP, O or that contact."""
    return [
        *AGENCIES,
        person("C", "Lily", "Walsh", "2016-03-04", "female"),
        person("M", "Kerry", "Walsh", "1990-05-06", "female"),
        person("S", "Dean", "Price", "1985-01-02"),
        person("SP", "Dean", "Pryce", "1985-01-02", by=POL),
        person("O", "Ryan", "Pryce", "2012-07-08", by=POL),
        parent_of("M", "C"),
        Relationship("SP", "O", "parent_of", "birth", None, None, None, POL),
        Household("H", "1 Street", "AB1 2CD", None),
        _member("H", "C", "child"),
        _member("H", "M", "parent"),
        _member("H", "S", "partner_of_parent"),
        _referral("RC", "C", D(2025, 11, 1), SC),
        _referral("RO", "O", D(2025, 10, 1), POL),
        Mention("RO", "SP", "alleged_perpetrator"),
    ]


def test_the_step_fathers_police_record_named_as_alleged_perpetrator_of_another_child_raises_the_flag(
    store: Store, load: LoadRecords
) -> None:
    load(store, _step_father())
    # Records apart: the police record is another man, and nothing alleges anything of S.
    assert FLAG not in {f.kind for f in household_context(store.family_network("C"), "C", ON).flags}
    _link(store, ("S", "SP"))
    identity, graph = identity_network(store, "C")
    (flag,) = [f for f in household_context(graph, identity, ON).flags if f.kind == FLAG]
    assert flag.person_id == "S"
    assert [(e.referral_id, e.about) for e in flag.evidence if e.referral_id] == [("RO", "other_child")]
    # The audits read the same reach: the cohort batch of C holds the contact about O and its mention of S.
    (batch,) = store.cohort(D(2025, 11, 1), D(2025, 11, 30))
    assert batch.child_ids == ("C",)
    mentions = {(u, v, d.get("target_record")) for u, v, d in batch.graph.edges(data=True) if d["type"] == "MENTIONS"}
    assert ("Referral:RO", "Person:S", "SP") in mentions


def test_each_hop_from_any_record_of_a_person_is_a_hop_from_the_person(store: Store, load: LoadRecords) -> None:
    # C's father F is recorded by police as FP, living at H2 with a partner P: two hops from FP.
    records: list[Record] = [
        *AGENCIES,
        person("C", "Lily", "Walsh", "2016-03-04", "female"),
        person("F", "Dean", "Walsh", "1985-01-02"),
        person("FP", "Dean", "Welsh", "1985-01-02", by=POL),
        person("P", "Gina", "Hart", "1991-02-03", "female", by=POL),
        parent_of("F", "C"),
        Household("H2", "2 Road", "ZZ1 1ZZ", None),
        _member("H2", "FP", "parent", POL),
        _member("H2", "P", "partner_of_parent", POL),
    ]
    load(store, records)
    _link(store, ("F", "FP"))
    _, graph = identity_network(store, "C")
    # C -> F (and so FP) -> H2 -> P: three hops in the identity view.
    assert {"Person:P", "Household:H2"} <= set(graph)
    assert "Person:P" not in identity_network(store, "C", hops=2)[1]


def test_the_baby_health_referred_is_the_unborn_child_social_care_assessed(store: Store, load: LoadRecords) -> None:
    records: list[Record] = [
        *AGENCIES,
        person("M", "Ada", "Okafor", "1998-02-03", "female"),
        unborn("U", "Okafor", "2025-05-01"),
        person("B", "Grace", "Okafor", "2025-04-28", "female", by=HEA),
        parent_of("M", "U"),
        _referral("RU", "U", D(2025, 2, 1), SC),
        Assessment("A1", "U", "RU", "child_and_family", D(2025, 2, 3), None, (), None),
        _referral("RB", "B", D(2025, 6, 1), HEA),
        # Health record the baby's father, whom social care have not met.
        person("G", "Kofi", "Mensah", "1996-09-10", by=HEA),
        parent_of("G", "B", by=HEA),
    ]
    load(store, records)
    assert "Referral:RB" not in store.family_network("U")
    _link(store, ("U", "B"))
    identity, graph = identity_network(store, "B")
    assert identity == "U"
    about = {graph.nodes[n]["child_id"] for n in graph if n.startswith(("Referral:", "Assessment:"))}
    assert about == {"U"} and {"Referral:RB", "Referral:RU", "Assessment:A1"} <= set(graph)
    # From the mother: her unborn child, then the father health record of the baby.
    _, graph = identity_network(store, "M")
    assert {"Referral:RB", "Assessment:A1", "Person:G"} <= set(graph)


def test_the_other_agencys_household_member_is_already_in_the_record(store: Store, load: LoadRecords) -> None:
    # Police record the mother's partner at H as XP; social care record him at H as X.
    records: list[Record] = [
        *AGENCIES,
        person("C", "Lily", "Walsh", "2016-03-04", "female"),
        person("X", "Dean", "Price", "1985-01-02"),
        person("XP", "Dean", "Pryce", "1985-01-02", by=POL),
        Household("H", "1 Street", "AB1 2CD", None),
        _member("H", "C", "child"),
        _member("H", "X", "partner_of_parent"),
        _member("H", "XP", "partner_of_parent", POL),
    ]
    load(store, records)
    missing = "member_only_in_other_agency_record"
    assert missing in {f.kind for f in household_context(store.family_network("C"), "C", ON).flags}
    _link(store, ("X", "XP"))
    identity, graph = identity_network(store, "C")
    assert missing not in {f.kind for f in household_context(graph, identity, ON).flags}
