"""Policies: load and validate policy and options files, and write a run's rules for dbt."""

from clearance.policies.errors import PolicyError
from clearance.policies.loading import built_in_policy_names, load_policy, parse_policy
from clearance.policies.options import policy_from_options
from clearance.policies.policy import Policy, ResolvedRule, Rule
from clearance.policies.run_rules import (
    HYPOTHETICAL_POLICIES,
    policy_rule_rows,
    write_run_policy_rules,
)

__all__ = [
    "HYPOTHETICAL_POLICIES",
    "Policy",
    "PolicyError",
    "ResolvedRule",
    "Rule",
    "built_in_policy_names",
    "load_policy",
    "parse_policy",
    "policy_from_options",
    "policy_rule_rows",
    "write_run_policy_rules",
]
