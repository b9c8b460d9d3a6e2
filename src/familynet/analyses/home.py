"""The home agency of audit 5: the authority whose MASH this is, chosen from the store's agencies.

Audit 5 leaves the home agency out of the agencies involved with a child. By default it
is the only agency of kind social_care *in the store*, not among the cohort's family
networks: a cohort whose only children's services are another authority's (a family who
moved in, Southampton §8) must not make that authority "home". The CLI, the GraphQL
API and ``familynet audit all`` resolve it here, before the audit reads its cohort.

>>> from familynet.model.records import Agency
>>> class Agencies:
...     def __init__(self, *agencies: Agency) -> None:
...         self.agencies = list(agencies)
...     def facts(self, file: str) -> Iterator[list[Agency]]:
...         yield self.agencies
>>> one = Agencies(Agency("SC", "Home", "social_care"), Agency("POL", "Police", "police"))
>>> with_home_agency({"home_agency": None, "prior_months": 12}, one)
{'home_agency': 'SC', 'prior_months': 12}
>>> with_home_agency({"home_agency": None}, Agencies(Agency("POL", "Police", "police")))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
familynet.analyses.parameters.ParameterError: the store holds no agency of kind social_care: give home_agency ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from familynet.analyses.parameters import ParameterError
from familynet.model.records import Agency
from familynet.model.vocabulary import vocabulary

#: The parameter this module resolves, as audit 5 declares it.
HOME_AGENCY = "home_agency"


class AgencyRecords(Protocol):
    """What the home agency is read from: a store's records of a bundle file (:meth:`Store.facts
    <familynet.stores.protocol.Store.facts>`), of which only ``agencies`` is asked for."""

    def facts(self, file: str) -> Iterator[Sequence[object]]: ...


def home_agency(agencies: Iterable[Agency], given: str | None) -> str:
    """The home agency among ``agencies`` (every agency of the store): ``given``, which must be one
    of them, or else the only one of kind social_care. ParameterError otherwise (no personal data:
    agency ids and counts only).

    >>> two = [Agency("SC", "Home", "social_care"), Agency("SC2", "Away", "social_care")]
    >>> home_agency(two, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    familynet.analyses.parameters.ParameterError: the store holds 2 agencies of kind social_care (SC, SC2): give ...
    >>> home_agency(two, "SC2")
    'SC2'
    >>> home_agency([Agency("SC", "Home", "social_care")], "SC9")
    Traceback (most recent call last):
    ...
    familynet.analyses.parameters.ParameterError: home_agency SC9 is not an agency of the store
    """
    stored = {a.agency_id: a.kind for a in agencies}
    if given is not None:
        if given not in stored:
            raise ParameterError(f"home_agency {given} is not an agency of the store")
        return given
    kind = vocabulary().record_agency_kind
    candidates = sorted(agency for agency, its_kind in stored.items() if its_kind == kind)
    if len(candidates) == 1:
        return candidates[0]
    # Agency ids are not personal data: naming them tells the auditor what to choose from.
    found = (
        f"{len(candidates)} agencies of kind {kind} ({', '.join(candidates)})"
        if candidates
        else f"no agency of kind {kind}"
    )
    raise ParameterError(f"the store holds {found}: give {HOME_AGENCY} (--home-agency)")


def with_home_agency(parameters: Mapping[str, Any], store: AgencyRecords) -> dict[str, Any]:
    """``parameters`` with ``home_agency`` resolved (:func:`home_agency`) from the agencies of
    ``store``; parameters without it (another audit's) as they are, and the store not read."""
    if HOME_AGENCY not in parameters:
        return dict(parameters)
    agencies = (r for batch in store.facts("agencies") for r in batch if isinstance(r, Agency))
    return {**parameters, HOME_AGENCY: home_agency(agencies, parameters[HOME_AGENCY])}
