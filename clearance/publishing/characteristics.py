"""`relief_by_characteristic`: the analyst database's only demographic table, and its suppression.

The table counts subjects and their relief by race, by gender and by age band, one
characteristic at a time, per policy. It has no cross-tab of the three, because a cross-tab
published next to these one-way counts lets a reader subtract the shown cells of a category
from its one-way count and get a hidden cell back.

A count is null (suppressed) under these rules, applied per policy and characteristic:

1. A count from 1 to SMALL_CELL_MAX is null. A zero is shown, because it points at no one.
2. A measure whose complement against its base in the same row is from 1 to SMALL_CELL_MAX is
   null, so that `subjects - subjects_with_some_relief` cannot give back a few people without
   relief. The base is `subjects`, except for the two "left" measures: people with no felony
   left are counted among those with a felony, and people with no conviction in the last seven
   years left among those who had one.
3. A measure whose base is null under rules 1 and 2 is null too. Otherwise a shown 0 of people
   left with no felony would tell that no one in a category of a few people had a felony.
4. Complementary suppression: the categories of a characteristic add up to a county-wide total
   that the analyst database publishes exactly (`county_impact`, or a count over
   `subject_relief`). So when exactly one category of a measure is null under rules 1 to 3,
   the smallest non-zero shown category of that measure is null too. When every other shown
   category is 0, a 0 whose base is above 0 is taken instead: it could have been any count up
   to its base.

Rule 4 runs once, without repeating. Each measure's cells add up only to that measure's own
total, and rule 4 hides cells of the measure it protects, so hiding one cell never leaves
another measure with exactly one hidden category. A measure keeps exactly one hidden category
only when no other category can hide it: every other category is a 0 whose base is 0, or the
characteristic has one category. The hidden count then equals a county-wide figure the
database publishes anyway.

NOTE: these rules stop exact subtraction within a characteristic, but bounds remain: a hidden
count lies between 0 and its base, and two hidden categories add up to a known sum. The rules
also leave differences unguarded between two measures of one category (people with some relief
minus people with no conviction left) and between two policies.
"""

from __future__ import annotations

# Counts from 1 to this are suppressed, as the privacy rules require of any breakdown.
SMALL_CELL_MAX = 10

# (measure, its base: the count of the same row that the measure is part of). `subjects` has none.
MEASURES: tuple[tuple[str, str | None], ...] = (
    ("subjects", None),
    ("subjects_with_some_relief", "subjects"),
    ("subjects_with_felony", "subjects"),
    ("subjects_with_no_felony_left", "subjects_with_felony"),
    ("subjects_with_no_conviction_left", "subjects"),
    ("subjects_with_conviction_last_7_years", "subjects"),
    ("subjects_with_no_conviction_last_7_years_left", "subjects_with_conviction_last_7_years"),
)

# Each count and the `fct_subject_relief` flag it counts; `subjects` counts every row.
_MEASURE_FLAGS = {
    "subjects_with_some_relief": "has_some_relief",
    "subjects_with_felony": "had_felony",
    "subjects_with_no_felony_left": "has_no_felony_left",
    "subjects_with_no_conviction_left": "has_no_conviction_left",
    "subjects_with_conviction_last_7_years": "had_conviction_last_7_years",
    "subjects_with_no_conviction_last_7_years_left": "has_no_conviction_last_7_years_left",
}

_CELL = "policy_name, characteristic"


def _is_small(expression: str) -> str:
    return f"({expression}) between 1 and {SMALL_CELL_MAX}"


def _row_rule(measure: str, base: str | None) -> str:
    """Return the expression that is true when rules 1 to 3 hide the measure in its row."""
    if base is None:
        return f"{_is_small(measure)} as {measure}_hidden"
    return (
        f"{_is_small(measure)} or {_is_small(f'{base} - {measure}')} or {base}_hidden"
        f" as {measure}_hidden"
    )


def _column_state(measure: str, base: str | None) -> str:
    """Return the window expressions rule 4 reads: hidden categories and the candidate's rank."""
    candidate = f"not {measure}_hidden"
    if base is not None:
        candidate += f" and ({measure} > 0 or {base} > 0)"
    return (
        f"count_if({measure}_hidden) over (partition by {_CELL}) as {measure}_hidden_categories,\n"
        f"                {candidate} as {measure}_is_candidate,\n"
        f"                row_number() over (\n"
        f"                    partition by {_CELL}\n"
        f"                    order by {candidate} desc, {measure} = 0, {measure}, category\n"
        f"                ) as {measure}_candidate_rank"
    )


def _published(measure: str) -> str:
    return (
        f"case when not ({measure}_hidden or ({measure}_hidden_categories = 1"
        f" and {measure}_is_candidate and {measure}_candidate_rank = 1))"
        f" then {measure} end as {measure}"
    )


def relief_by_characteristic_select() -> str:
    """Build the select over `warehouse.marts.fct_subject_relief` that yields the table.

    Counts are BIGINT, so a pandas DataFrame of the table has integer columns. Rows are ordered by
    policy, characteristic and category.
    """
    flags = ",\n                ".join(_MEASURE_FLAGS.values())
    counts = ",\n                ".join(
        f"count_if({flag})::bigint as {measure}" for measure, flag in _MEASURE_FLAGS.items()
    )
    # Rule 3 reads the base's hidden flag, so each CTE computes the flags whose bases the one
    # before it computed: `subjects` first, then the measures over `subjects`, then "left" ones.
    over_subjects = ",\n                ".join(
        _row_rule(measure, base) for measure, base in MEASURES if base == "subjects"
    )
    left = ",\n                ".join(
        _row_rule(measure, base) for measure, base in MEASURES if base not in (None, "subjects")
    )
    column_states = ",\n                ".join(
        _column_state(measure, base) for measure, base in MEASURES
    )
    published = ",\n                ".join(_published(measure) for measure, _ in MEASURES)
    return f"""
        with subjects as (
            select
                policy_name,
                policy_role,
                policy_order,
                coalesce(gender, 'unknown') as gender,
                coalesce(race_descr, 'unknown') as race,
                coalesce(age_band, 'unknown') as age_band,
                {flags},
            from warehouse.marts.fct_subject_relief
        ),

        characteristics as (
            unpivot subjects
            on gender, race, age_band
            into name characteristic value category
        ),

        counts as (
            select
                policy_name,
                policy_role,
                policy_order,
                characteristic,
                category,
                count(*)::bigint as subjects,
                {counts},
            from characteristics
            group by all
        ),

        subjects_hidden as (
            select
                *,
                {_row_rule("subjects", None)},
            from counts
        ),

        measures_over_subjects_hidden as (
            select
                *,
                {over_subjects},
            from subjects_hidden
        ),

        row_hidden as (
            select
                *,
                {left},
            from measures_over_subjects_hidden
        ),

        column_states as (
            select
                *,
                {column_states},
            from row_hidden
        ),

        final as (
            select
                policy_name,
                policy_role,
                policy_order,
                characteristic,
                category,
                {published},
            from column_states
        )

        select * from final
        order by policy_order, characteristic, category
        """
