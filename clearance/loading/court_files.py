"""Load court case extracts into the raw layer through each court's mapping file.

Each row is mapped onto the canonical layout, its dates rewritten as YYYY-MM-DD, and its case
number and charge code split with the mapping's patterns. A row that cannot be used is set aside
in raw.court_quarantine with its file, line, column and reason, never its values. An invalid
date that linking and relief do not need is loaded as null and listed the same way in
raw.court_field_warnings. DuckDB reads
and checks the rows in SQL, with no Python loop per row.
"""

from __future__ import annotations

import csv
import json
import logging
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.loading import court_rows_sql
from clearance.loading.court_mapping import (
    COURT_COLUMNS,
    DATE_COLUMNS,
    NULLABLE_DATE_COLUMNS,
    CourtMapping,
    mapping_json,
    read_court_mapping,
)
from clearance.loading.court_scan import CourtFileScan, scan_court_file, write_utf8_copy
from clearance.loading.court_schema import create_court_schema
from clearance.loading.errors import InputFileError

logger = logging.getLogger(__name__)

# A wrong date_format fails nearly every value of a column, while a few bad values are data
# entry errors to quarantine. Only the disposition date is counted, because every row has one,
# so a wrong format shows there. An invalid date of birth, filing or relief date loads as null
# instead, so one typo cannot fail a small file. NOTE: 5% is an estimate, not measured on real
# court extracts.
MAX_INVALID_DATE_SHARE = 0.05
# DuckDB's default line limit is 2,000,000 bytes. A longer line must be quarantined, not fail
# the file, so the limit is raised to the file's size, but no further than 8 MiB, as for DOJ files.
_MIN_MAX_LINE_SIZE = 2_000_000
_MAX_MAX_LINE_SIZE = 8 * 2**20
_PART_COLUMNS = (
    "case_level",
    "case_year",
    "case_serial",
    "charge_prefix",
    "charge_book",
    "charge_section",
    "charge_subsection",
)
_ROW_COLUMNS = ("line_number", *COURT_COLUMNS, *_PART_COLUMNS)


@dataclass(frozen=True)
class LoadedCourtFile:
    """One court file of a load call, as recorded in raw.court_files."""

    load_id: str
    file_name: str
    file_path: str
    court_county: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    reused: bool
    # Values of loaded rows set to null, each listed in raw.court_field_warnings.
    field_warnings: int = 0
    file_hash: str = ""
    mapping_file_name: str = ""
    mapping_hash: str = ""


@dataclass(frozen=True)
class CourtFileInput:
    """A court extract and the mapping file that describes it."""

    path: Path
    mapping_path: Path


def load_court_files(
    con: duckdb.DuckDBPyConnection,
    inputs: Iterable[CourtFileInput],
    run_county: str | None = None,
) -> list[LoadedCourtFile]:
    """Load each court file with its mapping, in one transaction, one LoadedCourtFile each.

    Every mapping is read before anything is written. A file whose content and mapping are
    already in raw.court_files is not loaded again: its earlier load is returned with
    reused=True. When any file fails, nothing of the call is loaded. With run_county, a file
    none of whose rows is in that county fails too, because it would link nothing.
    """
    checked = []
    for item in inputs:
        path = _check_court_path(item.path)
        mapping = read_court_mapping(item.mapping_path)
        checked.append((scan_court_file(path, mapping), mapping))
    create_court_schema(con)
    con.execute("begin transaction")
    try:
        loaded = [_load_or_reuse(con, scan, mapping) for scan, mapping in checked]
        if run_county is not None:
            for item in loaded:
                _check_run_county(con, item, run_county)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return loaded


def check_court_header(path: Path, mapping: CourtMapping) -> None:
    """Check that the court file's header line names every column its mapping names.

    Reads the first line only, so that the command line can reject a mismatched mapping before
    a run opens the warehouse. Raises InputFileError with the loader's message.
    """
    path = _check_court_path(path)
    try:
        # newline="" ends the line at LF, CRLF or a lone CR, as the loader does.
        with path.open(encoding=mapping.encoding, newline="") as stream:
            header_line = stream.readline(_MAX_MAX_LINE_SIZE)
    except UnicodeDecodeError:
        raise InputFileError(
            f"court file {path} is not valid {mapping.encoding}; set encoding in mapping file "
            f"{mapping.path}"
        ) from None
    header = next(csv.reader([header_line.rstrip("\r\n")], delimiter=mapping.delimiter), [])
    _column_positions(path, mapping, header)


