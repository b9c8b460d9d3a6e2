"""Named queries: the statements a store runs, kept as data under ``queries/<dialect>/``.

A file holds one or more statements, each introduced by a ``name:`` line in the
dialect's line comment (``-- name: x`` in SQL, ``// name: x`` in Cypher). A file
without such a line is one statement named after the file. Comment lines
following a name line document the statement and are kept with it.

>>> sql = "-- header\\n-- name: one\\nSELECT 1;\\n-- name: two\\n-- why\\nSELECT 2;\\n"
>>> parse_queries(sql, "example")
{'one': 'SELECT 1;', 'two': '-- why\\nSELECT 2;'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from familynet.errors import ConfigurationError
from familynet.resources import resource_dir

_NAME = re.compile(r"^\s*(?:--|//)\s*name:\s*(\w+)\s*$")
#: File suffixes read as queries.
SUFFIXES = frozenset({".sql", ".cypher"})


def parse_queries(text: str, default_name: str) -> dict[str, str]:
    """Split the text of one query file into its named statements."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _NAME.match(line)
        if match:
            name = match.group(1)
            if name in sections:
                raise ConfigurationError(f"query {name!r} is defined twice in {default_name}")
            current = sections[name] = []
        elif current is not None:
            current.append(line)
    if not sections:
        return {default_name: text.strip()}
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


@cache
def queries(dialect: str) -> Mapping[str, str]:
    """Every named query of ``dialect`` (``sqlite``, ``cypher``), loaded once per process.

    >>> "stats" in queries("sqlite")
    True
    """
    directory = resource_dir("queries") / dialect
    if not directory.is_dir():
        raise ConfigurationError(f"no queries for the {dialect!r} dialect")
    found: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        for name, statement in parse_queries(path.read_text(encoding="utf-8"), path.stem).items():
            if name in found:
                raise ConfigurationError(f"query {name!r} is defined twice under {dialect}/")
            found[name] = statement
    return MappingProxyType(found)
