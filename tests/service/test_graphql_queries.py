"""Each query returns what the store and the rules say, to a caller allowed to ask."""

from __future__ import annotations

import datetime as dt

import pytest
from graphql_support import AUDITOR, PRACTITIONER, SpyStore, data, execute, load_family, log, messages

from bundles import FAMILY, changed
from familynet import analyses
from familynet.access.logkey import search_terms_digest
from familynet.bundle.ingest import ingest_rows
from familynet.service.context import RequestContext
from familynet.service.pagination import MAX_PAGE_SIZE
from familynet.stores.protocol import Store


def test_person(store: Store) -> None:
    load_family(store)
    query = '{ person(id: "P1", purpose: "s47 enquiry") { personId givenName familyName dateOfBirth sex nhsNumber recordedBy { agencyId name kind } } }'
    assert data(execute(store, PRACTITIONER, query))["person"] == {
        "personId": "P1",
        "givenName": "Zoë",
        "familyName": "Nguyễn",
        "dateOfBirth": "1990-04",
        "sex": "female",
        "nhsNumber": "9434765919",
        "recordedBy": {"agencyId": "A1", "name": "Children's Social Care", "kind": "social_care"},
    }
    assert data(execute(store, PRACTITIONER, '{ person(id: "P9", purpose: "test") { personId } }')) == {"person": None}


@pytest.mark.parametrize("purpose", ["", "   "])
def test_practitioners_must_give_a_purpose(store: Store, purpose: str) -> None:
    load_family(store)
    result = execute(
        store, PRACTITIONER, '{ person(id: "P1", purpose: $p) { personId } }'.replace("$p", f'"{purpose}"')
    )
    assert result.data == {"person": None}
    assert messages(result) == ["a purpose is required for every read of a person: say why in at least 3 letters"]
    missing = execute(store, PRACTITIONER, '{ person(id: "P1") { personId } }')
    assert missing.data is None and "purpose" in messages(missing)[0]


