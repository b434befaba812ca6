"""The three row-level CSV files, written by DuckDB COPY straight from the warehouse.

Each export line is built as text: the DOJ line as it was loaded, with the identifier fields
emptied, then the 18 appended fields. Copying the stored line spares splitting and quoting
again the 95 fields of every row, which took most of the export time on large files.

The export connection is an in-memory database with the warehouse attached read-only as
WAREHOUSE_CATALOG, so that the appended fields, stored in the in-memory database, can be read
by the cursors that write two files at once (write_csv_files).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.doj_layout import BLANKED_COLUMNS, DOJ_COLUMNS
from clearance.exports.layouts import CONDENSED_DOJ_COLUMNS, ELIGIBILITY_COLUMNS
from clearance.loading.line_parsing import FIELD_PATTERN
from clearance.sql_text import sql_string

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


ALL_RESULTS_LAYOUT = CsvLayout(ALL_RESULTS, DOJ_COLUMNS, prop64_conviction_rows_only=False)
CONDENSED_LAYOUT = CsvLayout(
    CONDENSED_RESULTS, CONDENSED_DOJ_COLUMNS, prop64_conviction_rows_only=False
)
PROP64_LAYOUT = CsvLayout(PROP64_RESULTS, DOJ_COLUMNS, prop64_conviction_rows_only=True)
CSV_LAYOUTS: tuple[CsvLayout, ...] = (ALL_RESULTS_LAYOUT, CONDENSED_LAYOUT, PROP64_LAYOUT)

# The files that one cursor writes, one after the other. The groups are written at once.
# Each file is copied by a positional join, which DuckDB runs on one thread, so two copies at
# once keep both cores busy. The condensed file's cut of the lines runs on every thread, so it
# is made before any copy starts. Run beside the copies, it left three threads on two cores.
# write_exports took 3.4 s against 4.3 s for the files one after the other on the 1,000,000-row
# benchmark file, and 19.6 to 22.0 s against 23.3 to 23.8 s on the 5,000,000-row one
# (duckdb 2.0.1, 2 cores, docs/benchmarks.md).
CURSOR_GROUPS: tuple[tuple[CsvLayout, ...], ...] = (
    (ALL_RESULTS_LAYOUT,),
    (CONDENSED_LAYOUT, PROP64_LAYOUT),
)

WAREHOUSE_CATALOG = "warehouse"
# In the connection's own in-memory database, where every cursor of the connection can read it.
APPENDED_FIELDS_TABLE = "memory.main.export_appended_fields"


def blanking_regex(columns: tuple[str, ...] = DOJ_COLUMNS) -> tuple[str, str]:
    """Return the pattern and replacement that empty the BLANKED_COLUMNS fields of a line.

    Every stored line is a comma-separated run of FIELD_PATTERN, because the loader checks it.

    The pattern matches the line from its start to the comma after the last blanked field.
    The fields kept in between come back through groups \\1, \\2, ... of the replacement.
    """
    positions = sorted(columns.index(name) + 1 for name in BLANKED_COLUMNS)
    # Each blanked field is matched with the comma after it, so none may be the last field.
    assert positions[-1] < len(columns)
    pattern, replacement = ["^"], []
    groups = 0
    next_position = 1
    for position in positions:
        kept_fields = position - next_position
        if kept_fields:
            groups += 1
            pattern.append(f"((?:{FIELD_PATTERN},){{{kept_fields}}})")
            replacement.append(f"\\{groups}")
        pattern.append(f"{FIELD_PATTERN},")
        replacement.append(",")
        next_position = position + 1
    return "".join(pattern), "".join(replacement)


def _doj_text_sql(layout: CsvLayout) -> str:
    """Return the expression of the DOJ part of an export line, from doj_lines.line."""
    if not needs_cut_lines(layout):
        # The regular expression costs about 2 s of CPU per million lines, so lines without an
        # identifier are copied as they are.
        pattern, replacement = blanking_regex()
        return (
            "case when appended.has_identifiers then regexp_replace(doj_lines.line, "
            f"{sql_string(pattern)}, {sql_string(replacement)}) else doj_lines.line end"
        )
    # Other layouts were cut from the stored lines by create_cut_lines.
    return "doj_lines.line"


def _cut_line_sql(layout: CsvLayout) -> str:
    """Return the expression that keeps a layout's DOJ columns of a stored line, as written."""
    assert not set(layout.doj_columns) & BLANKED_COLUMNS
    positions = ", ".join(str(DOJ_COLUMNS.index(name) + 1) for name in layout.doj_columns)
    # Fields come back as written, quotes included, with their marked commas restored.
    return (
        f"replace(array_to_string(list_select(raw.doj_fields(line), [{positions}]), ','), "
        "chr(13), ',')"
    )


