"""The `clearance` command line: help, version and the input checks made before a run starts."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clearance import __version__
from clearance.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "doj_small"
DOJ_PART1 = FIXTURES / "doj_small_part1.csv"
OPTIONS = FIXTURES / "options.json"
CLEARANCE = Path(sys.executable).parent / "clearance"

RUN_OPTIONS = (
    "--doj",
    "--county",
    "--options",
    "--policy",
    "--param",
    "--compute-at",
    "--out",
    "--warehouse",
    "--answer-key",
    "--no-answer-key",
    "--verbose",
)


def run_args(tmp_path: Path, *extra: str) -> list[str]:
    """Return `run` arguments writing only under tmp_path, with the fixture's options file."""
    return [
        "run",
        "--county",
        "SAN JOAQUIN",
        "--compute-at",
        "2019-07-01",
        "--out",
        str(tmp_path / "out"),
        "--warehouse",
        str(tmp_path / "warehouse" / "clearance.duckdb"),
        *extra,
    ]


def assert_nothing_written(tmp_path: Path) -> None:
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "warehouse").exists()


def error_lines(captured: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in captured.readouterr().err.splitlines() if line.strip()]


def test_version_prints_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"clearance {__version__}"


def test_run_help_mentions_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for option in RUN_OPTIONS:
        assert option in help_text, option
    assert "else today" in help_text
    assert "CLEARANCE_WAREHOUSE" in help_text


def test_help_and_version_start_fast() -> None:
    # Dagster and dagster-dbt take seconds to import; help must not import them.
    started = time.monotonic()
    completed = subprocess.run(
        [str(CLEARANCE), "--help"], capture_output=True, text=True, check=False
    )
    elapsed = time.monotonic() - started
    assert completed.returncode == 0
    assert elapsed < 1.5, f"clearance --help took {elapsed:.1f} s"
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, clearance.cli; print('dagster' in sys.modules, 'dagster_dbt' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False False"


def test_missing_doj_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no_such_file.csv"
    status = main(
        run_args(
            tmp_path, "--doj", str(DOJ_PART1), "--doj", str(missing), "--options", str(OPTIONS)
        )
    )
    assert status == 2
    lines = error_lines(capsys)
    assert lines == [f"clearance: error: DOJ file not found: {missing}"]
    assert_nothing_written(tmp_path)


def test_options_and_policy_together_are_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            run_args(
                tmp_path,
                "--doj",
                str(DOJ_PART1),
                "--options",
                str(OPTIONS),
                "--policy",
                "legal-default",
            )
        )
    assert exit_info.value.code == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert lines[0].startswith("clearance: error: argument --policy: not allowed with")
    assert_nothing_written(tmp_path)


def test_neither_options_nor_policy_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(run_args(tmp_path, "--doj", str(DOJ_PART1)))
    assert exit_info.value.code == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "one of the arguments --options --policy is required" in lines[0]


def write_options_with(tmp_path: Path, key: str, value: object) -> Path:
    """Write the fixture's options file with one additionalRelief key set to value."""
    options = json.loads(OPTIONS.read_text(encoding="utf-8"))
    options["additionalRelief"][key] = value
    path = tmp_path / "bad_options.json"
    path.write_text(json.dumps(options), encoding="utf-8")
    return path


def test_bad_options_key_is_named_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_options = write_options_with(tmp_path, "subjectAgeTreshold", 50)

    status = main(run_args(tmp_path, "--doj", str(DOJ_PART1), "--options", str(bad_options)))

    assert status == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert lines[0].startswith("clearance: error: ")
    assert "subjectAgeTreshold" in lines[0]
    assert_nothing_written(tmp_path)


def test_out_of_range_option_value_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_options = write_options_with(tmp_path, "subjectAgeThreshold", 30)

    status = main(run_args(tmp_path, "--doj", str(DOJ_PART1), "--options", str(bad_options)))

    assert status == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "subjectAgeThreshold" in lines[0]
    assert_nothing_written(tmp_path)


def test_unknown_policy_param_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        run_args(
            tmp_path,
            "--doj",
            str(DOJ_PART1),
            "--policy",
            "configurable",
            "--param",
            "no_such_parameter=1",
        )
    )
    assert status == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "no_such_parameter" in lines[0]
    assert_nothing_written(tmp_path)


def test_invalid_compute_date_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                *run_args(tmp_path, "--doj", str(DOJ_PART1), "--options", str(OPTIONS)),
                "--compute-at",
                "2019-02-30",
            ]
        )
    assert exit_info.value.code == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "2019-02-30" in lines[0]


def test_out_path_that_is_a_file_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").write_text("not a folder\n", encoding="utf-8")
    status = main(run_args(tmp_path, "--doj", str(DOJ_PART1), "--options", str(OPTIONS)))
    assert status == 2
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "is not a folder" in lines[0]
    assert not (tmp_path / "warehouse").exists()


def test_dbt_failure_message_names_log_not_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dagster_dbt.errors import DagsterDbtCliRuntimeError

    def fail_in_dbt(args) -> int:
        # A failed cast in dbt quotes the value it could not convert.
        raise DagsterDbtCliRuntimeError("Conversion Error: Could not convert string 'ALPHA,TEST'")

    monkeypatch.setattr("clearance.cli.run_command", fail_in_dbt)
    warehouse = tmp_path / "wh" / "clearance.duckdb"
    status = main(
        [
            "run",
            "--doj",
            "x.csv",
            "--county",
            "X",
            "--policy",
            "configurable",
            "--out",
            str(tmp_path / "out"),
            "--warehouse",
            str(warehouse),
        ]
    )

    stderr = capsys.readouterr().err
    assert status == 1
    assert "ALPHA" not in stderr
    assert stderr.strip() == (
        "clearance: error: dbt build failed (a model or a data test); "
        f"see {tmp_path / 'wh' / 'clearance_dbt' / 'target' / 'dbt.log'} for the details"
    )


def test_compare_needs_two_policies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["compare", "--policy", "sf-2019", "--warehouse", str(tmp_path / "w.duckdb")])

    assert status == 2
    assert error_lines(capsys) == [
        "clearance: error: give --policy exactly twice, once for each policy to compare; got 1"
    ]


def test_explain_without_warehouse_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "missing.duckdb"

    status = main(["explain", "--subject", "some-key", "--warehouse", str(warehouse)])

    assert status == 2
    assert error_lines(capsys) == [
        f"clearance: error: warehouse {warehouse}: not found; run `clearance run` first "
        "or pass --warehouse"
    ]
    assert not warehouse.exists()
