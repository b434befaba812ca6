"""Each data-quality suite passes on a good generated run and fails, blocking the exports, on
a broken input: real DuckDB, real GX validations, real Dagster execution.

The good run decides a generated Los Angeles extract at scale 0.002 (seed 1) under
la-pilot-2019. Its manifest records 211 subjects and 272 Prop 64 convictions in the county,
and its answer key 100 of them eligible for dismissal: the published target of 50,000 times
0.002. A broken case starts from a copy of the good run's warehouse folder and either breaks
a table and runs the checks again for the same run, or runs a broken file after it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import AssetSelection, Definitions, define_asset_job

from clearance.counties import COUNTY_CONFIG_FILE, county_slug
from clearance.synthetic.generator import MANIFEST_NAME, generate
from expectations.report import HTML_REPORT, JSON_REPORT
from orchestration.defs.code_location import build_definitions
from orchestration.lib.execution import execute_run, run_config
from orchestration.lib.run_request import RunRequest

pytestmark = pytest.mark.slow

CLEARANCE = Path(sys.executable).parent / "clearance"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "doj_small"
COUNTY = "LOS ANGELES"
POLICY = "la-pilot-2019"
STARTED_AT = "2026-12-05T00:00:00+00:00"
COMPUTE_DATE = "2026-07-01"
SCALE = 0.002
SUITES = (
    "marts_suite",
    "raw_rows_suite",
    "raw_suite",
    "staging_suite",
    "targets_suite",
    "volume_suite",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("generated")
    generate([COUNTY], 1, folder, scale=SCALE)
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    county = manifest["counties"][0]
    return {"doj_file": folder / county["files"][0]["file"], "county": county}


@pytest.fixture(scope="module")
def good_run(generated: dict, tmp_path_factory: pytest.TempPathFactory) -> RunRequest:
    """Run the job in process on the generated file, into a warehouse folder of its own."""
    work = tmp_path_factory.mktemp("good_run")
    request = RunRequest(
        run_id="good0000000000000000000000000001",
        county=COUNTY,
        doj_paths=(str(generated["doj_file"]),),
        compute_date=COMPUTE_DATE,
        publish_root=str(work / "out"),
        started_at=STARTED_AT,
        warehouse=str(work / "warehouse" / "clearance.duckdb"),
        policy=POLICY,
    )
    execute_run(request)
    return request


def copy_warehouse(request: RunRequest, work: Path) -> RunRequest:
    """Copy the run's warehouse folder (file, subject key, dbt manifest) into work."""
    folder = Path(request.warehouse).parent
    shutil.copytree(folder, work / "warehouse")
    return replace(
        request,
        warehouse=str(work / "warehouse" / Path(request.warehouse).name),
        publish_root=str(work / "out"),
    )


def run_checks_then_exports(request: RunRequest) -> bool:
    """Run every suite check and the exports for the run already built, without the models.

    Returns whether the Dagster run succeeded.
    """
    definitions = build_definitions(Path(request.warehouse))
    job = define_asset_job(
        "checks_then_exports",
        selection=AssetSelection.all_asset_checks() | AssetSelection.assets("doj_exports"),
    )
    merged = Definitions.merge(definitions, Definitions(jobs=[job]))
    result = merged.resolve_job_def("checks_then_exports").execute_in_process(
        run_config=run_config(request), raise_on_error=False
    )
    return result.success


def output_folder(request: RunRequest) -> Path:
    """Return the folder the run wrote into.

    A run executed here writes into request.out_dir. One started through the command line
    makes its own run id, so its folder is the newest under the county's publish folder.
    """
    if Path(request.out_dir).is_dir():
        return Path(request.out_dir)
    county_folder = Path(request.publish_root) / county_slug(request.county)
    return sorted(path for path in county_folder.iterdir() if path.name != "latest")[-1]


def report(request: RunRequest) -> dict:
    return json.loads((output_folder(request) / JSON_REPORT).read_text(encoding="utf-8"))


def failures(report_data: dict, check: str) -> dict[str, dict]:
    """Return the failed expectations of one check by column."""
    return {
        item["column"]: item
        for item in report_data["checks"][check]["expectations"]
        if not item["success"]
    }


def exports_written(request: RunRequest) -> bool:
    return (output_folder(request) / "summary.json").exists()