def _csv_field_sql(expression: str) -> str:
    """Return SQL that writes a text value as one CSV field, quoted when it needs to be."""
    return (
        f"case when {expression} is null then '' "
        f"when regexp_matches({expression}, '[\",\\r\\n]') "
        f"then '\"' || replace({expression}, '\"', '\"\"') || '\"' "
        f"else {expression} end"
    )


# Per line of the run, in input order: whether it has identifiers to empty, and the 18 appended
# fields as CSV text, or null when all of them are blank. Sorting these narrow rows is cheap,
# while sorting the export lines themselves needed more memory than the run's DuckDB limit on a
# million-line file.
CREATE_APPENDED_FIELDS_SQL = f"""
create or replace table {APPENDED_FIELDS_TABLE} as
select
    doj_rows.file_order,
    doj_rows.line_number,
    doj_rows.has_identifiers,
    coalesce(results.is_prop64_conviction_row, false) as is_prop64_conviction_row,
    {{appended}} as appended_fields,
from staging.stg_doj__rows as doj_rows
left join exports.exp_doj__results as results
    on doj_rows.row_order = results.row_order
order by doj_rows.row_order
"""


def create_appended_fields(con: duckdb.DuckDBPyConnection) -> None:
    """Create APPENDED_FIELDS_TABLE, which results_query reads."""
    appended = " || ',' || ".join(
        _csv_field_sql(f"results.{column}") for _, column in ELIGIBILITY_COLUMNS
    )
    con.execute(
        CREATE_APPENDED_FIELDS_SQL.format(
            appended=f"case when results.load_id is not null then {appended} end"
        )
    )


def needs_cut_lines(layout: CsvLayout) -> bool:
    """Return whether the layout's copy reads cut lines (create_cut_lines) instead of whole ones."""
    return layout.doj_columns != DOJ_COLUMNS


def _cut_lines_table(layout: CsvLayout) -> str:
    return f"export_cut_lines_{CSV_LAYOUTS.index(layout)}"


def create_cut_lines(
    con: duckdb.DuckDBPyConnection, layout: CsvLayout, run_files: list[tuple[int, str]]
) -> None:
    """Create the layout's temp table of cut lines: each stored line cut to its columns.

    Splitting lines is the costly part of a cut. The positional join of results_query runs on
    one thread, so the lines are cut first by a scan that DuckDB runs on every thread and that
    keeps their order. The table belongs to con, which must be the connection that copies.
    """
    selects = [
        f"select {int(file_order)} as file_order, line_number, {_cut_line_sql(layout)} as line "
        f"from raw.doj_lines where load_id = {sql_string(load_id)}"
        for file_order, load_id in run_files
    ]
    con.execute(
        f"create or replace temp table {_cut_lines_table(layout)} as "
        + "\nunion all\n".join(f"({select})" for select in selects)
    )


def _lines_sql(layout: CsvLayout, file_order: int, load_id: str) -> str:
    if not needs_cut_lines(layout):
        return f"select line_number, line from raw.doj_lines where load_id = {sql_string(load_id)}"
    return (
        f"select line_number, line from {_cut_lines_table(layout)} "
        f"where file_order = {int(file_order)}"
    )


def results_query(layout: CsvLayout, run_files: list[tuple[int, str]]) -> str:
    """Build the select of one export's lines, its header first, in input order.

    run_files lists (file_order, load_id) in file order. DuckDB keeps the row order of a scan
    of one table, a filter and UNION ALL, but not of a join. So each file's stored lines are
    put beside their appended fields by position, because the loader stores a file's lines in
    line order and the appended fields are sorted by line. The line numbers of both sides are
    compared on every row, so lines stored out of order fail the export instead of pairing
    a line with another line's fields.
    """
    header = ",".join([*layout.doj_columns, *(name for name, _ in ELIGIBILITY_COLUMNS)])
    blank_appended = "," * (len(ELIGIBILITY_COLUMNS) - 1)
    where = "where appended.is_prop64_conviction_row" if layout.prop64_conviction_rows_only else ""
    parts = [f"select {sql_string(header)} as line"]
    for file_order, load_id in run_files:
        parts.append(
            f"""
select
    case
        when doj_lines.line_number is distinct from appended.line_number then error(
            'export lines out of step with their appended fields at line '
            || doj_lines.line_number || ' of load {load_id}'
        )
        else {_doj_text_sql(layout)} || ',' || coalesce(appended.appended_fields, '{blank_appended}')
    end
from (
    {_lines_sql(layout, file_order, load_id)}
) as doj_lines
positional join (
    select line_number, has_identifiers, is_prop64_conviction_row, appended_fields
    from {APPENDED_FIELDS_TABLE}
    where file_order = {int(file_order)}
) as appended
{where}
"""
        )
    return "\nunion all\n".join(f"({part})" for part in parts)


