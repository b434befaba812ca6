"""Run the project's dbt against a throwaway warehouse, so tests never share a DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from clearance.loading.raw_schema import create_raw_schema

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"


def dbt_env(warehouse: Path, work_dir: Path) -> dict[str, str]:
    """Return the environment for a dbt subprocess writing only under work_dir."""
    env = dict(os.environ)
    env.update(
        CLEARANCE_WAREHOUSE=str(warehouse),
        DBT_PROFILES_DIR=str(PROJECT_DIR),
        # Separate target and log folders let several test sessions run dbt at once.
        DBT_TARGET_PATH=str(work_dir / "target"),
        DBT_LOG_PATH=str(work_dir / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def run_dbt(args: list[str], warehouse: Path, work_dir: Path, run_id: str | None = None):
    """Run one dbt command in the project and return the completed process.

    With run_id, that run becomes raw.current_run first, as the load step of a real run does.
    """
    if run_id is not None:
        with duckdb.connect(str(warehouse)) as con:
            create_raw_schema(con)
            con.execute("delete from raw.current_run")
            con.execute("insert into raw.current_run values ($run_id)", {"run_id": run_id})
    command = [str(DBT), *args, "--project-dir", str(PROJECT_DIR)]
    return subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=dbt_env(warehouse, work_dir),
        capture_output=True,
        text=True,
        check=False,
    )


def empty_warehouse(path: Path) -> Path:
    """Create a warehouse file holding only the empty raw schema."""
    with duckdb.connect(str(path)) as con:
        create_raw_schema(con)
    return path
