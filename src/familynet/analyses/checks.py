"""Audit 5 — multi-agency checks.

Cohort: contacts and referrals of any kind received in [from, to] whose subject is in
scope. Per item R, received on r: the checks the MASH made for it (each ``timely``
when requested no later than R's decision, ``returned`` when also answered by then),
the agencies involved with the child on r (other than the home agency and R's own
referrer) with each basis that holds, and those ``unasked``: involved, with no timely
check on R. The home agency (the authority whose MASH this is) is ``home_agency``: the CLI,
the GraphQL API and ``audit all`` give the store's only agency of kind social_care by default
(:mod:`familynet.analyses.home`); run over batches alone without it, the only one among them.

>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.agency("SC", kind="social_care"); b.agency("HEA", kind="health")
>>> b.person("C", date_of_birth="2015-01-01")
>>> b.household("H"); b.membership("C", "H", role="child", recorded_by="HEA")
>>> b.referral("R1", "C", received_on="2025-03-03", referrer_agency_id="SC")
>>> found = multi_agency_checks([CohortBatch(("C",), b.graph)], dt.date(2025, 3, 1), dt.date(2025, 3, 31))
>>> [(a.agency_id, a.bases) for a in found.rows[0].unasked]
[('HEA', ('child_membership',))]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import networkx as nx

from familynet.analyses.cohort import share, subjects
from familynet.analyses.declaration import (
    ADULT_AGE,
    INFANT_AGE,
    Audit,
    ChildRow,
    Chosen,
    Parameter,
    RowsResult,
    number,
    share_text,
)
from familynet.analyses.facts import agency_kind, either_facts, in_facts, is_active, node_id, out_facts
from familynet.analyses.households import recorded_households
from familynet.analyses.measures import counts, group
from familynet.analyses.parameters import ParameterError
from familynet.analyses.referrals import Referral, checks_for, referrals_in_scope
from familynet.analyses.siblings import siblings
from familynet.model.cohort import CohortBatch
from familynet.model.dates import months_before
from familynet.model.network import household_node, person_node
from familynet.model.vocabulary import vocabulary

#: The bases on which an agency is involved with a child, in report order.
BASES = ("child_membership", "household_membership", "prior_referral", "relationship")


@dataclass(frozen=True)
class CheckMade:
    """A check the MASH made for an item, and whether it informed the decision."""

    check_id: str
    agency_id: str
    agency_kind: str | None
    requested_at: dt.datetime | None
    responded_at: dt.datetime | None
    response: str | None
    timely: bool
    """Requested, and (when the item has a decided_at) no later than it."""
    returned: bool
    """Timely, answered, and (when the item has a decided_at) answered no later than it."""


@dataclass(frozen=True)
class InvolvedAgency:
    """An agency involved with the child on the item's date, and on what bases."""

    agency_id: str
    agency_kind: str | None
    bases: tuple[str, ...]


@dataclass(frozen=True)
class ChecksRow(ChildRow):
    """One contact or referral of the cohort: its checks, the agencies involved, and those unasked."""

    HEADER: ClassVar[tuple[str, ...]] = (
        "referral_id", "child_id", "kind", "received_on", "decided_at", "referrer_agency_id", "checks",
        "involved_agencies", "unasked", "checks_supplied",
    )  # fmt: skip

    referral_id: str
    child_id: str
    kind: str
    received_on: dt.date
    decided_at: dt.datetime | None
    referrer_agency_id: str | None
    checks: tuple[CheckMade, ...]
    involved_agencies: tuple[InvolvedAgency, ...]
    unasked: tuple[InvolvedAgency, ...]
    checks_supplied: bool = True
    """Whether a load that held checks.csv loaded the item: when not, its checks are not known,
    so it has none listed and no agency unasked, and is counted in ``not_supplied``."""

    def cells(self) -> tuple[Any, ...]:
        """Simple values for a table row: checks as ``agency:timely/returned``, agencies as ``agency(bases)``."""
        return (
            self.referral_id, self.child_id, self.kind, self.received_on, self.decided_at, self.referrer_agency_id,
            tuple(f"{c.agency_id}:{'timely' if c.timely else 'late'}{'/returned' if c.returned else ''}"
                  for c in self.checks),
            tuple(f"{a.agency_id}({','.join(a.bases)})" for a in self.involved_agencies),
            tuple(a.agency_id for a in self.unasked), self.checks_supplied,
        )  # fmt: skip


class MultiAgencyChecks(RowsResult[ChecksRow]):
    """The result of audit 5 over a period."""


def _check(check: Any, decided: dt.datetime | None) -> CheckMade:
    requested, responded = check.requested_at, check.responded_at
    timely = requested is not None and (decided is None or requested <= decided)
    returned = timely and responded is not None and (decided is None or responded <= decided)
    return CheckMade(
        check.check_id, check.agency_id, check.agency_kind, requested, responded, check.response, timely, returned
    )