def test_good_run_passes_every_suite(good_run: RunRequest, generated: dict) -> None:
    data = report(good_run)
    assert sorted(data["checks"]) == list(SUITES)
    for name, check in data["checks"].items():
        assert check["passed"], (name, failures(data, name))
    assert data["passed"] is True
    assert exports_written(good_run)

    targets = data["checks"]["targets_suite"]
    # 100 expected convictions vary by chance by about 10%, more than the 2% tolerance, so a
    # generated file this small only warns.
    assert targets["severity"] == "warning"
    (target,) = targets["expectations"]
    # 50,000 x 0.002 = 100, within 2%: 98 to 102.
    assert target["observed"] == 100
    assert target["expected"] == "between 98 and 102"

    volume = data["checks"]["volume_suite"]["aggregates"]["run"][0]
    assert volume["subjects"] == generated["county"]["subjects"] == 211
    assert volume["prop64_convictions"] == generated["county"]["prop64_convictions_in_county"]
    assert data["checks"]["volume_suite"]["notes"] == [
        "no previous successful run of LOS ANGELES to compare with"
    ]


def test_good_run_records_each_check(good_run: RunRequest) -> None:
    with duckdb.connect(good_run.warehouse, read_only=True) as con:
        rows = con.execute(
            "select check_name, passed from raw.run_check_results where run_id = ? order by 1",
            [good_run.run_id],
        ).fetchall()
        volumes = con.execute("select subjects from raw.run_volumes").fetchall()
    assert rows == [(name, True) for name in SUITES]
    assert volumes == [(211,)]


def test_checks_rerun_on_unbroken_copy_writes_exports(good_run: RunRequest, tmp_path: Path) -> None:
    # The broken cases below rerun the checks the same way, so their exports are missing
    # because a check failed, not because the rerun cannot write them.
    request = copy_warehouse(good_run, tmp_path)
    assert run_checks_then_exports(request)
    assert report(request)["passed"] is True
    assert exports_written(request)


def test_rows_without_subject_id_fail_raw_rows(good_run: RunRequest, tmp_path: Path) -> None:
    request = copy_warehouse(good_run, tmp_path)
    with duckdb.connect(request.warehouse) as con:
        con.execute(
            "update staging.stg_doj__cleaned_rows set subject_id = null where row_order in "
            "(select row_order from staging.stg_doj__cleaned_rows order by row_order limit 3)"
        )

    assert not run_checks_then_exports(request)
    data = report(request)
    failed = failures(data, "raw_rows_suite")
    assert list(failed) == ["rows_without_subject_id"]
    assert failed["rows_without_subject_id"]["observed"] == 3
    assert not exports_written(request)


def test_dropped_conviction_fails_staging_suite(good_run: RunRequest, tmp_path: Path) -> None:
    request = copy_warehouse(good_run, tmp_path)
    with duckdb.connect(request.warehouse) as con:
        con.execute(
            """
            delete from intermediate.int_convictions
            where conviction_id = (
                select min(conviction_id) from intermediate.int_convictions
                where is_prop64 and is_in_run_county
            )
            """
        )

    assert not run_checks_then_exports(request)
    data = report(request)
    failed = failures(data, "staging_suite")
    assert list(failed) == ["convicted_counts_difference"]
    assert failed["convicted_counts_difference"]["observed"] == 1
    assert data["checks"]["staging_suite"]["severity"] == "blocking"
    assert not exports_written(request)


def test_dropped_determination_fails_marts_suite(good_run: RunRequest, tmp_path: Path) -> None:
    request = copy_warehouse(good_run, tmp_path)
    with duckdb.connect(request.warehouse) as con:
        con.execute(
            """
            delete from marts.fct_conviction_outcomes
            where conviction_outcome_id = (
                select min(conviction_outcome_id) from marts.fct_conviction_outcomes
                where policy_name = 'la-pilot-2019'
            )
            """
        )

    assert not run_checks_then_exports(request)
    data = report(request)
    failed = failures(data, "marts_suite")
    # The county's 272 convictions less the one dropped, under one of the three policies.
    assert list(failed) == ["determined_convictions_difference"]
    assert failed["determined_convictions_difference"]["observed"] == 1
    policies = data["checks"]["marts_suite"]["aggregates"]["policies"]
    outcome_counts = {row["policy_name"]: row["outcome_convictions"] for row in policies}
    assert outcome_counts == {
        "la-pilot-2019": 271,
        "dismiss-all-prop64": 272,
        "dismiss-all-prop64-and-related": 272,
    }
    assert not exports_written(request)


