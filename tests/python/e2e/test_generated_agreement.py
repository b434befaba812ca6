"""The pipeline against the answer key of generated Los Angeles and San Francisco data.

`clearance generate` plans every Prop 64 conviction's outcome and writes the key beside the
files; each county's run must agree with it on every conviction, under both county policies and
the two hypotheticals. Any difference is a bug in the pipeline or in the key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clearance_command import clearance

pytestmark = pytest.mark.slow

# About 2,100 Los Angeles subjects (58,000 rows, two files) and 160 San Francisco ones.
SCALE = "0.02"
KEY_POLICIES = {"la-pilot-2019", "sf-2019", "dismiss-all-prop64", "dismiss-all-prop64-and-related"}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("generated_agreement")
    generated = clearance(
        work, "generate", "--county", "LOS ANGELES", "--county", "SAN FRANCISCO",
        "--seed", "4", "--scale", SCALE, "--files", "2", "--out", str(work / "input"),
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr[-4000:]
    return work


@pytest.mark.parametrize(
    "county, slug, policy, other",
    [
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", "sf-2019"),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", "la-pilot-2019"),
    ],
)
def test_run_agrees_with_answer_key(work: Path, county, slug, policy, other) -> None:
    out_dir = work / slug
    files = sorted((work / "input").glob(f"{slug}_doj_*.csv"))
    assert len(files) == 2
    doj_arguments = [argument for path in files for argument in ("--doj", str(path))]
    completed = clearance(
        work, "run", *doj_arguments, "--county", county, "--policy", policy,
        "--compare-with", other, "--out", str(out_dir),
        CLEARANCE_WAREHOUSE=str(work / f"{slug}.duckdb"), DAGSTER_HOME=str(work),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]

    published = out_dir / slug / "latest"
    figures = json.loads((published / "answer-key-agreement.json").read_text(encoding="utf-8"))
    assert {entry["policy"] for entry in figures["policies"]} == KEY_POLICIES
    for entry in figures["policies"]:
        assert entry["convictions"] > 0, entry["policy"]
        assert entry["key_only"] == 0, entry["policy"]
        assert entry["pipeline_only"] == 0, entry["policy"]
        assert entry["agreed"] == entry["convictions"], entry["differences"][:5]
    assert figures["complete"] is True
