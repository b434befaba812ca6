"""California's counties and each county's run configuration (config/counties.yaml)."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import ClearanceError

PROJECT_DIR = Path(__file__).resolve().parents[1]
COUNTY_CONFIG_FILE = PROJECT_DIR / "config" / "counties.yaml"
COUNTY_CONFIG_ENV = "CLEARANCE_COUNTY_CONFIG"

# Installation-wide settings at the top of the file, with the values used when a key is missing.
DEFAULT_SCHEDULE = {"cron": "0 6 1 * *", "timezone": "America/Los_Angeles", "running": True}
DEFAULT_LANDING_SENSOR = {"interval_seconds": 60, "running": True}

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


def county_config_file() -> Path:
    """Return the county configuration file: CLEARANCE_COUNTY_CONFIG, else config/counties.yaml."""
    configured = os.environ.get(COUNTY_CONFIG_ENV)
    return Path(configured) if configured else COUNTY_CONFIG_FILE


def check_county(county: str) -> str:
    """Return the county's name in upper case, or raise ClearanceError when it is not one of the 58."""
    name = county.strip().upper()
    if name not in CALIFORNIA_COUNTIES:
        raise ClearanceError(
            f"{county!r} is not a California county; give its name as the DOJ file writes it, "
            'such as "SAN JOAQUIN" (clearance/counties.py lists the 58)'
        )
    return name


def _read_config(path: Path | None) -> tuple[Path, dict[str, Any]]:
    path = path or county_config_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ClearanceError(f"county configuration {path}: not found") from None
    except yaml.YAMLError as error:
        raise ClearanceError(f"county configuration {path}: not valid YAML ({error})") from None
    return path, data


def county_config(county: str, path: Path | None = None) -> dict[str, Any]:
    """Return the run configuration of `county`: the defaults with the county's overrides.

    `path` defaults to county_config_file(). Raises ClearanceError for a county that is not
    one of California's 58, or an override naming a county that is not.
    """
    name = check_county(county)
    path, data = _read_config(path)
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


def schedule_settings(path: Path | None = None) -> dict[str, Any]:
    """Return the `schedule` section (cron, timezone, running) with defaults for missing keys."""
    _, data = _read_config(path)
    return {**DEFAULT_SCHEDULE, **(data.get("schedule") or {})}


def landing_sensor_settings(path: Path | None = None) -> dict[str, Any]:
    """Return the `landing_sensor` section (interval_seconds, running) with defaults."""
    _, data = _read_config(path)
    return {**DEFAULT_LANDING_SENSOR, **(data.get("landing_sensor") or {})}


def project_path(text: str) -> Path:
    """Return a configured path: absolute as given, relative ones against the repository."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else PROJECT_DIR / path


def policy_params(config: dict[str, Any]) -> list[str]:
    """Return the county's `parameters` as `NAME=VALUE` overrides, the form `--param` takes."""
    assignments: list[str] = []
    for name, value in (config.get("parameters") or {}).items():
        assignments.append(f"{name}={_parameter_text(value)}")
    return assignments


def _parameter_text(value: Any) -> str:
    # The text form that clearance.policies.parameters.parse_text reads back for each type.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(_parameter_text(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
