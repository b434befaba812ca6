"""Write every export of a run into its out folder, all or nothing, readable by the owner only."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.exports.csv_files import WAREHOUSE_CATALOG, write_csv_files
from clearance.exports.summary import SUMMARY, build_summary
from clearance.settings import duckdb_memory_limit
from clearance.sql_text import sql_string

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass(frozen=True)
class ExportResult:
    """The files written and the summary they hold."""

    out_dir: Path
    files: tuple[str, ...]
    summary: dict


def _create_owner_only(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.close(descriptor)


def _check_run_was_built(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    row = con.execute("select run_id from staging.stg_clearance__run").fetchone()
    if row is None or row[0] != run_id:
        raise ClearanceError(
            f"the warehouse models were built for another run than {run_id}; run dbt build "
            "for this run before writing its exports"
        )


def _check_county_in_files(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ClearanceError when no row of the run's files names the run's county.

    Such a run decides nothing, and a misspelled --county is the likely cause, so it stops
    before writing empty exports that an office could mistake for a real result.
    """
    county, rows_in_county = con.execute(
        """
        select run.county, count(doj_rows.row_order)
        from staging.stg_clearance__run as run
        left join staging.stg_doj__rows as doj_rows
            on doj_rows.stp_ori_cnty_name = run.county
        group by run.county
        """
    ).fetchone()
    if rows_in_county:
        return
    counties = [
        name
        for (name,) in con.execute(
            """
            select stp_ori_cnty_name
            from staging.stg_doj__rows
            where stp_ori_cnty_name is not null
            group by stp_ori_cnty_name
            order by count(*) desc, stp_ori_cnty_name
            limit 10
            """
        ).fetchall()
    ]
    raise ClearanceError(
        f"county {county!r} is named by no row of the run's DOJ files, so nothing was decided "
        f"and no export was written; counties in the files: {', '.join(counties) or 'none'}. "
        "Check --county."
    )


def write_exports(warehouse: Path, run_id: str, out_dir: Path) -> ExportResult:
    """Write the CSV files and summary.json of a run into out_dir.

    The files are written into a private (0700) staging folder beside out_dir and moved in only
    when all of them are complete, so a failure leaves out_dir as it was.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        # Temp tables of the export spill into the private staging folder, never a shared one.
        config = {
            "memory_limit": duckdb_memory_limit(),
            "temp_directory": str(staging / "duckdb_tmp"),
        }
        with duckdb.connect(":memory:", config=config) as con:
            con.execute(f"attach {sql_string(str(warehouse))} as {WAREHOUSE_CATALOG} (read_only)")
            con.execute(f"use {WAREHOUSE_CATALOG}")
            _check_run_was_built(con, run_id)
            _check_county_in_files(con)
            run_files = con.execute(
                "select file_order, load_id from raw.run_files where run_id = $run_id "
                "order by file_order",
                {"run_id": run_id},
            ).fetchall()
            files = write_csv_files(con, run_files, staging)
            for name in files:
                # DuckDB creates the file with the process umask; the staging folder is 0700,
                # so no one else could open it before this.
                os.chmod(staging / name, FILE_MODE)
            summary = build_summary(con, run_id)

        summary_path = staging / SUMMARY
        _create_owner_only(summary_path)
        summary_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        files.append(SUMMARY)

        out_dir.mkdir(mode=DIR_MODE, exist_ok=True)
        for name in files:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    logger.info("Wrote %d export files to %s", len(files), out_dir)
    return ExportResult(out_dir=out_dir, files=tuple(files), summary=summary)
