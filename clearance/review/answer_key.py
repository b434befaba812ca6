"""The answer key of generated DOJ files: what each Prop 64 conviction should get under each policy.

`clearance generate` plans every Prop 64 conviction's outcome before it writes the history, and
writes the plan to `answer-key.csv` beside the DOJ files and `manifest.json`. A run compares its
determinations with the key (`clearance.review.answer_key_agreement`). This module finds the key,
checks it and loads the run county's rows into DuckDB.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError
from clearance.policies.vocabulary import DETERMINATIONS

logger = logging.getLogger(__name__)

ANSWER_KEY_NAME = "answer-key.csv"
# The generator's manifest: a key counts as found only beside generated files.
GENERATION_MANIFEST_NAME = "manifest.json"
ANSWER_KEY_COLUMNS: tuple[str, ...] = (
    "county",
    "subject_id",
    "cnt_order",
    "policy",
    "determination",
    "reason",
    "scenario",
    "compute_date",
)
# Loaded column and key column of every value a row must have. scenario is a planning label
# for people reading disagreements, so it may be empty.
_REQUIRED_VALUES = (
    ("county", "county"),
    ("subject_id", "subject_id"),
    ("cnt_order", "cnt_order"),
    ("policy_name", "policy"),
    ("determination", "determination"),
    ("reason", "reason"),
    ("compute_date", "compute_date"),
)
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_CSV_ERROR_LINE = re.compile(r"CSV Error on Line: ([0-9]+)")
_CSV_ERROR_COLUMNS = re.compile(r"Expected Number of Columns: ([0-9]+) Found: ([0-9]+)")


@dataclass(frozen=True)
class AnswerKey:
    """A checked answer key and the figures of its rows for the run's county."""

    path: Path
    county: str
    compute_date: date
    rows: int
    policies: tuple[str, ...]


def find_answer_key(doj_paths: Sequence[Path]) -> Path | None:
    """Return the answer key beside the run's DOJ files, or None when there is none.

    A folder counts when it holds both the generator's manifest.json and answer-key.csv. Raises
    ClearanceError when the files come from several folders that each hold a key, because the
    run could not tell which key describes them.
    """
    found: list[Path] = []
    for folder in dict.fromkeys(path.parent for path in doj_paths):
        key = folder / ANSWER_KEY_NAME
        if key.is_file() and (folder / GENERATION_MANIFEST_NAME).is_file():
            found.append(key)
    if len(found) > 1:
        raise ClearanceError(
            f"the DOJ files sit in {len(found)} folders that each hold an answer key "
            f"({', '.join(str(path) for path in found)}); give the one to use with "
            "--answer-key FILE, or --no-answer-key"
        )
    return found[0] if found else None


def _read_header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise ClearanceError(f"answer key {path}: not found") from None
    except UnicodeDecodeError:
        raise ClearanceError(f"answer key {path}: line 1: not UTF-8 text") from None
    except OSError as error:
        raise ClearanceError(f"answer key {path}: cannot be read ({error.strerror})") from None
    if not header:
        raise ClearanceError(
            f"answer key {path}: empty; line 1 must be the header {','.join(ANSWER_KEY_COLUMNS)}"
        )
    names = [name.strip() for name in header]
    missing = [column for column in ANSWER_KEY_COLUMNS if column not in names]
    if missing:
        raise ClearanceError(
            f"answer key {path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; the header must name {','.join(ANSWER_KEY_COLUMNS)}"
        )
    return names


