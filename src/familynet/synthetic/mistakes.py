"""The mistakes a second record of a person carries: names, dates of birth, sex and NHS numbers.

The rates are data (``records.toml``); :class:`Mistakes` draws from a random source of
its own, so that how records are mistyped never changes who the people are.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from familynet.synthetic import names
from familynet.synthetic.base import AGENCIES, _Person, nhs_number

_KIND_OF_AGENCY = {agency: kind for agency, _, kind in AGENCIES}
#: The fields each kind of mistake changes: a second mistake of a field is not drawn.
_FIELDS: dict[str, frozenset[str]] = {
    "nickname": frozenset({"given"}),
    "spelling": frozenset({"given", "family"}),
    "typo_given": frozenset({"given"}),
    "typo_family": frozenset({"family"}),
    "accents": frozenset({"given", "family"}),
    "swap": frozenset({"given", "family"}),
    "surname_part": frozenset({"family"}),
    "previous_name": frozenset({"family"}),
    "step_surname": frozenset({"family"}),
    "dob_missing": frozenset({"dob"}),
    "dob_partial": frozenset({"dob"}),
    "dob_placeholder": frozenset({"dob"}),
    "dob_transposed": frozenset({"dob"}),
    "dob_digit": frozenset({"dob"}),
    "dob_day": frozenset({"dob"}),
    "sex_unknown": frozenset({"sex"}),
}


@dataclass(frozen=True)
class Rates:
    """The rates of ``records.toml``: who keeps a record of their own, and what goes wrong in it."""

    own_record: dict[str, float]
    within_agency: float
    unused: float
    unborn: float
    most: int
    count: tuple[float, ...]
    kinds: dict[str, float]
    nhs: dict[str, float]
    other_person: float


@cache
def rates() -> Rates:
    """The rates, read once.

    >>> r = rates()
    >>> set(r.kinds) == set(_FIELDS), len(r.count), r.most
    (True, 4, 5)
    """
    with (Path(__file__).parent / "records.toml").open("rb") as handle:
        data = tomllib.load(handle)
    again, nhs = data["again"], dict(data["nhs"])
    return Rates(
        own_record=dict(data["own_record"]),
        within_agency=again["within_agency"],
        unused=again["unused"],
        unborn=again["unborn"],
        most=again["most"],
        count=tuple(data["mistakes"]["count"]),
        kinds=dict(data["mistakes"]["kind"]),
        other_person=nhs.pop("other_person"),
        nhs=nhs,
    )


class Mistakes:
    """Fills in a second record from the true person it stands for, with mistakes."""

    def __init__(self, rng: random.Random, today: int, first_day: int) -> None:
        self.rng = rng
        self.rates = rates()
        self.t = today
        self.first_day = first_day

    def fill(self, rec: _Person) -> None:
        """Give ``rec`` the true person's values, then between none and three fields wrong."""
        truth = rec.truth
        rec.given, rec.family, rec.sex, rec.died = truth.given, truth.family, truth.sex, truth.died
        rec.born, rec.partial, rec.confidential = truth.born, truth.partial, truth.confidential
        rec.adult_on = truth.adult_on
        rec.nhs = self.nhs(rec)
        wrong = self.rng.choices(range(len(self.rates.count)), weights=self.rates.count)[0]
        kinds = dict(self.rates.kinds)
        changed: set[str] = set()
        while wrong and kinds:
            kind = self.rng.choices(tuple(kinds), weights=tuple(kinds.values()))[0]
            del kinds[kind]
            if not _FIELDS[kind] & changed and self.apply(kind, rec):
                changed |= _FIELDS[kind]
                wrong -= 1
        if rec.died is not None and rec.born is not None and rec.died < rec.born:
            rec.born = truth.born

    def nhs(self, rec: _Person) -> str:
        """The NHS number ``rec`` carries: health always knows it, others rarely; now and then a wrong one."""
        truth, r = rec.truth, self.rng.random
        kind = _KIND_OF_AGENCY[rec.by]
        if truth.born is None or r() >= self.rates.nhs.get(kind, 0.0):
            return ""
        mother = next((p for p, role in truth.circle if role == "parent"), None)
        if mother is not None and mother.nhs and r() < self.rates.other_person:
            # A baby's record with the mother's number: the commonest wrong NHS number.
            return mother.nhs
        return nhs_number(truth.number) if kind == "health" else truth.nhs

    def apply(self, kind: str, rec: _Person) -> bool:
        """Make mistake ``kind`` in ``rec``; False if it cannot apply to this person."""
        truth, rng = rec.truth, self.rng
        adult = truth.born is not None and truth.adult_on <= self.t
        if kind.startswith("dob_"):
            return truth.born is not None and self.date_of_birth(kind, rec, adult)
        before = (rec.given, rec.family, rec.sex)
        if kind == "nickname":
            rec.given = names.nickname(truth.given, rng) or truth.given
        elif kind == "spelling":
            rec.given = names.spelling(truth.given, rng) or truth.given
            rec.family = names.spelling(truth.family, rng) or truth.family
        elif kind == "typo_given" and truth.given:
            rec.given = names.typo(truth.given, rng)
        elif kind == "typo_family":
            rec.family = names.typo(truth.family, rng)
        elif kind == "accents":
            rec.given, rec.family = names.plain(truth.given), names.plain(truth.family)
        elif kind == "swap" and truth.given:
            rec.given, rec.family = truth.family, truth.given
        elif kind == "surname_part":
            rec.family = names.surname_part(truth.family, rng) or truth.family
        elif kind == "previous_name" and adult and truth.sex == "female":
            if not truth.previous:
                truth.previous = names.FAMILY_DRAW[int(rng.random() * len(names.FAMILY_DRAW))]
            rec.family = truth.previous
        elif kind == "step_surname" and truth.step_family:
            rec.family = truth.step_family
        elif kind == "sex_unknown" and truth.sex != "unknown":
            rec.sex = "unknown" if rng.random() < 0.5 else ""
        return (rec.given, rec.family, rec.sex) != before

    def date_of_birth(self, kind: str, rec: _Person, adult: bool) -> bool:
        """A date of birth left out, cut short, replaced by a placeholder or keyed wrongly."""
        truth = rec.truth
        assert truth.born is not None
        if kind == "dob_missing" and adult:
            rec.born, rec.partial = None, 0
            return True
        if kind == "dob_partial" and adult and truth.partial == 0:
            rec.partial = 1 if self.rng.random() < 0.6 else 2
            return True
        if truth.partial:
            return False
        day = dt.date.fromordinal(truth.born)
        wrong: dt.date | None = None
        if kind == "dob_placeholder" and (day.month, day.day) != (1, 1):
            wrong = day.replace(month=1, day=1)
        elif kind == "dob_transposed" and day.day <= 12 and day.day != day.month:
            wrong = day.replace(month=day.day, day=day.month)
        elif kind == "dob_day":
            wrong = day + dt.timedelta(days=1 if self.rng.random() < 0.5 else -1)
        elif kind == "dob_digit":
            wrong = self.wrong_digit(day, adult)
        if wrong is None or not self.first_day <= wrong.toordinal() <= self.t:
            return False
        rec.born = wrong.toordinal()
        return True

    def wrong_digit(self, day: dt.date, adult: bool) -> dt.date | None:
        """``day`` with one digit keyed wrongly; a child's year is kept (a child stays a child)."""
        text = day.isoformat()
        places = (2, 3, 5, 6, 8, 9) if adult else (5, 6, 8, 9)
        for _ in range(4):
            i = places[int(self.rng.random() * len(places))]
            digit = str(int(self.rng.random() * 10))
            if digit == text[i]:
                continue
            try:
                return dt.date.fromisoformat(text[:i] + digit + text[i + 1 :])
            except ValueError:
                continue
        return None
