"""Given-name variants: the nickname and variant table of ``graph/name_variants.toml``.

>>> canonical_given("Bill"), canonical_given("Muhammad"), canonical_given("Zoë"), canonical_given("Xavier")
('william', 'mohammed', 'zoe', 'xavier')
"""

from __future__ import annotations

import tomllib
from functools import cache

from familynet.resources import resource_dir
from familynet.stores.name_search import name_key


@cache
def variants() -> dict[str, str]:
    """Every folded given name of the table, to its group's canonical (first) name."""
    with (resource_dir("graph") / "name_variants.toml").open("rb") as handle:
        groups: list[list[str]] = tomllib.load(handle)["groups"]
    found: dict[str, str] = {}
    for group in groups:
        canonical = name_key(group[0])
        for name in group:
            found.setdefault(name_key(name), canonical)
    return found


def canonical_given(name: str | None) -> str:
    """The canonical form of a given name's first token, folded; the token itself when no group has it."""
    tokens = name_key(name).split()
    if not tokens:
        return ""
    return variants().get(tokens[0], tokens[0])
