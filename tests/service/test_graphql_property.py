"""Property: no role ever gets data it may not see, and every person it does see was logged first."""

from __future__ import annotations

import itertools
import json
from typing import Any

from graphql_support import PRINCIPALS, execute, load_family, log
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry.relay.utils import to_base64

from familynet.access.auth import Right, Role
from familynet.stores.protocol import Store

PERSON = "personId givenName familyName dateOfBirth"
#: Query templates over a person id, and the right each needs.
QUERIES: list[tuple[str, Right]] = [
    ('{{ person(id: "{id}", purpose: "{purpose}") {{ ' + PERSON + " }} }}", Right.READ_PERSON),
    (
        '{{ householdContext(childId: "{id}", on: "2024-06-01", purpose: "{purpose}") {{ childId child {{ '
        + PERSON
        + " }} siblings {{ personId person {{ "
        + PERSON
        + " }} }} households {{ members {{ personId person {{ "
        + PERSON
        + " }} }} }} flags {{ childId personId evidence {{ parentId }} person {{ "
        + PERSON
        + " }} }} }} }}",
        Right.READ_PERSON,
    ),
    (
        '{{ familyNetwork(personId: "{id}", hops: 2, purpose: "{purpose}") {{ persons {{ '
        + PERSON
        + " }} relationships {{ personId relatedPersonId }} }} }}",
        Right.READ_PERSON,
    ),
    (
        '{{ genogram(personId: "{id}", on: "2024-06-01", format: JSON, purpose: "{purpose}") {{ personIds content }} }}',
        Right.READ_PERSON,
    ),
    (
        '{{ searchPersons(name: "{id} nguyen smith", purpose: "{purpose}") {{ edges {{ node {{ person {{ '
        + PERSON
        + " }} }} }} }} }}",
        Right.READ_PERSON,
    ),
    (
        '{{ missingMembers(from: "2024-01-01", to: "2024-12-31") {{ findings {{ edges {{ node {{ childId personId evidence {{ parentId }} child {{ '
        + PERSON
        + " }} person {{ "
        + PERSON
        + " }} }} }} }} }} }}",
        Right.RUN_AUDIT,
    ),
    ('{{ node(id: "{gid}", purpose: "{purpose}") {{ ... on Person {{ ' + PERSON + " }} }} }}", Right.READ_PERSON),
    (
        '{{ referral(id: "R1", purpose: "audit follow-up") {{ childId child {{ '
        + PERSON
        + " }} mentions {{ personId person {{ "
        + PERSON
        + " }} }} }} }}",
        Right.READ_AUDITED_RECORD,
    ),
]
PERSON_KEYS = {"personId", "childId", "relatedPersonId", "parentId"}
#: Keys holding person ids in a genogram's JSON document (docs/genogram.md).
DOCUMENT_KEYS = {"person_id", "first", "second", "parent", "child", "index_id"}
_requests = itertools.count()


def person_ids(value: Any) -> set[str]:
    """Every person id anywhere in a response's data."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k in PERSON_KEYS and isinstance(v, str)}
        found |= set(value.get("personIds") or ())
        if isinstance(value.get("content"), str):
            found |= document_ids(json.loads(value["content"]))
        return found.union(*(person_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(person_ids(v) for v in value))
    return set()


def document_ids(value: Any) -> set[str]:
    """Every person id in a genogram's JSON document: in its people, lines, frames and overlays."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k in DOCUMENT_KEYS and isinstance(v, str)}
        for key in ("members", "parents"):
            found |= {v for v in value.get(key) or () if isinstance(v, str)}
        found |= set(value.get("perpetrators") or {})
        return found.union(*(document_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(document_ids(v) for v in value))
    return set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(list(Role)),
    person=st.sampled_from(["P1", "P2", "P3", "P4", "P9"]),
    template=st.sampled_from(QUERIES),
    purpose=st.sampled_from(["", "section 47 enquiry"]),
)
def test_no_role_sees_what_it_may_not_and_every_read_is_logged(
    store: Store, role: Role, person: str, template: tuple[str, Right], purpose: str
) -> None:
    if not store.stats().labels["Person"]:
        load_family(store)
    principal = PRINCIPALS[role]
    query, right = template
    correlation_id = f"prop-{next(_requests)}"
    result = execute(
        store,
        principal,
        query.format(id=person, gid=to_base64("Person", person), purpose=purpose),
        correlation_id=correlation_id,
    )
    entries = [e.request for e in log(store) if e.request.correlation_id == correlation_id]
    seen = person_ids(result.data)
    purposeless = role in {Role.PRACTITIONER, Role.RECORDS} and right is Right.READ_PERSON and not purpose
    if not principal.can(right) or purposeless:
        assert seen == set(), "a refused read returns no person"
        assert result.errors
        assert entries and all(not e.allowed for e in entries), "a refusal is logged"
        return
    logged = {i for e in entries if e.allowed for i in e.person_ids}
    assert seen <= logged, "every person returned was logged"
    assert all(e.user == principal.user and e.role == role.value for e in entries)
    if right is Right.READ_PERSON:
        assert all(e.purpose == purpose for e in entries)
