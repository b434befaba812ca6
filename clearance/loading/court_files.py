"""Load court case extracts into the raw layer through each court's mapping file.

Each row is mapped onto the canonical layout, its dates rewritten as YYYY-MM-DD, and its case
number and charge code split with the mapping's patterns. A row that cannot be used is set aside
in raw.court_quarantine with its file, line, column and reason, never its values.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from clearance.errors import ClearanceError
from clearance.loading.court_mapping import (
    COURT_COLUMNS,
    DATE_COLUMNS,
    CourtMapping,
    mapping_json,
    read_court_mapping,
)
from clearance.loading.court_schema import create_court_schema
from clearance.loading.errors import InputFileError

logger = logging.getLogger(__name__)

# A wrong date_format fails nearly every value of a column, while a few bad values are data
# entry errors to quarantine. NOTE: 5% is an estimate, not measured on real court extracts.
MAX_INVALID_DATE_SHARE = 0.05
_HASH_CHUNK_BYTES = 8 * 1024 * 1024
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


@dataclass(frozen=True)
class CourtFileInput:
    """A court extract and the mapping file that describes it."""

    path: Path
    mapping_path: Path


class _Quarantine:
    """Quarantined rows of one file: one entry per row, for its first problem."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str | None, str]] = []

    def add(self, line_number: int, column: str | None, reason: str) -> None:
        self.entries.append((line_number, column, reason))


def load_court_files(
    con: duckdb.DuckDBPyConnection, inputs: Iterable[CourtFileInput]
) -> list[LoadedCourtFile]:
    """Load each court file with its mapping, in one transaction, one LoadedCourtFile each.

    Every mapping is read before anything is written. A file whose content and mapping are
    already in raw.court_files is not loaded again: its earlier load is returned with
    reused=True. When any file fails, nothing of the call is loaded.
    """
    checked = [
        (_check_court_path(item.path), read_court_mapping(item.mapping_path)) for item in inputs
    ]
    create_court_schema(con)
    con.execute("begin transaction")
    try:
        loaded = [_load_or_reuse(con, path, mapping) for path, mapping in checked]
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return loaded


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


def _check_court_path(path: Path) -> Path:
    path = Path(path).resolve()
    if not path.exists():
        raise InputFileError(f"court file not found: {path}")
    if not path.is_file():
        raise InputFileError(f"court file is not a regular file: {path}")
    if path.stat().st_size == 0:
        raise InputFileError(f"court file is empty: {path}")
    return path


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _load_or_reuse(
    con: duckdb.DuckDBPyConnection, path: Path, mapping: CourtMapping
) -> LoadedCourtFile:
    file_hash = _file_hash(path)
    row = con.execute(
        """
        select load_id, file_name, file_path, court_county, rows_read, rows_loaded,
            rows_quarantined
        from raw.court_files
        where file_hash = $file_hash and mapping_hash = $mapping_hash
        """,
        {"file_hash": file_hash, "mapping_hash": mapping.mapping_hash},
    ).fetchone()
    if row is not None:
        earlier = LoadedCourtFile(*row, reused=True)
        logger.info(
            "Court file %s with mapping %s has the content of load %s (%s), so that load is reused",
            path.name,
            mapping.path.name,
            earlier.load_id,
            earlier.file_name,
        )
        return earlier
    return _load_file(con, path, file_hash, mapping)


