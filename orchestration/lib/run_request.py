"""The settings of one clearance run: its inputs, its policy choice and where it publishes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearance.errors import ClearanceError
from clearance.policies import Policy, load_policy, policy_from_options
from clearance.policies.errors import PolicyError

# Tags of every run of the county job. County, policy and compute date are set when the run
# is requested (the schedule, the sensor, the command line) or, for a run launched from the UI,
# by its load step; the input hashes are set by the load step, which computes them.
TAG_COUNTY = "clearance/county"
TAG_POLICY = "clearance/policy"
TAG_COMPUTE_DATE = "clearance/compute_date"
TAG_INPUT_SHA256 = "clearance/input_sha256"
# Every run of the job carries this tag; orchestration/dagster.yaml lets one such run write
# the warehouse at a time.
TAG_WAREHOUSE_WRITER = "clearance/warehouse"


@dataclass(frozen=True)
class RunRequest:
    """The settings of one run, as the command line and the Dagster run config carry them.

    `doj_paths` is empty when the run loads the county's newest extract from its landing
    folder; the load step resolves it.
    """

    run_id: str
    county: str
    doj_paths: tuple[str, ...]
    compute_date: str
    publish_root: str
    started_at: str
    warehouse: str
    options_file: str | None = None
    policy: str | None = None
    params: tuple[str, ...] = field(default_factory=tuple)
    compare_with: tuple[str, ...] = field(default_factory=tuple)
    # Court extracts and their mapping files, pairwise in the same order.
    court_paths: tuple[str, ...] = field(default_factory=tuple)
    court_mapping_paths: tuple[str, ...] = field(default_factory=tuple)

    @property
    def out_dir(self) -> str:
        """Return the run's own folder under the publish root, where its outputs are written."""
        from clearance.publishing.folders import run_folder

        return str(
            run_folder(
                Path(self.publish_root),
                self.county,
                dt.datetime.fromisoformat(self.started_at),
                self.run_id,
            )
        )

    def policy_file(self) -> Path:
        """Return the file the county policy comes from: the options file or the policy file."""
        from clearance.policies.loading import policy_path

        if self.options_file is not None:
            return Path(self.options_file)
        return policy_path(self.policy or "")

    def to_config(self) -> dict[str, Any]:
        """Return the fields as plain JSON values, the form of Dagster run config."""
        return {
            "run_id": self.run_id,
            "county": self.county,
            "doj_paths": list(self.doj_paths),
            "compute_date": self.compute_date,
            "publish_root": self.publish_root,
            "started_at": self.started_at,
            "warehouse": self.warehouse,
            "options_file": self.options_file,
            "policy": self.policy,
            "params": list(self.params),
            "compare_with": list(self.compare_with),
            "court_paths": list(self.court_paths),
            "court_mapping_paths": list(self.court_mapping_paths),
        }


def resolve_request(
    settings: dict[str, Any],
    *,
    dagster_run_id: str,
    partition_key: str | None,
    created_at: dt.datetime,
    tags: dict[str, str],
) -> RunRequest:
    """Complete a run's settings from its partition and the county configuration.

    The command line gives every setting. A run started by the schedule, the sensor or the UI
    may give none: the county is the partition, the policy and publish root come from the county
    configuration, the compute date from the run's tag or else the day the run was created, and
    the run id is Dagster's. Every step of a run resolves the same values, because each input
    is fixed when the run is created.
    """
    from clearance.counties import check_county, county_config, policy_params, project_path
    from clearance.settings import warehouse_path

    county_text = settings.get("county") or partition_key
    if not county_text:
        raise ClearanceError(
            "the run names no county: launch a partition of the county job, or set county in "
            "the clearance_run resource config"
        )
    county = check_county(county_text)
    config = county_config(county)

    options_file = settings.get("options_file")
    policy = settings.get("policy")
    params = tuple(settings.get("params") or ())
    if options_file is None and policy is None:
        policy = config["policy"]
        params = (*policy_params(config), *params)

    created_utc = created_at.astimezone(dt.UTC)
    compute_date = (
        settings.get("compute_date")
        or tags.get(TAG_COMPUTE_DATE)
        or created_at.astimezone().date().isoformat()
    )
    return RunRequest(
        run_id=settings.get("run_id") or dagster_run_id,
        county=county,
        doj_paths=tuple(settings.get("doj_paths") or ()),
        compute_date=compute_date,
        publish_root=settings.get("publish_root") or str(project_path(config["publish_root"])),
        started_at=settings.get("started_at") or created_utc.isoformat(),
        warehouse=settings.get("warehouse") or str(warehouse_path().resolve()),
        options_file=options_file,
        policy=policy,
        params=params,
        compare_with=tuple(settings.get("compare_with") or ()),
        court_paths=tuple(settings.get("court_paths") or ()),
        court_mapping_paths=tuple(settings.get("court_mapping_paths") or ()),
    )


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
