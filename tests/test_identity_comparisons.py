"""Each comparison of the identity model, and each guardrail, on small hand-made records."""

from __future__ import annotations

import datetime as dt

import pytest

from familynet.identity.comparisons import BLOCKING
from familynet.identity.features import Context, contexts, feature_row
from familynet.identity.guardrails import Guardrails
from familynet.identity.scoring import Scorer
from familynet.model.identity import Comparison, pair
from familynet.model.records import Mention, Person, Referral, Relationship
from identity_records import HEA, POL, home, members_of, parent_of, person, unborn

EVERY_PAIR = Scorer(blocking=("1 = 1",))


def _compare(a: Person, b: Person, facts: list[object] | None = None, *extra: Person) -> dict[str, Comparison]:
    persons = {p.person_id: p for p in (a, b, *extra)}
    facts = facts or []
    found = contexts(
        persons,
        [f for f in facts if type(f).__name__ == "Household"],  # type: ignore[misc]
        [f for f in facts if type(f).__name__ == "Membership"],  # type: ignore[misc]
        [f for f in facts if type(f).__name__ == "Relationship"],  # type: ignore[misc]
        {f.referral_id: f.child_id for f in facts if isinstance(f, Referral)},
        [f for f in facts if isinstance(f, Mention)],
    )
    rows = [feature_row(p, found.get(pid, Context())) for pid, p in persons.items()]
    scored = {(s[0], s[1]): s for s in EVERY_PAIR.score(rows, 1e-12)}
    return {c.name: c for c in scored[pair(a.person_id, b.person_id)][3]}


def _level(a: Person, b: Person, name: str, facts: list[object] | None = None, *extra: Person) -> str:
    return _compare(a, b, facts, *extra)[name].level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("John", "John", "exact"),
        ("Zoë", "ZOE", "exact"),
        ("Bill", "William", "variant"),
        ("Muhammad", "Mohamed", "variant"),
        ("Jonathon", "Jonathan", "jaro-winkler >= 0.92"),
        ("Katie", "Kaytee", "phonetic"),
        ("J", "John", "initial"),
        ("Peter", "Oluwaseun", "else"),
        (None, "John", "missing"),
    ],
)
def test_given_name_levels(left: str | None, right: str | None, level: str) -> None:
    a = person("A", left, "Smith", "2015-03-04")
    b = person("B", right, "Smith", "2015-03-04", by=POL)
    assert _level(a, b, "given_name") == level


def test_given_and_family_names_swapped() -> None:
    a = person("A", "Ahmed", "Hassan", "1990-01-02")
    b = person("B", "Hassan", "Ahmed", "1990-01-02", by=POL)
    found = _compare(a, b)
    assert found["given_name"].level == "swapped with family name"
    assert found["family_name"].level == "swapped with given name"


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Smith", "Smith", "exact"),
        ("Smith-Jones", "Jones", "one part of a double-barrelled name"),
        ("Smith Jones", "Smith", "one part of a double-barrelled name"),
        ("Robinson", "Robinsen", "jaro-winkler >= 0.92"),
        ("Smith", "Smyth", "phonetic"),
        ("Smith", "Okafor", "else"),
    ],
)
def test_family_name_levels(left: str, right: str, level: str) -> None:
    a = person("A", "John", left, "2015-03-04")
    b = person("B", "John", right, "2015-03-04", by=POL)
    assert _level(a, b, "family_name") == level


