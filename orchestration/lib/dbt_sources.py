"""Whether the dbt project's parse is older than its files, without importing dbt or Dagster.

The run's own process checks it before it builds the Dagster definitions, and the dbt
standby before it reads the parse ahead of the build (orchestration/lib/dbt_preload.py).
"""

from __future__ import annotations

from pathlib import Path

from clearance.settings import PROJECT_DIR

# Files and folders that dbt parses into the manifest. A manifest older than any of them can
# miss a node that the build then reports, and dagster-dbt fails on a node it does not know.
DBT_SOURCE_PATHS = (
    "dbt_project.yml",
    "profiles.yml",
    "selectors.yml",
    "models",
    "macros",
    "seeds",
    "tests/generic",
)


def newest_source_mtime(project_dir: Path = PROJECT_DIR) -> float:
    """Return the latest modification time of the files that dbt parses."""
    newest = 0.0
    for name in DBT_SOURCE_PATHS:
        path = project_dir / name
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                newest = max(newest, file.stat().st_mtime)
    return newest


def manifest_is_stale(manifest_path: Path, project_dir: Path = PROJECT_DIR) -> bool:
    """Return whether the manifest is missing or older than a file of the dbt project."""
    if not manifest_path.exists():
        return True
    return manifest_path.stat().st_mtime < newest_source_mtime(project_dir)
