"""The benchmark's DuckDB floors run on a DOJ file and leave no file behind."""

from __future__ import annotations

from pathlib import Path

from bench.floors import measure_floors
from clearance.synthetic.simple_writer import write_doj_file


def test_floors_store_every_line(tmp_path: Path) -> None:
    doj_file = tmp_path / "doj.csv"
    write_doj_file(doj_file, 120, county="SAN JOAQUIN", seed=1)
    work_dir = tmp_path / "work"
    work_dir.mkdir()

    floors = measure_floors(doj_file, work_dir)

    # The writer adds a header line, which the floors skip as the loader does.
    assert floors.lines == 120
    assert floors.store_seconds > 0
    assert floors.copy_seconds > 0
    assert floors.split_seconds > 0
    assert floors.total_seconds == floors.store_seconds + floors.copy_seconds + floors.split_seconds
    assert list(work_dir.iterdir()) == []
