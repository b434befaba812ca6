"""Write invented DOJ rows into raw.doj_lines as the loader stores them: one CSV line each."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

import duckdb

from clearance.doj_layout import DOJ_COLUMNS


def doj_line(values: Mapping[str, str] | Sequence[str]) -> str:
    """Return one DOJ line: a mapping fills the named columns and leaves the others empty."""
    if isinstance(values, Mapping):
        unknown = set(values) - set(DOJ_COLUMNS)
        assert not unknown, f"not DOJ columns: {sorted(unknown)}"
        fields = [values.get(name, "") for name in DOJ_COLUMNS]
    else:
        fields = list(values)
    assert len(fields) == len(DOJ_COLUMNS), f"a DOJ line has 95 fields, not {len(fields)}"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def insert_doj_lines(
    con: duckdb.DuckDBPyConnection,
    load_id: str,
    rows: Iterable[tuple[int, Mapping[str, str] | Sequence[str]]],
) -> None:
    """Insert (line_number, values) pairs of one file into raw.doj_lines."""
    con.executemany(
        "insert into raw.doj_lines (load_id, line_number, line) values (?, ?, ?)",
        [(load_id, line_number, doj_line(values)) for line_number, values in rows],
    )
