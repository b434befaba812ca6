"""The analyst database: a separate DuckDB file with a run's marts and no personal data.

Analysts open this file instead of the restricted warehouse. Subjects appear only under their
pseudonymous `subject_key`. Every column is named here, so a column added to a mart later
stays out until someone decides it may leave the warehouse. Left out on purpose:

- names, dates of birth, CII numbers, DOJ subject ids and case numbers, which no mart carries;
- `cnt_order`, whose first six digits are the case number, and the ids built from it: a
  conviction is numbered 1, 2, ... within its subject instead;
- disposition dates and rule facts (`decision_fact`, `skipped_rules`), which quote a person's
  dates and ages: the decade of disposition and the deciding rule stay. The county's earliest
  Prop 64 disposition date is one person's date too, so `county_impact` leaves it out;
- gender, race and age band per subject, which appear only in `relief_by_characteristic`, as
  counts per category of one characteristic at a time, with the small-count suppression that
  `clearance.publishing.characteristics` describes.

docs/analysts.md describes every table for the analysts who query this file.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.publishing.characteristics import relief_by_characteristic_select
from clearance.settings import duckdb_memory_limit

logger = logging.getLogger(__name__)

ANALYST_DATABASE = "analyst.duckdb"
FILE_MODE = 0o600

# (table, select statement over the attached warehouse). `$run_id` is bound as a parameter.
# NOTE: conviction_outcomes and subject_relief stay sorted (1.7 to 2.3 s at 5,000,000 rows).
# Unsorted, they crashed DuckDB 2.0.1 in `_policies` of clearance/dashboards/figures.py in 4 of
# 30 test processes, and a sorted copy in none of 40. The cause is not known.
ANALYST_TABLES: tuple[tuple[str, str], ...] = (
    (
        "run",
        """
        select
            $run_id as run_id,
            any_value(county) as county,
            any_value(compute_date) as compute_date,
            any_value(policy_name) filter (where policy_role = 'county') as county_policy_name,
        from warehouse.marts.fct_county_impact
        """,
    ),
    (
        "conviction_outcomes",
        """
        select
            policy_name,
            policy_role,
            policy_order,
            policy_scope,
            subject_key,
            conviction_number,
            section,
            subsections,
            attempt_prefix,
            book_flag,
            level,
            is_felony,
            disposition_decade,
            determination,
            reason,
            grants_relief,
            rule_number,
            rule_id,
            decision_note,
            skipped_rule_count,
        from warehouse.marts.fct_conviction_outcomes
        order by policy_order, subject_key, conviction_number
        """,
    ),
    (
        "subject_relief",
        """
        select
            policy_name,
            policy_role,
            policy_order,
            subject_key,
            conviction_count,
            dismissed_conviction_count,
            reduced_conviction_count,
            dismissed_related_charge_count,
            has_some_relief,
            had_felony,
            has_no_felony_left,
            has_no_conviction_left,
            had_conviction_last_7_years,
            has_no_conviction_last_7_years_left,
        from warehouse.marts.fct_subject_relief
        order by policy_order, subject_key
        """,
    ),
    ("relief_by_characteristic", relief_by_characteristic_select()),
    (
        "county_impact",
        """
        select
            policy_name,
            policy_role,
            policy_order,
            policy_scope,
            county,
            compute_date,
            prop64_convictions,
            prop64_felony_convictions,
            prop64_non_felony_convictions,
            prop64_unknown_level_convictions,
            eligible_convictions,
            dismissal_convictions,
            reduction_convictions,
            not_eligible_convictions,
            hand_review_convictions,
            maybe_eligible_convictions,
            city_attorney_review_convictions,
            subject_convictions,
            dismissed_related_charge_convictions,
            subjects_with_prop64_conviction,
            subjects_with_some_relief,
            subjects_with_no_felony_left,
            subjects_with_no_conviction_left,
            subjects_with_no_conviction_last_7_years_left,
        from warehouse.marts.fct_county_impact
        order by policy_order
        """,
    ),
    (
        "outcome_reasons",
        """
        select policy_name, policy_role, policy_order, determination, reason, convictions, subjects,
        from warehouse.marts.fct_outcome_reasons
        order by policy_order, determination, reason
        """,
    ),
    (
        "withholding_rules",
        """
        select
            withholding_rules.policy_name,
            policies.policy_role,
            withholding_rules.policy_order,
            withholding_rules.rule_number,
            withholding_rules.rule_id,
            withholding_rules.determinations,
            withholding_rules.convictions,
            withholding_rules.subjects,
            withholding_rules.subject_rank,
        from warehouse.marts.fct_withholding_rules as withholding_rules
        inner join warehouse.marts.fct_county_impact as policies
            on withholding_rules.policy_name = policies.policy_name
        order by withholding_rules.policy_order, withholding_rules.rule_number
        """,
    ),
    (
        # A run without court files has no court figures, as in summary.json, so the table is
        # empty then rather than counting every conviction as DOJ only.
        "court_link_summary",
        """
        with run_court_files as (
            select count(*) as court_files,
            from warehouse.raw.run_court_files
            where run_id = $run_id
        )
        select
            court_link_summary.measure,
            court_link_summary.convictions,
        from warehouse.marts.fct_court_link_summary as court_link_summary
        cross join run_court_files
        where run_court_files.court_files > 0
        order by court_link_summary.measure
        """,
    ),
)


@dataclass(frozen=True)
class AnalystDatabase:
    """The written analyst database and the rows of each of its tables."""

    path: Path
    row_counts: dict[str, int]


def write_analyst_database(warehouse: Path, run_id: str, folder: Path) -> AnalystDatabase:
    """Write `analyst.duckdb` into the run folder from the marts of the warehouse's last build.

    The file is built under a temporary name and renamed when complete, so the folder never
    holds a partial analyst database. The warehouse is attached read-only.
    """
    path = folder / ANALYST_DATABASE
    partial = folder / f".{ANALYST_DATABASE}.partial"
    partial.unlink(missing_ok=True)
    spill = folder / ".duckdb_tmp"
    row_counts: dict[str, int] = {}
    try:
        with duckdb.connect(
            str(partial),
            config={
                "memory_limit": duckdb_memory_limit(),
                "temp_directory": str(spill),
            },
        ) as con:
            con.execute(f"attach '{_sql_text(warehouse)}' as warehouse (read_only)")
            for table, select in ANALYST_TABLES:
                parameters = {"run_id": run_id} if "$run_id" in select else {}
                con.execute(f"create table {table} as {select}", parameters)
                row_counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
            con.execute("detach warehouse")
        # DuckDB creates the file with the process umask; the run folder is 0700, so no one
        # else could open it before this.
        os.chmod(partial, FILE_MODE)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)
    logger.info("Wrote the analyst database %s: %s", path, row_counts)
    return AnalystDatabase(path=path, row_counts=row_counts)


def _sql_text(path: Path) -> str:
    # ATTACH takes no bound parameter for its path, so the quote is doubled instead.
    return str(path).replace("'", "''")
