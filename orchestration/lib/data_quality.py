"""Run one data-quality suite for a run, record its result and add it to the run's report."""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import Any

from clearance.counties import county_config
from clearance.errors import ClearanceError
from orchestration.lib.run_request import RunRequest

logger = logging.getLogger(__name__)


def preload_great_expectations() -> threading.Thread:
    """Start importing Great Expectations in a daemon thread and return the thread.

    The import of pandas and GX took 2 to 3 s on 2 shared cores. Started when the job starts,
    it runs while DuckDB loads the files, which releases the GIL, so the first check of a
    large run hardly waits for it. A failed import is only logged here, because the check
    imports the module again and reports the error.
    """

    def load() -> None:
        try:
            importlib.import_module("expectations.validation")
        except Exception:
            logger.debug("Preloading Great Expectations failed", exc_info=True)

    thread = threading.Thread(target=load, name="preload-great-expectations", daemon=True)
    thread.start()
    return thread


def run_county_config(county: str) -> dict[str, Any]:
    """Return the county's configuration, or no settings for a name that is not a county.

    The suites then use their defaults. Such a run decides nothing, and the exports step
    stops it with a message naming the counties in its files.
    """
    try:
        return county_config(county)
    except ClearanceError as error:
        logger.warning("Checking with default thresholds: %s", error)
        return {}


def run_data_quality_suite(suite: str, check_name: str, asset: str, request: RunRequest):
    """Validate the suite on the run, record the result in the warehouse and the report.

    Returns the SuiteOutcome. Great Expectations is imported here at the latest (a run's job
    preloads it), so that commands which do not validate never load it.
    """
    from expectations.recording import record_outcome
    from expectations.report import add_outcome
    from expectations.runner import SuiteRun, run_suite

    run = SuiteRun(
        run_id=request.run_id,
        county=request.county,
        warehouse=Path(request.warehouse),
        doj_paths=request.doj_paths,
        county_config=run_county_config(request.county),
    )
    outcome = run_suite(suite, run, check_name, asset)
    volume = None
    if suite == "volume":
        counts = outcome.aggregates["run"][0]
        volume = (int(counts["subjects"]), int(counts["prop64_convictions"]))
    record_outcome(run.warehouse, outcome, volume)
    add_outcome(Path(request.out_dir), outcome)
    return outcome
