"""Assets of a clearance run: the raw load, the dbt models, and the exports."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MaterializeResult,
    asset,
    multi_asset,
)
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.dbt_project import DBT_RUN_SELECTOR, dbt_build_args
from orchestration.defs.resources import ClearanceRun
from orchestration.lib.run_request import dbt_work_dir
from orchestration.lib.steps import load_raw_layer, progress

# Every asset that writes the warehouse runs in this pool. DuckDB allows one writer at a time,
# so the Dagster instance limits the pool to 1 step (orchestration/dagster.yaml).
WAREHOUSE_POOL = "clearance_warehouse"
# The raw tables the load step writes. Their asset keys (raw/<table>) are the keys dagster-dbt
# gives the dbt sources of the same tables, so the models depend on the load step.
RAW_TABLES = (
    "doj_files",
    "doj_lines",
    "doj_quarantine",
    "runs",
    "run_files",
    "run_policy_rules",
    "run_subject_keys",
    "court_files",
    "court_rows",
    "court_quarantine",
    "run_court_files",
)


@multi_asset(
    name="raw_doj_load",
    specs=[
        AssetSpec(
            AssetKey(["raw", table]),
            description=f"raw.{table}, written by the load step of each run.",
            group_name="load",
            kinds={"python", "duckdb"},
        )
        for table in RAW_TABLES
    ],
    pool=WAREHOUSE_POOL,
)
def raw_doj_load(context: AssetExecutionContext, clearance_run: ClearanceRun):
    """Load the run's DOJ files into the raw layer and register the run, policies and keys."""
    outcome = load_raw_layer(clearance_run.request())
    context.log.info(
        "Loaded %d files: %d lines read, %d loaded, %d quarantined",
        outcome.files,
        outcome.lines_read,
        outcome.lines_loaded,
        outcome.lines_quarantined,
    )
    metadata = {
        "files": outcome.files,
        "lines_read": outcome.lines_read,
        "lines_loaded": outcome.lines_loaded,
        "lines_quarantined": outcome.lines_quarantined,
    }
    for table in RAW_TABLES:
        yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata=metadata)


@contextmanager
def warehouse_environment(warehouse: str) -> Iterator[None]:
    """Point CLEARANCE_WAREHOUSE, which profiles.yml reads, at the run's warehouse while dbt runs."""
    previous = os.environ.get("CLEARANCE_WAREHOUSE")
    os.environ["CLEARANCE_WAREHOUSE"] = warehouse
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CLEARANCE_WAREHOUSE", None)
        else:
            os.environ["CLEARANCE_WAREHOUSE"] = previous


def build_dbt_models(project: DbtProject) -> AssetsDefinition:
    """Return the dbt models and seeds of a run, with its data tests as asset checks."""

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        selector=DBT_RUN_SELECTOR,
        pool=WAREHOUSE_POOL,
    )
    def clearance_dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, clearance_run: ClearanceRun
    ):
        request = clearance_run.request()
        progress.info("building models ...")
        # The build shares the target folder of the parse that made the manifest, so dbt's
        # partial parsing state carries over and a rerun skips the full parse.
        target_path = dbt_work_dir(Path(request.warehouse)) / "target"
        with warehouse_environment(request.warehouse):
            yield from dbt.cli(dbt_build_args(), context=context, target_path=target_path).stream()

    return clearance_dbt_models


def build_doj_exports(dbt_models: AssetsDefinition) -> AssetsDefinition:
    """Return the exports asset, downstream of every dbt model, seed and test of the build."""

    @asset(deps=[dbt_models], group_name="exports", kinds={"python", "csv"})
    def doj_exports(
        context: AssetExecutionContext, clearance_run: ClearanceRun
    ) -> MaterializeResult:
        """Write the run's CSV exports and summary.json into its out folder, owner-only."""
        from clearance.exports import write_exports

        request = clearance_run.request()
        progress.info("writing exports ...")
        written = write_exports(Path(request.warehouse), request.run_id, Path(request.out_dir))
        context.log.info("Wrote %d export files to %s", len(written.files), request.out_dir)
        return MaterializeResult(
            metadata={"out_dir": request.out_dir, "files": ", ".join(written.files)}
        )

    return doj_exports
