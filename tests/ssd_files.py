"""Hand-made SSD directories for the import tests: a small family over two addresses."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

TABLES: dict[str, list[list[str]]] = {
    "ssd_person": [
        [
            "pers_person_id",
            "pers_forename",
            "pers_surname",
            "pers_sex",
            "pers_gender",
            "pers_ethnicity",
            "pers_dob",
            "pers_expected_dob",
            "pers_death_date",
        ],
        ["M1", "Ann", "Hale", "F", "02", "WBRI", "1990-05-01 00:00:00.000", "", ""],
        ["K1", "Bea", "Hale", "F", "02", "WBRI", "2014-02-03", "", ""],
        ["K2", "Cal", "Hale", "M", "01", "WBRI", "2017-08-09", "", ""],
        ["D1", "Dan", "Ross", "M", "01", "WBRI", "1988-01-01", "", ""],
    ],
    "ssd_linked_identifiers": [
        [
            "link_table_id",
            "link_person_id",
            "link_identifier_type",
            "link_identifier_value",
            "link_valid_from_date",
            "link_valid_to_date",
        ],
        ["1", "K1", "NHS Number", "9434765919", "", ""],
        ["2", "K1", "Unique Pupil Number", "A123456789012", "", ""],
    ],
    "ssd_mother": [
        ["moth_table_id", "moth_person_id", "moth_childs_person_id", "moth_childs_dob"],
        ["1", "M1", "K1", "2014-02-03"],
        ["2", "M1", "K2", "2017-08-09"],
    ],
    "ssd_family": [
        ["fami_table_id", "fami_family_id", "fami_person_id"],
        ["1", "F1", "M1"],
        ["2", "F1", "K1"],
        ["3", "F1", "K2"],
    ],
    "ssd_address": [
        [
            "addr_table_id",
            "addr_address_json",
            "addr_person_id",
            "addr_address_type",
            "addr_address_start_date",
            "addr_address_end_date",
            "addr_address_postcode",
        ],
        [
            "1",
            '{"HOUSE": "14", "STREET": "Mill Lane", "TOWN": "Fenmarsh", "UPRN": "100023"}',
            "M1",
            "Home",
            "2015-01-01",
            "",
            "FN49QL",
        ],
        [
            "2",
            '{"HOUSE": "14", "STREET": "Mill Lane", "TOWN": "Fenmarsh", "UPRN": "100023"}',
            "K1",
            "Home",
            "2015-01-01",
            "",
            "FN49QL",
        ],
        [
            "3",
            '{"FLAT": "2", "HOUSE": "7", "STREET": "Kiln Road", "TOWN": "Saltham", "UPRN": ""}',
            "K2",
            "Home",
            "2020-01-01",
            "",
            "FN92DN",
        ],
        [
            "4",
            '{"FLAT": "2", "HOUSE": "7", "STREET": "Kiln  road.", "TOWN": "saltham", "UPRN": ""}',
            "D1",
            "Home",
            "2019-01-01",
            "",
            "fn9 2dn",
        ],
    ],
    "ssd_contacts": [
        [
            "cont_contact_id",
            "cont_person_id",
            "cont_contact_date",
            "cont_contact_source_code",
            "cont_contact_source_desc",
            "cont_contact_outcome_json",
        ],
        ["CT1", "K1", "2023-05-01", "6", "Police", '{"NEW_REFERRAL_FLAG": "Y", "NFA_FLAG": "N"}'],
    ],
    "ssd_cin_episodes": [
        [
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_cin_primary_need_code",
            "cine_referral_source_code",
            "cine_referral_source_desc",
            "cine_referral_outcome_json",
            "cine_referral_nfa",
            "cine_close_reason",
            "cine_close_date",
            "cine_referral_team",
            "cine_referral_worker_id",
        ],
        ["RF1", "K1", "2023-05-02", "N1", "6", "Police", "", "N", "", "", "", ""],
    ],
    "ssd_assessment_factors": [
        ["cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"],
        ["1", "AS1", '["3B", "2B"]'],
    ],
    "ssd_cin_assessments": [
        [
            "cina_assessment_id",
            "cina_person_id",
            "cina_referral_id",
            "cina_assessment_start_date",
            "cina_assessment_child_seen",
            "cina_assessment_auth_date",
            "cina_assessment_outcome_json",
            "cina_assessment_outcome_nfa",
            "cina_assessment_team",
            "cina_assessment_worker_id",
        ],
        ["AS1", "K1", "RF1", "2023-05-03", "Y", "2023-06-20", "", "N", "", ""],
    ],
    "ssd_s47_enquiry": [
        [
            "s47e_s47_enquiry_id",
            "s47e_referral_id",
            "s47e_person_id",
            "s47e_s47_start_date",
            "s47e_s47_end_date",
            "s47e_s47_nfa",
            "s47e_s47_outcome_json",
            "s47e_s47_completed_by_worker_id",
            "s47e_s47_completed_by_team",
        ],
        ["S1", "RF1", "K1", "2023-05-04", "2023-05-20", "N", "", "", ""],
    ],
    "ssd_early_help_episodes": [
        [
            "earl_episode_id",
            "earl_person_id",
            "earl_episode_start_date",
            "earl_episode_end_date",
            "earl_episode_reason",
            "earl_episode_end_reason",
            "earl_episode_organisation",
            "earl_episode_worker_id",
        ],
        ["EH1", "K2", "2022-01-10", "2022-04-01", "", "", "", ""],
    ],
    "ssd_cp_plans": [
        [
            "cppl_cp_plan_id",
            "cppl_referral_id",
            "cppl_icpc_id",
            "cppl_person_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            "cppl_cp_plan_initial_category",
            "cppl_cp_plan_ola",
            "cppl_cp_plan_latest_category",
        ],
        ["CP1", "RF1", "", "K1", "2023-06-01", "", "Neglect", "N", "Neglect"],
    ],
    "ssd_involvements": [
        [
            "invo_involvements_id",
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_professional_team",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
            "invo_worker_change_reason",
            "invo_person_id",
            "invo_referral_id",
        ],
        ["I1", "W1", "SW", "T1", "2023-05-02", "", "", "K1", "RF1"],
    ],
}


def write_ssd(directory: Path, tables: Mapping[str, Sequence[Sequence[str]]] = TABLES) -> Path:
    """Write ``tables`` (header row first) as ``<table>.csv`` files in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        with (directory / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return directory
