"""Record each run's check results and volume counts in the raw layer of the warehouse.

`raw.run_check_results` has one row per run and check, so the volume suite can find a
county's previous successful run and a run manifest can list the checks of a run.
`raw.run_volumes` has the counts the volume suite compares, one row per run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from clearance.loading.warehouse import connect_warehouse
from expectations.outcomes import BLOCKING, SuiteOutcome

RESULTS_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    """
    create table if not exists raw.run_check_results (
        run_id varchar not null,
        county varchar not null,
        check_name varchar not null,
        suite varchar not null,
        asset varchar not null,
        severity varchar not null,
        passed boolean not null,
        -- JSON: the failed expectations with observed and expected aggregates, and notes.
        details varchar not null,
        checked_at timestamp not null
    )
    """,
    """
    create table if not exists raw.run_volumes (
        run_id varchar primary key,
        county varchar not null,
        subjects bigint not null,
        prop64_convictions bigint not null,
        recorded_at timestamp not null
    )
    """,
)


def create_results_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of check results when they do not exist yet."""
    for statement in RESULTS_DDL:
        con.execute(statement)


def record_outcomes(
    warehouse: Path, outcomes: Sequence[tuple[SuiteOutcome, tuple[int, int] | None]]
) -> None:
    """Replace the run's row for each outcome's check, and its volume counts where given.

    Each pair is (outcome, volume), where volume is (subjects, Prop 64 convictions in the
    county) of the run, or None. Every pair is written in one transaction. Opening the
    warehouse took about 35 ms, so checks that run together share one connection. The
    connection is the only writer while it is open, so callers run in the warehouse's writer
    pool.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    # After dbt this is the first writer, so its checkpoint writes dbt's last models. Without
    # the merge that took 0.02 to 0.14 s against 0.5 s at 1,000,000 rows.
    with connect_warehouse(warehouse, merge_row_groups=False) as con:
        create_results_tables(con)
        con.execute("begin transaction")
        for outcome, volume in outcomes:
            _replace_rows(con, outcome, volume, now)
        con.execute("commit")


def _replace_rows(
    con: duckdb.DuckDBPyConnection,
    outcome: SuiteOutcome,
    volume: tuple[int, int] | None,
    now: datetime,
) -> None:
    details = {
        "failures": [
            {
                "expectation": failure.expectation,
                "column": failure.column,
                "description": failure.description,
                "observed": failure.observed,
                "expected": failure.expected,
            }
            for failure in outcome.failures
        ],
        "notes": outcome.notes,
    }
    con.execute(
        "delete from raw.run_check_results where run_id = $run_id and check_name = $check",
        {"run_id": outcome.run_id, "check": outcome.check_name},
    )
    con.execute(
        """
        insert into raw.run_check_results values (
            $run_id, $county, $check, $suite, $asset, $severity, $passed, $details, $now
        )
        """,
        {
            "run_id": outcome.run_id,
            "county": outcome.county,
            "check": outcome.check_name,
            "suite": outcome.suite,
            "asset": outcome.asset,
            "severity": outcome.severity,
            "passed": outcome.passed,
            "details": json.dumps(details, default=str),
            "now": now,
        },
    )
    if volume is not None:
        con.execute(
            "delete from raw.run_volumes where run_id = $run_id", {"run_id": outcome.run_id}
        )
        con.execute(
            "insert into raw.run_volumes values ($run_id, $county, $subjects, $convictions, $now)",
            {
                "run_id": outcome.run_id,
                "county": outcome.county,
                "subjects": volume[0],
                "convictions": volume[1],
                "now": now,
            },
        )


def previous_successful_run_sql() -> str:
    """Return SQL for the county's latest run before `$run_id` that passed its blocking checks.

    A run counts when its volume counts were recorded and none of its checks failed with
    blocking severity. The query returns no row for a county's first run, or when the results
    tables do not exist yet (the caller checks that first).
    """
    return f"""
    with

    this_run as (
        select runs.run_id, runs.county, runs.started_at,
        from raw.runs as runs
        where runs.run_id = $run_id
    ),

    failed_runs as (
        select distinct results.run_id,
        from raw.run_check_results as results
        where not results.passed and results.severity = '{BLOCKING}'
    )

    select volumes.run_id, volumes.subjects, volumes.prop64_convictions,
    from raw.run_volumes as volumes
    inner join raw.runs as runs on volumes.run_id = runs.run_id
    inner join this_run
        on runs.county = this_run.county
        and runs.started_at < this_run.started_at
    anti join failed_runs on volumes.run_id = failed_runs.run_id
    order by runs.started_at desc
    limit 1
    """