def write_csv(
    con: duckdb.DuckDBPyConnection,
    layout: CsvLayout,
    run_files: list[tuple[int, str]],
    path: Path,
) -> int:
    """Write one export with DuckDB COPY and return its number of data rows.

    create_appended_fields must have run on the connection first, and create_cut_lines on con
    for a layout that needs_cut_lines. The connection's current catalog must be the warehouse.
    """
    # Each value is a finished CSV line, so the writer must neither quote nor escape it.
    copy = (
        f"copy ({results_query(layout, run_files)}) to {sql_string(str(path))} "
        "(format csv, header false, quote '', escape '', delimiter chr(31))"
    )
    row = con.execute(copy).fetchone()
    rows_written = int(row[0]) - 1 if row else 0
    if needs_cut_lines(layout):
        con.execute(f"drop table if exists {_cut_lines_table(layout)}")
    logger.info("Wrote %s: %d rows", path.name, rows_written)
    return rows_written


def _write_group(
    cursor: duckdb.DuckDBPyConnection,
    layouts: Sequence[CsvLayout],
    run_files: list[tuple[int, str]],
    folder: Path,
) -> None:
    for layout in layouts:
        write_csv(cursor, layout, run_files, folder / layout.file_name)


def _interrupt_until_done(
    cursors: Sequence[duckdb.DuckDBPyConnection], futures: Sequence[Future[None]]
) -> None:
    """Interrupt the cursors again until every group has ended.

    An interrupt stops only the running statement, so one sent between two statements of a group
    is lost. A second Ctrl-C (or Dagster's DagsterExecutionInterruptedError) does not end the
    wait, because closing a cursor while its statement runs raises ResourceInUseException, and
    the thread would write on into the removed folder.
    """
    pending = set(futures)
    while pending:
        for cursor in cursors:
            cursor.interrupt()
        try:
            _, pending = wait(pending, timeout=0.05)
        except BaseException:
            # The caller raises the first error once the groups have ended.
            continue


def write_csv_files(
    con: duckdb.DuckDBPyConnection, run_files: list[tuple[int, str]], folder: Path
) -> list[str]:
    """Write every CSV_LAYOUTS file into folder and return their names, in CSV_LAYOUTS order.

    The cut lines come first, one layout at a time. Then each group of CURSOR_GROUPS is written
    on a cursor of its own, in a thread of its own, because DuckDB releases the GIL while a
    statement runs. When one group fails, the statements of the others are interrupted, and the
    first error is raised.
    """
    create_appended_fields(con)
    cursors = [con.cursor() for _ in CURSOR_GROUPS]
    try:
        for cursor, group in zip(cursors, CURSOR_GROUPS, strict=True):
            # A cursor starts in the connection's in-memory database, not in its catalog.
            cursor.execute(f"use {WAREHOUSE_CATALOG}")
            for layout in filter(needs_cut_lines, group):
                create_cut_lines(cursor, layout, run_files)
        with ThreadPoolExecutor(max_workers=len(CURSOR_GROUPS)) as pool:
            futures: list[Future[None]] = []
            try:
                for cursor, group in zip(cursors, CURSOR_GROUPS, strict=True):
                    futures.append(pool.submit(_write_group, cursor, group, run_files, folder))
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in done:
                    future.result()
                for future in futures:
                    future.result()
            except BaseException:
                # Ctrl-C reaches only this thread. The pool's exit waits for its threads, and
                # the cursors close after it, so the threads' statements must end first.
                _interrupt_until_done(cursors, futures)
                raise
    finally:
        for cursor in cursors:
            cursor.close()
    return [layout.file_name for layout in CSV_LAYOUTS]
