"""The job a clearance run executes: every asset of the code location, in dependency order."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor

from orchestration.lib.run_request import TAG_WAREHOUSE_WRITER

CLEARANCE_RUN_JOB = "clearance_run"

clearance_run_job = define_asset_job(
    CLEARANCE_RUN_JOB,
    # Partitioned by county, as its assets are.
    selection=AssetSelection.all(),
    description=(
        "Load a county's DOJ files, build the dbt models, write the exports, the analyst "
        "database and the dashboard, store the run manifest, publish, and rewrite the "
        "statewide dashboard."
    ),
    # All steps run in the run's own process, which holds the warehouse file lock from the
    # load step to the manifest. A step in another process could not share that lock.
    executor_def=in_process_executor,
    tags={TAG_WAREHOUSE_WRITER: "writer"},
)
