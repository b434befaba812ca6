"""Publication of command-line runs on the hand-written extract in tests/fixtures/doj_small:
two writers started together, the run manifest, the analyst database, and a failed run that
leaves the previous publication in place.

The fixture has 22 data lines (19 in part 1, 3 in part 2, whose line 2 is quarantined) and 9
subjects, each with one Prop 64 conviction in SAN JOAQUIN. A run decides 3 policies: the
county's and the two dismiss-all hypotheticals.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from clearance.doj_layout import DOJ_COLUMNS
from clearance.publishing.characteristics import MEASURES
from clearance.warehouse_lock import acquire_warehouse_lock, release_warehouse_lock

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "doj_small"
DOJ_FILES = (FIXTURES / "doj_small_part1.csv", FIXTURES / "doj_small_part2.csv")
CLEARANCE = Path(sys.executable).parent / "clearance"
# Columns of a DOJ row that identify a person; none of their values may reach the analyst
# database.
IDENTIFYING_COLUMNS = (
    "SUBJECT_ID",
    "REQ_CII_NUMBER",
    "REQ_NAME",
    "REQ_DOB",
    "CII_NUMBER",
    "PRI_NAME",
    "PRI_DOB",
    "PRI_IDN",
    "PRI_INN",
    "OFN",
)


def run_command(work: Path, name: str, *args: str) -> subprocess.Popen:
    """Start `clearance run` with stderr in work/<name>.err, for reading while it runs."""
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_SUBJECT_KEY_FILE=str(work / "subject_key"),
        DAGSTER_HOME=str(work / "dagster_home"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return subprocess.Popen(
        [str(CLEARANCE), "run", *args, "--warehouse", str(work / "wh" / "clearance.duckdb")],
        stdout=(work / f"{name}.out").open("w"),
        stderr=(work / f"{name}.err").open("w"),
        env=env,
        cwd=work,
    )


def fixture_run_args(work: Path, *extra: str) -> list[str]:
    args = []
    for path in DOJ_FILES:
        args += ["--doj", str(path)]
    return [
        *args,
        "--county",
        "SAN JOAQUIN",
        "--compute-at",
        "2019-07-01",
        "--out",
        str(work / "published"),
        *extra,
    ]


def wait_for_text(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(encoding="utf-8"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{path.name} never printed {text!r}:\n{path.read_text()}")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Start two runs together while the warehouse is locked, then let them go."""
    work = tmp_path_factory.mktemp("publication")
    (work / "dagster_home").mkdir()
    warehouse = work / "wh" / "clearance.duckdb"
    # Holding the lock first makes both runs reach it before either can write.
    acquire_warehouse_lock(warehouse, timeout=1)
    try:
        options = ["--options", str(FIXTURES / "options.json")]
        first = run_command(work, "first", *fixture_run_args(work, *options))
        second = run_command(work, "second", *fixture_run_args(work, "--policy", "legal-default"))
        for name in ("first", "second"):
            wait_for_text(work / f"{name}.err", "waiting for the warehouse lock", 300)
    finally:
        release_warehouse_lock(warehouse)
    statuses = {"first": first.wait(timeout=600), "second": second.wait(timeout=600)}
    return {"work": work, "warehouse": warehouse, "statuses": statuses}


def run_ids(work: Path) -> dict[str, str]:
    return {
        name: re.search(r"run ([0-9a-f]{32}):", (work / f"{name}.err").read_text()).group(1)
        for name in ("first", "second")
    }


def test_both_runs_succeed(two_runs: dict) -> None:
    work = two_runs["work"]
    for name, status in two_runs["statuses"].items():
        assert status == 0, (work / f"{name}.err").read_text()
        assert "Lines read:                 22" in (work / f"{name}.out").read_text()


def test_runs_wrote_one_after_the_other(two_runs: dict) -> None:
    with duckdb.connect(str(two_runs["warehouse"]), read_only=True) as con:
        runs = con.execute(
            """
            select runs.run_id, runs.started_at, run_manifests.created_at
            from raw.runs
            inner join raw.run_manifests on runs.run_id = run_manifests.run_id
            order by runs.started_at
            """
        ).fetchall()
    assert {run_id for run_id, _, _ in runs} == set(run_ids(two_runs["work"]).values())
    (_, _, earlier_manifest), (_, later_start, _) = runs
    # The later run registered itself only after the earlier one had stored its manifest,
    # the end of its use of the warehouse.
    assert later_start > earlier_manifest


