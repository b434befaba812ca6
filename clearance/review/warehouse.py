"""Open the warehouse of the last run read-only, for the review commands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.errors import ClearanceError


@dataclass(frozen=True)
class RunPolicies:
    """The county, compute date and policies (in run order) of the run the marts were built for."""

    county: str
    compute_date: dt.date
    policies: dict[str, str]


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, or raise ClearanceError when no run has built it."""
    if not warehouse.is_file():
        raise ClearanceError(
            f"warehouse {warehouse}: not found; run `clearance run` first or pass --warehouse"
        )
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as error:
        raise ClearanceError(
            f"warehouse {warehouse}: cannot be opened read-only ({error})"
        ) from None
    tables = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'fct_county_impact'"
    ).fetchone()
    if not tables or tables[0] == 0:
        con.close()
        raise ClearanceError(
            f"warehouse {warehouse}: contains no finished run (marts.fct_county_impact is "
            "missing); run `clearance run` first"
        )
    return con


def run_policies(con: duckdb.DuckDBPyConnection) -> RunPolicies:
    """Return the county, compute date and policies of the run the marts hold."""
    rows = con.execute(
        "select policy_name, policy_role, county, compute_date "
        "from marts.fct_county_impact order by policy_order"
    ).fetchall()
    if not rows:
        raise ClearanceError("the warehouse's last run decided no policy; rerun `clearance run`")
    return RunPolicies(
        county=rows[0][2],
        compute_date=rows[0][3],
        policies={name: role for name, role, _, _ in rows},
    )


def format_date_range(start: dt.date | None, end: dt.date | None, precision: str | None) -> str:
    """Return a date range as facts show it: a day, `2016-11` for a month, `2016` for a year."""
    if start is None:
        return "date missing"
    if precision == "month":
        return start.strftime("%Y-%m")
    if precision == "year":
        return start.strftime("%Y")
    if end is None or start == end:
        return start.isoformat()
    return f"{start.isoformat()} to {end.isoformat()}"
