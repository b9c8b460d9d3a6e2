"""Previous versions through the service: a mutation keeps what it changes, the household context
shows what was previously recorded, and a person's history is read as the person is (issue 12)."""

from __future__ import annotations

from graphql_support import PRACTITIONER, TODAY, data, execute

from bundles import FAMILY
from familynet.bundle.ingest import ingest_rows
from familynet.stores.protocol import Store
from test_history import SECOND, versions


def test_a_mutation_keeps_the_version_it_changes_with_its_user(store: Store) -> None:
    ingest_rows(store, "first bundle", FAMILY, today=TODAY)
    document = 'mutation { recordPerson(input: {personId: "P1", familyName: "Jones"}) { __typename } }'
    assert data(execute(store, PRACTITIONER, document)) == {"recordPerson": {"__typename": "PersonRecorded"}}
    [was] = versions(store, "P1", "persons")
    assert was.value("family_name") == "Nguyễn" and was.value("nhs_number") == "9434765919"
    assert was.replaced_in == "graphql recordPerson by pat (corr-1)"


CONTEXT = """{ householdContext(childId: "P2", purpose: "strategy discussion", on: "2024-10-01") {
  previously { personId file fact { field value } was { field value } description recordedBy recordedIn replacedIn }
} }"""


def test_the_household_context_shows_what_was_previously_recorded(store: Store) -> None:
    ingest_rows(store, "first bundle", FAMILY, today=TODAY)
    ingest_rows(store, "second bundle", SECOND, today=TODAY)
    shown = data(execute(store, PRACTITIONER, CONTEXT))["householdContext"]["previously"]
    assert [(p["personId"], p["file"], p["description"], p["recordedBy"], p["recordedIn"]) for p in shown] == [
        ("P1", "persons", "family_name Nguyễn, date_of_birth 1990-04", "A1", "first bundle"),
        ("P1", "household_members", "end_date (none)", "A1", "first bundle"),
        ("P1", "relationships", "end_date (none)", "A2", "first bundle"),
    ]
    assert {p["replacedIn"] for p in shown} == {"second bundle"}
    assert shown[2]["fact"][:2] == [
        {"field": "related_person_id", "value": "P4"},
        {"field": "type", "value": "partner_of"},
    ]


def test_a_persons_history_is_read_under_the_same_logged_purpose_as_the_person(store: Store) -> None:
    ingest_rows(store, "first bundle", FAMILY, today=TODAY)
    ingest_rows(store, "second bundle", SECOND, today=TODAY)
    before = len(store.access_entries())
    query = (
        '{ person(id: "P1", purpose: "strategy discussion") { history { file recordedIn values { field value } } } }'
    )
    history = data(execute(store, PRACTITIONER, query))["person"]["history"]
    assert [(h["file"], h["recordedIn"]) for h in history] == [
        ("persons", "first bundle"),
        ("household_members", "first bundle"),
    ]
    assert {"field": "family_name", "value": "Nguyễn"} in history[0]["values"]
    [entry] = store.access_entries()[before:]
    assert (entry.request.operation, entry.request.purpose, entry.request.person_ids) == (
        "person",
        "strategy discussion",
        ("P1",),
    )