def test_latest_is_the_run_that_finished_last(two_runs: dict) -> None:
    with duckdb.connect(str(two_runs["warehouse"]), read_only=True) as con:
        last = con.execute(
            "select run_id from raw.runs order by started_at desc limit 1"
        ).fetchone()[0]
    county_dir = two_runs["work"] / "published" / "san_joaquin"
    assert os.readlink(county_dir / "latest").endswith(f"-{last}")
    run_folders = sorted(path.name for path in county_dir.iterdir() if not path.is_symlink())
    assert len(run_folders) == 2


def published_manifest(two_runs: dict, name: str) -> dict:
    run_id = run_ids(two_runs["work"])[name]
    county_dir = two_runs["work"] / "published" / "san_joaquin"
    (folder,) = [path for path in county_dir.iterdir() if path.name.endswith(f"-{run_id}")]
    return json.loads((folder / "run-manifest.json").read_text(encoding="utf-8"))


def test_manifest_names_inputs_policy_and_code(two_runs: dict) -> None:
    manifest = published_manifest(two_runs, "first")
    assert manifest["run_id"] == run_ids(two_runs["work"])["first"]
    assert manifest["manifest_version"] == 3
    assert manifest["county"] == "SAN JOAQUIN"
    assert manifest["compute_date"] == "2019-07-01"
    inputs = manifest["inputs"]
    assert [item["file_name"] for item in inputs] == ["doj_small_part1.csv", "doj_small_part2.csv"]
    for item, path in zip(inputs, DOJ_FILES, strict=True):
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert item["bytes"] == path.stat().st_size
    assert [item["lines_read"] for item in inputs] == [19, 3]
    assert [item["lines_quarantined"] for item in inputs] == [0, 1]

    policy = manifest["policy"]
    assert policy["name"] == "configurable"
    assert policy["file"] == str(FIXTURES / "options.json")
    assert policy["sha256"] == hashlib.sha256((FIXTURES / "options.json").read_bytes()).hexdigest()
    assert manifest["code_version"]["package"] == "0.1.0"
    commit = manifest["code_version"]["git_commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)

    counts = manifest["row_counts"]
    assert counts["lines_read"] == 22
    assert counts["lines_loaded"] == 21
    assert counts["lines_quarantined"] == 1
    assert counts["staging.stg_doj__cleaned_rows"] == 21
    assert counts["marts.fct_conviction_outcomes"] == 9 * 3
    assert counts["marts.fct_county_impact"] == 3
    # The run's dbt data tests reach Dagster as asset checks, and all of them passed.
    assert manifest["checks"]
    assert all(check["passed"] for check in manifest["checks"])
    # The published targets of real input are only a warning, which never stops a run.
    by_name = {check["check"]: check for check in manifest["checks"]}
    assert (by_name["targets_suite"]["severity"], by_name["targets_suite"]["blocking"]) == (
        "WARN",
        False,
    )
    assert (by_name["raw_suite"]["severity"], by_name["raw_suite"]["blocking"]) == ("ERROR", True)


def test_manifest_is_stored_in_warehouse(two_runs: dict) -> None:
    manifest = published_manifest(two_runs, "second")
    assert manifest["policy"]["name"] == "legal-default"
    assert manifest["policy"]["file"].endswith("policies/legal-default.yaml")
    with duckdb.connect(str(two_runs["warehouse"]), read_only=True) as con:
        stored = con.execute(
            "select county, manifest from raw.run_manifests where run_id = $run_id",
            {"run_id": manifest["run_id"]},
        ).fetchone()
    assert stored[0] == "SAN JOAQUIN"
    assert json.loads(stored[1]) == manifest


def analyst_database(two_runs: dict) -> Path:
    return two_runs["work"] / "published" / "san_joaquin" / "latest" / "analyst.duckdb"


def test_analyst_database_is_owner_only(two_runs: dict) -> None:
    assert stat.S_IMODE(analyst_database(two_runs).stat().st_mode) == 0o600


def test_analyst_database_holds_no_identifiers(two_runs: dict) -> None:
    identifying_values: set[str] = set()
    for path in DOJ_FILES:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        # Part 2 has no header row.
        for row in rows:
            if len(row) != len(DOJ_COLUMNS) or row[0] == "RECORD_ID":
                continue
            for column in IDENTIFYING_COLUMNS:
                value = row[DOJ_COLUMNS.index(column)].strip()
                if value:
                    identifying_values.add(value)
    assert len(identifying_values) > 30

    forbidden_columns = re.compile(
        r"name$|dob|birth|cii|subject_id|case|cnt_order|ofn|gender|race|age"
    )
    with duckdb.connect(str(analyst_database(two_runs)), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
        for table, column, data_type in columns:
            if not column.endswith("policy_name"):
                assert not forbidden_columns.search(column), f"{table}.{column}"
            if data_type != "VARCHAR":
                continue
            values = {
                value
                for (value,) in con.execute(f'select distinct "{column}" from {table}').fetchall()
            }
            leaked = {
                value
                for value in values
                if value and any(part in value for part in identifying_values)
            }
            assert not leaked, f"{table}.{column}"


def test_analyst_database_counts_match_the_run(two_runs: dict) -> None:
    with duckdb.connect(str(analyst_database(two_runs)), read_only=True) as con:
        tables = {name for (name,) in con.execute("show tables").fetchall()}
        assert tables == {
            "run",
            "conviction_outcomes",
            "subject_relief",
            "relief_by_characteristic",
            "county_impact",
            "outcome_reasons",
            "withholding_rules",
            "court_link_summary",
        }
        assert con.execute("select count(*) from conviction_outcomes").fetchone()[0] == 9 * 3
        assert con.execute("select count(*) from subject_relief").fetchone()[0] == 9 * 3
        # Nine subjects, so every category has 1 to 9 of them: every count is suppressed,
        # being from 1 to 9 itself or a 0 whose base is from 1 to 9 or suppressed.
        assert con.execute("select count(*) from relief_by_characteristic").fetchone()[0] > 0
        for measure, _ in MEASURES:
            assert (
                con.execute(f"select count({measure}) from relief_by_characteristic").fetchone()[0]
                == 0
            ), measure
        # The runs had no court files.
        assert con.execute("select count(*) from court_link_summary").fetchone()[0] == 0
        assert con.execute("select county, compute_date::varchar from run").fetchone() == (
            "SAN JOAQUIN",
            "2019-07-01",
        )


def test_failed_run_leaves_publication_in_place(two_runs: dict, tmp_path: Path) -> None:
    work = two_runs["work"]
    county_dir = work / "published" / "san_joaquin"
    before_link = os.readlink(county_dir / "latest")
    before_files = sorted(path.name for path in (county_dir / "latest").iterdir())

    # The same rows moved to another county: the run loads and builds, then the volume check
    # blocks it (no subject of SAN JOAQUIN against the earlier runs' ones), before any export.
    moved = tmp_path / "elsewhere.csv"
    moved.write_text(
        DOJ_FILES[0].read_text(encoding="utf-8").replace("SAN JOAQUIN", "SAN MATEO"),
        encoding="utf-8",
    )
    failed = run_command(
        work,
        "failed",
        "--doj",
        str(moved),
        "--county",
        "SAN JOAQUIN",
        "--policy",
        "legal-default",
        "--out",
        str(work / "published"),
    )
    assert failed.wait(timeout=600) == 1
    assert "check volume_suite failed (blocking)" in (work / "failed.err").read_text()

    assert os.readlink(county_dir / "latest") == before_link
    assert sorted(path.name for path in (county_dir / "latest").iterdir()) == before_files


def test_manifest_names_the_files_the_run_was_given(two_runs: dict, tmp_path: Path) -> None:
    # Copies of the files load as the earlier loads of the same content, which keep their
    # first paths; the manifest still names the copies.
    work = two_runs["work"]
    copies = []
    for path in DOJ_FILES:
        copy = tmp_path / f"copy_{path.name}"
        shutil.copyfile(path, copy)
        copies.append(copy)
    doj_args = [argument for copy in copies for argument in ("--doj", str(copy))]
    third = run_command(
        work, "third", *doj_args, "--county", "SAN JOAQUIN", "--compute-at", "2019-07-01",
        "--out", str(work / "published"), "--policy", "legal-default",
    )  # fmt: skip
    assert third.wait(timeout=600) == 0, (work / "third.err").read_text()

    manifest = json.loads(
        (work / "published" / "san_joaquin" / "latest" / "run-manifest.json").read_text(
            encoding="utf-8"
        )
    )
    assert [item["path"] for item in manifest["inputs"]] == [str(copy) for copy in copies]
    assert [item["file_name"] for item in manifest["inputs"]] == [copy.name for copy in copies]
    assert [item["first_loaded_from"] for item in manifest["inputs"]] == [
        str(path.resolve()) for path in DOJ_FILES
    ]
