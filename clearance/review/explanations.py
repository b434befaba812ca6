"""`clearance explain`: one person's Prop 64 convictions and every policy's decision trail."""

from __future__ import annotations

from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.review.warehouse import connect_read_only, format_date_range, run_policies

_CONVICTIONS = """
    select distinct
        cnt_order, section, subsections, level,
        disposition_date_start, disposition_date_end, disposition_date_precision
    from marts.fct_conviction_outcomes
    where subject_key = ?
    order by cnt_order
"""

_TRAILS = """
    select
        trails.cnt_order, trails.policy_name, trails.policy_role, trails.rule_number,
        trails.rule_id, trails.step_outcome, trails.determination, trails.reason, trails.fact,
        trails.decision_note
    from marts.fct_decision_trails as trails
    where trails.subject_key = ?
    order by trails.cnt_order, trails.policy_order, trails.rule_number
"""


def subject_key_for_id(warehouse: Path, subject_id: str) -> str:
    """Return the pseudonymous key of a DOJ SUBJECT_ID in the run the marts were built for."""
    with connect_read_only(warehouse) as con:
        row = con.execute(
            "select subject_key from staging.stg_clearance__subject_keys where subject_id = ?",
            [subject_id],
        ).fetchone()
    if row is None:
        # The id is the user's own input, so repeating it discloses nothing new.
        raise ClearanceError(
            f"SUBJECT_ID {subject_id!r}: not in the files of the last run; check the id "
            "against the run's DOJ files or All_Results.csv"
        )
    return row[0]


def explain_subject(warehouse: Path, subject_key: str) -> str:
    """Return the decision trails of one subject, found by pseudonymous key, for the last run."""
    with connect_read_only(warehouse) as con:
        return format_explanation(con, subject_key)


def format_explanation(con: duckdb.DuckDBPyConnection, subject_key: str) -> str:
    """Return the explanation text: each conviction, then each policy's rules up to its decision."""
    run = run_policies(con)
    convictions = con.execute(_CONVICTIONS, [subject_key]).fetchall()
    if not convictions:
        raise ClearanceError(
            f"subject key {subject_key!r}: no Prop 64 conviction in {run.county} in the last "
            "run; check the key (keys come from the run's exports and marts, never from names)"
        )
    trails: dict[tuple[str, str], list[tuple]] = {}
    for row in con.execute(_TRAILS, [subject_key]).fetchall():
        trails.setdefault((row[0], row[1]), []).append(row)

    lines = [
        f"Subject {subject_key}: {len(convictions)} Prop 64 conviction"
        f"{'s' if len(convictions) != 1 else ''} in {run.county}, "
        f"compute date {run.compute_date.isoformat()}"
    ]
    for cnt_order, section, subsections, level, start, end, precision in convictions:
        level_text = level.lower() if level else "level unknown"
        lines.append("")
        lines.append(
            f"Conviction {cnt_order}: {level_text} HS {section}{subsections or ''}, "
            f"disposed {format_date_range(start, end, precision)}"
        )
        for policy_name, role in run.policies.items():
            steps = trails.get((cnt_order, policy_name), [])
            if not steps:
                continue
            decided = steps[-1]
            lines.append(
                f"  {policy_name} ({role}): {decided[6]}: {decided[7]} "
                f"(rule {decided[3]} {decided[4]})"
            )
            for _, _, _, rule_number, rule_id, outcome, _, _, fact, _ in steps:
                lines.append(f"    rule {rule_number} {rule_id}: {outcome}: {fact}")
            if decided[9]:
                lines.append(f"    note: {decided[9]}")
    return "\n".join(lines)
