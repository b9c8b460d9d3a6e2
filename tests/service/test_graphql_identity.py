"""Identity resolution through GraphQL, on both stores: the review queue, a person's other
records, the decisions, who may do what, and what the access log keeps of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql_support import ADMIN, AUDITOR, PRACTITIONER, RECORDS, TODAY, data, execute, log, messages
from http_server import serve

from familynet.access.auth import Principal, Role
from familynet.bundle.ingest import ingest_rows
from familynet.identity.resolution import Thresholds, resolve
from familynet.model.identity import IdentityError
from familynet.service.app import create_app
from familynet.settings import ServiceSettings, Settings
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite
from identity_records import DUPLICATED

QUEUE = """query($purpose: String!, $person: ID, $first: Int) {
  reviewCandidates(purpose: $purpose, personId: $person, first: $first) {
    edges { node { leftId rightId probability reasons model modelVersion
                   comparisons { name level weight }
                   left { givenName familyName dateOfBirth recordedBy { name } }
                   right { givenName familyName dateOfBirth recordedBy { name } } } }
    pageInfo { hasNextPage }
  }
}"""

ALSO = """query($id: ID!) {
  person(id: $id, purpose: "checking the mother's records") {
    identityId
    alsoRecordedAs(purpose: "checking the mother's records") { personId nhsNumber recordedBy { agencyId } }
  }
}"""

DECIDE = """mutation($a: ID!, $b: ID!, $reason: String!) {
  %s(a: $a, b: $b, reason: $reason) { kind leftId rightId leftIdentityId rightIdentityId user }
}"""


@pytest.fixture
def linked(store: Store) -> Store:
    """The family with the mother recorded twice (linked: P1 and P5) and twins queued (P3 and P6)."""
    ingest_rows(store, "family", DUPLICATED, today=TODAY)
    resolve(store, Thresholds())
    return store


def test_the_queue_shows_each_pair_side_by_side_with_its_weights_and_logs_both_records(linked: Store) -> None:
    result = data(execute(linked, PRACTITIONER, QUEUE, {"purpose": "checking duplicates"}))
    (edge,) = result["reviewCandidates"]["edges"]
    pair = edge["node"]
    assert (pair["leftId"], pair["rightId"], pair["reasons"]) == ("P3", "P6", ["possible twins"])
    assert 0.5 <= pair["probability"] <= 1 and pair["model"] == "familynet-identity"
    assert {c["name"] for c in pair["comparisons"]} >= {"given_name", "date_of_birth", "family_context"}
    assert pair["left"]["givenName"] != pair["right"]["givenName"]
    assert pair["right"]["recordedBy"]["name"]
    entry = log(linked)[-1].request
    assert (entry.operation, entry.purpose, entry.person_ids, entry.allowed) == (
        "reviewCandidates", "checking duplicates", ("P3", "P6"), True)  # fmt: skip


def test_the_queue_of_one_person_and_paging(linked: Store) -> None:
    mine = data(execute(linked, RECORDS, QUEUE, {"purpose": "checking duplicates", "person": "P6"}))
    assert len(mine["reviewCandidates"]["edges"]) == 1
    other = data(execute(linked, RECORDS, QUEUE, {"purpose": "checking duplicates", "person": "P1"}))
    assert other["reviewCandidates"]["edges"] == []
    assert log(linked)[-1].request.person_ids == ("P1",), "a look that finds nothing is logged too"
    refused = execute(linked, RECORDS, QUEUE, {"purpose": "checking duplicates", "first": 0})
    assert messages(refused) and refused.data is None


@pytest.mark.parametrize("principal", [AUDITOR])
def test_roles_without_the_right_cannot_read_candidates_and_the_refusal_is_logged(
    linked: Store, principal: Principal
) -> None:
    result = execute(linked, principal, QUEUE, {"purpose": "checking duplicates"})
    assert messages(result) == ["the auditor role may not read candidates"]
    entry = log(linked)[-1].request
    assert (entry.operation, entry.allowed) == ("reviewCandidates", False)


WITHHELD = """query($person: ID) {
  withheldReviewCandidates(purpose: "checking duplicates", personId: $person)
}"""


def test_a_pair_naming_a_confidential_record_is_read_only_by_the_records_role_and_admins(store: Store) -> None:
    # Health's record of the twin is marked confidential: the pair could disclose where he lives.
    persons = [{**row, "confidential": "true"} if row["person_id"] == "P6" else row for row in DUPLICATED["persons"]]
    ingest_rows(store, "family", {**DUPLICATED, "persons": persons}, today=TODAY)
    resolve(store, Thresholds())
    for person in (None, "P3"):
        result = data(execute(store, PRACTITIONER, QUEUE, {"purpose": "checking duplicates", "person": person}))
        assert result["reviewCandidates"]["edges"] == []
        assert "P6" not in log(store)[-1].request.person_ids
        # The practitioner learns that a review is pending, not the pair.
        assert data(execute(store, PRACTITIONER, WITHHELD, {"person": person})) == {"withheldReviewCandidates": 1}
        assert log(store)[-1].request.person_ids == (() if person is None else (person,))
    for principal in (RECORDS, ADMIN):
        result = data(execute(store, principal, QUEUE, {"purpose": "checking duplicates", "person": "P3"}))
        (edge,) = result["reviewCandidates"]["edges"]
        assert (edge["node"]["leftId"], edge["node"]["rightId"]) == ("P3", "P6")
        assert "confidential" in edge["node"]["reasons"]
        assert data(execute(store, principal, WITHHELD, {"person": "P3"})) == {"withheldReviewCandidates": 0}
    assert messages(execute(store, AUDITOR, WITHHELD, {})) == ["the auditor role may not read candidates"]


def test_a_candidate_read_needs_a_purpose(linked: Store) -> None:
    result = execute(linked, PRACTITIONER, QUEUE, {"purpose": " "})
    assert messages(result) and "purpose" in messages(result)[0]
    assert log(linked)[-1].request.allowed is False


def test_a_person_is_also_recorded_as_the_other_records_of_their_identity(linked: Store) -> None:
    person = data(execute(linked, PRACTITIONER, ALSO, {"id": "P5"}))["person"]
    assert person["identityId"] == "P1"
    assert person["alsoRecordedAs"] == [{"personId": "P1", "nhsNumber": "9434765919", "recordedBy": {"agencyId": "A1"}}]
    assert [e.request.person_ids for e in log(linked)[-2:]] == [("P5",), ("P1",)]
    assert log(linked)[-1].request.operation == "alsoRecordedAs"
    alone = data(execute(linked, PRACTITIONER, ALSO, {"id": "P2"}))["person"]
    assert (alone["identityId"], alone["alsoRecordedAs"]) == ("P2", [])


def test_a_practitioner_cannot_decide_gets_a_clear_error_and_the_refusal_is_logged(linked: Store) -> None:
    before = linked.identity_state()
    result = execute(linked, PRACTITIONER, DECIDE % "markDistinct", {"a": "P3", "b": "P6", "reason": "twins"})
    assert messages(result) == ["the practitioner role may not decide identity"]
    assert linked.identity_state() == before
    entry = log(linked)[-1].request
    assert (entry.operation, entry.person_ids, entry.allowed) == ("markDistinct", ("P3", "P6"), False)


@pytest.mark.parametrize("principal", [RECORDS, ADMIN])
def test_decisions_round_trip_are_facts_with_user_and_are_logged(linked: Store, principal: Principal) -> None:
    unlinked = data(execute(linked, principal, DECIDE % "unlinkRecords", {"a": "P1", "b": "P5", "reason": "two women"}))
    assert unlinked["unlinkRecords"] == {"kind": "unlink", "leftId": "P1", "rightId": "P5", "leftIdentityId": "P1",
                                         "rightIdentityId": "P5", "user": principal.user}  # fmt: skip
    linked_again = data(
        execute(linked, principal, DECIDE % "linkRecords", {"a": "P5", "b": "P1", "reason": "same NHS"})
    )
    assert linked_again["linkRecords"]["rightIdentityId"] == "P1"
    data(execute(linked, principal, DECIDE % "markDistinct", {"a": "P3", "b": "P6", "reason": "twins"}))
    assert (
        data(execute(linked, principal, QUEUE, {"purpose": "checking duplicates"}))["reviewCandidates"]["edges"] == []
    )
    data(execute(linked, principal, DECIDE % "withdrawDistinct", {"a": "P3", "b": "P6", "reason": "wrong pair"}))
    queue = data(execute(linked, principal, QUEUE, {"purpose": "checking duplicates"}))["reviewCandidates"]["edges"]
    assert [(e["node"]["leftId"], e["node"]["rightId"]) for e in queue] == [("P3", "P6")]
    decisions = linked.identity_state().decisions
    assert [d.kind.value for d in decisions] == ["unlink", "link", "distinct", "undistinct"]
    assert {d.user for d in decisions} == {principal.user}
    logged = [(e.request.operation, e.request.purpose, e.request.person_ids) for e in log(linked)
              if e.request.operation != "reviewCandidates"]  # fmt: skip
    assert logged == [("unlinkRecords", "two women", ("P1", "P5")), ("linkRecords", "same NHS", ("P5", "P1")),
                      ("markDistinct", "twins", ("P3", "P6")), ("withdrawDistinct", "wrong pair", ("P3", "P6"))]  # fmt: skip


@pytest.mark.parametrize(
    ("mutation", "a", "b", "message"),
    [
        ("linkRecords", "P1", "P9", "no record with id 'P9'"),
        ("linkRecords", "P1", "P1", "a record cannot be decided about with itself"),
        ("unlinkRecords", "P3", "P6", "the two records are not linked: nothing to unlink"),
        ("linkRecords", "P1", "P2", "contradicts"),
        ("withdrawDistinct", "P3", "P6", "no distinct decision"),
    ],
)
def test_bad_decisions_get_the_errors_of_the_command_line_and_change_nothing(
    linked: Store, mutation: str, a: str, b: str, message: str
) -> None:
    before = linked.identity_state()
    result = execute(linked, RECORDS, DECIDE % mutation, {"a": a, "b": b, "reason": "checked"}, production=True)
    assert len(messages(result)) == 1 and message in messages(result)[0]
    assert linked.identity_state() == before
    assert log(linked)[-1].request.operation == mutation, "the attempt is logged: it tells whether ids exist"


def test_a_link_contradicting_a_distinct_decision_is_refused(linked: Store) -> None:
    data(execute(linked, RECORDS, DECIDE % "markDistinct", {"a": "P3", "b": "P6", "reason": "twins"}))
    result = execute(linked, RECORDS, DECIDE % "linkRecords", {"a": "P6", "b": "P3", "reason": "same"})
    assert messages(result) == ["the link contradicts a distinct decision about these two records"]


def test_over_http_a_practitioner_reads_the_queue_and_only_the_records_role_decides(tmp_path: Path) -> None:
    db = tmp_path / "familynet.db"
    store = open_sqlite(db)
    try:
        ingest_rows(store, "family", DUPLICATED, today=TODAY)
        resolve(store, Thresholds())
    finally:
        store.close()
    distinct = {"query": DECIDE % "markDistinct", "variables": {"a": "P3", "b": "P6", "reason": "twins"}}
    for service in serve(db):
        with service.client(service.practitioner) as client:
            queue = client.post("/graphql", json={"query": QUEUE, "variables": {"purpose": "checking duplicates"}})
            assert queue.status_code == 200
            assert [e["node"]["rightId"] for e in queue.json()["data"]["reviewCandidates"]["edges"]] == ["P6"]
            refused = client.post("/graphql", json=distinct).json()
            assert [e["message"] for e in refused["errors"]] == ["the practitioner role may not decide identity"]
        with service.client(service.tokens[Role.RECORDS]) as client:
            decided = client.post("/graphql", json=distinct).json()
            assert decided["data"]["markDistinct"]["user"] == "records-1"
    store = open_sqlite(db)
    try:
        logged = [(e.request.operation, e.request.role, e.request.allowed) for e in store.access_entries()]
    finally:
        store.close()
    assert logged[-3:] == [("reviewCandidates", "practitioner", True), ("markDistinct", "practitioner", False),
                           ("markDistinct", "records", True)]  # fmt: skip


def test_the_service_takes_the_bands_from_the_command_lines_settings(tmp_path: Path) -> None:
    env = {"FAMILYNET_IDENTITY_LINK_THRESHOLD": "0.9", "FAMILYNET_IDENTITY_REVIEW_THRESHOLD": "0.3"}
    settings = ServiceSettings.from_environ(env)
    assert (settings.identity_link_threshold, settings.identity_review_threshold) == (0.9, 0.3)
    default = ServiceSettings.from_environ({})
    assert (default.identity_link_threshold, default.identity_review_threshold) == (0.99, 0.5)
    backwards = ServiceSettings(store=Settings(tmp_path / "f.db"), identity_link_threshold=0.3)
    with pytest.raises(IdentityError, match="review <= link"):
        create_app(backwards)


FLAGS = """query {
  householdContext(childId: "P3", purpose: "s47 enquiry", on: "2025-01-01") {
    flags { kind personId evidence { records probability } }
  }
}"""


def test_a_possible_duplicate_naming_a_confidential_record_withholds_the_other_records_id(store: Store) -> None:
    persons = [{**row, "confidential": "true"} if row["person_id"] == "P6" else row for row in DUPLICATED["persons"]]
    ingest_rows(store, "family", {**DUPLICATED, "persons": persons}, today=TODAY)
    resolve(store, Thresholds())

    def duplicates(principal: Principal) -> dict[str, list[list[str]]]:
        flags = data(execute(store, principal, FLAGS))["householdContext"]["flags"]
        return {
            f["personId"]: [e["records"] for e in f["evidence"]] for f in flags if f["kind"] == "possible_duplicate"
        }

    # The flag stays (a review is pending), but only the flagged person's own record is named.
    assert duplicates(PRACTITIONER) == {"P3": [["P3", ""]], "P6": [["", "P6"]]}
    # The records role may read the pair (admins may not read persons at all).
    assert duplicates(RECORDS) == {"P3": [["P3", "P6"]], "P6": [["P3", "P6"]]}
    # Audit 3 over GraphQL: auditors may not read confidential candidates either.
    query = """{ missingMembers(from: "2024-01-01", to: "2024-12-31") {
      findings(first: 100) { edges { node { kind personId evidence { records } } } } } }"""
    found = data(execute(store, AUDITOR, query))["missingMembers"]["findings"]["edges"]
    nodes = [e["node"] for e in found if e["node"]["kind"] == "possible_duplicate"]
    assert nodes and {(n["personId"], str([e["records"] for e in n["evidence"]])) for n in nodes} == {
        ("P3", str([["P3", ""]])),
        ("P6", str([["", "P6"]])),
    }
