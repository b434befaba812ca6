"""Assets of a clearance run: the raw load, the dbt models, the exports, the motion lists and
the analyst database, the run manifest, the dashboard, the publication that makes them the
county's `latest`, and the statewide dashboard over every county's latest publication.

Every asset is partitioned by county. Publication is downstream of everything else, so a
failed step or a failed blocking asset check anywhere upstream leaves the previous
publication in place.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import (
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    DagsterEventType,
    MaterializeResult,
    asset,
    multi_asset,
)
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from clearance.warehouse_lock import acquire_warehouse_lock, release_warehouse_lock
from orchestration.defs.dbt_project import DBT_RUN_SELECTOR, dbt_build_args
from orchestration.defs.partitions import COUNTY_PARTITIONS
from orchestration.defs.resources import ClearanceRun
from orchestration.lib.run_request import (
    TAG_COMPUTE_DATE,
    TAG_COUNTY,
    TAG_INPUT_SHA256,
    TAG_POLICY,
    RunRequest,
    dbt_work_dir,
    resolve_policy,
)
from orchestration.lib.steps import load_raw_layer, progress

# Every asset that writes the warehouse runs in this pool. DuckDB allows one writer at a time,
# so the Dagster instance limits the pool to 1 step (orchestration/dagster.yaml). The file lock
# (clearance/warehouse_lock.py) also keeps other processes out for the whole run.
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
    partitions_def=COUNTY_PARTITIONS,
)
def raw_doj_load(context: AssetExecutionContext, clearance_run: ClearanceRun):
    """Load the run's DOJ files into the raw layer and register the run, policies and keys.

    It takes the warehouse lock, which the run keeps until its manifest is stored.
    """
    request = clearance_run.request(context)
    lock_for_run(context, request)
    outcome = load_raw_layer(request)
    policy = resolve_policy(request.options_file, request.policy, request.params)
    context.instance.add_run_tags(
        context.run.run_id,
        {
            TAG_COUNTY: request.county,
            TAG_POLICY: policy.name,
            TAG_COMPUTE_DATE: request.compute_date,
            TAG_INPUT_SHA256: ",".join(f"{name}:{sha}" for name, sha in outcome.file_hashes),
        },
    )
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


def lock_for_run(context: AssetExecutionContext, request: RunRequest) -> None:
    """Take the warehouse lock for this run's process, unless the run holds it already."""

    def report_wait(message: str) -> None:
        progress.info("%s", message)
        context.log.info("%s", message)

    acquire_warehouse_lock(Path(request.warehouse), on_wait=report_wait)


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


# The later steps' modules are loaded once this view is built. dbt's memory peaks while it
# builds the table under it, and loading them beside that added about 65 MB to the run's peak
# (1,000,000 rows, 2 cores).
STAGING_ROWS_OUTPUT = AssetKey(["staging", "stg_doj__rows"]).to_python_identifier()


def build_dbt_models(project: DbtProject) -> AssetsDefinition:
    """Return the dbt models and seeds of a run, with its data tests as asset checks."""

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        selector=DBT_RUN_SELECTOR,
        pool=WAREHOUSE_POOL,
        partitions_def=COUNTY_PARTITIONS,
    )
    def clearance_dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, clearance_run: ClearanceRun
    ):
        request = clearance_run.request(context)
        lock_for_run(context, request)
        progress.info("building models ...")
        from orchestration.lib.preload import preload_later_steps

        # The build shares the target folder of the parse that made the manifest, so dbt's
        # partial parsing state carries over and a rerun skips the full parse.
        target_path = dbt_work_dir(Path(request.warehouse)) / "target"
        preload = None
        with warehouse_environment(request.warehouse):
            events = dbt.cli(dbt_build_args(), context=context, target_path=target_path).stream()
            for event in events:
                yield event
                if preload is None and getattr(event, "output_name", None) == STAGING_ROWS_OUTPUT:
                    preload = preload_later_steps()

    return clearance_dbt_models


