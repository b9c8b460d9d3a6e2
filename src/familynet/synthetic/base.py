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

    __slots__ = ("adult_on", "born", "brother", "by", "circle", "confidential", "count", "died", "expected",
                 "family", "given", "nhs", "number", "partial", "previous", "records", "sex", "step_family",
                 "truth", "unborn")  # fmt: skip

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
        # Of a true person: the record each agency uses for them, and how many records they have.
        self.records: dict[str, _Person] = {}
        self.count = 1
        # A woman's previous family name, a child's step-father's: what second records may carry.
        self.previous = self.step_family = ""
        # A child's record made before birth; a father's brother (whose children are cousins).
        self.unborn: _Person | None = None
        self.brother: _Person | None = None

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
        # Recent fathers, one of whom a new father may be a brother of.
        self.fathers: list[_Person] = []
        # Parents' children by parent number: a man's children by earlier partners, siblings' names.
        self.offspring: dict[int, list[_Person]] = {}

    # -- small helpers -------------------------------------------------------------------

    def iso(self, day: int | None) -> str:
        return "" if day is None else self.days[day - self.first_day]

    def pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.random() * len(options))]

    def years(self, low: float, high: float) -> int:
        return int((low + self.rng.random() * (high - low)) * _YEAR)

    def person(self, sex: str, born: int | None, family: str = "", by: str = _SC,
               avoid: frozenset[str] = frozenset()) -> _Person:  # fmt: skip
        """A new true person; their given name is none of ``avoid`` (their siblings' names)."""
        r = self.rng.random
        self.ids.person += 1
        given = self.pick(names.FEMALE_DRAW if sex == "female" else names.MALE_DRAW)
        while given in avoid:
            given = self.pick(names.FEMALE_DRAW if sex == "female" else names.MALE_DRAW)
        p = _Person(self.ids.person, given, family or self.pick(names.FAMILY_DRAW), born, sex, by)
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