def test_common_family_names_weigh_less_than_rare_ones() -> None:
    """Term-frequency adjustment: an exact match on a name most records share counts for less."""
    smiths = [person(f"S{i}", f"Given{i}", "Smith", None) for i in range(8)]
    a, b = person("A", "Amy", "Smith", "2015-03-04"), person("B", "Amy", "Smith", "2015-03-04", by=POL)
    c, d = person("C", "Amy", "Zebedee", "2015-03-04"), person("D", "Amy", "Zebedee", "2015-03-04", by=POL)
    common = _compare(a, b, None, c, d, *smiths)["family_name"]
    rare = _compare(c, d, None, a, b, *smiths)["family_name"]
    assert common.level == rare.level == "exact"
    assert common.weight < rare.weight


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("2015-03-04", "2015-03-04", "exact"),
        ("2015-03-04", "2015-04-03", "day and month transposed"),
        ("2015-03-04", "2015-03-05", "off by a day"),
        ("2015-02-28", "2015-03-01", "off by a day"),
        ("2015-03-14", "2015-03-24", "one digit wrong"),
        ("2015-03-04", "2015-01-01", "1 January placeholder"),
        ("2015-03", "2015-03-04", "consistent partial date"),
        ("2015", "2015-03-04", "consistent partial date"),
        ("2014", "2015-03-04", "else"),
        ("2015-03-04", "2011-09-27", "else"),
        (None, "2015-03-04", "missing"),
    ],
)
def test_date_of_birth_levels(left: str | None, right: str, level: str) -> None:
    a = person("A", "John", "Smith", left)
    b = person("B", "John", "Smith", right, by=POL)
    assert _level(a, b, "date_of_birth") == level


@pytest.mark.parametrize(
    ("left", "right", "level"), [("male", "male", "equal"), ("male", "female", "else"), ("male", "unknown", "unknown")]
)
def test_sex_levels(left: str, right: str, level: str) -> None:
    a = person("A", "Sam", "Smith", "2015-03-04", left)
    b = person("B", "Sam", "Smith", "2015-03-04", right, by=POL)
    assert _level(a, b, "sex") == level


def test_nhs_numbers_equal_are_strong_evidence_and_different_valid_ones_strong_against() -> None:
    a = person("A", "John", "Smith", "2015-03-04", nhs="943 476 5919")
    same = person("B", "Jon", "Smith", "2015-03-04", nhs="9434765919", by=HEA)
    other = person("C", "John", "Smith", "2015-03-04", nhs="9434765927", by=HEA)
    invalid = person("D", "John", "Smith", "2015-03-04", nhs="9434765918", by=HEA)
    assert _compare(a, same)["nhs_number"].level == "equal"
    assert _compare(a, same)["nhs_number"].weight > 15
    assert _compare(a, other)["nhs_number"].level == "two different valid numbers"
    assert _compare(a, other)["nhs_number"].weight < -5
    assert _compare(a, invalid)["nhs_number"].level == "missing"


def test_addresses_shared_household_and_postcode() -> None:
    a, b, c = person("A", "John", "Smith", None), person("B", "John", "Smith", None, by=POL), person(
        "C", "John", "Smith", None, by=HEA)  # fmt: skip
    facts = [*home("H1", "A", "B"), *home("H2", "C", by=HEA, postcode="ab12cd")]
    assert _level(a, b, "address", facts, c) == "same household or UPRN"
    assert _level(a, c, "address", facts, b) == "same postcode"


def test_family_context_a_father_police_name_for_the_child_social_care_records_as_the_childs_father() -> None:
    child = person("C", "Amy", "Smith", "2015-03-04", "female")
    father = person("F", "John", "Smith", "1985-06-07")
    named = person("N", "Jon", "Smyth", None, by=POL)
    referral = Referral("R1", "contact", "C", dt.date(2024, 1, 1), POL, (), None, None, None, None)
    facts: list[object] = [parent_of("F", "C"), referral, Mention("R1", "N", "parent")]
    assert _level(father, named, "family_context", facts, child) == "a child in common"


