"""The settings of one clearance run: its inputs, its policy choice and its outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearance.policies import Policy, load_policy, policy_from_options
from clearance.policies.errors import PolicyError


@dataclass(frozen=True)
class RunRequest:
    """The settings of one run, as the command line and the Dagster run config carry them."""

    run_id: str
    county: str
    doj_paths: tuple[str, ...]
    compute_date: str
    out_dir: str
    warehouse: str
    options_file: str | None = None
    policy: str | None = None
    params: tuple[str, ...] = field(default_factory=tuple)
    compare_with: tuple[str, ...] = field(default_factory=tuple)
    # Court extracts and their mapping files, pairwise in the same order.
    court_paths: tuple[str, ...] = field(default_factory=tuple)
    court_mapping_paths: tuple[str, ...] = field(default_factory=tuple)

    def to_config(self) -> dict[str, Any]:
        """Return the fields as plain JSON values, the form of Dagster run config."""
        return {
            "run_id": self.run_id,
            "county": self.county,
            "doj_paths": list(self.doj_paths),
            "compute_date": self.compute_date,
            "out_dir": self.out_dir,
            "warehouse": self.warehouse,
            "options_file": self.options_file,
            "policy": self.policy,
            "params": list(self.params),
            "compare_with": list(self.compare_with),
            "court_paths": list(self.court_paths),
            "court_mapping_paths": list(self.court_mapping_paths),
        }


def resolve_policy(
    options_file: str | None, policy: str | None, params: tuple[str, ...] | list[str]
) -> Policy:
    """Load the county policy from an options file, or from a policy name or file with overrides.

    Raises PolicyError when both or neither are given, or when the file or a value is invalid.
    """
    if (options_file is None) == (policy is None):
        raise PolicyError("give exactly one of --options FILE and --policy NAME|FILE")
    if options_file is not None:
        # An options file is the configurable policy, so --param reaches its parameters too,
        # such as effective_date_check, which options files have no key for.
        return policy_from_options(options_file).with_overrides(params)
    return load_policy(policy).with_overrides(params)


def resolve_other_policies(names: tuple[str, ...] | list[str]) -> list[Policy]:
    """Load the policies given to --compare-with, each at its default parameters."""
    return [load_policy(name) for name in names]


def dbt_work_dir(warehouse: Path) -> Path:
    """Return the folder for dbt's target and logs beside a warehouse.

    One folder per warehouse file keeps runs against different warehouses (tests, parallel
    sessions) from overwriting each other's manifest and run results.
    """
    return warehouse.parent / f"{warehouse.stem}_dbt"