def _load_file(
    con: duckdb.DuckDBPyConnection, path: Path, file_hash: str, mapping: CourtMapping
) -> LoadedCourtFile:
    load_id = uuid.uuid4().hex
    rows, quarantine = _read_rows(path, mapping)
    if not rows[0]:
        raise InputFileError(
            f"court file has no valid row: {path} ({len(quarantine.entries)} rows quarantined)"
        )

    table = pa.table(
        {
            name: pa.array(values, type=pa.string() if name != "line_number" else pa.int64())
            for name, values in zip(_ROW_COLUMNS, rows, strict=True)
        }
    )
    con.register("court_rows_batch", table)
    try:
        con.execute(
            f"""
            insert into raw.court_rows (load_id, {", ".join(_ROW_COLUMNS)})
            select $load_id, {", ".join(_ROW_COLUMNS)} from court_rows_batch
            """,
            {"load_id": load_id},
        )
    finally:
        con.unregister("court_rows_batch")
    if quarantine.entries:
        _insert_quarantine(con, load_id, path, quarantine)

    loaded = LoadedCourtFile(
        load_id=load_id,
        file_name=path.name,
        file_path=str(path),
        court_county=mapping.court_county,
        rows_read=len(rows[0]) + len(quarantine.entries),
        rows_loaded=len(rows[0]),
        rows_quarantined=len(quarantine.entries),
        reused=False,
    )
    _insert_file_record(con, loaded, file_hash, mapping)
    _log_quarantine(path, quarantine)
    logger.info(
        "Loaded court file %s (load %s, mapping %s): %d rows read, %d loaded, %d quarantined",
        loaded.file_name,
        load_id,
        mapping.path.name,
        loaded.rows_read,
        loaded.rows_loaded,
        loaded.rows_quarantined,
    )
    return loaded


def _read_rows(path: Path, mapping: CourtMapping) -> tuple[list[list], _Quarantine]:
    """Read every data row of the file as canonical columns, column by column.

    Raises InputFileError when the header lacks a mapped column, or when a date column has more
    invalid values than MAX_INVALID_DATE_SHARE of its filled ones.
    """
    quarantine = _Quarantine()
    columns: list[list] = [[] for _ in _ROW_COLUMNS]
    parse_date = _date_parser(mapping.date_format)
    case_number_pattern = re.compile(mapping.case_number_pattern)
    parse_charge_code = _charge_code_parser(mapping)
    filled_dates = dict.fromkeys(DATE_COLUMNS, 0)
    invalid_dates = dict.fromkeys(DATE_COLUMNS, 0)
    first_line_of_key: dict[tuple[str, str], int] = {}

    try:
        with path.open(encoding=mapping.encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=mapping.delimiter)
            header = next(reader, None)
            positions = _column_positions(path, mapping, header or [])
            field_count = len(header or [])
            last_line = reader.line_num
            for fields in reader:
                # A quoted field can span lines, so the row starts after the previous row ended.
                line_number = last_line + 1
                last_line = reader.line_num
                if not fields or all(not field.strip() for field in fields):
                    quarantine.add(line_number, None, "blank line")
                    continue
                if len(fields) != field_count:
                    quarantine.add(
                        line_number, None, f"expected {field_count} fields, found {len(fields)}"
                    )
                    continue
                values = {
                    name: (fields[position].strip() or None) for name, position in positions.items()
                }
                problem = _row_problem(values, mapping, parse_date, filled_dates, invalid_dates)
                if problem is None:
                    key = (values["case_number"], values["charge_seq"])
                    first_line = first_line_of_key.setdefault(key, line_number)
                    if first_line != line_number:
                        problem = (
                            "case_number",
                            f"duplicate case_number and charge_seq of line {first_line}",
                        )
                if problem is not None:
                    canonical, reason = problem
                    quarantine.add(line_number, mapping.columns.get(canonical, canonical), reason)
                    continue
                parts = _case_number_parts(case_number_pattern, mapping, values["case_number"])
                parts += parse_charge_code(values["charge_code"])
                row = (line_number, *(values.get(name) for name in COURT_COLUMNS), *parts)
                for column, value in zip(columns, row, strict=True):
                    column.append(value)
    except UnicodeDecodeError:
        raise InputFileError(
            f"court file {path} is not valid {mapping.encoding}; set encoding in mapping file "
            f"{mapping.path}"
        ) from None
    except csv.Error as error:
        raise InputFileError(f"court file {path} is not readable as CSV: {error}") from None

    _check_date_shares(path, mapping, filled_dates, invalid_dates)
    return columns, quarantine


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


