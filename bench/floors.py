"""Time three steps that every run repeats for each line, done by DuckDB alone, as floors.

- store: the file's lines stored whole in a table of a new DuckDB file, with the loader's
  compression and memory limit. The loader does this and more: it numbers the lines in file
  order, on one thread, and checks each one.
- copy: the stored lines written back to a CSV file in their order. `All_Results.csv` repeats
  every input line in input order, with the identifier fields emptied and 18 fields appended.
- split: every stored line split on its commas. Staging splits each line into its 95 fields,
  and also keeps commas inside quotes.

They describe a run in which DuckDB keeps the lines and writes the exports, and only roughly.
The store is a lower bound of the loader's store. The copy is about what the run's own copy of
`All_Results.csv` takes, and a copy outside DuckDB can write the same bytes faster.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.loading.doj_files import LINE_COMPRESSION
from clearance.settings import load_memory_limit
from clearance.sql_text import sql_string


@dataclass(frozen=True)
class Floors:
    """Seconds that DuckDB alone took for each floor on a file of `lines` data lines.

    cpu_seconds is the CPU time of all three, summed over DuckDB's threads.
    """

    lines: int
    store_seconds: float
    copy_seconds: float
    split_seconds: float
    cpu_seconds: float

    @property
    def total_seconds(self) -> float:
        return self.store_seconds + self.copy_seconds + self.split_seconds


# Each line as one text column with no character interpreted, as the loader reads lines, but
# without its line numbers, its file-specific delimiter and its encoding. The header is skipped.
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
    allowed. The files are deleted afterwards.
    """
    measured = [_measure_once(doj_file, work_dir) for _ in range(repeats)]
    return Floors(
        lines=measured[0].lines,
        store_seconds=min(floors.store_seconds for floors in measured),
        copy_seconds=min(floors.copy_seconds for floors in measured),
        split_seconds=min(floors.split_seconds for floors in measured),
        cpu_seconds=min(floors.cpu_seconds for floors in measured),
    )


def store_lines(con: duckdb.DuckDBPyConnection, doj_file: Path) -> int:
    """Store the lines of doj_file in a new table doj_lines and return their count.

    Unlike the loader, the store keeps no line order, so that DuckDB reads and writes on every
    thread, and it neither numbers nor checks the lines.
    """
    con.execute(f"set force_compression = '{LINE_COMPRESSION}'")
    con.execute("set preserve_insertion_order = false")
    try:
        con.execute(f"create table doj_lines as {_READ_LINES_SQL}", {"path": str(doj_file)})
        # A large table is compressed as it is written, a small one at the next checkpoint.
        con.execute("checkpoint")
    finally:
        con.execute("reset preserve_insertion_order")
        con.execute("reset force_compression")
    (lines,) = con.execute("select count(*) from doj_lines").fetchone()
    return lines


def _measure_once(doj_file: Path, work_dir: Path) -> Floors:
    database = work_dir / "floors.duckdb"
    copied = work_dir / "floors_copy.csv"
    _remove(database, copied)
    try:
        with duckdb.connect(database, config={"memory_limit": load_memory_limit()}) as con:
            # DuckDB's threads belong to this process, so its CPU time counts theirs.
            cpu_started = time.process_time()
            started = time.perf_counter()
            lines = store_lines(con, doj_file)
            store = time.perf_counter() - started

            started = time.perf_counter()
            con.execute(
                f"copy (select line from doj_lines) to {sql_string(str(copied))} "
                "(header false, quote '', delim chr(1))"
            )
            copy = time.perf_counter() - started

            started = time.perf_counter()
            con.execute("select sum(len(string_split(line, ','))) from doj_lines").fetchall()
            split = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
    finally:
        _remove(database, copied)
    return Floors(lines, store, copy, split, cpu)


def _remove(*paths: Path) -> None:
    for path in paths:
        for stale in (path, Path(f"{path}.wal")):
            stale.unlink(missing_ok=True)
