"""The identities argument over GraphQL: one person per identity by default, one per record on request."""

from __future__ import annotations

from typing import Any

import pytest
from graphql_support import AUDITOR, PRACTITIONER, data, execute

from conftest import LoadRecords
from familynet.model.identity import Band, Candidate, IdentityChanges
from familynet.stores.protocol import Store
from identity_family import END, START, family, link_duplicates
from identity_records import POL, person

CONTEXT = """{ householdContext(childId: "C", purpose: "s47 enquiry", on: "2024-12-31"VIEW) {
  childId households { members { personId recordId agencyId } }
  flags { kind personId evidence { records probability } }
  alsoRecordedAs { personId recordId agencyId } } }"""


@pytest.fixture
def linked(store: Store, load: LoadRecords) -> Store:
    """The family, its duplicates linked, and the mother's police record queued for review."""
    load(store, [*family(), person("MP", "Mary", "Kowalczk", "1990-05-06", "female", by=POL)])
    link_duplicates(store)
    queued = Candidate("M", "MP", 0.8, (), Band.REVIEW, (), "familynet-identity", "1")
    store.apply_identity_changes(IdentityChanges(candidates_added=(queued,)))
    return store


def _context(store: Store, view: str = "") -> dict[str, Any]:
    context: dict[str, Any] = data(execute(store, PRACTITIONER, CONTEXT.replace("VIEW", view)))["householdContext"]
    return context


def test_the_household_context_shows_one_father_also_recorded_by_the_police(linked: Store) -> None:
    context = _context(linked)
    members = {(m["personId"], m["recordId"], m["agencyId"]) for h in context["households"] for m in h["members"]}
    assert ("F", "FP", "POL") in members and ("F", None, "SC") in members
    assert {"personId": "F", "recordId": "FP", "agencyId": "POL"} in context["alsoRecordedAs"]
    assert {
        "kind": "possible_duplicate",
        "personId": "M",
        "evidence": [{"records": ["M", "MP"], "probability": 0.8}],
    } in (context["flags"])
    records = _context(linked, ", identities: RECORDS")
    assert ("FP", None, "POL") in {(m["personId"], m["recordId"], m["agencyId"])
                                   for h in records["households"] for m in h["members"]}  # fmt: skip
    assert records["alsoRecordedAs"] == []
    assert "possible_duplicate" not in {f["kind"] for f in records["flags"]}


def test_the_family_network_and_genogram_of_a_record_show_its_identity(linked: Store) -> None:
    query = '{ familyNetwork(personId: "FP", purpose: "s47 enquiry"VIEW) { persons { personId } } }'
    persons = {
        p["personId"]
        for p in data(execute(linked, PRACTITIONER, query.replace("VIEW", "")))["familyNetwork"]["persons"]
    }
    assert "F" in persons and "FP" not in persons
    query = query.replace("VIEW", ", identities: RECORDS")
    assert "FP" in {p["personId"] for p in data(execute(linked, PRACTITIONER, query))["familyNetwork"]["persons"]}
    drawn = '{ genogram(personId: "B", on: "2024-12-31", purpose: "s47 enquiry", format: JSON VIEW) { personIds } }'
    identities = data(execute(linked, PRACTITIONER, drawn.replace("VIEW", "")))["genogram"]["personIds"]
    assert "U" in identities and "B" not in identities
    records = data(execute(linked, PRACTITIONER, drawn.replace("VIEW", ", identities: RECORDS")))["genogram"][
        "personIds"
    ]
    assert "B" in records and "U" not in records


def test_every_audit_takes_the_identities_argument(linked: Store) -> None:
    query = f'{{ missingMembers(from: "{START}", to: "{END}"VIEW) {{ summary findings {{ edges {{ node {{ childId personId }} }} }} }} }}'
    identities = data(execute(linked, AUDITOR, query.replace("VIEW", "")))["missingMembers"]
    records = data(execute(linked, AUDITOR, query.replace("VIEW", ", identities: RECORDS")))["missingMembers"]
    assert {e["node"]["childId"] for e in identities["findings"]["edges"]} == {"C", "U"}
    assert {e["node"]["childId"] for e in records["findings"]["edges"]} == {"B", "C", "U"}
    assert identities["summary"]["children_with_possible_duplicates"] == 1
    everything = f'{{ allAudits(from: "{START}", to: "{END}", identities: RECORDS) {{ audits {{ name summary }} }} }}'
    summaries = {a["name"]: a["summary"] for a in data(execute(linked, AUDITOR, everything))["allAudits"]["audits"]}
    assert summaries["missing-members"] == records["summary"]
