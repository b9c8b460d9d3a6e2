"""The safeguarding rules of familynet, as NetworkX analyses over family graphs.

Every rule is defined once here and runs on any :class:`networkx.MultiDiGraph`
built per :mod:`familynet.model.network` — a store's family network or cohort batch,
or a graph built by hand in a notebook. Rules walk outward from the subject, so a
subject's answer is the same whether the graph holds its family alone or many.
The definitions, parameters and JSON fields are in ``docs/rules.md``.

- People and households on a date: :func:`date_of_birth_used`, :func:`is_unborn`,
  :func:`is_child`, :func:`is_in_scope`, :func:`recorded_households`, :func:`siblings`.
- :func:`household_context`: a child's household, parents, siblings, significant
  adults, agencies, timeline and flags on a date.
- Audits over :meth:`familynet.stores.Store.cohort` batches:
  :func:`sibling_coverage` (audit 1), :func:`repeat_referrals` (audit 2, with
  escalation, also alone as :func:`escalations`), :func:`missing_members` (audit 3); each has a
  per-subject form.
- Beyond the audits: :func:`family_components`, :func:`linked_adults`, :func:`family_path`.
- :data:`AUDITS`: each audit declared once (:class:`Audit`: function, parameters, cohort,
  rows, key messages), which the CLI, the GraphQL API and the reports follow;
  :func:`all_audits` runs them all over one reading of the cohort, and
  :func:`all_audits_in_workers` the same with the cohort shared out among processes.
- :func:`serialise`: the one JSON shape of every result; :data:`READS_MENTIONS`: which
  mentions each audit's rules read, so the cohort it asks for (:func:`audit_cohort`)
  holds no others.

>>> import datetime as dt
>>> from familynet.model.network import FamilyGraphBuilder
>>> b = FamilyGraphBuilder()
>>> b.person("C", date_of_birth="2016-03-01")
>>> serialise(household_context(b.graph, "C", dt.date(2024, 1, 1)))["flags"][0]["kind"]
'father_not_recorded'
"""

from __future__ import annotations

from familynet.analyses.adults import LinkedAdult, SignificantAdult, linked_adults, significant_adults
from familynet.analyses.audits import (
    ALL,
    ALL_MENTIONS,
    ALL_PARAMETERS,
    AUDITS,
    AllAudits,
    all_audits,
    audit_cohort,
    audit_named,
    reads_mentions,
)
from familynet.analyses.cohort import CohortSource, PeriodError
from familynet.analyses.components import family_components, family_view
from familynet.analyses.context import (
    AgencyView,
    HouseholdContext,
    HouseholdView,
    ParentView,
    TimelineEvent,
    household_context,
    with_history,
)
from familynet.analyses.coverage import CoverageRow, CoveredSibling, SiblingCoverage, coverage_rows, sibling_coverage
from familynet.analyses.declaration import Audit, Parameter
from familynet.analyses.escalation import Escalation, Escalations, escalation, escalations
from familynet.analyses.facts import is_active
from familynet.analyses.households import (
    Membership,
    members,
    memberships,
    other_agency_households,
    recorded_households,
)
from familynet.analyses.missing import (
    KINDS,
    Evidence,
    Finding,
    MissingMembers,
    child_findings,
    findings_on,
    mention_findings,
    missing_members,
)
from familynet.analyses.parameters import ParameterError
from familynet.analyses.paths import PathStep, family_path
from familynet.analyses.people import (
    birth_parents,
    date_of_birth_used,
    is_adult,
    is_alive,
    is_child,
    is_confidential,
    is_in_scope,
    is_infant,
    is_unborn,
    parents,
    partners,
)
from familynet.analyses.previously import PreviouslyRecorded
from familynet.analyses.referrals import Assessment, Referral, assessments_of, categories, referrals_about
from familynet.analyses.rereferrals import ReferralHistory, RepeatReferrals, referral_histories, repeat_referrals
from familynet.analyses.serialisation import SerialisationError, serialise
from familynet.analyses.siblings import Sibling, siblings
from familynet.analyses.workers import all_audits_in_workers

#: Which ``MENTIONS`` facts each audit's rules read, as :meth:`Store.cohort
#: <familynet.stores.Store.cohort>` takes them (each :class:`Audit` declares it). Those that
#: read none give the same answers on a cohort extracted without them (``mentions=False``),
#: which is over half the edges of a batch; audit 3 reads only the mentions in its cohort's
#: own contacts and referrals (``mentions="cohort"``): over one year of the synthetic bundle, a sixth of them.
READS_MENTIONS = reads_mentions()

__all__ = [
    "ALL",
    "ALL_MENTIONS",
    "ALL_PARAMETERS",
    "AUDITS",
    "KINDS",
    "READS_MENTIONS",
    "AgencyView",
    "AllAudits",
    "Assessment",
    "Audit",
    "CohortSource",
    "CoverageRow",
    "CoveredSibling",
    "Escalation",
    "Escalations",
    "Evidence",
    "Finding",
    "HouseholdContext",
    "HouseholdView",
    "LinkedAdult",
    "Membership",
    "MissingMembers",
    "Parameter",
    "ParameterError",
    "ParentView",
    "PathStep",
    "PeriodError",
    "PreviouslyRecorded",
    "Referral",
    "ReferralHistory",
    "RepeatReferrals",
    "SerialisationError",
    "Sibling",
    "SiblingCoverage",
    "SignificantAdult",
    "TimelineEvent",
    "all_audits",
    "all_audits_in_workers",
    "assessments_of",
    "audit_cohort",
    "audit_named",
    "birth_parents",
    "categories",
    "child_findings",
    "coverage_rows",
    "date_of_birth_used",
    "escalation",
    "escalations",
    "family_components",
    "family_path",
    "family_view",
    "findings_on",
    "household_context",
    "is_active",
    "is_adult",
    "is_alive",
    "is_child",
    "is_confidential",
    "is_in_scope",
    "is_infant",
    "is_unborn",
    "linked_adults",
    "members",
    "memberships",
    "mention_findings",
    "missing_members",
    "other_agency_households",
    "parents",
    "partners",
    "recorded_households",
    "referral_histories",
    "referrals_about",
    "repeat_referrals",
    "serialise",
    "sibling_coverage",
    "siblings",
    "significant_adults",
    "with_history",
]
