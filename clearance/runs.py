"""Register a clearance run and its DOJ files in the raw layer."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime

import duckdb

from clearance.errors import ClearanceError
from clearance.loading.doj_loads import LoadedFile
from clearance.loading.raw_schema import create_raw_schema
from clearance.loading.warehouse import connect_warehouse

__all__ = ["connect_warehouse", "new_run_id", "register_run"]

logger = logging.getLogger(__name__)


def new_run_id() -> str:
    """Return a new run id: a random UUID as 32 hex digits."""
    return uuid.uuid4().hex


def register_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    county: str,
    policy_name: str,
    policy_parameters: dict,
    compute_date: date,
    loaded_files: list[LoadedFile],
) -> None:
    """Insert the run into raw.runs and its files, in command-line order, into raw.run_files.

    The run also becomes raw.current_run, the one run that the dbt models read.

    Raises ClearanceError when the list names the same file content twice, because a run that
    counted one extract twice would double every history in it.
    """
    seen: dict[str, LoadedFile] = {}
    for loaded in loaded_files:
        earlier = seen.get(loaded.load_id)
        if earlier is not None:
            raise ClearanceError(
                f"DOJ file {loaded.file_path} is given twice in one run "
                f"(same content as {earlier.file_path})"
            )
        seen[loaded.load_id] = loaded

    create_raw_schema(con)
    con.execute("begin transaction")
    try:
        con.execute(
            """
            insert into raw.runs (
                run_id, county, policy_name, policy_parameters, compute_date, started_at
            )
            values ($run_id, $county, $policy_name, $policy_parameters, $compute_date, $started_at)
            """,
            {
                "run_id": run_id,
                "county": county.strip().upper(),
                "policy_name": policy_name,
                "policy_parameters": json.dumps(policy_parameters, sort_keys=True),
                "compute_date": compute_date,
                # UTC, stored without a zone because the column is a plain timestamp.
                "started_at": datetime.now(UTC).replace(tzinfo=None),
            },
        )
        con.execute("delete from raw.current_run")
        con.execute("insert into raw.current_run (run_id) values ($run_id)", {"run_id": run_id})
        con.executemany(
            "insert into raw.run_files (run_id, load_id, file_order) values (?, ?, ?)",
            [
                (run_id, loaded.load_id, file_order)
                for file_order, loaded in enumerate(loaded_files, start=1)
            ],
        )
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    logger.info("Registered run %s: county %s, %d DOJ files", run_id, county, len(loaded_files))
