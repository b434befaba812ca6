"""What the schedule and the landing sensor request, and how a run's settings are completed."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from clearance.errors import ClearanceError
from orchestration.lib.automation import landed_runs, scheduled_runs
from orchestration.lib.run_request import resolve_request

T0 = 1_800_000_000
COMPUTE_DATE = dt.date(2026, 12, 1)


@pytest.fixture
def county_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A county configuration whose landing folders and publish root are under tmp_path."""
    config = tmp_path / "counties.yaml"
    config.write_text(
        f"""
defaults:
  policy: legal-default
  parameters: {{}}
  landing_folder: {tmp_path}/landing/{{county}}
  settle_seconds: 60
  scheduled: true
  publish_root: {tmp_path}/publications
counties:
  SAN FRANCISCO:
    policy: sf-2019
  YOLO:
    scheduled: false
  NAPA:
    parameters: {{effective_date_check: false}}
  KERN:
    court_mapping: {tmp_path}/kern_court_mapping.yaml
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEARANCE_COUNTY_CONFIG", str(config))
    return tmp_path


def land(root: Path, county_slug: str, name: str, mtime: float, subfolder: str = "doj") -> Path:
    path = root / "landing" / county_slug / subfolder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def test_schedule_runs_counties_with_ready_extract(county_config: Path) -> None:
    land(county_config, "san_francisco", "extract.dat", T0)
    land(county_config, "yolo", "extract.dat", T0)  # not scheduled
    land(county_config, "alpine", "extract.dat", T0 + 30)  # not settled yet
    plans = scheduled_runs(COMPUTE_DATE, now=T0 + 60)
    assert [plan.county for plan in plans] == ["SAN FRANCISCO"]
    plan = plans[0]
    assert plan.run_key == "schedule:san_francisco:2026-12-01"
    assert plan.tags == {
        "clearance/county": "SAN FRANCISCO",
        "clearance/policy": "sf-2019",
        "clearance/compute_date": "2026-12-01",
    }
    config = plan.run_config["resources"]["clearance_run"]["config"]
    assert config == {
        "doj_paths": [str(county_config / "landing" / "san_francisco" / "doj" / "extract.dat")],
        "compute_date": "2026-12-01",
    }


def test_sensor_starts_each_new_extract_once(county_config: Path) -> None:
    land(county_config, "san_francisco", "march.dat", T0)
    plans, cursor = landed_runs(None, COMPUTE_DATE, now=T0 + 60)
    assert [plan.county for plan in plans] == ["SAN FRANCISCO"]
    assert plans[0].run_key.startswith("landing:san_francisco:")
    assert set(json.loads(cursor)) == {"SAN FRANCISCO"}

    # The same extract on the next tick starts nothing.
    plans, cursor = landed_runs(cursor, COMPUTE_DATE, now=T0 + 120)
    assert plans == []

    # A newer extract that has settled starts one run for it.
    april = land(county_config, "san_francisco", "april.dat", T0 + 200)
    plans, cursor = landed_runs(cursor, COMPUTE_DATE, now=T0 + 200 + 59)
    assert plans == []
    plans, cursor = landed_runs(cursor, COMPUTE_DATE, now=T0 + 200 + 60)
    assert len(plans) == 1
    assert plans[0].run_config["resources"]["clearance_run"]["config"]["doj_paths"] == [str(april)]


def test_sensor_waits_for_file_still_being_written(county_config: Path) -> None:
    path = land(county_config, "napa", "extract.dat", T0)
    # The copy goes on: each write moves the modification time.
    for second in (10, 50, 90):
        os.utime(path, (T0 + second, T0 + second))
        plans, _ = landed_runs(None, COMPUTE_DATE, now=T0 + second + 5)
        assert plans == [], second
    plans, _ = landed_runs(None, COMPUTE_DATE, now=T0 + 90 + 60)
    assert [plan.county for plan in plans] == ["NAPA"]


def test_partition_run_takes_county_settings(county_config: Path) -> None:
    created = dt.datetime(2026, 12, 1, 14, 0, 0, tzinfo=dt.UTC)
    request = resolve_request(
        {},
        dagster_run_id="0f0e-run",
        partition_key="NAPA",
        created_at=created,
        tags={"clearance/compute_date": "2026-11-30"},
    )
    assert request.county == "NAPA"
    assert request.run_id == "0f0e-run"
    assert request.policy == "legal-default"
    assert request.params == ("effective_date_check=false",)
    assert request.compute_date == "2026-11-30"
    assert request.publish_root == str(county_config / "publications")
    assert request.doj_paths == ()
    assert request.out_dir == str(
        county_config / "publications" / "napa" / "20261201T140000Z-0f0e-run"
    )


def test_command_line_settings_win_over_county_settings(county_config: Path) -> None:
    request = resolve_request(
        {
            "run_id": "cli",
            "county": "napa",
            "policy": "sf-2019",
            "publish_root": "/srv/out",
            "compute_date": "2019-07-01",
            "started_at": "2026-12-01T14:00:00+00:00",
        },
        dagster_run_id="dagster",
        partition_key="NAPA",
        created_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC),
        tags={},
    )
    assert request.run_id == "cli"
    assert request.policy == "sf-2019"
    # The county's parameters belong to its own policy, so they are not applied to another.
    assert request.params == ()
    assert request.compute_date == "2019-07-01"
    assert request.out_dir == "/srv/out/napa/20261201T140000Z-cli"


def test_run_without_county_is_rejected(county_config: Path) -> None:
    with pytest.raises(ClearanceError, match="names no county"):
        resolve_request(
            {}, dagster_run_id="r", partition_key=None, created_at=dt.datetime.now(dt.UTC), tags={}
        )


def test_run_takes_court_extract_with_mapping(county_config: Path) -> None:
    land(county_config, "kern", "extract.dat", T0)
    land(county_config, "kern", "cases/part1.csv", T0, subfolder="court")
    land(county_config, "kern", "cases/part2.csv", T0, subfolder="court")
    land(county_config, "kern", "older.csv", T0 - 600, subfolder="court")

    plans = scheduled_runs(COMPUTE_DATE, now=T0 + 60)

    [plan] = [plan for plan in plans if plan.county == "KERN"]
    config = plan.run_config["resources"]["clearance_run"]["config"]
    # The newest ready court extract is the folder of two files, read in file-name order.
    court = county_config / "landing" / "kern" / "court" / "cases"
    assert config["court_paths"] == [str(court / "part1.csv"), str(court / "part2.csv")]
    mapping = str(county_config / "kern_court_mapping.yaml")
    assert config["court_mapping_paths"] == [mapping, mapping]


def test_run_without_ready_court_extract_has_no_court_files(county_config: Path) -> None:
    land(county_config, "kern", "extract.dat", T0)
    land(county_config, "kern", "cases.csv", T0 + 30, subfolder="court")  # not settled yet

    plans = scheduled_runs(COMPUTE_DATE, now=T0 + 60)

    [plan] = [plan for plan in plans if plan.county == "KERN"]
    config = plan.run_config["resources"]["clearance_run"]["config"]
    assert "court_paths" not in config
    assert "court_mapping_paths" not in config
