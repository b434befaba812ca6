"""The DOJ loads recorded in raw.doj_files: one per distinct file content ever loaded."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class LoadedFile:
    """One DOJ file of a load call, as recorded in raw.doj_files."""

    load_id: str
    file_name: str
    file_path: str
    file_hash: str
    encoding: str
    has_header: bool
    line_ending: str
    lines_read: int
    lines_loaded: int
    lines_quarantined: int
    reused: bool


def find_load(con: duckdb.DuckDBPyConnection, file_hash: str) -> LoadedFile | None:
    """Return the recorded load of the content with this sha256, or None when there is none."""
    row = con.execute(
        """
        select load_id, file_name, file_path, file_hash, encoding, has_header, line_ending,
            lines_read, lines_loaded, lines_quarantined
        from raw.doj_files
        where file_hash = $file_hash
        """,
        {"file_hash": file_hash},
    ).fetchone()
    if row is None:
        return None
    return LoadedFile(*row, reused=True)
