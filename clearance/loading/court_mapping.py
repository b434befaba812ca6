"""Read and check a court's mapping file: how its case extract maps onto the canonical layout."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from clearance.loading.errors import InputFileError

# The canonical court layout, one row per charge per case, in canonical order.
COURT_COLUMNS: tuple[str, ...] = (
    "court_county",
    "case_number",
    "case_type",
    "filing_date",
    "defendant_name",
    "defendant_dob",
    "cii_number",
    "charge_seq",
    "charge_code",
    "charge_level",
    "disposition",
    "disposition_date",
    "sentence_text",
    "relief_status",
    "relief_date",
)
# Without these a row cannot be linked or decided, so the mapping must name them.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "case_number",
    "defendant_name",
    "charge_seq",
    "charge_code",
    "disposition",
    "disposition_date",
)
DATE_COLUMNS: tuple[str, ...] = ("filing_date", "defendant_dob", "disposition_date", "relief_date")
# Linking and prior relief do not need these dates: the relief itself is relief_status, and a
# missing date of birth is neutral in linking. An invalid value becomes null with a warning, so
# that one typo does not drop the row and the relief it records.
NULLABLE_DATE_COLUMNS: tuple[str, ...] = ("filing_date", "defendant_dob", "relief_date")
_CASE_NUMBER_GROUPS = ("type", "year", "serial")
_OFN_GROUPS = ("type", "year", "serial")
_CHARGE_CODE_GROUPS = ("book", "section")


@dataclass(frozen=True)
class CourtMapping:
    """One court's mapping file, checked: column names, date format and the two patterns."""

    path: Path
    mapping_hash: str
    court_county: str
    encoding: str
    delimiter: str
    header: bool
    date_format: str
    # Canonical column name -> the court's column name, for every column the court exports.
    columns: dict[str, str]
    case_number_pattern: str
    case_types: dict[str, str]
    doj_ofn_pattern: str
    charge_code_pattern: str
    books: dict[str, str]
    # The `file` key: the name of the court file the mapping was written for, if it gives one.
    file_name: str | None = None

    def ofn_group_positions(self) -> dict[str, int]:
        """Return the position of each named group of the OFN pattern.

        DuckDB reads named groups only from a constant pattern, and dbt reads this one from a
        table, so the models extract the groups by position.
        """
        group_index = re.compile(self.doj_ofn_pattern).groupindex
        return {name: group_index[name] for name in _OFN_GROUPS}


def read_court_mapping(path: Path) -> CourtMapping:
    """Read a mapping file and check every key the loader uses.

    Raises InputFileError naming the file and the key when one is missing or invalid.
    """
    if not path.is_file():
        raise InputFileError(f"court mapping file not found: {path}")
    text = path.read_bytes()
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputFileError(f"court mapping file {path} is not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise InputFileError(f"court mapping file {path} must be a YAML mapping of keys")

    def value(key: str, kind: type, parent: dict | None = None, label: str | None = None):
        source = document if parent is None else parent
        found = source.get(key)
        if not isinstance(found, kind) or found == "":
            raise InputFileError(
                f"court mapping file {path}: key {label or key} is missing or not a {kind.__name__}"
            )
        return found

    columns = value("columns", dict)
    unknown = sorted(set(columns) - set(COURT_COLUMNS))
    if unknown:
        raise InputFileError(
            f"court mapping file {path}: columns names unknown canonical columns "
            f"{', '.join(unknown)}; the canonical columns are {', '.join(COURT_COLUMNS)}"
        )
    for name in REQUIRED_COLUMNS:
        if not isinstance(columns.get(name), str) or not columns[name]:
            raise InputFileError(
                f"court mapping file {path}: columns.{name} is missing; the loader needs it"
            )
    case_number = value("case_number", dict)
    charge_code = value("charge_code", dict)
    delimiter = str(document.get("delimiter", ","))
    if len(delimiter) != 1:
        raise InputFileError(f"court mapping file {path}: delimiter must be one character")
    encoding = str(document.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputFileError(
            f"court mapping file {path}: encoding {encoding} is not a known Python codec"
        ) from None

    mapping = CourtMapping(
        path=path,
        mapping_hash=hashlib.sha256(text).hexdigest(),
        court_county=value("court_county", str).strip().upper(),
        encoding=encoding,
        delimiter=delimiter,
        header=bool(document.get("header", True)),
        date_format=value("date_format", str),
        columns={name: str(court_name) for name, court_name in columns.items() if court_name},
        case_number_pattern=value("pattern", str, case_number, "case_number.pattern"),
        case_types={
            str(prefix): str(level)
            for prefix, level in value("types", dict, case_number, "case_number.types").items()
        },
        doj_ofn_pattern=value("doj_ofn_pattern", str, case_number, "case_number.doj_ofn_pattern"),
        charge_code_pattern=value("pattern", str, charge_code, "charge_code.pattern"),
        books={
            str(token): str(book)
            for token, book in value("books", dict, charge_code, "charge_code.books").items()
        },
        file_name=str(document["file"]) if document.get("file") else None,
    )
    if not mapping.header:
        raise InputFileError(
            f"court mapping file {path}: header is false, but the loader finds the court's "
            "columns by name and needs a header line"
        )
    _check_pattern(path, "case_number.pattern", mapping.case_number_pattern, _CASE_NUMBER_GROUPS)
    _check_pattern(path, "case_number.doj_ofn_pattern", mapping.doj_ofn_pattern, _OFN_GROUPS)
    _check_pattern(path, "charge_code.pattern", mapping.charge_code_pattern, _CHARGE_CODE_GROUPS)
    _check_date_format(path, mapping.date_format)
    return mapping


def mapping_json(mapping: CourtMapping) -> str:
    """Return the mapping's column map as JSON, as raw.court_files records it."""
    return json.dumps(mapping.columns, sort_keys=True)


def _check_pattern(path: Path, key: str, pattern: str, groups: tuple[str, ...]) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise InputFileError(
            f"court mapping file {path}: {key} is not a valid regular expression: {error}"
        ) from None
    missing = [group for group in groups if group not in compiled.groupindex]
    if missing:
        raise InputFileError(
            f"court mapping file {path}: {key} lacks the named group(s) {', '.join(missing)}"
        )
    # Python accepts backreferences and lookaround, which DuckDB's RE2 rejects only when the
    # loader reads the file. DuckDB compiles a constant pattern even with no row to match.
    reason = _duckdb_rejection(f"select regexp_full_match('', {_literal(pattern)})")
    if reason is not None:
        raise InputFileError(
            f"court mapping file {path}: {key} is not a valid RE2 regular expression "
            f"({reason}); DuckDB matches patterns with RE2, which lacks backreferences and "
            "lookaround"
        )


def _check_date_format(path: Path, date_format: str) -> None:
    reason = _duckdb_rejection(f"select try_strptime('', {_literal(date_format)})")
    if reason is not None:
        raise InputFileError(
            f"court mapping file {path}: date_format is not a format DuckDB's strptime reads "
            f"({reason})"
        )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _duckdb_rejection(statement: str) -> str | None:
    """Run statement in a scratch DuckDB and return why DuckDB rejected it, or None."""
    try:
        with duckdb.connect() as con:
            con.execute(statement)
    except duckdb.Error as error:
        return str(error).removeprefix("Invalid Input Error: ")
    return None
