"""Choosing the county policy from the command line's --options, --policy and --param."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.policies.errors import PolicyError
from orchestration.lib.run_request import resolve_policy


def _options_file(tmp_path: Path) -> Path:
    path = tmp_path / "options.json"
    path.write_text(json.dumps({"baselineEligibility": {"dismiss": ["11357"]}}))
    return path


def test_options_keep_effective_date_by_default(tmp_path: Path) -> None:
    policy = resolve_policy(str(_options_file(tmp_path)), None, [])
    rule_ids = [rule.rule_id for rule in policy.resolved_rules()]
    assert rule_ids[0] == "effective_date"


def test_param_disables_options_effective_date(tmp_path: Path) -> None:
    policy = resolve_policy(str(_options_file(tmp_path)), None, ["effective_date_check=false"])
    rule_ids = [rule.rule_id for rule in policy.resolved_rules()]
    # Rule 0 is gone, so "not a felony" is evaluated first.
    assert rule_ids[0] == "not_felony"
    assert "effective_date" not in rule_ids


def test_options_with_policy_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="exactly one"):
        resolve_policy(str(_options_file(tmp_path)), "configurable", [])
