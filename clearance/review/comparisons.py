"""`clearance compare`: two policies of the last run side by side, in impact and conviction by conviction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.review.warehouse import connect_read_only, run_policies

_IMPACT = """
    select measure, value_a, value_b, difference
    from marts.fct_policy_impact_comparisons
    where policy_a = ? and policy_b = ?
    order by measure_order
"""

_CHANGES = """
    select outcome_change, count(*)
    from marts.fct_policy_comparisons
    where policy_a = ? and policy_b = ?
    group by outcome_change
    order by count(*) desc, outcome_change
"""

_TRANSITIONS = """
    select
        determination_a, reason_a, determination_b, reason_b, deciding_difference, count(*)
    from marts.fct_policy_comparisons
    where policy_a = ? and policy_b = ? and outcome_change <> 'same'
    group by all
    order by count(*) desc, determination_a, reason_a, determination_b, reason_b
"""

_TOP_WITHHOLDING = """
    select rule_number, rule_id, determinations, subjects, convictions
    from marts.fct_withholding_rules
    where policy_name = ? and subject_rank = 1
    order by rule_number
"""


def compare_policies(warehouse: Path, policy_a: str, policy_b: str) -> str:
    """Return the comparison of two policies of the last run as text."""
    with connect_read_only(warehouse) as con:
        return format_comparison(con, policy_a, policy_b)


def format_comparison(con: duckdb.DuckDBPyConnection, policy_a: str, policy_b: str) -> str:
    """Return impact measures side by side, what changes conviction by conviction, and the
    rule that withholds relief from the most people under each policy."""
    run = run_policies(con)
    for name in (policy_a, policy_b):
        if name not in run.policies:
            known = ", ".join(run.policies)
            raise ClearanceError(
                f"policy {name!r}: not a policy of the last run; its policies are: {known}"
            )
    if policy_a == policy_b:
        raise ClearanceError(f"--policy {policy_a!r} given twice; compare two different policies")

    lines = [
        f"Comparing {policy_a} (A) with {policy_b} (B) in {run.county}, "
        f"compute date {run.compute_date.isoformat()}",
        "",
        f"{'measure':<48}{'A':>8}{'B':>8}{'B - A':>8}",
    ]
    impact = con.execute(_IMPACT, [policy_a, policy_b]).fetchall()
    for measure, value_a, value_b, difference in impact:
        lines.append(f"{measure:<48}{value_a:>8}{value_b:>8}{difference:>+8}")

    changes = con.execute(_CHANGES, [policy_a, policy_b]).fetchall()
    total = sum(count for _, count in changes)
    lines += ["", f"Prop 64 convictions by change from A to B ({total} in all):"]
    lines += [f"  {change}: {count}" for change, count in changes]

    transitions = con.execute(_TRANSITIONS, [policy_a, policy_b]).fetchall()
    if transitions:
        lines += ["", "What changes, and the rules that decide it:"]
    for determination_a, reason_a, determination_b, reason_b, difference, count in transitions:
        lines.append(
            f"  {count} x {determination_a}: {reason_a} -> {determination_b}: {reason_b} "
            f"({difference})"
        )

    lines += ["", "Rule withholding relief from the most people:"]
    for name in (policy_a, policy_b):
        top = con.execute(_TOP_WITHHOLDING, [name]).fetchall()
        if not top:
            lines.append(f"  {name}: none; every Prop 64 conviction gets relief")
        for rule_number, rule_id, determinations, subjects, convictions in top:
            lines.append(
                f"  {name}: rule {rule_number} {rule_id} ({determinations}): "
                f"{subjects} people, {convictions} convictions"
            )
    return "\n".join(lines)
