"""The standby's early read of the dbt parse, and when a build may use it."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest
from tiny_dbt_project import write_tiny_dbt_project

from orchestration.lib.dbt_preload import (
    EarlyParse,
    ProjectFolders,
    parse_early,
    parse_early_in_background,
    parse_file_stamps,
    parse_settings,
)
from orchestration.lib.dbt_standby import INSTALLED_DBT, dbt_standby

PROJECT_DIR = Path(__file__).resolve().parents[3]

# Later than any file of a project written by a test: the parse counts as up to date.
FUTURE = 10_000_000_000


def tiny_project(folder: Path) -> ProjectFolders:
    """Write a dbt project of one view on an in-memory DuckDB, parsed into its target folder."""
    folder.mkdir()
    write_tiny_dbt_project(folder)
    (folder / "models").mkdir()
    (folder / "models" / "answer.sql").write_text("select 42 as answer\n", encoding="utf-8")
    folders = ProjectFolders(folder, folder, folder / "target")
    subprocess.run(
        [str(INSTALLED_DBT), "parse", "--quiet", *folders.arguments()],
        cwd=folder,
        check=True,
        timeout=120,
    )
    os.utime(folders.target_path / "manifest.json", (FUTURE, FUTURE))
    return folders


def early_parse(folders: ProjectFolders, settings: tuple[str | None, ...]) -> EarlyParse:
    return EarlyParse(object(), folders, settings, parse_file_stamps(folders.target_path))


def build_environment(folders: ProjectFolders) -> dict[str, str]:
    """The environment dagster-dbt gives dbt, on top of the run's own."""
    return {
        "CLEARANCE_WAREHOUSE": "/data/clearance.duckdb",
        "DBT_PROJECT_DIR": str(folders.project_dir),
        "DBT_PROFILES_DIR": str(folders.profiles_dir),
        "DBT_TARGET_PATH": str(folders.target_path),
        "DBT_LOG_FORMAT": "json",
    }


def test_options_override_environment() -> None:
    env = {"DBT_TARGET_PATH": "from-environment", "DBT_TARGET": "local"}

    settings = parse_settings(["build", "--target-path=target", "--vars", "{a: 1}"], env, "/w")

    # Project folder, profiles folder, target folder, profile, target, vars.
    assert settings == (None, None, "/w/target", None, "local", "{a: 1}")


def test_settings_keep_clearance_variables() -> None:
    env = {"CLEARANCE_WAREHOUSE": "/data/a.duckdb", "HOME": "/root"}

    assert parse_settings([], env, "/w")[-1] == "CLEARANCE_WAREHOUSE=/data/a.duckdb"
    assert len(parse_settings([], env, "/w")) == 7


@pytest.mark.parametrize(
    ("args", "env_change", "fits"),
    [
        ([], {}, True),
        # dagster-dbt's own log settings do not change what dbt parses.
        ([], {"DBT_LOG_PATH": "/elsewhere"}, True),
        ([], {"CLEARANCE_WAREHOUSE": "/data/other.duckdb"}, False),
        ([], {"CLEARANCE_DUCKDB_MEMORY_LIMIT": "1GB"}, False),
        ([], {"DBT_TARGET_PATH": "/elsewhere/target"}, False),
        (["--target-path", "/elsewhere/target"], {}, False),
        (["--vars", "{county: KERN}"], {}, False),
        (["--target", "other"], {}, False),
    ],
)
def test_early_parse_fits_same_settings(
    tmp_path: Path, args: list[str], env_change: dict[str, str], fits: bool
) -> None:
    folders = tiny_project(tmp_path / "project")
    env = build_environment(folders)
    parse = early_parse(folders, parse_settings(["build"], env, str(tmp_path)))

    assert parse.fits(["build", *args], {**env, **env_change}, str(tmp_path)) is fits


