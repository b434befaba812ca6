"""Settings read from the environment, each with a default that works from the project root."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    """Return the restricted DuckDB warehouse file (CLEARANCE_WAREHOUSE)."""
    return Path(os.environ.get("CLEARANCE_WAREHOUSE", PROJECT_DIR / "warehouse" / "clearance.duckdb"))


def subject_key_file() -> Path:
    """Return the file holding the pseudonymous-key secret (CLEARANCE_SUBJECT_KEY_FILE)."""
    default = warehouse_path().parent / "subject_key"
    return Path(os.environ.get("CLEARANCE_SUBJECT_KEY_FILE", default))
