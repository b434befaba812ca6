"""summary.json: the run's inputs, line counts and impact figures, read from the marts."""

from __future__ import annotations

import json
import logging
from typing import Any

import duckdb

from clearance.exports.motion_lists import run_courts

logger = logging.getLogger(__name__)

SUMMARY = "summary.json"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def run_record(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """Return the run's county, policy, policy parameters and compute date."""
    rows = _rows(
        con,
        "select county, policy_name, policy_parameters, compute_date from raw.runs where run_id = ?",
        [run_id],
    )
    if not rows:
        raise LookupError(f"run {run_id} is not registered in raw.runs")
    run = rows[0]
    return {
        "county": run["county"],
        "policy": {"name": run["policy_name"], "parameters": json.loads(run["policy_parameters"])},
        "compute_date": run["compute_date"].isoformat(),
    }


def line_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """Return lines read, loaded and quarantined over the run's files and per file."""
    files = _rows(
        con,
        """
        select
            run_files.file_order,
            doj_files.file_name,
            doj_files.lines_read,
            doj_files.lines_loaded,
            doj_files.lines_quarantined,
        from raw.run_files as run_files
        inner join raw.doj_files as doj_files on run_files.load_id = doj_files.load_id
        where run_files.run_id = ?
        order by run_files.file_order
        """,
        [run_id],
    )
    return {
        "lines_read": sum(file["lines_read"] for file in files),
        "lines_loaded": sum(file["lines_loaded"] for file in files),
        "lines_quarantined": sum(file["lines_quarantined"] for file in files),
        "files": files,
    }


def _counts(con: duckdb.DuckDBPyConnection, column: str, policy_name: str) -> dict[str, int]:
    rows = con.execute(
        f"""
        select coalesce(cast({column} as varchar), 'unknown') as value, count(*) as convictions,
        from marts.fct_conviction_outcomes
        where policy_name = ?
        group by all
        order by convictions desc, value
        """,
        [policy_name],
    ).fetchall()
    return {value: count for value, count in rows}


def policy_impact(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Return the figures of every policy of the run, county policy first."""
    return _rows(
        con,
        """
        select
            policy_name,
            policy_role,
            prop64_convictions,
            prop64_felony_convictions,
            prop64_non_felony_convictions,
            prop64_unknown_level_convictions,
            eligible_convictions,
            earliest_prop64_disposition_date,
            subjects_with_prop64_conviction,
            subjects_with_some_relief,
            subjects_with_no_felony_left,
            subjects_with_no_conviction_left,
            subjects_with_no_conviction_last_7_years_left,
        from marts.fct_county_impact
        order by policy_order
        """,
        [],
    )


def _subjects_left(impact: dict[str, Any]) -> dict[str, int]:
    return {
        "no_felony": impact["subjects_with_no_felony_left"],
        "no_conviction": impact["subjects_with_no_conviction_left"],
        "no_conviction_last_7_years": impact["subjects_with_no_conviction_last_7_years_left"],
    }


def court_figures(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    """Return the run's court linking counts and motion-list rows per court, or None without
    court files.

    Court-only convictions are counted here only, apart from every policy count.
    """
    (court_files,) = con.execute(
        "select count(*) from raw.run_court_files where run_id = ?", [run_id]
    ).fetchone()
    if not court_files:
        return None
    measures = dict(
        con.execute("select measure, convictions from marts.fct_court_link_summary").fetchall()
    )
    linked_by = {
        measure.removeprefix("linked_by_"): count
        for measure, count in sorted(measures.items())
        if measure.startswith("linked_by_")
    }
    motion_rows = dict(
        con.execute(
            """
            select court_county, count(*) as motion_rows,
            from exports.exp_court__motion_lists
            group by court_county
            order by court_county
            """
        ).fetchall()
    )
    return {
        "files": court_files,
        "matched": measures.get("matched", 0),
        "doj_only": measures.get("doj_only", 0),
        "court_only": measures.get("court_only", 0),
        "already_relieved": measures.get("already_relieved", 0),
        "relief_pending": measures.get("relief_pending", 0),
        "case_number_from_court": measures.get("case_number_from_court", 0),
        "linked_by": linked_by,
        "rows": court_row_counts(con, run_id),
        "motions": motion_reconciliation(con),
        "motion_list_rows": {
            # The courts the writer makes lists for, so a court with an empty list shows 0.
            court: motion_rows.get(court, 0)
            for court in run_courts(con, run_id)
        },
    }


def court_row_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Return the rows read, loaded and quarantined over the run's court files.

    values_set_to_null counts the invalid optional dates of loaded rows, which loaded as empty.
    """
    read, loaded, quarantined, nulled = con.execute(
        """
        with run_loads as (
            select court_files.load_id, court_files.rows_read, court_files.rows_loaded,
                court_files.rows_quarantined,
            from raw.run_court_files
            inner join raw.court_files on run_court_files.load_id = court_files.load_id
            where run_court_files.run_id = $run_id
        ),

        warnings as (
            select count(*) as values_set_to_null,
            from raw.court_field_warnings
            where load_id in (select load_id from run_loads)
        )

        select
            coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0),
            coalesce(sum(rows_quarantined), 0), any_value(warnings.values_set_to_null),
        from run_loads
        cross join warnings
        """,
        {"run_id": run_id},
    ).fetchone()
    return {
        "read": read,
        "loaded": loaded,
        "quarantined": quarantined,
        "values_set_to_null": nulled or 0,
    }


def motion_reconciliation(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Return where the DOJ convictions the county policy grants relief went: on a motion or not.

    Eligible counts them independently of the motion list, so that eligible minus the other
    four figures shows a conviction lost between the two.
    """
    eligible, relieved, pending, no_case_number = con.execute(
        """
        with eligible as (
            select
                court_convictions.record_source,
                court_convictions.prior_relief,
                court_convictions.doj_case_numbers,
            from intermediate.int_court__prop64_convictions as court_convictions
            inner join intermediate.int_policy_decisions as policy_decisions
                on court_convictions.conviction_id = policy_decisions.conviction_id
            where policy_decisions.policy_role = 'county' and policy_decisions.grants_relief
        )

        select
            count(*),
            count(*) filter (where prior_relief = 'already_relieved'),
            count(*) filter (where prior_relief = 'relief_pending'),
            -- A matched conviction always has the court's case number.
            count(*) filter (
                where prior_relief is null and record_source = 'doj_only'
                    and doj_case_numbers is null
            ),
        from eligible
        """
    ).fetchone()
    (listed,) = con.execute(
        "select coalesce(sum(convictions), 0) from exports.exp_court__motion_lists"
    ).fetchone()
    return {
        "eligible": eligible,
        "listed": listed,
        "kept_off_already_relieved": relieved,
        "kept_off_relief_pending": pending,
        "kept_off_no_case_number": no_case_number,
    }


def build_summary(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """Return the content of summary.json for a run whose models are built."""
    run = run_record(con, run_id)
    impact = {
        row["policy_role"] if row["policy_role"] == "county" else row["policy_name"]: row
        for row in policy_impact(con)
    }
    county = impact["county"]
    county_policy = county["policy_name"]
    earliest = county["earliest_prop64_disposition_date"]
    # Every policy of the run, county policy first, so a county can compare how far its policy is
    # from dismissing every Prop 64 conviction, and from dismissing related charges too.
    subjects_left = {county_policy: _subjects_left(county)}
    for name, row in impact.items():
        if name != "county":
            subjects_left[name] = _subjects_left(row)
    return {
        "run_id": run_id,
        **run,
        "lines": line_counts(con, run_id),
        "convictions": {
            "total": county["prop64_convictions"],
            "earliest_disposition_date": earliest.isoformat() if earliest else None,
            "felony": county["prop64_felony_convictions"],
            "non_felony": county["prop64_non_felony_convictions"],
            "unknown_level": county["prop64_unknown_level_convictions"],
            "eligible": county["eligible_convictions"],
            "by_section": _counts(con, "section", county_policy),
            "by_determination": _counts(con, "determination", county_policy),
            "by_reason": _counts(con, "reason", county_policy),
        },
        "subjects": {
            "with_prop64_conviction": county["subjects_with_prop64_conviction"],
            "with_some_relief": county["subjects_with_some_relief"],
        },
        "subjects_left": subjects_left,
        "court": court_figures(con, run_id),
    }