def involved_agencies(
    graph: nx.MultiDiGraph,
    child_id: str,
    day: dt.date,
    *,
    prior_months: int,
    adult_age: int,
    infant_age: int,
) -> dict[str, set[str]]:
    """Every agency involved with the child on ``day``, with its bases (home and referrer included)."""
    found: dict[str, set[str]] = {}

    def add(agency: object, basis: str) -> None:
        if isinstance(agency, str):
            found.setdefault(agency, set()).add(basis)

    child = person_node(child_id)
    for _, attrs in out_facts(graph, child, "MEMBER_OF"):
        if is_active(attrs, day):
            add(attrs.get("recorded_by"), "child_membership")
    for household in recorded_households(graph, child_id, day, infant_age=infant_age):
        for _, attrs in graph._pred[household_node(household)].items():
            for fact in attrs.values():
                if fact.get("type") == "MEMBER_OF" and is_active(fact, day):
                    add(fact.get("recorded_by"), "household_membership")
    opens = months_before(day, prior_months)
    family = [
        child_id,
        *(s.person_id for s in siblings(graph, child_id, day, adult_age=adult_age, infant_age=infant_age)),
    ]
    nodes = graph._node
    for person_id in family:
        # Only the referrer of each earlier contact or referral: read from its node, not built into
        # a Referral (whose other fields, and the window of each day, no other rule shares).
        for key, _ in in_facts(graph, person_node(person_id), "ABOUT"):
            prior = nodes[key]
            if opens <= prior["received_on"] < day:
                add(prior.get("referrer_agency_id"), "prior_referral")
    for edge_type in ("PARENT_OF", "PARTNER_OF", "SIBLING_OF"):
        for _, attrs in either_facts(graph, child, edge_type):
            if is_active(attrs, day):
                add(attrs.get("recorded_by"), "relationship")
    return found


def _involved(graph: nx.MultiDiGraph, agencies: dict[str, set[str]]) -> tuple[InvolvedAgency, ...]:
    return tuple(
        InvolvedAgency(agency, agency_kind(graph, agency), tuple(b for b in BASES if b in bases))
        for agency, bases in sorted(agencies.items())
    )


def checks_row(
    graph: nx.MultiDiGraph, referral: Referral, *, prior_months: int, adult_age: int, infant_age: int
) -> ChecksRow:
    """Audit 5 for one contact or referral, before the home agency is known: every involved agency
    but its referrer (:func:`without_home` then drops the home agency)."""
    decided = referral.decided_at if referral.has("decided_at") else None
    supplied = referral.has("checks")
    made = tuple(_check(c, decided) for c in checks_for(graph, referral.referral_id)) if supplied else ()
    agencies = involved_agencies(
        graph, referral.child_id, referral.received_on, prior_months=prior_months, adult_age=adult_age,
        infant_age=infant_age,
    )  # fmt: skip
    agencies.pop(referral.referrer_agency_id or "", None)
    involved = _involved(graph, agencies)
    asked = {c.agency_id for c in made if c.timely}
    return ChecksRow(
        referral.referral_id, referral.child_id, referral.kind, referral.received_on, decided,
        referral.referrer_agency_id, made, involved,
        tuple(a for a in involved if a.agency_id not in asked) if supplied else (), supplied,
    )  # fmt: skip


def without_home(row: ChecksRow, home: str) -> ChecksRow:
    """The row with the home agency dropped from its involved and unasked agencies."""
    return dataclasses.replace(
        row,
        involved_agencies=tuple(a for a in row.involved_agencies if a.agency_id != home),
        unasked=tuple(a for a in row.unasked if a.agency_id != home),
    )


def _social_care(graph: nx.MultiDiGraph) -> set[str]:
    kind = vocabulary().record_agency_kind
    return {
        node_id(key)
        for key, attrs in graph.nodes(data=True)
        if attrs.get("label") == "Agency" and attrs.get("kind") == kind
    }


def home_of(candidates: set[str], home_agency: str | None) -> str:
    """The home agency: the one given, or else the only social care agency of the cohort (for a caller
    with no store: the CLI and the service give the store's, :func:`familynet.analyses.home.home_agency`)."""
    if home_agency is not None:
        return home_agency
    if len(candidates) != 1:
        raise ParameterError(
            f"the cohort holds {len(candidates)} agencies of kind social_care: give home_agency (--home-agency)"
        )
    return next(iter(candidates))


