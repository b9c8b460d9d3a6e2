"""The exported SDL is current; production mode hides what development mode shows; limits hold."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from graphql_support import PRACTITIONER, SpyStore, data, execute, load_family, messages

from familynet.cli import main
from familynet.service.extensions import MASKED_MESSAGE, MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from familynet.service.schema import sdl
from familynet.stores.protocol import Store

SDL = Path(__file__).parents[2] / "schema" / "familynet.graphql"


def test_exported_sdl_is_current() -> None:
    assert SDL.read_text(encoding="utf-8") == sdl(), "run: familynet schema --output schema/familynet.graphql"


def test_schema_command_prints_and_checks_the_sdl(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["schema"]).output == sdl()
    out = tmp_path / "familynet.graphql"
    assert runner.invoke(main, ["schema", "--check", "--output", str(out)]).exit_code == 1
    assert runner.invoke(main, ["schema", "--output", str(out)]).exit_code == 0
    assert runner.invoke(main, ["schema", "--check", "--output", str(out)]).exit_code == 0
    out.write_text(sdl() + "# edited\n", encoding="utf-8")
    assert runner.invoke(main, ["schema", "--check", "--output", str(out)]).exit_code == 1


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_only_in_development(store: Store) -> None:
    assert data(execute(store, PRACTITIONER, INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"
    refused = execute(store, PRACTITIONER, INTROSPECTION, production=True)
    assert refused.data is None and refused.errors


def test_field_suggestions_only_in_development(store: Store) -> None:
    query = '{ person(id: "P1", purpose: "test") { givenNam } }'
    assert "Did you mean" in messages(execute(store, PRACTITIONER, query))[0]
    # The client is still told what is wrong with its document, only not what it might have meant.
    assert messages(execute(store, PRACTITIONER, query, production=True)) == [
        "Cannot query field 'givenNam' on type 'Person'."
    ]


def test_production_masks_all_but_familynet_errors(store: Store) -> None:
    load_family(store)
    # A familynet error (authorization) keeps its message: it carries no personal data.
    refused = execute(
        store, PRACTITIONER, '{ missingMembers(from: "2024-01-01", to: "2024-12-31") { summary } }', production=True
    )
    assert messages(refused) == ["the practitioner role may not run audit"]
    # Anything else (here a store error that quotes SQL and a name) is masked.
    broken = SpyStore(store, fail=frozenset({"persons"}))
    query = '{ person(id: "P2", purpose: "test") { personId } }'
    assert messages(execute(broken, PRACTITIONER, query)) == [
        "persons failed: SELECT given_name FROM persons -- Siobhán"
    ]
    failed = execute(broken, PRACTITIONER, query, production=True)
    assert messages(failed) == [MASKED_MESSAGE]
    assert failed.data == {"person": None}


def test_depth_limit_counts_fragment_spreads(store: Store) -> None:
    load_family(store)
    ok = '{ householdContext(childId: "P2", purpose: "test") { households { members { person { recordedBy { name } } } } } }'
    assert data(execute(store, PRACTITIONER, ok))

    # The schema has no cycles, so only a document with fields the schema lacks gets this deep;
    # the limit still refuses it, following fragment spreads, before anything runs.
    def depth_errors(levels: int) -> list[str]:
        inner = "f" + " { f" * levels + " }" * levels
        query = f'fragment F on Person {{ {inner} }} {{ person(id: "P1", purpose: "test") {{ ...F }} }}'
        return [m for m in messages(execute(store, PRACTITIONER, query)) if "maximum operation depth" in m]

    assert depth_errors(MAX_DEPTH - 2) == []
    assert depth_errors(MAX_DEPTH) == [f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"]


def test_alias_limit(store: Store) -> None:
    within = "{ " + " ".join(f'a{i}: agency(id: "A1") {{ name }}' for i in range(MAX_ALIASES)) + " }"
    assert data(execute(store, PRACTITIONER, within))
    beyond = "{ " + " ".join(f'a{i}: agency(id: "A1") {{ name }}' for i in range(MAX_ALIASES + 1)) + " }"
    assert any("aliases" in m for m in messages(execute(store, PRACTITIONER, beyond)))


def test_token_limit(store: Store) -> None:
    query = "{ " + " ".join(["__typename"] * MAX_TOKENS) + " }"
    result = execute(store, PRACTITIONER, query)
    assert result.data is None
    assert any("token" in m.lower() for m in messages(result))
