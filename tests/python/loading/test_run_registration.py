"""A run is recorded with its county, policy and files in command-line order."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from doj_test_files import doj_line, table_count, write_doj_file

from clearance.errors import ClearanceError
from clearance.loading.doj_files import load_doj_files
from clearance.runs import connect_warehouse, new_run_id, register_run


def register(con, run_id: str, loaded_files) -> None:
    register_run(
        con,
        run_id=run_id,
        county=" san joaquin ",
        policy_name="county",
        policy_parameters={"reduce_felonies": True, "age_threshold": 50},
        compute_date=date(2026, 7, 1),
        loaded_files=loaded_files,
    )


def test_run_and_files_are_recorded_in_order(warehouse, tmp_path: Path):
    first = write_doj_file(tmp_path / "b.dat", [doj_line("R2")])
    second = write_doj_file(tmp_path / "a.dat", [doj_line("R9")])
    loaded = load_doj_files(warehouse, [first, second])

    register(warehouse, "run-1", loaded)

    assert warehouse.execute(
        "select run_id, county, policy_name, policy_parameters, compute_date from raw.runs"
    ).fetchall() == [
        (
            "run-1",
            "SAN JOAQUIN",
            "county",
            json.dumps({"age_threshold": 50, "reduce_felonies": True}),
            date(2026, 7, 1),
        )
    ]
    assert warehouse.execute(
        "select run_id, load_id, file_order from raw.run_files order by file_order"
    ).fetchall() == [("run-1", loaded[0].load_id, 1), ("run-1", loaded[1].load_id, 2)]


def test_same_file_twice_in_a_run_is_rejected(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    loaded = load_doj_files(warehouse, [path, path])

    with pytest.raises(ClearanceError, match=r"DOJ file .*doj\.dat is given twice in one run"):
        register(warehouse, "run-1", loaded)

    assert table_count(warehouse, "runs") == 0
    assert table_count(warehouse, "run_files") == 0


def test_new_run_ids_differ():
    assert new_run_id() != new_run_id()


def test_new_warehouse_is_owner_only(tmp_path: Path):
    path = tmp_path / "private" / "clearance.duckdb"

    con = connect_warehouse(path)
    con.execute("create table t as select 1 as x")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    con.close()


def test_existing_warehouse_keeps_its_mode(tmp_path: Path):
    path = tmp_path / "clearance.duckdb"
    connect_warehouse(path).close()
    path.chmod(0o640)

    connect_warehouse(path).close()

    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_connection_without_row_group_merge(tmp_path: Path):
    path = tmp_path / "clearance.duckdb"

    with connect_warehouse(path) as con:
        default_tasks = con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0]
    with connect_warehouse(path, merge_row_groups=False) as con:
        tasks = con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0]

    assert default_tasks > 0
    assert tasks == 0