def register_run_court_files(
    con: duckdb.DuckDBPyConnection, run_id: str, loaded_files: list[LoadedCourtFile]
) -> None:
    """Insert the run's court files, in command-line order, into raw.run_court_files.

    Raises ClearanceError when one content is given twice, which would double its charges.
    """
    seen: dict[str, LoadedCourtFile] = {}
    for loaded in loaded_files:
        earlier = seen.get(loaded.load_id)
        if earlier is not None:
            raise ClearanceError(
                f"court file {loaded.file_path} is given twice in one run "
                f"(same content and mapping as {earlier.file_path})"
            )
        seen[loaded.load_id] = loaded
    if not loaded_files:
        return
    create_court_schema(con)
    con.executemany(
        "insert into raw.run_court_files (run_id, load_id, file_order) values (?, ?, ?)",
        [(run_id, loaded.load_id, order) for order, loaded in enumerate(loaded_files, start=1)],
    )


def _check_run_county(
    con: duckdb.DuckDBPyConnection, loaded: LoadedCourtFile, run_county: str
) -> None:
    # The models read a row's county as its court_county, else the mapping's.
    counties = [
        county
        for (county,) in con.execute(
            """
            select distinct coalesce(court_rows.court_county, court_files.court_county) as county
            from raw.court_rows
            inner join raw.court_files on court_rows.load_id = court_files.load_id
            where court_rows.load_id = ?
            order by county
            """,
            [loaded.load_id],
        ).fetchall()
    ]
    if run_county.strip().upper() in counties:
        return
    named = ", ".join(counties[:5]) + (
        f" and {len(counties) - 5} more" if len(counties) > 5 else ""
    )
    raise InputFileError(
        f"court file {loaded.file_path} has rows of {named} only, none of "
        f"--county {run_county}; give the court file of {run_county} or run with its county"
    )


def _check_court_path(path: Path) -> Path:
    path = Path(path).resolve()
    if not path.exists():
        raise InputFileError(f"court file not found: {path}")
    if not path.is_file():
        raise InputFileError(f"court file is not a regular file: {path}")
    if path.stat().st_size == 0:
        raise InputFileError(f"court file is empty: {path}")
    return path


def _load_or_reuse(
    con: duckdb.DuckDBPyConnection, scan: CourtFileScan, mapping: CourtMapping
) -> LoadedCourtFile:
    row = con.execute(
        """
        select load_id, file_name, file_path, court_county, rows_read, rows_loaded,
            rows_quarantined
        from raw.court_files
        where file_hash = $file_hash and mapping_hash = $mapping_hash
        """,
        {"file_hash": scan.file_hash, "mapping_hash": mapping.mapping_hash},
    ).fetchone()
    if row is not None:
        (field_warnings,) = con.execute(
            "select count(*) from raw.court_field_warnings where load_id = ?", [row[0]]
        ).fetchone()
        earlier = LoadedCourtFile(
            *row,
            reused=True,
            field_warnings=field_warnings,
            file_hash=scan.file_hash,
            mapping_file_name=mapping.path.name,
            mapping_hash=mapping.mapping_hash,
        )
        logger.info(
            "Court file %s with mapping %s has the content of load %s (%s), so that load is reused",
            scan.path.name,
            mapping.path.name,
            earlier.load_id,
            earlier.file_name,
        )
        return earlier
    return _load_file(con, scan, mapping)


def _load_file(
    con: duckdb.DuckDBPyConnection, scan: CourtFileScan, mapping: CourtMapping
) -> LoadedCourtFile:
    path = scan.path
    load_id = uuid.uuid4().hex
    if scan.needs_copy:
        with tempfile.TemporaryDirectory(prefix="clearance-court-") as work_dir:
            # The copy contains personal data, and TemporaryDirectory creates its folder owner-only.
            copy = Path(work_dir) / "court-utf8.csv"
            physical_lines = write_utf8_copy(scan, mapping, copy)
            _read_lines(con, scan, copy, "utf-8", "\\n", physical_lines)
    else:
        _read_lines(
            con, scan, path, scan.duckdb_encoding, scan.direct_new_line, scan.physical_lines
        )
    date_columns = _check_rows(con, scan, mapping)

    rows_loaded, rows_quarantined = con.execute(court_rows_sql.COUNT_ROWS_SQL).fetchone()
    if rows_loaded == 0:
        raise InputFileError(
            f"court file has no valid row: {path} ({rows_quarantined} rows quarantined)"
        )
    _insert_rows(con, load_id)
    con.execute(court_rows_sql.INSERT_QUARANTINE_SQL, {"load_id": load_id, "file_name": path.name})
    _log_quarantine(con, path)
    field_warnings = _insert_field_warnings(con, mapping, date_columns, load_id, path)
    for statement in court_rows_sql.DROP_WORK_TABLES_SQL:
        con.execute(statement)

    loaded = LoadedCourtFile(
        load_id=load_id,
        file_name=path.name,
        file_path=str(path),
        court_county=mapping.court_county,
        rows_read=rows_loaded + rows_quarantined,
        rows_loaded=rows_loaded,
        rows_quarantined=rows_quarantined,
        reused=False,
        field_warnings=field_warnings,
        file_hash=scan.file_hash,
        mapping_file_name=mapping.path.name,
        mapping_hash=mapping.mapping_hash,
    )
    _insert_file_record(con, loaded, scan.file_hash, mapping)
    logger.info(
        "Loaded court file %s (load %s, mapping %s): %d rows read, %d loaded, %d quarantined, "
        "%d values set to null",
        loaded.file_name,
        load_id,
        mapping.path.name,
        loaded.rows_read,
        loaded.rows_loaded,
        loaded.rows_quarantined,
        loaded.field_warnings,
    )
    return loaded


