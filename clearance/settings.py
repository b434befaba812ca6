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
    spills to disk instead of growing. With 2GB, a whole run on a 1,000,000-row file peaked at
    1.9 GB over its processes, and on a 5,000,000-row file at 2.5 GB (2 cores,
    bench/run_benchmark.py, docs/benchmarks.md).
    """
    return os.environ.get("CLEARANCE_DUCKDB_MEMORY_LIMIT", "2GB")


def subject_key_file() -> Path:
    """Return the file holding the pseudonymous-key secret (CLEARANCE_SUBJECT_KEY_FILE)."""
    default = warehouse_path().parent / "subject_key"
    return Path(os.environ.get("CLEARANCE_SUBJECT_KEY_FILE", default))
