"""Synthetic contacts, referrals and assessments, at the rates of England's Children in Need statistics."""

from __future__ import annotations

import bisect
import itertools

from familynet.synthetic.base import (
    _POLICE,
    _PRE_BIRTH_DAYS,
    _TEN_YEARS,
    BlockBase,
    _Adult,
    _Arrival,
    _Person,
)
from familynet.synthetic.frontdoor import written

#: Nine calendar weeks hold exactly 45 working days, whatever the starting weekday.
_ASSESSMENT_MAX_DAYS = 63

#: Primary concern: (weight, codes to draw from). Category 3 is domestic abuse.
_CONCERNS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.30, ("3B", "3B", "3B", "3A", "3A", "3C")),
    (0.13, ("16A",)),
    (0.10, ("4B", "4B", "4B", "4A")),
    (0.08, ("17A",)),
    (0.06, ("2B", "2B", "2A", "2C")),
    (0.04, ("1B", "1B", "1C")),
    (0.06, ("18B", "18B", "18C")),
    (0.03, ("19B", "19C")),
    (0.02, ("11A",)),
    (0.02, ("10A",)),
    (0.02, ("15A",)),
    (0.02, ("24A", "13A")),
    (0.02, ("14A",)),
    (0.02, ("5A", "5B", "6A", "6B")),
    (0.01, ("7A",)),
    (0.01, ("8E", "8F", "9A", "12A", "22A", "23A")),
    (0.06, ("20",)),
)
_CONCERN_CUMULATIVE = tuple(itertools.accumulate(w for w, _ in _CONCERNS))
#: Further concerns recorded alongside the primary one; never domestic abuse, so its share holds.
_SECONDARY = ("16A", "4B", "2B", "1B", "17A", "14A", "20", "6B", "5B")
_ABUSE = frozenset({"3A", "3B", "3C", "18B", "19B"})
#: Chance that a referral follows on within a year; then two in three follow within 3 months.
_FOLLOW_ON = 0.2
_SOON = 0.78
#: Chance that a follow-on referral is about the same concern again.
_SAME_CONCERN = 0.9

_REFERRERS = ("A02",) * 28 + ("A05",) * 20 + ("A03",) * 10 + ("A04",) * 6 + ("A06",) * 5 + (
    "A07", "A07", "A07", "A08", "A08", "A09", "A09", "A10", "A10", "A10", "A10", "A01", "A01",
) + ("",) * 14  # fmt: skip
_DA_REFERRERS = ("A02",) * 13 + ("A03", "A04", "A05", "A05", "A10", "A10", "")
_REFERRAL_OUTCOMES = ("assessment",) * 10 + ("section_47",) * 2 + (
    "strategy_discussion", "early_help", "early_help", "early_help", "nfa", "nfa", "universal", "other",
)  # fmt: skip
_CONTACT_OUTCOMES = ("nfa",) * 8 + ("universal",) * 5 + ("early_help",) * 5 + ("other",)
#: Parental consent gained and recorded in 65% (Cambridgeshire's threshold audit).
_CONSENT = ("given",) * 13 + ("not_given",) * 2 + ("overridden",) * 2 + ("not_recorded",) * 3
_RAG = ("red",) * 3 + ("amber",) * 9 + ("green",) * 8
_ASSESSMENT_OUTCOMES = ("nfa", "nfa", "cin_plan", "cin_plan", "child_protection_plan", "early_help",
                        "looked_after", "step_down")  # fmt: skip
_ASSESSED = {
    "assessment": "child_and_family",
    "section_47": "section_47",
    "strategy_discussion": "section_47",
    "early_help": "early_help",
}


