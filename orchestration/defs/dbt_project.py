"""The dbt project for Dagster, with a manifest private to one warehouse."""

from __future__ import annotations

import logging
from pathlib import Path

from dagster_dbt import DbtProject

from clearance.settings import PROJECT_DIR
from orchestration.defs.resources import dbt_cli_resource
from orchestration.lib.dbt_sources import manifest_is_stale
from orchestration.lib.run_request import dbt_work_dir

logger = logging.getLogger(__name__)


def clearance_dbt_project(warehouse: Path) -> DbtProject:
    """Return the project with its target folder beside the warehouse, parsed when needed.

    This does what `DbtProject.prepare_if_dev()` does (parse again under `dagster dev`) and also
    parses when the manifest is missing or older than the project's files, as after an upgrade.
    It runs the venv's dbt explicitly because the built-in preparer runs `dbt` from PATH, which
    an unactivated virtual environment does not provide.
    """
    target_path = dbt_work_dir(warehouse) / "target"
    project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=target_path)
    if project.preparer.using_dagster_dev() or manifest_is_stale(project.manifest_path):
        logger.info("Parsing the dbt project into %s", target_path)
        # The run's dbt standby serves one command, which is kept for the build.
        dbt_cli_resource(project, use_standby=False).cli(
            ["parse", "--quiet"], target_path=target_path
        ).wait()
    return project


# The nodes a run builds (selectors.yml): every model and seed, and only the data tests that
# guard the run's outputs. The other data tests and the dbt unit tests check the SQL on test
# fixtures, and at a million input lines they took about 5 s of a 30 s run (2 cores).
DBT_RUN_SELECTOR = "clearance_run"


def dbt_build_args() -> list[str]:
    """Return the dbt build arguments of a run; dagster-dbt adds the selection.

    The run comes from raw.current_run, not from a dbt variable, because a changed variable
    makes dbt parse the whole project again.

    `--no-write-json` keeps dbt from writing manifest.json and run_results.json at the start and
    end of the build: 0.4 s of every run (2 cores). The manifest that Dagster reads comes from
    the parse in clearance_dbt_project, and dbt.log in the same target folder has each node's
    timing and status.
    """
    return ["build", "--no-write-json"]
