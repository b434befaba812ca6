"""The Dagster code location: its asset graph, job and pools, built without touching a warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dagster import AssetKey
from dbt_harness import empty_warehouse, run_dbt

from orchestration.defs.assets import WAREHOUSE_POOL
from orchestration.defs.code_location import build_definitions
from orchestration.defs.dbt_project import DBT_RUN_SELECTOR, dbt_build_args
from orchestration.defs.jobs import CLEARANCE_RUN_JOB

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def definitions_and_warehouse(tmp_path_factory: pytest.TempPathFactory):
    warehouse = tmp_path_factory.mktemp("definitions") / "clearance.duckdb"
    return build_definitions(warehouse), warehouse


def test_dbt_build_args_take_no_variables() -> None:
    args = dbt_build_args()
    assert args[0] == "build"
    assert "--vars" not in args
    # The build leaves the parse's manifest.json in place instead of writing it again.
    assert "--no-write-json" in args


def test_run_selector_builds_models_and_run_checks(tmp_path: Path) -> None:
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    listed = run_dbt(
        ["ls", "--selector", DBT_RUN_SELECTOR, "--output", "json", "--quiet"], warehouse, tmp_path
    )
    assert listed.returncode == 0, listed.stdout[-2000:]
    nodes = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    by_type: dict[str, list[dict]] = {}
    for node in nodes:
        by_type.setdefault(node["resource_type"], []).append(node)

    every = run_dbt(["ls", "--resource-type", "model", "--quiet"], warehouse, tmp_path)
    assert len(by_type["model"]) == len(every.stdout.split())
    assert sorted(seed["name"] for seed in by_type["seed"]) == [
        "code_section_lists",
        "published_targets",
    ]
    assert "unit_test" not in by_type
    assert by_type["test"], "the run must keep its output checks"
    for test in by_type["test"]:
        assert "run_check" in test["tags"], test["name"]


def test_building_definitions_opens_no_warehouse(definitions_and_warehouse) -> None:
    _, warehouse = definitions_and_warehouse
    assert not warehouse.exists()
    # The manifest is parsed into a folder private to this warehouse.
    assert (warehouse.parent / "clearance_dbt" / "target" / "manifest.json").is_file()


def test_asset_graph_runs_load_then_dbt_then_exports(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    graph = definitions.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for key in (
        AssetKey(["raw", "doj_lines"]),
        AssetKey(["raw", "runs"]),
        AssetKey(["staging", "stg_doj__rows"]),
        AssetKey(["exports", "exp_doj__results"]),
        AssetKey(["marts", "fct_county_impact"]),
        AssetKey("doj_exports"),
    ):
        assert key in keys, key.to_user_string()

    staging_parents = graph.get(AssetKey(["staging", "stg_doj__fields"])).parent_keys
    assert AssetKey(["raw", "doj_lines"]) in staging_parents
    export_parents = graph.get(AssetKey("doj_exports")).parent_keys
    assert AssetKey(["exports", "exp_doj__results"]) in export_parents
    assert AssetKey(["marts", "fct_county_impact"]) in export_parents


def test_job_covers_every_asset(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    job = definitions.resolve_job_def(CLEARANCE_RUN_JOB)
    assert sorted(node.name for node in job.graph.nodes) == [
        "analyst_database",
        "clearance_dbt_models",
        "dashboard",
        "doj_exports",
        "motion_lists",
        "publication",
        "raw__doj_lines_raw_suite",
        "raw_doj_load",
        "run_manifest",
        "statewide_dashboard",
        # The five suites after dbt, one check each, in one step.
        "suites_after_build",
    ]


def test_warehouse_writers_share_one_pool(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    job = definitions.resolve_job_def(CLEARANCE_RUN_JOB)
    pools = {node.name: node.definition.pool for node in job.graph.nodes}
    assert pools["raw_doj_load"] == WAREHOUSE_POOL
    assert pools["clearance_dbt_models"] == WAREHOUSE_POOL
    assert pools["run_manifest"] == WAREHOUSE_POOL
    # The exports and the analyst database only read the warehouse, and publication only
    # renames a link.
    assert pools["doj_exports"] is None
    assert pools["analyst_database"] is None
    assert pools["motion_lists"] is None
    assert pools["publication"] is None
    assert pools["dashboard"] is None
    assert pools["statewide_dashboard"] is None
    # The suite checks record their results in the warehouse.
    assert pools["raw__doj_lines_raw_suite"] == WAREHOUSE_POOL
    assert pools["suites_after_build"] == WAREHOUSE_POOL


def test_publication_is_downstream_of_every_output(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    graph = definitions.resolve_asset_graph()
    upstream = graph.get(AssetKey("publication")).parent_keys
    assert upstream == {AssetKey("run_manifest"), AssetKey("dashboard")}
    assert graph.get(AssetKey("dashboard")).parent_keys == {AssetKey("run_manifest")}
    assert graph.get(AssetKey("statewide_dashboard")).parent_keys == {AssetKey("publication")}
    manifest_parents = graph.get(AssetKey("run_manifest")).parent_keys
    assert manifest_parents == {
        AssetKey("doj_exports"),
        AssetKey("motion_lists"),
        AssetKey("analyst_database"),
    }
    analyst_parents = graph.get(AssetKey("analyst_database")).parent_keys
    assert AssetKey(["marts", "fct_subject_relief"]) in analyst_parents
    assert AssetKey(["marts", "fct_conviction_outcomes"]) in analyst_parents


def test_every_asset_is_partitioned_by_county(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    graph = definitions.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        keys = node.partitions_def.get_partition_keys()
        assert len(keys) == 58, key.to_user_string()
        assert "SAN FRANCISCO" in keys


def test_job_runs_in_one_process_with_writer_tag(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    job = definitions.resolve_job_def(CLEARANCE_RUN_JOB)
    assert job.executor_def.name == "in_process"
    assert job.tags["clearance/warehouse"] == "writer"


def test_schedule_and_sensor_target_the_job(definitions_and_warehouse) -> None:
    definitions, _ = definitions_and_warehouse
    schedule = definitions.resolve_schedule_def("county_schedule")
    assert schedule.cron_schedule == "0 6 1 * *"
    assert schedule.execution_timezone == "America/Los_Angeles"
    assert schedule.job_name == CLEARANCE_RUN_JOB
    sensor = definitions.resolve_sensor_def("landing_sensor")
    assert sensor.job_name == CLEARANCE_RUN_JOB
    assert sensor.minimum_interval_seconds == 60


def test_manifest_older_than_project_is_stale(tmp_path) -> None:
    import os

    from orchestration.lib.dbt_sources import manifest_is_stale

    manifest = tmp_path / "manifest.json"
    assert manifest_is_stale(manifest)

    manifest.write_text("{}")
    # Dated 2001: every file of the project is newer.
    os.utime(manifest, (1_000_000_000, 1_000_000_000))
    assert manifest_is_stale(manifest)

    # Dated 2286: no file of the project is newer.
    os.utime(manifest, (10_000_000_000, 10_000_000_000))
    assert not manifest_is_stale(manifest)
