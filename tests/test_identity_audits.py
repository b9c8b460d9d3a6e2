"""Every audit and the household context over identities, on both stores (issue 11: "the rules see identities")."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pytest

from conftest import LoadRecords, load_records
from familynet import analyses
from familynet.cli.common import open_store
from familynet.identity.resolution import decide
from familynet.identity.view import identity_network
from familynet.model.identity import Band, Candidate, Decision, DecisionKind, IdentityChanges
from familynet.model.identity_view import collapse
from familynet.model.network import FamilyGraphBuilder
from familynet.model.records import Household, Membership
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from familynet.stores.transfer import copy_store
from identity_family import AT, END, START, THRESHOLDS, family, link_duplicates
from identity_records import POL, person
from neo4j_server import Neo4jTarget, empty_store, needs_neo4j

ON = dt.date(2024, 12, 31)
#: A police record of the mother, a possible duplicate waiting in the review queue.
QUEUED = Candidate("M", "MP", 0.8, (), Band.REVIEW, (), "familynet-identity", "1")


def _audits(store: Store, *, identities: bool = True, batch_size: int = 500) -> dict[str, str]:
    """Every declared audit's JSON, and all of them over one reading, in the view asked for."""
    found = {
        a.name: a(
            store.cohort(START, END, batch_size=batch_size, mentions=a.mentions, identities=identities), START, END
        )
        for a in analyses.AUDITS
    }
    cohort = store.cohort(START, END, batch_size=batch_size, mentions=analyses.ALL_MENTIONS, identities=identities)
    found["all"] = analyses.all_audits(cohort, START, END)
    return {name: json.dumps(analyses.serialise(result), sort_keys=True, default=str) for name, result in found.items()}


def _missing(store: Store, *, identities: bool = True) -> list[tuple[str, str, str | None]]:
    result = analyses.missing_members(store.cohort(START, END, identities=identities), START, END)
    return [(f.kind, f.child_id, f.person_id) for f in result.findings]


def test_audit_3_sees_one_father_and_one_baby_over_identities(store: Store, load: LoadRecords) -> None:
    load(store, family())
    link_duplicates(store)
    records = _missing(store, identities=False)
    assert ("member_only_in_other_agency_record", "C", "FP") in records
    assert ("mentioned_person_not_in_household", "C", "FP") in records
    assert {child for _, child, _ in records} == {"B", "C", "U"}
    identities = _missing(store)
    # The father police recorded is the father social care records at home; the baby health
    # referred is the unborn child social care assessed: one subject, named by its identity.
    assert identities == [
        ("sibling_not_recorded", "C", "S"),
        ("father_not_recorded", "U", None),
        ("member_only_in_other_agency_record", "U", "U"),
    ]
    result = analyses.missing_members(store.cohort(START, END), START, END)
    (baby,) = [f for f in result.findings if f.kind == "member_only_in_other_agency_record"]
    # The membership health recorded is of its own record of the baby: the evidence says which.
    assert [(e.agency_id, e.household_id, e.records) for e in baby.evidence] == [("HEA", "H2", ("B",))]


def test_audit_2_sees_the_baby_referred_twice_over_identities(store: Store, load: LoadRecords) -> None:
    load(store, family())
    link_duplicates(store)
    records = analyses.repeat_referrals(store.cohort(START, END, identities=False), START, END)
    identities = analyses.repeat_referrals(store.cohort(START, END), START, END)
    assert records.summary["rereferrals"] == 0
    assert [(r.child_id, r.referral_id, r.previous_referral_id) for r in identities.rows if r.rereferral] == [
        ("U", "R3", "R2")
    ]


@pytest.mark.parametrize("batch_size", [1, 500])
def test_without_links_every_audit_over_identities_equals_the_record_view(
    store: Store, load: LoadRecords, batch_size: int
) -> None:
    load(store, family())
    assert _audits(store, batch_size=batch_size) == _audits(store, identities=False, batch_size=batch_size)


def test_an_unlink_restores_every_audit_exactly(store: Store, load: LoadRecords) -> None:
    load(store, family())
    before = _audits(store, identities=False)
    link_duplicates(store)
    linked = _audits(store)
    # Every audit that reads the baby or the father changes (the baby's rows now cite its identity).
    assert {name for name in before if linked[name] != before[name]} == {
        "repeat-referrals", "missing-members", "timeliness", "checks", "consent", "all"
    }  # fmt: skip
    assert _audits(store, identities=False) == before
    link_duplicates(store, DecisionKind.UNLINK)
    assert _audits(store) == before


def test_the_same_identities_in_any_batches(store: Store, load: LoadRecords) -> None:
    load(store, family())
    link_duplicates(store)
    assert _audits(store, batch_size=1) == _audits(store, batch_size=500)
    subjects = [child for batch in store.cohort(START, END, batch_size=1) for child in batch.child_ids]
    # Each identity once, in the batch of its first record in subject order (B, health's baby, before C).
    assert subjects == ["U", "C"]


