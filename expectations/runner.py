"""Run one suite on one run: read its aggregates read-only, validate them, return the outcome."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from clearance.settings import duckdb_memory_limit
from expectations.outcomes import BLOCKING, SuiteOutcome


@dataclass(frozen=True)
class SuiteRun:
    """The run a suite checks: its id, county, files and the county's configuration."""

    run_id: str
    county: str
    warehouse: Path
    doj_paths: tuple[str, ...]
    county_config: dict[str, Any]


@dataclass
class SuiteInput:
    """Frames, their expectations and notes, as a suite module collects them for validation."""

    frames: dict[str, Any] = field(default_factory=dict)
    expectations: dict[str, list[Any]] = field(default_factory=dict)
    severity: str = BLOCKING
    notes: list[str] = field(default_factory=list)


# Suite name -> "module:function" of this package that collects it.
SUITE_COLLECTORS = {
    "raw": "expectations.raw:collect_files",
    "raw_rows": "expectations.raw:collect_rows",
    "staging": "expectations.staging:collect",
    "marts": "expectations.marts:collect",
    "volume": "expectations.volume:collect",
    "targets": "expectations.targets:collect",
}


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with the run's memory limit."""
    return duckdb.connect(
        str(warehouse), read_only=True, config={"memory_limit": duckdb_memory_limit()}
    )


def run_suite(suite: str, run: SuiteRun, check_name: str, asset: str) -> SuiteOutcome:
    """Collect the suite's aggregates for the run, validate them and return the outcome.

    The connection is closed before validation, so the warehouse is free for the next writer
    while GX works on the dataframes.
    """
    from expectations.validation import validate_frames

    module_name, function_name = SUITE_COLLECTORS[suite].split(":")
    collect = getattr(importlib.import_module(module_name), function_name)
    with connect_read_only(run.warehouse) as con:
        collected: SuiteInput = collect(con, run)
    outcomes = validate_frames(suite, collected.frames, collected.expectations)
    return SuiteOutcome(
        suite=suite,
        check_name=check_name,
        asset=asset,
        run_id=run.run_id,
        county=run.county,
        severity=collected.severity,
        expectations=outcomes,
        aggregates={name: _records(frame) for name, frame in collected.frames.items()},
        notes=collected.notes,
    )


def _records(frame: Any) -> list[dict[str, Any]]:
    """Return a frame's rows as JSON values: NaN and NA become null, numpy scalars plain."""
    records = []
    for row in frame.astype(object).where(frame.notna(), None).to_dict(orient="records"):
        records.append(
            {key: value.item() if hasattr(value, "item") else value for key, value in row.items()}
        )
    return records


def read_frame(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any]):
    """Return a query's result as a pandas dataframe, with HUGEINT counts as 64-bit integers.

    DuckDB 2.0 returns count_if and sums of integers as HUGEINT, which pandas reads as floats.
    """
    relation = con.sql(sql, params=parameters)
    columns = ", ".join(
        f'cast("{name}" as bigint) as "{name}"' if str(column_type) == "HUGEINT" else f'"{name}"'
        for name, column_type in zip(relation.columns, relation.types, strict=True)
    )
    return relation.project(columns).df()
