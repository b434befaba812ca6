"""The job a clearance run executes: every asset of the code location, in dependency order."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

CLEARANCE_RUN_JOB = "clearance_run"

clearance_run_job = define_asset_job(
    CLEARANCE_RUN_JOB,
    selection=AssetSelection.all(),
    description="Load DOJ files, build the dbt models for the run, write the exports.",
)
