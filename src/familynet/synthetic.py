"""Synthetic local-authority bundles: realistic family networks, deterministic for a seed.

Households are generated in fixed blocks; each block draws from its own
``random.Random`` seeded by (seed, block number), so a bundle depends only on the
seed, the number of households and ``today``. Families cross households within a
block: partners who leave one household join another, police-only men move from
one partner to the next, children placed in care join foster households, older
couples are grandparents of younger mothers.

Rates follow the shape of England's Children in Need statistics: domestic abuse is
the most common concern (about 30% of referrals), about 22% of referrals are
re-referrals within 12 months, two in three of those within three months and about
three in four about the same concern category. Contacts outnumber referrals about
seven to one, about five for every household over ten years. Generation is one
process: 200,000 households take about 25 seconds.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as out:
...     counts = write_demo_bundle(Path(out), 20, 7, today=dt.date(2025, 6, 30))
>>> counts["agencies"], counts["households"]
(10, 20)
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime as dt
import itertools
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

from familynet import names
from familynet.bundle import FILES
from familynet.dates import anniversary
from familynet.nhs import check_digit

#: Households per block: families link across households only inside a block.
BLOCK = 500
#: The ground-truth file: each person record and the true person it stands for.
IDENTITY_TRUTH = ("identity_truth", ("person_id", "true_person_id"))

AGENCIES = (
    ("A01", "Northwold Children's Social Care", "social_care"),
    ("A02", "Northwold Police", "police"),
    ("A03", "Northwold Community Health NHS Trust", "health"),
    ("A04", "Northwold General Hospital", "health"),
    ("A05", "Northwold Schools", "education"),
    ("A06", "Northwold Early Help", "early_help"),
    ("A07", "Northwold Homes", "housing"),
    ("A08", "Probation Service, Northwold", "probation"),
    ("A09", "Northwold Youth Justice Service", "youth_justice"),
    ("A10", "Northwold Women's Aid", "voluntary"),
)
_SC, _POLICE, _HEALTH, _HOSPITAL, _SCHOOLS, _EARLY_HELP, _HOUSING = (a[0] for a in AGENCIES[:7])
#: Every file written, with its columns, in the order a bundle loads.
_LAYOUT = (*((spec.name, spec.columns) for spec in FILES), IDENTITY_TRUTH)
_OTHER_RECORDERS = (_HEALTH, _HOSPITAL, _SCHOOLS, _POLICE, _HOUSING)

_YEAR = 365.2425
_TEN_YEARS = 3652
#: Pre-birth referrals come from about 12 weeks of pregnancy, 28 weeks before the due date.
_PRE_BIRTH_DAYS = 196
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
_CONSENT = ("given",) * 11 + ("not_given",) * 2 + ("overridden",) * 3 + ("not_recorded",) * 4
_RAG = ("red",) * 3 + ("amber",) * 9 + ("green",) * 8
_ASSESSMENT_OUTCOMES = ("nfa", "nfa", "cin_plan", "cin_plan", "child_protection_plan", "early_help",
                        "looked_after", "step_down")  # fmt: skip
_PR = ("true",) * 8 + ("false", "")
_STEP_PR = ("false",) * 5 + ("",) * 4 + ("true",)
_POSTCODE_LETTERS = tuple("ABDEFGHJLNPQRSTUWXYZ")


class _Person:
    """A person while their family is built; written once their household is done."""

    __slots__ = ("adult_on", "born", "by", "circle", "died", "expected", "family", "given",
                 "nhs", "number", "partial", "sex", "truth")  # fmt: skip

    def __init__(self, number: int, given: str, family: str, born: int | None, sex: str, by: str) -> None:
        self.number = number
        self.given = given
        self.family = family
        self.born = born
        self.sex = sex
        self.by = by
        self.partial = 0
        self.expected: int | None = None
        self.died: int | None = None
        self.nhs = ""
        self.truth: _Person = self
        self.adult_on = 0
        # (person, mention role) for everyone a referral about this child names.
        self.circle: list[tuple[_Person, str]] = []

    @property
    def pid(self) -> str:
        return f"P{self.number:07d}"


@cache
def _iso_dates(today: dt.date) -> tuple[int, tuple[str, ...]]:
    """ISO strings for every day from 120 years ago to one year ahead, and the first ordinal."""
    first = today.toordinal() - 44_000
    return first, tuple(dt.date.fromordinal(o).isoformat() for o in range(first, first + 44_400))


def nhs_number(serial: int) -> str:
    """A valid NHS number unique to ``serial`` (a person number).

    Prefixes step by two and an invalid check digit moves to the next odd prefix:
    two prefixes one apart cannot both lack a check digit, so numbers never collide.

    >>> from familynet.nhs import is_valid_nhs_number
    >>> all(is_valid_nhs_number(nhs_number(n)) for n in range(1, 200))
    True
    >>> len({nhs_number(n) for n in range(1, 5000)})
    4999
    """
    # A multiplier coprime with the modulus scrambles serials without collisions.
    prefix = 900_000_000 + 2 * ((serial * 7919) % 50_000_000)
    digit = check_digit(str(prefix))
    if digit is None:
        prefix += 1
        digit = check_digit(str(prefix))
        assert digit is not None
    return f"{prefix}{digit}"


class _Counters:
    """The next number of each kind of id; blocks run in order, so ids are gapless."""

    __slots__ = ("assessment", "person", "referral")

    def __init__(self) -> None:
        self.person = self.referral = self.assessment = 0


class _Block:
    """One block of households and every row about them."""

    def __init__(self, seed: int, index: int, today: dt.date, counters: _Counters) -> None:
        self.rng = random.Random(f"familynet-synthetic:{seed}:{index}")
        self.t = today.toordinal()
        self.first_day, self.days = _iso_dates(today)
        self.ids = counters
        self.rows: dict[str, list[tuple[str, ...]]] = {name: [] for name, _ in _LAYOUT}
        self.new: list[_Person] = []
        # People between households: (person, day they became free to move in).
        self.movers: list[tuple[_Person, int]] = []
        self.leaving: list[tuple[_Person, int]] = []
        self.police_movers: list[tuple[_Person, int]] = []
        self.in_care: list[tuple[_Person, int]] = []
        self.older_couples: list[tuple[_Person, _Person]] = []
        # Each person's role in the household being built, for other agencies' second records.
        self.roles: dict[int, str] = {}
        # Fathers' children by number, so a man's children by earlier partners are known.
        self.offspring: dict[int, list[_Person]] = {}

    # -- small helpers -------------------------------------------------------------------

    def iso(self, day: int | None) -> str:
        return "" if day is None else self.days[day - self.first_day]

    def pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.random() * len(options))]

    def years(self, low: float, high: float) -> int:
        return int((low + self.rng.random() * (high - low)) * _YEAR)

    def person(self, sex: str, born: int | None, family: str = "", by: str = _SC) -> _Person:
        r = self.rng.random
        self.ids.person += 1
        given = self.pick(names.FEMALE if sex == "female" else names.MALE)
        p = _Person(self.ids.person, given, family or self.pick(names.FAMILY), born, sex, by)
        if born is not None:
            p.adult_on = anniversary(dt.date.fromordinal(born), 18).toordinal()
            if p.adult_on <= self.t - _TEN_YEARS and r() < 0.1:
                p.partial = 1 if r() < 0.6 else 2
            if r() < 0.93:
                p.nhs = nhs_number(p.number)
        self.new.append(p)
        return p

    def adult(self, sex: str, born: int) -> _Person:
        return self.person(sex, min(born, self.t - 18 * 366))

    def child(self, born: int, mother: _Person, father: _Person | None) -> _Person:
        family = father.family if father is not None and self.rng.random() < 0.6 else mother.family
        kid = self.person("female" if self.rng.random() < 0.49 else "male", born, family)
        self.parent(mother, kid, "birth", "true")
        kid.circle.append((mother, "parent"))
        if father is not None:
            self.parent(father, kid, "birth", self.pick(_PR))
            kid.circle.append((father, "parent"))
            self.offspring.setdefault(father.number, []).append(kid)
        return kid

    def member(self, hid: str, p: _Person, role: str, start: int | None, end: int | None = None,
               by: str = _SC) -> None:  # fmt: skip
        if by == _SC:
            self.roles[p.number] = role
        self.rows["household_members"].append((hid, p.pid, role, self.iso(start), self.iso(end), by))

    def parent(self, p: _Person, kid: _Person, subtype: str, pr: str, start: int | None = None,
               end: int | None = None, by: str = _SC) -> None:  # fmt: skip
        self.rows["relationships"].append(
            (p.pid, kid.pid, "parent_of", subtype, pr, self.iso(start), self.iso(end), by)
        )

    def relate(self, a: _Person, b: _Person, kind: str, subtype: str, start: int | None,
               end: int | None = None, by: str = _SC) -> None:  # fmt: skip
        self.rows["relationships"].append((a.pid, b.pid, kind, subtype, "", self.iso(start), self.iso(end), by))

    def take(self, pool: list[tuple[_Person, int]], before: int, near: int | None = None) -> _Person | None:
        """Take someone free to move in by ``before`` from among the longest waiting in ``pool``.

        With ``near`` (a mother's birth day) only a man born up to ten years before her or
        three years after will do.
        """
        for i, (p, free) in enumerate(pool[:6]):
            if free < before and (near is None or (p.born is not None and -3650 < p.born - near < 1100)):
                del pool[i]
                return p
        return None

    # -- households ----------------------------------------------------------------------

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
            kid = self.child(born, mum, father)
            left = anniversary(dt.date.fromordinal(born), 18 + int(r() * 4)).toordinal()
            if left > self.t and r() < 0.02:
                # Placed in care: a foster household later in the block takes the child in.
                left = born + int(r() * (self.t - born))
                self.in_care.append((kid, left))
            self.member(hid, kid, "child", born, left if left <= self.t else None)
            kids.append(kid)
            born += self.years(1.1, 4)
        return kids

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
            kid = self.child(born, mum, None)
            adopted = min(t, born + self.years(1, 5))
            self.rows["relationships"][-1] = (mum.pid, kid.pid, "parent_of", "birth", "false", "", "", _SC)
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

    # -- referrals and assessments -------------------------------------------------------

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
        for i, kid in enumerate(subjects):
            self.ids.referral += 1
            rid = f"R{self.ids.referral:07d}"
            referrals.append((rid, kind, kid.pid, received, referrer, concerns, outcome, consent, rag, group))
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
        self.rows["assessments"].append(
            (
                f"X{self.ids.assessment:07d}",
                kid.pid,
                rid,
                kind,
                self.iso(started),
                self.iso(completed) if done else "",
                concerns if r() < 0.93 else "21",
                self.pick(_ASSESSMENT_OUTCOMES) if done else "",
            )
        )

    # -- writing -------------------------------------------------------------------------

    def finish(self, hid: str) -> None:
        """Write the persons of a finished household, and the second records of a few of them."""
        r = self.rng.random
        created, self.new = self.new, []
        created += [self.duplicate(hid, p) for p in created if p.born is not None and r() < 0.015]
        persons = self.rows["persons"]
        for p in created:
            born = self.iso(p.born)
            persons.append(
                (
                    p.pid, p.given, p.family, born[: _PRECISION[p.partial]], self.iso(p.expected), p.sex,
                    self.iso(p.died), p.nhs, p.by,
                )
            )  # fmt: skip
            self.rows["identity_truth"].append((p.pid, p.truth.pid))
        self.roles.clear()
        self.movers += self.leaving
        self.leaving.clear()

    def duplicate(self, hid: str, p: _Person) -> _Person:
        """``p`` recorded again by another agency: name spelled differently or birth date mistyped."""
        r = self.rng.random
        assert p.born is not None
        by = self.pick(tuple(a for a in _OTHER_RECORDERS if a != p.by))
        self.ids.person += 1
        dup = _Person(self.ids.person, p.given, p.family, p.born, p.sex, by)
        dup.partial, dup.died, dup.truth = p.partial, p.died, p.truth
        dup.nhs = p.nhs if r() < 0.5 else ""
        mistyped = self.mistype(p.born) if p.partial == 0 and r() < 0.4 else None
        if mistyped is not None:
            dup.born = mistyped
        elif r() < 0.6 and p.given:
            dup.given = names.variant(p.given, self.rng)
        else:
            dup.family = names.variant(p.family, self.rng)
        role = self.roles.get(p.number)
        if role is not None:
            self.member(hid, dup, role, None, by=by)
        return dup

    def mistype(self, born: int) -> int | None:
        """A date of birth keyed wrongly: day and month swapped, a day out, a year out."""
        day = dt.date.fromordinal(born)
        r = self.rng.random()
        if r < 0.4 and day.day <= 12 and day.day != day.month:
            wrong = day.replace(month=day.day, day=day.month)
        elif r < 0.7:
            wrong = day + dt.timedelta(days=1 if r < 0.55 else -1)
        else:
            wrong = anniversary(day, -1)
        typed = wrong.toordinal()
        return typed if typed <= self.t and typed >= self.first_day else None


#: An adult of the household, their mention role and the day they arrived.
_Adult = tuple[_Person, str, int]
#: A person and the day they arrived.
_Arrival = tuple[_Person, int]
_PRECISION = (10, 7, 4)
_ASSESSED = {
    "assessment": "child_and_family",
    "section_47": "section_47",
    "strategy_discussion": "section_47",
    "early_help": "early_help",
}


def _block(seed: int, index: int, first: int, size: int, today: dt.date, counters: _Counters) -> _Block:
    block = _Block(seed, index, today, counters)
    for number in range(first + 1, first + size + 1):
        block.household(number)
    return block


def write_demo_bundle(
    out_dir: Path,
    households: int,
    seed: int,
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic bundle of ``households`` households, and ``identity_truth.csv``.

    Parameters
    ----------
    out_dir
        Directory to write into (created if missing); existing bundle files are replaced.
    households
        Number of households.
    seed
        The same seed and ``today`` give byte-identical files.
    today
        The last day of the ten years of history; defaults to the real today.
    progress
        Called with the number of households finished since its last call.

    Returns
    -------
    dict[str, int]
        Data rows written per file stem (``persons``, ..., ``identity_truth``).
    """
    today = today or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys((name for name, _ in _LAYOUT), 0)
    counters = _Counters()
    with contextlib.ExitStack() as stack:
        writers = {}
        for name, columns in _LAYOUT:
            handle = stack.enter_context((out_dir / f"{name}.csv").open("w", encoding="utf-8", newline=""))
            writers[name] = csv.writer(handle, lineterminator="\n")
            writers[name].writerow(columns)
        writers["agencies"].writerows(AGENCIES)
        counts["agencies"] = len(AGENCIES)
        for index, first in enumerate(range(0, households, BLOCK)):
            size = min(BLOCK, households - first)
            block = _block(seed, index, first, size, today, counters)
            for name, rows in block.rows.items():
                writers[name].writerows(rows)
                counts[name] += len(rows)
            if progress is not None:
                progress(size)
    return counts
