"""Run a run's data-quality suites, record their results and add them to the run's report."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.counties import county_config
from clearance.errors import ClearanceError
from orchestration.lib.run_request import RunRequest
from orchestration.lib.suite_worker import active_suite_worker

if TYPE_CHECKING:
    from expectations.outcomes import SuiteOutcome

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
    outcomes, error = run_data_quality_suites([SuiteRequest(suite, check_name, asset)], request)
    if error is not None:
        raise error
    return outcomes[0]


@dataclass(frozen=True)
class SuiteRequest:
    """One suite to validate: its name, the check that reports it and the asset checked."""

    suite: str
    check_name: str
    asset: str


def run_data_quality_suites(
    suites: Sequence[SuiteRequest], request: RunRequest
) -> tuple[list[SuiteOutcome], Exception | None]:
    """Validate each suite in turn, then record every outcome at once and add it to the report.

    Returns the outcomes of the suites that ran, in order, and the first error raised by a
    suite. A suite that fails to run does not stop the ones after it, and the outcomes before
    and after it are still recorded.
    """
    from expectations.recording import record_outcomes
    from expectations.report import add_outcome
    from expectations.runner import SuiteRun, run_suite
    from orchestration.lib.steps import progress

    run = SuiteRun(
        run_id=request.run_id,
        county=request.county,
        warehouse=Path(request.warehouse),
        doj_paths=request.doj_paths,
        county_config=run_county_config(request.county),
    )
    worker = active_suite_worker()
    results: list[tuple[SuiteOutcome, tuple[int, int] | None]] = []
    first_error: Exception | None = None
    for item in suites:
        progress.info("checking the %s suite ...", item.suite)
        try:
            if worker is None:
                outcome = run_suite(item.suite, run, item.check_name, item.asset)
            else:
                outcome = worker.run_suite(item.suite, run, item.check_name, item.asset)
            volume = _volume(outcome)
        except Exception as error:
            # Only the type in this line, because a DuckDB message can quote a value from the
            # data. The caller raises the error itself once the other suites have run.
            logger.error(
                "The %s suite failed to run for run %s (%s)",
                item.suite,
                request.run_id,
                type(error).__name__,
            )
            first_error = first_error or error
            continue
        results.append((outcome, volume))
    if results:
        record_outcomes(run.warehouse, results)
        for outcome, _ in results:
            add_outcome(Path(request.out_dir), outcome)
    return [outcome for outcome, _ in results], first_error


def _volume(outcome: SuiteOutcome) -> tuple[int, int] | None:
    """Return (subjects, Prop 64 convictions) from the volume suite's outcome, else None."""
    if outcome.suite != "volume":
        return None
    counts = outcome.aggregates["run"][0]
    return int(counts["subjects"]), int(counts["prop64_convictions"])
