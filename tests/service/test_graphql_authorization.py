"""Each role reaches only its own data, on every path, and every read and refusal is logged first."""

from __future__ import annotations

import asyncio

import pytest
from graphql_support import ADMIN, AUDITOR, PRACTITIONER, SpyStore, data, execute, load_family, log, messages

from familynet.access.auth import AuthorizationError, Principal, Right
from familynet.service.context import Access, RequestContext
from familynet.stores.protocol import Store

PERIOD = 'from: "2024-01-01", to: "2024-12-31"'

#: One query per root field that reads data: (field, document, right needed, persons it names).
READS = [
    ("person", '{ person(id: "P2", purpose: "test") { givenName } }', Right.READ_PERSON, ["P2"]),
    (
        "searchPersons",
        '{ searchPersons(name: "nguyen", purpose: "test") { edges { node { score } } } }',
        Right.READ_PERSON,
        [],
    ),
    ("householdContext", '{ householdContext(childId: "P2", purpose: "test") { childId } }', Right.READ_PERSON, ["P2"]),
    ("familyNetwork", '{ familyNetwork(personId: "P2", purpose: "test") { hops } }', Right.READ_PERSON, ["P2"]),
    ("genogram", '{ genogram(personId: "P2", purpose: "test") { personIds } }', Right.READ_PERSON, ["P2"]),
    ("siblingCoverage", f"{{ siblingCoverage({PERIOD}) {{ summary }} }}", Right.RUN_AUDIT, []),
    ("repeatReferrals", f"{{ repeatReferrals({PERIOD}) {{ summary }} }}", Right.RUN_AUDIT, []),
    ("escalations", f"{{ escalations({PERIOD}) {{ summary }} }}", Right.RUN_AUDIT, []),
    ("missingMembers", f"{{ missingMembers({PERIOD}) {{ summary }} }}", Right.RUN_AUDIT, []),
    ("referral", '{ referral(id: "R1", purpose: "audit follow-up") { kind } }', Right.READ_AUDITED_RECORD, []),
    ("accessLog", "{ accessLog { edges { node { sequence } } } }", Right.READ_ACCESS_LOG, []),
    # Relay node look-ups: "UGVyc29uOlAy" is Person:P2, "UmVmZXJyYWw6UjE=" Referral:R1.
    (
        "node",
        '{ node(id: "UGVyc29uOlAy", purpose: "test") { id ... on Person { givenName } } }',
        Right.READ_PERSON,
        ["P2"],
    ),
    (
        "node",
        '{ node(id: "UmVmZXJyYWw6UjE=", purpose: "audit follow-up") { ... on Referral { child { givenName } } } }',
        Right.READ_AUDITED_RECORD,
        [],
    ),
]
WRITES = [
    ("recordPerson", 'mutation { recordPerson(input: {personId: "P7"}) { __typename } }', ["P7"]),
    (
        "recordHouseholdMembership",
        'mutation { recordHouseholdMembership(input: {householdId: "H1", personId: "P1", role: "parent"}) { __typename } }',
        ["P1"],
    ),
    (
        "recordRelationship",
        'mutation { recordRelationship(input: {personId: "P1", relatedPersonId: "P4", type: "partner_of", subtype: "married"}) { __typename } }',
        ["P1", "P4"],
    ),
    (
        "recordReferral",
        'mutation { recordReferral(input: {referralId: "R5", kind: "contact", childId: "P3", receivedOn: "2024-01-05", mentions: [{personId: "P1", role: "carer"}]}) { __typename } }',
        ["P3", "P1"],
    ),
    (
        "recordAssessment",
        'mutation { recordAssessment(input: {assessmentId: "X5", childId: "P3", kind: "child_and_family", startedOn: "2024-01-05"}) { __typename } }',
        ["P3"],
    ),
    (
        "endHouseholdMembership",
        'mutation { endHouseholdMembership(input: {householdId: "H1", personId: "P1", endDate: "2024-01-05"}) { __typename } }',
        ["P1"],
    ),
]
ROLES = [PRACTITIONER, AUDITOR, ADMIN]


