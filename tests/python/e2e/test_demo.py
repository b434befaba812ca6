"""The demo end to end at a small scale: generate both counties, run each, print the headline."""

from __future__ import annotations

import json

import pytest
from demo_publication import DemoPublication

pytestmark = pytest.mark.slow


def test_demo_runs_each_county_under_its_policy(demo_publication: DemoPublication) -> None:
    assert demo_publication.returncode == 0, demo_publication.stderr[-4000:]

    for folder, county, policy in (
        ("los_angeles", "LOS ANGELES", "la-pilot-2019"),
        ("san_francisco", "SAN FRANCISCO", "sf-2019"),
    ):
        summary = json.loads(
            (demo_publication.latest(folder) / "summary.json").read_text(encoding="utf-8")
        )
        assert summary["county"] == county
        assert summary["policy"]["name"] == policy
        assert demo_publication.warehouse(folder).is_file()
        eligible = summary["convictions"]["eligible"]
        assert f"{county} under {policy}, compute date " in demo_publication.stdout
        assert f"  Eligible convictions:  {eligible:,} of " in demo_publication.stdout
    assert "Every person is invented." in demo_publication.stdout
