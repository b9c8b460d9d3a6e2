"""Answers remembered while every audit reads the same batch: each rule still computed once, by one implementation.

``familynet audit all`` puts each subject of a batch through six audits, and each asks
the same questions of the same family graph: a child's contacts and referrals, its
siblings on a day, its recorded households. Inside :func:`remembering` (over one graph
that nobody changes meanwhile), a function marked :func:`remembered` answers a question
it was asked before from its first answer, keyed by all its arguments; outside it, or
for another graph, it computes as usual. The answers are immutable (tuples, frozensets
and frozen dataclasses), so sharing them changes nothing.

>>> import networkx as nx
>>> calls = []
>>> @remembered
... def degree(graph: nx.MultiDiGraph, node: str) -> int:
...     calls.append(node)
...     return int(graph.degree(node))
>>> g = nx.MultiDiGraph([("a", "b")])
>>> with remembering(g):
...     degree(g, "a"), degree(g, "a")
(1, 1)
>>> degree(g, "a"), calls
(1, ['a', 'a'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import networkx as nx

P = ParamSpec("P")
R = TypeVar("R")

# The graph being remembered for, and the answers so far (one per thread or task).
_current: ContextVar[tuple[nx.MultiDiGraph, dict[tuple[Any, ...], Any]] | None] = ContextVar("remembered", default=None)


@contextmanager
def remembering(graph: nx.MultiDiGraph) -> Iterator[None]:
    """Remember the answers of :func:`remembered` functions about ``graph`` until the block ends
    (the graph must not change meanwhile); forget them then."""
    token = _current.set((graph, {}))
    try:
        yield
    finally:
        _current.reset(token)


def remembers(graph: nx.MultiDiGraph) -> bool:
    """Whether the answers about ``graph`` are being remembered, so that it does not change
    until the block ends: a rule may then scan it whole once for all its questions.

    >>> g = nx.MultiDiGraph()
    >>> with remembering(g):
    ...     remembers(g), remembers(nx.MultiDiGraph())
    (True, False)
    >>> remembers(g)
    False
    """
    current = _current.get()
    return current is not None and current[0] is graph


def remembered(function: Callable[P, R]) -> Callable[P, R]:
    """Mark a function of ``(graph, *arguments)`` whose answer depends on nothing else, so that
    inside :func:`remembering` its graph it is computed once for each set of arguments."""

    @wraps(function)
    def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        current = _current.get()
        if current is None or not args or args[0] is not current[0]:
            return function(*args, **kwargs)
        # Most calls pass no keywords; the key's tuple is hashed once on a hit, twice on a miss.
        key = (function, args[1:], tuple(sorted(kwargs.items())) if kwargs else ())
        answers = current[1]
        try:
            return answers[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        except TypeError:  # an argument that cannot be a key (a set of kinds): computed each time
            return function(*args, **kwargs)
        found: R = function(*args, **kwargs)
        answers[key] = found
        return found

    return answer
