"""The document cache: a repeated document skips parsing and validation, but never a limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import GraphQLError, specified_rules
from graphql_support import PRACTITIONER, data, execute, load_family, messages

from familynet.service.documents import DocumentCache
from familynet.service.extensions import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from familynet.service.schema import build_schema
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite


@pytest.fixture
def family(tmp_path: Path) -> Iterator[Store]:
    """A SQLite store holding the hand-written family (what is cached does not depend on the store)."""
    store = open_sqlite(tmp_path / "familynet.db")
    try:
        load_family(store)
        yield store
    finally:
        store.close()


DEEP = (
    "fragment F on Person { f"
    + " { f" * MAX_DEPTH
    + " }" * MAX_DEPTH
    + ' } { person(id: "P1", purpose: "test") { ...F } }'
)
ALIASED = "{ " + " ".join(f'a{i}: agency(id: "A1") {{ name }}' for i in range(MAX_ALIASES + 1)) + " }"
TOKENS = "{ " + " ".join(["__typename"] * MAX_TOKENS) + " }"
INTROSPECTION = "{ __schema { queryType { name } } }"


@pytest.mark.parametrize(
    ("query", "refusal"),
    [(DEEP, "maximum operation depth"), (ALIASED, "aliases"), (TOKENS, "token")],
    ids=["depth", "aliases", "tokens"],
)
@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_a_repeated_document_is_refused_every_time(family: Store, query: str, refusal: str, production: bool) -> None:
    first = execute(family, PRACTITIONER, query, production=production)
    assert first.data is None
    assert any(refusal in m.lower() for m in messages(first))
    for _ in range(3):
        again = execute(family, PRACTITIONER, query, production=production, correlation_id="corr-2")
        assert again.data is None
        assert messages(again) == messages(first)


def test_introspection_cached_in_development_is_still_refused_in_production(family: Store) -> None:
    assert data(execute(family, PRACTITIONER, INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"
    refused = execute(family, PRACTITIONER, INTROSPECTION, production=True)
    assert refused.data is None
    assert any("introspection" in m.lower() for m in messages(refused))
    assert data(execute(family, PRACTITIONER, INTROSPECTION))


def test_a_cached_document_runs_with_each_requests_variables(family: Store) -> None:
    query = 'query ($id: ID!) { person(id: $id, purpose: "check") { personId givenName } }'
    first = data(execute(family, PRACTITIONER, query, {"id": "P1"}, production=True))
    second = data(execute(family, PRACTITIONER, query, {"id": "P2"}, production=True))
    assert first["person"]["personId"] == "P1"
    assert second["person"]["personId"] == "P2"


def test_validation_errors_handed_out_are_copies() -> None:
    schema = build_schema(production=True)._schema
    document = DocumentCache().parse("{ nothing }", {})
    first = document.errors(schema, tuple(specified_rules))
    assert [e.message for e in first] == ["Cannot query field 'nothing' on type 'Query'."]
    first.clear()
    assert len(document.errors(schema, tuple(specified_rules))) == 1


def test_the_cache_is_bounded() -> None:
    cache = DocumentCache(max_documents=2, max_length=40)
    a = cache.parse("{ a }", {})
    b = cache.parse("{ b }", {})
    assert cache.parse("{ a }", {}) is a  # used again: now the most recent, and b the least
    cache.parse("{ c }", {})
    assert len(cache) == 2
    assert cache.parse("{ a }", {}) is a
    assert cache.parse("{ b }", {}) is not b  # forgotten, so parsed afresh
    long = "{ " + "a " * 30 + "}"
    assert cache.parse(long, {}) is not cache.parse(long, {})


def test_a_document_over_the_token_limit_is_never_cached() -> None:
    cache = DocumentCache()
    with pytest.raises(GraphQLError, match="token"):
        cache.parse(TOKENS, {"max_tokens": MAX_TOKENS})
    assert len(cache) == 0
