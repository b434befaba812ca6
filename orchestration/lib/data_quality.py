"""Run one data-quality suite for a run, record its result and add it to the run's report."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from clearance.counties import county_config
from clearance.errors import ClearanceError
from orchestration.lib.run_request import RunRequest
from orchestration.lib.suite_worker import active_suite_worker

logger = logging.getLogger(__name__)


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

    Returns the SuiteOutcome. A command-line run validates in its suite worker, which has
    imported Great Expectations meanwhile; a run without one (scheduled, or in a test)
    imports it here, so that commands which do not validate never load it.
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
    worker = active_suite_worker()
    if worker is None:
        outcome = run_suite(suite, run, check_name, asset)
    else:
        outcome = worker.run_suite(suite, run, check_name, asset)
    volume = None
    if suite == "volume":
        counts = outcome.aggregates["run"][0]
        volume = (int(counts["subjects"]), int(counts["prop64_convictions"]))
    record_outcome(run.warehouse, outcome, volume)
    add_outcome(Path(request.out_dir), outcome)
    return outcome
