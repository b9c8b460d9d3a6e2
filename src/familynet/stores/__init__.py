"""Storage, indexing and extraction: the :class:`Store` protocol and its two backends.

- :mod:`~familynet.stores.protocol`: what every backend does (:class:`Store`, :class:`LoadWriter`);
- :mod:`~familynet.stores.backends`: choosing a backend from the settings;
- :mod:`~familynet.stores.extraction`: family networks from rows, shared by both backends;
- :mod:`~familynet.stores.cohort`: cohort batches of those networks, by subject (both backends);
- :mod:`~familynet.stores.rows`: how the named statements' rows read back as records and dates;
- :mod:`~familynet.stores.queries`: the named SQL and Cypher statements under ``queries/``;
- :mod:`~familynet.stores.name_search`: how every store matches a name;
- :mod:`~familynet.stores.transfer`: ``familynet copy`` between stores;
- :mod:`familynet.stores.sqlite` (the embedded default) and :mod:`familynet.stores.neo4j` (scale).

Stores hold no safeguarding rule: they may import :mod:`familynet.model` and
:mod:`familynet.access` (accounts and the access log they keep), never the analyses,
the service or the CLI.
"""

from __future__ import annotations

from familynet.stores.protocol import LoadWriter, Store

__all__ = ["LoadWriter", "Store"]
