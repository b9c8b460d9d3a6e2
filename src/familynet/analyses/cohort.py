"""What every audit does with a streamed cohort: visit each subject once, in its batch.

A subject's rules read only its own family network, so an audit gives the same
answer whether the store extracts the cohort one subject at a time or all at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

import networkx as nx

from familynet.collector import collector_paused
from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.model.network import person_node

T = TypeVar("T", int, float, dt.timedelta)


class CohortSource(Protocol):
    """What the audits need of a store: its cohort batches (every
    :class:`familynet.stores.Store` is one), so that the rules never import the stores."""

    def cohort(
        self,
        start: dt.date,
        end: dt.date,
        *,
        batch_size: int = ...,
        mentions: Mentions = ...,
        identities: bool = ...,
        part: tuple[int, int] = ...,
    ) -> Iterator[CohortBatch]:
        """The cohort of ``[start, end]`` in batches of ``batch_size`` subjects (each identity one
        subject and one node, unless not ``identities``); with ``part=(k, n)``, only the batches
        whose position is ``k`` modulo ``n``."""
        ...


class PeriodError(FamilynetError, ValueError):
    """An audit period ends before it starts."""


def check_period(start: dt.date, end: dt.date) -> None:
    """Raise PeriodError unless ``start`` is on or before ``end``."""
    if start > end:
        raise PeriodError("the period ends before it starts")


def subjects(batches: Iterable[CohortBatch]) -> Iterator[tuple[nx.MultiDiGraph, str]]:
    """Each (graph, subject id) of the batches, skipping subjects the graph does not hold;
    the collector stays paused until the last is done (see :mod:`familynet.collector`)."""
    with collector_paused():
        for batch in batches:
            for child_id in batch.child_ids:
                if person_node(child_id) in batch.graph:
                    yield batch.graph, child_id


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, rounded half up to one decimal place (exactly, in
    integers: no binary fraction tips a half down); None when ``whole`` is 0.

    >>> percent(1, 3), percent(1, 8), percent(1, 16), percent(0, 0)
    (33.3, 12.5, 6.3, None)
    """
    if not whole:
        return None
    tenths = (2000 * part + whole) // (2 * whole)
    return tenths / 10


def share(part: int, whole: int) -> dict[str, Any]:
    """A share as every audit reports it: ``n``, ``of`` and ``percent`` (see :func:`percent`).

    >>> share(2, 3)
    {'n': 2, 'of': 3, 'percent': 66.7}
    """
    return {"n": part, "of": whole, "percent": percent(part, whole)}


def nearest_rank(values: Sequence[T], percentile: int) -> T | None:
    """The nearest-rank ``percentile`` of ``values`` (the median at 50): the smallest value with
    at least ``percentile`` per cent of them at or below it (rank ⌈p·n/100⌉, in integers); None
    when there are none.

    >>> nearest_rank([4, 1, 3, 2], 50), nearest_rank([1, 2, 3, 4, 5], 90), nearest_rank([], 50)
    (2, 5, None)
    """
    if not values:
        return None
    rank = max(1, -(-percentile * len(values) // 100))
    return sorted(values)[rank - 1]
