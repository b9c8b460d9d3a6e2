"""The sources of imported facts in the Neo4j store (``schema/neo4j/010_fact_sources.cypher``).

:class:`Neo4jSources` is mixed into :class:`~familynet.stores.neo4j.store.Neo4jStore`; a load
records its sources itself (:meth:`~familynet.stores.neo4j.load.Neo4jLoad.record_sources`).
"""

from __future__ import annotations

from collections.abc import Sequence

from familynet.model.sources import FactSource
from familynet.stores.neo4j.accounts import Neo4jAccounts

_FIELDS = FactSource.__slots__


def source_rows(sources: Sequence[FactSource]) -> list[dict[str, str]]:
    """The parameters of ``insert_fact_sources`` (``dataclasses.asdict`` deep-copies every field: ten times slower)."""
    return [{name: getattr(source, name) for name in _FIELDS} for source in sources]


class Neo4jSources(Neo4jAccounts):
    """Fact sources, over the sessions and named queries of :class:`Neo4jAccounts`."""

    def fact_sources(self, file: str | None = None) -> list[FactSource]:
        """The sources of the facts of ``file`` (every file: None), in order."""
        rows = self._read("all_fact_sources") if file is None else self._read("fact_sources_of", file=file)
        return sorted(FactSource(*row) for row in rows)

    def keep_fact_sources(self, sources: Sequence[FactSource]) -> None:
        """Add ``sources`` (copied from another store) as they are, in one transaction."""
        self._write("insert_fact_sources", rows=source_rows(sources))
