"""Relay connections over lists the service has computed, with a server-side maximum page size.

A client asks for ``first`` items ``after`` a cursor; it never gets more than
:data:`MAX_PAGE_SIZE` at once (a larger ``first`` is cut to it, and
``pageInfo.hasNextPage`` says there is more). Cursors are opaque strings.

>>> connection = paginate(list("abcde"), first=2, after=None)
>>> [edge.node for edge in connection.edges], connection.page_info.has_next_page
(['a', 'b'], True)
>>> [edge.node for edge in paginate(list("abcde"), first=2, after=connection.page_info.end_cursor).edges]
['c', 'd']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.utils import from_base64, to_base64

from familynet.errors import FamilynetError

#: The most items one page of any connection holds.
MAX_PAGE_SIZE = 100
#: Items on a page when the client does not say.
DEFAULT_PAGE_SIZE = 20

_PREFIX = "offset"

T = TypeVar("T")


class PageError(FamilynetError):
    """A page was asked for with a size under 1 or a cursor this service did not make."""


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a long list (a Relay connection).")
class Connection(Generic[T]):
    page_info: relay.PageInfo
    edges: list[Edge[T]]


def page_size(first: int | None) -> int:
    """The number of items to return for ``first``: the default, or at most MAX_PAGE_SIZE.

    A page of no items is refused: its ``hasNextPage`` would say whether anything
    matched while naming nothing to log.

    >>> page_size(None), page_size(5), page_size(10_000)
    (20, 5, 100)
    >>> page_size(0)
    Traceback (most recent call last):
    ...
    familynet.service.pagination.PageError: first must be 1 or more
    """
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 1:
        raise PageError("first must be 1 or more")
    return min(first, MAX_PAGE_SIZE)


def cursor_position(after: str | None, prefix: str = _PREFIX) -> int:
    """The position encoded in a cursor made with :func:`make_cursor`; -1 for none."""
    if after is None:
        return -1
    try:
        kind, position = from_base64(after)
        value = int(position)
    except (ValueError, TypeError):
        raise PageError("not a cursor of this connection") from None
    if kind != prefix or value < 0:
        raise PageError("not a cursor of this connection")
    return value


def make_cursor(position: int, prefix: str = _PREFIX) -> str:
    """An opaque cursor for ``position``."""
    return to_base64(prefix, position)


def connection(
    nodes: Sequence[T], positions: Sequence[int], *, has_next: bool, has_previous: bool, prefix: str = _PREFIX
) -> Connection[T]:
    """A connection of ``nodes`` at ``positions``."""
    edges = [Edge(cursor=make_cursor(p, prefix), node=n) for n, p in zip(nodes, positions, strict=True)]
    info = relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(page_info=info, edges=edges)


def paginate(items: Sequence[T], first: int | None, after: str | None) -> Connection[T]:
    """One page of ``items``: up to :func:`page_size` items after the cursor ``after``."""
    start = cursor_position(after) + 1
    size = page_size(first)
    chunk = items[start : start + size]
    return connection(
        chunk, range(start, start + len(chunk)), has_next=start + size < len(items), has_previous=start > 0
    )


First = strawberry.argument(description=f"Items to return; at most {MAX_PAGE_SIZE} [default {DEFAULT_PAGE_SIZE}].")
After = strawberry.argument(description="Return the items after this cursor (a page's endCursor).")
