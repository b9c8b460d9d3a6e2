"""How every store matches a name: folded keys and one score, so searches rank alike on any backend.

A stored name is kept with its key (:func:`name_key`); a search finds the persons with
a key token that begins with a token of the query's key and ranks them with
:func:`name_score`, in Python, whatever index found them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_APOSTROPHES = dict.fromkeys(map(ord, "'’`"), None)


@lru_cache(maxsize=1 << 16)
def name_key(name: str | None) -> str:
    """A name folded for search: no accents, case folded, punctuation as spaces.

    >>> name_key("Zoë"), name_key("NGUYỄN"), name_key("O'Brien-Smith"), name_key("王")
    ('zoe', 'nguyen', 'obrien smith', '王')
    """
    if not name:
        return ""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_APOSTROPHES))
    kept = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return " ".join(kept.split())


def name_score(query: Sequence[str], tokens: Sequence[str]) -> tuple[int, float]:
    """Exact token matches and a score in [0, 1] of name ``tokens`` against ``query`` tokens.

    A query token equal to a name token scores 1, one that only begins a name
    token scores 0.5; the sum is divided by the larger number of tokens.

    >>> name_score(["zoe", "nguyen"], ["zoe", "nguyen"])
    (2, 1.0)
    >>> name_score(["zo"], ["zoe", "nguyen"])
    (0, 0.25)
    """
    names = set(tokens)
    exact = sum(1 for t in query if t in names)
    prefix = sum(1 for t in query if t not in names and any(n.startswith(t) for n in names))
    return exact, (exact + 0.5 * prefix) / max(len(query), len(tokens), 1)


def why_matched(name: str, given_name: str | None, family_name: str | None) -> str:
    """Why a person was found for the search ``name``, in words: which of their names each
    searched word is, or begins.

    >>> why_matched("zoe nguyen", "Zoë", "Nguyễn")
    'exact name'
    >>> why_matched("Smith", "Olivia", "Smith")
    'family name is smith'
    >>> why_matched("ame smi", "Amelia", "Smithson")
    'given name begins ame; family name begins smi'
    """
    given, family = name_key(given_name).split(), name_key(family_name).split()
    query = list(dict.fromkeys(name_key(name).split()))
    if sorted(query) == sorted(given + family):
        return "exact name"
    reasons = []
    for token in query:
        for label, tokens in (("given name", given), ("family name", family)):
            if token in tokens:
                reasons.append(f"{label} is {token}")
                break
            if any(t.startswith(token) for t in tokens):
                reasons.append(f"{label} begins {token}")
                break
    return "; ".join(reasons)
