"""The access log's hash chain: any change, removal or reordering is found."""

from __future__ import annotations

import dataclasses
import datetime as dt

from familynet.access.log import GENESIS, AccessEntry, AccessRequest, chain, verify_chain


def _log(n: int) -> list[AccessEntry]:
    entries: list[AccessEntry] = []
    previous = GENESIS
    for i in range(1, n + 1):
        request = AccessRequest(
            at=dt.datetime(2025, 1, 1, 9, i, tzinfo=dt.UTC),
            user=f"user{i % 2}",
            role="practitioner",
            agency_id="A1",
            purpose="MASH screening",
            operation="householdContext",
            person_ids=(f"P{i}",),
            allowed=True,
            correlation_id=f"c{i}",
        )
        entries.append(chain(i, request, previous))
        previous = entries[-1].entry_hash
    return entries


def test_an_intact_log_verifies() -> None:
    check = verify_chain(_log(5))
    assert check.ok
    assert check.entries == 5


def test_an_empty_log_verifies() -> None:
    assert verify_chain([]).ok


def test_a_changed_field_breaks_the_chain_at_that_entry() -> None:
    entries = _log(5)
    forged = dataclasses.replace(entries[2].request, person_ids=("P99",))
    entries[2] = dataclasses.replace(entries[2], request=forged)
    assert verify_chain(entries).first_broken == 3


def test_a_removed_entry_is_found() -> None:
    entries = _log(5)
    del entries[1]
    assert verify_chain(entries).first_broken == 2


def test_reordered_entries_are_found() -> None:
    entries = _log(4)
    entries[1], entries[2] = entries[2], entries[1]
    assert verify_chain(entries).first_broken == 2


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    entries = _log(3)
    forged = dataclasses.replace(entries[1].request, allowed=False)
    entries[1] = chain(2, forged, entries[0].entry_hash)
    assert verify_chain(entries).first_broken == 3
