"""A read's purpose: what is accepted, and what a refusal costs the append-only access log."""

from __future__ import annotations

import json

import pytest
from graphql_support import PRACTITIONER, data, execute, load_family, log, messages

from familynet.access.purpose import MAX_PURPOSE_LENGTH, PurposeRule
from familynet.settings import ServiceSettings
from familynet.stores.protocol import Store

ALIASES = " ".join(f'a{i}: person(id: "P2", purpose: $p) {{ personId }}' for i in range(15))


def _entry_bytes(store: Store) -> int:
    return sum(len(json.dumps([e.request.purpose, e.request.operation, e.request.person_ids])) for e in log(store))


def test_a_refused_long_purpose_stores_no_more_than_an_accepted_one_once_per_operation(store: Store) -> None:
    load_family(store)
    huge = "x" * 250_000
    result = execute(store, PRACTITIONER, f"query($p: String!) {{ {ALIASES} }}", {"p": huge})
    assert messages(result) == [f"the purpose is longer than {MAX_PURPOSE_LENGTH} characters"] * 15
    entries = log(store)
    assert len(entries) == 1
    assert not entries[0].request.allowed and entries[0].request.person_ids == ("P2",)
    stored = entries[0].request.purpose
    assert stored is not None and len(stored) <= MAX_PURPOSE_LENGTH and huge[:100] not in stored
    assert "250000 characters" in stored
    # Growth per refused request, as docs/graphql.md says: one entry of at most an accepted one's size.
    assert _entry_bytes(store) < 1_000


def test_a_refused_purpose_within_the_limit_is_stored_as_given(store: Store) -> None:
    load_family(store)
    execute(store, PRACTITIONER, '{ person(id: "P2", purpose: "\u200b") { personId } }')
    assert [(e.request.purpose, e.request.allowed) for e in log(store)] == [("\u200b", False)]


@pytest.mark.parametrize("purpose", ["\u200b", "\x1b", "  ", "12", "--", "\u200b\u200b\u200b\u200b", "ab"])
def test_a_purpose_needs_at_least_three_letters(store: Store, purpose: str) -> None:
    load_family(store)
    result = execute(
        store, PRACTITIONER, 'query($p: String!) { person(id: "P2", purpose: $p) { personId } }', {"p": purpose}
    )
    assert result.data == {"person": None}
    assert messages(result) == ["a purpose is required for every read of a person: say why in at least 3 letters"]


@pytest.mark.parametrize("purpose", ["CIN", "Ærø", "s47 review", "تقييم"])
def test_a_purpose_of_three_letters_in_any_alphabet_is_accepted(store: Store, purpose: str) -> None:
    load_family(store)
    query = 'query($p: String!) { person(id: "P2", purpose: $p) { personId } }'
    assert data(execute(store, PRACTITIONER, query, {"p": purpose})) == {"person": {"personId": "P2"}}


def test_the_fewest_letters_is_a_setting() -> None:
    assert ServiceSettings.from_environ({}).purpose_min_letters == 3
    assert ServiceSettings.from_environ({"FAMILYNET_PURPOSE_MIN_LETTERS": "8"}).purpose_min_letters == 8
    rule = PurposeRule(min_letters=8)
    assert rule.check("s47 enquiry") == "s47 enquiry"
    with pytest.raises(Exception, match="at least 8 letters"):
        rule.check("s47 CIN")
