"""Synthetic front-door facts: when contacts and referrals were received and decided, the MASH's
checks with other agencies, feedback to referrers, thresholds stated, plans and considerations.

Rates are calibrated on the published MASH audits in ``shared/seeds`` (docs/bundle.md cites
each): 98% of contacts screened within 24 hours and MASH checks in 11% of cases (Southampton),
evidence of multi-agency information gathering in 74% (Cambridgeshire), health information
sought and not provided (Wolverhampton), referrers told the outcome in 77% and 31% of referrals
giving no threshold or the wrong one (Cambridgeshire). Times are local times in Europe/London,
police contacts at any hour, so that some fall in the hours the clocks skip and repeat (the
first written an hour on, as a clock that has gone forward reads it; the second with its
offset, since without one it would be refused) and decisions overnight last 23 or 25 hours.

Every draw comes from the block's own front-door stream, so these facts change nothing else
that a seed generates.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from familynet.model.instants import LONDON, instant

#: Agencies the MASH asks for information, by id (see familynet.synthetic.base.AGENCIES).
_ASKED = ("A02", "A03", "A04", "A05", "A07", "A08", "A09")
#: Health agencies: asked often, and (Wolverhampton) often no answer.
_HEALTH = frozenset({"A03", "A04"})
_HOME, _EARLY_HELP = "A01", "A06"
_HOUR = dt.timedelta(hours=1)
#: The threshold an outcome implies (docs/rules.md, audit 6), for the threshold a referrer states.
_DECIDED = {
    "nfa": "universal",
    "universal": "universal",
    "early_help": "early_help",
    "assessment": "child_in_need",
    "strategy_discussion": "child_protection",
    "section_47": "child_protection",
}
_LEVELS = ("universal", "early_help", "child_in_need", "child_protection")
#: Chance that the MASH asks other agencies, by outcome: most where it goes on to assess.
_CHECKED = {"assessment": 0.6, "section_47": 0.75, "strategy_discussion": 0.75, "early_help": 0.25}
_RESPONSES = ("information_shared",) * 11 + ("nothing_known",) * 8 + ("declined",)
#: Plans that an assessment's outcome starts: (kind, recording agency).
_PLANS = {
    "cin_plan": ("child_in_need", _HOME),
    "child_protection_plan": ("child_protection", _HOME),
    "looked_after": ("looked_after", _HOME),
    "early_help": ("early_help", _EARLY_HELP),
}


@cache
def _clock_change_days(year: int) -> frozenset[int]:
    """The ordinals of the last Sundays of March and October: the days the clocks change."""
    days = set()
    for month in (3, 10):
        last = dt.date(year, month, 31)
        days.add(last.toordinal() - (last.weekday() + 1) % 7)
    return frozenset(days)


def _minutes(when: dt.datetime) -> str:
    return when.isoformat(timespec="minutes")


def written(at: dt.datetime) -> str:
    """An instant as local time in London with its offset: unambiguous in any hour."""
    local = instant(at)
    assert local is not None
    return _minutes(local)


class FrontDoor:
    """The front-door facts of one block, drawn from its own random stream."""

    def __init__(self, rng: random.Random, today: int) -> None:
        self.rng = rng
        self.t = today
        self.end = dt.datetime.combine(dt.date.fromordinal(today + 1), dt.time(), LONDON).astimezone(dt.UTC)

    def received(self, day: int, referrer: str) -> tuple[dt.datetime, str]:
        """When a contact came in on ``day`` (an ordinal), in UTC, and how the source wrote it.

        In UTC because the times that follow from it are durations after it: Python adds a
        duration to a London time as wall-clock time, so a decision 12 minutes after a
        receipt in the repeated autumn hour came out before it (an invalid row)."""
        at, text = self._received(day, referrer)
        return at.astimezone(dt.UTC), text

    def _received(self, day: int, referrer: str) -> tuple[dt.datetime, str]:
        r = self.rng.random
        if referrer == "A02":
            # The police refer at any hour; on the nights the clocks change, often in that hour.
            at_night = day in _clock_change_days(dt.date.fromordinal(day).year) and r() < 0.5
            minute = 60 + int(r() * 60) if at_night else int(r() * 1440)
        else:
            minute = 480 + int(r() * 600)
        naive = dt.datetime.combine(dt.date.fromordinal(day), dt.time(minute // 60, minute % 60))
        first, second = naive.replace(tzinfo=LONDON, fold=0), naive.replace(tzinfo=LONDON, fold=1)
        offsets = first.utcoffset(), second.utcoffset()
        assert offsets[0] is not None and offsets[1] is not None
        if offsets[0] < offsets[1]:
            # Skipped in spring: the source's clock, gone forward, reads an hour later.
            naive += _HOUR
            return naive.replace(tzinfo=LONDON), _minutes(naive)
        if offsets[0] > offsets[1]:
            # Repeated in autumn: only an offset says which of the two it was.
            at = second if r() < 0.5 else first
            return at, written(at)
        if r() < 0.1:
            return first, _minutes(first.astimezone(dt.UTC)).replace("+00:00", "Z")
        return first, _minutes(naive)

    def decided(self, received: dt.datetime, rag: str) -> dt.datetime | None:
        """When the MASH decided: 98% within 24 hours; None when still undecided at the end of
        the last day (or, rarely, not recorded)."""
        r = self.rng.random
        late = r()
        if rag == "red":
            hours = 0.2 + r() * 3.8 if late < 0.9 else 4 + r() * 20
        elif rag == "amber":
            hours = 0.5 + r() * 23 if late < 0.975 else 24 + r() * 48
        else:
            hours = 1 + r() * 23 if late < 0.96 else 24 + r() * 60
        at = received + dt.timedelta(hours=hours)
        if at >= self.end or r() < 0.005:
            return None
        return at

    def feedback(self, day: int, referrer: str) -> str | None:
        """The day (an ordinal) the referrer was told the outcome, or None: 77% within five days."""
        r = self.rng.random
        if not referrer:
            return None
        told = r()
        if told < 0.77:
            sent = day + int(r() * 6)
        elif told < 0.85:
            sent = day + 6 + int(r() * 15)
        else:
            return None
        return None if sent > self.t else dt.date.fromordinal(sent).isoformat()

    def threshold(self, outcome: str) -> str:
        """The level the referrer gave: 31% none, empty or not the one the MASH decided."""
        r = self.rng.random
        stated = r()
        decided = _DECIDED.get(outcome) or _LEVELS[int(r() * 4)]
        if stated < 0.12:
            return ""
        if stated < 0.19:
            return "none"
        if stated < 0.31:
            return self.rng.choice([level for level in _LEVELS if level != decided])
        return decided

    def checks(
        self, rid: str, referrer: str, outcome: str, received: dt.datetime, decided: dt.datetime | None
    ) -> list[tuple[str, ...]]:
        """The MASH's requests for information about one contact or referral."""
        r = self.rng.random
        if r() >= _CHECKED.get(outcome, 0.08):
            return []
        count = 1 + (r() < 0.5) + (r() < 0.2)
        asked = [a for a in _ASKED if a != referrer]
        self.rng.shuffle(asked)
        rows: list[tuple[str, ...]] = []
        for n, agency in enumerate(asked[:count], 1):
            if decided is not None and r() < 0.08:
                # Asked only after the decision: listed, but not information gathered for it.
                requested = decided + dt.timedelta(hours=r() * 48)
            else:
                until = (decided if decided is not None else received + _HOUR) - received
                requested = received + until * r() * 0.5
            if requested >= self.end:
                continue
            responded = None
            if r() < (0.5 if agency in _HEALTH else 0.85):
                answer = requested + dt.timedelta(hours=0.25 + r() * 30)
                responded = answer if answer < self.end else None
            response = self.rng.choice(_RESPONSES) if responded is not None else ""
            rows.append(
                (
                    f"K{rid[1:]}-{n}",
                    rid,
                    agency,
                    written(requested),
                    "" if responded is None else written(responded),
                    response,
                    _HOME,
                )
            )
        return rows

    def considerations(self, rid: str, day: int, outcome: str, siblings: list[str]) -> list[tuple[str, ...]]:
        """The siblings the MASH considered when it dealt with a referral about one child."""
        r = self.rng.random
        rows: list[tuple[str, ...]] = []
        for pid in siblings:
            if r() < 0.45:
                on = min(day + (r() < 0.2), self.t)
                rows.append((rid, pid, dt.date.fromordinal(on).isoformat(), "nfa" if r() < 0.7 else outcome, _HOME))
        return rows

    def plan(self, xid: str, pid: str, outcome: str, completed: int) -> tuple[str, ...] | None:
        """The plan an assessment's outcome starts, if any and begun by today."""
        r = self.rng.random
        if outcome not in _PLANS:
            return None
        kind, by = _PLANS[outcome]
        start = completed + int(r() * 15)
        if start > self.t:
            return None
        end = start + 180 + int(r() * 360)
        return (
            f"PL{xid[1:]}",
            pid,
            kind,
            dt.date.fromordinal(start).isoformat(),
            dt.date.fromordinal(end).isoformat() if end <= self.t else "",
            by,
        )