def test_search_persons_is_ranked_and_paged(store: Store) -> None:
    load_family(store)
    query = """query ($name: String!, $dob: String, $first: Int, $after: String) {
      searchPersons(name: $name, dateOfBirth: $dob, purpose: "test", first: $first, after: $after) {
        edges { cursor node { score person { personId } } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }"""
    ranked = data(execute(store, PRACTITIONER, query, {"name": "ZOE NGUYEN"}))["searchPersons"]
    assert [e["node"]["person"]["personId"] for e in ranked["edges"]] == ["P1", "P3"]
    assert ranked["edges"][0]["node"]["score"] == 1.0
    born = data(execute(store, PRACTITIONER, query, {"name": "nguyen", "dob": "2018"}))["searchPersons"]
    assert [e["node"]["person"]["personId"] for e in born["edges"]] == ["P3"]
    first = data(execute(store, PRACTITIONER, query, {"name": "nguyen", "first": 1}))["searchPersons"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    after = {"name": "nguyen", "first": 1, "after": first["pageInfo"]["endCursor"]}
    second = data(execute(store, PRACTITIONER, query, after))["searchPersons"]
    assert [e["node"]["person"]["personId"] for e in second["edges"]] == ["P3"]
    assert not second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    bad = execute(store, PRACTITIONER, query, {"name": "nguyen", "dob": "2018-13"})
    assert messages(bad)[0].startswith("dateOfBirth: ")
    forged = execute(store, PRACTITIONER, query, {"name": "nguyen", "after": "bm90IGEgY3Vyc29y"})
    assert messages(forged) == ["not a cursor of this connection"]


def test_every_search_is_logged_with_its_purpose_a_keyed_hash_of_its_terms_and_the_ids_returned(
    store: Store,
) -> None:
    load_family(store)
    query = """query ($name: String!, $dob: String, $first: Int) {
      searchPersons(name: $name, dateOfBirth: $dob, purpose: "s47 enquiry", first: $first) {
        edges { node { person { personId } } } pageInfo { hasNextPage }
      }
    }"""
    data(execute(store, PRACTITIONER, query, {"name": "Zoe Nguyen", "dob": "1990", "first": 1}))
    data(execute(store, PRACTITIONER, query, {"name": "nobody"}))
    entries = log(store)
    assert [(e.request.purpose, e.request.person_ids, e.request.allowed) for e in entries] == [
        ("s47 enquiry", ("P1",), True),
        ("s47 enquiry", (), True),
    ]
    hit, miss = (e.request.operation for e in entries)
    assert hit.startswith("searchPersons terms:hmac-sha256:") and miss.startswith("searchPersons terms:")
    assert hit != miss
    assert not any(term in e.request.operation.lower() for e in entries for term in ("zoe", "nguyen", "1990", "nobody"))
    key = RequestContext.create(store, PRACTITIONER, "c").log_key
    assert hit == f"searchPersons terms:{search_terms_digest(key, 'Zoe Nguyen', '1990')}"


@pytest.mark.parametrize("first", [0, -1])
def test_a_search_page_of_no_items_is_refused_before_the_search(store: Store, first: int) -> None:
    load_family(store)
    spy = SpyStore(store)
    query = '{ searchPersons(name: "nguyen", purpose: "test", first: $f) { pageInfo { hasNextPage } } }'
    result = execute(spy, PRACTITIONER, query.replace("$f", str(first)))
    assert result.data is None
    assert messages(result) == ["first must be 1 or more"]
    assert spy.count("search_persons") == 0


def test_pages_never_exceed_the_maximum(store: Store) -> None:
    agencies = [{"agency_id": "A1", "name": "CSC", "kind": "social_care"}]
    persons = [
        {"person_id": f"Q{i:03}", "family_name": "Okafor", "recorded_by": "A1"} for i in range(MAX_PAGE_SIZE + 5)
    ]
    ingest_rows(store, "many", {"agencies": agencies, "persons": persons})
    query = '{ searchPersons(name: "okafor", purpose: "test", first: 1000) { edges { node { score } } pageInfo { hasNextPage } } }'
    page = data(execute(store, PRACTITIONER, query))["searchPersons"]
    assert len(page["edges"]) == MAX_PAGE_SIZE and page["pageInfo"]["hasNextPage"]


HOUSEHOLD = """query ($on: Date) {
  householdContext(childId: "P2", on: $on, purpose: "strategy discussion") {
    childId on
    child { givenName }
    households { householdId recorded members { personId role agencyId recorded person { personId } } }
    parents { personId subtypes parentalResponsibility livesWithChild person { familyName } }
    siblings { personId basis relation coResident sharedParents person { givenName } }
    significantAdults { personId reason viaId agencyId role }
    agencies { agencyId kind agency { name } }
    timeline { on event recordId personId kind outcome categories agencyId }
    flags { kind childId personId evidence { referralId agencyId householdId parentId } }
  }
}"""


def test_household_context_is_the_rules_answer(store: Store) -> None:
    load_family(store)
    day = dt.date(2024, 6, 1)
    got = data(execute(store, PRACTITIONER, HOUSEHOLD, {"on": day.isoformat()}))["householdContext"]
    expected = analyses.household_context(store.family_network("P2"), "P2", day)
    assert got["childId"] == "P2" and got["on"] == "2024-06-01"
    assert got["child"] == {"givenName": "Siobhán"}
    assert [s["personId"] for s in got["siblings"]] == [s.person_id for s in expected.siblings]
    assert got["siblings"][0]["person"] == {"givenName": "Tom"}
    assert [(p["personId"], p["parentalResponsibility"]) for p in got["parents"]] == [
        (p.person_id, p.parental_responsibility) for p in expected.parents
    ]
    assert got["parents"][0]["person"] == {"familyName": "Nguyễn"}
    members = [(m["personId"], m["role"]) for h in got["households"] for m in h["members"]]
    assert members == [(m.person_id, m.role) for h in expected.households for m in h.members]
    assert [a["personId"] for a in got["significantAdults"]] == [a.person_id for a in expected.significant_adults]
    assert [(a["agencyId"], a["agency"]["name"]) for a in got["agencies"]] == [
        ("A1", "Children's Social Care"),
        ("A2", "Police"),
    ]
    assert [(e["recordId"], e["on"]) for e in got["timeline"]] == [
        (e.record_id, e.on.isoformat()) for e in expected.timeline
    ]
    assert [(f["kind"], f["personId"]) for f in got["flags"]] == [(f.kind, f.person_id) for f in expected.flags]
    unknown = execute(store, PRACTITIONER, '{ householdContext(childId: "P9", purpose: "test") { childId } }')
    assert messages(unknown) == ["no person with id 'P9'"]


def test_household_context_shows_who_is_marked_confidential(store: Store) -> None:
    ingest_rows(store, "family", changed(FAMILY, "persons", 0, confidential="true"), today=dt.date(2025, 1, 1))
    query = """{ householdContext(childId: "P2", on: "2024-06-01", purpose: "test") {
        confidentialIds parents { personId person { confidential } } siblings { person { confidential } } } }"""
    got = data(execute(store, PRACTITIONER, query))["householdContext"]
    assert got["confidentialIds"] == ["P1"]
    assert got["parents"] == [{"personId": "P1", "person": {"confidential": True}}]
    assert got["siblings"] == [{"person": {"confidential": False}}]


def test_family_network(store: Store) -> None:
    load_family(store)
    query = """{ familyNetwork(personId: "P3", purpose: "test", hops: 2) {
        personId hops persons { personId } households { householdId postcode }
        relationships { personId relatedPersonId type subtype recordedBy }
        memberships { personId householdId role recordedBy } } }"""
    network = data(execute(store, PRACTITIONER, query))["familyNetwork"]
    assert network["hops"] == 2
    assert [p["personId"] for p in network["persons"]] == ["P1", "P2", "P3", "P4"]
    assert network["households"] == [{"householdId": "H1", "postcode": "E8 1AA"}]
    assert {
        "personId": "P1",
        "relatedPersonId": "P3",
        "type": "parent_of",
        "subtype": "birth",
        "recordedBy": "A1",
    } in network["relationships"]
    assert len(network["memberships"]) == 4
    too_far = execute(store, PRACTITIONER, '{ familyNetwork(personId: "P3", purpose: "test", hops: 9) { hops } }')
    assert messages(too_far) == ["hops must be between 0 and 4"]


def test_referral_and_agency(store: Store) -> None:
    load_family(store)
    query = """{ referral(id: "R1", purpose: "audit follow-up") { referralId kind childId receivedOn concerns outcome consent rag groupId
        referrer { name } child { personId } mentions { personId role person { givenName } } } }"""
    assert data(execute(store, AUDITOR, query))["referral"] == {
        "referralId": "R1",
        "kind": "referral",
        "childId": "P2",
        "receivedOn": "2024-02-29",
        "concerns": ["3A", "16A"],
        "outcome": "assessment",
        "consent": "given",
        "rag": "red",
        "groupId": "G1",
        "referrer": {"name": "Police"},
        "child": {"personId": "P2"},
        "mentions": [{"personId": "P4", "role": "alleged_perpetrator", "person": {"givenName": "Dan"}}],
    }
    assert data(execute(store, AUDITOR, '{ referral(id: "R9", purpose: "audit follow-up") { referralId } }')) == {
        "referral": None
    }
    assert data(execute(store, AUDITOR, '{ agency(id: "A2") { agencyId name kind } }'))["agency"] == {
        "agencyId": "A2",
        "name": "Police",
        "kind": "police",
    }
