"""Nested fields cost a fixed number of store calls, whatever the size of the family."""

from __future__ import annotations

from graphql_support import AUDITOR, PRACTITIONER, TODAY, SpyStore, data, execute

from familynet.bundle.ingest import ingest_rows
from familynet.stores.protocol import Store

HOUSEHOLD = """{ householdContext(childId: "C00", on: "2024-06-01", purpose: "s47 enquiry") {
    child { givenName recordedBy { name } }
    households { members { role person { givenName dateOfBirth recordedBy { name kind } } } }
    parents { person { familyName recordedBy { name } } }
    siblings { relation person { givenName recordedBy { name } } }
    significantAdults { person { givenName } }
    agencies { agency { name } }
    flags { kind child { givenName } person { givenName } }
} }"""


def load_family_of(store: Store, children: int) -> None:
    """A mother and ``children`` children in one household, each recorded by one of two agencies."""
    agencies = [
        {"agency_id": "A1", "name": "Children's Social Care", "kind": "social_care"},
        {"agency_id": "A2", "name": "Health", "kind": "health"},
    ]
    mother = {"person_id": "M", "family_name": "Byrne", "date_of_birth": "1985", "sex": "female", "recorded_by": "A1"}
    kids = [
        {
            "person_id": f"C{i:02}",
            "given_name": f"Child {i}",
            "date_of_birth": f"{2010 + i % 10}-01-01",
            "recorded_by": f"A{1 + i % 2}",
        }
        for i in range(children)
    ]
    members = [{"household_id": "H", "person_id": "M", "role": "parent", "recorded_by": "A1"}]
    members += [{"household_id": "H", "person_id": k["person_id"], "role": "child", "recorded_by": "A1"} for k in kids]
    parents = [
        {
            "person_id": "M",
            "related_person_id": k["person_id"],
            "type": "parent_of",
            "subtype": "birth",
            "recorded_by": "A1",
        }
        for k in kids
    ]
    rows = {
        "agencies": agencies,
        "persons": [mother, *kids],
        "households": [{"household_id": "H"}],
        "household_members": members,
        "relationships": parents,
        "referrals": [
            {
                "referral_id": "R",
                "kind": "referral",
                "child_id": "C00",
                "received_on": "2024-02-01",
                "referrer_agency_id": "A2",
            }
        ],
    }
    ingest_rows(store, "family", rows, today=TODAY)


#: What a network in the identity view costs, whatever the family's size.
IDENTITY_VIEW = [
    "identities_of",
    "family_network",
    "identities_of",
    "persons",
    "identity_state_of",
    "append_access",
]


def household_calls(store: Store) -> list[str]:
    spy = SpyStore(store)
    result = data(execute(spy, PRACTITIONER, HOUSEHOLD))["householdContext"]
    assert result["child"]["givenName"] == "Child 0"
    return spy.calls


def test_a_household_context_costs_the_same_calls_for_any_family_size(store: Store) -> None:
    load_family_of(store, 2)
    small = household_calls(store)
    load_family_of(store, 40)
    large = household_calls(store)
    # The child's identity, one extraction of the family network, the identities in it (and
    # the review queue of their records), one append to the access log, then the versions kept
    # of the persons it names (previously recorded as); every nested
    # person and agency comes from the loaders that the network primed.
    assert small == large == [*IDENTITY_VIEW, "previous_versions"]


def test_nested_persons_of_an_audit_page_are_fetched_in_one_call(store: Store) -> None:
    load_family_of(store, 30)
    spy = SpyStore(store)
    query = """{ missingMembers(from: "2024-01-01", to: "2024-12-31") {
        findings(first: 100) { edges { node { child { givenName recordedBy { name } } person { givenName } } } } } }"""
    findings = data(execute(spy, AUDITOR, query))["missingMembers"]["findings"]["edges"]
    assert findings
    assert spy.count("persons") == 1
    assert spy.count("agencies") == 1


def test_search_hits_share_one_agency_call(store: Store) -> None:
    load_family_of(store, 30)
    spy = SpyStore(store)
    query = '{ searchPersons(name: "child", purpose: "test", first: 50) { edges { node { person { recordedBy { name } } } } } }'
    edges = data(execute(spy, PRACTITIONER, query))["searchPersons"]["edges"]
    assert len(edges) == 30
    assert spy.calls == ["search_persons", "append_access", "agencies"]


def test_a_genogram_costs_the_same_calls_for_any_family_size(store: Store) -> None:
    query = '{ genogram(personId: "C00", on: "2024-06-01", format: JSON, purpose: "conference") { personIds } }'
    calls = []
    for children in (2, 40):
        load_family_of(store, children)
        spy = SpyStore(store)
        assert len(data(execute(spy, PRACTITIONER, query))["genogram"]["personIds"]) == children + 1
        calls.append(spy.calls)
    # The identity view's calls (as for the household context) and one append naming everyone drawn.
    assert calls == [IDENTITY_VIEW] * 2
