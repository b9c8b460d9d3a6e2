"""Synthetic names and places for demo data, and the ways agencies misspell them.

Every person in a demo bundle is a made-up combination of a given name and a
family name from these lists, living at a made-up street in a made-up town with
postcodes in the ``FN`` area, which no real postcode uses. The lists keep a share
of names with accents and other scripts so that Unicode is exercised end to end.
"""

from __future__ import annotations

import random
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

FEMALE: tuple[str, ...] = (
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Evie", "Ella", "Poppy", "Emily", "Chloe", "Jessica", "Ruby", "Sienna",
    "Katherine", "Hannah", "Leah", "Megan", "Jade", "Kayleigh", "Stacey", "Danielle", "Amy",
    "Gemma", "Charlotte", "Rebecca", "Sarah", "Laura", "Nicola", "Michelle", "Tracey", "Joanne",
    "Aisha", "Fatima", "Maryam", "Amira", "Zainab", "Priya", "Anjali", "Simran", "Ngozi",
    "Chidinma", "Abena", "Agnieszka", "Małgorzata", "Zuzanna", "Oliwia", "Ioana", "Andreea",
    "Zoë", "Chloë", "Siobhán", "Aoife", "Niamh", "Renée", "Inés", "Lucía", "Björk", "Anaïs",
    "Thị Lan", "Mei", "Xiu", "Şebnem", "Elif", "Ayşe", "Zeynep", "Shannon", "Courtney", "Paige",
)  # fmt: skip

MALE: tuple[str, ...] = (
    "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Muhammad", "Jack", "Charlie", "Oscar",
    "Jacob", "Henry", "Thomas", "Freddie", "Alfie", "Theo", "William", "Archie", "Joshua", "Jayden",
    "Liam", "Connor", "Kyle", "Dean", "Lee", "Wayne", "Darren", "Craig", "Jamie", "Ryan",
    "Daniel", "Matthew", "Michael", "Christopher", "Stephen", "Mark", "Paul", "Jason", "Shane",
    "Mohammed", "Ahmed", "Omar", "Yusuf", "Ibrahim", "Arjun", "Rohan", "Harpreet", "Chinedu",
    "Kwame", "Oluwaseun", "Tunde", "Łukasz", "Kacper", "Mateusz", "Piotr", "Andrei", "Ștefan",
    "Seán", "Ciarán", "Pádraig", "Óscar", "José", "Björn", "François", "Jürgen", "Emre", "Çağan",
    "Minh", "Văn Hùng", "Wei", "Jian", "Tyler", "Reece", "Callum", "Bradley", "Jordan",
)  # fmt: skip

FAMILY: tuple[str, ...] = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell",
    "Rose", "Davis", "Rodriguez", "Cox", "Alexander", "Morgan", "Moore", "Mills", "King",
    "Kelly", "Harris", "Martin", "Cooper", "Ward", "Morris", "Turner", "Hughes", "Edwards",
    "Hussain", "Ahmed", "Begum", "Ali", "Rahman", "Islam", "Singh", "Kaur", "Sharma", "Okafor",
    "Adeyemi", "Mensah", "Boateng", "Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Popescu",
    "Ionescu", "O'Brien", "Ó Súilleabháin", "MacDonald", "McCarthy", "Gallagher", "Nguyễn",
    "Trần", "Lê", "王", "李", "张", "Chen", "Yılmaz", "Öztürk", "Çelik", "Müller", "Dvořák",
    "Fernández", "García", "Gonçalves", "Lefèvre", "Smith-Jones", "Ashworth", "Hargreaves",
    "Pemberton", "Whitfield", "Blackwood", "Fairbairn", "Thistlewood", "Underhill", "Kershaw",
    "Lloyd-Davies", "Okafor-Mensah", "Taylor-Wood", "García López", "Ahmed-Khan",
)  # fmt: skip

STREET_WORDS: tuple[str, ...] = (
    "Alder", "Beacon", "Bramble", "Castle", "Cedar", "Chapel", "Clover", "Elm", "Fern", "Foundry",
    "Heather", "Holly", "Juniper", "Kestrel", "Larch", "Linnet", "Maple", "Mill", "Orchard",
    "Quarry", "Raven", "Rowan", "Sorrel", "Station", "Tanner", "Thorn", "Willow", "Wren",
)  # fmt: skip

STREET_KINDS: tuple[str, ...] = (
    "Road", "Street", "Close", "Avenue", "Way", "Grove", "Lane", "Court", "Crescent", "Terrace",
)  # fmt: skip

TOWNS: tuple[str, ...] = ("Northwold", "Easterby", "Fenmarsh", "Kilnbridge", "Oxlow", "Saltham")

#: Names drawn more often than the others: a few very common names, the hardest for linking
#: (Muhammad and Smith lead England's lists of given names and surnames).
_COMMON_FEMALE = ("Olivia", "Amelia", "Isla", "Sarah", "Emily")
_COMMON_MALE = ("Muhammad", "Muhammad", "Oliver", "George", "Jack", "Thomas")
_COMMON_FAMILY = ("Smith", "Smith", "Smith", "Jones", "Jones", "Williams", "Taylor", "Khan", "Patel", "Begum")
#: What a person's given or family name is drawn from.
FEMALE_DRAW: tuple[str, ...] = FEMALE + _COMMON_FEMALE * 2
MALE_DRAW: tuple[str, ...] = MALE + _COMMON_MALE * 2
FAMILY_DRAW: tuple[str, ...] = FAMILY + _COMMON_FAMILY * 2


@cache
def _variants() -> dict[str, dict[str, tuple[str, ...]]]:
    with (Path(__file__).parent / "variants.toml").open("rb") as handle:
        table = tomllib.load(handle)
    return {kind: {name: tuple(forms) for name, forms in forms_of.items()} for kind, forms_of in table.items()}


def nickname(name: str, rng: random.Random) -> str | None:
    """A short or familiar form of a given name, or None if it has none.

    >>> nickname("William", random.Random(1)) in {"Bill", "Will", "Liam"}
    True
    >>> nickname("Noah", random.Random(1)) is None
    True
    """
    forms = _variants()["nicknames"].get(name)
    return None if forms is None else forms[int(rng.random() * len(forms))]


def spelling(name: str, rng: random.Random) -> str | None:
    """Another spelling agencies use for ``name`` (a transliteration, an anglicised form), or None.

    >>> spelling("王", random.Random(1))
    'Wang'
    """
    forms = _variants()["spellings"].get(name)
    return None if forms is None else forms[int(rng.random() * len(forms))]


def plain(name: str) -> str:
    """``name`` with its accents stripped, as a system that cannot store them writes it.

    >>> plain("Łukasz Wiśniewska"), plain("Zoë")
    ('Lukasz Wisniewska', 'Zoe')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l").replace("Ł", "L")


def surname_part(name: str, rng: random.Random) -> str | None:
    """One part of a double-barrelled or two-part surname, or None if it has one part.

    >>> surname_part("Smith-Jones", random.Random(2)) in {"Smith", "Jones"}
    True
    """
    parts = name.replace("-", " ").split()
    return None if len(parts) < 2 else parts[int(rng.random() * len(parts))]


def typo(name: str, rng: random.Random) -> str:
    """``name`` keyed wrongly: two neighbouring letters swapped, a doubled letter typed once.

    >>> typo("Hargreaves", random.Random(3)) != "Hargreaves"
    True
    >>> typo("Li", random.Random(3))
    'Lii'
    """
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 2)
    if name[i] == name[i + 1]:
        return name[:i] + name[i + 1 :]
    # Two neighbouring letters typed the wrong way round: the commonest keying slip.
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
