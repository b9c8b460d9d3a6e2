"""What every audit does with a streamed cohort: visit each subject once, in its batch.

A subject's rules read only its own family network, so an audit gives the same
answer whether the store extracts the cohort one subject at a time or all at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Protocol

import networkx as nx

from familynet.collector import collector_paused
from familynet.errors import FamilynetError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.model.network import person_node


class CohortSource(Protocol):
    """What the audits need of a store: its cohort batches (every
    :class:`familynet.stores.Store` is one), so that the rules never import the stores."""

    def cohort(
        self, start: dt.date, end: dt.date, *, batch_size: int = ..., mentions: Mentions = ...
    ) -> Iterator[CohortBatch]:
        """The cohort of ``[start, end]`` in batches of ``batch_size`` subjects."""
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
    """``part`` as a percentage of ``whole`` to one decimal place; None when ``whole`` is 0.

    >>> percent(1, 3), percent(0, 0)
    (33.3, None)
    """
    return round(100 * part / whole, 1) if whole else None