def _row_problem(
    values: dict[str, str | None],
    mapping: CourtMapping,
    parse_date,
    filled_dates: dict[str, int],
    invalid_dates: dict[str, int],
) -> tuple[str, str] | None:
    """Return (canonical column, reason) of the row's first problem, rewriting its dates."""
    problem: tuple[str, str] | None = None
    for name in DATE_COLUMNS:
        text = values.get(name)
        if text is None:
            continue
        filled_dates[name] += 1
        parsed = parse_date(text)
        if parsed is None:
            invalid_dates[name] += 1
            problem = problem or (name, f"invalid date in {name}: expected {mapping.date_format}")
        values[name] = parsed
    if problem is not None:
        return problem
    for name in ("case_number", "charge_seq", "charge_code", "disposition"):
        if values.get(name) is None:
            return name, f"missing {name}"
    if not values["charge_seq"].isdigit():
        return "charge_seq", "charge_seq is not a whole number"
    values["charge_seq"] = str(int(values["charge_seq"]))
    for name in ("court_county", "case_type", "charge_level", "disposition", "relief_status"):
        if values.get(name) is not None:
            values[name] = values[name].upper()
    return None


def _check_date_shares(
    path: Path, mapping: CourtMapping, filled: dict[str, int], invalid: dict[str, int]
) -> None:
    for name in DATE_COLUMNS:
        if filled[name] and invalid[name] / filled[name] > MAX_INVALID_DATE_SHARE:
            raise InputFileError(
                f"court file {path}: {invalid[name]} of {filled[name]} values in column "
                f"{mapping.columns[name]} ({name}) are not dates in format {mapping.date_format}, "
                f"more than {MAX_INVALID_DATE_SHARE:.0%}; check date_format in mapping file "
                f"{mapping.path}"
            )


def _date_parser(date_format: str):
    @lru_cache(maxsize=65536)
    def parse(text: str) -> str | None:
        try:
            parsed: date = datetime.strptime(text, date_format).date()
        except ValueError:
            return None
        return parsed.isoformat()

    return parse


def _case_number_parts(
    pattern: re.Pattern[str], mapping: CourtMapping, case_number: str
) -> tuple[str | None, str | None, str | None]:
    """Return the case's level, two-digit year and serial without zero padding, or nulls."""
    match = pattern.fullmatch(case_number.upper())
    if match is None:
        return None, None, None
    serial = match["serial"]
    return (
        mapping.case_types.get(match["type"]),
        match["year"],
        str(int(serial)) if serial and serial.isdigit() else None,
    )


def _charge_code_parser(mapping: CourtMapping):
    pattern = re.compile(mapping.charge_code_pattern)
    prefixes = {"664": "attempt", "182": "conspiracy"}

    @lru_cache(maxsize=65536)
    def parse(charge_code: str) -> tuple[str | None, ...]:
        match = pattern.fullmatch(charge_code)
        if match is None:
            return None, None, None, None
        groups = match.groupdict()
        subsection = (groups.get("subsection") or "").upper() or None
        return (
            prefixes.get(groups.get("prefix") or ""),
            mapping.books.get(groups["book"], groups["book"]),
            groups["section"],
            subsection,
        )

    return parse


def _insert_quarantine(
    con: duckdb.DuckDBPyConnection, load_id: str, path: Path, quarantine: _Quarantine
) -> None:
    con.executemany(
        """
        insert into raw.court_quarantine (load_id, file_name, line_number, column_name, reason)
        values (?, ?, ?, ?, ?)
        """,
        [(load_id, path.name, line, column, reason) for line, column, reason in quarantine.entries],
    )


def _log_quarantine(path: Path, quarantine: _Quarantine) -> None:
    summary: dict[tuple[str | None, str], list[int]] = {}
    for line, column, reason in quarantine.entries:
        summary.setdefault((column, reason), []).append(line)
    for (column, reason), lines in summary.items():
        logger.warning(
            "court file %s: %d row(s) quarantined (%s%s), first at line %d "
            "(raw.court_quarantine lists them)",
            path.name,
            len(lines),
            reason,
            f", column {column}" if column else "",
            lines[0],
        )


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
