"""What the schedule and the landing sensor start: plain functions over the county
configuration and the landing folders, so they can be tested without Dagster."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from clearance.counties import CALIFORNIA_COUNTIES, county_config, county_slug, project_path
from clearance.landing import COURT_SUBFOLDER, LandedExtract, newest_ready_extract
from orchestration.lib.run_request import TAG_COMPUTE_DATE, TAG_COUNTY, TAG_POLICY


@dataclass(frozen=True)
class CountyRunPlan:
    """One county run to request: its partition, run key, tags and run config."""

    county: str
    run_key: str
    tags: dict[str, str]
    run_config: dict[str, Any]


def _plan(
    county: str,
    config: dict[str, Any],
    extract: LandedExtract,
    run_key: str,
    compute_date: str,
    now: float | None,
) -> CountyRunPlan:
    settings: dict[str, Any] = {
        "doj_paths": [str(path) for path in extract.paths],
        "compute_date": compute_date,
    }
    court_paths, court_mapping_paths = landed_court_inputs(config, now)
    if court_paths:
        settings["court_paths"] = court_paths
        settings["court_mapping_paths"] = court_mapping_paths
    return CountyRunPlan(
        county=county,
        run_key=run_key,
        tags={
            TAG_COUNTY: county,
            TAG_POLICY: str(config["policy"]),
            TAG_COMPUTE_DATE: compute_date,
        },
        # The run loads exactly the files seen here, even if a newer extract lands meanwhile.
        run_config={"resources": {"clearance_run": {"config": settings}}},
    )


def landed_court_inputs(
    config: dict[str, Any], now: float | None = None
) -> tuple[list[str], list[str]]:
    """Return the court files of a county run and the mapping of each, or two empty lists.

    A county with `court_mapping` takes its newest ready court extract from the court/
    subfolder of its landing folder, every file with that mapping. Without a ready court
    extract the run goes ahead on the DOJ files alone, as a run without --court does.
    """
    mapping = config.get("court_mapping")
    if not mapping:
        return [], []
    extract = newest_ready_extract(
        project_path(config["landing_folder"]),
        float(config["settle_seconds"]),
        now,
        subfolder=COURT_SUBFOLDER,
    )
    if extract is None:
        return [], []
    mapping_path = str(project_path(str(mapping)))
    return [str(path) for path in extract.paths], [mapping_path] * len(extract.paths)


def scheduled_runs(compute_date: dt.date, now: float | None = None) -> list[CountyRunPlan]:
    """Return a run for every scheduled county whose landing folder holds a ready extract.

    The run key names the county and the compute date, so a schedule tick that is evaluated
    twice starts each county once.
    """
    plans = []
    for county in CALIFORNIA_COUNTIES:
        config = county_config(county)
        if not config.get("scheduled", True):
            continue
        extract = newest_ready_extract(
            project_path(config["landing_folder"]), float(config["settle_seconds"]), now
        )
        if extract is None:
            continue
        run_key = f"schedule:{county_slug(county)}:{compute_date.isoformat()}"
        plans.append(_plan(county, config, extract, run_key, compute_date.isoformat(), now))
    return plans


def landed_runs(
    cursor_text: str | None, compute_date: dt.date, now: float | None = None
) -> tuple[list[CountyRunPlan], str]:
    """Return a run for every county whose newest ready extract is new, and the next cursor.

    The cursor maps each county to the fingerprint (file names, sizes and modification times)
    of the extract it last started a run for. A replaced or rewritten file changes the
    fingerprint and starts a new run; an extract still being copied is not ready yet
    (clearance.landing) and starts nothing.
    """
    seen: dict[str, str] = json.loads(cursor_text) if cursor_text else {}
    plans = []
    for county in CALIFORNIA_COUNTIES:
        config = county_config(county)
        extract = newest_ready_extract(
            project_path(config["landing_folder"]), float(config["settle_seconds"]), now
        )
        if extract is None or seen.get(county) == extract.fingerprint:
            continue
        seen[county] = extract.fingerprint
        run_key = f"landing:{county_slug(county)}:{extract.fingerprint[:16]}"
        plans.append(_plan(county, config, extract, run_key, compute_date.isoformat(), now))
    return plans, json.dumps(seen, sort_keys=True)
