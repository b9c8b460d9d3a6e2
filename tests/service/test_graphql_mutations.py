"""Mutations record facts exactly as a CSV ingest would, stamped with the caller, or change nothing."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

from graphql_support import ADMIN, PRACTITIONER, data, execute, load_family, log

from familynet.access.auth import Principal, Role
from familynet.model.network import household_node, person_node
from familynet.service.existence import ON_RECORD
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import SQLiteStore, open_sqlite

RESULT = """__typename
  ... on ValidationErrors { errors { field reason severity } }
  ... on Recorded { inserted updated unchanged warnings { field reason severity } }"""


INPUTS = {
    "recordPerson": "PersonInput",
    "recordHouseholdMembership": "HouseholdMembershipInput",
    "recordRelationship": "RelationshipInput",
    "recordReferral": "ReferralInput",
    "recordAssessment": "AssessmentInput",
    "endHouseholdMembership": "EndHouseholdMembershipInput",
}


def record(store: Store, mutation: str, values: dict[str, Any], principal: Principal = PRACTITIONER) -> dict[str, Any]:
    input_type = INPUTS[mutation]
    document = f"mutation ($input: {input_type}!) {{ {mutation}(input: $input) {{ {RESULT} }} }}"
    result: dict[str, Any] = data(execute(store, principal, document, {"input": values}))[mutation]
    return result


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    assert result["__typename"] == "ValidationErrors", result
    return [(e["field"], e["reason"]) for e in result["errors"]]


def load_sources(store: Store) -> list[str]:
    assert isinstance(store, SQLiteStore)
    return [row[0] for row in store._db.execute("SELECT source FROM loads ORDER BY load_id")]


def test_record_person_stamps_the_callers_agency_and_names_them_in_the_load(store: Store) -> None:
    load_family(store)
    result = record(
        store, "recordPerson", {"personId": "P7", "givenName": "Aoife", "dateOfBirth": "2019-05", "sex": "female"}
    )
    assert result == {"__typename": "PersonRecorded", "inserted": 1, "updated": 0, "unchanged": 0, "warnings": []}
    person = store.person("P7")
    assert person is not None and person.recorded_by == "A1" and str(person.date_of_birth) == "2019-05"
    if isinstance(store, SQLiteStore):
        assert load_sources(store)[-1] == "graphql recordPerson by pat (corr-1)"


def test_record_person_marks_a_person_confidential_and_the_person_field_shows_it(store: Store) -> None:
    load_family(store)
    marked = record(store, "recordPerson", {"personId": "P7", "givenName": "Aoife", "confidential": True})
    assert marked["__typename"] == "PersonRecorded"
    plain = record(store, "recordPerson", {"personId": "P8", "givenName": "Niamh"})
    assert plain["__typename"] == "PersonRecorded"
    query = '{ a: person(id: "P7", purpose: "test") { confidential } b: person(id: "P8", purpose: "test") { confidential } }'
    assert data(execute(store, PRACTITIONER, query)) == {"a": {"confidential": True}, "b": {"confidential": False}}
    # Left out, the marker stays as recorded (an update must not silently unmark a person in a refuge);
    # only an explicit null or false clears it.
    again = record(store, "recordPerson", {"personId": "P7", "givenName": "Aoife"})
    assert again["unchanged"] == 1
    assert store.person("P7").confidential is True  # type: ignore[union-attr]
    cleared = record(store, "recordPerson", {"personId": "P7", "confidential": None})
    assert cleared["updated"] == 1
    assert store.person("P7").confidential is False  # type: ignore[union-attr]


def test_invalid_input_is_refused_field_by_field_without_its_values(store: Store) -> None:
    load_family(store)
    before = store.stats()
    values = {"personId": "P7", "dateOfBirth": "2099-01-01", "sex": "alien", "nhsNumber": "1234567890"}
    result = record(store, "recordPerson", values)
    assert errors(result) == [
        ("dateOfBirth", "in the future"),
        ("sex", "unknown code; expected one of ['female', 'male', 'unknown']"),
        ("nhsNumber", "not a valid NHS number (ten digits with a modulus 11 check digit)"),
    ]
    assert all(e["severity"] == "error" for e in result["errors"])
    assert not any(v in e["reason"] for e in result["errors"] for v in ("2099", "alien", "1234567890"))
    assert store.stats() == before and store.person("P7") is None


def test_a_caller_without_an_agency_cannot_record(store: Store) -> None:
    load_family(store)
    agencyless = Principal("root", Role.ADMIN, None, "token")
    assert errors(record(store, "recordPerson", {"personId": "P7"}, agencyless)) == [
        ("recordedBy", "your account has no agency to record facts under")
    ]
    assert store.person("P7") is None


def test_a_person_is_updated_only_by_the_agency_that_recorded_them(store: Store) -> None:
    load_family(store)
    police = Principal("pc", Role.PRACTITIONER, "A2", "token")
    before = store.person("P1")
    assert errors(record(store, "recordPerson", {"personId": "P1", "givenName": "X", "sex": "female"}, police)) == [
        ("personId", "another agency recorded this person; only that agency can update the record")
    ]
    assert store.person("P1") == before
    updated = record(store, "recordPerson", {"personId": "P1", "givenName": "Zoe", "sex": "female"})
    assert updated["__typename"] == "PersonRecorded" and updated["updated"] == 1


def test_record_household_membership_with_a_new_household(store: Store) -> None:
    load_family(store)
    values = {"householdId": "H2", "personId": "P4", "role": "parent", "startDate": "2024-03-01", "postcode": "N1 9GU"}
    assert record(store, "recordHouseholdMembership", values, ADMIN)["inserted"] == 2
    graph = store.family_network("P4", 0)
    assert graph.nodes[household_node("H2")]["postcode"] == "N1 9GU"
    [edge] = [a for _, h, a in graph.out_edges(person_node("P4"), data=True) if h == household_node("H2")]
    assert edge["recorded_by"] == "A1" and edge["role"] == "parent"
    unknown = {"householdId": "H3", "personId": "P4", "role": "parent"}
    assert errors(record(store, "recordHouseholdMembership", unknown)) == [
        ("householdId", "refers to a household that is in neither the bundle nor the store")
    ]
    # The household row is refused, so the membership refers to a household that is nowhere.
    bad = {"householdId": "H4", "personId": "P4", "role": "lodger", "postcode": "nowhere"}
    assert errors(record(store, "recordHouseholdMembership", bad)) == [
        ("postcode", "not a UK postcode"),
        ("householdId", "refers to a household that is in neither the bundle nor the store"),
    ]
    assert household_node("H4") not in store.family_network("P4", 0)


def test_record_relationship_reports_implausible_facts_as_warnings(store: Store) -> None:
    load_family(store)
    values = {"personId": "P3", "relatedPersonId": "P2", "type": "parent_of", "subtype": "birth"}
    result = record(store, "recordRelationship", values)
    assert result["__typename"] == "RelationshipRecorded" and result["inserted"] == 1
    assert result["warnings"] == [
        {"field": "personId", "reason": "parent fewer than 12 years older than the child", "severity": "warning"}
    ]
    self_related = {"personId": "P3", "relatedPersonId": "P3", "type": "sibling_of"}
    assert errors(record(store, "recordRelationship", self_related)) == [
        ("relatedPersonId", "a person cannot be related to themself")
    ]


def test_record_relationship_says_whether_twins_are_identical(store: Store) -> None:
    load_family(store)
    twins = {"personId": "P2", "relatedPersonId": "P3", "type": "sibling_of", "subtype": "full"}
    assert errors(record(store, "recordRelationship", {**twins, "twin": "maybe"}))[0][0] == "twin"
    parent = {"personId": "P1", "relatedPersonId": "P3", "type": "parent_of", "subtype": "birth"}
    assert errors(record(store, "recordRelationship", {**parent, "twin": "identical"})) == [
        ("twin", "only sibling_of says whether twins are identical")
    ]
    result = record(store, "recordRelationship", {**twins, "twin": "non_identical"})
    assert (result["inserted"], result["warnings"]) == (1, [])
    # Identical twins share their sex: P2 is recorded female and P3 male, so one record is wrong.
    result = record(store, "recordRelationship", {**twins, "twin": "identical"})
    assert result["updated"] == 1
    assert result["warnings"] == [
        {"field": "twin", "reason": "identical twins of different recorded sex", "severity": "warning"}
    ]
    (edge,) = [
        d for _, v, d in store.family_network("P2").out_edges("Person:P2", data=True) if d["type"] == "SIBLING_OF"
    ]
    assert edge["twin"] == "identical"
    # Left out, the twin recorded stays as it is.
    assert record(store, "recordRelationship", twins)["unchanged"] == 1


def test_record_referral_with_its_mentions_all_or_nothing(store: Store) -> None:
    load_family(store)
    values: dict[str, Any] = {
        "referralId": "R2",
        "kind": "contact",
        "childId": "P3",
        "receivedOn": "2024-05-01",
        "concerns": ["3A", "16A"],
        "mentions": [{"personId": "P1", "role": "carer"}, {"personId": "P8", "role": "carer"}],
    }
    assert errors(record(store, "recordReferral", values)) == [
        ("mentions[1].personId", "refers to a person that is in neither the bundle nor the store")
    ]
    assert store.referrals(["R2"]) == {}
    values["mentions"] = [{"personId": "P1", "role": "carer"}]
    assert record(store, "recordReferral", values)["inserted"] == 2
    stored = store.referrals(["R2"])["R2"]
    assert stored.referrer_agency_id == "A1" and stored.concerns == ("3A", "16A")


def test_record_assessment(store: Store) -> None:
    load_family(store)
    values = {"assessmentId": "X2", "childId": "P3", "kind": "child_and_family", "startedOn": "2024-05-02"}
    assert record(store, "recordAssessment", {**values, "completedOn": "2024-05-01"}) == {
        "__typename": "ValidationErrors",
        "errors": [{"field": "completedOn", "reason": "before started_on", "severity": "error"}],
    }
    assert record(store, "recordAssessment", {**values, "factors": ["3A"]})["inserted"] == 1
    graph = store.family_network("P3", 0)
    assert graph.nodes["Assessment:X2"]["factors"] == ("3A",)


def test_an_assessment_against_another_childs_referral_on_record_is_recorded_with_a_warning(store: Store) -> None:
    load_family(store)  # R1 is about P2
    values = {"assessmentId": "X2", "childId": "P3", "referralId": "R1", "kind": "child_and_family"}
    recorded = record(store, "recordAssessment", {**values, "startedOn": "2024-05-02"})
    assert recorded["inserted"] == 1
    assert recorded["warnings"] == [
        {"field": "referralId", "reason": "follows a referral about a different child", "severity": "warning"}
    ]
    own = {**values, "assessmentId": "X3", "childId": "P2", "startedOn": "2024-05-02"}
    assert record(store, "recordAssessment", own)["warnings"] == []


def test_record_person_keeps_every_field_left_out_and_clears_one_given_as_null(store: Store) -> None:
    load_family(store)
    before = store.person("P1")
    assert before is not None and before.nhs_number is not None and before.given_name is not None
    # An admin of the recording agency sends the id alone: nothing on record is lost.
    assert record(store, "recordPerson", {"personId": "P1"}, ADMIN)["unchanged"] == 1
    assert store.person("P1") == before
    assert record(store, "recordPerson", {"personId": "P1", "givenName": "Zoe"})["updated"] == 1
    renamed = store.person("P1")
    assert renamed == dataclasses.replace(before, given_name="Zoe")
    assert record(store, "recordPerson", {"personId": "P1", "nhsNumber": None})["updated"] == 1
    assert store.person("P1") == dataclasses.replace(before, given_name="Zoe", nhs_number=None)


def test_every_mutation_is_logged_with_the_persons_it_names_so_probes_by_admins_are_seen(store: Store) -> None:
    load_family(store)
    before = len(log(store))
    record(store, "recordPerson", {"personId": "P1"}, ADMIN)
    record(store, "recordPerson", {"personId": "P404", "givenName": "Ann"}, ADMIN)
    entries = log(store)[before:]
    assert [(e.request.user, e.request.operation, e.request.person_ids, e.request.allowed) for e in entries] == [
        ("adm", "recordPerson", ("P1",), True),
        ("adm", "recordPerson", ("P404",), True),
    ]


def test_a_recorded_referral_or_assessment_is_never_rewritten_by_a_mutation(store: Store) -> None:
    load_family(store)
    before = store.referrals(["R1"])["R1"]
    moved = {"referralId": "R1", "kind": "contact", "childId": "P3", "receivedOn": "2024-05-01", "outcome": "nfa"}
    reason = "already recorded; a recorded fact is not rewritten here"
    assert errors(record(store, "recordReferral", moved)) == [("referralId", reason)]
    assert store.referrals(["R1"])["R1"] == before
    values = {"assessmentId": "X2", "childId": "P3", "kind": "child_and_family", "startedOn": "2024-05-02"}
    assert record(store, "recordAssessment", values)["inserted"] == 1
    again = {**values, "childId": "P2", "kind": "section_47"}
    assert errors(record(store, "recordAssessment", again)) == [("assessmentId", reason)]
    assert store.family_network("P3", 0).nodes["Assessment:X2"]["kind"] == "child_and_family"


def test_end_household_membership(store: Store) -> None:
    load_family(store)
    ending = {"householdId": "H1", "personId": "P1", "endDate": "2014-01-01"}
    assert errors(record(store, "endHouseholdMembership", ending)) == [("endDate", "before start_date")]
    assert record(store, "endHouseholdMembership", {**ending, "endDate": "2024-07-01"})["updated"] == 1
    [edge] = [
        a
        for _, _, a in store.family_network("P1", 0).out_edges(person_node("P1"), data=True)
        if a["type"] == "MEMBER_OF"
    ]
    assert str(edge["end_date"]) == "2024-07-01"
    # P4's membership was recorded by the police, not by the caller's agency.
    assert errors(
        record(store, "endHouseholdMembership", {"householdId": "H1", "personId": "P4", "endDate": "2024-07-01"})
    ) == [("householdId", "your agency has recorded no such membership")]


def test_a_mutation_is_one_transaction(tmp_path: Path) -> None:
    """A referral and its mentions land together: nothing is left when the load fails midway.

    On the embedded store, whose triggers can make a write fail midway; the Neo4j store's
    rollback is tested in tests/test_neo4j_store.py."""
    store = open_sqlite(tmp_path / "familynet.db")
    load_family(store)
    store._db.execute("CREATE TRIGGER refuse BEFORE INSERT ON referral_mentions BEGIN SELECT RAISE(ABORT, 'no'); END")
    values = {
        "referralId": "R3",
        "kind": "contact",
        "childId": "P3",
        "receivedOn": "2024-05-01",
        "mentions": [{"personId": "P1", "role": "carer"}],
    }
    document = "mutation ($input: ReferralInput!) { recordReferral(input: $input) { __typename } }"
    failed = execute(store, PRACTITIONER, document, {"input": values})
    assert failed.errors and isinstance(failed.errors[0].original_error, sqlite3.IntegrityError)
    assert store.referrals(["R3"]) == {}
    store.close()


def test_a_caller_who_may_not_read_persons_is_told_the_same_whether_an_id_is_on_record_or_not(store: Store) -> None:
    load_family(store)

    def told(mutation: str, values: dict[str, Any]) -> str:
        result = record(store, mutation, values, ADMIN)
        assert result["__typename"] == "ValidationErrors", result
        return json.dumps(result, sort_keys=True)

    # P4 is on record (by the police, another agency); P404 is not. Each with a date of birth that is no date.
    person = {"givenName": "Ann", "dateOfBirth": "soon"}
    assert told("recordPerson", {"personId": "P4", **person}) == told("recordPerson", {"personId": "P404", **person})
    # R1 is on record (the child given, P404, is not); R9 is not.
    referral = {"kind": "contact", "childId": "P404", "receivedOn": "2024-05-01"}
    on_record = told("recordReferral", {"referralId": "R1", **referral})
    assert on_record == told("recordReferral", {"referralId": "R9", **referral})
    assert json.loads(on_record)["errors"] == [{"field": "input", "reason": ON_RECORD, "severity": "error"}]
    # A membership of a person on record, in a household that is not, and of a person who is not either.
    membership = {"householdId": "H404", "role": "child"}
    assert told("recordHouseholdMembership", {"personId": "P3", **membership}) == told(
        "recordHouseholdMembership", {"personId": "P404", **membership}
    )
    # The probes are still logged with the ids they name.
    probes = [e.request for e in log(store) if e.request.user == "adm"]
    assert {i for r in probes for i in r.person_ids} == {"P4", "P404", "P3"}


def test_a_caller_who_may_read_persons_is_told_what_is_wrong_on_record(store: Store) -> None:
    load_family(store)
    values = {"referralId": "R1", "kind": "contact", "childId": "P404", "receivedOn": "2024-05-01"}
    assert errors(record(store, "recordReferral", values)) == [
        ("referralId", "already recorded; a recorded fact is not rewritten here")
    ]
    assert errors(record(store, "recordPerson", {"personId": "P4", "givenName": "Ann"})) == [
        ("personId", "another agency recorded this person; only that agency can update the record")
    ]
