"""Settings read from the environment, each with a default that works from the project root."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    """Return the restricted DuckDB warehouse file (CLEARANCE_WAREHOUSE)."""
    return Path(
        os.environ.get("CLEARANCE_WAREHOUSE", PROJECT_DIR / "warehouse" / "clearance.duckdb")
    )


def duckdb_memory_limit() -> str:
    """Return DuckDB's memory limit for every connection of a run (CLEARANCE_DUCKDB_MEMORY_LIMIT).

    DuckDB's own default is 80% of the machine's memory per process. A bounded buffer pool
    spills to disk instead of growing. With 2GB, and 1GB for the load and staging
    (load_memory_limit), a whole run on a 1,000,000-row file peaked at 1.8 GB over its
    processes, and on a 5,000,000-row file at 3.0 GB (2 cores, bench/run_benchmark.py,
    docs/benchmarks.md).
    """
    return os.environ.get("CLEARANCE_DUCKDB_MEMORY_LIMIT", "2GB")


def load_memory_limit() -> str:
    """Return DuckDB's memory limit while a run loads and stages its DOJ lines.

    CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT, 1GB by default, and never above duckdb_memory_limit().
    A run's memory peaks in these two steps, which hold every line of the files. With the
    run's 2GB they reached 1.4 to 1.6 GB in their process, and the run's processes 2.0 to
    2.1 GB together, on the 1,000,000-row benchmark file (2 cores). The staging model sets the
    same limit for itself (macros/run_settings/memory_limits.sql).
    """
    load = os.environ.get("CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT", "1GB")
    run = duckdb_memory_limit()
    return load if memory_bytes(load) <= memory_bytes(run) else run


# DuckDB's units: KB, MB, GB and TB are powers of 1000, KiB, MiB, GiB and TiB of 1024.
_MEMORY_UNITS = (
    ("TIB", 1024**4),
    ("GIB", 1024**3),
    ("MIB", 1024**2),
    ("KIB", 1024),
    ("TB", 1000**4),
    ("GB", 1000**3),
    ("MB", 1000**2),
    ("KB", 1000),
    ("B", 1),
)


def memory_bytes(size: str) -> float:
    """Return a DuckDB memory size such as `2GB`, `1.5 GiB` or `800MB` in bytes.

    A size without one of these units, such as DuckDB's `-1` for no limit, gives 0. So a run
    limit without a unit is kept for the load too, and DuckDB itself checks a load limit
    without one. The macro memory_bytes in macros/run_settings/memory_limits.sql reads sizes
    the same way.
    """
    text = size.upper().replace(" ", "").replace("BYTES", "B")
    for unit, factor in _MEMORY_UNITS:
        if text.endswith(unit):
            try:
                return float(text[: -len(unit)]) * factor
            except ValueError:
                return 0
    return 0


def subject_key_file() -> Path:
    """Return the file holding the pseudonymous-key secret (CLEARANCE_SUBJECT_KEY_FILE)."""
    default = warehouse_path().parent / "subject_key"
    return Path(os.environ.get("CLEARANCE_SUBJECT_KEY_FILE", default))