def test_date_of_birth_an_unborn_childs_expected_date_near_the_date_at_birth() -> None:
    mother = person("M", "Mary", "Smith", "1990-01-01", "female")
    facts: list[object] = [parent_of("M", "U"), parent_of("M", "B", by=HEA)]
    born = person("B", "Amy", "Jones", "2024-04-24", "female", by=HEA)
    assert _level(unborn("U", "Smith", "2024-05-01"), born, "date_of_birth", facts, mother) == "expected birth"
    assert _level(unborn("U", "Smith", "2024-05-01"), born, "family_context", facts, mother) == "a parent in common"
    # An older sibling was born long before the date expected.
    older = person("B", "Amy", "Jones", "2021-04-24", "female", by=HEA)
    assert _level(unborn("U", "Smith", "2024-05-01"), older, "date_of_birth", facts, mother) == "missing"


def test_family_context_similar_parents() -> None:
    """Two records of a child whose parents are themselves two records of one person."""
    a, b = person("A", "Amy", "Smith", "2015-03-04", "female"), person("B", "Amy", "Smith", None, "female", by=HEA)
    mother = person("M", "Elizabeth", "Smith", "1990-01-01", "female")
    mother_health = person("MH", "Liz", "Smith", "1990", "female", by=HEA)
    facts: list[object] = [parent_of("M", "A"), parent_of("MH", "B", by=HEA)]
    assert _level(a, b, "family_context", facts, mother, mother_health) == "similar relatives"


def _guard(
    *persons: Person, related: set[tuple[str, str]] | None = None, facts: list[object] | None = None
) -> Guardrails:
    by_id = {p.person_id: p for p in persons}
    found = contexts(by_id, [], [], [f for f in facts or [] if type(f).__name__ == "Relationship"], {}, [])  # type: ignore[misc]
    return Guardrails(by_id, found, related or set())


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (person("A", "Sam", "Smith", "2015-03-04", "male"), person("B", "Sam", "Smith", "2015-03-04", "female"),
         "sex conflict"),
        (person("A", "Sam", "Smith", "2015-03-04", nhs="9434765919"),
         person("B", "Sam", "Smith", "2015-03-04", nhs="9434765927"), "different NHS numbers"),
        (person("A", "John", "Smith", "1980-03-04"), person("B", "John", "Smith", "2005"), "a generation apart"),
        (person("A", "Sam", "Smith", "2015-03-04", confidential=True), person("B", "Sam", "Smith", "2015-03-04"),
         "confidential"),
    ],
)  # fmt: skip
def test_guardrails(a: Person, b: Person, reason: str) -> None:
    assert _guard(a, b).reasons("A", "B") == (reason,)


def test_no_guardrail_for_one_person_recorded_twice() -> None:
    a = person("A", "Sam", "Smith", "2015-03-04", nhs="9434765919")
    b = person("B", "Sammy", "Smith", "2015", "unknown", nhs="9434765919")
    assert _guard(a, b).reasons("A", "B") == ()


def test_guardrail_related_records() -> None:
    a, b = person("A", "Sam", "Smith", "2015-03-04"), person("B", "Sam", "Smith", "2015-03-04")
    assert _guard(a, b, related={("A", "B")}).reasons("A", "B") == ("related",)


def test_no_guardrail_between_an_unborn_childs_record_and_the_record_at_birth() -> None:
    """Both records have the mother as parent, so they look like siblings: only a ``sibling_of``
    recorded between the two records stops their link."""
    mother = person("M", "Mary", "Smith", "1990-01-01", "female")
    before, at_birth = unborn("U", "Smith", "2024-05-01"), person("B", "Amy", "Jones", "2024-04-24", "female", by=HEA)
    facts: list[object] = [parent_of("M", "U"), parent_of("M", "B", by=HEA)]
    assert _guard(before, at_birth, mother, facts=facts).reasons("U", "B") == ()
    sibling = Relationship("U", "B", "sibling_of", "full", None, None, None, HEA)
    related = {pair("U", "B")}
    assert _guard(before, at_birth, mother, related=related, facts=[*facts, sibling]).reasons("U", "B") == ("related",)


def test_guardrail_an_unborn_childs_record_is_not_the_older_sibling() -> None:
    before = unborn("U", "Smith", "2024-05-01")
    older = person("S", "Amy", "Smith", "2021-04-24", "female")
    assert _guard(before, older).reasons("U", "S") == ("a different birth",)
    assert _guard(before, person("S", "Amy", "Smith", "2024-04-24", "female")).reasons("U", "S") == ()


