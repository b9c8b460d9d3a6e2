"""D2I's Standard Safeguarding Dataset in: a directory of CSV exports of the SSD tables.

Persons (with their NHS numbers from ``ssd_linked_identifiers``), birth mothers
(``ssd_mother``), households from shared addresses over time (``ssd_address``), sibling groups
(``ssd_family``), contacts, referrals (``ssd_cin_episodes``), assessments with their factors,
section 47 enquiries, and early help, child in need and child protection plans. The field
names are data (``graph/imports/ssd.toml``); docs/imports.md says what each becomes.

The tables stream: each is read when the load reaches the bundle file it feeds (agencies,
persons, households, memberships, relationships, referrals, assessments, plans), and its rows
are handed on in batches as they are mapped. Only the keys later tables need are held (who is
a mother or a child, each person's date of birth and NHS number, each sibling group's
members, each assessment's factors), never whole rows. :mod:`familynet.imports.worker` runs
the reading in a second process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from familynet.errors import BundleError, Problem
from familynet.imports.addresses import household_key, parse_address
from familynet.imports.ids import prefixed
from familynet.imports.loading import Agent
from familynet.imports.people import referral_source
from familynet.imports.ssd_tables import Output, Refused, Table, table_source
from familynet.imports.ssd_values import contact_outcome, factor_codes
from familynet.imports.staging import ListCounts, Part, Source
from familynet.imports.values import ValueProblem, code, mapping, sex, text_date, yes_no
from familynet.model.vocabulary import vocabulary

#: The columns of each bundle file the SSD fills. A person's columns a table lacks, and a
#: referral's or assessment's that the SSD cannot say, are not supplied (None: stored values stay).
_PERSON = ("person_id", "given_name", "family_name", "date_of_birth", "expected_date_of_birth", "sex",
           "date_of_death", "nhs_number", "recorded_by")  # fmt: skip
_HOUSEHOLD = ("household_id", "address", "postcode", "uprn")
_MEMBER = ("household_id", "person_id", "role", "start_date", "end_date", "recorded_by")
_RELATIONSHIP = ("person_id", "related_person_id", "type", "subtype", "parental_responsibility", "start_date",
                 "end_date", "recorded_by")  # fmt: skip
_REFERRAL = ("referral_id", "kind", "child_id", "received_on", "referrer_agency_id", "concerns", "outcome",
             "consent", "rag", "group_id")  # fmt: skip
_ASSESSMENT = ("assessment_id", "child_id", "referral_id", "kind", "started_on", "completed_on", "factors", "outcome")
_PLAN = ("plan_id", "child_id", "kind", "start_date", "end_date", "recorded_by")
#: Which bundle files an SSD table feeds (a table that feeds none is read for its counts).
_FEEDS = {
    "ssd_person": "persons", "ssd_address": "household_members", "ssd_mother": "relationships",
    "ssd_family": "relationships", "ssd_contacts": "referrals", "ssd_cin_episodes": "referrals",
    "ssd_cin_assessments": "assessments", "ssd_s47_enquiry": "assessments",
    "ssd_early_help_episodes": "plans", "ssd_cp_plans": "plans", "ssd_cin_plans": "plans",
}  # fmt: skip


def stage_ssd(directory: Path, agent: Agent, *, today: dt.date | None = None) -> SsdStream:
    """Read an SSD directory as batches of bundle rows, as the load asks for them.

    Raises :class:`~familynet.errors.BundleError` when ``directory`` is not a directory or
    lacks ``ssd_person.csv``; every other problem is named with its table, line and field.
    """
    if not directory.is_dir():
        raise BundleError("the SSD is not a directory")
    if not (directory / "ssd_person.csv").is_file():
        raise BundleError("the SSD directory lacks ssd_person.csv")
    return SsdStream(directory, agent, today or dt.date.today())


#: Sexes repeat a few values over many rows: each is read once (a refusal is raised afresh).
_sex = lru_cache(maxsize=256)(sex)


class SsdStream:
    """An SSD directory as parts of bundle files (:class:`~familynet.imports.staging.Staged`).

    The headers are read at once: a table that lacks a required field is refused whole, before
    anything loads (:attr:`problems`); the rows are read as :meth:`parts` is.
    """

    def __init__(self, directory: Path, agent: Agent, today: dt.date) -> None:
        self.agent = agent
        self.la = agent.la_code
        self.today = today.isoformat()
        self.child_years: int = mapping("ssd")["child_under_years"]
        self.counts: dict[str, ListCounts] = {}
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.tables: dict[str, Table] = {}
        #: What goes before a row's id: the LA code and, for a table of facts, its tag ("" for persons).
        self.prefixes: dict[str, str] = {"": prefixed(self.la, "")}
        for table, spec in mapping("ssd")["tables"].items():
            self.prefixes[table] = prefixed(self.la, f"{spec['tag']}-" if "tag" in spec else "")
            path = directory / f"{table}.csv"
            if path.is_file():
                self._header(table, spec, path)
        # The keys later tables need, gathered as tables are read.
        self.identifiers: dict[str, dict[str, str]] = {}
        self.mothers: set[str] = set()
        self.births: list[tuple[str, str, int]] = []
        self.children: set[str] = set()
        self.persons: set[str] = set()
        self.agencies: set[str] = set()
        #: Rows refused while reading tables that feed no bundle file yet (a malformed row of
        #: ``ssd_mother``): handed on with the first part of persons.
        self.pending: list[Problem] = []
        self.born: dict[str, str] = {}
        self.homes: dict[int, str] = {}
        self.factors: dict[str, list[str]] = {}
        self.referrers: dict[str, str | None] = {}

    def _header(self, table: str, spec: dict[str, Any], path: Path) -> None:
        source = table_source(table, spec, path)
        self.sources[source.name] = source
        self.counts[source.name] = ListCounts()
        found = Table.found(source, spec, path, self.problems)
        if found is not None:
            self.tables[table] = found

    def files(self) -> list[str]:
        """The bundle files this SSD feeds, in bundle order."""
        fed = {_FEEDS[t] for t in self.tables if t in _FEEDS} | {"persons"}
        if "household_members" in fed:
            fed.add("households")
        if {"ssd_contacts", "ssd_cin_episodes"} & set(self.tables):
            fed.add("agencies")
        order = ("agencies", "persons", "households", "household_members", "relationships", "referrals",
                 "assessments", "plans")  # fmt: skip
        return [file for file in order if file in fed]

    def parts(self) -> Iterator[Part]:
        """Every table's rows as parts of bundle files, in bundle order."""
        yield from self._agencies()
        self._keys("ssd_involvements", None)
        self._keys("ssd_linked_identifiers", self._identifier)
        self._keys("ssd_mother", self._mother)
        if self.pending:
            yield Part("persons", "ssd_person.csv", _PERSON, [], [], self.pending)
        yield from self._map("ssd_person", "persons", _PERSON, self._person)
        yield from self._households()
        yield from self._map("ssd_address", "household_members", _MEMBER, self._member, again=True)
        yield from self._mothers()
        yield from self._siblings()
        yield from self._map("ssd_contacts", "referrals", _REFERRAL, self._contact)
        yield from self._map("ssd_cin_episodes", "referrals", _REFERRAL, self._cin_episode)
        yield from self._factors()
        for table, kind in (("ssd_cin_assessments", "child_and_family"), ("ssd_s47_enquiry", "section_47")):
            yield from self._map(table, "assessments", _ASSESSMENT, self._assessment(table, kind))
        for table, kind in (
            ("ssd_early_help_episodes", "early_help"), ("ssd_cp_plans", "child_protection"),
            ("ssd_cin_plans", "child_in_need"),
        ):  # fmt: skip
            yield from self._map(table, "plans", _PLAN, self._plan(table, kind))

    # Reading tables.

    def _rows(self, table: str, problems: list[Problem], *, again: bool) -> Iterator[tuple[int, dict[str, str]]]:
        found = self.tables.get(table)
        if found is None:
            return iter(())
        return found.rows(None if again else self.counts[found.source.name], problems)

    def _map(
        self,
        table: str,
        file: str,
        columns: tuple[str, ...],
        cells: Callable[[int, dict[str, str]], list[str | None] | None],
        *,
        again: bool = False,
    ) -> Iterator[Part]:
        """The parts of ``file`` mapped from ``table``, a row at a time by ``cells`` (None: a
        row that adds nothing, such as a person already staged)."""
        found = self.tables.get(table)
        if found is None:
            return
        out = Output(file, found.source, columns)
        for line, values in self._rows(table, out.problems, again=again):
            try:
                row = cells(line, values)
            except Refused as refused:
                out.refuse(line, refused)
                continue
            if row is not None:
                yield from out.add(line, row)
        yield from out.rest()

    def _keys(self, table: str, keep: Callable[[int, dict[str, str]], None] | None) -> None:
        """Read a table for the keys later tables need (or, with None, only to count it: not mapped)."""
        found = self.tables.get(table)
        if found is None:
            return
        counts = self.counts[found.source.name]
        for line, values in found.rows(counts, self.pending):
            if keep is None:
                counts.not_mapped += 1
            else:
                keep(line, values)

    def read(self, reader: Callable[[str], Any], values: dict[str, str], name: str) -> Any:
        try:
            return reader(values.get(name, ""))
        except ValueProblem as problem:
            raise Refused(name, str(problem)) from None

    def id(self, values: dict[str, str], name: str = "person_id", table: str = "") -> str:
        """A person's id, or (with ``table``) the id of a row of ``table``: SSD tables number their
        rows each on its own, so a contact and a referral may share a number, and the table's tag
        (``ssd.toml``) keeps their facts apart."""
        value = values.get(name, "")
        return f"{self.prefixes[table]}{value}" if value else ""

    def is_child(self, person_id: str, day: str) -> bool:
        born = self.born.get(person_id)
        return born is not None and f"{int(born[:4]) + self.child_years:04d}{born[4:]}" > day

    # Agencies and persons.

    def _agencies(self) -> Iterator[Part]:
        """The agencies that stand for the sources of referral the contacts and referrals name,
        each staged by the first row that names it (a first look at one column of each)."""
        for table in ("ssd_contacts", "ssd_cin_episodes"):
            found = self.tables.get(table)
            if found is None or "source" not in found.names:
                continue
            out = Output("agencies", found.source, ("agency_id", "name", "kind"))
            for line, values in found.rows(None, []):
                cell = values["source"]
                if cell and cell not in self.referrers:
                    known = vocabulary().referral_source_codes
                    try:
                        agency = referral_source(self.agent, code(cell, known))
                    except ValueProblem:
                        self.referrers[cell] = None
                        continue
                    self.referrers[cell] = agency[0]
                    if agency[0] not in self.agencies:
                        self.agencies.add(agency[0])
                        yield from out.add(line, list(agency))
            yield from out.rest()

    def _identifier(self, line: int, values: dict[str, str]) -> None:
        field = mapping("ssd")["identifiers"].get(values["type"].lower())
        if field is None or values.get("valid_to"):
            self.counts["ssd_linked_identifiers.csv"].not_mapped += 1
            return
        self.identifiers.setdefault(self.id(values), {})[field] = values["value"]

    def _mother(self, line: int, values: dict[str, str]) -> None:
        mother, child = self.id(values, "mother_id"), self.id(values, "child_id")
        self.births.append((mother, child, line))
        self.mothers.add(mother)
        self.children.add(child)

    def _person(self, line: int, values: dict[str, str]) -> list[str | None] | None:
        person_id = self.id(values)
        if person_id in self.persons:
            return None  # the first row of a person speaks for them
        self.persons.add(person_id)
        cells = {"person_id": person_id, "recorded_by": self.agent.agency_id}
        for name in ("given_name", "family_name"):
            if name in values:
                cells[name] = values[name]
        if "sex" in values:
            cells["sex"] = self.read(_sex, values, "sex")
        for name in ("date_of_birth", "expected_date_of_birth", "date_of_death"):
            if name in values:
                cells[name] = self.read(text_date, values, name)
        cells.update(self.identifiers.get(person_id, {}))
        if cells.get("date_of_birth"):
            self.born[person_id] = cells["date_of_birth"]
        return [cells.get(column) for column in _PERSON]

    # Households and relationships.

    def _households(self) -> Iterator[Part]:
        """A household for each address, named by its UPRN or normalised text; the household of
        each row whose membership can be read is kept for the second pass (memberships)."""
        found = self.tables.get("ssd_address")
        if found is None:
            return
        out = Output("households", found.source, _HOUSEHOLD)
        staged: dict[str, str] = {}
        for line, values in found.rows(self.counts[found.source.name], out.problems):
            try:
                postcode = values.get("postcode", "")
                address = self.read(lambda cell: parse_address(cell, postcode), values, "address")  # noqa: B023
                key = household_key(address)
                household_id = staged.get(key)
                if household_id is None:
                    household_id = staged[key] = prefixed(self.la, f"H-{key}")
                    yield from out.add(line, [household_id, address.text, address.postcode, address.uprn])
                self.read(text_date, values, "start_date")
                self.read(text_date, values, "end_date")
            except Refused as refused:
                out.refuse(line, refused)
                continue
            self.homes[line] = household_id
        yield from out.rest()

    def _member(self, line: int, values: dict[str, str]) -> list[str | None] | None:
        household_id = self.homes.pop(line, None)
        if household_id is None:
            return None
        person_id = self.id(values)
        start = text_date(values.get("start_date", ""))
        role = (
            "parent" if person_id in self.mothers
            else "child" if person_id in self.children or self.is_child(person_id, start or self.today)
            else "other"
        )  # fmt: skip
        end = text_date(values.get("end_date", ""))
        return [household_id, person_id, role, start, end, self.agent.agency_id]

    def _mothers(self) -> Iterator[Part]:
        found = self.tables.get("ssd_mother")
        if found is None:
            return
        out = Output("relationships", found.source, _RELATIONSHIP)
        for mother, child, line in self.births:
            yield from out.add(line, [mother, child, "parent_of", "birth", "", "", "", self.agent.agency_id])
        yield from out.rest()

    def _siblings(self) -> Iterator[Part]:
        """Children of the same family group are siblings of a kind the SSD cannot say."""
        found = self.tables.get("ssd_family")
        if found is None:
            return
        families: dict[str, list[tuple[str, int]]] = {}
        out = Output("relationships", found.source, _RELATIONSHIP)
        for line, values in found.rows(self.counts[found.source.name], out.problems):
            families.setdefault(values["family_id"], []).append((self.id(values), line))
        pairs: set[tuple[str, str]] = set()
        for members in families.values():
            children = sorted(
                (p, line) for p, line in members
                if p not in self.mothers and (p in self.children or self.is_child(p, self.today))
            )  # fmt: skip
            for i, (first, _) in enumerate(children):
                for second, line in children[i + 1 :]:
                    if (first, second) not in pairs:
                        pairs.add((first, second))
                        yield from out.add(
                            line, [first, second, "sibling_of", "unknown", "", "", "", self.agent.agency_id]
                        )
        yield from out.rest()

    # Referrals, assessments and plans.

    def _referral(self, table: str, kind: str, values: dict[str, str], outcome: str | None) -> list[str | None]:
        referrer = ""
        cell = values.get("source", "")
        if cell:
            referrer = self.referrers.get(cell) or ""
            if not referrer:
                raise Refused("source", "not a known code")
        received = self.read(text_date, values, "date")
        # concerns, consent, RAG and group: the SSD cannot say them.
        return [self.id(values, "id", table), kind, self.id(values), received, referrer, None, outcome, *(None,) * 3]

    def _contact(self, line: int, values: dict[str, str]) -> list[str | None]:
        outcome = self.read(contact_outcome, values, "outcome")
        return self._referral("ssd_contacts", "contact", values, outcome or None)

    def _cin_episode(self, line: int, values: dict[str, str]) -> list[str | None]:
        nfa = self.read(yes_no, values, "nfa")
        return self._referral("ssd_cin_episodes", "referral", values, "nfa" if nfa else None)

    def _factors(self) -> Iterator[Part]:
        found = self.tables.get("ssd_assessment_factors")
        if found is None:
            return
        out = Output("assessments", found.source, _ASSESSMENT)
        for line, values in found.rows(self.counts[found.source.name], out.problems):
            try:
                codes = self.read(factor_codes, values, "factors")
            except Refused as refused:
                out.refuse(line, refused)
                continue
            self.factors.setdefault(self.id(values, "assessment_id", "ssd_cin_assessments"), []).extend(codes)
        yield from out.rest()

    def _assessment(self, table: str, kind: str) -> Callable[[int, dict[str, str]], list[str | None]]:
        def cells(line: int, values: dict[str, str]) -> list[str | None]:
            assessment_id = self.id(values, "id", table)
            nfa = self.read(yes_no, values, "nfa")
            started = self.read(text_date, values, "date")
            completed = self.read(text_date, values, "end")
            return [assessment_id, self.id(values), self.id(values, "referral_id", "ssd_cin_episodes"), kind, started,
                    completed, ";".join(self.factors.get(assessment_id, ())), "nfa" if nfa else None]  # fmt: skip

        return cells

    def _plan(self, table: str, kind: str) -> Callable[[int, dict[str, str]], list[str | None]]:
        def cells(line: int, values: dict[str, str]) -> list[str | None]:
            start = self.read(text_date, values, "date")
            end = self.read(text_date, values, "end")
            return [self.id(values, "id", table), self.id(values), kind, start, end, self.agent.agency_id]

        return cells
