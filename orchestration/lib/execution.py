"""Execute one clearance run as a Dagster job run inside this process."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from pathlib import Path
from typing import Any

from orchestration.lib.run_request import RunRequest

logger = logging.getLogger(__name__)


def run_config(request: RunRequest, verbose: bool = False) -> dict[str, Any]:
    """Return the Dagster run config of a run: its settings and the console log level.

    Dagster's console logger prints every event; the command line prints its own progress
    lines instead, unless asked to be verbose.
    """
    return {
        "resources": {"clearance_run": {"config": request.to_config()}},
        "loggers": {"console": {"config": {"log_level": "INFO" if verbose else "CRITICAL"}}},
    }


def execute_run(request: RunRequest, verbose: bool = False) -> None:
    """Build the definitions for the run's warehouse and execute the job in process.

    The process holds the warehouse lock for the whole run, so a second writer (another
    command, a scheduled run) waits until this one has finished. execute_in_process uses an
    ephemeral Dagster instance, so nothing is written to DAGSTER_HOME. An asset's exception is
    raised again here unchanged.
    """
    from clearance.settings import PROJECT_DIR
    from orchestration.lib.dbt_preload import ProjectFolders
    from orchestration.lib.dbt_standby import dbt_standby
    from orchestration.lib.run_request import dbt_work_dir
    from orchestration.lib.suite_worker import suite_worker

    folders = ProjectFolders(
        PROJECT_DIR, PROJECT_DIR, dbt_work_dir(Path(request.warehouse)) / "target"
    )
    # Started before Dagster is imported, so the imports of Dagster, Great Expectations and dbt
    # share the two cores and overlap the load.
    with suite_worker(), dbt_standby(folders):
        result = _execute_job(request, verbose)
    logger.info("Dagster run %s finished: success=%s", result.run_id, result.success)


def _execute_job(request: RunRequest, verbose: bool) -> Any:
    """Execute the job under the warehouse lock and return Dagster's result."""
    from clearance.warehouse_lock import exclusive_warehouse_lock
    from orchestration.defs.code_location import build_definitions
    from orchestration.defs.jobs import CLEARANCE_RUN_JOB
    from orchestration.lib.run_request import TAG_COMPUTE_DATE, TAG_COUNTY
    from orchestration.lib.steps import progress

    # dagster-dbt writes every dbt log line to stdout, which is kept for the run's summary:
    # they go to stderr when verbose and are dropped otherwise.
    with (
        exclusive_warehouse_lock(Path(request.warehouse), on_wait=progress.info),
        contextlib.redirect_stdout(sys.stderr if verbose else io.StringIO()),
    ):
        definitions = build_definitions(Path(request.warehouse))
        job = definitions.resolve_job_def(CLEARANCE_RUN_JOB)
        return job.execute_in_process(
            run_config=run_config(request, verbose),
            partition_key=request.county,
            tags={TAG_COUNTY: request.county, TAG_COMPUTE_DATE: request.compute_date},
        )
