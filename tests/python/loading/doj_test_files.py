"""Build small synthetic DOJ research files for loader tests. Every person in them is invented."""

from __future__ import annotations

from pathlib import Path

import duckdb

from clearance.doj_layout import DOJ_COLUMNS

HEADER = ",".join(DOJ_COLUMNS)

_DEFAULTS = {
    "SUBJECT_ID": "900001",
    "CII_NUMBER": "A00000001",
    "PRI_NAME": "TESTPERSON,ALPHA",
    "GENDER": "MALE",
    "PRI_DOB": "19800101",
    "CNT_ORDER": "001001001000",
    "OFFENSE_DESCR": "11357(A) HS-POSSESS CONCENTRATED CANNABIS",
    "DISP_DESCR": "CONVICTED-PROBATION",
    "END_OF_REC": "END",
}


def csv_field(value: str) -> str:
    """Quote a field the way the DOJ files do: only when it contains a comma or a double quote."""
    if "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def doj_line(record_id: str, **values: str) -> str:
    """Return one 95-field line: defaults, then record_id, then the given column values."""
    unknown = set(values) - set(DOJ_COLUMNS)
    assert not unknown, f"not DOJ columns: {sorted(unknown)}"
    fields = {**_DEFAULTS, "RECORD_ID": record_id, **values}
    return ",".join(csv_field(fields.get(name, "")) for name in DOJ_COLUMNS)


def write_doj_file(
    path: Path,
    lines: list[str],
    *,
    header: bool = True,
    newline: str = "\n",
    final_newline: bool = True,
    encoding: str = "utf-8",
) -> Path:
    """Write lines (already formatted) to path, optionally after the header row."""
    all_lines = [HEADER, *lines] if header else list(lines)
    text = newline.join(all_lines) + (newline if final_newline else "")
    path.write_bytes(text.encode(encoding))
    return path


def table_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Return the number of rows in a raw table."""
    (count,) = con.execute(f"select count(*) from raw.{table}").fetchone()
    return count
