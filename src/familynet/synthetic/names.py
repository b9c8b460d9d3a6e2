"""Synthetic names and places for demo data, and the ways agencies misspell them.

Every person in a demo bundle is a made-up combination of a given name and a
family name from these lists, living at a made-up street in a made-up town with
postcodes in the ``FN`` area, which no real postcode uses. The lists keep a share
of names with accents and other scripts so that Unicode is exercised end to end.
"""

from __future__ import annotations

import random
import unicodedata

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

#: Spellings that agencies really do confuse, each way round.
_KNOWN_VARIANTS: dict[str, str] = {
    "Muhammad": "Mohammed", "Mohammed": "Mohamed", "Katherine": "Catherine", "Jayden": "Jaden",
    "Siobhán": "Shivaun", "Seán": "Shaun", "Niamh": "Neve", "Aoife": "Eefa", "Stephen": "Steven",
    "Zainab": "Zaynab", "Maryam": "Mariam", "Stacey": "Stacy", "Kayleigh": "Kaylee",
    "Tracey": "Tracy", "Hussain": "Hussein", "Rahman": "Rehman", "王": "Wang", "李": "Li",
    "张": "Zhang", "Trần": "Tran", "Lê": "Le", "Nguyễn": "Nguyen", "Thị Lan": "Lan",
    "Văn Hùng": "Hung", "Ó Súilleabháin": "O'Sullivan", "Smith-Jones": "Smith Jones",
}  # fmt: skip


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


def variant(name: str, rng: random.Random) -> str:
    """Spell ``name`` as a second agency might have recorded it, always differently.

    >>> variant("Zoë", random.Random(1))
    'Zoe'
    >>> variant("Hargreaves", random.Random(3)) != "Hargreaves"
    True
    """
    known = _KNOWN_VARIANTS.get(name)
    if known is not None:
        return known
    plain = _plain(name)
    if plain != name:
        return plain
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 2)
    if name[i] == name[i + 1]:
        return name[:i] + name[i + 1 :]
    # Two neighbouring letters typed the wrong way round: the commonest keying slip.
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
