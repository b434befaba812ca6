"""Volume suite: a county's new extract may not shrink by more than `max_drop`.

It compares the run's subjects and Prop 64 convictions in the county with those of the
county's previous successful run (`expectations.recording`), so a file cut short cannot
replace a good one. A county's first run has nothing to compare with and passes with a note.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from expectations.recording import previous_successful_run_sql
from expectations.runner import SuiteInput, SuiteRun, read_frame

DEFAULT_MAX_DROP = 0.10

COUNTS_SQL = """
with

subjects as (
    select count(*) as subjects,
    from intermediate.int_subjects
),

convictions as (
    select count(*) as prop64_convictions,
    from intermediate.int_convictions as convictions
    where convictions.is_prop64 and convictions.is_in_run_county
)

select subjects.subjects, convictions.prop64_convictions,
from subjects
cross join convictions
"""


def max_drop(county_config: dict) -> float:
    """Return the county's allowed share of fewer subjects or convictions (default 0.10)."""
    return float((county_config.get("volume") or {}).get("max_drop", DEFAULT_MAX_DROP))


def _has_results_tables(con) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name in ('run_check_results', 'run_volumes')"
    ).fetchone()
    return row[0] == 2


def collect(con, run: SuiteRun) -> SuiteInput:
    """Read the run's counts and its previous successful run's, and the suite's expectations."""
    counts = read_frame(con, COUNTS_SQL, {})
    previous = None
    if _has_results_tables(con):
        previous = con.execute(previous_successful_run_sql(), {"run_id": run.run_id}).fetchone()

    drop = max_drop(run.county_config)
    if previous is None:
        counts["previous_subjects"] = None
        counts["previous_prop64_convictions"] = None
        note = f"no previous successful run of {run.county} to compare with"
        return SuiteInput(frames={"run": counts}, expectations={"run": []}, notes=[note])

    _, previous_subjects, previous_convictions = previous
    counts["previous_subjects"] = previous_subjects
    counts["previous_prop64_convictions"] = previous_convictions
    counts["subjects_ratio"] = counts["subjects"] / max(previous_subjects, 1)
    counts["prop64_convictions_ratio"] = counts["prop64_convictions"] / max(previous_convictions, 1)
    expectations = [
        gxe.ExpectColumnMinToBeBetween(
            column="subjects",
            min_value=previous_subjects * (1 - drop),
            description=(
                f"subjects no more than {drop:.0%} below the previous successful run's "
                f"{previous_subjects}"
            ),
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="prop64_convictions",
            min_value=previous_convictions * (1 - drop),
            description=(
                f"Prop 64 convictions in the county no more than {drop:.0%} below the previous "
                f"successful run's {previous_convictions}"
            ),
        ),
    ]
    note = f"compared with the previous successful run of {run.county}, {previous[0]}"
    return SuiteInput(frames={"run": counts}, expectations={"run": expectations}, notes=[note])
