"""Open the restricted warehouse file, creating it readable by its owner only."""

from __future__ import annotations

from pathlib import Path

import duckdb

from clearance.settings import duckdb_memory_limit

_OWNER_ONLY_FILE = 0o600
_OWNER_ONLY_DIR = 0o700


def connect_warehouse(
    path: str | Path, memory_limit: str | None = None, *, merge_row_groups: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB warehouse at path, making a new file and its WAL owner-only (0600).

    A missing parent folder is created with mode 0700. An existing warehouse keeps its mode.
    The memory limit is the run's (duckdb_memory_limit) unless another is given.

    With merge_row_groups false, this connection's checkpoints skip DuckDB's vacuum
    (`max_vacuum_tasks` 0, as profiles.yml sets for dbt), so they leave partly filled row
    groups unmerged. The first writer after dbt needs that: the dbt standby exits without a
    checkpoint, so the next checkpoint covers dbt's last models, and with the merge it
    rewrote them on one thread.
    """
    path = Path(path)
    path.parent.mkdir(mode=_OWNER_ONLY_DIR, parents=True, exist_ok=True)
    is_new = not path.exists()
    config: dict[str, str | int] = {"memory_limit": memory_limit or duckdb_memory_limit()}
    if not merge_row_groups:
        config["max_vacuum_tasks"] = 0
    con = duckdb.connect(str(path), config=config)
    if is_new:
        # NOTE: DuckDB creates the file and its WAL with the process umask. The file is fixed
        # here, but a WAL that DuckDB writes later gets the umask again: only an owner-only
        # parent folder (or umask 077) keeps it private.
        for file in (path, path.with_name(path.name + ".wal")):
            if file.exists():
                file.chmod(_OWNER_ONLY_FILE)
    return con
