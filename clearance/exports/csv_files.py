"""The three row-level CSV files, written by DuckDB straight from the warehouse."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.doj_layout import DOJ_COLUMNS
from clearance.exports.layouts import (
    CONDENSED_DOJ_COLUMNS,
    doj_column_sql,
    eligibility_column_sql,
)

logger = logging.getLogger(__name__)

ALL_RESULTS = "All_Results.csv"
CONDENSED_RESULTS = "All_Results_Condensed.csv"
PROP64_RESULTS = "Prop64_Results.csv"


@dataclass(frozen=True)
class CsvLayout:
    """One export file: its name, its DOJ columns and whether it keeps only conviction rows."""

    file_name: str
    doj_columns: tuple[str, ...]
    prop64_conviction_rows_only: bool


CSV_LAYOUTS: tuple[CsvLayout, ...] = (
    CsvLayout(ALL_RESULTS, DOJ_COLUMNS, prop64_conviction_rows_only=False),
    CsvLayout(CONDENSED_RESULTS, CONDENSED_DOJ_COLUMNS, prop64_conviction_rows_only=False),
    CsvLayout(PROP64_RESULTS, DOJ_COLUMNS, prop64_conviction_rows_only=True),
)


def results_query(layout: CsvLayout) -> str:
    """Build the select of one export: DOJ columns of each row, then the 18 appended columns."""
    columns = [doj_column_sql(name) for name in layout.doj_columns] + eligibility_column_sql()
    where = "where results.is_prop64_conviction_row" if layout.prop64_conviction_rows_only else ""
    column_list = ",\n    ".join(columns)
    return f"""
select
    {column_list}
from exports.exp_doj__results as results
inner join raw.doj_rows as doj
    on results.load_id = doj.load_id and results.line_number = doj.line_number
{where}
order by results.row_order
"""


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_csv(con: duckdb.DuckDBPyConnection, layout: CsvLayout, path: Path) -> int:
    """Write one export with DuckDB COPY and return its number of data rows."""
    copy = f"copy ({results_query(layout)}) to {_sql_string(str(path))} (header, delimiter ',')"
    row = con.execute(copy).fetchone()
    rows_written = int(row[0]) if row else 0
    logger.info("Wrote %s: %d rows", path.name, rows_written)
    return rows_written
