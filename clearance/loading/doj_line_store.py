"""Store the lines of new DOJ files in raw.doj_lines, scanning each file beside its insert."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.loading import line_parsing
from clearance.loading.doj_loads import LoadedFile, find_load
from clearance.loading.file_scan import FileScan, scan_doj_file, write_normalized_copy
from clearance.loading.line_reading import LineReading, guess_line_reading

# DuckDB's default line limit is 2,000,000 bytes. A longer line must be quarantined, not fail
# the file, so the limit is raised to the file's size, but no further than 8 MiB. DuckDB sizes
# its read buffer from the limit: with 64 MiB it asked for a 1 GiB block (duckdb 2.0.1), which
# failed under the memory limit. A 95-field DOJ line is about a kilobyte.
_MIN_MAX_LINE_SIZE = 2_000_000
_MAX_MAX_LINE_SIZE = 8 * 2**20


@dataclass(frozen=True)
class LoadPlan:
    """A file of the call: an earlier load to reuse, or a new load whose lines are stored."""

    scan: FileScan
    earlier: LoadedFile | None
    load_id: str | None = None
    lines_stored: int = 0
    # An earlier path of the same call has this content, and this path reuses its load.
    repeats_earlier_path: bool = False


class ScanOverturnedGuess(Exception):
    """The lines stored under a guessed reading must be stored again from the file's scan."""


def store_new_files(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    scans: dict[Path, FileScan],
    *,
    overlap: bool = True,
) -> list[LoadPlan]:
    """Store the lines of each new file of paths and return their plans, in order.

    scans collects each file's scan, so that a second call after ScanOverturnedGuess reuses
    them. With overlap, a file is stored while it is scanned unless an earlier load or an
    earlier path of the call has its size.
    """
    plans: list[LoadPlan] = []
    new_hashes: set[str] = set()
    sizes: set[int] = set()
    for path in paths:
        size = path.stat().st_size
        guess = None
        if overlap and size not in sizes and not _may_be_loaded(con, size):
            guess = guess_line_reading(path)
        sizes.add(size)
        if guess is not None:
            plan = _store_while_scanning(con, path, size, guess, scans, new_hashes)
        else:
            scan = scans.get(path)
            if scan is None:
                scan = scans[path] = scan_doj_file(path)
            plan = _store_scanned(con, scan, new_hashes)
        if plan.load_id is not None:
            new_hashes.add(plan.scan.file_hash)
        plans.append(plan)
    return plans


def _store_scanned(
    con: duckdb.DuckDBPyConnection, scan: FileScan, new_hashes: set[str]
) -> LoadPlan:
    earlier = find_load(con, scan.file_hash)
    if earlier is not None:
        return LoadPlan(scan, earlier)
    if scan.file_hash in new_hashes:
        return LoadPlan(scan, None, repeats_earlier_path=True)
    load_id = uuid.uuid4().hex
    return LoadPlan(scan, None, load_id, _store_lines(con, scan, load_id))


def _may_be_loaded(con: duckdb.DuckDBPyConnection, file_bytes: int) -> bool:
    """Return whether an earlier load has this size, so that it may contain the same content.

    Such a file is scanned first, because a rerun of the same file would otherwise store its
    lines only to roll them back.
    """
    (count,) = con.execute(
        "select count(*) from raw.doj_files where file_bytes = $file_bytes",
        {"file_bytes": file_bytes},
    ).fetchone()
    return count > 0


