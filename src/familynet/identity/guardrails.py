"""Guardrails: pairs of records that are never linked automatically, however likely the model
finds them. Such a pair may still go to review, with the reasons shown.

- ``sex conflict``: both sexes are known and differ;
- ``different NHS numbers``: both records have a valid NHS number and they differ;
- ``related``: a ``parent_of``, ``sibling_of`` or ``partner_of`` joins the two records (between
  their identities, :mod:`familynet.identity.clusters` refuses the join);
- ``a generation apart``: their dates of birth (the range a partial one allows) are at least
  ``generation_years`` apart;
- ``a different birth``: one record's expected date of birth (a record made before the birth)
  is more than ``EXPECTED_BIRTH_DAYS`` (30) days from the other's date of birth: an unborn child
  is not the older sibling who shares the mother, the household and the surname;
- ``confidential``: either record is marked confidential (a link could disclose where a person
  in a refuge lives);
- ``possible twins``: the same parent record, the same household or the same child's circle (a
  contact names both, or one and a sibling of the other), the same full date of birth
  and different given names (not variants of one name, not alike by Jaro–Winkler (0.92),
  not the names swapped: a typing error is no twin). The household stands in for the parents when
  a record names none (a school's record of a child).

A father and a son of the same name are a generation apart (and usually related).

>>> from familynet.model.dates import PartialDate
>>> father = Person("P1", "John", "Smith", PartialDate(1980, 3, 4), None, "male", None, None, None)
>>> son = Person("P2", "John", "Smith", PartialDate(2005, 3, 4), None, "male", None, None, None)
>>> Guardrails({"P1": father, "P2": son}, {}, set()).reasons("P1", "P2")
('a generation apart',)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import jellyfish

from familynet.identity.comparisons import EXPECTED_BIRTH_DAYS
from familynet.identity.features import Context
from familynet.identity.variants import canonical_given
from familynet.model.identity import pair
from familynet.model.nhs import is_valid_nhs_number
from familynet.model.records import Person
from familynet.stores.name_search import name_key

#: Dates of birth at least this many years apart put two records in different generations.
GENERATION_YEARS = 12
#: Given names at least this alike (Jaro–Winkler) are one name mistyped, not twins' names.
SIMILAR_NAMES = 0.92


def _nhs(person: Person) -> str | None:
    digits = (person.nhs_number or "").replace(" ", "")
    return digits if digits and is_valid_nhs_number(digits) else None


@dataclass(frozen=True)
class Guardrails:
    """The guardrails over a store's records: ``persons`` by id, their ``contexts`` and the
    ``related`` pairs (:func:`~familynet.model.identity.pair`) of their relationships."""

    persons: Mapping[str, Person]
    contexts: Mapping[str, Context]
    related: set[tuple[str, str]]
    generation_years: int = GENERATION_YEARS

    def reasons(self, left: str, right: str) -> tuple[str, ...]:
        """Why ``left`` and ``right`` must not be linked automatically (empty: they may be)."""
        a, b = self.persons[left], self.persons[right]
        found = []
        if a.sex != b.sex and "unknown" not in (a.sex, b.sex):
            found.append("sex conflict")
        nhs_a, nhs_b = _nhs(a), _nhs(b)
        if nhs_a and nhs_b and nhs_a != nhs_b:
            found.append("different NHS numbers")
        if pair(left, right) in self.related:
            found.append("related")
        if self._generation_apart(a, b):
            found.append("a generation apart")
        if self._different_births(a, b) or self._different_births(b, a):
            found.append("a different birth")
        if a.confidential or b.confidential:
            found.append("confidential")
        if self._twins(a, b):
            found.append("possible twins")
        return tuple(found)

    def conflict(self, left: str, right: str) -> bool:
        """Whether two records must not be in one identity by the model's links (a guardrail
        other than ``confidential``, which guards a link, not an identity)."""
        return any(reason != "confidential" for reason in self.reasons(left, right))

    def _generation_apart(self, a: Person, b: Person) -> bool:
        if a.date_of_birth is None or b.date_of_birth is None:
            return False
        gap = max(
            a.date_of_birth.earliest().year - b.date_of_birth.latest().year,
            b.date_of_birth.earliest().year - a.date_of_birth.latest().year,
        )
        return gap >= self.generation_years

    @staticmethod
    def _different_births(unborn: Person, other: Person) -> bool:
        expected, born = unborn.expected_date_of_birth, other.date_of_birth
        if expected is None or born is None:
            return False
        near = dt.timedelta(days=EXPECTED_BIRTH_DAYS)
        return born.latest() < expected - near or born.earliest() > expected + near

    def _twins(self, a: Person, b: Person) -> bool:
        if a.date_of_birth is None or not a.date_of_birth.is_full or a.date_of_birth != b.date_of_birth:
            return False
        none = Context()
        context_a, context_b = self.contexts.get(a.person_id, none), self.contexts.get(b.person_id, none)
        parents_a = {r for r in context_a.relatives if r.startswith("P:")}
        parents_b = {r for r in context_b.relatives if r.startswith("P:")}
        # A police record named only as a sibling in a contact has no parent or household: the
        # child's circle it shares with its twin's record stands in.
        family = parents_a & parents_b or context_a.homes & context_b.homes or context_a.circle & context_b.circle
        return bool(family) and _different_names(a, b)


def _different_names(a: Person, b: Person) -> bool:
    given_a, given_b = name_key(a.given_name), name_key(b.given_name)
    if canonical_given(a.given_name) == canonical_given(b.given_name) or given_a == name_key(b.family_name):
        return False
    # Not by sound: Metaphone drops vowels, and twins are named Tom and Tim.
    return jellyfish.jaro_winkler_similarity(given_a, given_b) < SIMILAR_NAMES