def build_doj_exports(dbt_models: AssetsDefinition) -> AssetsDefinition:
    """Return the exports asset, downstream of every dbt model, seed and test of the build."""

    @asset(
        deps=[dbt_models],
        group_name="exports",
        kinds={"python", "csv"},
        partitions_def=COUNTY_PARTITIONS,
    )
    def doj_exports(
        context: AssetExecutionContext, clearance_run: ClearanceRun
    ) -> MaterializeResult:
        """Write the run's CSV exports and summary.json into its run folder, owner-only."""
        from clearance.exports import write_exports
        from clearance.publishing.folders import create_run_folder

        request = clearance_run.request(context)
        progress.info("writing exports ...")
        out_dir = create_run_folder(Path(request.out_dir))
        written = write_exports(Path(request.warehouse), request.run_id, out_dir)
        context.log.info("Wrote %d export files to %s", len(written.files), out_dir)
        return MaterializeResult(
            metadata={"out_dir": str(out_dir), "files": ", ".join(written.files)}
        )

    return doj_exports


def build_motion_lists(dbt_models: AssetsDefinition) -> AssetsDefinition:
    """Return the motion lists asset, downstream of every dbt model, seed and test of the build."""

    @asset(
        deps=[dbt_models],
        group_name="exports",
        kinds={"python", "csv", "pdf"},
        partitions_def=COUNTY_PARTITIONS,
    )
    def motion_lists(
        context: AssetExecutionContext, clearance_run: ClearanceRun
    ) -> MaterializeResult:
        """Write each court's motion list, CSV and PDF, and the court review files, owner-only."""
        from clearance.exports.court_reviews import write_court_reviews
        from clearance.exports.motion_lists import write_motion_lists
        from clearance.publishing.folders import create_run_folder

        request = clearance_run.request(context)
        progress.info("writing motion lists ...")
        out_dir = create_run_folder(Path(request.out_dir))
        written = write_motion_lists(Path(request.warehouse), request.run_id, out_dir)
        context.log.info("Wrote %d motion lists to %s", len(written), out_dir)
        metadata = {f"rows_{item.court_county}": item.rows for item in written}
        if written:
            # A run with court files gets its review files beside its motion lists.
            review_rows = write_court_reviews(Path(request.warehouse), out_dir)
            metadata.update({f"rows_{name}": rows for name, rows in review_rows.items()})
        # Row counts only: the lists carry names, which stay out of Dagster's event log.
        return MaterializeResult(metadata=metadata)

    return motion_lists


def build_analyst_database(dbt_models: AssetsDefinition) -> AssetsDefinition:
    """Return the analyst database asset, downstream of the marts and their checks."""

    @asset(
        deps=[dbt_models],
        group_name="exports",
        kinds={"python", "duckdb"},
        partitions_def=COUNTY_PARTITIONS,
    )
    def analyst_database(
        context: AssetExecutionContext, clearance_run: ClearanceRun
    ) -> MaterializeResult:
        """Write analyst.duckdb, the run's marts without personal data, into the run folder."""
        from clearance.publishing.analyst import write_analyst_database
        from clearance.publishing.folders import create_run_folder

        request = clearance_run.request(context)
        progress.info("writing the analyst database ...")
        out_dir = create_run_folder(Path(request.out_dir))
        written = write_analyst_database(Path(request.warehouse), request.run_id, out_dir)
        context.log.info("Wrote %s with %d tables", written.path, len(written.row_counts))
        return MaterializeResult(
            metadata={
                "path": str(written.path),
                **{f"rows_{t}": n for t, n in written.row_counts.items()},
            }
        )

    return analyst_database


def run_check_results(context: AssetExecutionContext) -> list[dict]:
    """Return the outcome of every asset check evaluated so far in this run.

    Only names, the asset, the outcome and the severity are kept; a check's metadata can
    describe data, so it stays in Dagster's own event log.
    """
    results = []
    for record in context.instance.all_logs(
        context.run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ):
        evaluation = record.dagster_event.event_specific_data
        results.append(
            {
                "check": evaluation.check_name,
                "asset": evaluation.asset_key.to_user_string(),
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                # Dagster stops the run only on a failed blocking check of ERROR severity, so a
                # warning-severity suite declared blocking is listed as not blocking.
                "blocking": bool(evaluation.blocking)
                and evaluation.severity == AssetCheckSeverity.ERROR,
            }
        )
    return sorted(results, key=lambda result: (result["asset"], result["check"]))


