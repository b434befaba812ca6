"""Build the code location's definitions for one warehouse file."""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions

from orchestration.defs.assets import build_dbt_models, build_doj_exports, raw_doj_load
from orchestration.defs.checks import build_suite_checks
from orchestration.defs.dbt_project import clearance_dbt_project
from orchestration.defs.jobs import clearance_run_job
from orchestration.defs.resources import ClearanceRun, dbt_cli_resource


def build_definitions(warehouse: Path) -> Definitions:
    """Return the assets, checks, job and resources, with a dbt manifest private to the warehouse.

    The run settings resource is configured at launch: the command line passes it in run config,
    and the Dagster UI prompts for it in the launchpad.
    """
    project = clearance_dbt_project(warehouse)
    dbt_models = build_dbt_models(project)
    return Definitions(
        assets=[raw_doj_load, dbt_models, build_doj_exports(dbt_models)],
        asset_checks=build_suite_checks(),
        jobs=[clearance_run_job],
        resources={
            "clearance_run": ClearanceRun.configure_at_launch(),
            "dbt": dbt_cli_resource(project),
        },
    )