def checks_summary(rows: tuple[ChecksRow, ...]) -> dict[str, Any]:
    """The totals of audit 5."""
    made = [c for r in rows for c in r.checks]
    timely = [c for c in made if c.timely]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({group(c.agency_kind) for c in timely}):
        mine = [c for c in timely if group(c.agency_kind) == kind]
        returned = sum(c.returned for c in mine)
        by_kind[kind] = {
            "timely": len(mine),
            "returned": share(returned, len(mine)),
            "not_returned": len(mine) - returned,
        }
    unasked = [a for r in rows for a in r.unasked]
    known = [r for r in rows if r.checks_supplied]
    return {
        "items": len(rows),
        "not_supplied": {"checks": len(rows) - len(known)},
        "checks": len(made),
        "items_with_timely_check": share(sum(any(c.timely for c in r.checks) for r in known), len(known)),
        "timely_checks": len(timely),
        "returned_checks": share(sum(c.returned for c in timely), len(timely)),
        "by_agency_kind": by_kind,
        "late_checks": sum(c.requested_at is not None and not c.timely for c in made),
        "items_with_unasked_agency": share(sum(bool(r.unasked) for r in known), len(known)),
        "unasked_by_agency_kind": counts(group(a.agency_kind) for a in unasked),
        "unasked_by_basis": {basis: sum(basis in a.bases for a in unasked) for basis in BASES},
    }


def checks_found(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, chosen: Chosen
) -> list[ChecksRow | set[str]]:
    """Audit 5 for the subjects of some cohort batches, in any order: their rows and, unless
    ``home_agency`` is given, each batch's agencies of kind social_care (the candidates for it)."""
    per_row = {name: chosen[name] for name in ("prior_months", "adult_age", "infant_age")}
    found: list[ChecksRow | set[str]] = []
    seen: nx.MultiDiGraph | None = None
    for graph, child_id in subjects(batches):
        if chosen["home_agency"] is None and graph is not seen:  # once a batch: its subjects share its graph
            found.append(_social_care(graph))
            seen = graph
        found += [
            checks_row(graph, r, **per_row)
            for r in referrals_in_scope(graph, child_id, adult_age=chosen["adult_age"], received=(start, end))
        ]
    return found


def checks_result(
    found: Iterable[ChecksRow | set[str]], start: dt.date, end: dt.date, chosen: Chosen
) -> MultiAgencyChecks:
    """Audit 5 from what :func:`checks_found` found over every batch of the cohort."""
    rows: list[ChecksRow] = []
    candidates: set[str] = set()
    for item in found:
        if isinstance(item, ChecksRow):
            rows.append(item)
        else:
            candidates |= item
    home = home_of(candidates, chosen["home_agency"]) if rows else chosen["home_agency"]
    ordered = tuple(
        sorted((without_home(r, home) if home else r for r in rows), key=lambda r: (r.received_on, r.referral_id))
    )
    parameters = {**chosen, "home_agency": home}
    return MultiAgencyChecks(start, end, parameters, ordered, checks_summary(ordered))


def multi_agency_checks(
    batches: Iterable[CohortBatch], start: dt.date, end: dt.date, **parameters: Any
) -> MultiAgencyChecks:
    """Audit 5 over the cohort batches of ``[start, end]`` (from :meth:`Store.cohort`); parameters as
    :data:`AUDIT` declares them."""
    result: MultiAgencyChecks = AUDIT(batches, start, end, **parameters)
    return result


def checks_messages(result: MultiAgencyChecks) -> tuple[str, ...]:
    """Audit 5's key messages."""
    s = result.summary

    def said(found: dict[str, Any]) -> str:
        return share_text(found["n"], found["of"], found["percent"])

    messages = [
        f"{said(s['items_with_timely_check'])} contacts and referrals had at least one check made before the decision.",
        f"{said(s['returned_checks'])} timely checks were answered before the decision; "
        f"{number(s['late_checks'])} checks were requested after it.",
        f"{said(s['items_with_unasked_agency'])} contacts and referrals had an involved agency (other than the home "
        f"agency, {result.parameters['home_agency']}) that was not asked.",
    ]
    if s["not_supplied"]["checks"]:
        messages.append(f"MASH checks not supplied for {number(s['not_supplied']['checks'])} of "
                        f"{number(s['items'])} items: they are not counted above.")  # fmt: skip
    if s["items"] > s["not_supplied"]["checks"] and not s["checks"]:
        messages.append("No checks are recorded for the period: if checks were not supplied, the unasked agencies "
                        "above say only who was involved.")  # fmt: skip
    return tuple(messages)


AUDIT = Audit(
    name="checks",
    field="multiAgencyChecks",
    heading="Audit 5 — multi-agency checks",
    description="Audit 5: the MASH's checks with other agencies, and the involved agencies not asked.",
    help="Per in-scope contact or referral received in the period: each check with whether it was timely and "
    "returned, the agencies involved with the child (membership, household, prior referral, relationship) and "
    "those not asked. Summary by agency kind and by basis.",
    run=multi_agency_checks,
    collect=checks_found,
    finish=checks_result,
    parameters=(
        Parameter(
            "home_agency",
            None,
            "The agency whose MASH this is; by default the store's only agency of kind social_care (an error when "
            "it holds several or none).",
        ),
        Parameter(
            "prior_months", 12, "Calendar months back in which a referrer of the child or a sibling is involved."
        ),
        ADULT_AGE,
        INFANT_AGE,
    ),
    mentions=False,
    result=MultiAgencyChecks,
    row=ChecksRow,
    rows=lambda result: result.rows,
    key_messages=checks_messages,
)
