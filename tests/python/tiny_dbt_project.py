"""A dbt project with no models on an in-memory DuckDB, for tests of how dbt is started."""

from __future__ import annotations

from pathlib import Path


def write_tiny_dbt_project(folder: Path) -> None:
    """Write the project's dbt_project.yml and profiles.yml: dbt starts on it in seconds."""
    (folder / "dbt_project.yml").write_text(
        'name: tiny\nversion: "1.0"\nprofile: tiny\n', encoding="utf-8"
    )
    (folder / "profiles.yml").write_text(
        "tiny:\n  target: memory\n  outputs:\n    memory:\n      type: duckdb\n"
        '      path: ":memory:"\n',
        encoding="utf-8",
    )
