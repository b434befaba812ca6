"""The benchmark's DuckDB floors compress lines as the loader does and leave no file behind."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.floors import measure_floors, store_lines
from clearance.loading.doj_files import LINE_COMPRESSION
from clearance.synthetic.simple_writer import write_doj_file


@pytest.fixture
def doj_file(tmp_path: Path) -> Path:
    path = tmp_path / "doj.csv"
    write_doj_file(path, 120, county="SAN JOAQUIN", seed=1)
    return path


def test_floor_store_uses_loader_compression(doj_file: Path, tmp_path: Path) -> None:
    with duckdb.connect(tmp_path / "floor.duckdb") as con:
        lines = store_lines(con, doj_file)
        compressions = con.execute(
            "select distinct compression from pragma_storage_info('doj_lines') "
            "where column_name = 'line' and segment_type = 'VARCHAR'"
        ).fetchall()

    # The writer adds a header line, which the store skips as the loader does.
    assert lines == 120
    assert compressions == [(LINE_COMPRESSION.upper(),)]


def test_floors_leave_no_files(doj_file: Path, tmp_path: Path) -> None:
    work_dir = tmp_path / "work"
    work_dir.mkdir()

    floors = measure_floors(doj_file, work_dir)

    assert floors.lines == 120
    assert floors.store_seconds > 0
    assert floors.copy_seconds > 0
    assert floors.split_seconds > 0
    assert floors.cpu_seconds > 0
    assert list(work_dir.iterdir()) == []
