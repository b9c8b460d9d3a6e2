"""Blocking keys: how a store finds, through an index, the records that the model's blocking
rules would compare with a few new ones, and how common each name is among all records.

Every rule of :data:`~familynet.identity.comparisons.BLOCKING` is a conjunction holding at least
one equality between an expression of the left record (``l.``) and one of the right (``r.``);
Splink compares a pair only when the left expressions of one record equal the right expressions
of the other. Its other conjuncts (``l.sex = r.sex OR l.sex IS NULL``, a year within 12) only
narrow the pairs, so the keys leave them out. Each record holds, for each rule, a key per side:
a hash of the rule, the side and the values of its equalities (none when a value is null, since
null equals nothing); an array the rule explodes gives a key per element. A new record's
candidates are the records holding a key of the other side with its values: a superset of the
pairs Splink then blocks with the rules themselves (a hash collision, or a narrowing conjunct,
only adds a candidate). The keys are the rules' own SQL, run on DuckDB over the feature rows, so
a rule added to the model gets its keys with no code here; a rule with no equality between the
two records cannot, and :func:`rules` refuses it (tests/test_identity_blocking.py).

The term-frequency keys count names: one key per record and value of each column whose exact
level is term-frequency adjusted, and one per record with any value, so that a store can give
Splink's frequency of a name (records with it over records with one) without reading every record.

>>> [(rule.left, rule.right) for rule in rules()][-2:]
[(('kin',), ('kin',)), (('circle',), ('circle',))]
>>> from familynet.identity.features import Context, feature_row
>>> from familynet.model.records import Person
>>> ann = feature_row(Person("P1", "Ann", "Lee", None, None, "female", None, None, None), Context())
>>> keys = blocking_keys([ann])
>>> len(keys.sought["P1"]), len(keys.own["P1"]), list(keys.frequency["given"])
(3, 8, ['ann', None])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
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
    """The keys of one of Splink's blocking rules: its conjuncts that are equalities between
    the two records' expressions (the others only narrow its pairs); :class:`IdentityError` when
    it has none (no index can find its pairs).

    >>> rule({"blocking_rule": "l.x = r.x AND substr(l.y, 1, 1) = substr(r.y, 1, 1)"}).left
    ('x', 'SUBSTRING(y, 1, 1)')
    >>> rule({"blocking_rule": "l.x = r.x AND (l.s IS NULL OR l.s = r.s) AND abs(l.y - r.y) < 12"}).left
    ('x',)
    >>> rule({"blocking_rule": "levenshtein(l.x, r.x) <= 1"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    familynet.model.identity.IdentityError: blocking rule 'levenshtein(l.x, r.x) <= 1' has no equality ...
    """
    text = str(blocking["blocking_rule"])
    refused = IdentityError(f"blocking rule {text!r} has no equality between the two records: no key finds its pairs")
    tree = sqlglot.parse_one(text, read="duckdb")
    conjuncts = list(tree.flatten()) if isinstance(tree, exp.And) else [tree]
    left, right = [], []
    for equality in conjuncts:
        sides = _sides(equality)
        if sides is not None:
            left.append(sides["l"])
            right.append(sides["r"])
    if not left:
        raise refused
    return Rule(text, tuple(left), tuple(right), tuple(blocking.get("arrays_to_explode", ())))


def _sides(conjunct: object) -> dict[str, str] | None:
    """The left and right expressions of an equality between the two records, else None."""
    if not isinstance(conjunct, exp.EQ):
        return None
    sides = {}
    for operand in (conjunct.left, conjunct.right):
        tables = {column.table for column in operand.find_all(exp.Column)}
        if len(tables) != 1 or not tables <= {"l", "r"}:
            return None
        sides[tables.pop()] = operand.transform(_unqualified).sql("duckdb")
    return sides if sides.keys() == {"l", "r"} else None


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


def _union(model: Sequence[Rule]) -> str:
    """One query over the table ``frame`` of feature rows: a row per record and key it holds,
    with the key that finds its candidates (``sought``) or the name a frequency key counts
    (``tf_column``, and ``tf_value``: null for the key of every record with a value)."""
    selects = []
    for blocking in model:
        source = "frame"
        for array in blocking.explode:
            source = f"(SELECT * REPLACE (unnest({array}) AS {array}) FROM {source})"
        for tag, expressions in blocking.sides.items():
            other = {"l": "r", "r": "l"}.get(tag, tag)
            own, sought = (_literal(_SEP.join((blocking.text, side, ""))) for side in (tag, other))
            values = _values(expressions)
            selects.append(f"SELECT unique_id, {_hash(f'{own} || {values}')} AS own, "
                           f"{_hash(f'{sought} || {values}')} AS sought, NULL AS tf_column, NULL AS tf_value "
                           f"FROM {source} WHERE ({values}) IS NOT NULL")  # fmt: skip
    for column in frequency_columns():
        own = _hash(f"{_literal(_SEP.join(('tf', column, '')))} || CAST({column} AS VARCHAR)")
        every = _hash(_literal(_SEP.join(("tf", column))))
        name, value = _literal(column), f"CAST({column} AS VARCHAR)"
        selects.append(f"SELECT unique_id, {own}, NULL, {name}, {value} FROM frame WHERE {column} IS NOT NULL")
        selects.append(f"SELECT unique_id, {every}, NULL, {name}, NULL FROM frame WHERE {column} IS NOT NULL")
    # One key every record holds, sought by none: a store can tell a record whose keys were
    # never written (Store.lacks_identity_keys) from one no rule gives a key.
    selects.append(f"SELECT unique_id, {_hash(_literal('record'))}, NULL, NULL, NULL FROM frame")
    return " UNION ALL ".join(selects)


def _rows(rows: Sequence[Mapping[str, Any]], model: Sequence[Rule] | None, query: str) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` (over :func:`_union`, as ``keys``) on the feature ``rows``, streamed."""
    import duckdb
    import pandas as pd

    if not rows:
        return
    with duckdb.connect() as db:
        db.execute("SET threads TO 1")
        # Nullable dtypes: pandas makes a column of years with one missing value float, which
        # keys 2004 as "2004.0", unlike the same record keyed alone or by the full resolve's frame.
        db.register("frame", pd.DataFrame(list(rows)).convert_dtypes())
        yield from _query(db, model, query)


def _query(db: Any, model: Sequence[Rule] | None, query: str) -> Iterator[tuple[Any, ...]]:
    cursor = db.execute(f"WITH keys AS ({_union(rules() if model is None else model)}) {query}")
    while batch := cursor.fetchmany(100_000):
        yield from batch


def blocking_keys(rows: Sequence[Mapping[str, Any]], model: Sequence[Rule] | None = None) -> Keys:
    """The keys of feature ``rows`` (:func:`~familynet.identity.features.feature_row`) under the
    ``model``'s rules (default: :func:`rules`), computed by DuckDB."""
    found = Keys()
    for record, own, sought, column, value in _rows(rows, model, "SELECT * FROM keys"):
        found.own[record].add(own)
        if sought is not None:
            found.sought[record].add(sought)
        if column is not None:
            found.frequency[column][value] = own
    return found


def stored_keys(rows: Sequence[Mapping[str, Any]]) -> Iterator[tuple[int, str]]:
    """The ``(key, record)`` rows a store keeps for feature ``rows``, streamed (a full resolve's
    are millions)."""
    yield from _rows(rows, None, "SELECT own, unique_id FROM keys")


def stored_keys_of(db: Any, table: str) -> Iterator[tuple[int, str]]:
    """The ``(key, record)`` rows a store keeps for the feature rows in ``table`` of the DuckDB
    connection ``db`` (:class:`~familynet.identity.frame.FeatureFrame`), streamed."""
    db.execute(f"CREATE OR REPLACE TEMP VIEW frame AS SELECT * FROM {table}")
    yield from _query(db, None, "SELECT own, unique_id FROM keys")
