"""Resolving a store's records into identities: in full, for newly loaded records, or after a
user's decision; the result is written to the store as one set of changes.

Every pair the model scores at or above the review threshold is kept as a candidate with its
evidence. Clustering (:mod:`familynet.identity.clusters`) then joins the records of users'
``link`` decisions, and the model's pairs in the link band with no guardrail, most likely
first; a join that would merge relatives, records decided apart or records a guardrail keeps
apart (twins, two NHS numbers, a generation) is refused and the pair goes
to review. The review queue holds the candidates of the review band and the refused ones whose
records are in different identities and about which no user has decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from familynet.identity.blocking import blocking_keys, frequency_columns, stored_keys_of
from familynet.identity.clusters import Clusters
from familynet.identity.comparisons import MODEL_NAME, MODEL_VERSION
from familynet.identity.frame import FEATURES, FeatureFrame, engine
from familynet.identity.guardrails import GENERATION_YEARS, Guardrails
from familynet.identity.records import Records
from familynet.identity.scoring import Frequencies, Scored, Scorer
from familynet.model.identity import (
    Alias,
    Band,
    Candidate,
    Decision,
    DecisionKind,
    IdentityChanges,
    IdentityError,
    IdentityState,
    Link,
    is_queued,
)
from familynet.stores.protocol import Store

#: The reason a link-band pair without guardrails of its own was not linked.
REFUSED = "would merge relatives, records decided distinct or records a guardrail keeps apart"


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities of the three bands: auto-link at or above ``link``, review at or
    above ``review``, no link below."""

    link: float = 0.999
    review: float = 0.999
    generation_years: int = GENERATION_YEARS

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.link <= 1.0:
            raise IdentityError("the thresholds must satisfy 0 < review <= link <= 1")


@dataclass(frozen=True)
class Counts:
    """What a resolution found."""

    records: int
    identities: int
    auto_links: int
    reviews: int