def test_a_pending_review_is_flagged_in_the_household_context_and_audit_3(store: Store, load: LoadRecords) -> None:
    load(store, [*family(), person("MP", "Mary", "Kowalczk", "1990-05-06", "female", by=POL)])
    link_duplicates(store)
    store.apply_identity_changes(IdentityChanges(candidates_added=(QUEUED,)))
    identity, graph = identity_network(store, "C")
    flags = [f for f in analyses.household_context(graph, identity, ON).flags if f.kind == "possible_duplicate"]
    assert [(f.person_id, [(e.records, e.probability) for e in f.evidence]) for f in flags] == [
        ("M", [(("M", "MP"), 0.8)])
    ]
    assert [str(e) for e in flags[0].evidence] == ["records=M,MP probability=0.8"]
    assert ("possible_duplicate", "C", "M") in _missing(store)
    result = analyses.missing_members(store.cohort(START, END), START, END)
    assert result.summary["children_with_possible_duplicates"] == 1
    assert result.summary["children_with_findings"] == 2
    # The record view is today's: no flag.
    assert not [f for f in _missing(store, identities=False) if f[0] == "possible_duplicate"]
    records = analyses.household_context(store.family_network("C"), "C", ON)
    assert not [f for f in records.flags if f.kind == "possible_duplicate"]


def test_a_decided_pair_is_no_longer_flagged(store: Store, load: LoadRecords) -> None:
    load(store, [*family(), person("MP", "Mary", "Kowalczk", "1990-05-06", "female", by=POL)])
    store.apply_identity_changes(IdentityChanges(candidates_added=(QUEUED,)))
    assert ("possible_duplicate", "C", "M") in _missing(store)
    decide(store, Decision(DecisionKind.DISTINCT, "M", "MP", "reviewer", "different women", AT), THRESHOLDS)
    assert not [f for f in _missing(store) if f[0] == "possible_duplicate"]


def test_copy_carries_the_links_and_the_identity_view(store: Store, load: LoadRecords, tmp_path: Path) -> None:
    load(store, family())
    link_duplicates(store)
    copy = open_sqlite(tmp_path / "copy.db")
    try:
        copy_store(store, copy)
        assert _audits(copy) == _audits(store)
        assert identity_network(copy, "FP")[1].nodes["Person:F"]["records"] == (("F", "SC"), ("FP", "POL"))
    finally:
        copy.close()


@needs_neo4j
def test_sqlite_and_neo4j_give_the_same_identity_view(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    stores: list[Store] = [open_sqlite(tmp_path / "familynet.db"), empty_store(neo4j_target)]
    try:
        for store in stores:
            load_records(store, [*family(), person("MP", "Mary", "Kowalczk", "1990-05-06", "female", by=POL)])
            link_duplicates(store)
            store.apply_identity_changes(IdentityChanges(candidates_added=(QUEUED,)))
        sqlite, neo4j = stores
        assert _audits(sqlite) == _audits(neo4j)
        assert _audits(sqlite, identities=False) == _audits(neo4j, identities=False)
        for child in ("C", "U", "B"):
            contexts = [analyses.household_context(identity_network(s, child)[1], "C" if child == "C" else "U", ON)
                        for s in stores]  # fmt: skip
            assert contexts[0] == contexts[1]
    finally:
        for store in stores:
            store.close()


def test_a_mention_finding_names_the_record_mentioned() -> None:
    b = FamilyGraphBuilder()
    b.agency("SC", kind="social_care")
    b.agency("POL", kind="police")
    b.person("C", date_of_birth="2016-01-01", recorded_by="SC")
    b.person("X", sex="male", date_of_birth="1980", recorded_by="SC")
    b.person("XP", sex="male", date_of_birth="1980", recorded_by="POL")
    b.membership("C", "H", role="child", recorded_by="SC")
    b.referral("R", "C", received_on="2024-03-01", referrer_agency_id="POL")
    b.mention("R", "XP", role="household_member")
    graph = collapse(b.graph, {"X": "X", "XP": "X"}, {"X": "SC", "XP": "POL"})
    (finding,) = analyses.mention_findings(graph, "C", START, END, **analyses.audit_named("missing-members").defaults())
    assert (finding.kind, finding.person_id) == ("mentioned_person_not_in_household", "X")
    assert [(e.referral_id, e.agency_id, e.records) for e in finding.evidence] == [("R", "POL", ("XP",))]


def test_a_persons_record_beyond_the_network_brings_its_own_facts(store: Store, load: LoadRecords) -> None:
    # The police know the father at another address too, under a record no fact of C's family reaches.
    away = [person("FQ", "Johnny", "Smith", "1985-01-02", by=POL), Household("H9", "9 Lane", "ZZ9 9ZZ", None),
            Membership("H9", "FQ", "other", dt.date(2023, 1, 1), None, POL)]  # fmt: skip
    load(store, [*family(), *away])
    link_duplicates(store)
    decide(store, Decision(DecisionKind.LINK, "F", "FQ", "reviewer", "same man", AT), THRESHOLDS)
    _, graph = identity_network(store, "C")
    assert ("Person:F", "Household:H9", "FQ") in set(graph.edges(data="source_record"))
    (batch,) = [b for b in store.cohort(START, END, batch_size=1) if b.child_ids == ("C",)]
    assert ("Person:F", "Household:H9", "FQ") in set(batch.graph.edges(data="source_record"))


def test_audit_all_shared_out_among_processes_sees_the_same_identities(tmp_path: Path, load: LoadRecords) -> None:
    # A linked identity's records may fall in batches of different processes: each is still one subject, once.
    path = tmp_path / "familynet.db"
    store = open_sqlite(path)
    try:
        load(store, family())
        link_duplicates(store)
        expected = _audits(store, batch_size=1)["all"]
    finally:
        store.close()
    opener = functools.partial(open_store, path)
    for workers in (1, 2, 3):
        found = analyses.all_audits_in_workers(opener, START, END, workers=workers, batch_size=1)
        assert json.dumps(analyses.serialise(found), sort_keys=True, default=str) == expected, workers
