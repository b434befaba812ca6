"""The demo's headline per county, read from the run's summary.json and agreement figures."""

from __future__ import annotations

import json
from pathlib import Path

from clearance.demo import format_headline

COUNTY = {
    "county": "SAN FRANCISCO",
    "policy": "sf-2019",
    "target_eligible_convictions_scaled": 9300,
}
SUMMARY = {
    "compute_date": "2026-07-01",
    "policy": {"name": "sf-2019", "parameters": {}},
    "convictions": {"total": 10968, "eligible": 8936},
    "subjects": {"with_prop64_conviction": 8753, "with_some_relief": 7814},
}


def write_results(out_dir: Path, agreement: dict | None = None) -> Path:
    results = out_dir / "results" / "san_francisco" / "latest"
    results.mkdir(parents=True)
    (results / "summary.json").write_text(json.dumps(SUMMARY), encoding="utf-8")
    if agreement is not None:
        (results / "answer-key-agreement.json").write_text(json.dumps(agreement), encoding="utf-8")
    return results


def test_headline_against_scaled_target(tmp_path: Path) -> None:
    results = write_results(tmp_path)
    lines = format_headline(COUNTY, tmp_path).splitlines()
    assert lines[0] == "SAN FRANCISCO under sf-2019, compute date 2026-07-01"
    # 8,936 / 9,300 = 0.9609.
    assert lines[1] == (
        "  Eligible convictions:  8,936 of 10,968 Prop 64 convictions; target 9,300 (96.1% of it)"
    )
    assert lines[2] == (
        "  People relieved:       7,814 of 8,753 with a Prop 64 conviction in the county"
    )
    assert lines[3] == "  Answer key:            none beside the generated files"
    assert lines[4] == f"  Outputs:               {results}"


def test_headline_with_answer_key(tmp_path: Path) -> None:
    write_results(
        tmp_path,
        {
            "complete": False,
            "policies": [
                {"policy": "sf-2019", "agreed": 10967, "convictions": 10968},
                {"policy": "dismiss-all-prop64", "agreed": 10968, "convictions": 10968},
            ],
        },
    )
    lines = format_headline(COUNTY, tmp_path).splitlines()
    assert lines[3] == (
        "  Answer key agreement:  NOT 100% (sf-2019 10,967 of 10,968, "
        "dismiss-all-prop64 10,968 of 10,968)"
    )


def test_headline_of_failed_run(tmp_path: Path) -> None:
    headline = format_headline(COUNTY, tmp_path)
    assert headline.startswith("SAN FRANCISCO: no summary.json in ")
    assert "the run failed" in headline
