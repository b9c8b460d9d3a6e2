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


#: Values that are their own JSON form, by exact type (a subclass takes the slower path below).
_SCALARS = frozenset({str, int, float, bool, type(None)})


# The field names of each dataclass met, None for any other class: asked once per class, since
# a report of ``audit all`` serialises a million values.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    return _FIELDS[cls]


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls in _SCALARS:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
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