def _read_lines(
    con: duckdb.DuckDBPyConnection,
    scan: CourtFileScan,
    source: Path,
    encoding: str,
    new_line: str,
    physical_lines: int,
) -> None:
    """Read every physical line of source, numbered from 1, into the temp table court_lines."""
    try:
        con.execute(
            court_rows_sql.READ_LINES_SQL,
            {
                "path": str(source),
                "delimiter": scan.line_delimiter,
                "new_line": new_line,
                "encoding": encoding,
                "max_line_size": min(
                    max(_MIN_MAX_LINE_SIZE, scan.file_bytes + 2), _MAX_MAX_LINE_SIZE
                ),
            },
        )
    except duckdb.Error:
        # DuckDB's message quotes the offending line, which is personal data: report the file only.
        raise ClearanceError(
            f"DuckDB failed to read court file {scan.path}: the file is unreadable or has a line "
            f"longer than {_MAX_MAX_LINE_SIZE // 2**20} MiB"
        ) from None
    (lines_read,) = con.execute("select count(*) from court_lines").fetchone()
    if lines_read != physical_lines:
        # Line numbers are lineage, so a reader that merged or split lines must stop the load.
        raise ClearanceError(
            f"DuckDB read {lines_read} lines from court file {scan.path}, "
            f"which has {physical_lines}; nothing was loaded"
        )


def _check_rows(
    con: duckdb.DuckDBPyConnection, scan: CourtFileScan, mapping: CourtMapping
) -> list[str]:
    """Check every data row into the temp table court_checked; return the file's date columns.

    Raises InputFileError when the header lacks a mapped column, or when the disposition date
    column has more invalid values than MAX_INVALID_DATE_SHARE of its filled ones.
    """
    (header_line,) = con.execute("select line from court_lines where line_number = 1").fetchone()
    header = next(csv.reader([header_line or ""], delimiter=mapping.delimiter), [])
    positions = _column_positions(scan.path, mapping, header)
    # Without a line that has an odd number of quotes, no quoted field spans lines.
    (odd_quote_lines,) = con.execute(court_rows_sql.COUNT_ODD_QUOTE_LINES_SQL).fetchone()
    parse_statement, check_statement = court_rows_sql.check_rows_sql(
        mapping, positions, len(header), spans_lines=odd_quote_lines > 0
    )
    try:
        con.execute(
            parse_statement,
            {"delimiter": mapping.delimiter, "delimiter_marker": scan.delimiter_marker},
        )
        con.execute(check_statement)
    except duckdb.Error as error:
        # A pattern or date format that Python accepts can still fail in DuckDB's RE2 or strptime.
        raise InputFileError(
            f"court mapping file {mapping.path}: DuckDB rejected a pattern or the date_format "
            f"({type(error).__name__}); patterns must be RE2 syntax, without backreferences or "
            "lookaround"
        ) from None

    date_columns = [name for name in DATE_COLUMNS if name in positions]
    checked_columns = [name for name in date_columns if name not in NULLABLE_DATE_COLUMNS]
    if checked_columns:
        counts = con.execute(court_rows_sql.date_share_sql(checked_columns)).fetchone()
        for index, name in enumerate(checked_columns):
            filled, invalid, first_invalid_line = counts[3 * index : 3 * index + 3]
            _check_date_share(scan.path, mapping, name, filled, invalid, first_invalid_line)
    return date_columns


