"""Time three steps that every run repeats for each line, done by DuckDB alone, as floors.

A run that keeps the lines in DuckDB and writes its exports with DuckDB costs at least these
per line, whatever the shape of its models:

- store: the file's lines stored whole in a table of a new DuckDB file. The loader does this
  and more: it numbers the lines in file order, on one thread, and checks each one.
- copy: the stored lines written back to a CSV file in their order. `All_Results.csv` repeats
  every input line in input order, with 18 fields appended.
- split: every stored line split on its commas. Staging splits each line into its 95 fields,
  and also keeps commas inside quotes.

Each floor is measured alone with DuckDB's default threads and the run's memory limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.settings import duckdb_memory_limit
from clearance.sql_text import sql_string


@dataclass(frozen=True)
class Floors:
    lines: int
    store_seconds: float
    copy_seconds: float
    split_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.store_seconds + self.copy_seconds + self.split_seconds


# The loader's reading of a line: one text column, no character of the line interpreted. The
# file's header line is skipped, as the loader skips it.
_READ_LINES_SQL = """
select line
from read_csv(
    $path,
    auto_detect = false,
    header = true,
    columns = {'line': 'VARCHAR'},
    delim = chr(1),
    quote = '',
    escape = '',
    comment = ''
)
"""


def measure_floors(doj_file: Path, work_dir: Path, repeats: int = 2) -> Floors:
    """Time the three floors on doj_file, each the best of repeats, with files under work_dir.

    The best time is kept because a floor should be what DuckDB can do, not what a busy moment
    allowed. The files are deleted afterwards. The store keeps no line order, so that DuckDB
    reads and writes on every thread: that makes it a lower bound of the loader's ordered store.
    """
    measured = [_measure_once(doj_file, work_dir) for _ in range(repeats)]
    return Floors(
        lines=measured[0].lines,
        store_seconds=min(floors.store_seconds for floors in measured),
        copy_seconds=min(floors.copy_seconds for floors in measured),
        split_seconds=min(floors.split_seconds for floors in measured),
    )


def _measure_once(doj_file: Path, work_dir: Path) -> Floors:
    database = work_dir / "floors.duckdb"
    copied = work_dir / "floors_copy.csv"
    _remove(database, copied)
    try:
        with duckdb.connect(database, config={"memory_limit": duckdb_memory_limit()}) as con:
            con.execute("set preserve_insertion_order = false")
            store = _timed(
                con, f"create table doj_lines as {_READ_LINES_SQL}", {"path": str(doj_file)}
            )
            con.execute("reset preserve_insertion_order")
            (lines,) = con.execute("select count(*) from doj_lines").fetchone()
            copy = _timed(
                con,
                f"copy (select line from doj_lines) to {sql_string(str(copied))} "
                "(header false, quote '', delim chr(1))",
            )
            split = _timed(
                con, "select sum(len(string_split(line, ','))) from doj_lines", fetch=True
            )
    finally:
        _remove(database, copied)
    return Floors(lines, store, copy, split)


def _timed(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    parameters: dict[str, str] | None = None,
    *,
    fetch: bool = False,
) -> float:
    started = time.perf_counter()
    result = con.execute(sql, parameters)
    if fetch:
        result.fetchall()
    return time.perf_counter() - started


def _remove(*paths: Path) -> None:
    for path in paths:
        for stale in (path, Path(f"{path}.wal")):
            stale.unlink(missing_ok=True)
