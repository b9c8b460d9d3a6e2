"""Helpers for the GraphQL schema tests: callers of each role, a loaded store, one-call execution."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from strawberry.types import ExecutionResult

from bundles import FAMILY
from familynet.access.auth import Principal, Role
from familynet.access.log import AccessEntry
from familynet.bundle.ingest import ingest_rows
from familynet.service.context import RequestContext
from familynet.service.schema import build_schema
from familynet.stores.protocol import Store

TODAY = dt.date(2025, 1, 1)
PRACTITIONER = Principal("pat", Role.PRACTITIONER, "A1", "token")
AUDITOR = Principal("aud", Role.AUDITOR, None, "oidc")
ADMIN = Principal("adm", Role.ADMIN, "A1", "token")
RECORDS = Principal("rec", Role.RECORDS, None, "token")
PRINCIPALS = {role: p for p in (PRACTITIONER, AUDITOR, RECORDS, ADMIN) for role in [p.role]}

DEVELOPMENT = build_schema(production=False)
PRODUCTION = build_schema(production=True)


def load_family(store: Store) -> None:
    """The hand-written family of tests/bundles.py: P1 mother of P2 and P3, P4 her partner."""
    ingest_rows(store, "family", FAMILY, today=TODAY)


def execute(
    store: Store,
    principal: Principal,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    production: bool = False,
    correlation_id: str = "corr-1",
) -> ExecutionResult:
    """Run one operation as ``principal`` with a fresh request context."""
    context = RequestContext.create(store, principal, correlation_id)
    schema = PRODUCTION if production else DEVELOPMENT
    return asyncio.run(schema.execute(query, variable_values=variables, context_value=context))


def data(result: ExecutionResult) -> dict[str, Any]:
    """The data of a result that must have no errors."""
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def messages(result: ExecutionResult) -> list[str]:
    """The error messages of a result."""
    return [e.message for e in result.errors or ()]


def log(store: Store) -> list[AccessEntry]:
    """Every access log entry, in order."""
    return store.access_entries()


class SpyStore:
    """A real store behind a wrapper that counts the calls made to it, and can make some fail.

    It delegates every attribute to the wrapped store, so the schema runs exactly as
    on the real one; ``fail`` names methods that raise instead, as a broken disk would.
    """

    def __init__(self, store: Store, fail: frozenset[str] = frozenset()) -> None:
        self._store = store
        self._fail = fail
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if name in self._fail:
                raise RuntimeError(f"{name} failed: SELECT given_name FROM persons -- Siobhán")
            return attribute(*args, **kwargs)

        return spy

    def count(self, *names: str) -> int:
        """Calls made to any of ``names``; to every method when none are named."""
        return sum(1 for call in self.calls if not names or call in names)
