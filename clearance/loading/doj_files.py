"""Load DOJ research files into the raw layer, setting malformed lines aside in quarantine."""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.loading import line_parsing
from clearance.loading.errors import InputFileError
from clearance.loading.file_scan import FileScan, scan_doj_file, write_normalized_copy
from clearance.loading.raw_schema import create_raw_schema

logger = logging.getLogger(__name__)

# DuckDB's default line limit is 2,000,000 bytes. A longer line must be quarantined, not fail
# the file, so the limit is raised to the file's size, but no further than 8 MiB. DuckDB sizes
# its read buffer from the limit: with 64 MiB it asked for a 1 GiB block (duckdb 2.0.1), which
# failed under the memory limit. A 95-field DOJ line is about a kilobyte.
_MIN_MAX_LINE_SIZE = 2_000_000
_MAX_MAX_LINE_SIZE = 8 * 2**20


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


def load_doj_files(con: duckdb.DuckDBPyConnection, paths: Iterable[str | Path]) -> list[LoadedFile]:
    """Load each DOJ file in order, in one transaction, and return one LoadedFile per path.

    Every path is checked and scanned before anything is written. A file whose content (sha256)
    is already in raw.doj_files is not loaded again: its earlier load is returned with
    reused=True. When any file fails, nothing of the call is loaded.
    """
    scans = [scan_doj_file(Path(path).resolve()) for path in paths]
    create_raw_schema(con)
    # DuckDB's default string compression analyses every line before writing it, which took
    # about 2 s per million lines (duckdb 2.0.1, 2 cores). zstd took 0.6 s and still compresses.
    # The setting is not transactional, so it is set and reset outside the transaction, where
    # an aborted transaction cannot make the reset fail and hide the load's own error.
    con.execute("set force_compression = 'zstd'")
    try:
        con.execute("begin transaction")
        try:
            loaded = [_load_or_reuse(con, scan) for scan in scans]
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
    finally:
        con.execute("reset force_compression")
    return loaded


def _load_or_reuse(con: duckdb.DuckDBPyConnection, scan: FileScan) -> LoadedFile:
    earlier = _find_load(con, scan.file_hash)
    if earlier is not None:
        logger.info(
            "DOJ file %s has the content of load %s (%s), so that load is reused",
            scan.path.name,
            earlier.load_id,
            earlier.file_name,
        )
        return earlier
    return _load_file(con, scan)


def _find_load(con: duckdb.DuckDBPyConnection, file_hash: str) -> LoadedFile | None:
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


def _load_file(con: duckdb.DuckDBPyConnection, scan: FileScan) -> LoadedFile:
    load_id = uuid.uuid4().hex
    if scan.direct_new_line is None:
        with tempfile.TemporaryDirectory(prefix="clearance-load-") as work_dir:
            # The copy contains personal data, and TemporaryDirectory creates its folder owner-only.
            normalized = Path(work_dir) / "normalized.csv"
            write_normalized_copy(scan, normalized)
            lines_stored = _store_lines(con, scan, normalized, new_line="\\n")
    else:
        lines_stored = _store_lines(con, scan, scan.path, new_line=scan.direct_new_line)

    lines_quarantined = _insert_checked_lines(con, scan, load_id, lines_stored)
    lines_loaded = lines_stored - lines_quarantined
    if lines_loaded == 0:
        raise InputFileError(
            f"DOJ file has no valid line: {scan.path} ({lines_quarantined} lines quarantined)"
        )
    _log_quarantine(con, scan)
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
    for statement in line_parsing.DROP_WORK_TABLES_SQL:
        con.execute(statement)

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


def _store_lines(
    con: duckdb.DuckDBPyConnection, scan: FileScan, source: Path, *, new_line: str
) -> int:
    """Store every data line of source in the work table raw.doj_load_lines; return the count."""
    header_lines = 1 if scan.has_header else 0
    try:
        con.execute(
            line_parsing.CREATE_WORK_LINES_SQL,
            {
                "path": str(source),
                "delimiter": scan.delimiter,
                "new_line": new_line,
                "encoding": scan.encoding,
                "max_line_size": min(
                    max(_MIN_MAX_LINE_SIZE, scan.file_bytes + 2), _MAX_MAX_LINE_SIZE
                ),
                "header_lines": header_lines,
                "bom_text": _bom_text(scan),
            },
        )
    except duckdb.Error:
        # DuckDB's message quotes the offending line, which is personal data: report the file only.
        raise ClearanceError(
            f"DuckDB failed to read DOJ file {scan.path}: the file is unreadable or has a line "
            f"longer than {_MAX_MAX_LINE_SIZE // 2**20} MiB"
        ) from None

    (lines_stored,) = con.execute("select count(*) from raw.doj_load_lines").fetchone()
    if lines_stored + header_lines != scan.physical_lines:
        # Line numbers are lineage, so a reader that merged or split lines must stop the load.
        raise ClearanceError(
            f"DuckDB read {lines_stored + header_lines} lines from DOJ file {scan.path}, "
            f"which has {scan.physical_lines}; nothing was loaded"
        )
    return lines_stored


def _insert_checked_lines(
    con: duckdb.DuckDBPyConnection, scan: FileScan, load_id: str, lines_stored: int
) -> int:
    """Check the lines of the work table, store the good ones in raw.doj_lines, count the rest.

    The rejected lines stay in the temp table doj_rejected, with their reasons, for the
    quarantine.
    """
    con.execute(
        line_parsing.CREATE_REJECTED_LINES_SQL,
        {
            "carriage_return_marker": scan.carriage_return_marker,
            "good_line_pattern": line_parsing.GOOD_LINE_PATTERN,
            "fields_pattern": line_parsing.FIELDS_PATTERN,
            "field_count": line_parsing.FIELD_COUNT,
        },
    )
    (rejected,) = con.execute("select count(*) from doj_rejected").fetchone()
    if not rejected:
        con.execute(line_parsing.INSERT_ALL_LINES_SQL, {"load_id": load_id})
        return 0
    first_line_number = 2 if scan.has_header else 1
    (rejected_lines,) = con.execute(
        line_parsing.REJECTED_LINES_BITS_SQL.format(
            first_line_number=first_line_number,
            last_line_number=first_line_number + lines_stored - 1,
        )
    ).fetchone()
    con.execute(
        line_parsing.INSERT_GOOD_LINES_SQL,
        {
            "load_id": load_id,
            "rejected_lines": rejected_lines,
            "first_line_number": first_line_number,
        },
    )
    return rejected


def _bom_text(scan: FileScan) -> str:
    if not scan.has_bom:
        return ""
    # Under Latin-1 the three BOM bytes decode to three characters.
    return "\ufeff" if scan.encoding == "utf-8" else "\u00ef\u00bb\u00bf"


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
