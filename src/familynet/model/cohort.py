"""What a store streams to the audits: cohort subjects in batches, with their family networks.

The audits read these and nothing else of a store, so they stay free of storage
(:meth:`familynet.stores.Store.cohort` makes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

#: Which ``MENTIONS`` edges a cohort's graphs hold (see :class:`CohortBatch`): all of them
#: (True), none (False), or only those of the cohort's own contacts and referrals
#: (``"cohort"``: received in the period, about a subject of the batch).
Mentions = bool | Literal["cohort"]


@dataclass(frozen=True)
class CohortBatch:
    """A batch of cohort subjects and the union of their family networks.

    ``child_ids`` are the subjects of contacts or referrals (any kind) received in
    the cohort period; each subject is in exactly one batch. ``graph`` holds the
    family network of every subject, with all their referrals and assessments
    (of any date), so a rule evaluated for one subject gives the same answer
    whatever else shares its batch. A cohort asked for without mentions holds the
    same graphs less their ``MENTIONS`` edges (the persons mentioned are still in
    them): over half the edges of a batch, which an audit whose rules read no
    mention need not extract. Asked for with ``mentions="cohort"``, the graphs keep
    only the ``MENTIONS`` edges of the cohort's own contacts and referrals (received
    in the period, about a subject of the batch): what an audit that reads the
    mentions of its cohort alone needs (over one year of the synthetic bundle, a sixth of them).
    """

    child_ids: tuple[str, ...]
    graph: nx.MultiDiGraph