def test_parse_files_change_breaks_fit(tmp_path: Path) -> None:
    folders = tiny_project(tmp_path / "project")
    env = build_environment(folders)
    parse = early_parse(folders, parse_settings(["build"], env, str(tmp_path)))
    assert parse.fits(["build"], env, str(tmp_path))

    # As when the run's process parsed the project again.
    os.utime(folders.target_path / "partial_parse.msgpack", (FUTURE, FUTURE))

    assert not parse.fits(["build"], env, str(tmp_path))


def test_model_change_breaks_fit(tmp_path: Path) -> None:
    folders = tiny_project(tmp_path / "project")
    env = build_environment(folders)
    parse = early_parse(folders, parse_settings(["build"], env, str(tmp_path)))

    os.utime(folders.project_dir / "models" / "answer.sql", (FUTURE + 1, FUTURE + 1))

    assert not parse.fits(["build"], env, str(tmp_path))


def run_build(executable: Path, folders: ProjectFolders, **env_change: str) -> str:
    """Run `dbt build` through the standby as dagster-dbt would and return its debug output."""
    env = {**os.environ, **build_environment(folders), **env_change}
    env.pop("DBT_LOG_FORMAT")
    result = subprocess.run(
        [str(executable), "build", "--debug"],
        cwd=folders.project_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout
    assert "Completed successfully" in result.stdout
    return result.stdout


def test_standby_build_uses_early_parse(tmp_path: Path, monkeypatch) -> None:
    folders = tiny_project(tmp_path / "project")
    monkeypatch.setenv("CLEARANCE_WAREHOUSE", "/data/clearance.duckdb")

    with dbt_standby(folders) as standby:
        output = run_build(standby.executable, folders)

    # The build did not read the parse again: dbt reports that read in its debug output.
    assert "Partial parsing enabled" not in output


def test_other_settings_build_parses_again(tmp_path: Path, monkeypatch) -> None:
    folders = tiny_project(tmp_path / "project")
    monkeypatch.setenv("CLEARANCE_WAREHOUSE", "/data/clearance.duckdb")

    with dbt_standby(folders) as standby:
        output = run_build(standby.executable, folders, CLEARANCE_WAREHOUSE="/data/other.duckdb")

    assert "Partial parsing enabled" in output


def test_stale_manifest_no_early_parse(tmp_path: Path) -> None:
    folders = tiny_project(tmp_path / "project")
    # The run's process parses such a project again before the build.
    os.utime(folders.target_path / "manifest.json", (1_000_000_000, 1_000_000_000))

    assert parse_early(folders) is None


def test_failed_early_parse_gives_none(tmp_path: Path) -> None:
    folders = tiny_project(tmp_path / "project")
    (folders.project_dir / "dbt_project.yml").write_text("name: [unclosed\n", encoding="utf-8")
    os.utime(folders.project_dir / "dbt_project.yml", (1_000_000_000, 1_000_000_000))

    assert parse_early_in_background(folders).result(timeout=120) is None


def test_idle_standby_exits_quietly(tmp_path: Path) -> None:
    folders = tiny_project(tmp_path / "project")
    # A run that fails before its build: the standby read the parse, then the run closes it.
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from orchestration.lib.dbt_preload import ProjectFolders\n"
        "from orchestration.lib.dbt_standby import dbt_standby\n"
        "folders = ProjectFolders(*(Path(folder) for folder in sys.argv[1:4]))\n"
        "with dbt_standby(folders) as standby:\n"
        "    time.sleep(8)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, dataclasses.astuple(folders))],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    # multiprocessing's resource tracker warns about dbt's semaphores on standard error.
    assert result.stderr == ""


def test_ctrl_c_during_early_parse(tmp_path: Path, capsys) -> None:
    from orchestration.lib.dbt_standby import _run_dbt

    class InterruptedParse(Future):
        def result(self, timeout=None):
            raise KeyboardInterrupt

    request = {"args": ["--version"], "env": dict(os.environ), "cwd": str(tmp_path)}

    assert _run_dbt(request, InterruptedParse()) == 2
    assert "KeyboardInterrupt" in capsys.readouterr().err
