"""Client mistakes are the client's (4xx or a validation error, never a 500), and no string a client
sends may carry a control character or a lone surrogate into the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graphql_support import PRACTITIONER, execute, log, messages
from http_server import Service, serve
from test_graphql_mutations import errors, record
from test_http_schema import family_db

from familynet.stores.protocol import Store

PERSON_VARIABLES = 'query($p: String!) { person(id: "P2", purpose: $p) { personId } }'


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    yield from serve(family_db(tmp_path_factory.mktemp("inputs")), rate_limit=1000.0, rate_burst=1000)


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename \xff }"}',
        b'{"query": "{ __typename }", "variables": {"p": "\xc3"}}',
        b'{"query": "{ __typename }", "variables": {"p": "\\ud800"}}',
    ],
    ids=["latin-1 byte", "truncated UTF-8", "lone surrogate escape"],
)
def test_a_body_that_is_not_utf8_json_is_a_400(service: Service, body: bytes) -> None:
    with service.client(service.practitioner) as client:
        response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["x-correlation-id"]


@pytest.mark.parametrize("value", ["Ann\x00Secret", "\x1b[2J", "a\x85b", "a\x7fb"])
def test_variables_with_a_control_character_are_a_400_naming_the_code_point(service: Service, value: str) -> None:
    with service.client(service.practitioner) as client:
        response = client.post("/graphql", json={"query": PERSON_VARIABLES, "variables": {"p": f"why {value}"}})
        get = client.get("/graphql", params={"query": PERSON_VARIABLES, "variables": f'{{"p": "{value}"}}'})
    assert response.status_code == 400
    assert get.status_code == 400
    assert "variables.p: " in response.text and "Secret" not in response.text


def test_a_string_literal_with_a_control_character_is_refused_before_it_runs(store: Store) -> None:
    document = 'mutation { recordPerson(input: {personId: "P9", givenName: "Ann\\u0000Secret"}) { __typename } }'
    result = execute(store, PRACTITIONER, document, production=True)
    assert result.data is None
    assert messages(result) == ["a string holds a control character (U+0000)"]
    assert store.stats().labels.get("Person", 0) == 0


def test_a_mutation_given_a_control_character_by_variable_is_a_validation_error(store: Store) -> None:
    # In process no HTTP layer checks the variables: the bundle's own cell check refuses it.
    record(store, "recordPerson", {"personId": "P1", "givenName": "Ann"})
    refused = record(store, "recordPerson", {"personId": "P9", "givenName": "Ann\x00Secret"})
    assert errors(refused) == [("givenName", "a control character (U+0000)")]
    surrogate = record(store, "recordPerson", {"personId": "P9", "familyName": "Lee\ud800"})
    assert errors(surrogate) == [("familyName", "not valid UTF-8 (a lone surrogate or a byte that is not UTF-8)")]
    assert store.person("P9") is None


@pytest.mark.parametrize("gid", ["!!!", "", "UGVyc29u", "Tm9wZTpYMQ=="])
def test_a_malformed_global_id_is_a_client_error(store: Store, gid: str) -> None:
    result = execute(store, PRACTITIONER, f'{{ node(id: "{gid}", purpose: "test") {{ id }} }}', production=True)
    assert messages(result) == ["not the global id of a person, referral or agency"]


@pytest.mark.parametrize(
    "query",
    [
        '{ householdContext(childId: "P2", purpose: "test", on: "0001-01-01") { childId } }',
        '{ genogram(personId: "P2", purpose: "test", on: "0001-01-01") { content } }',
        '{ householdContext(childId: "P2", purpose: "test", on: "9999-12-31") { childId } }',
    ],
)
def test_a_day_out_of_range_is_a_validation_error(store: Store, query: str) -> None:
    result = execute(store, PRACTITIONER, query, production=True)
    assert messages(result) == ["on must be between 1900-01-01 and 2199-12-31"]


def test_household_context_and_family_network_of_a_missing_id_are_logged_like_person(store: Store) -> None:
    for query in (
        '{ person(id: "P404", purpose: "test") { personId } }',
        '{ householdContext(childId: "P404", purpose: "test") { childId } }',
        '{ familyNetwork(personId: "P404", purpose: "test") { hops } }',
        '{ genogram(personId: "P404", purpose: "test") { content } }',
    ):
        execute(store, PRACTITIONER, query)
    assert [(e.request.operation, e.request.person_ids) for e in log(store)] == [
        ("person", ("P404",)),
        ("householdContext", ("P404",)),
        ("familyNetwork", ("P404",)),
        ("genogram", ("P404",)),
    ]
