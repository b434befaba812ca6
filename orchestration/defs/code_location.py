"""Build the code location's definitions for one warehouse file."""

from __future__ import annotations

from pathlib import Path

from dagster import Definitions

from orchestration.defs.assets import (
    build_analyst_database,
    build_dbt_models,
    build_doj_exports,
    build_motion_lists,
    dashboard,
    publication,
    raw_doj_load,
    run_manifest,
    statewide_dashboard,
)
from orchestration.defs.checks import build_suite_checks
from orchestration.defs.dbt_project import clearance_dbt_project
from orchestration.defs.jobs import clearance_run_job
from orchestration.defs.resources import ClearanceRun, dbt_cli_resource
from orchestration.defs.schedules import build_county_schedule
from orchestration.defs.sensors import build_landing_sensor


def build_definitions(warehouse: Path) -> Definitions:
    """Return the assets, checks, job, schedule, sensor and resources, with a dbt manifest
    private to the warehouse.

    The run settings resource is configured at launch: the command line passes every setting
    in run config; a run of a county partition started from the UI, the schedule or the sensor
    needs none (orchestration.lib.run_request.resolve_request).
    """
    project = clearance_dbt_project(warehouse)
    dbt_models = build_dbt_models(project)
    return Definitions(
        assets=[
            raw_doj_load,
            dbt_models,
            build_doj_exports(dbt_models),
            build_motion_lists(dbt_models),
            build_analyst_database(dbt_models),
            run_manifest,
            dashboard,
            publication,
            statewide_dashboard,
        ],
        asset_checks=build_suite_checks(),
        jobs=[clearance_run_job],
        schedules=[build_county_schedule(clearance_run_job)],
        sensors=[build_landing_sensor(clearance_run_job)],
        resources={
            "clearance_run": ClearanceRun.configure_at_launch(),
            "dbt": dbt_cli_resource(project),
        },
    )
