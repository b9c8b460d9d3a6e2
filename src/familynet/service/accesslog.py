"""The access log as GraphQL, for admins: who read which persons, why, and whether allowed.

Pages follow the log's own sequence numbers, so a page is one indexed store call
however long the log is. Reading the log is itself logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from familynet.access.auth import Right
from familynet.access.log import AccessEntry as StoredEntry
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.pagination import After, Connection, First, connection, cursor_position, page_size

_PREFIX = "sequence"


@strawberry.type(description="One entry of the hash-chained access log.")
class AccessEntry:
    sequence: int
    at: dt.datetime
    user: str
    role: str
    agency_id: str | None
    purpose: str | None
    operation: str
    person_ids: list[str]
    allowed: bool
    correlation_id: str
    previous_hash: str
    entry_hash: str

    @classmethod
    def of(cls, entry: StoredEntry) -> AccessEntry:
        """The type of a stored entry."""
        r = entry.request
        return cls(
            sequence=entry.sequence,
            at=r.at,
            user=r.user,
            role=r.role,
            agency_id=r.agency_id,
            purpose=r.purpose,
            operation=r.operation,
            person_ids=list(r.person_ids),
            allowed=r.allowed,
            correlation_id=r.correlation_id,
            previous_hash=entry.previous_hash,
            entry_hash=entry.entry_hash,
        )


@strawberry.type
class AccessLogQueries:
    """The access log field of the root query type."""

    @field("Entries of the access log in sequence order, optionally one user's or those naming one person.")
    async def access_log(
        self,
        info: Info,
        user: str | None = None,
        person_id: strawberry.ID | None = None,
        first: Annotated[int | None, First] = None,
        after: Annotated[str | None, After] = None,
    ) -> Connection[AccessEntry]:
        access = Access("accessLog", Right.READ_ACCESS_LOG)
        named = [] if person_id is None else [person_id]
        await info.context.authorize(access, named)
        size = page_size(first)
        start = max(cursor_position(after, _PREFIX), 0)
        found = info.context.store.access_entries(after=start, limit=size + 1, user=user, person_id=person_id)
        await info.context.record(access, named)
        entries = found[:size]
        return connection(
            [AccessEntry.of(e) for e in entries],
            [e.sequence for e in entries],
            has_next=len(found) > size,
            has_previous=start > 0,
            prefix=_PREFIX,
        )
