"""Text written into DuckDB SQL where a bound parameter cannot go (views, COPY options)."""

from __future__ import annotations


def sql_string(value: str) -> str:
    """Return value as a SQL string literal, with its single quotes doubled."""
    return "'" + value.replace("'", "''") + "'"
