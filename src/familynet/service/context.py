"""The per-request context of the GraphQL schema: who asks, why, and the access log.

The HTTP layer authenticates the caller, then builds one context per request and
hands it to strawberry (``context_value=`` or ``get_context``)::

    schema = build_schema(production=True)
    context = RequestContext.create(store, principal, correlation_id)
    result = await schema.execute(query, variable_values=variables, context_value=context)

Every read of a person's data goes through :meth:`RequestContext.record` (or the
checked loader that calls it): the caller's right is checked, and an entry naming
the persons, the purpose and whether the read was allowed is appended to the
store's access log *before* any data is returned. A denied read is logged too.
When the log cannot be written the request fails: :attr:`RequestContext.log_failed`
is set and the schema's :class:`~familynet.service.extensions.AccessLogGuard` drops
every piece of data from the response.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx
import strawberry
from strawberry.dataloader import DataLoader

from familynet.access.auth import AuthorizationError, Principal, Right
from familynet.access.log import AccessRequest
from familynet.access.purpose import PurposeRequiredError, PurposeRule
from familynet.errors import FamilynetError, NotFoundError
from familynet.identity.resolution import Thresholds
from familynet.identity.view import identity_network
from familynet.model.records import Person
from familynet.service.group_commit import GroupCommit
from familynet.service.loaders import Loaders
from familynet.service.long_reads import LongReads
from familynet.service.writes import Writes
from familynet.stores.protocol import DEFAULT_HOPS, Store

R = TypeVar("R")

__all__ = ["Access", "AccessLogError", "Info", "PurposeRequiredError", "RequestContext"]


class AccessLogError(FamilynetError):
    """The access log cannot be written, so nothing is returned."""


@dataclass(frozen=True)
class Access:
    """Why data is read: the root operation, the right it needs and the purpose given."""

    operation: str
    right: Right
    purpose: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: The purpose rule when none is given: the defaults of familynet.access.purpose.
DEFAULT_PURPOSES = PurposeRule()
#: The access log's key when none is configured: search digests then match within this process only.
_PROCESS_KEY = secrets.token_bytes(32)


@dataclass
class RequestContext:
    """Everything one GraphQL request runs with. Build it with :meth:`create`."""

    store: Store
    principal: Principal
    correlation_id: str
    loaders: Loaders
    group_commit: GroupCommit | None = None
    purposes: PurposeRule = DEFAULT_PURPOSES
    #: The access log's key (:mod:`familynet.access.logkey`), for the digests of search terms.
    log_key: bytes = field(default=_PROCESS_KEY, repr=False)
    #: The worker's long reads (audits) off the event loop; None: run them in the caller (in process).
    long_reads: LongReads | None = None
    #: The worker's writes (mutations) off the event loop; None: run them in the caller (in process).
    writes: Writes | None = None
    #: The bands identity decisions re-cluster with (``FAMILYNET_IDENTITY_*_THRESHOLD``, as the command line).
    thresholds: Thresholds = field(default_factory=Thresholds)
    clock: Callable[[], dt.datetime] = _now
    log_failed: bool = False
    _logged: set[tuple[Access, str]] = field(default_factory=set)
    _refused: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    _appending: asyncio.Lock = field(default_factory=asyncio.Lock)
    _checked: DataLoader[tuple[Access, str], Person | None] = field(init=False)

    def __post_init__(self) -> None:
        self._checked = DataLoader(self._checked_persons)

    @classmethod
    def create(
        cls,
        store: Store,
        principal: Principal,
        correlation_id: str,
        group_commit: GroupCommit | None = None,
        *,
        purposes: PurposeRule = DEFAULT_PURPOSES,
        log_key: bytes | None = None,
        long_reads: LongReads | None = None,
        writes: Writes | None = None,
        thresholds: Thresholds | None = None,
    ) -> RequestContext:
        """The context of one request by ``principal``, with fresh DataLoaders over ``store``.

        The access log is appended through ``group_commit`` when given (the service's
        workers), else straight to ``store``; ``purposes`` says what purpose a read needs;
        ``log_key`` keys the digests of search terms (default: a key of this process);
        audits run through ``long_reads`` when given (:meth:`long_read`), mutations through
        ``writes`` (:meth:`write`); identity decisions re-cluster with ``thresholds`` (default:
        the command line's defaults).
        """
        loaders = Loaders.create(store)
        return cls(
            store,
            principal,
            correlation_id,
            loaders,
            group_commit,
            purposes,
            log_key or _PROCESS_KEY,
            long_reads,
            writes,
            thresholds or Thresholds(),
        )

    async def long_read(self, read: Callable[[Store], R]) -> R:
        """``read(store)`` off the event loop through :attr:`long_reads` (its own thread, store,
        time limit and cap), or here with this request's store when there are none."""
        if self.long_reads is None:
            return read(self.store)
        return await self.long_reads.run(read)

    async def write(self, write: Callable[[Store], R]) -> R:
        """``write(store)`` off the event loop through :attr:`writes` (its thread and store), or
        here with this request's store when there are none. Every store call of a mutation goes
        through here: each can wait for a write lock."""
        if self.writes is None:
            return write(self.store)
        return await self.writes.run(write)

    async def authorize(self, access: Access, person_ids: Iterable[str] = ()) -> None:
        """Check that the caller may make ``access``; a refusal is logged, then raised.

        Every read of a person, and every read given a purpose (a referral), needs a
        purpose that :attr:`purposes` accepts. A refusal is logged once per operation
        and persons however many aliases repeat it, with at most the purpose an
        accepted read could store (:meth:`PurposeRule.logged`).
        """
        try:
            self.principal.require(access.right)
            if access.right is Right.READ_PERSON or access.purpose is not None:
                self.purposes.check(access.purpose)
        except (AuthorizationError, PurposeRequiredError):
            named = tuple(dict.fromkeys(person_ids))
            if (access.operation, named) not in self._refused:
                self._refused.add((access.operation, named))
                await self._append([self._request(access, named, allowed=False)])
            raise

    async def record(self, access: Access, person_ids: Iterable[str]) -> None:
        """Log an allowed read of ``person_ids`` unless this request has logged it already."""
        await self.record_many([(access, person_ids)])

    async def record_many(self, reads: Sequence[tuple[Access, Iterable[str]]]) -> None:
        """Log several allowed reads in one append.

        A read that names no person (a search without hits, an empty audit page) is
        logged once per request too: that the caller looked is itself worth knowing.
        """
        # One check-and-append at a time: a field that finds a person being logged by another
        # field of this request waits until that entry is committed before it reads the person.
        async with self._appending:
            fresh: list[tuple[Access, tuple[str, ...]]] = []
            for access, person_ids in reads:
                named = tuple(dict.fromkeys(person_ids))
                ids = tuple(i for i in named if (access, i) not in self._logged)
                if ids or (not named and (access, "") not in self._logged):
                    fresh.append((access, ids))
            if fresh:
                await self._append([self._request(access, ids, allowed=True) for access, ids in fresh])
                self._logged.update((access, i) for access, ids in fresh for i in ids or ("",))

    async def family_network(
        self, access: Access, person_id: str, hops: int = DEFAULT_HOPS, *, identities: bool = True
    ) -> tuple[str, nx.MultiDiGraph]:
        """The person (their identity, in the identity view) and their family network, each identity
        one node unless not ``identities``, for an authorized ``access``; asking for a person who
        is not on record is logged (naming the id asked for), as :meth:`person` logs it."""
        try:
            if identities:
                return identity_network(self.store, person_id, hops)
            return person_id, self.store.family_network(person_id, hops)
        except NotFoundError:
            await self.record(access, [person_id])
            raise

    async def person(self, access: Access, person_id: str) -> Person | None:
        """A person reached by a nested field: checked, logged and loaded in batches."""
        return await self._checked.load((access, person_id))

    def known_person(self, access: Access, person_id: str) -> Person | None:
        """The person if this request may read them under ``access``, has logged that read
        (committed) and holds them from a family network; else None, and :meth:`person` decides.

        A household context logs every person it names before it returns, so its nested
        person fields all end here: the checked batch would find the same right, log
        nothing and load nothing.
        """
        if (access, person_id) in self._logged and self.principal.can(access.right):
            return self.loaders.primed_persons.get(person_id)
        return None

    async def _checked_persons(self, keys: Sequence[tuple[Access, str]]) -> list[Person | BaseException | None]:
        """Batch function of the checked person loader: one append, then one store call."""
        results: dict[tuple[Access, str], Person | BaseException | None] = {}
        allowed: dict[Access, list[str]] = {}
        denied: list[AccessRequest] = []
        for access in dict.fromkeys(a for a, _ in keys):
            ids = [i for a, i in keys if a == access]
            if self.principal.can(access.right):
                allowed[access] = ids
                continue
            denied.append(self._request(access, tuple(dict.fromkeys(ids)), allowed=False))
            refusal = AuthorizationError(f"the {self.principal.role.value} role may not read these persons")
            results.update(((access, i), refusal) for i in ids)
        if denied:
            await self._append(denied)
        await self.record_many(list(allowed.items()))
        wanted = sorted({i for ids in allowed.values() for i in ids})
        persons = dict(zip(wanted, await self.loaders.person.load_many(wanted), strict=True))
        results.update(((a, i), persons[i]) for a, ids in allowed.items() for i in ids)
        return [results[key] for key in keys]

    def _request(self, access: Access, person_ids: tuple[str, ...], *, allowed: bool) -> AccessRequest:
        principal = self.principal
        return AccessRequest(
            at=self.clock(),
            user=principal.user,
            role=principal.role.value,
            agency_id=principal.agency_id,
            purpose=access.purpose if allowed else self.purposes.logged(access.purpose),
            operation=access.operation,
            person_ids=person_ids,
            allowed=allowed,
            correlation_id=self.correlation_id,
        )

    async def _append(self, requests: Sequence[AccessRequest]) -> None:
        try:
            if self.group_commit is None:
                self.store.append_access(requests)
            else:
                await self.group_commit.append(requests)
        except Exception as error:
            self.log_failed = True
            raise AccessLogError("the access log cannot be written; nothing was returned") from error


Info = strawberry.Info[RequestContext, None]
