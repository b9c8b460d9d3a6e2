"""Cohort batches, both stores alike: the subjects of a period's contacts and referrals, batch by
batch, each with their family networks (see :meth:`Store.cohort <familynet.stores.protocol.Store.cohort>`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import networkx as nx

from familynet.errors import StoreError
from familynet.model.cohort import CohortBatch, Mentions
from familynet.stores.extraction import MentionsKept
from familynet.stores.identity_view import IdentityCohort, IdentityReader
from familynet.stores.rows import Row


def cohort_mentions(mentions: Mentions, start: dt.date, end: dt.date) -> MentionsKept:
    """What an extraction of cohort batches of ``[start, end]`` keeps of the mentions that
    :meth:`Store.cohort <familynet.stores.protocol.Store.cohort>` is asked for (its seeds are the subjects).

    >>> cohort_mentions("cohort", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> cohort_mentions(False, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    False
    """
    if mentions == "cohort":
        return (start, end)
    if isinstance(mentions, bool):
        return mentions
    raise StoreError("a cohort's mentions are True, False or 'cohort'")


def cohort_batches(
    subjects_after: Callable[[str], list[Row]],
    extract_seeds: Callable[[set[str]], nx.MultiDiGraph],
    batch_size: int,
    identities: IdentityReader | None = None,
    part: tuple[int, int] = (0, 1),
) -> Iterator[CohortBatch]:
    """Cohort batches, both stores alike: ``subjects_after(id)`` gives the rows of the next
    ``batch_size`` subject ids after ``id``, and each batch holds their extracted networks; with
    ``identities`` (the store; ``extract_seeds`` then extracts the identity view's networks), in
    the identity view (:class:`~familynet.stores.identity_view.IdentityCohort`).
    With ``part=(k, n)``, only the batches whose position (from 0) is ``k`` modulo ``n``: the
    share of one of ``n`` processes (the others' subjects are listed, never extracted; in the
    identity view every process still chooses every batch's identities, so that each identity
    is a subject once, in the same batch, whatever the number of processes)."""
    if batch_size < 1:
        raise StoreError("a cohort batch holds at least one subject")
    mine, parts = part
    if not 0 <= mine < parts:
        raise StoreError("a cohort part is k of n parts, 0 <= k < n")
    view = None if identities is None else IdentityCohort(identities)
    after = ""
    position = 0
    while subjects := tuple(row[0] for row in subjects_after(after)):
        chosen = None if view is None else view.choose(subjects)
        if position % parts == mine:
            if view is None:
                yield CohortBatch(subjects, extract_seeds(set(subjects)))
            elif chosen is not None:
                yield view.batch(chosen, extract_seeds)
        after = subjects[-1]
        position += 1
