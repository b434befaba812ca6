"""The pipeline against the answer key of generated Los Angeles and San Francisco data.

`clearance generate` plans every Prop 64 conviction's outcome and writes the key beside the
files; each county's run must agree with it on every conviction, under both county policies and
the two hypotheticals. Any difference is a bug in the pipeline or in the key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLEARANCE = Path(sys.executable).parent / "clearance"
# About 2,100 Los Angeles subjects (58,000 rows, two files) and 160 San Francisco ones.
SCALE = "0.02"
KEY_POLICIES = {"la-pilot-2019", "sf-2019", "dismiss-all-prop64", "dismiss-all-prop64-and-related"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("generated_agreement")
    env = _environment(work)
    input_dir = work / "input"
    subprocess.run(
        [str(CLEARANCE), "generate", "--county", "LOS ANGELES", "--county", "SAN FRANCISCO",
         "--seed", "4", "--scale", SCALE, "--files", "2", "--out", str(input_dir)],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    return work, env


def _environment(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_WAREHOUSE=str(work / "warehouse.duckdb"),
        CLEARANCE_SUBJECT_KEY_FILE=str(work / "subject_key"),
        DAGSTER_HOME=str(work),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


@pytest.mark.parametrize(
    "county, slug, policy, other",
    [
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", "sf-2019"),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", "la-pilot-2019"),
    ],
)
def test_run_agrees_with_answer_key(generated, county, slug, policy, other) -> None:
    work, env = generated
    out_dir = work / slug
    files = sorted((work / "input").glob(f"{slug}_doj_*.csv"))
    assert len(files) == 2
    doj_arguments = [argument for path in files for argument in ("--doj", str(path))]
    completed = subprocess.run(
        [str(CLEARANCE), "run", *doj_arguments, "--county", county, "--policy", policy,
         "--compare-with", other, "--out", str(out_dir)],
        capture_output=True, text=True, env=env, check=False, timeout=900,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]

    figures = json.loads((out_dir / "answer-key-agreement.json").read_text(encoding="utf-8"))
    assert {entry["policy"] for entry in figures["policies"]} == KEY_POLICIES
    for entry in figures["policies"]:
        assert entry["convictions"] > 0, entry["policy"]
        assert entry["key_only"] == 0, entry["policy"]
        assert entry["pipeline_only"] == 0, entry["policy"]
        assert entry["agreed"] == entry["convictions"], entry["differences"][:5]
    assert figures["complete"] is True
