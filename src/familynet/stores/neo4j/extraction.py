"""Family networks from the Neo4j store in one round trip, built by the shared extraction.

The named statement ``family_networks`` (``queries/cypher/network.cypher``) returns, for a
set of seed persons, every row that the per-hop statements would return for the ids
:func:`~familynet.stores.extraction.extract_rows` asks about while it walks three hops.
:class:`NetworkRows` answers those questions from the rows in memory, so the one
implementation of the search and of the graph (:mod:`familynet.stores.extraction`,
:class:`~familynet.model.network.FamilyGraphBuilder`) builds the same graph as before, with one
Bolt round trip instead of about fifteen.

>>> rows = NetworkRows({"persons": [("P1", None, None, None, None, "female", None, None, "A1")],
...                     "relationships": [("r1", "P1", "P2", "parent_of") + (None,) * 7]})
>>> [row[0] for row in rows.fetch("relationships_touching", ["P2"])]
['r1']
>>> rows.fetch("persons_by_id", ["P1", "P9"])[0][0]
'P1'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from familynet.stores.rows import Row

#: Hops the ``family_networks`` statement expands (its variable-length bound).
STATEMENT_HOPS = 3

#: For each named per-hop statement: the column of ``family_networks`` holding its rows and
#: the positions of the ids a row answers to.
_ANSWERS: dict[str, tuple[str, tuple[int, ...]]] = {
    "persons_by_id": ("persons", (0,)),
    "households_by_id": ("households", (0,)),
    "agencies_by_id": ("agencies", (0,)),
    "relationships_touching": ("relationships", (1, 2)),
    "memberships_of_persons": ("memberships", (2,)),
    "memberships_of_households": ("memberships", (1,)),
    "referrals_about": ("referrals", (2,)),
    "referrals_by_id": ("referrals", (0,)),
    "mentions_in": ("mentions", (0,)),
    "allegations_against": ("allegations", (1,)),
    "assessments_of": ("assessments", (1,)),
    "considerations_of": ("considerations", (1,)),
    "considerations_in": ("considerations", (0,)),
    "checks_for": ("checks", (1,)),
    "plans_of": ("plans", (1,)),
}
#: Named statements that return one column of another's rows, each value once: (statement, position).
_PROJECTED: dict[str, tuple[str, int]] = {"persons_mentioned_in": ("mentions_in", 1)}


class NetworkRows:
    """The rows of one ``family_networks`` result, answering the per-hop statements by id."""

    def __init__(self, columns: Mapping[str, Sequence[Sequence[Any]]]) -> None:
        rows = {column: [tuple(values) for values in columns.get(column, ())] for column, _ in _ANSWERS.values()}
        self._index: dict[str, dict[Any, list[Row]]] = {}
        for name, (column, positions) in _ANSWERS.items():
            index: dict[Any, list[Row]] = {}
            for row in rows[column]:
                for position in positions:
                    index.setdefault(row[position], []).append(row)
            self._index[name] = index

    def fetch(self, name: str, ids: Iterable[str]) -> list[Row]:
        """The rows the named statement returns for ``ids``, each row once."""
        if name in _PROJECTED:
            source, position = _PROJECTED[name]
            return [(value,) for value in dict.fromkeys(row[position] for row in self.fetch(source, ids))]
        index = self._index[name]
        # A row answers to both its ends (a relationship): keep the first; rows hold lists, so by identity.
        found: dict[int, Row] = {}
        for ident in ids:
            for row in index.get(ident, ()):
                found.setdefault(id(row), row)
        return list(found.values())