@asset(
    deps=["doj_exports", "motion_lists", "analyst_database"],
    group_name="publish",
    kinds={"python", "duckdb", "json"},
    pool=WAREHOUSE_POOL,
    partitions_def=COUNTY_PARTITIONS,
)
def run_manifest(context: AssetExecutionContext, clearance_run: ClearanceRun) -> MaterializeResult:
    """Store the run manifest in raw.run_manifests and write run-manifest.json beside the outputs.

    This is the run's last write to the warehouse, so it releases the warehouse lock.
    """
    from clearance.publishing.manifest import (
        build_run_manifest,
        record_run_manifest,
        write_run_manifest,
    )
    from clearance.runs import connect_warehouse

    request = clearance_run.request(context)
    warehouse = Path(request.warehouse)
    lock_for_run(context, request)
    progress.info("writing the run manifest ...")
    out_dir = Path(request.out_dir)
    con = connect_warehouse(warehouse, merge_row_groups=False)
    try:
        manifest = build_run_manifest(
            con,
            request.run_id,
            policy_file=request.policy_file(),
            dagster_run_id=context.run.run_id,
            publication=out_dir,
            checks=run_check_results(context),
            given_paths=request.doj_paths,
            given_court_paths=request.court_paths,
        )
        record_run_manifest(con, manifest)
    finally:
        con.close()
    release_warehouse_lock(warehouse)
    path = write_run_manifest(out_dir, manifest)
    context.log.info("Wrote the run manifest %s", path)
    return MaterializeResult(
        metadata={
            "path": str(path),
            "inputs": ", ".join(
                f"{item['file_name']}:{item['sha256']}" for item in manifest["inputs"]
            ),
            "git_commit": manifest["code_version"]["git_commit"] or "unknown",
        }
    )


@asset(
    deps=[run_manifest],
    group_name="publish",
    kinds={"python", "html"},
    partitions_def=COUNTY_PARTITIONS,
)
def dashboard(context: AssetExecutionContext, clearance_run: ClearanceRun) -> MaterializeResult:
    """Write dashboard.html, the county's page for policymakers, into the run folder.

    It reads only the run folder's published outputs (analyst.duckdb, summary.json, the
    manifest and the data-quality results), so it is downstream of every blocking check.
    """
    from clearance.dashboards.publish import write_county_dashboard

    request = clearance_run.request(context)
    progress.info("writing the dashboard ...")
    path = write_county_dashboard(Path(request.out_dir))
    context.log.info("Wrote the dashboard %s", path)
    return MaterializeResult(metadata={"path": str(path)})


@asset(
    deps=[run_manifest, dashboard],
    group_name="publish",
    kinds={"python"},
    partitions_def=COUNTY_PARTITIONS,
)
def publication(context: AssetExecutionContext, clearance_run: ClearanceRun) -> MaterializeResult:
    """Point the county's `latest` link at this run's folder, in one atomic rename."""
    from clearance.publishing.folders import publish_latest

    request = clearance_run.request(context)
    progress.info("publishing ...")
    link = publish_latest(Path(request.out_dir))
    context.log.info("Published %s as %s", request.out_dir, link)
    return MaterializeResult(metadata={"latest": str(link), "run_folder": request.out_dir})


@asset(
    deps=[publication],
    group_name="publish",
    kinds={"python", "html"},
    partitions_def=COUNTY_PARTITIONS,
)
def statewide_dashboard(
    context: AssetExecutionContext, clearance_run: ClearanceRun
) -> MaterializeResult:
    """Write the statewide page over every county's latest publication, this run's included."""
    from clearance.dashboards.publish import write_statewide_dashboard

    request = clearance_run.request(context)
    progress.info("writing the statewide dashboard ...")
    path = write_statewide_dashboard(Path(request.publish_root))
    context.log.info("Wrote the statewide dashboard %s", path)
    return MaterializeResult(metadata={"path": str(path)})
