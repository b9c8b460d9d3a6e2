"""The building blocks of synthetic bundles: agencies, persons, ids and a block's small helpers."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from familynet.bundle.files import FILES
from familynet.model.dates import anniversary
from familynet.model.nhs import check_digit
from familynet.synthetic import names
from familynet.synthetic.frontdoor import FrontDoor

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
_PR = ("true",) * 8 + ("false", "")
_STEP_PR = ("false",) * 5 + ("",) * 4 + ("true",)
_POSTCODE_LETTERS = tuple("ABDEFGHJLNPQRSTUWXYZ")


class _Person:
    """A person while their family is built; written once their household is done."""

    __slots__ = ("adult_on", "born", "by", "circle", "confidential", "died", "expected", "family", "given",
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
        self.confidential = False
        self.truth: _Person = self
        self.adult_on = 0
        # (person, mention role) for everyone a referral about this child names.
        self.circle: list[tuple[_Person, str]] = []

    @property
    def pid(self) -> str:
        return f"P{self.number:07d}"


#: An adult of the household, their mention role and the day they arrived.
_Adult = tuple[_Person, str, int]
#: A person and the day they arrived.
_Arrival = tuple[_Person, int]
#: Characters of a date of birth kept at each precision: full, year-month, year.
_PRECISION = (10, 7, 4)


@cache
def _iso_dates(today: dt.date) -> tuple[int, tuple[str, ...]]:
    """ISO strings for every day from 120 years ago to one year ahead, and the first ordinal."""
    first = today.toordinal() - 44_000
    return first, tuple(dt.date.fromordinal(o).isoformat() for o in range(first, first + 44_400))


def nhs_number(serial: int) -> str:
    """A valid NHS number unique to ``serial`` (a person number).

    Prefixes step by two and an invalid check digit moves to the next odd prefix:
    two prefixes one apart cannot both lack a check digit, so numbers never collide.

    >>> from familynet.model.nhs import is_valid_nhs_number
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


class BlockBase:
    """One block of households being built: its random source, ids, rows and small helpers."""

    def __init__(self, seed: int, index: int, today: dt.date, counters: _Counters) -> None:
        self.rng = random.Random(f"familynet-synthetic:{seed}:{index}")
        # Who is marked confidential is drawn from a stream of its own, so that the marker
        # changes nothing else a seed generates.
        self.marks = random.Random(f"familynet-synthetic-confidential:{seed}:{index}")
        self.t = today.toordinal()
        # The front door's facts (familynet.synthetic.frontdoor) draw from a stream of their own too.
        self.front_door = FrontDoor(random.Random(f"familynet-synthetic-front-door:{seed}:{index}"), self.t)
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
                    self.iso(p.died), p.nhs, p.by, "true" if p.confidential else "",
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
        dup.partial, dup.died, dup.truth, dup.confidential = p.partial, p.died, p.truth, p.confidential
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