def test_guardrail_twins_same_parent_same_birthday_different_names() -> None:
    mother = person("M", "Mary", "Smith", "1990-01-01", "female")
    a, b = person("A", "Jack", "Smith", "2015-03-04"), person("B", "Harry", "Smith", "2015-03-04", by=HEA)
    guard = _guard(a, b, mother, facts=[parent_of("M", "A"), parent_of("M", "B", by=HEA)])
    assert guard.reasons("A", "B") == ("possible twins",)
    nickname = person("B", "Johnny", "Smith", "2015-03-04", by=HEA)
    assert _guard(a, nickname, mother, facts=[parent_of("M", "A"), parent_of("M", "B")]).reasons("A", "B") == ()


def test_guardrail_twins_by_their_household_when_a_record_names_no_parent() -> None:
    """A school's record of one twin names no parent: the household they share stands in."""
    a, b = person("A", "Jordan", "Nguyen", "2014-02-20"), person("B", "Mat", "Nguyen", "2014-02-20", by=HEA)
    by_id = {p.person_id: p for p in (a, b)}
    found = contexts(by_id, [], [*members_of("H1", "A"), *members_of("H1", "B", by=HEA)], [], {}, [])
    assert Guardrails(by_id, found, set()).reasons("A", "B") == ("possible twins",)
    # A mistyped or swapped given name is one child recorded twice, not a twin.
    for given, family in (("Jordna", "Nguyen"), ("Nguyen", "Jordan")):
        typo = person("B", given, family, "2014-02-20", by=HEA)
        assert Guardrails({"A": a, "B": typo}, found, set()).reasons("A", "B") == ()


def test_guardrail_twins_whose_names_sound_alike() -> None:
    """Metaphone codes Tom and Tim alike (it drops vowels); they are still twins' names."""
    mother = person("M", "Mary", "Smith", "1990-01-01", "female")
    a, b = person("A", "Tom", "Nguyen", "2018-01-02"), person("B", "Tim", "Nguyen", "2018-01-02", by=HEA)
    guard = _guard(a, b, mother, facts=[parent_of("M", "A"), parent_of("M", "B", by=HEA)])
    assert guard.reasons("A", "B") == ("possible twins",)


def _sibling_named_by_police(twin: str = "Harry", dob: str = "2016-05-06") -> tuple[list[object], list[Person]]:
    """A police contact about Amy names her brother only as a sibling, by a record of the police's
    own (no parent, no household); social care records him as Amy's mother's son."""
    mother = person("M", "Mary", "Smith", "1990-01-01", "female")
    amy = person("C", "Amy", "Smith", "2015-03-04", "female")
    harry = person("S", "Harry", "Smith", dob)
    named = person("N", twin, "Smith", dob, by=POL)
    referral = Referral("R1", "contact", "C", dt.date(2024, 1, 1), POL, (), None, None, None, None)
    facts: list[object] = [parent_of("M", "C"), parent_of("M", "S"), referral, Mention("R1", "N", "sibling")]
    return facts, [harry, named, mother, amy]


def test_family_context_in_one_childs_circle() -> None:
    """A record named in a contact about a child, against a sibling of that child: the same circle."""
    facts, (harry, named, *others) = _sibling_named_by_police()
    found = _contexts({p.person_id: p for p in (harry, named, *others)}, facts)
    assert found["N"].circle == {"C"} and found["S"].circle == {"C"} and "S" not in found["S"].circle
    assert _level(harry, named, "family_context", facts, *others) == "in one child's circle"
    # Without the contact, the police record has no family to compare.
    assert _level(harry, named, "family_context", facts[:2], *others) == "no relatives"


