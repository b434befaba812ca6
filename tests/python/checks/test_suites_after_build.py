"""The suites after dbt: one Dagster step, one warehouse connection for their results, and a
suite that fails to run does not stop the suites after it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

import expectations.recording
import expectations.runner
from expectations.outcomes import BLOCKING, ExpectationOutcome, SuiteOutcome
from expectations.recording import record_outcomes
from expectations.report import JSON_REPORT
from orchestration.defs.checks import build_suite_checks
from orchestration.lib.data_quality import SuiteRequest, run_data_quality_suites
from orchestration.lib.run_request import RunRequest

RUN_ID = "run00000000000000000000000000001"
COUNTY = "LOS ANGELES"


def outcome(suite: str, passed: bool = True) -> SuiteOutcome:
    return SuiteOutcome(
        suite=suite,
        check_name=f"{suite}_suite",
        asset="marts/fct_conviction_outcomes",
        run_id=RUN_ID,
        county=COUNTY,
        severity=BLOCKING,
        expectations=[
            ExpectationOutcome(
                frame="run",
                expectation="expect_column_values_to_be_between",
                column="determined_convictions_difference",
                description="convictions without a determination",
                success=passed,
                observed=0 if passed else 2,
                expected="between 0 and 0",
            )
        ],
        aggregates={"run": [{"subjects": 211, "prop64_convictions": 272}]},
    )


def recorded_checks(warehouse: Path) -> list[tuple[str, bool]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select check_name, passed from raw.run_check_results order by check_name"
        ).fetchall()


def test_record_outcomes_replaces_rows(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"

    record_outcomes(warehouse, [(outcome("staging", passed=False), None)])
    record_outcomes(
        warehouse,
        [(outcome("staging"), None), (outcome("volume"), (211, 272)), (outcome("marts"), None)],
    )

    # The second call replaced the failed staging row instead of adding one.
    assert recorded_checks(warehouse) == [
        ("marts_suite", True),
        ("staging_suite", True),
        ("volume_suite", True),
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        volumes = con.execute(
            "select run_id, county, subjects, prop64_convictions from raw.run_volumes"
        ).fetchall()
    assert volumes == [(RUN_ID, COUNTY, 211, 272)]


@pytest.fixture
def request_in(tmp_path: Path) -> RunRequest:
    return RunRequest(
        run_id=RUN_ID,
        county=COUNTY,
        doj_paths=(),
        compute_date="2026-07-01",
        publish_root=str(tmp_path / "out"),
        started_at="2026-12-05T00:00:00+00:00",
        warehouse=str(tmp_path / "warehouse.duckdb"),
    )


def test_recording_skips_row_group_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # After dbt, this is the warehouse's first writer: with the merge, its checkpoint rewrote
    # the row groups of dbt's last models on one thread.
    opened: list[dict[str, object]] = []
    real_connect = expectations.recording.connect_warehouse

    def connect(path: Path, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        opened.append(kwargs)
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(expectations.recording, "connect_warehouse", connect)

    record_outcomes(tmp_path / "warehouse.duckdb", [(outcome("staging"), None)])

    assert opened == [{"merge_row_groups": False}]


def test_suite_error_does_not_stop_later_suites(
    request_in: RunRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def run_suite(suite: str, run, check_name: str, asset: str) -> SuiteOutcome:
        ran.append(suite)
        if suite == "staging":
            raise RuntimeError("the staging aggregates failed to load")
        return outcome(suite, passed=suite != "marts")

    monkeypatch.setattr(expectations.runner, "run_suite", run_suite)
    suites = [
        SuiteRequest(suite, f"{suite}_suite", "marts/fct_conviction_outcomes")
        for suite in ("raw_rows", "staging", "marts")
    ]

    outcomes, error = run_data_quality_suites(suites, request_in)

    assert ran == ["raw_rows", "staging", "marts"]
    assert [item.suite for item in outcomes] == ["raw_rows", "marts"]
    assert isinstance(error, RuntimeError)
    assert recorded_checks(Path(request_in.warehouse)) == [
        ("marts_suite", False),
        ("raw_rows_suite", True),
    ]
    report = json.loads((Path(request_in.out_dir) / JSON_REPORT).read_text(encoding="utf-8"))
    assert list(report["checks"]) == ["raw_rows_suite", "marts_suite"]
    assert report["passed"] is False


def test_volume_without_counts_is_suite_error(
    request_in: RunRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run_suite(suite: str, run, check_name: str, asset: str) -> SuiteOutcome:
        result = outcome(suite)
        # A volume outcome without its `run` frame has no counts to record.
        return replace(result, aggregates={}) if suite == "volume" else result

    monkeypatch.setattr(expectations.runner, "run_suite", run_suite)
    suites = [
        SuiteRequest(suite, f"{suite}_suite", "intermediate/int_subjects")
        for suite in ("volume", "targets")
    ]

    outcomes, error = run_data_quality_suites(suites, request_in)

    assert [item.suite for item in outcomes] == ["targets"]
    assert isinstance(error, KeyError)
    assert recorded_checks(Path(request_in.warehouse)) == [("targets_suite", True)]


def test_suites_after_dbt_share_one_step() -> None:
    checks = build_suite_checks()

    steps = {check.node_def.name: sorted(key.name for key in check.check_keys) for check in checks}
    assert steps == {
        "raw__doj_lines_raw_suite": ["raw_suite"],
        "suites_after_build": [
            "marts_suite",
            "raw_rows_suite",
            "staging_suite",
            "targets_suite",
            "volume_suite",
        ],
    }
    assert all(spec.blocking for check in checks for spec in check.check_specs)
