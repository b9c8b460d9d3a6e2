"""One JSON shape for every analysis result, for the CLI, the API and notebooks.

Field names are the dataclass field names (documented in ``docs/rules.md``); dates
are ISO 8601 strings; tuples and sets are lists (sets sorted); concern categories
stay integers; absent values are ``null``.

>>> import datetime as dt
>>> from familynet.analyses.escalation import Escalation
>>> serialise(Escalation("C1", dt.date(2024, 1, 1), dt.date(2024, 2, 11), 3, ("R1", "R2", "R3")))["window_start"]
'2024-01-01'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from familynet.errors import FamilynetError


class SerialisationError(FamilynetError, TypeError):
    """A result holds a value with no JSON form."""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    raise SerialisationError(f"no JSON form for a value of type {type(value).__name__}")


def serialise(result: object) -> dict[str, Any]:
    """The JSON-ready dict of an analysis result (any of the result dataclasses)."""
    plain = _plain(result)
    if not isinstance(plain, dict):
        raise SerialisationError("only a result dataclass or mapping serialises to a JSON object")
    return plain
