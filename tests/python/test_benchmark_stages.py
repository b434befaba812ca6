"""The benchmark splits a run's wall time into stages from its progress lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run_benchmark
from bench.run_benchmark import stage_seconds

PROGRESS = """\
[   0.0s] run 1: county SAN JOAQUIN, policy configurable, compute date 2026-07-01
[   0.0s] preparing the pipeline ...
[   2.4s] loading 1 doj file ...
[   7.6s] loaded doj file 1/1: doj.csv, 1000 lines read, 0 quarantined
[  10.1s] building models ...
[  32.0s] writing exports ...
[  38.1s] done
County:                     SAN JOAQUIN
"""


def test_stages_between_progress_lines() -> None:
    stages = stage_seconds(PROGRESS)
    assert stages == {"start-up": 2.4, "load": 7.7, "dbt": 21.9, "exports": 6.1}


def test_no_progress_lines_no_stages() -> None:
    assert stage_seconds("clearance: error: DOJ file not found: x.csv\n") == {}


def test_answer_key_comparison_is_its_own_stage() -> None:
    progress = PROGRESS.replace(
        "[  38.1s] done", "[  37.0s] comparing with the answer key ...\n[  38.1s] done"
    )
    stages = stage_seconds(progress)
    assert stages["exports"] == 5.0
    assert stages["answer key"] == 1.1


def test_court_load_and_motion_lists_are_stages() -> None:
    progress = PROGRESS.replace(
        "[  10.1s] building models ...",
        "[   9.0s] loading 1 court file ...\n[  10.1s] building models ...",
    ).replace(
        "[  38.1s] done",
        "[  35.0s] writing motion lists ...\n[  36.5s] writing the analyst database ...\n"
        "[  38.1s] done",
    )

    stages = stage_seconds(progress)

    assert stages["load"] == 6.6
    assert stages["court load"] == 1.1
    assert stages["exports"] == 3.0
    assert stages["motion lists"] == 1.5
    assert stages["analyst database"] == 1.6


def test_publication_steps_are_stages() -> None:
    progress = PROGRESS.replace(
        "[  38.1s] done",
        "[  33.0s] writing the run manifest ...\n[  33.5s] writing the dashboard ...\n"
        "[  35.0s] publishing ...\n[  35.2s] writing the statewide dashboard ...\n[  38.1s] done",
    )

    stages = stage_seconds(progress)

    # Each step runs until the next progress line; the statewide page until "done".
    assert stages["exports"] == 1.0
    assert stages["manifest"] == 0.5
    assert stages["dashboard"] == 1.5
    assert stages["publish"] == 0.2
    assert stages["statewide dashboard"] == 2.9


def test_run_starts_without_earlier_run_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    (out_dir / "kern" / "20261201T000000Z-earlier").mkdir(parents=True)
    out_dir_existed: list[bool] = []

    def measure_command(command, env):
        out_dir_existed.append(out_dir.exists())
        return run_benchmark.CommandMeasurement(1.0, 0, 1.0, {})

    monkeypatch.setattr(run_benchmark, "WORK_DIR", tmp_path)
    monkeypatch.setattr(run_benchmark, "_measure_command", measure_command)
    run_benchmark._run_clearance(tmp_path / "doj.csv", "KERN", "configurable", out_dir)
    assert out_dir_existed == [False]
