"""Records: each agency's own record of a person, used in the facts that agency records.

A true person has one to five records. The first is the one the generator makes (most
by social care); police, health, schools and housing may each hold another, made the
first time they name the person in a fact and used in every fact they record after
(now and then they make yet another); an unborn child has a record before the one made
at birth; a few people have a record somewhere that no fact uses. Every record is
written with its true person to ``identity_truth.csv``.
"""

from __future__ import annotations

import datetime as dt
import random

from familynet.synthetic.base import (
    _OTHER_RECORDERS,
    _PR,
    _PRECISION,
    _SC,
    _TEN_YEARS,
    BlockBase,
    _Counters,
    _Person,
)
from familynet.synthetic.mistakes import Mistakes

#: A son given his father's names (a Junior).
_JUNIOR = 0.03
#: A child given the name of a cousin of the same sex, when there is one.
_COUSIN_NAME = 0.4


class Recorded(BlockBase):
    """A block whose facts name each person by the record of the agency that records the fact."""

    def __init__(self, seed: int, index: int, today: dt.date, counters: _Counters) -> None:
        super().__init__(seed, index, today, counters)
        # Which agencies keep records of whom, and their mistakes, come from a stream of their
        # own, so that changing their rates changes no person, family or referral.
        self.mistakes = Mistakes(random.Random(f"familynet-synthetic-records:{seed}:{index}"), self.t, self.first_day)
        self.noise = self.mistakes.rng
        self.pending: list[_Person] = []

    def of(self, p: _Person, agency: str) -> _Person:
        """The record ``agency`` names the true person ``p`` by in a fact it records now."""
        rates = self.mistakes.rates
        chance = rates.own_record.get(agency)
        if chance is None:
            return p
        held = p.records.get(agency)
        if held is None:
            held = p if agency == p.by or self.noise.random() >= chance else self.record(p, agency)
        elif self.noise.random() < rates.within_agency:
            held = self.record(p, agency)
        p.records[agency] = held
        return held

    def record(self, p: _Person, agency: str) -> _Person:
        """A new record of ``p`` kept by ``agency`` (``p``'s first record once they have the most)."""
        if p.count >= self.mistakes.rates.most:
            return p.records.get(agency, p)
        p.count += 1
        self.ids.person += 1
        rec = _Person(self.ids.person, "", "", None, p.sex, agency)
        rec.truth = p
        self.pending.append(rec)
        return rec

    # -- facts ---------------------------------------------------------------------------

    def member(self, hid: str, p: _Person, role: str, start: int | None, end: int | None = None,
               by: str = _SC) -> None:  # fmt: skip
        pid = self.of(p, by).pid
        self.rows["household_members"].append((hid, pid, role, self.iso(start), self.iso(end), by))

    def parent(self, p: _Person, kid: _Person, subtype: str, pr: str, start: int | None = None,
               end: int | None = None, by: str = _SC) -> None:  # fmt: skip
        self.rows["relationships"].append(
            (p.pid, kid.pid, "parent_of", subtype, pr, self.iso(start), self.iso(end), by, "")
        )

    def relate(self, a: _Person, b: _Person, kind: str, subtype: str, start: int | None,
               end: int | None = None, by: str = _SC) -> None:  # fmt: skip
        a_id, b_id = self.of(a, by).pid, self.of(b, by).pid
        self.rows["relationships"].append((a_id, b_id, kind, subtype, "", self.iso(start), self.iso(end), by, ""))

    def child(self, born: int, mother: _Person, father: _Person | None, mother_pr: str = "true") -> _Person:
        """A child of ``mother`` (and ``father``), named unlike their siblings; maybe after a cousin."""
        r = self.rng.random
        family = father.family if father is not None and r() < 0.6 else mother.family
        siblings = self.offspring.get(mother.number, []) + (self.offspring.get(father.number, []) if father else [])
        avoid = frozenset(k.given for k in siblings)
        sex = "female" if r() < 0.49 else "male"
        kid = self.person(sex, born, family, avoid=avoid)
        if father is not None and sex == "male" and father.given not in avoid and r() < _JUNIOR:
            kid.given, kid.family = father.given, father.family
        elif father is not None and father.brother is not None and r() < _COUSIN_NAME:
            cousins = [c for c in self.offspring.get(father.brother.number, ()) if c.sex == sex]
            if cousins and cousins[0].given not in avoid:
                kid.given, kid.family = cousins[0].given, cousins[0].family
        self.parent(mother, kid, "birth", mother_pr)
        kid.circle.append((mother, "parent"))
        self.offspring.setdefault(mother.number, []).append(kid)
        if father is not None:
            self.parent(father, kid, "birth", self.pick(_PR))
            kid.circle.append((father, "parent"))
            self.offspring.setdefault(father.number, []).append(kid)
        if born > self.t - _TEN_YEARS + 200 and r() < self.mistakes.rates.unborn:
            self.unborn_record(kid, mother, father)
        return kid

    def unborn_record(self, kid: _Person, mother: _Person, father: _Person | None) -> None:
        """Social care's record of ``kid`` before birth: no name, no sex, an expected date."""
        kid.count += 1
        self.ids.person += 1
        rec = _Person(self.ids.person, "", mother.family, None, "unknown", _SC)
        assert kid.born is not None
        rec.truth, rec.expected = kid, kid.born - 14 + int(self.noise.random() * 29)
        kid.unborn = rec
        self.new.append(rec)
        self.parent(mother, rec, "birth", "")
        if father is not None:
            self.parent(father, rec, "birth", "")

    # -- writing -------------------------------------------------------------------------

    def finish(self, hid: str) -> None:
        """Write the records of a finished household, and those agencies made since the last one."""
        created, self.new = self.new, []
        for p in created:
            if p.truth is p and p.born is not None and self.noise.random() < self.mistakes.rates.unused:
                others = tuple(a for a in _OTHER_RECORDERS if a != p.by)
                self.record(p, others[int(self.noise.random() * len(others))])
        created += self.pending
        self.pending = []
        persons = self.rows["persons"]
        for p in created:
            if p.truth is not p and p.expected is None:
                self.mistakes.fill(p)
            born = self.iso(p.born)
            persons.append(
                (
                    p.pid, p.given, p.family, born[: _PRECISION[p.partial]], self.iso(p.expected), p.sex,
                    self.iso(p.died), p.nhs, p.by, "true" if p.confidential else "",
                )
            )  # fmt: skip
            self.rows["identity_truth"].append((p.pid, p.truth.pid))
        self.movers += self.leaving
        self.leaving.clear()
