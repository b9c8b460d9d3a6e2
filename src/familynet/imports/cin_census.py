"""The DfE Children in Need census XML in: each child, their referrals (``CINdetails``), the
assessments, section 47 enquiries, child protection plans and child in need plans of each.

The file is checked against the schema of its collection year (``graph/imports/cin_census.toml``
and the ``.xsd`` files beside it) before anything is read; a year without a schema is refused.
docs/imports.md says what each element becomes.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from familynet.errors import BundleError, Problem
from familynet.imports.ids import Derived, prefixed
from familynet.imports.loading import Agent
from familynet.imports.people import source_agency, stage_child
from familynet.imports.staging import Staging
from familynet.imports.values import ValueProblem, code, mapping, sex, yes_no
from familynet.model.vocabulary import vocabulary
from familynet.resources import resource_dir

#: A schema error whose message may quote the value refused; any other names elements only.
_QUIET = "value not allowed by the schema here (its type, pattern or code list)"
_STRUCTURE = {"SCHEMAV_ELEMENT_CONTENT", "SCHEMAV_CVC_COMPLEX_TYPE_2_4", "SCHEMAV_CVC_ELT_1"}


#: The elements a fact inside a referral's CINdetails refers to, relative to it.
_UP = {"referral_id": "../CINreferralDate", "child_id": "../../ChildIdentifiers/LAchildID"}


def _parser() -> etree.XMLParser:
    # No entities, no DTDs, no network: a census file is data, never instructions to fetch more.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def census_children(path: Path, agent: Agent) -> set[str]:
    """The ``LAchildID`` of every child of a CIN census file (checked as :func:`stage_cin_census` does)."""
    return {_text(child, "ChildIdentifiers/LAchildID") for child in _checked(path, agent).iterfind("Children/Child")}


def stage_cin_census(path: Path, agent: Agent) -> Staging:
    """Check a CIN census file against its year's schema and read it into bundle rows.

    Raises :class:`~familynet.errors.BundleError` for a file that is not XML, whose year has no
    schema, that is for another local authority, or that fails its schema (every failure named
    by line and element path, never by value).
    """
    root = _checked(path, agent)
    spec = mapping("cin_census")["years"][(root.findtext("Header/CollectionDetails/Year") or "").strip()]
    reader = _Reader(agent, spec["sex"])
    for child in root.iterfind("Children/Child"):
        reader.child(child)
    return reader.staging


def _checked(path: Path, agent: Agent) -> etree._Element:
    """The root of a census file that is well-formed, of a known year, valid against that
    year's schema and of ``agent``'s local authority; else :class:`BundleError`."""
    name = path.name
    try:
        tree = etree.parse(str(path), _parser())
    except (OSError, etree.XMLSyntaxError) as error:
        line = getattr(error, "lineno", 0) or 0
        raise BundleError(
            "the file is not well-formed XML", (Problem(name, line, "", "not well-formed XML"),)
        ) from None
    root = tree.getroot()
    year = (root.findtext("Header/CollectionDetails/Year") or "").strip()
    years = mapping("cin_census")["years"]
    if year not in years:
        raise BundleError(
            f"the file's collection year (Header/CollectionDetails/Year) is {year or 'missing'}; familynet has "
            f"the CIN census schemas of the years {sorted(years)} (graph/imports/cin_census.toml)"
        )
    spec = years[year]
    schema = etree.XMLSchema(etree.parse(str(resource_dir("graph") / "imports" / spec["schema"]), _parser()))
    if not schema.validate(tree):
        problems = tuple(
            Problem(name, error.line, error.path or "", error.message if error.type_name in _STRUCTURE else _QUIET)
            for error in schema.error_log  # type: ignore[attr-defined]
        )
        raise BundleError(f"the file fails the CIN census schema of {year}; nothing was loaded", problems)
    lea = (root.findtext("Header/Source/LEA") or "").strip()
    if lea != agent.la_code:
        raise BundleError(f"the file is the return of local authority {lea}, not of --la-code {agent.la_code}")
    return root


def _given(column: str, value: str) -> dict[str, str]:
    """A cell, when the census says something of it (an unsaid one is not supplied: a stored
    value stays)."""
    return {column: value} if value else {}


def _line(element: etree._Element) -> int:
    line: object = element.sourceline
    return line if isinstance(line, int) else 0


def _text(element: etree._Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


class _Reader:
    def __init__(self, agent: Agent, sex_element: str) -> None:
        self.agent = agent
        self.sex_element = sex_element
        self.staging = Staging()
        self.ids = Derived(agent.la_code)
        s = self.staging
        self.children = s.source(
            "Child",
            {
                "person_id": "ChildIdentifiers/LAchildID", "date_of_birth": "ChildIdentifiers/PersonBirthDate",
                "expected_date_of_birth": "ChildIdentifiers/ExpectedPersonBirthDate",
                "sex": f"ChildIdentifiers/{sex_element}", "date_of_death": "ChildIdentifiers/PersonDeathDate",
            },
        )  # fmt: skip
        self.details = s.source(
            "CINdetails",
            {"received_on": "CINreferralDate", "referrer_agency_id": "ReferralSource", "outcome": "ReferralNFA",
             "child_id": "../ChildIdentifiers/LAchildID"},
        )  # fmt: skip
        self.assessments = s.source(
            "Assessments",
            {"started_on": "AssessmentActualStartDate", "completed_on": "AssessmentAuthorisationDate",
             "factors": "FactorsIdentifiedAtAssessment/AssessmentFactors", **_UP},
        )  # fmt: skip
        self.enquiries = s.source(
            "Section47", {"started_on": "S47ActualStartDate", "outcome": "ICPCnotRequired", **_UP}
        )
        self.cp_plans = s.source(
            "ChildProtectionPlans", {"start_date": "CPPstartDate", "end_date": "CPPendDate", **_UP}
        )
        self.cin_plans = s.source(
            "CINPlanDates", {"start_date": "CINPlanStartDate", "end_date": "CINPlanEndDate", **_UP}
        )

    def child(self, child: etree._Element) -> None:
        s = self.staging
        s.read(self.children)
        row = _line(child)
        local = _text(child, "ChildIdentifiers/LAchildID")
        person_id = prefixed(self.agent.la_code, local)
        # The schema allows only the codes common.toml maps: sex() cannot refuse a valid file's.
        cells = {
            "date_of_birth": _text(child, "ChildIdentifiers/PersonBirthDate"),
            "expected_date_of_birth": _text(child, "ChildIdentifiers/ExpectedPersonBirthDate"),
            "sex": sex(_text(child, f"ChildIdentifiers/{self.sex_element}")),
            "date_of_death": _text(child, "ChildIdentifiers/PersonDeathDate"),
        }
        stage_child(s, self.agent, person_id, cells, self.children, row)
        for details in child.iterfind("CINdetails"):
            self.referral(details, local, person_id)

    def referral(self, details: etree._Element, local: str, person_id: str) -> None:
        s = self.staging
        s.read(self.details)
        row = _line(details)
        day = _text(details, "CINreferralDate")
        try:
            found = code(_text(details, "ReferralSource"), vocabulary().referral_source_codes)
        except ValueProblem as problem:
            s.problem(self.details, row, "referrer_agency_id", str(problem))
            return
        nfa = yes_no(_text(details, "ReferralNFA"))
        outcome = (
            "nfa" if nfa
            else "section_47" if details.find("Section47") is not None
            else "assessment" if details.find("Assessments") is not None
            else ""
        )  # fmt: skip
        referral_id = self.ids.make("referral", local, day)
        s.add(
            "referrals",
            {"referral_id": referral_id, "kind": "referral", "child_id": person_id, "received_on": day,
             "referrer_agency_id": source_agency(s, self.agent, found, self.details, row),
             **_given("outcome", outcome)},
            self.details, row,
        )  # fmt: skip
        for assessment in details.iterfind("Assessments"):
            s.read(self.assessments)
            start = _text(assessment, "AssessmentActualStartDate")
            factors = [
                (f.text or "").strip().upper()
                for f in assessment.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
            ]
            s.add(
                "assessments",
                {"assessment_id": self.ids.make("child_and_family", local, start), "child_id": person_id,
                 "referral_id": referral_id, "kind": "child_and_family", "started_on": start,
                 "completed_on": _text(assessment, "AssessmentAuthorisationDate"), "factors": ";".join(factors)},
                self.assessments, _line(assessment),
            )  # fmt: skip
        for enquiry in details.iterfind("Section47"):
            s.read(self.enquiries)
            start = _text(enquiry, "S47ActualStartDate")
            outcome = (
                "icpc_not_required"
                if yes_no(_text(enquiry, "ICPCnotRequired"))
                else ("icpc" if _text(enquiry, "DateOfInitialCPC") else "")
            )
            s.add(
                "assessments",
                {"assessment_id": self.ids.make("section_47", local, start), "child_id": person_id,
                 "referral_id": referral_id, "kind": "section_47", "started_on": start, **_given("outcome", outcome)},
                self.enquiries, _line(enquiry),
            )  # fmt: skip
        for kind, source, element, start_tag, end_tag in (
            ("child_protection", self.cp_plans, "ChildProtectionPlans", "CPPstartDate", "CPPendDate"),
            ("child_in_need", self.cin_plans, "CINPlanDates", "CINPlanStartDate", "CINPlanEndDate"),
        ):
            for plan in details.iterfind(element):
                s.read(source)
                start = _text(plan, start_tag)
                s.add(
                    "plans",
                    {"plan_id": self.ids.make(kind, local, start), "child_id": person_id, "kind": kind,
                     "start_date": start, "end_date": _text(plan, end_tag), "recorded_by": self.agent.agency_id},
                    source, _line(plan),
                )  # fmt: skip
