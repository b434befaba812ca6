"""The demo end to end at a small scale: generate both counties, run each, print the headline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def test_demo_runs_each_county_under_its_policy(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_SUBJECT_KEY_FILE=str(tmp_path / "subject_key"),
        DAGSTER_HOME=str(tmp_path),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    input_dir = tmp_path / "input"
    subprocess.run(
        [str(BIN / "clearance"), "generate", "--county", "LOS ANGELES", "--county",
         "SAN FRANCISCO", "--seed", "1", "--scale", "0.002", "--out", str(input_dir)],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    completed = subprocess.run(
        [sys.executable, "-m", "clearance.demo", "--input", str(input_dir), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]

    for folder, county, policy in (
        ("los_angeles", "LOS ANGELES", "la-pilot-2019"),
        ("san_francisco", "SAN FRANCISCO", "sf-2019"),
    ):
        summary = json.loads(
            (tmp_path / "results" / folder / "latest" / "summary.json").read_text(encoding="utf-8")
        )
        assert summary["county"] == county
        assert summary["policy"]["name"] == policy
        assert (tmp_path / "warehouse" / f"{folder}.duckdb").is_file()
        eligible = summary["convictions"]["eligible"]
        assert f"{county} under {policy}, compute date " in completed.stdout
        assert f"  Eligible convictions:  {eligible:,} of " in completed.stdout
    assert "Every person is invented." in completed.stdout