def _column_positions(path: Path, mapping: CourtMapping, header: list[str]) -> dict[str, int]:
    names = [name.strip().lstrip("\ufeff") for name in header]
    positions: dict[str, int] = {}
    for canonical, court_name in mapping.columns.items():
        if court_name not in names:
            raise InputFileError(
                f"court file {path}: column {court_name} (canonical {canonical}) named by "
                f"mapping file {mapping.path} is not in the file's header"
            )
        positions[canonical] = names.index(court_name)
    return positions


def _check_date_share(
    path: Path,
    mapping: CourtMapping,
    name: str,
    filled: int,
    invalid: int,
    first_invalid_line: int | None,
) -> None:
    if filled and invalid / filled > MAX_INVALID_DATE_SHARE:
        raise InputFileError(
            f"court file {path}: {invalid} of {filled} values in column "
            f"{mapping.columns[name]} ({name}) are not dates in format {mapping.date_format}, "
            f"more than {MAX_INVALID_DATE_SHARE:.0%}, the first at line {first_invalid_line}; "
            f"check date_format in mapping file {mapping.path}"
        )


def _insert_rows(con: duckdb.DuckDBPyConnection, load_id: str) -> None:
    columns = ", ".join(_ROW_COLUMNS)
    # zstd took about 15% less time than the default compression here (292,000 rows, duckdb 2.0.1).
    con.execute("set force_compression = 'zstd'")
    try:
        con.execute(
            f"""
            insert into raw.court_rows (load_id, {columns})
            select $load_id, {columns}
            from court_checked
            where reason is null
            """,
            {"load_id": load_id},
        )
    finally:
        con.execute("reset force_compression")


def _log_quarantine(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    for column, reason, rows, first_line in con.execute(
        court_rows_sql.COUNT_REASONS_SQL
    ).fetchall():
        logger.warning(
            "court file %s: %d row(s) quarantined (%s%s), first at line %d "
            "(raw.court_quarantine lists them)",
            path.name,
            rows,
            reason,
            f", column {column}" if column else "",
            first_line,
        )


def _insert_field_warnings(
    con: duckdb.DuckDBPyConnection,
    mapping: CourtMapping,
    date_columns: list[str],
    load_id: str,
    path: Path,
) -> int:
    """Insert a warning per value set to null in a loaded row; return how many."""
    statement = court_rows_sql.insert_field_warnings_sql(mapping, date_columns)
    if statement is None:
        return 0
    con.execute(statement, {"load_id": load_id, "file_name": path.name})
    counts = con.execute(
        """
        select column_name, count(*), min(line_number)
        from raw.court_field_warnings
        where load_id = ?
        group by column_name
        order by min(line_number)
        """,
        [load_id],
    ).fetchall()
    for column, values, first_line in counts:
        logger.warning(
            "court file %s: %d invalid date(s) in column %s loaded as empty, first at line %d "
            "(raw.court_field_warnings lists them)",
            path.name,
            values,
            column,
            first_line,
        )
    return sum(values for _, values, _ in counts)


def _insert_file_record(
    con: duckdb.DuckDBPyConnection, loaded: LoadedCourtFile, file_hash: str, mapping: CourtMapping
) -> None:
    groups = mapping.ofn_group_positions()
    con.execute(
        """
        insert into raw.court_files (
            load_id, file_name, file_path, file_hash, mapping_path, mapping_hash, court_county,
            date_format, column_map, doj_ofn_pattern, ofn_type_group, ofn_year_group,
            ofn_serial_group, case_types, rows_read, rows_loaded, rows_quarantined, loaded_at
        )
        values (
            $load_id, $file_name, $file_path, $file_hash, $mapping_path, $mapping_hash,
            $court_county, $date_format, $column_map, $doj_ofn_pattern, $ofn_type_group,
            $ofn_year_group, $ofn_serial_group, $case_types, $rows_read, $rows_loaded,
            $rows_quarantined, $loaded_at
        )
        """,
        {
            "load_id": loaded.load_id,
            "file_name": loaded.file_name,
            "file_path": loaded.file_path,
            "file_hash": file_hash,
            "mapping_path": str(mapping.path.resolve()),
            "mapping_hash": mapping.mapping_hash,
            "court_county": mapping.court_county,
            "date_format": mapping.date_format,
            "column_map": mapping_json(mapping),
            "doj_ofn_pattern": mapping.doj_ofn_pattern,
            "ofn_type_group": groups["type"],
            "ofn_year_group": groups["year"],
            "ofn_serial_group": groups["serial"],
            "case_types": json.dumps(mapping.case_types, sort_keys=True),
            "rows_read": loaded.rows_read,
            "rows_loaded": loaded.rows_loaded,
            "rows_quarantined": loaded.rows_quarantined,
            # UTC, stored without a zone because the column is a plain timestamp.
            "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        },
    )