def load_answer_key(con: duckdb.DuckDBPyConnection, path: Path, table: str = "answer_key") -> None:
    """Read the whole key into a temporary table with each row's line number in the file.

    The file is read in one thread so that line numbers follow the file. A quoted field that
    spans lines would shift them; the key's fields never need one. Raises ClearanceError on a
    missing column or a line that is not a CSV row of the header's width.
    """
    header = _read_header(path)
    columns = {name: "varchar" for name in header}
    try:
        con.execute(
            f"""
            create or replace temp table {table} as
            select
                cast(ordinality + 1 as bigint) as line_number,
                upper(trim(county)) as county,
                trim(subject_id) as subject_id,
                trim(cnt_order) as cnt_order,
                trim(policy) as policy_name,
                trim(determination) as determination,
                trim(reason) as reason,
                nullif(trim(scenario), '') as scenario,
                trim(compute_date) as compute_date,
            from read_csv(
                $path, header = true, auto_detect = false, columns = $columns, delim = ',',
                quote = '"', escape = '"', encoding = 'utf-8', parallel = false
            ) with ordinality
            """,
            {"path": str(path), "columns": columns},
        )
    except duckdb.Error as error:
        raise ClearanceError(f"answer key {path}: {_describe_csv_error(str(error))}") from None


def _describe_csv_error(message: str) -> str:
    # DuckDB's message quotes the failing line, which contains a subject id, so only its line
    # number and field counts are repeated.
    line = _CSV_ERROR_LINE.search(message)
    widths = _CSV_ERROR_COLUMNS.search(message)
    where = f"line {line.group(1)}: " if line else ""
    if widths:
        return (
            f"{where}{widths.group(2)} fields where the header has {widths.group(1)}; "
            "quote a value that contains a comma"
        )
    if "unicode" in message.lower():
        return f"{where}not UTF-8 text"
    return f"{where}not a readable CSV file"


def _first_problem(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, str] | None:
    """Return the line and description of the first invalid row of the key, or None."""
    empty_checks = "\n".join(
        f"when coalesce({loaded}, '') = '' then 'column {column}: empty'"
        for loaded, column in _REQUIRED_VALUES
    )
    row = con.execute(
        f"""
        with first_compute_date as (
            select compute_date from {table} order by line_number limit 1
        ),

        duplicates as (
            select line_number,
            from {table}
            qualify row_number() over (
                partition by county, subject_id, cnt_order, policy_name order by line_number
            ) > 1
        ),

        problems as (
            select
                line_number,
                case
                    {empty_checks}
                    when not regexp_full_match(compute_date, '{_ISO_DATE}')
                        or try_cast(compute_date as date) is null
                        then 'column compute_date: not a date in the form YYYY-MM-DD'
                    when compute_date <> (select compute_date from first_compute_date)
                        then 'column compute_date: differs from line 2; every row must '
                            || 'have the same compute date'
                    when not list_contains($determinations, determination)
                        then 'column determination: not one of ' || array_to_string($determinations, '; ')
                    when line_number in (select line_number from duplicates)
                        then 'repeats an earlier row''s county, subject_id, cnt_order and policy'
                end as problem,
            from {table}
        )

        select line_number, problem from problems
        where problem is not null
        order by line_number
        limit 1
        """,
        {"determinations": list(DETERMINATIONS)},
    ).fetchone()
    return (row[0], row[1]) if row else None


def read_answer_key(path: Path, county: str) -> AnswerKey:
    """Check the key and return its compute date, row count and policies for the county.

    Raises ClearanceError, naming the file and the line and column where one applies, on a
    missing column, an empty required value, or an invalid compute date or one that differs from
    the others. It also raises on a determination outside the export vocabulary, a conviction
    listed twice under one policy, and a key with no row for the county.
    """
    with duckdb.connect() as con:
        load_answer_key(con, path)
        problem = _first_problem(con, "answer_key")
        if problem is not None:
            line_number, description = problem
            raise ClearanceError(f"answer key {path}: line {line_number}: {description}")
        rows, compute_date, policies = con.execute(
            """
            select count(*), any_value(compute_date), list(distinct policy_name order by policy_name)
            from answer_key
            where county = $county
            """,
            {"county": county},
        ).fetchone()
        if rows == 0:
            counties = [
                name
                for (name,) in con.execute(
                    "select distinct county from answer_key order by county"
                ).fetchall()
            ]
            raise ClearanceError(
                f"answer key {path}: no rows for county {county}; its counties are: "
                f"{', '.join(counties) or 'none (the file has no data rows)'}"
            )
    return AnswerKey(
        path=path,
        county=county,
        compute_date=date.fromisoformat(compute_date),
        rows=rows,
        policies=tuple(policies),
    )
