"""Blocking keys: how a store finds, through an index, the records that the model's blocking
rules would compare with a few new ones, and how common each name is among all records.

Every rule of :data:`~familynet.identity.comparisons.BLOCKING` is a conjunction of equalities,
each between an expression of the left record (``l.``) and one of the right (``r.``); Splink
compares a pair when the left expressions of one record equal the right expressions of the
other. So each record holds, for each rule, a key per side: a hash of the rule, the side and
the values (none when a value is null, since null equals nothing); an array the rule explodes
gives a key per element. A new record's candidates are the records holding a key of the other
side with its values: a superset of the pairs Splink then blocks with the rules themselves
(a hash collision only adds a candidate). The keys are the rules' own SQL, run on DuckDB over
the feature rows, so a rule added to the model gets its keys with no code here; a rule that is
not a conjunction of equalities cannot, and :func:`rules` refuses it (tests/test_identity_blocking.py).

The term-frequency keys count names: one key per record and value of each column whose exact
level is term-frequency adjusted, and one per record with any value, so that a store can give
Splink's frequency of a name (records with it over records with one) without reading every record.

>>> [(rule.left, rule.right) for rule in rules()][-2:]
[(('given_canon', 'family'), ('family', 'given_canon')), (('kin',), ('kin',))]
>>> from familynet.identity.features import Context, feature_row
>>> from familynet.model.records import Person
>>> ann = feature_row(Person("P1", "Ann", "Lee", None, None, "female", None, None, None), Context())
>>> keys = blocking_keys([ann])
>>> len(keys.sought["P1"]), len(keys.own["P1"]), list(keys.frequency["given"])
(3, 7, ['ann', None])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import expressions as exp

from familynet.identity.comparisons import BLOCKING, LEVELS
from familynet.model.identity import IdentityError

#: Separates the parts of a key's text before it is hashed.
_SEP = "\x1f"


@dataclass(frozen=True)
class Rule:
    """A blocking rule as keys: its text, the left and right expressions of its equalities
    (over unqualified columns, DuckDB SQL) and the arrays it explodes."""

    text: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    explode: tuple[str, ...] = ()

    @property
    def sides(self) -> dict[str, tuple[str, ...]]:
        """The key sides: one (``=``) when both sides are the same expressions, else ``l`` and ``r``."""
        return {"=": self.left} if self.left == self.right else {"l": self.left, "r": self.right}


def _unqualified(node: exp.Expression) -> exp.Expression:
    return exp.column(node.name) if isinstance(node, exp.Column) else node


def rule(blocking: Mapping[str, Any]) -> Rule:
    """The keys of one of Splink's blocking rules; :class:`IdentityError` when it is not a
    conjunction of equalities between the two records' expressions (no index can find its pairs).

    >>> rule({"blocking_rule": "l.x = r.x AND substr(l.y, 1, 1) = substr(r.y, 1, 1)"}).left
    ('x', 'SUBSTRING(y, 1, 1)')
    >>> rule({"blocking_rule": "levenshtein(l.x, r.x) <= 1"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    familynet.model.identity.IdentityError: blocking rule 'levenshtein(l.x, r.x) <= 1' is not a conjunction ...
    """
    text = str(blocking["blocking_rule"])
    refused = IdentityError(
        f"blocking rule {text!r} is not a conjunction of equalities between the two records: no key finds its pairs"
    )
    tree = sqlglot.parse_one(text, read="duckdb")
    conjuncts = list(tree.flatten()) if isinstance(tree, exp.And) else [tree]
    left, right = [], []
    for equality in conjuncts:
        if not isinstance(equality, exp.EQ):
            raise refused
        sides = {}
        for operand in (equality.left, equality.right):
            tables = {column.table for column in operand.find_all(exp.Column)}
            if len(tables) != 1 or not tables <= {"l", "r"}:
                raise refused
            sides[tables.pop()] = operand.transform(_unqualified).sql("duckdb")
        if sides.keys() != {"l", "r"}:
            raise refused
        left.append(sides["l"])
        right.append(sides["r"])
    return Rule(text, tuple(left), tuple(right), tuple(blocking.get("arrays_to_explode", ())))


def rules() -> list[Rule]:
    """The keys of every blocking rule of the model."""
    return [rule(blocking) for blocking in BLOCKING]


def frequency_columns() -> list[str]:
    """The columns whose exact level is term-frequency adjusted (Splink's frequency of a value).

    >>> frequency_columns()
    ['given', 'family']
    """
    found = []
    for levels in LEVELS.values():
        for _, creator, _, _ in levels:
            if getattr(creator, "term_frequency_adjustments", False):
                found.append(str(creator.col_expression.raw_sql_expression))  # type: ignore[attr-defined]
    return found


@dataclass
class Keys:
    """Records' keys: those each holds (``own``, to store), those that find its candidates
    (``sought``), and each name's frequency keys (``frequency``: column, value to the key, and
    the key every record with a value of the column holds, under ``None``)."""

    own: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sought: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    frequency: dict[str, dict[str | None, int]] = field(default_factory=lambda: defaultdict(dict))


def _hash(text_sql: str) -> str:
    # MD5, not DuckDB's hash(): stored keys must read the same in every later version.
    return f"CAST(md5_number_lower({text_sql}) >> 1 AS BIGINT)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _values(expressions: Sequence[str]) -> str:
    # || yields null when any part is null: a null value blocks nothing.
    return f" || {_literal(_SEP)} || ".join(f"CAST(({e}) AS VARCHAR)" for e in expressions)


def blocking_keys(rows: Sequence[Mapping[str, Any]], model: Sequence[Rule] | None = None) -> Keys:
    """The keys of feature ``rows`` (:func:`~familynet.identity.features.feature_row`) under the
    ``model``'s rules (default: :func:`rules`), computed by DuckDB."""
    import duckdb
    import pandas as pd

    found = Keys()
    if not rows:
        return found
    frame = pd.DataFrame(list(rows))  # noqa: F841 (DuckDB reads the local frame by name)
    with duckdb.connect() as db:
        db.execute("SET threads TO 1")
        for blocking in model if model is not None else rules():
            source = "frame"
            for array in blocking.explode:
                source = f"(SELECT * REPLACE (unnest({array}) AS {array}) FROM {source})"
            tags = list(blocking.sides)
            selects: list[str] = []
            for tag, expressions in blocking.sides.items():
                other = {"l": "r", "r": "l"}.get(tag, tag)
                prefix = _literal(_SEP.join((blocking.text, tag, "")))
                sought = _literal(_SEP.join((blocking.text, other, "")))
                values = _values(expressions)
                selects.append(f"{_hash(f'{prefix} || {values}')} AS own_{len(selects)}, "
                               f"{_hash(f'{sought} || {values}')} AS sought_{len(selects)}")  # fmt: skip
            query = f"SELECT unique_id, {', '.join(selects)} FROM {source}"
            for record, *hashes in db.execute(query).fetchall():
                for i in range(len(tags)):
                    own, sought = hashes[2 * i], hashes[2 * i + 1]
                    if own is not None:
                        found.own[record].add(own)
                        found.sought[record].add(sought)
        for column in frequency_columns():
            prefix = _literal(_SEP.join(("tf", column, "")))
            every = _hash(_literal(_SEP.join(("tf", column))))
            query = f"SELECT unique_id, {column}, {_hash(f'{prefix} || {column}')}, {every} FROM frame"
            for record, value, key, total in db.execute(query).fetchall():
                if value is not None:
                    found.own[record] |= {key, total}
                    found.frequency[column][value] = key
                    found.frequency[column][None] = total
    return found