def _in_force(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """The latest decision about each pair, but for pairs whose latest withdraws a distinct one
    (``undistinct``): those are as if no user had decided."""
    latest = {decision.pair: decision for decision in decisions}
    return {key: decision for key, decision in latest.items() if decision.kind != DecisionKind.UNDISTINCT}


@dataclass(frozen=True)
class Outcome:
    """A resolution: its candidates, links, memberships, and counts."""

    candidates: dict[tuple[str, str], Candidate]
    links: dict[tuple[str, str], Link]
    members: dict[str, str]
    counts: Counts


def _cluster(
    records: Records,
    scored: Iterable[Scored],
    decisions: Iterable[Decision],
    thresholds: Thresholds,
    now: dt.datetime,
    previous: IdentityState,
) -> Outcome:
    guard = Guardrails(records.persons, records.contexts, records.related, thresholds.generation_years)
    force = _in_force(decisions)
    apart = [p for p, d in force.items() if d.kind != DecisionKind.LINK] + list(records.related)
    clusters = Clusters(records.ids, apart)
    old_links = {link.pair: link for link in previous.links}
    links: dict[tuple[str, str], Link] = {}
    for key, decision in force.items():
        if decision.kind == DecisionKind.LINK and all(k in records.ids for k in key) and clusters.join(*key):
            kept = old_links.get(key)
            links[key] = (
                kept
                if kept is not None and kept.user
                else Link(*key, None, (), None, None, decision.user, decision.reason, decision.at)
            )
    candidates: dict[tuple[str, str], Candidate] = {}
    for left, right, probability, comparisons in sorted(scored, key=lambda s: (-s[2], s[0], s[1])):
        if left not in records.ids or right not in records.ids:
            continue
        reasons = guard.reasons(left, right)
        band = Band.LINK if probability >= thresholds.link else Band.REVIEW
        decided = (left, right) in force
        if band == Band.LINK and not reasons and not decided:
            if clusters.join(left, right, guard.conflict):
                kept = old_links.get((left, right))
                same = kept is not None and kept.user is None and kept.probability == probability
                links.setdefault(
                    (left, right),
                    kept
                    if same and kept
                    else Link(left, right, probability, comparisons, MODEL_NAME, MODEL_VERSION, None, None, now),
                )
            else:
                band, reasons = Band.REVIEW, (REFUSED,)
        elif band == Band.LINK:
            band = Band.REVIEW
        candidates[(left, right)] = Candidate(left, right, probability, comparisons, band, reasons, MODEL_NAME,
                                              MODEL_VERSION)  # fmt: skip
    members = records.naming.members(clusters.groups())
    queue = sum(1 for c in candidates.values() if is_queued(c, members, force))
    auto = sum(1 for link in links.values() if link.user is None)
    counts = Counts(len(records.ids), len(set(members.values())), auto, queue)
    return Outcome(candidates, links, members, counts)


def review_queue(state: IdentityState) -> list[Candidate]:
    """The queued candidate pairs of a store's identities, most likely first."""
    force = _in_force(state.decisions)
    members = dict(state.members)
    queue = [c for c in state.candidates if is_queued(c, members, force)]
    return sorted(queue, key=lambda c: (-c.probability, c.left, c.right))


def _changes(
    previous: IdentityState, outcome: Outcome, now: dt.datetime, decisions: tuple[Decision, ...] = ()
) -> IdentityChanges:
    old_links = {link.pair: link for link in previous.links}
    old_candidates = {c.pair: c for c in previous.candidates}
    new_ids = set(outcome.members.values())
    aliases = tuple(
        Alias(old, outcome.members[old], now)
        for old in sorted(set(previous.members.values()))
        if old not in new_ids and old in outcome.members
    )
    return IdentityChanges(
        links_added=tuple(link for key, link in outcome.links.items() if old_links.get(key) != link),
        links_removed=tuple(key for key in old_links if key not in outcome.links),
        candidates_added=tuple(c for key, c in outcome.candidates.items() if old_candidates.get(key) != c),
        candidates_removed=tuple(key for key in old_candidates if key not in outcome.candidates),
        members={r: i for r, i in outcome.members.items() if previous.members.get(r) != i},
        aliases=aliases,
        decisions=decisions,
    )


def _stored(state: IdentityState) -> list[Scored]:
    return [(c.left, c.right, c.probability, c.comparisons) for c in state.candidates]


#: The stages of a resolution a progress callback hears of: reading the records, scoring the
#: pairs, clustering them, writing the changes.
STAGES = 4


def resolve(
    store: Store,
    thresholds: Thresholds,
    *,
    fresh: Collection[str] | None = None,
    scorer: Scorer | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Resolve the store's records and write the changes. In full (every pair scored again)
    without ``fresh``; with ``fresh`` (records new or changed since the last resolution), only
    pairs with one of them are scored, and the stored candidates stand for the others, unless
    another record holds no blocking key (loaded without linking, copied, or stored before the
    keys were kept): no key could find it as a candidate, so the resolution is in full.
    ``progress`` is told of each of its :data:`STAGES` as it ends (minutes each at scale)."""
    advance = progress or (lambda done: None)
    at = now or dt.datetime.now(dt.UTC)
    score = (scorer or Scorer()).score
    if fresh is not None and not store.lacks_identity_keys(fresh):
        return _link_fresh(store, fresh, thresholds, score, at, advance)
    previous = store.identity_state()
    # Every record's features stay in DuckDB (held to its memory limit, spilling to disk):
    # Python holds only the scored pairs and the records in them.
    with engine() as db:
        frame = FeatureFrame.read(store, db)
        store.replace_identity_keys(None, stored_keys_of(db, FEATURES))
        advance(1)
        scored = list((scorer or Scorer()).score_table(db, FEATURES, thresholds.review))
        advance(1)
        paired = {record for s in scored for record in s[:2]} | {r for d in previous.decisions for r in d.pair}
        records = Records.read_paired(store, frame, paired)
    outcome = _cluster(records, scored, previous.decisions, thresholds, at, previous)
    advance(1)
    store.apply_identity_changes(_changes(previous, outcome, at))
    advance(1)
    return outcome.counts


def _link_fresh(
    store: Store,
    fresh: Collection[str],
    thresholds: Thresholds,
    score: Callable[..., Iterable[Scored]],
    at: dt.datetime,
    advance: Callable[[int], None],
) -> Counts:
    """Link the records ``fresh``: score the pairs of each with the records sharing a blocking
    key with it, then re-cluster only the records those pairs connect (through the stored
    pairs, decisions and identities); the rest of the store keeps its identities. The fresh
    records' blocking keys are written first, so that a later load finds them."""
    fresh_records = Records.read_of(store, fresh, naming=False)
    touched = set(fresh_records.ids)
    keys = blocking_keys(fresh_records.rows())
    store.replace_identity_keys(touched, ((key, record) for record, own in keys.own.items() for key in own))
    compared = touched | store.persons_with_identity_keys(set().union(*keys.sought.values()))
    rows = Records.read_of(store, compared, naming=False).rows()
    advance(1)
    new = list(score(rows, thresholds.review, touched, _frequencies(store, rows)))
    previous, around = _around(store, touched | {record for s in new for record in s[:2]})
    records = Records.read_of(store, around)
    scored = new + [s for s in _stored(previous) if s[0] not in touched and s[1] not in touched]
    advance(1)
    outcome = _cluster(records, scored, previous.decisions, thresholds, at, previous)
    advance(1)
    store.apply_identity_changes(_changes(previous, outcome, at))
    advance(1)
    return _totals(store)


def _around(store: Store, seeds: set[str]) -> tuple[IdentityState, set[str]]:
    """The stored identity facts of every record connected to ``seeds`` by a stored pair (link,
    candidate, decision) or an identity, and those records. Clustering joins only connected
    records, so re-clustering them alone gives what re-clustering every record gives."""
    links: dict[tuple[str, str], Link] = {}
    candidates: dict[tuple[str, str], Candidate] = {}
    decisions: dict[tuple[str, str], list[Decision]] = {}
    members: dict[str, str] = {}
    found: set[str] = set()
    frontier = set(seeds)
    while frontier:
        found |= frontier
        state = store.identity_state_around(frontier)
        links |= {link.pair: link for link in state.links}
        candidates |= {c.pair: c for c in state.candidates}
        read: dict[tuple[str, str], list[Decision]] = {}
        for decision in state.decisions:
            read.setdefault(decision.pair, []).append(decision)
        # A pair's decisions come whole, in order, from the first read naming either record.
        decisions = read | decisions
        members |= state.members
        frontier = (members.keys() | _named(state)) - found
    ordered = tuple(d for pair_decisions in decisions.values() for d in pair_decisions)
    return IdentityState(tuple(links.values()), tuple(candidates.values()), ordered, members), found


def _totals(store: Store) -> Counts:
    """The store's counts, as a full resolve gives them, from the stored identities."""
    records, merged, auto, queued = store.identity_totals()
    return Counts(records, records - merged, auto, queued)


def _named(state: IdentityState) -> set[str]:
    """The records a store's identity facts name in a pair."""
    pairs = [c.pair for c in state.candidates] + [link.pair for link in state.links]
    return {record for key in pairs + [d.pair for d in state.decisions] for record in key}


def _frequencies(store: Store, rows: list[dict[str, object]]) -> Frequencies:
    """Each name's frequency among every stored record (as Splink counts it over all of them),
    for the names of ``rows``, from the stored term-frequency keys."""
    columns = frequency_columns()
    # A name's keys depend on its value alone: each column's distinct values, side by side, not
    # every candidate's row (names repeat across candidates).
    values = {c: list(dict.fromkeys(row[c] for row in rows if row.get(c) is not None)) for c in columns}
    width = max((len(found) for found in values.values()), default=0)
    distinct = [
        {"unique_id": str(i)} | {c: found[i] if i < len(found) else None for c, found in values.items()}
        for i in range(width)
    ]
    wanted = blocking_keys(distinct, ()).frequency
    counts = store.identity_key_counts({key for keys in wanted.values() for key in keys.values()})
    found: Frequencies = {}
    for column, keys in wanted.items():
        total = counts.get(keys[None], 0)
        found[column] = {value: counts.get(key, 0) / total for value, key in keys.items() if value is not None}
    return found


def decide(store: Store, decision: Decision, thresholds: Thresholds) -> Counts:
    """Record a user's decision and re-cluster the stored candidates with it; raise
    :class:`IdentityError` for unknown records, a record decided about itself, a decision
    that contradicts another, or an ``undistinct`` with no distinct decision in force. After an
    ``undistinct`` the pair is undecided again: linked automatically if the model says so, else
    queued for review."""
    if decision.left == decision.right:
        raise IdentityError("a record cannot be decided about with itself")
    stored = store.person_first_loads(decision.pair)
    unknown = [r for r in (decision.left, decision.right) if r not in stored]
    if unknown:
        raise IdentityError(f"no record with id {unknown[0]!r}")
    # A decision changes only the identities connected to its two records.
    previous, around = _around(store, set(decision.pair))
    records = Records.read_of(store, around)
    standing = _in_force(previous.decisions).get(decision.pair)
    if decision.kind == DecisionKind.LINK and standing is not None and standing.kind == DecisionKind.DISTINCT:
        raise IdentityError("the link contradicts a distinct decision about these two records")
    if decision.kind == DecisionKind.UNDISTINCT and (standing is None or standing.kind != DecisionKind.DISTINCT):
        raise IdentityError("no distinct decision about these two records is in force: nothing to undo")
    outcome = _cluster(records, _stored(previous), (*previous.decisions, decision), thresholds, decision.at, previous)
    together = outcome.members[decision.left] == outcome.members[decision.right]
    if decision.kind == DecisionKind.UNLINK and previous.members.get(decision.left) != previous.members.get(
        decision.right
    ):
        raise IdentityError("the two records are not linked: nothing to unlink")
    if decision.kind == DecisionKind.LINK and not together:
        raise IdentityError(
            "the link contradicts a distinct or unlink decision, or a relationship, between these records' identities"
        )
    if decision.kind in (DecisionKind.DISTINCT, DecisionKind.UNLINK) and together:
        raise IdentityError("other link decisions still join these records: unlink those first")
    store.apply_identity_changes(_changes(previous, outcome, decision.at, (decision,)))
    return _totals(store)