def _store_while_scanning(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_bytes: int,
    guess: LineReading,
    scans: dict[Path, FileScan],
    new_hashes: set[str],
) -> LoadPlan:
    """Store a file's lines as guess reads them while a thread scans the file.

    DuckDB runs the insert on one thread, and hashing releases the GIL, so the scan takes the
    other core. Storing the lines of the 1,000,000-row benchmark file took 1.7 to 1.9 s this
    way, against 2.5 to 2.8 s for the scan and then the insert (duckdb 2.0.1, 2 cores). Raise
    ScanOverturnedGuess when the scan reads the file otherwise than guess, when DuckDB fails to
    read it, or when its content was loaded before.
    """
    # guess_line_reading leaves out files that need a normalized copy.
    assert guess.direct_new_line is not None
    load_id = uuid.uuid4().hex
    lines_stored: int | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="doj-scan") as pool:
        scanning = pool.submit(scan_doj_file, path)
        # A wrong guess can make DuckDB fail, so the scan is checked before the failure counts.
        # NOTE: Ctrl-C during the insert still waits for the scan thread to finish, up to about
        # 0.7 s per million lines, because a running thread cannot be stopped.
        with contextlib.suppress(ClearanceError):
            lines_stored = _insert_lines(
                con,
                guess,
                load_id,
                path,
                file_bytes=file_bytes,
                new_line=guess.direct_new_line,
            )
        scan = scans.setdefault(path, scanning.result())

    if LineReading.of(scan) != guess:
        raise ScanOverturnedGuess(f"The full scan of DOJ file {path} changed how it is read")
    if lines_stored is None:
        # The failure aborted the transaction, where not even the earlier loads can be read.
        # Storing the files again from their scans raises DuckDB's error if it happens again.
        raise ScanOverturnedGuess(f"DuckDB failed to read DOJ file {path} while it was scanned")
    if scan.file_hash in new_hashes or find_load(con, scan.file_hash) is not None:
        raise ScanOverturnedGuess(f"DOJ file {path} has the content of an earlier load")
    _check_line_count(scan, lines_stored)
    return LoadPlan(scan, None, load_id, lines_stored)


def _store_lines(con: duckdb.DuckDBPyConnection, scan: FileScan, load_id: str) -> int:
    """Store every data line of the file in raw.doj_lines under load_id; return the count."""
    with contextlib.ExitStack() as stack:
        source, new_line = scan.path, scan.direct_new_line
        if new_line is None:
            # The copy contains personal data, and TemporaryDirectory creates its folder owner-only.
            work_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="clearance-load-"))
            source = Path(work_dir) / "normalized.csv"
            write_normalized_copy(scan, source)
            new_line = "\\n"
        lines_stored = _insert_lines(
            con,
            LineReading.of(scan),
            load_id,
            scan.path,
            file_bytes=scan.file_bytes,
            new_line=new_line,
            source=source,
        )
    _check_line_count(scan, lines_stored)
    return lines_stored


def _insert_lines(
    con: duckdb.DuckDBPyConnection,
    reading: LineReading,
    load_id: str,
    path: Path,
    *,
    file_bytes: int,
    new_line: str,
    source: Path | None = None,
) -> int:
    """Insert the data lines of path, read with the reading settings; return their count.

    source is the file that DuckDB reads, path itself unless the file needs a normalized copy.
    """
    try:
        (lines_stored,) = con.execute(
            line_parsing.INSERT_LINES_SQL,
            {
                "load_id": load_id,
                "path": str(source or path),
                "delimiter": reading.delimiter,
                "new_line": new_line,
                "encoding": reading.encoding,
                "max_line_size": min(max(_MIN_MAX_LINE_SIZE, file_bytes + 2), _MAX_MAX_LINE_SIZE),
                "header_lines": 1 if reading.has_header else 0,
                "bom_text": reading.bom_text,
            },
        ).fetchone()
    except duckdb.Error:
        # DuckDB's message quotes the offending line, which is personal data: report the file only.
        raise ClearanceError(
            f"DuckDB failed to read DOJ file {path}: the file is unreadable or has a line "
            f"longer than {_MAX_MAX_LINE_SIZE // 2**20} MiB"
        ) from None
    return lines_stored


def _check_line_count(scan: FileScan, lines_stored: int) -> None:
    header_lines = 1 if scan.has_header else 0
    if lines_stored + header_lines != scan.physical_lines:
        # Line numbers are lineage, so a reader that merged or split lines must stop the load.
        raise ClearanceError(
            f"DuckDB read {lines_stored + header_lines} lines from DOJ file {scan.path}, "
            f"which has {scan.physical_lines}; nothing was loaded"
        )