@pytest.mark.parametrize(("field", "query", "right", "named"), READS, ids=[f"{r[0]}-{r[2].value}" for r in READS])
@pytest.mark.parametrize("principal", ROLES, ids=[p.role.value for p in ROLES])
def test_every_root_read_is_allowed_only_with_its_right_and_logged_first(
    store: Store, principal: Principal, field: str, query: str, right: Right, named: list[str]
) -> None:
    load_family(store)
    before = len(log(store))
    result = execute(store, principal, query, correlation_id="c-42")
    entries = log(store)[before:]
    if principal.can(right):
        assert data(result)[field] is not None
        assert entries, "an allowed read is logged"
        assert all(e.request.allowed for e in entries)
    else:
        assert result.data in (None, {field: None})
        assert messages(result) == [f"the {principal.role.value} role may not {right.value.replace('_', ' ')}"]
        # A search's operation carries the digest of its terms after a space.
        assert [
            (e.request.operation.split(" ")[0], list(e.request.person_ids), e.request.allowed) for e in entries
        ] == [(field, named, False)]
    for entry in entries:
        request = entry.request
        assert (request.user, request.role, request.agency_id) == (
            principal.user,
            principal.role.value,
            principal.agency_id,
        )
        assert request.correlation_id == "c-42"
        assert request.operation.split(" ")[0] == field


@pytest.mark.parametrize(("operation", "query", "named"), WRITES, ids=[w[0] for w in WRITES])
def test_auditors_cannot_write_and_the_attempt_is_logged(
    store: Store, operation: str, query: str, named: list[str]
) -> None:
    load_family(store)
    stats = store.stats()
    result = execute(store, AUDITOR, query)
    assert result.data is None
    assert messages(result) == ["the auditor role may not write facts"]
    assert store.stats() == stats
    assert [(e.request.operation, list(e.request.person_ids), e.request.allowed) for e in log(store)] == [
        (operation, named, False)
    ]


@pytest.mark.parametrize(
    "query",
    [
        '{ referral(id: "R1", purpose: $p) { childId child { personId } mentions { person { personId } } } }',
        '{ node(id: "UmVmZXJyYWw6UjE=", purpose: $p) { ... on Referral { childId child { personId } } } }',
    ],
)
def test_an_auditor_reads_a_referral_only_with_a_purpose_and_the_read_is_logged_with_it(
    store: Store, query: str
) -> None:
    load_family(store)
    document = f"query($p: String!) {query}"
    for missing in ("", "\u200b", "12"):
        refused = execute(store, AUDITOR, document, {"p": missing})
        assert refused.data is not None and not any(refused.data.values())
        assert messages(refused) == ["a purpose is required for every read of a person: say why in at least 3 letters"]
    assert [(e.request.allowed, e.request.person_ids) for e in log(store)] == [(False, ())] * 3
    data(execute(store, AUDITOR, document, {"p": "audit 1 follow-up"}))
    allowed = [e for e in log(store) if e.request.allowed]
    assert {e.request.purpose for e in allowed} == {"audit 1 follow-up"}
    assert {i for e in allowed for i in e.request.person_ids} >= {"P2"}


def test_a_household_context_logs_every_person_it_names_once(store: Store) -> None:
    load_family(store)
    query = """{ householdContext(childId: "P2", purpose: "s47 enquiry") {
        child { givenName } siblings { person { givenName } } parents { person { givenName } }
        households { members { person { givenName } } } } }"""
    data(execute(store, PRACTITIONER, query))
    [entry] = log(store)
    assert entry.request.purpose == "s47 enquiry"
    assert entry.request.operation == "householdContext"
    assert sorted(entry.request.person_ids) == ["P1", "P2", "P3", "P4"]


def test_persons_cited_by_an_audit_page_are_logged_for_the_auditor(store: Store) -> None:
    load_family(store)
    query = f"{{ missingMembers({PERIOD}) {{ findings {{ edges {{ node {{ child {{ givenName }} person {{ givenName }} }} }} }} }} }}"
    data(execute(store, AUDITOR, query))
    assert [(e.request.operation, sorted(e.request.person_ids), e.request.purpose) for e in log(store)] == [
        ("missingMembers", [], None),
        # The findings name P2 and P4, and their evidence cites P4's partner P1 as the parent.
        ("missingMembers", ["P1", "P2", "P4"], None),
    ]


