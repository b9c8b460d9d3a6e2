"""The Fellegi–Sunter model identity resolution runs in Splink: its comparisons, their levels
and each level's m and u probabilities, its blocking rules and its prior.

The parameters are fixed and versioned, not trained on each run: the same records always get
the same probabilities, so a resolve is idempotent and linking new records incrementally gives
what a full resolve gives. A level's weight is log2(m/u). Change a parameter, change
:data:`MODEL_VERSION`: every link records the model and version that made it.
Term frequencies (of given and family names) are the one thing taken from the data: a common
name's exact match counts for less (Splink's term-frequency adjustment).

>>> [c["output_column_name"] for c in settings()["comparisons"]]
['given_name', 'family_name', 'date_of_birth', 'sex', 'nhs_number', 'address', 'family_context']
"""

from __future__ import annotations

from typing import Any

MODEL_NAME = "familynet-identity"
MODEL_VERSION = "1"
#: The prior: the chance that two records drawn at random are one person (about 1.3 records a
#: person among 700,000 records).
PRIOR = 1e-6

_SWAPPED = "given_l = family_r AND family_l = given_r"


def _level(label: str, sql: str, m: float, u: float, tf: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}
    if tf is not None:
        level |= {"tf_adjustment_column": tf, "tf_adjustment_weight": 1.0, "tf_minimum_u_value": 0.0001}
    return level


def _null(label: str, sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "is_null_level": True}


def _comparison(name: str, levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_levels": levels}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("else", "ELSE", m, u)


def settings() -> dict[str, Any]:
    """The Splink settings of the model (DuckDB SQL; Splink transpiles it for Spark)."""
    full = "length(dob_l) = 10 AND length(dob_r) = 10"
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "blocking_rules_to_generate_predictions": [
            "l.nhs = r.nhs",
            "l.family_phonetic = r.family_phonetic AND l.dob_year = r.dob_year",
            "l.given_canon = r.given_canon AND l.dob = r.dob",
            "l.given_canon = r.given_canon AND l.family_phonetic = r.family_phonetic",
            "l.home = r.home AND substr(l.given, 1, 1) = substr(r.given, 1, 1)",
            "l.dob = r.dob AND substr(l.family, 1, 1) = substr(r.family, 1, 1)",
            "l.given_canon = r.family AND l.family = r.given_canon",
        ],
        "comparisons": [
            _comparison("given_name", [
                _null("missing", "given_l IS NULL OR given_r IS NULL"),
                _level("exact", "given_l = given_r", 0.55, 0.004, tf="given"),
                _level("variant", "given_canon_l = given_canon_r", 0.15, 0.001),
                _level("swapped with family name", _SWAPPED, 0.03, 0.00001),
                _level("jaro-winkler >= 0.92", "jaro_winkler_similarity(given_l, given_r) >= 0.92", 0.12, 0.008),
                _level("phonetic", "given_phonetic_l = given_phonetic_r", 0.05, 0.006),
                _level("initial", "length(given_l) = 1 OR length(given_r) = 1", 0.02, 0.03),
                _else(0.08, 0.95),
            ]),
            _comparison("family_name", [
                _null("missing", "family_l IS NULL OR family_r IS NULL"),
                _level("exact", "family_l = family_r", 0.6, 0.003, tf="family"),
                _level("swapped with given name", _SWAPPED, 0.03, 0.00001),
                _level("jaro-winkler >= 0.92", "jaro_winkler_similarity(family_l, family_r) >= 0.92", 0.12, 0.005),
                _level("phonetic", "family_phonetic_l = family_phonetic_r", 0.04, 0.004),
                _level("one part of a double-barrelled name",
                       "len(family_parts_l) + len(family_parts_r) > 2 AND "
                       "len(list_intersect(family_parts_l, family_parts_r)) > 0", 0.06, 0.001),
                _else(0.15, 0.98),
            ]),
            _comparison("date_of_birth", [
                _null("missing", "dob_l IS NULL OR dob_r IS NULL"),
                _level("exact", f"{full} AND dob_l = dob_r", 0.72, 0.0003),
                _level("day and month transposed",
                       f"{full} AND dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                       0.03, 0.00002),
                _level("off by a day",
                       f"{full} AND abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) = 1",
                       0.03, 0.0006),
                _level("one digit wrong", f"{full} AND levenshtein(dob_l, dob_r) = 1", 0.06, 0.003),
                _level("1 January placeholder",
                       f"{full} AND dob_year_l = dob_year_r AND "
                       "(substr(dob_l, 6) = '01-01' OR substr(dob_r, 6) = '01-01')", 0.02, 0.003),
                _level("consistent partial date",
                       "(length(dob_l) < 10 OR length(dob_r) < 10) AND "
                       "(starts_with(dob_l, dob_r) OR starts_with(dob_r, dob_l))", 0.05, 0.01),
                _else(0.09, 0.99),
            ]),
            _comparison("sex", [
                _null("unknown", "sex_l IS NULL OR sex_r IS NULL"),
                _level("equal", "sex_l = sex_r", 0.97, 0.5),
                _else(0.03, 0.5),
            ]),
            _comparison("nhs_number", [
                _null("missing", "nhs_l IS NULL OR nhs_r IS NULL"),
                _level("equal", "nhs_l = nhs_r", 0.95, 0.000001),
                _level("two different valid numbers", "ELSE", 0.02, 1.0),
            ]),
            _comparison("address", [
                _null("unknown", "len(homes_l) = 0 OR len(homes_r) = 0"),
                _level("same household or UPRN", "len(list_intersect(homes_l, homes_r)) > 0", 0.6, 0.01),
                _level("same postcode", "len(list_intersect(postcodes_l, postcodes_r)) > 0", 0.1, 0.01),
                _else(0.3, 0.98),
            ]),
            _comparison("family_context", [
                _null("no relatives", "len(kin_ids_l) = 0 OR len(kin_ids_r) = 0"),
                _level("a relative in common", "len(list_intersect(kin_ids_l, kin_ids_r)) > 0", 0.5, 0.02),
                _level("similar relatives", "len(list_intersect(kin_keys_l, kin_keys_r)) > 0", 0.2, 0.01),
                _else(0.3, 0.97),
            ]),
        ],
    }  # fmt: skip
