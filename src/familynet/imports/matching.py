"""Matching an import's referrals, assessments and plans to the same facts stored from another format.

The same referral reaches familynet from several formats: an SSD gives it the SSD's referral
id, a CIN census an id made of its child and day (:mod:`familynet.imports.ids`), so by id alone
it would be stored twice and every referral-based audit would count it twice. Before the rows
reach the load, each incoming referral, assessment and plan is matched:

1. a row whose id the store holds, or whose format and source key (the id the importer made)
   a stored fact already has as a source, is that fact (a re-import, a later extract);
2. otherwise it matches a stored fact of the same file with the same :data:`MATCH_FIELDS`
   (kind, child, day; for an assessment also its referral, after its referral was matched),
   every one of them given, that was imported from *another* format only: the child's id
   carries the local authority's code, so the same child is the same authority's;
3. only one to one: when exactly one stored fact and exactly one incoming row share those
   fields, the row takes the stored fact's id (the load updates that fact); when more could
   match, none merges, all are kept, and the group is one warning of the import, without values.

Facts of the same format never merge (a format's own ids already say which fact is which), and
facts that record no source (loaded from a bundle) are never matched. Every incoming row's
source is recorded, in the load's transaction, for the fact it became.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from familynet.bundle.files import FILES
from familynet.errors import Problem
from familynet.imports.facts import bundle_cells
from familynet.imports.staging import Part
from familynet.model.sources import FactSource
from familynet.stores.protocol import LoadWriter, Store

#: The fields that say an incoming fact is a stored one from another format, per bundle file.
MATCH_FIELDS = {
    "referrals": ("kind", "child_id", "received_on"),
    "assessments": ("kind", "child_id", "referral_id", "started_on"),
    "plans": ("kind", "child_id", "start_date"),
}
_NOUNS = {"referrals": "contacts or referrals", "assessments": "assessments", "plans": "plans"}

_Key = tuple[str, ...]


@dataclass(frozen=True)
class _Row:
    part: Part
    index: int

    @property
    def id(self) -> str:
        return self.cell(self.part.columns[0])

    def cell(self, column: str) -> str:
        value = self.part.cells[self.index][self.part.columns.index(column)]
        return value or ""


@dataclass
class _Index:
    """What the store holds of one file: its ids, the facts of this import's format by source
    key, and the facts of other formats only by the fields that match them."""

    file: str
    stored: set[str] = field(default_factory=set)
    claimed: dict[str, str] = field(default_factory=dict)
    candidates: dict[_Key, list[str]] = field(default_factory=dict)


class Matcher:
    """Matches the parts of one import, in bundle file order, to facts stored from other formats.

    ``format`` names the import's format (``ssd``, ``cin-census``, ``annex-a``) and ``load`` the
    load's source. :meth:`parts` renames matched rows as they pass; :meth:`record` then writes the
    sources in the load; :attr:`warnings` are the ambiguous groups.
    """

    def __init__(self, store: Store, format: str, load: str) -> None:
        self.store = store
        self.format = format
        self.load = load
        #: Per file, the incoming ids that became a stored fact's id.
        self.renamed: dict[str, dict[str, str]] = {file: {} for file in MATCH_FIELDS}
        self.sources: list[FactSource] = []
        self.warnings: list[Problem] = []

    def parts(self, parts: Iterator[Part]) -> Iterator[Part]:
        """The parts, renamed: a file's rows are held until the whole file is read only when a
        stored fact could match them (one to one needs every incoming row of a group)."""
        held: list[Part] = []
        index: _Index | None = None
        for part in parts:
            if index is not None and held and part.file != index.file:
                yield from self._matched(index, held)
                held = []
            if part.file not in MATCH_FIELDS:
                yield part
                continue
            if index is None or index.file != part.file:
                index = self._index(part.file)
            held.append(part)
            if not index.candidates:
                # Rows are then only their own stored fact or source: no need to hold them.
                yield from self._matched(index, held)
                held = []
        if index is not None and held:
            yield from self._matched(index, held)

    def record(self, writer: LoadWriter) -> None:
        """Record every incoming row's source, for the fact it became, in the load."""
        writer.record_sources(self.sources)

    def _matched(self, index: _Index, held: list[Part]) -> Iterator[Part]:
        file = index.file
        referrals = self.renamed["referrals"]
        if file == "assessments" and referrals:
            # An assessment follows its referral's id: to the stored referral, when that matched.
            for part in held:
                at = part.columns.index("referral_id")
                for cells in part.cells:
                    cells[at] = referrals.get(cells[at] or "", cells[at])
        rename = self.renamed[file]
        rename.update(self._resolve(index, held))
        # Per row in every import (1.15 million at 200,000 households): no more than a dictionary look-up.
        sources, format, load = self.sources, self.format, self.load
        for part in held:
            for cells in part.cells:
                key = cells[0] or ""
                cells[0] = fact_id = rename.get(key, key)
                sources.append(FactSource(file, fact_id, format, key, load))
        yield from held

    def _index(self, file: str) -> _Index:
        """What the store holds of ``file`` that an incoming row can be."""
        formats: dict[str, set[str]] = {}
        index = _Index(file)
        for source in self.store.fact_sources(file):
            formats.setdefault(source.fact_id, set()).add(source.format)
            if source.format == self.format:
                index.claimed[source.source_key] = source.fact_id
        fields = MATCH_FIELDS[file]
        id_of = attrgetter(next(spec.columns[0] for spec in FILES if spec.name == file))
        for batch in self.store.facts(file):
            for fact in batch:
                fact_id: str = id_of(fact)
                index.stored.add(fact_id)
                seen = formats.get(fact_id)
                # Only a fact of other formats only can be matched: only its fields are needed.
                if seen and self.format not in seen:
                    cells = bundle_cells(fact)
                    key = tuple(cells[f] for f in fields)
                    if all(key):
                        index.candidates.setdefault(key, []).append(fact_id)
        return index

    def _resolve(self, index: _Index, held: list[Part]) -> dict[str, str]:
        """The stored id each incoming id stands for, where it differs."""
        resolved: dict[str, str] = {}
        if not (index.stored or index.claimed or index.candidates):
            # A store that holds none of the file: every row is a new fact.
            return resolved
        fields = MATCH_FIELDS[index.file]
        groups: dict[_Key, list[_Row]] = {}
        for part in held:
            at = [part.columns.index(f) for f in fields] if index.candidates else []
            for i, cells in enumerate(part.cells):
                incoming = cells[0] or ""
                if incoming in index.stored:
                    continue
                if incoming in index.claimed:
                    resolved[incoming] = index.claimed[incoming]
                    continue
                if not index.candidates:
                    continue
                key = tuple(cells[a] or "" for a in at)
                if all(key):
                    groups.setdefault(key, []).append(_Row(part, i))
        # A stored fact an incoming row already is, by id or source, is no other row's match.
        taken = set(resolved.values())
        for key, group in groups.items():
            free = [fact_id for fact_id in index.candidates.get(key, ()) if fact_id not in taken]
            if len(free) == 1 and len(group) == 1:
                resolved[group[0].id] = free[0]
                taken.add(free[0])
            elif free:
                first = group[0]
                reason = (
                    f"{len(group)} imported and {len(free)} stored {_NOUNS[index.file]} from another format share "
                    "kind, child and day: none merged, all kept"
                )
                line = first.part.lines[first.index]
                self.warnings.append(Problem(first.part.source, line, fields[-1], reason, "warning"))
        return resolved
