"""Typed forms of strawberry's field decorators with a description.

``strawberry.field(description=...)`` is typed as returning ``Any``, which makes
``mypy --strict`` treat every resolver under it as untyped; these keep the
resolver's own signature for the type checker and build the same field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def field(description: str, graphql_type: object = None) -> Callable[[F], F]:
    """``strawberry.field(description=description)``, typed; ``graphql_type`` as strawberry's, for a
    resolver whose annotation is not its GraphQL type (one that may return an awaitable)."""
    if graphql_type is None:
        return cast(Callable[[F], F], strawberry.field(description=description))
    return cast(Callable[[F], F], strawberry.field(description=description, graphql_type=graphql_type))


def mutation(description: str) -> Callable[[F], F]:
    """``strawberry.mutation(description=description)``, typed."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))
