"""The vocabularies of the graph model, loaded from ``graph/`` (data, not code)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from familynet.resources import resource_dir

_CATEGORY = re.compile(r"^(\d+)")


@dataclass(frozen=True)
class Vocabulary:
    """Every closed list of values that the model allows."""

    sex: frozenset[str]
    agency_kind: frozenset[str]
    membership_role: frozenset[str]
    relationship_type: frozenset[str]
    relationship_subtypes: dict[str, frozenset[str]]
    twin: frozenset[str]
    referral_kind: frozenset[str]
    referral_outcome: frozenset[str]
    consent: frozenset[str]
    rag: frozenset[str]
    mention_role: frozenset[str]
    assessment_kind: frozenset[str]
    threshold: frozenset[str]
    check_response: frozenset[str]
    plan_kind: frozenset[str]
    record_agency_kind: str
    concern_codes: dict[str, str]
    referral_source_codes: dict[str, str]
    primary_need_codes: dict[str, str]
    no_category_codes: frozenset[str]


def _load(name: str) -> dict[str, Any]:
    with (resource_dir("graph") / name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def vocabulary() -> Vocabulary:
    """Load the vocabularies once per process.

    >>> vocabulary().concern_codes["3A"].startswith("Domestic abuse")
    True
    >>> sorted(vocabulary().relationship_subtypes["sibling_of"])
    ['full', 'half', 'step', 'unknown']
    """
    model = _load("model.toml")
    words = model["vocabularies"]
    factors = _load("cin_factors.toml")
    subtypes = {
        rel_type.lower(): frozenset(spec.get("subtypes", ()))
        for rel_type, spec in model["relationships"].items()
        if rel_type in {"PARENT_OF", "PARTNER_OF", "SIBLING_OF"}
    }
    return Vocabulary(
        sex=frozenset(words["sex"]),
        agency_kind=frozenset(words["agency_kind"]),
        membership_role=frozenset(words["membership_role"]),
        relationship_type=frozenset(words["relationship_type"]),
        relationship_subtypes=subtypes,
        twin=frozenset(words["twin"]),
        referral_kind=frozenset(words["referral_kind"]),
        referral_outcome=frozenset(words["referral_outcome"]),
        consent=frozenset(words["consent"]),
        rag=frozenset(words["rag"]),
        mention_role=frozenset(words["mention_role"]),
        assessment_kind=frozenset(words["assessment_kind"]),
        threshold=frozenset(words["threshold"]),
        check_response=frozenset(words["check_response"]),
        plan_kind=frozenset(words["plan_kind"]),
        record_agency_kind=words["record_agency_kind"],
        concern_codes=dict(factors["codes"]),
        referral_source_codes=dict(_load("cin_referral_sources.toml")["codes"]),
        primary_need_codes=dict(_load("cin_primary_needs.toml")["codes"]),
        no_category_codes=frozenset(factors["categories"]["no_category"]),
    )


def concern_category(code: str) -> int | None:
    """Return the CIN census category of a factor code: its number.

    Code 21 (no factors identified) has no category.

    >>> concern_category("3A"), concern_category("18C"), concern_category("20")
    (3, 18, 20)
    >>> concern_category("21") is None
    True
    """
    if code in vocabulary().no_category_codes:
        return None
    match = _CATEGORY.match(code)
    return int(match.group(1)) if match else None


def concern_names() -> dict[int, str]:
    """The name of each CIN concern category: the words before the colon of its codes.

    >>> concern_names()[3], concern_names()[16]
    ('Domestic abuse', 'Neglect')
    """
    names: dict[int, str] = {}
    for code, text in vocabulary().concern_codes.items():
        number = "".join(c for c in code if c.isdigit())
        if number and int(number) not in names:
            names[int(number)] = text.partition(":")[0]
    return names
