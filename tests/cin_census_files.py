"""Hand-made CIN census files for the import tests."""

from __future__ import annotations

from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>{year}</Year><ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>test</SoftwareCode></Source>
  </Header>
  <Children>
{children}
  </Children>
</Message>
"""

CHILD = """    <Child>
      <ChildIdentifiers>
        <LAchildID>{child_id}</LAchildID>
        <PersonBirthDate>{born}</PersonBirthDate>
        {sex}
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
{details}
    </Child>"""


def child(child_id: str, born: str, details: str, *, sex: str = "<GenderCurrent>2</GenderCurrent>") -> str:
    """One Child element."""
    return CHILD.format(child_id=child_id, born=born, sex=sex, details=details)


def write_census(path: Path, children: list[str], *, year: str = "2024", lea: str = "881") -> Path:
    """A census file of ``children`` (Child elements)."""
    path.write_text(HEADER.format(year=year, lea=lea, children="\n".join(children)), encoding="utf-8")
    return path


REFERRAL = """      <CINdetails>
        <CINreferralDate>2023-06-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2023-06-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-07-10</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3B</AssessmentFactors><AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2023-06-05</S47ActualStartDate>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
      </CINdetails>"""

NFA = """      <CINdetails>
        <CINreferralDate>2024-01-15</CINreferralDate>
        <ReferralSource>{source}</ReferralSource>
        <ReferralNFA>true</ReferralNFA>
      </CINdetails>"""

PLANS = """      <CINdetails>
        <CINreferralDate>2023-09-01</CINreferralDate>
        <ReferralSource>3B</ReferralSource>
        <CINPlanDates><CINPlanStartDate>2023-10-01</CINPlanStartDate><CINPlanEndDate>2023-12-01</CINPlanEndDate></CINPlanDates>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2023-12-02</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>"""
