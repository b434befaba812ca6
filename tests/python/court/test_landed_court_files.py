"""A county run launched without files takes the court extract of its landing folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from court_test_files import court_line, write_court_file, write_mapping

from orchestration.lib.run_request import RunRequest
from orchestration.lib.steps import load_court_layer


def request(warehouse: Path, doj_paths: tuple[str, ...] = ()) -> RunRequest:
    return RunRequest(
        run_id="run-1",
        county="LOS ANGELES",
        doj_paths=doj_paths,
        compute_date="2026-07-01",
        publish_root=str(warehouse.parent / "publications"),
        started_at="2026-07-01T00:00:00+00:00",
        warehouse=str(warehouse),
        policy="legal-default",
    )


@pytest.fixture
def landed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Los Angeles with a court mapping and one settled court extract in its landing folder."""
    mapping = write_mapping(tmp_path / "la_court_mapping.yaml")
    court = tmp_path / "landing" / "los_angeles" / "court" / "cases.csv"
    court.parent.mkdir(parents=True)
    write_court_file(court, [court_line("BA100000001"), court_line("BA100000002")])
    (tmp_path / "landing" / "los_angeles" / "court" / "cases.csv.done").touch()
    config = tmp_path / "counties.yaml"
    config.write_text(
        f"""
defaults:
  policy: legal-default
  landing_folder: {tmp_path}/landing/{{county}}
  settle_seconds: 60
  publish_root: {tmp_path}/publications
counties:
  LOS ANGELES:
    court_mapping: {mapping}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEARANCE_COUNTY_CONFIG", str(config))
    return tmp_path


def test_partition_run_loads_landed_court_extract(warehouse, landed: Path):
    [loaded] = load_court_layer(warehouse, request(landed / "warehouse.duckdb"))

    assert loaded.file_name == "cases.csv"
    assert loaded.rows_loaded == 2


def test_run_with_doj_files_keeps_its_own_court_files(warehouse, landed: Path):
    loaded = load_court_layer(warehouse, request(landed / "warehouse.duckdb", ("doj.csv",)))

    assert loaded == []
