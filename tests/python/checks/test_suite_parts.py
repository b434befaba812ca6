"""The parts of the data-quality suites that need no pipeline run: GX results, the generation
manifest lookup, the previous successful run and the report."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import great_expectations.expectations as gxe
import pandas as pd

from clearance.loading.raw_schema import create_raw_schema
from expectations.outcomes import BLOCKING, WARNING, ExpectationOutcome, SuiteOutcome
from expectations.recording import create_results_tables, previous_successful_run_sql
from expectations.report import HTML_REPORT, JSON_REPORT, add_outcome, failed_check_lines
from expectations.runner import SuiteRun
from expectations.targets import generation_scale
from expectations.validation import validate_frames


def test_failed_expectation_lists_no_values() -> None:
    frame = pd.DataFrame(
        {"level": ["FELONY", "SECRET-VALUE-1", "SECRET-VALUE-2"], "count": [3, 1, 1]}
    )
    outcomes = validate_frames(
        "privacy",
        {"words": frame},
        {"words": [gxe.ExpectColumnValuesToBeInSet(column="level", value_set=["FELONY"])]},
    )
    assert len(outcomes) == 1
    assert not outcomes[0].success
    assert outcomes[0].observed == "2 of 3 rows outside"
    assert "SECRET" not in json.dumps(outcomes[0].__dict__)


def test_aggregate_expectation_reports_observed_and_expected() -> None:
    frame = pd.DataFrame({"lines_loaded": [12, 0]})
    outcomes = validate_frames(
        "files",
        {"files": frame},
        {
            "files": [
                gxe.ExpectColumnMinToBeBetween(
                    column="lines_loaded", min_value=1, description="no file is empty"
                )
            ]
        },
    )
    assert not outcomes[0].success
    assert outcomes[0].observed == 0
    assert outcomes[0].expected == "at least 1"
    assert outcomes[0].message() == (
        "no file is empty (expect_column_min_to_be_between on files.lines_loaded): "
        "observed 0, expected at least 1"
    )


def _manifest(folder: Path, county: str, hashes: list[str], scale: float) -> None:
    manifest = {
        "scale": scale,
        "counties": [{"county": county, "files": [{"file": "a.csv", "sha256": h} for h in hashes]}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _run(folder: Path, county: str = "LOS ANGELES") -> SuiteRun:
    return SuiteRun("r1", county, folder / "w.duckdb", (str(folder / "a.csv"),), {})


def test_generation_scale_from_manifest_listing_every_file(tmp_path: Path) -> None:
    _manifest(tmp_path, "LOS ANGELES", ["aa", "bb"], 0.002)
    assert generation_scale(_run(tmp_path), {"aa", "bb"}) == 0.002
    assert generation_scale(_run(tmp_path), {"aa"}) == 0.002


def test_generation_scale_ignores_unlisted_file(tmp_path: Path) -> None:
    _manifest(tmp_path, "LOS ANGELES", ["aa"], 0.002)
    # A file the manifest does not list, such as one cut short by hand, is real input.
    assert generation_scale(_run(tmp_path), {"aa", "cc"}) is None


def test_generation_scale_ignores_other_county(tmp_path: Path) -> None:
    _manifest(tmp_path, "SAN FRANCISCO", ["aa"], 0.002)
    assert generation_scale(_run(tmp_path), {"aa"}) is None


def test_generation_scale_without_manifest(tmp_path: Path) -> None:
    assert generation_scale(_run(tmp_path), {"aa"}) is None


def test_generation_scale_ignores_unreadable_manifest(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert generation_scale(_run(tmp_path), {"aa"}) is None


def _previous_run(rows: list[tuple], results: list[tuple], volumes: list[str]) -> str | None:
    with duckdb.connect() as con:
        create_raw_schema(con)
        create_results_tables(con)
        for run_id, county, day in rows:
            con.execute(
                "insert into raw.runs values (?, ?, 'p', '{}', '2026-01-01', ?)",
                [run_id, county, datetime(2026, 1, day)],
            )
        for run_id, severity, passed in results:
            con.execute(
                "insert into raw.run_check_results values "
                "(?, 'LOS ANGELES', 'c', 's', 'a', ?, ?, '{}', '2026-01-01')",
                [run_id, severity, passed],
            )
        for run_id in volumes:
            con.execute(
                "insert into raw.run_volumes values (?, 'LOS ANGELES', 10, 5, '2026-01-01')",
                [run_id],
            )
        row = con.execute(previous_successful_run_sql(), {"run_id": "now"}).fetchone()
    return None if row is None else row[0]


def test_previous_run_is_latest_earlier_of_county() -> None:
    runs = [("old", "LOS ANGELES", 1), ("mid", "LOS ANGELES", 2), ("now", "LOS ANGELES", 3)]
    assert _previous_run(runs, [], ["old", "mid", "now"]) == "mid"


def test_previous_run_skips_blocked_run() -> None:
    runs = [("old", "LOS ANGELES", 1), ("cut", "LOS ANGELES", 2), ("now", "LOS ANGELES", 3)]
    results = [("cut", BLOCKING, False), ("old", WARNING, False)]
    # A failed warning does not stop publication, so "old" still counts.
    assert _previous_run(runs, results, ["old", "cut", "now"]) == "old"


def test_previous_run_skips_other_county_and_later_runs() -> None:
    runs = [("sf", "SAN FRANCISCO", 1), ("now", "LOS ANGELES", 2), ("later", "LOS ANGELES", 3)]
    assert _previous_run(runs, [], ["sf", "now", "later"]) is None


def test_previous_run_needs_recorded_volume() -> None:
    runs = [("loaded_only", "LOS ANGELES", 1), ("now", "LOS ANGELES", 2)]
    assert _previous_run(runs, [], ["now"]) is None


def _outcome(check: str, success: bool, severity: str = BLOCKING) -> SuiteOutcome:
    return SuiteOutcome(
        suite="raw",
        check_name=check,
        asset="raw/doj_lines",
        run_id="r1",
        county="LOS ANGELES",
        severity=severity,
        expectations=[
            ExpectationOutcome(
                frame="run",
                expectation="expect_column_max_to_be_between",
                column="quarantined_share",
                description="share of <quarantined> lines",
                success=success,
                observed=0.123456,
                expected="at most 0.05",
            )
        ],
        aggregates={"run": [{"quarantined_share": 0.123456}]},
    )


def test_report_lists_each_failed_check_once(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    add_outcome(out_dir, _outcome("raw_suite", success=False))
    add_outcome(out_dir, _outcome("targets_suite", success=False, severity=WARNING))
    add_outcome(out_dir, _outcome("marts_suite", success=True))
    report = json.loads((out_dir / JSON_REPORT).read_text(encoding="utf-8"))
    assert sorted(report["checks"]) == ["marts_suite", "raw_suite", "targets_suite"]
    assert report["passed"] is False
    assert failed_check_lines(report) == [
        (
            BLOCKING,
            "check raw_suite failed (blocking): share of <quarantined> lines "
            "(expect_column_max_to_be_between): observed 0.1235, expected at most 0.05",
        ),
        (
            WARNING,
            "check targets_suite failed (warning): share of <quarantined> lines "
            "(expect_column_max_to_be_between): observed 0.1235, expected at most 0.05",
        ),
    ]


def test_report_of_another_run_is_replaced(tmp_path: Path) -> None:
    add_outcome(tmp_path, _outcome("raw_suite", success=False))
    later = _outcome("marts_suite", success=True)
    add_outcome(tmp_path, replace(later, run_id="r2"))
    report = json.loads((tmp_path / JSON_REPORT).read_text(encoding="utf-8"))
    assert report["run_id"] == "r2"
    assert list(report["checks"]) == ["marts_suite"]


def test_report_files_are_owner_only_and_escaped(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    add_outcome(out_dir, _outcome("raw_suite", success=False))
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    for name in (JSON_REPORT, HTML_REPORT):
        assert stat.S_IMODE((out_dir / name).stat().st_mode) == 0o600, name
    page = (out_dir / HTML_REPORT).read_text(encoding="utf-8")
    assert "share of &lt;quarantined&gt; lines" in page
    assert "<quarantined>" not in page