class Referrals(BlockBase):
    """Referral events of a block: contacts, referral chains, mentions and assessments."""

    def referrals(self, kids: list[_Person], adults: list[_Adult], perpetrator: _Arrival | None) -> None:
        t, r = self.t, self.rng.random
        if not kids:
            return
        for kid in kids:
            if kid.expected is not None and r() < 0.8:
                pre_birth = t - int(r() * (t - kid.expected + _PRE_BIRTH_DAYS))
                self.event([kid], adults, perpetrator, pre_birth, "referral", self.concern())
        low = t - _TEN_YEARS
        # Most contacts do not become referrals; a police-known man in the home brings more.
        known = perpetrator is not None and perpetrator[0].by == _POLICE
        if r() < (0.9 if known else 0.72):
            contacts = 0
            while r() < (0.93 if known else 0.89) and contacts < 60:
                contacts += 1
                self.event(kids, adults, perpetrator, low + int(r() * (t - low)), "contact", self.concern())
        if r() < (0.2 if known else 0.5):
            return
        chains = 1
        while r() < 0.25 and chains < 8:
            chains += 1
        for _ in range(chains):
            day = low + int(r() * (t - low))
            code = self.concern()
            chosen = None
            while True:
                # A follow-on referral is about the same child or children as the one before.
                chosen = self.event(kids, adults, perpetrator, day, "referral", code, chosen)
                if not chosen or r() >= _FOLLOW_ON:
                    break
                day += 3 + int(r() * 88) if r() < _SOON else 91 + int(r() * 273)
                if day > t:
                    break
                code = code if r() < _SAME_CONCERN else self.concern()

    def concern(self) -> str:
        index = bisect.bisect(_CONCERN_CUMULATIVE, self.rng.random() * _CONCERN_CUMULATIVE[-1])
        return self.pick(_CONCERNS[min(index, len(_CONCERNS) - 1)][1])

    def event(self, kids: list[_Person], adults: list[_Adult], perpetrator: _Arrival | None, day: int,
              kind: str, code: str, chosen: list[_Person] | None = None) -> list[_Person]:  # fmt: skip
        """One contact or referral, about one child or several siblings together (or ``chosen``).

        Returns the children it is about.
        """
        r = self.rng.random
        eligible = [
            k
            for k in kids
            if (k.born is not None and k.born <= day < k.adult_on)
            or (k.expected is not None and k.expected - _PRE_BIRTH_DAYS <= day)
        ]
        if chosen is not None:
            subjects = [k for k in chosen if k in eligible]
        elif len(eligible) > 1 and r() < 0.55:
            subjects = eligible
        else:
            subjects = eligible[int(r() * len(eligible)) :][:1]
        if not subjects:
            return subjects
        extra = self.pick(_SECONDARY) if r() < 0.35 else code
        concerns = code if extra == code else f"{code};{extra}"
        referrer = self.pick(_DA_REFERRERS if code[0] == "3" else _REFERRERS)
        outcome = self.pick(_REFERRAL_OUTCOMES if kind == "referral" else _CONTACT_OUTCOMES)
        consent, rag = self.pick(_CONSENT), self.pick(_RAG)
        group = f"G{self.ids.referral + 1:07d}" if len(subjects) > 1 else ""
        abuser = perpetrator[0] if perpetrator and perpetrator[1] <= day and code in _ABUSE and r() < 0.85 else None
        received = self.iso(day)
        referrals, mentions = self.rows["referrals"], self.rows["referral_mentions"]
        front = self.front_door
        considered = [k.pid for k in eligible[:3] if k not in subjects] if len(subjects) == 1 else []
        for i, kid in enumerate(subjects):
            self.ids.referral += 1
            rid = f"R{self.ids.referral:07d}"
            at, received_at = front.received(day, referrer)
            decided = front.decided(at, rag)
            referrals.append((
                rid, kind, kid.pid, received, referrer, concerns, outcome, consent, rag, group, received_at,
                "" if decided is None else written(decided), front.feedback(day, referrer) or "",
                front.threshold(outcome),
            ))  # fmt: skip
            self.rows["checks"] += front.checks(rid, referrer, outcome, at, decided)
            self.rows["considerations"] += front.considerations(rid, day, outcome, considered)
            seen = {kid.number}
            for p, role in kid.circle:
                if p.number not in seen:
                    seen.add(p.number)
                    mentions.append((rid, p.pid, "alleged_perpetrator" if p is abuser else role))
            for p, role, since in adults:
                if p.number not in seen and since <= day:
                    seen.add(p.number)
                    mentions.append((rid, p.pid, "alleged_perpetrator" if p is abuser else role))
            if abuser is not None and abuser.number not in seen:
                mentions.append((rid, abuser.pid, "alleged_perpetrator"))
            for sibling in eligible[:3]:
                if sibling.number not in seen:
                    seen.add(sibling.number)
                    mentions.append((rid, sibling.pid, "sibling"))
            # Siblings referred together are sometimes not all assessed: the gap audits look for.
            if kind == "referral" and outcome in _ASSESSED and not (i and r() < 0.2):
                self.assess(kid, rid, day, outcome, concerns)
        return subjects

    def assess(self, kid: _Person, rid: str, day: int, outcome: str, concerns: str) -> None:
        r = self.rng.random
        kind = _ASSESSED[outcome]
        if kind == "section_47" and outcome == "strategy_discussion" and r() < 0.4:
            kind = "child_and_family"
        started = day + int(r() * 21)
        if started > self.t:
            return
        completed = started + 5 + int(r() * (_ASSESSMENT_MAX_DAYS - 4))
        done = completed <= self.t
        self.ids.assessment += 1
        xid = f"X{self.ids.assessment:07d}"
        decision = self.pick(_ASSESSMENT_OUTCOMES) if done else ""
        self.rows["assessments"].append(
            (
                xid,
                kid.pid,
                rid,
                kind,
                self.iso(started),
                self.iso(completed) if done else "",
                concerns if r() < 0.93 else "21",
                decision,
            )
        )
        plan = self.front_door.plan(xid, kid.pid, decision, completed) if done else None
        if plan is not None:
            self.rows["plans"].append(plan)
