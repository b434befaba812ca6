"""The suite worker: a suite validated in the worker process gives what it gives in this one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from clearance.loading.raw_schema import create_raw_schema
from expectations.runner import SuiteRun, run_suite
from orchestration.lib.suite_worker import SuiteWorkerError, active_suite_worker, suite_worker


def _run(warehouse: Path) -> SuiteRun:
    return SuiteRun(
        run_id="run-without-files",
        county="SAN JOAQUIN",
        warehouse=warehouse,
        doj_paths=(),
        county_config={},
    )


def test_worker_outcome_equals_in_process_outcome(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        create_raw_schema(con)
    run = _run(warehouse)

    with suite_worker() as worker:
        assert active_suite_worker() is worker
        from_worker = worker.run_suite("raw", run, "raw_suite", "raw/doj_lines")
    assert active_suite_worker() is None

    # A run with no file fails the suite's first expectation, wherever it is validated.
    assert not from_worker.passed
    failed = [outcome.description for outcome in from_worker.expectations if not outcome.success]
    assert "the run has at least one DOJ file" in failed
    assert from_worker == run_suite("raw", run, "raw_suite", "raw/doj_lines")


def test_suite_error_is_raised_in_the_run(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-warehouse.duckdb"
    with suite_worker() as worker, pytest.raises(duckdb.Error):
        worker.run_suite("raw", _run(missing), "raw_suite", "raw/doj_lines")


def test_stopped_worker_is_reported(tmp_path: Path) -> None:
    with suite_worker() as worker:
        worker.close()
        with pytest.raises(SuiteWorkerError, match="data-quality worker stopped"):
            worker.run_suite("raw", _run(tmp_path / "w.duckdb"), "raw_suite", "raw/doj_lines")
