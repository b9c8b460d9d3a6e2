"""Cells of the SSD that hold JSON: a contact's outcome flags, an assessment's factors.

Both repeat a few values over many rows: each distinct value is read once (an error is raised
afresh each time: ``lru_cache`` keeps none).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from familynet.imports.values import ValueProblem, mapping


def flag_set(flag: object) -> bool:
    """Whether an SSD flag is set (Y, yes, 1 or true).

    >>> flag_set("Y"), flag_set("N"), flag_set(None)
    (True, False, False)
    """
    return str(flag or "").strip().lower() in {"y", "yes", "1", "true"}


@lru_cache(maxsize=1 << 12)
def contact_outcome(cell: str) -> str:
    """The outcome of the first flag of ``ssd.toml``'s contact outcomes set in a contact's JSON
    object of flags (ordered in ``ssd.toml``); empty if none is.

    >>> contact_outcome('{"NFA_FLAG": "Y", "ADVICE_FLAG": "N"}'), contact_outcome("")
    ('nfa', '')
    """
    flags = _json_object(cell)
    return next((o for flag, o in mapping("ssd")["contact_outcome"].items() if flag_set(flags.get(flag))), "")


def _json_object(cell: str) -> dict[str, Any]:
    try:
        value = json.loads(cell) if cell else {}
    except json.JSONDecodeError:
        raise ValueProblem("not a JSON object") from None
    if not isinstance(value, dict):
        raise ValueProblem("not a JSON object")
    return value


@lru_cache(maxsize=1 << 12)
def factor_codes(cell: str) -> tuple[str, ...]:
    """The factors of ``cinf_assessment_factors_json``: a JSON array of codes, or an object of
    codes to Yes/No (the SSD's planned form); also a plain ``;``- or ``,``-separated list.

    >>> factor_codes('["1A", "2b"]'), factor_codes('{"1A": "Yes", "3B": "No"}'), factor_codes("4B, 5C")
    (('1A', '2B'), ('1A',), ('4B', '5C'))
    """
    try:
        value = json.loads(cell) if cell.startswith(("[", "{")) else cell.replace(";", ",").split(",")
    except json.JSONDecodeError:
        raise ValueProblem("not a JSON array or object of factor codes") from None
    if isinstance(value, dict):
        value = [name for name, flag in value.items() if flag_set(flag)]
    if not isinstance(value, list):
        raise ValueProblem("not a JSON array or object of factor codes")
    return tuple(str(item).strip().upper() for item in value if str(item).strip())
