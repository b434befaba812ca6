"""California's counties and each county's run configuration (config/counties.yaml)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import ClearanceError

COUNTY_CONFIG_FILE = Path(__file__).resolve().parents[1] / "config" / "counties.yaml"

# The 58 counties as the DOJ file's STP_ORI_CNTY_NAME writes them.
CALIFORNIA_COUNTIES: tuple[str, ...] = (
    "ALAMEDA", "ALPINE", "AMADOR", "BUTTE", "CALAVERAS", "COLUSA", "CONTRA COSTA", "DEL NORTE",
    "EL DORADO", "FRESNO", "GLENN", "HUMBOLDT", "IMPERIAL", "INYO", "KERN", "KINGS", "LAKE",
    "LASSEN", "LOS ANGELES", "MADERA", "MARIN", "MARIPOSA", "MENDOCINO", "MERCED", "MODOC",
    "MONO", "MONTEREY", "NAPA", "NEVADA", "ORANGE", "PLACER", "PLUMAS", "RIVERSIDE",
    "SACRAMENTO", "SAN BENITO", "SAN BERNARDINO", "SAN DIEGO", "SAN FRANCISCO", "SAN JOAQUIN",
    "SAN LUIS OBISPO", "SAN MATEO", "SANTA BARBARA", "SANTA CLARA", "SANTA CRUZ", "SHASTA",
    "SIERRA", "SISKIYOU", "SOLANO", "SONOMA", "STANISLAUS", "SUTTER", "TEHAMA", "TRINITY",
    "TULARE", "TUOLUMNE", "VENTURA", "YOLO", "YUBA",
)  # fmt: skip


def county_slug(county: str) -> str:
    """Return the county's name as a file-name part: `LOS ANGELES` -> `los_angeles`."""
    return re.sub(r"[^a-z0-9]+", "_", county.strip().lower()).strip("_")


def county_config(county: str, path: Path = COUNTY_CONFIG_FILE) -> dict[str, Any]:
    """Return the run configuration of `county`: the defaults with the county's overrides.

    Raises ClearanceError for a county that is not one of California's 58, or an override
    naming a county that is not.
    """
    name = county.strip().upper()
    if name not in CALIFORNIA_COUNTIES:
        raise ClearanceError(f"{county!r} is not a California county; see clearance/counties.py")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    overrides = data.get("counties") or {}
    unknown = sorted(set(overrides) - set(CALIFORNIA_COUNTIES))
    if unknown:
        raise ClearanceError(f"{path}: unknown county {', '.join(unknown)} under counties")
    config = _merged(copy.deepcopy(data.get("defaults") or {}), overrides.get(name) or {})
    config["county"] = name
    config["landing_folder"] = str(config.get("landing_folder", "")).format(
        county=county_slug(name)
    )
    return config


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merged(base[key], value)
        else:
            base[key] = value
    return base
