"""The Fellegi–Sunter model identity resolution runs in Splink: its comparisons, their levels
and each level's m and u probabilities, its blocking rules and its prior.

The parameters are fixed and versioned, not trained on each run: the same records always get
the same probabilities, so a resolve is idempotent and linking new records incrementally gives
what a full resolve gives. A level's weight is log2(m/u). Change a parameter, change
:data:`MODEL_VERSION`: every link records the model and version that made it.
Term frequencies (of given and family names) are the one thing taken from the data: a common
name's exact match counts for less (Splink's term-frequency adjustment).

The levels are Splink's own comparison levels (Jaro–Winkler, Levenshtein, array intersection)
or SQL that DuckDB and Spark read alike (``length``, ``substr``, arithmetic on day numbers), so
the one model runs on either backend: :func:`settings` takes Splink's dialect.

>>> [c["output_column_name"] for c in settings()["comparisons"]]
['given_name', 'family_name', 'date_of_birth', 'sex', 'nhs_number', 'address', 'family_context']
>>> "array_intersect" in str(settings("spark")["comparisons"][-1]).lower()
True
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
from splink.internals.comparison_level_creator import ComparisonLevelCreator

MODEL_NAME = "familynet-identity"
MODEL_VERSION = "3"
#: The prior: the chance that two records drawn at random are one person (about 1.3 records a
#: person among 700,000 records).
PRIOR = 1e-6
#: An unborn child's record's expected date of birth this many days or fewer from a record's
#: date of birth counts as the same birth.
EXPECTED_BIRTH_DAYS = 30

_SWAPPED = "given_l = family_r AND family_l = given_r"
_FULL = "dob_days_l IS NOT NULL AND dob_days_r IS NOT NULL"
#: Nothing to compare in the family context: no relatives on one side and no circle on one side.
_NO_FAMILY = "(kin_l IS NULL OR kin_r IS NULL) AND (circle_l IS NULL OR circle_r IS NULL)"

_ONE_GENERATION = "dob_year_l IS NOT NULL AND dob_year_r IS NOT NULL AND abs(dob_year_l - dob_year_r) < 12"
_SEX_AGREES = "(l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)"
_SAME_GENERATION = "(l.dob_year IS NULL OR r.dob_year IS NULL OR abs(l.dob_year - r.dob_year) < 12)"

#: Each comparison's levels, first that holds: label, level, m and u probabilities (or None
#: for the null level, whose weight is 0). Estimated by ``bench/identity_calibration.py``.
LEVELS: dict[str, list[tuple[str, ComparisonLevelCreator, float | None, float | None]]] = {
    "given_name": [
        ("missing", cll.NullLevel("given"), None, None),
        ("exact", cll.ExactMatchLevel("given", term_frequency_adjustments=True), 0.503, 0.00683),
        ("variant", cll.ExactMatchLevel("given_canon"), 0.066, 0.00101),
        ("swapped with family name", cll.CustomLevel(_SWAPPED), 0.0672, 7.41e-06),
        ("jaro-winkler >= 0.92", cll.JaroWinklerLevel("given", 0.92), 0.249, 0.00132),
        ("phonetic", cll.ExactMatchLevel("given_phonetic"), 0.0183, 0.000792),
        ("initial", cll.CustomLevel("length(given_l) = 1 OR length(given_r) = 1"), 0.00055, 0.03),
        ("else", cll.ElseLevel(), 0.0954, 0.99),
    ],
    "family_name": [
        ("missing", cll.NullLevel("family"), None, None),
        ("exact", cll.ExactMatchLevel("family", term_frequency_adjustments=True), 0.532, 0.0121),
        # One swap is one piece of evidence: weighed in the given name, not twice.
        ("swapped with given name", cll.CustomLevel(_SWAPPED), 0.0672, 0.0672),
        ("jaro-winkler >= 0.92", cll.JaroWinklerLevel("family", 0.92), 0.241, 0.00185),
        ("phonetic", cll.ExactMatchLevel("family_phonetic"), 0.0146, 0.000442),
        ("one part of a double-barrelled name", cll.ArrayIntersectLevel("family_parts", 1), 0.0149, 0.00309),
        ("else", cll.ElseLevel(), 0.131, 0.983),
    ],
    "date_of_birth": [
        ("expected birth",
         cll.CustomLevel(f"abs(expected_days_l - dob_days_r) <= {EXPECTED_BIRTH_DAYS} "
                         f"OR abs(dob_days_l - expected_days_r) <= {EXPECTED_BIRTH_DAYS}"), 0.0168, 2.76e-05),
        ("missing", cll.NullLevel("dob"), None, None),
        ("exact", cll.CustomLevel(f"{_FULL} AND dob_l = dob_r"), 0.592, 8.13e-05),
        ("day and month transposed",
         cll.CustomLevel(f"{_FULL} AND dob_year_l = dob_year_r AND dob_month_l = dob_day_r "
                         "AND dob_day_l = dob_month_r"), 0.0382, 1.14e-05),
        ("off by a day", cll.CustomLevel(f"{_FULL} AND abs(dob_days_l - dob_days_r) = 1"), 0.0887, 8.28e-05),
        ("one digit wrong", cll.LevenshteinLevel("dob", 1), 0.152, 0.00135),
        ("1 January placeholder",
         cll.CustomLevel(f"{_FULL} AND dob_year_l = dob_year_r AND "
                         "(substr(dob_l, 6, 5) = '01-01' OR substr(dob_r, 6, 5) = '01-01')"), 0.0641, 0.000601),
        ("consistent partial date",
         cll.CustomLevel("(length(dob_l) < 10 OR length(dob_r) < 10) AND "
                         "(substr(dob_l, 1, length(dob_r)) = dob_r OR substr(dob_r, 1, length(dob_l)) = dob_l)"),
         0.0409, 0.000698),
        ("else", cll.ElseLevel(), 0.00728, 0.997),
    ],
    "sex": [
        ("unknown", cll.NullLevel("sex"), None, None),
        ("equal", cll.ExactMatchLevel("sex"), 0.97, 0.501),
        ("else", cll.ElseLevel(), 0.03, 0.499),
    ],
    "nhs_number": [
        ("missing", cll.NullLevel("nhs"), None, None),
        ("equal", cll.ExactMatchLevel("nhs"), 0.994, 2.4e-06),
        ("two different valid numbers", cll.ElseLevel(), 0.00626, 1.0),
    ],
    "address": [
        ("unknown", cll.NullLevel("homes"), None, None),
        ("same household or UPRN", cll.ArrayIntersectLevel("homes", 1), 0.992, 7.48e-05),
        ("same postcode", cll.ArrayIntersectLevel("postcodes", 1), 0.1, 3.74e-05),
        ("else", cll.ElseLevel(), 0.00765, 1.0),
    ],
    "family_context": [
        ("no relatives", cll.CustomLevel(_NO_FAMILY).configure(is_null_level=True), None, None),
        ("a child in common", cll.ArrayIntersectLevel("children", 1), 0.533, 2.42e-05),
        # Two partners of one person share a partner as often as two records of one person do.
        ("a partner in common", cll.ArrayIntersectLevel("partners", 1), 0.5, 0.5),
        ("a parent in common", cll.ArrayIntersectLevel("parents", 1), 0.0176, 7.87e-06),
        ("similar relatives", cll.ArrayIntersectLevel("kin_keys", 1), 0.2, 1.35e-05),
        # Only between records of one generation: a mother and a daughter of one name share a
        # circle, and a police record without a date of birth cannot show the generation.
        ("in one child's circle", cll.And(cll.ArrayIntersectLevel("circle", 1), cll.CustomLevel(_ONE_GENERATION)),
         0.423, 4.27e-05),
        ("else", cll.ElseLevel(), 0.0268, 1.0),
    ],
}  # fmt: skip

#: Pairs compared (any rule; ``arrays_to_explode`` compares records with any element in common).
BLOCKING: list[dict[str, Any]] = [
    {"blocking_rule": "l.nhs = r.nhs"},
    {"blocking_rule": "l.family_phonetic = r.family_phonetic AND l.dob_year = r.dob_year"},
    {"blocking_rule": "l.given_canon = r.given_canon AND l.dob = r.dob"},
    {"blocking_rule": "l.given_canon = r.given_canon AND l.family_phonetic = r.family_phonetic"},
    {"blocking_rule": "l.home = r.home AND substr(l.given, 1, 1) = substr(r.given, 1, 1)"},
    {"blocking_rule": "l.dob = r.dob AND substr(l.family, 1, 1) = substr(r.family, 1, 1)"},
    {"blocking_rule": "l.given_canon = r.family AND l.family = r.given_canon"},
    {"blocking_rule": "l.given_phonetic = r.given_phonetic AND l.dob_year = r.dob_year"},
    {"blocking_rule": "l.dob = r.dob AND l.sex = r.sex"},
    {"blocking_rule": "l.kin = r.kin", "arrays_to_explode": ["kin"]},
    # Sex and generation as filters, not keys: a circle holds parents and children of both sexes.
    {"blocking_rule": f"l.circle = r.circle AND {_SEX_AGREES} AND {_SAME_GENERATION}", "arrays_to_explode": ["circle"]},
]


def levels_by_gamma() -> dict[str, dict[int, int]]:
    """Each comparison's levels as Splink numbers them in its output (``gamma_<comparison>``: the
    last level 0, counting up to the first; the null level -1), to their index in :data:`LEVELS`.

    >>> levels_by_gamma()["sex"]
    {1: 1, 0: 2, -1: 0}
    """
    found = {}
    for name, levels in LEVELS.items():
        scored = [i for i, (_, _, m, _) in enumerate(levels) if m is not None]
        null = next(i for i, (_, _, m, _) in enumerate(levels) if m is None)
        found[name] = {len(scored) - 1 - k: i for k, i in enumerate(scored)} | {-1: null}
    return found


def _level(label: str, creator: ComparisonLevelCreator, m: float | None, u: float | None, dialect: str) -> Any:
    level: dict[str, Any] = creator.get_comparison_level(dialect).as_dict()  # type: ignore[no-untyped-call]
    level["label_for_charts"] = label
    if m is not None and u is not None:
        level |= {"m_probability": m, "u_probability": u}
    return level


def settings(dialect: str = "duckdb") -> dict[str, Any]:
    """The Splink settings of the model, its SQL in ``dialect`` (Splink's name: duckdb, spark)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "blocking_rules_to_generate_predictions": [dict(rule) for rule in BLOCKING],
        "comparisons": [
            {
                "output_column_name": name,
                "comparison_levels": [_level(label, creator, m, u, dialect) for label, creator, m, u in levels],
            }
            for name, levels in LEVELS.items()
        ],
    }
