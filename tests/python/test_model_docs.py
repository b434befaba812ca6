"""Every mart and export model states its grain and describes each column it lists.

These tests read the models' YAML without running dbt. The end-to-end run's test of
`dbt docs generate` checks the other way round: that every column of the built tables is listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DOCUMENTED_FOLDERS = ("models/marts", "models/exports")


def model_files() -> list[Path]:
    return sorted(
        path
        for folder in DOCUMENTED_FOLDERS
        for path in (PROJECT_DIR / folder).rglob("*")
        if path.suffix in (".sql", ".py")
    )


def model_entries() -> dict[str, dict]:
    """Return the YAML entry of every model declared under the documented folders, by name."""
    entries: dict[str, dict] = {}
    for folder in DOCUMENTED_FOLDERS:
        for path in sorted((PROJECT_DIR / folder).rglob("*.yml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for entry in document.get("models", []):
                entries[entry["name"]] = entry
    return entries


MODEL_NAMES = [path.stem for path in model_files()]


def test_documented_folders_have_models() -> None:
    assert "fct_conviction_outcomes" in MODEL_NAMES
    assert "exp_doj__results" in MODEL_NAMES


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_model_description_states_its_grain(model: str) -> None:
    entry = model_entries().get(model)

    assert entry is not None, f"{model} has no entry in a YAML file beside it"
    assert entry.get("description", "").startswith("One row per"), model


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_every_listed_column_is_described(model: str) -> None:
    entry = model_entries().get(model) or {}
    columns = entry.get("columns", [])

    assert columns, f"{model} lists no columns"
    for column in columns:
        assert str(column.get("description", "")).strip(), f"{model}.{column['name']}"
