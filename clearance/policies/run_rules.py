"""Write the policies of a run into raw.run_policy_rules, which dbt evaluates."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from clearance.policies.loading import load_policy
from clearance.policies.policy import Policy

logger = logging.getLogger(__name__)

# Computed beside every county policy, so every run reports what full relief would achieve.
HYPOTHETICAL_POLICIES: tuple[str, ...] = ("dismiss-all-prop64", "dismiss-all-prop64-and-related")


@dataclass(frozen=True)
class PolicyRuleRow:
    """One row of raw.run_policy_rules, without the run id."""

    policy_name: str
    policy_role: str
    policy_order: int
    policy_scope: str
    rule_number: int
    rule_id: str
    predicate: str
    parameters: str
    determination: str
    reason_template: str
    grants_relief: bool


def run_policies(
    county_policy: Policy, other_policies: Sequence[Policy] = ()
) -> list[tuple[Policy, str]]:
    """Return the policies of a run in order, each with its role.

    The county's policy comes first, then the standard hypotheticals, then other_policies (the
    policies a county weighs, from --compare-with), all hypothetical. A policy named twice
    appears once, in its first place.
    """
    policies = [(county_policy, "county")]
    hypotheticals = [load_policy(name) for name in HYPOTHETICAL_POLICIES]
    names = {county_policy.name}
    for policy in [*hypotheticals, *other_policies]:
        if policy.name not in names:
            names.add(policy.name)
            policies.append((policy, "hypothetical"))
    return policies


def policy_rule_rows(
    county_policy: Policy, other_policies: Sequence[Policy] = ()
) -> list[PolicyRuleRow]:
    """Return the rule rows of a run, with parameters resolved to literal JSON."""
    rows: list[PolicyRuleRow] = []
    policies = run_policies(county_policy, other_policies)
    for policy_order, (policy, role) in enumerate(policies, start=1):
        for rule in policy.resolved_rules():
            rows.append(
                PolicyRuleRow(
                    policy_name=policy.name,
                    policy_role=role,
                    policy_order=policy_order,
                    policy_scope=policy.scope,
                    rule_number=rule.rule_number,
                    rule_id=rule.rule_id,
                    predicate=rule.predicate,
                    parameters=rule.parameters_json(),
                    determination=rule.determination,
                    reason_template=rule.reason_template,
                    grants_relief=rule.grants_relief,
                )
            )
    return rows


def write_run_policy_rules(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    county_policy: Policy,
    other_policies: Sequence[Policy] = (),
) -> int:
    """Replace the run's rows in raw.run_policy_rules and return how many were written."""
    rows = policy_rule_rows(county_policy, other_policies)
    con.execute("delete from raw.run_policy_rules where run_id = ?", [run_id])
    con.executemany(
        """
        insert into raw.run_policy_rules (
            run_id, policy_name, policy_role, policy_order, policy_scope, rule_number, rule_id,
            predicate, parameters, determination, reason_template, grants_relief
        ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (
                run_id,
                row.policy_name,
                row.policy_role,
                row.policy_order,
                row.policy_scope,
                row.rule_number,
                row.rule_id,
                row.predicate,
                row.parameters,
                row.determination,
                row.reason_template,
                row.grants_relief,
            )
            for row in rows
        ],
    )
    logger.info("Wrote %d policy rules for run %s", len(rows), run_id)
    return len(rows)
