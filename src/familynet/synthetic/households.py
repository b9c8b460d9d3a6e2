"""Synthetic households: singles, couples, blended families, kinship, foster and adoptive homes."""

from __future__ import annotations

import datetime as dt
import itertools

from familynet.model.dates import anniversary
from familynet.synthetic import names
from familynet.synthetic.base import (
    _HEALTH,
    _HOUSING,
    _POLICE,
    _POSTCODE_LETTERS,
    _SC,
    _SCHOOLS,
    _STEP_PR,
    _YEAR,
    _Adult,
    _Person,
)
from familynet.synthetic.referrals import Referrals

#: The share of mothers of families marked confidential: about 1 in 250 (refuges in England
#: house some 20,000 women and children a year, and more live in dispersed accommodation).
_REFUGE = 0.004
#: The chance that a new father is the brother of a recent one, tried for each of the last eight.
_BROTHERS = 0.006
#: Twins: about 1.4% of maternities in England and Wales are multiple births (ONS, Births in
#: England and Wales).
_TWINS = 0.014


class Block(Referrals):
    """One block of households and every row about them."""

    def household(self, number: int) -> None:
        r = self.rng.random
        hid = f"H{number:06d}"
        street = f"{self.pick(names.STREET_WORDS)} {self.pick(names.STREET_KINDS)}"
        address = f"{1 + int(r() * 180)} {street}, {self.pick(names.TOWNS)}"
        postcode = f"FN{1 + int(r() * 9)} {int(r() * 10)}{self.pick(_POSTCODE_LETTERS)}{self.pick(_POSTCODE_LETTERS)}"
        uprn = str(10_000_000_000 + number) if r() < 0.95 else ""
        self.rows["households"].append((hid, address, postcode, uprn))
        kind = r()
        if kind < 0.18:
            self.single(hid)
        elif kind < 0.30:
            self.couple(hid)
        elif kind < 0.33:
            self.kinship(hid)
        elif kind < 0.35:
            self.foster(hid)
        elif kind < 0.36:
            self.adoptive(hid)
        else:
            self.family(hid)
        self.finish(hid)

    def single(self, hid: str) -> None:
        t = self.t
        moved_in = t - int(self.rng.random() * 700)
        mover = self.take(self.movers, moved_in)
        if mover is not None:
            self.member(hid, mover, "other", moved_in)
            return
        p = self.adult(self.pick(("female", "male")), t - self.years(18, 90))
        self.member(hid, p, "other", t - self.years(0, 12))
        if self.rng.random() < 0.2:
            self.member(hid, p, "other", None, by=_HOUSING)

    def couple(self, hid: str) -> None:
        t, r = self.t, self.rng.random
        age = 20 + r() * 65
        a = self.adult("female", t - int(age * _YEAR))
        b = self.adult("male" if r() < 0.92 else "female", t - int((age + r() * 8 - 2) * _YEAR))
        start = t - self.years(0, min(age - 18, 40))
        subtype = "married" if age > 40 and r() < 0.7 else self.pick(("cohabiting", "married", "civil_partner"))
        self.relate(a, b, "partner_of", subtype, start)
        self.member(hid, a, "other", start)
        self.member(hid, b, "other", start)
        if age > 48:
            self.older_couples.append((a, b))

    def grandparents(self, mum: _Person) -> _Person | None:
        """Give ``mum`` parents; return a grandmother who could live with her."""
        r = self.rng.random
        assert mum.born is not None
        for i, (gm, gf) in enumerate(self.older_couples[:3]):
            assert gm.born is not None
            if gm.born + 18 * 366 < mum.born < gm.born + 42 * 365:
                del self.older_couples[i]
                self.parent(gm, mum, "birth", "")
                self.parent(gf, mum, "birth", "")
                return None
        gm = self.person("female", mum.born - self.years(18, 38), mum.family)
        self.parent(gm, mum, "birth", "")
        gm.partial = 0 if r() < 0.8 else 2
        if r() < 0.5:
            gf = self.person("male", mum.born - self.years(20, 42), mum.family)
            self.parent(gf, mum, "birth", "")
            if gf.born is not None and self.t - gf.born > 60 * 365 and r() < 0.35:
                gf.died = self.t - int(r() * (self.t - gf.born - 55 * 365))
        return gm

    def family(self, hid: str) -> None:
        t, r = self.t, self.rng.random
        mum = self.adult("female", t - self.years(19, 46))
        assert mum.born is not None
        # A mother who fled abuse to a refuge, whose whereabouts must not be disclosed.
        mum.confidential = self.marks.random() < _REFUGE
        start = min(mum.born + self.years(17, 25), t - 60 - int(r() * 300))
        self.member(hid, mum, "parent", start)
        moved_in = start
        fathers = 1 if r() < 0.72 else (2 if r() < 0.72 else 3)
        kids: list[_Person] = []
        current: _Person | None = None
        for k in range(fathers):
            last = k == fathers - 1
            father = self.take(self.movers, start, mum.born) if k and r() < 0.5 else None
            if father is None:
                father = self.adult("male", mum.born - self.years(-2, 8))
                self.brothers(father)
            theirs = self.children(hid, mum, father, start)
            kids.extend(theirs)
            youngest = theirs[-1].born if theirs and theirs[-1].born is not None else start
            end: int | None = max(youngest, start) + self.years(0.3, 3)
            if last and r() < 0.55:
                end = None
            if end is None or end > t:
                current = father
                subtype = self.pick(("married", "married", "cohabiting", "cohabiting", "cohabiting", "dating"))
                self.relate(mum, father, "partner_of", subtype, start)
                self.member(hid, father, "parent" if theirs else "partner_of_parent", start)
                stepchildren = kids[: len(kids) - len(theirs)]
                for kid in stepchildren:
                    self.parent(father, kid, "step", self.pick(_STEP_PR), start)
                    kid.circle.append((father, "carer"))
                    if kid.family != father.family:
                        kid.step_family = father.family
                his = [kid for kid in self.offspring.get(father.number, ()) if kid not in theirs]
                if his and stepchildren and r() < 0.5:
                    self.relate(his[0], stepchildren[0], "sibling_of", "step", start)
                break
            self.separate(hid, mum, father, start, end, bool(theirs))
            start = end + int(r() * 700)
            if start > t:
                break
        self.siblings(kids)
        gran = self.grandparents(mum) if r() < 0.35 else None
        adults: list[_Adult] = []
        if gran is not None and gran.died is None and r() < 0.25:
            since = max(moved_in, t - self.years(0, 8))
            self.member(hid, gran, "relative", since)
            adults.append((gran, "relative", since))
        perpetrator = None if current is None else (current, start)
        if current is None and r() < 0.3:
            perpetrator = self.police_male(hid, mum)
            adults.append((perpetrator[0], "household_member", perpetrator[1]))
        if r() < 0.03:
            lodger = self.adult(self.pick(("female", "male")), t - self.years(18, 60))
            since = t - self.years(0, 3)
            self.member(hid, lodger, "lodger", since)
            adults.append((lodger, "household_member", since))
        if mum.born > t - 42 * 365 and r() < 0.035:
            kids.append(self.unborn(mum, current))
        self.views(hid, mum, kids)
        self.referrals(kids, adults, perpetrator)

    def children(self, hid: str, mum: _Person, father: _Person, start: int) -> list[_Person]:
        """Children of one partnership, born while the mother is under 45 and before today."""
        r = self.rng.random
        assert mum.born is not None
        kids: list[_Person] = []
        born = start + self.years(0.4, 3)
        for _ in range(1 + int(r() * r() * 4.5)):
            if born > self.t or born - mum.born > 44 * 365:
                break
            # Twins: the same parents and day of birth, and different given names.
            twins = [self.child(born, mum, father) for _ in range(2 if r() < _TWINS else 1)]
            left = anniversary(dt.date.fromordinal(born), 18 + int(r() * 4)).toordinal()
            if left > self.t and r() < 0.02:
                # Placed in care: a foster household later in the block takes the child in.
                left = born + int(r() * (self.t - born))
                self.in_care += [(kid, left) for kid in twins]
            for kid in twins:
                self.member(hid, kid, "child", born, left if left <= self.t else None)
            kids.extend(twins)
            born += self.years(1.1, 4)
        return kids

    def brothers(self, father: _Person) -> None:
        """Now and then make a new father the brother of a recent one: their children are cousins."""
        assert father.born is not None
        for other in self.fathers[-8:]:
            if other.born is not None and abs(other.born - father.born) < 10 * 365 and self.rng.random() < _BROTHERS:
                father.family, father.brother, other.brother = other.family, other, father
                self.relate(other, father, "sibling_of", "full", None)
                self.fathers.remove(other)
                return
        self.fathers.append(father)
        del self.fathers[:-50]

    def separate(self, hid: str, mum: _Person, father: _Person, start: int, end: int, had_kids: bool) -> None:
        """A partnership that ended: by separation (he may move on to a new household) or death."""
        r = self.rng.random
        lived_here = r() < 0.7
        if had_kids and r() < 0.06:
            father.died = end
            self.relate(mum, father, "partner_of", self.pick(("married", "cohabiting")), start, end)
        else:
            self.relate(mum, father, "partner_of", self.pick(("separated", "separated", "divorced")), start, end)
            if lived_here and r() < 0.6:
                # He joins the pool once this household is done, so he cannot come back to it.
                self.leaving.append((father, end))
        if lived_here:
            self.member(hid, father, "parent" if had_kids else "partner_of_parent", start, end)

    def siblings(self, kids: list[_Person]) -> None:
        """Record a few sibling pairs; most are left for familynet to derive from parents."""
        for a, b in itertools.combinations(kids, 2):
            if self.rng.random() < 0.12:
                same_father = [p for p, role in a.circle if role == "parent"] == [
                    p for p, role in b.circle if role == "parent"
                ]
                self.relate(a, b, "sibling_of", "full" if same_father else "half", None)

    def police_male(self, hid: str, mum: _Person) -> tuple[_Person, int]:
        """A significant adult male that only the police have recorded."""
        r, t = self.rng.random, self.t
        start = t - int(r() * 3 * 365)
        man = self.take(self.police_movers, start)
        if man is None:
            assert mum.born is not None
            man = self.person("male", min(mum.born - self.years(-4, 12), t - 18 * 366), by=_POLICE)
            man.partial = 0 if r() < 0.7 else (1 if r() < 0.5 else 2)
            man.nhs = "" if r() < 0.5 else man.nhs
        end = start + int(r() * (t - start)) if r() < 0.3 else None
        self.member(hid, man, "partner_of_parent", start, end, by=_POLICE)
        self.relate(mum, man, "partner_of", self.pick(("dating", "cohabiting")), start, end, by=_POLICE)
        if end is not None:
            self.police_movers.append((man, end))
        return man, start

    def unborn(self, mum: _Person, father: _Person | None) -> _Person:
        self.ids.person += 1
        baby = _Person(self.ids.person, "", mum.family, None, "unknown", _SC)
        baby.expected = self.t + 14 + int(self.rng.random() * 180)
        self.new.append(baby)
        self.parent(mum, baby, "birth", "")
        baby.circle.append((mum, "parent"))
        if father is not None:
            self.parent(father, baby, "birth", "")
            baby.circle.append((father, "parent"))
        return baby

    def kinship(self, hid: str) -> None:
        """Grandparents bringing up grandchildren under a special guardianship order."""
        t, r = self.t, self.rng.random
        gran = self.adult("female", t - self.years(48, 72))
        assert gran.born is not None
        carers = [gran]
        if r() < 0.6:
            grandad = self.adult("male", gran.born - self.years(-2, 6))
            self.relate(gran, grandad, "partner_of", "married", gran.born + self.years(20, 30))
            carers.append(grandad)
        mum = self.person("female", gran.born + self.years(18, 30), gran.family)
        assert mum.born is not None
        if r() < 0.15:
            mum.died = t - int(r() * 700)
        for carer in carers:
            self.parent(carer, mum, "birth", "")
        kids: list[_Person] = []
        born = min(max(mum.born + self.years(16, 26), t - 17 * 365), t - 30)
        while born < t and len(kids) < 3:
            kids.append(self.child(born, mum, None))
            order = min(t, born + self.years(0.2, 3))
            born += self.years(1, 4)
        for carer in carers:
            self.member(hid, carer, "carer", gran.born + self.years(25, 40))
        for kid in kids:
            self.member(hid, kid, "child", order)
            for carer in carers:
                self.parent(carer, kid, "special_guardian", "true", order)
                kid.circle.append((carer, "carer"))
        self.referrals(kids, [], None)

    def foster(self, hid: str) -> None:
        """Foster carers, looking after children placed from households earlier in the block."""
        t, r = self.t, self.rng.random
        carers = [self.adult("female", t - self.years(35, 62))]
        if r() < 0.7:
            carers.append(self.adult("male", t - self.years(35, 64)))
            self.relate(carers[0], carers[1], "partner_of", "married", t - self.years(3, 15))
        for carer in carers:
            self.member(hid, carer, "carer", t - self.years(2, 15))
        kids: list[_Person] = []
        for _ in range(1 + int(r() * 2.5)):
            taken = self.in_care.pop(0) if self.in_care else None
            if taken is not None:
                kid, placed = taken
            else:
                born = t - self.years(0.5, 16)
                kid = self.child(born, self.adult("female", born - self.years(17, 35)), None)
                placed = t - int(r() * min(t - (kid.born or t), 1500))
            ended = placed + int(r() * (t - placed)) if r() < 0.2 else None
            self.member(hid, kid, "child", placed, ended)
            for carer in carers:
                self.parent(carer, kid, "foster", "false", placed, ended)
                kid.circle.append((carer, "carer"))
            kids.append(kid)
        self.referrals(kids, [], None)

    def adoptive(self, hid: str) -> None:
        """Adopters, one couple in seven of the same sex; birth mothers keep no responsibility."""
        t, r = self.t, self.rng.random
        first = self.adult("female", t - self.years(30, 55))
        assert first.born is not None
        same_sex = r() < 0.15
        second = self.adult("female" if same_sex else "male", first.born - self.years(-3, 5))
        together = t - self.years(4, 15)
        self.relate(first, second, "partner_of", "civil_partner" if same_sex else "married", together)
        for adopter in (first, second):
            self.member(hid, adopter, "parent", together)
        kids: list[_Person] = []
        for _ in range(1 + int(r() * 1.6)):
            # Adopters are at least twenty years older than the children they adopt.
            born = max(t - self.years(1.5, 17), max(first.born, second.born or t) + 20 * 366)
            mum = self.adult("female", born - self.years(17, 35))
            mum.nhs = ""
            # Where the adopted child lives must not reach the birth family, nor the reverse.
            mum.confidential = True
            kid = self.child(born, mum, None, mother_pr="false")
            adopted = min(t, born + self.years(1, 5))
            self.member(hid, kid, "child", adopted)
            for adopter in (first, second):
                self.parent(adopter, kid, "adoptive", "true", adopted)
                kid.circle.append((adopter, "parent"))
            kids.append(kid)
        self.referrals(kids, [], None)

    def views(self, hid: str, mum: _Person, kids: list[_Person]) -> None:
        """Health and schools hold their own view of who lives here."""
        r, t = self.rng.random, self.t
        if r() < 0.3:
            self.member(hid, mum, "parent", None, by=_HEALTH)
            for kid in kids:
                if kid.born is not None and t - kid.born < 5 * 365:
                    self.member(hid, kid, "child", kid.born, by=_HEALTH)
        if r() < 0.35:
            for kid in kids:
                if kid.born is not None and 4 * 366 < t - kid.born < 16 * 365:
                    self.member(hid, kid, "child", kid.born + 4 * 366, by=_SCHOOLS)
