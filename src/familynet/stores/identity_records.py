"""What identity resolution reads about a few records, the same on both stores: the records,
their memberships and households, their relationships, their mentions, and the children of
the contacts those are in (:meth:`Store.identity_records <familynet.stores.protocol.Store.identity_records>`),
read with the named network queries and ``parent_mentions_of``, by ids, through indexes.
"""

from __future__ import annotations

from collections.abc import Collection

from familynet.model.records import Household, Membership, Mention, Record, Relationship
from familynet.stores.extraction import Fetch
from familynet.stores.rows import person_from_row, record_from_row


def identity_records(fetch: Fetch, person_ids: Collection[str]) -> list[Record]:
    """The persons ``person_ids`` (those stored), their memberships and those households, the
    relationships touching them, and their mentions."""
    ids = sorted(person_ids)
    found: list[Record] = [person_from_row(row) for row in fetch("persons_by_id", ids)]
    # Rows carry a row id first and the load id after the record's own fields.
    memberships = [record_from_row(Membership, row[1:7]) for row in fetch("memberships_of_persons", ids)]
    homes = sorted({m.household_id for m in memberships if isinstance(m, Membership)})
    found += memberships
    found += [record_from_row(Household, row) for row in fetch("households_by_id", homes)]
    found += [record_from_row(Relationship, (*row[1:9], row[10])) for row in fetch("relationships_touching", ids)]
    found += [Mention(*row) for row in fetch("parent_mentions_of", ids)]
    return found


def contact_children(fetch: Fetch, referral_ids: Collection[str]) -> dict[str, str]:
    """The child of each contact or referral of ``referral_ids`` (those stored)."""
    return {row[0]: row[1] for row in fetch("referral_children", sorted(referral_ids))}
