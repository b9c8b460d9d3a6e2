"""The previous versions of persons, memberships and relationships in the Neo4j store.

:class:`Neo4jHistory` is mixed into :class:`~familynet.stores.neo4j.store.Neo4jStore`. A load
keeps the versions it replaces (:mod:`familynet.stores.neo4j.load`); this reads them, and
writes those copied from another store.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from familynet.model.history import PreviousVersion
from familynet.stores.neo4j.accounts import Neo4jAccounts
from familynet.stores.versions import version_values


def _version(row: tuple[Any, ...]) -> PreviousVersion:
    file, person_id, related, fact, *provenance = row
    return PreviousVersion(file, person_id, related, version_values(file, json.loads(fact)), *provenance)


class Neo4jHistory(Neo4jAccounts):
    """Previous versions, over the sessions and named queries of :class:`Neo4jAccounts`."""

    def previous_versions(self, person_ids: Collection[str] | None = None) -> list[PreviousVersion]:
        """The previous versions of the facts about ``person_ids`` (every one: None), oldest first."""
        if person_ids is None:
            return [_version(row) for row in self._read("all_previous_versions")]
        return [_version(row) for row in self._read("previous_versions_of", ids=list(person_ids))]

    def keep_previous_versions(self, versions: Sequence[PreviousVersion]) -> None:
        """Add ``versions`` (copied from another store) as they are, in one transaction."""
        rows = [
            {"file": v.file, "person_id": v.person_id, "related_person_id": v.related_person_id,
             "fact": json.dumps(dict(v.values), ensure_ascii=False), "recorded_in": v.recorded_in,
             "recorded_at": v.recorded_at, "replaced_in": v.replaced_in, "replaced_at": v.replaced_at, "order": i}
            for i, v in enumerate(versions)
        ]  # fmt: skip
        self._write("insert_previous_versions", rows=rows)
