"""Load DOJ research files into the raw layer, setting malformed lines aside in quarantine."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from clearance.loading import line_parsing
from clearance.loading.doj_line_store import LoadPlan, ScanOverturnedGuess, store_new_files
from clearance.loading.doj_loads import LoadedFile, find_load
from clearance.loading.errors import InputFileError
from clearance.loading.file_scan import FileScan, check_input_path
from clearance.loading.raw_schema import create_raw_schema

logger = logging.getLogger(__name__)

# The compression of raw.doj_lines.line, forced while the lines are stored (see load_doj_files).
LINE_COMPRESSION = "zstd"


def load_doj_files(con: duckdb.DuckDBPyConnection, paths: Iterable[str | Path]) -> list[LoadedFile]:
    """Load each DOJ file in order and return one LoadedFile per path, all or nothing.

    Every path is checked before anything is written. A file whose content (sha256) is already
    in raw.doj_files is not loaded again: its earlier load is returned with reused=True. When
    any file fails, nothing of the call is loaded.

    A new file's lines are stored while a thread scans it (doj_line_store). When the scan
    contradicts how the lines were read, DuckDB fails to read them, or the scan finds content
    loaded before, the transaction is rolled back and every file is stored again from its scan.

    The lines of the new files are committed first, without their file records, and checked in a
    second transaction that deletes the rejected ones and writes the records. Deleting lines
    inserted in the same transaction made DuckDB rewrite the whole load at commit (about 1 s per
    million lines, duckdb 2.0.1). Deleting committed lines took 0.01 s with 2% of a million lines
    rejected. Runs read lines only through a file record, so they never see lines between the
    two transactions. Lines left without a record by a failed or killed load are deleted here,
    or at the start of the next load.
    """
    resolved = [Path(path).resolve() for path in paths]
    for path in resolved:
        check_input_path(path)
    create_raw_schema(con)
    con.execute(line_parsing.DELETE_UNRECORDED_LINES_SQL)
    # DuckDB's default string compression analyses every line before writing it, which took
    # about 2 s per million lines (duckdb 2.0.1, 2 cores). zstd took 0.6 s and still compresses.
    # The setting is not transactional, so it is set and reset outside the transactions, where
    # an aborted transaction cannot make the reset fail and hide the load's own error.
    con.execute(f"set force_compression = '{LINE_COMPRESSION}'")
    try:
        scans: dict[Path, FileScan] = {}
        try:
            plans = _in_transaction(con, lambda: store_new_files(con, resolved, scans))
        except ScanOverturnedGuess as overturned:
            logger.info("%s; storing the files again from their scans", overturned)
            plans = _in_transaction(
                con, lambda: store_new_files(con, resolved, scans, overlap=False)
            )
        try:
            return _in_transaction(con, lambda: [_finish_load(con, plan) for plan in plans])
        except BaseException:
            _delete_unrecorded_lines(con)
            raise
    finally:
        con.execute("reset force_compression")


def _delete_unrecorded_lines(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute(line_parsing.DELETE_UNRECORDED_LINES_SQL)
    except duckdb.Error as error:
        # The load's own error is the one to raise, and the next load deletes these lines.
        logger.warning(
            "Failed to delete the stored lines of the failed DOJ load (%s); the next load "
            "deletes them",
            type(error).__name__,
        )


T = TypeVar("T")


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    con.execute("begin transaction")
    try:
        result = work()
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return result


def _finish_load(con: duckdb.DuckDBPyConnection, plan: LoadPlan) -> LoadedFile:
    if plan.earlier is not None or plan.repeats_earlier_path:
        earlier = plan.earlier or find_load(con, plan.scan.file_hash)
        assert earlier is not None
        logger.info(
            "DOJ file %s has the content of load %s (%s), so that load is reused",
            plan.scan.path.name,
            earlier.load_id,
            earlier.file_name,
        )
        return earlier
    return _check_new_load(con, plan.scan, plan.load_id, plan.lines_stored)


def _check_new_load(
    con: duckdb.DuckDBPyConnection, scan: FileScan, load_id: str, lines_stored: int
) -> LoadedFile:
    """Check the stored lines of a new load, delete and quarantine the rejected ones, record it."""
    con.execute(
        line_parsing.CREATE_REJECTED_LINES_SQL,
        {
            "load_id": load_id,
            "carriage_return_marker": scan.carriage_return_marker,
            "good_line_pattern": line_parsing.GOOD_LINE_PATTERN,
            "fields_pattern": line_parsing.FIELDS_PATTERN,
            "field_count": line_parsing.FIELD_COUNT,
        },
    )
    (lines_quarantined,) = con.execute("select count(*) from doj_rejected").fetchone()
    lines_loaded = lines_stored - lines_quarantined
    if lines_loaded == 0:
        raise InputFileError(
            f"DOJ file has no valid line: {scan.path} ({lines_quarantined} lines quarantined)"
        )
    if lines_quarantined:
        _log_quarantine(con, scan)
        con.execute(line_parsing.DELETE_REJECTED_LINES_SQL, {"load_id": load_id})
        con.execute(
            line_parsing.INSERT_QUARANTINE_SQL, {"load_id": load_id, "file_name": scan.path.name}
        )
    loaded = LoadedFile(
        load_id=load_id,
        file_name=scan.path.name,
        file_path=str(scan.path),
        file_hash=scan.file_hash,
        encoding=scan.encoding,
        has_header=scan.has_header,
        line_ending=scan.line_ending,
        lines_read=lines_stored,
        lines_loaded=lines_loaded,
        lines_quarantined=lines_quarantined,
        reused=False,
    )
    _insert_file_record(con, loaded, scan.file_bytes)
    con.execute(line_parsing.DROP_REJECTED_LINES_SQL)

    logger.info(
        "Loaded DOJ file %s (load %s, %s, %s line endings): %d lines read, %d loaded, "
        "%d quarantined",
        loaded.file_name,
        load_id,
        loaded.encoding,
        loaded.line_ending,
        loaded.lines_read,
        loaded.lines_loaded,
        loaded.lines_quarantined,
    )
    return loaded


def _log_quarantine(con: duckdb.DuckDBPyConnection, scan: FileScan) -> None:
    for reason, lines, first_line_number in con.execute(line_parsing.COUNT_REASONS_SQL).fetchall():
        logger.warning(
            "DOJ file %s: %d line(s) quarantined (%s), first at line %d; the run leaves them "
            "out, so a subject on them may miss convictions (raw.doj_quarantine lists them)",
            scan.path.name,
            lines,
            reason,
            first_line_number,
        )


def _insert_file_record(
    con: duckdb.DuckDBPyConnection, loaded: LoadedFile, file_bytes: int
) -> None:
    con.execute(
        """
        insert into raw.doj_files (
            load_id, file_name, file_path, file_hash, file_bytes, encoding, has_header,
            line_ending, lines_read, lines_loaded, lines_quarantined, loaded_at
        )
        values (
            $load_id, $file_name, $file_path, $file_hash, $file_bytes, $encoding, $has_header,
            $line_ending, $lines_read, $lines_loaded, $lines_quarantined, $loaded_at
        )
        """,
        {
            "load_id": loaded.load_id,
            "file_name": loaded.file_name,
            "file_path": loaded.file_path,
            "file_hash": loaded.file_hash,
            "file_bytes": file_bytes,
            "encoding": loaded.encoding,
            "has_header": loaded.has_header,
            "line_ending": loaded.line_ending,
            "lines_read": loaded.lines_read,
            "lines_loaded": loaded.lines_loaded,
            "lines_quarantined": loaded.lines_quarantined,
            # UTC, stored without a zone because the column is a plain timestamp.
            "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        },
    )