def test_target_moved_by_ten_percent_fails(
    good_run: RunRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The county configuration makes the target blocking, as the generated input alone does
    # only from 2,500 expected convictions.
    config = yaml.safe_load(COUNTY_CONFIG_FILE.read_text(encoding="utf-8"))
    config["counties"]["LOS ANGELES"]["target"] = {"severity": "blocking"}
    config_file = tmp_path / "counties.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.setenv("CLEARANCE_COUNTY_CONFIG", str(config_file))
    request = copy_warehouse(good_run, tmp_path)
    with duckdb.connect(request.warehouse) as con:
        con.execute(
            "update reference.published_targets set value = 55000 where county = 'LOS ANGELES'"
        )

    assert not run_checks_then_exports(request)
    data = report(request)
    targets = data["checks"]["targets_suite"]
    # Generated input blocks: 55,000 x 0.002 = 110, within 2%: 107.8 to 112.2.
    assert targets["severity"] == "blocking"
    assert failures(data, "targets_suite")["eligible_convictions"]["observed"] == 100
    assert failures(data, "targets_suite")["eligible_convictions"]["expected"] == (
        "between 107.8 and 112.2"
    )
    assert not exports_written(request)


def clearance_run(request: RunRequest, doj_file: Path, *policy_args: str):
    """Run the clearance command for the request's county, warehouse and out folder."""
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return subprocess.run(
        [
            str(CLEARANCE),
            "run",
            "--doj",
            str(doj_file),
            "--county",
            request.county,
            *(policy_args or ("--policy", POLICY)),
            "--compute-at",
            COMPUTE_DATE,
            "--out",
            request.publish_root,
            "--warehouse",
            request.warehouse,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def test_file_cut_to_60_percent_fails_volume(
    good_run: RunRequest, generated: dict, tmp_path: Path
) -> None:
    request = copy_warehouse(good_run, tmp_path)
    lines = generated["doj_file"].read_bytes().splitlines(keepends=True)
    first_lines = lines[: len(lines) * 6 // 10]
    # Outside the generated folder, so no manifest lists it: real input.
    cut_file = tmp_path / "cut" / "los_angeles_doj.csv"
    cut_file.parent.mkdir()
    cut_file.write_bytes(b"".join(first_lines))

    completed = clearance_run(request, cut_file)
    assert completed.returncode == 1, completed.stderr[-3000:]
    assert "clearance: error: check volume_suite failed (blocking)" in completed.stderr
    # 211 subjects in the previous run, at most 10% fewer: at least 189.9.
    assert "expected at least 189.9" in completed.stderr
    assert "no export was written" in completed.stderr
    assert not exports_written(request)

    # The target of real input is only a warning, printed as one line.
    assert "clearance: warning: check targets_suite failed (warning)" in completed.stderr

    # The full file again: compared with the good run, not with the blocked cut one.
    rerun = replace(request, publish_root=str(tmp_path / "rerun"))
    completed = clearance_run(rerun, generated["doj_file"])
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert exports_written(rerun)
    assert report(rerun)["checks"]["volume_suite"]["notes"] == [
        f"compared with the previous successful run of LOS ANGELES, {good_run.run_id}"
    ]


def test_quarantined_lines_fail_raw_before_dbt(good_run: RunRequest, tmp_path: Path) -> None:
    # 19 good lines and 2 cut short: 2 of 21 lines quarantined, about 9.5%, over 5%.
    broken = tmp_path / "input" / "doj_broken.csv"
    broken.parent.mkdir()
    text = (FIXTURES / "doj_small_part1.csv").read_text(encoding="utf-8")
    short_line = ",".join(["X"] * 20)
    broken.write_text(text.rstrip("\n") + f"\n{short_line}\n{short_line}\n", encoding="utf-8")
    # The good run's warehouse folder spares parsing the dbt project again.
    request = replace(copy_warehouse(good_run, tmp_path), county="SAN JOAQUIN")

    completed = clearance_run(request, broken, "--options", str(FIXTURES / "options.json"))
    assert completed.returncode == 1, completed.stderr[-3000:]
    assert "check raw_suite failed (blocking)" in completed.stderr
    assert "observed 0.09524, expected at most 0.05" in completed.stderr
    # The blocking check ran before dbt, so no model was built.
    assert "building models" not in completed.stderr

    data = report(request)
    assert list(data["checks"]) == ["raw_suite"]
    assert list(failures(data, "raw_suite")) == ["quarantined_share"]
    # Every suite after the raw one was skipped, and the report lists them.
    assert data["not_run"] == ["raw_rows", "staging", "marts", "volume", "targets"]
    assert "Suites not run: raw_rows, staging, marts, volume, targets." in (
        output_folder(request) / HTML_REPORT
    ).read_text(encoding="utf-8")
    assert not exports_written(request)