def test_nested_person_fields_check_the_right_themselves(store: Store) -> None:
    """A person field refuses a caller without the right even if a parent field let them through."""
    load_family(store)
    context = RequestContext.create(store, PRACTITIONER, "c-7")
    with pytest.raises(AuthorizationError):
        asyncio.run(context.person(Access("missingMembers", Right.READ_AUDITED_RECORD), "P4"))
    [entry] = log(store)
    assert (entry.request.operation, entry.request.person_ids, entry.request.allowed) == (
        "missingMembers",
        ("P4",),
        False,
    )
    allowed = RequestContext.create(store, AUDITOR, "c-8")
    found = asyncio.run(allowed.person(Access("missingMembers", Right.READ_AUDITED_RECORD), "P4"))
    assert found is not None and found.person_id == "P4"
    assert log(store)[-1].request.allowed


@pytest.mark.parametrize("production", [False, True])
def test_no_data_when_the_access_log_cannot_be_written(store: Store, production: bool) -> None:
    load_family(store)
    broken = SpyStore(store, fail=frozenset({"append_access"}))
    query = '{ person(id: "P2", purpose: "test") { givenName } agency(id: "A1") { name } }'
    result = execute(broken, PRACTITIONER, query, production=production)
    assert result.data is None
    assert messages(result) == ["the access log cannot be written; nothing was returned"]
    assert broken.count("persons") == 0, "no person is fetched before the read is logged"


def test_admins_page_through_the_access_log(store: Store) -> None:
    load_family(store)
    for person in ("P1", "P2", "P3"):
        execute(store, PRACTITIONER, f'{{ person(id: "{person}", purpose: "test") {{ personId }} }}')
    execute(store, AUDITOR, '{ person(id: "P4", purpose: "test") { personId } }')
    query = """query ($first: Int, $after: String, $user: String, $person: ID) {
      accessLog(first: $first, after: $after, user: $user, personId: $person) {
        edges { node { sequence user role purpose operation personIds allowed correlationId entryHash previousHash } }
        pageInfo { hasNextPage endCursor }
      }
    }"""
    first = data(execute(store, ADMIN, query, {"first": 2}))["accessLog"]
    assert [e["node"]["personIds"] for e in first["edges"]] == [["P1"], ["P2"]]
    assert first["edges"][1]["node"]["previousHash"] == first["edges"][0]["node"]["entryHash"]
    assert first["pageInfo"]["hasNextPage"]
    rest = data(execute(store, ADMIN, query, {"first": 10, "after": first["pageInfo"]["endCursor"]}))["accessLog"]
    # The last entry is the admin's own first read of the log.
    assert [e["node"]["personIds"] for e in rest["edges"]] == [["P3"], ["P4"], []]
    assert not rest["pageInfo"]["hasNextPage"]
    refused = data(execute(store, ADMIN, query, {"user": "aud"}))["accessLog"]
    assert [(e["node"]["user"], e["node"]["allowed"]) for e in refused["edges"]] == [("aud", False)]
    about = data(execute(store, ADMIN, query, {"person": "P2"}))["accessLog"]
    assert [e["node"]["sequence"] for e in about["edges"]] == [2]
    assert log(store)[-1].request.operation == "accessLog", "reading the log is logged too"


def test_a_person_is_answered_at_once_only_after_this_request_logged_the_same_read(store: Store) -> None:
    """The shortcut of nested person fields (no batch, no coroutine) never skips a check or a log entry."""
    load_family(store)
    household = Access("householdContext", Right.READ_PERSON, "x")
    audit = Access("missingMembers", Right.READ_AUDITED_RECORD)

    async def scenario() -> None:  # in one event loop, which the loaders' futures belong to
        context = RequestContext.create(store, PRACTITIONER, "c-9")
        context.loaders.prime(store.family_network("P2"))
        assert context.known_person(household, "P3") is None, "not logged yet"
        await context.record(household, ["P2", "P3"])
        known = context.known_person(household, "P3")
        assert known is not None and known.person_id == "P3"
        assert context.known_person(household, "P4") is None, "a person the request has not logged"
        # The same person under another operation is another read, and this role may not make it.
        assert context.known_person(audit, "P3") is None
        with pytest.raises(AuthorizationError):
            await context.person(audit, "P3")

    asyncio.run(scenario())
    assert [(e.request.operation, e.request.person_ids, e.request.allowed) for e in log(store)] == [
        ("householdContext", ("P2", "P3"), True),
        ("missingMembers", ("P3",), False),
    ]
