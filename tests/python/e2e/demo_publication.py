"""Run the demo as `make demo` does, at a small scale, into a folder of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
# 0.2% of the published sizes: about 100 eligible convictions in Los Angeles, enough for
# breakdowns with some groups above the small-cell limit, in well under a minute per county.
DEMO_TEST_SCALE = "0.002"


@dataclass(frozen=True)
class DemoPublication:
    """A finished `clearance.demo` run: its folders and what it printed."""

    root: Path
    returncode: int
    stdout: str
    stderr: str

    def latest(self, county_folder: str) -> Path:
        """Return the county's published `latest` folder, such as `los_angeles`."""
        return self.root / "results" / county_folder / "latest"

    def warehouse(self, county_folder: str) -> Path:
        """Return the restricted warehouse the county's run wrote."""
        return self.root / "warehouse" / f"{county_folder}.duckdb"


def run_demo(root: Path) -> DemoPublication:
    """Generate Los Angeles and San Francisco at DEMO_TEST_SCALE into root and run the demo."""
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_SUBJECT_KEY_FILE=str(root / "subject_key"),
        DAGSTER_HOME=str(root),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    input_dir = root / "input"
    subprocess.run(
        [str(BIN / "clearance"), "generate", "--county", "LOS ANGELES", "--county",
         "SAN FRANCISCO", "--seed", "1", "--scale", DEMO_TEST_SCALE, "--out", str(input_dir)],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    completed = subprocess.run(
        [sys.executable, "-m", "clearance.demo", "--input", str(input_dir), "--out", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    return DemoPublication(
        root=root,
        returncode=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
    )
