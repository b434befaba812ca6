"""Court linking against the link key of generated Los Angeles and San Francisco data.

The generated DOJ files carry an OFN on every court action of the county, so case numbers link
nearly everything. Each county also runs on a copy with every OFN blanked, as in DOJ files that
lack case numbers, so that every link must come from the person model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clearance_command import clearance

from clearance.review.court_link_key import LINK_KEY_NAME, blank_case_numbers, link_quality

pytestmark = pytest.mark.slow

SCALE = "0.01"
MIN_PRECISION = 0.99
MIN_RECALL = 0.98


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("generated_court")
    completed = clearance(
        work, "generate", "--county", "LOS ANGELES", "--county", "SAN FRANCISCO",
        "--seed", "7", "--scale", SCALE, "--out", str(work / "input"),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]
    return work


@pytest.mark.parametrize(
    "county, slug, policy, without_ofns",
    [
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", False),
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", True),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", False),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", True),
    ],
)
def test_links_reach_precision_and_recall(generated: Path, county, slug, policy, without_ofns):
    source = generated / "input"
    doj = source / f"{slug}_doj.csv"
    name = f"{slug}_{'no_ofn' if without_ofns else 'ofn'}"
    if without_ofns:
        doj = blank_case_numbers(doj, generated / f"{name}.csv")
    database = generated / f"{name}.duckdb"
    completed = clearance(
        generated, "run", "--doj", str(doj), "--court", str(source / f"{slug}_court.csv"),
        "--court-mapping", str(source / f"{slug}_court_mapping.yaml"), "--county", county,
        "--policy", policy, "--no-answer-key", "--compute-at", "2026-07-01",
        "--out", str(generated / name), "--warehouse", str(database),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]

    quality = link_quality(database, source / LINK_KEY_NAME)

    assert quality.true_links > 50
    assert quality.precision >= MIN_PRECISION
    assert quality.recall >= MIN_RECALL