def _contexts(persons: dict[str, Person], facts: list[object]) -> dict[str, Context]:
    """The contexts of ``persons`` from relationships, referrals and mentions."""
    relationships = [f for f in facts if isinstance(f, Relationship)]
    children = {f.referral_id: f.child_id for f in facts if isinstance(f, Referral)}
    return contexts(persons, [], [], relationships, children, [f for f in facts if isinstance(f, Mention)])


def _blocked(of: list[Person], facts: list[object], blocking: tuple[str, ...] | None = None) -> set[tuple[str, str]]:
    """The pairs the model's blocking rules (or ``blocking``) compare."""
    persons = {p.person_id: p for p in of}
    found = _contexts(persons, facts)
    rows = [feature_row(p, found.get(pid, Context())) for pid, p in persons.items()]
    return {(s[0], s[1]) for s in Scorer(blocking=blocking).score(rows, 1e-12)}


def _without(rule: str) -> tuple[str, ...]:
    return tuple(r["blocking_rule"] for r in BLOCKING if rule not in r["blocking_rule"])


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        # A typing error in the given name and a wrong digit in the date: the sound of the given
        # name and the year are left.
        (person("A", "Dean", "Smith", "1991-06-21"), person("B", "Daen", "Smyth-Jones", "1991-08-21", by=POL),
         "l.given_phonetic = r.given_phonetic"),
        # A previous family name and a short form of the given name that no table knows: the date
        # of birth and sex are left.
        (person("A", "Olufunmilayo", "Okafor", "1988-02-13", "female"),
         person("B", "Funmi", "Brown", "1988-02-13", "female", by=POL), "l.dob = r.dob AND l.sex = r.sex"),
    ],
)  # fmt: skip
def test_blocking_rules_find_pairs_no_other_rule_finds(a: Person, b: Person, rule: str) -> None:
    assert _blocked([a, b], []) == {("A", "B")}
    assert _blocked([a, b], [], _without(rule)) == set()


def test_blocking_on_one_childs_circle() -> None:
    """The police's record of a sibling, every field wrong, is compared with
    social care's record of the child's brother; not with his mother or sister (sex, generation)."""
    facts, persons = _sibling_named_by_police()
    harry, named, *others = persons
    named = person("N", "Hari", "Okafor", "2015-06-05", "unknown", by=POL)
    pairs = _blocked([harry, named, *others], facts)
    assert ("N", "S") in pairs and ("C", "N") not in pairs and ("M", "N") not in pairs
    assert ("N", "S") not in _blocked([harry, named, *others], facts, _without("l.circle"))


def test_guardrail_twins_in_one_childs_circle() -> None:
    """The police name one twin as a sibling in a contact about their sister: no parent, no
    household, but the sister's circle holds both twins."""
    facts, (harry, named, mother, amy) = _sibling_named_by_police(twin="Jack")
    persons = {p.person_id: p for p in (harry, named, mother, amy)}
    assert Guardrails(persons, _contexts(persons, facts), set()).reasons("N", "S") == ("possible twins",)


def test_family_context_circle_only_within_one_generation() -> None:
    """A mother and her daughter of one name share the circle of the daughter's brother: a police
    record of the mother without a date of birth gets no evidence from it (it was linked to the
    daughter's record)."""
    mother = person("M", "Sarah", "Ali", "1985-02-03", "female")
    daughter = person("D", "Sarah", "Ali", "2008-06-04", "female")
    son = person("C", "Omar", "Ali", "2012-01-02")
    referral = Referral("R1", "contact", "C", dt.date(2024, 1, 1), POL, (), None, None, None, None)
    facts: list[object] = [parent_of("M", "D"), parent_of("M", "C"), referral, Mention("R1", "N", "relative")]
    undated = person("N", "Sraah", "Alii", None, "female", by=POL)
    assert _level(daughter, undated, "family_context", facts, mother, son) == "else"
    dated = person("N", "Sraah", "Alii", "2008-06-04", "female", by=POL)
    assert _level(daughter, dated, "family_context", facts, mother, son) == "in one child's circle"
