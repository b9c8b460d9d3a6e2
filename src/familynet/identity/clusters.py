"""Joining records into identities, and naming them.

Links join records (union–find). A join is refused when it would put into one identity two
records that must stay apart: records a user decided distinct (or unlinked), and records a
``parent_of``, ``sibling_of`` or ``partner_of`` joins, so relatives are never merged, however
the links chain. Users' links are joined first, then the model's, most likely first; a model's
join is refused too when any record of one side and any of the other are in ``conflict`` (a
guardrail: twins linked each to one record of a child would otherwise become one person).

An identity's id is the id of its social-care record (the earliest loaded, if several), else
of its earliest-loaded record; records loaded together go by id.

>>> clusters = Clusters(["P1", "P2", "P3"], apart={("P1", "P3")})
>>> clusters.join("P1", "P2"), clusters.join("P2", "P3")
(True, False)
>>> clusters.groups()
[['P1', 'P2'], ['P3']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


class Clusters:
    """Records joined by links, never joining records ``apart`` (pairs, either order)."""

    def __init__(self, records: Iterable[str], apart: Iterable[tuple[str, str]] = ()) -> None:
        self._parent = {record: record for record in records}
        self._members = {record: {record} for record in self._parent}
        self._apart: dict[str, set[str]] = {}
        for left, right in apart:
            if left in self._parent and right in self._parent:
                self._apart.setdefault(left, set()).add(right)
                self._apart.setdefault(right, set()).add(left)

    def find(self, record: str) -> str:
        """The root of a record's cluster."""
        parent = self._parent
        root = record
        while parent[root] != root:
            root = parent[root]
        while parent[record] != root:
            parent[record], record = root, parent[record]
        return root

    def together(self, left: str, right: str) -> bool:
        """Whether two records are in one cluster."""
        return self.find(left) == self.find(right)

    def may_join(self, left: str, right: str, conflict: Callable[[str, str], bool] | None = None) -> bool:
        """Whether joining the clusters of ``left`` and ``right`` keeps every ``apart`` pair apart
        (and, with ``conflict``, joins no two records in conflict)."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return True
        small, large = sorted((self._members[a], self._members[b]), key=len)
        if any(self._apart.get(record, set()) & large for record in small):
            return False
        return conflict is None or not any(conflict(x, y) for x in small for y in large)

    def join(self, left: str, right: str, conflict: Callable[[str, str], bool] | None = None) -> bool:
        """Join the clusters of two records; False (and nothing joined) when they must stay apart."""
        if not self.may_join(left, right, conflict):
            return False
        a, b = self.find(left), self.find(right)
        if a != b:
            if len(self._members[a]) < len(self._members[b]):
                a, b = b, a
            self._parent[b] = a
            self._members[a] |= self._members.pop(b)
        return True

    def groups(self) -> list[list[str]]:
        """Every cluster's records, sorted, clusters in order of their first record."""
        return sorted(sorted(members) for members in self._members.values())


@dataclass(frozen=True)
class Naming:
    """What the identity id rule needs: each record's first load and whether a social-care agency recorded it."""

    first_loads: Mapping[str, int]
    social_care: Callable[[str], bool]

    def identity_id(self, records: Iterable[str]) -> str:
        """The id of the identity of ``records``.

        >>> Naming({"P1": 1, "P2": 2, "P3": 1}, lambda r: r == "P2").identity_id(["P1", "P2", "P3"])
        'P2'
        >>> Naming({"P1": 2, "P3": 1}, lambda r: False).identity_id(["P1", "P3"])
        'P3'
        """
        return min(records, key=lambda r: (not self.social_care(r), self.first_loads.get(r, 0), r))

    def members(self, groups: Iterable[list[str]]) -> dict[str, str]:
        """Every record of ``groups`` to its identity's id."""
        found = {}
        for records in groups:
            identity = self.identity_id(records)
            for record in records:
                found[record] = identity
        return found
