"""Writing dashboard pages: one in each run folder and one statewide page under the publish root.

Pages are written under a temporary name and renamed into place, so a reader never opens a
half-written page, and created owner-only like every other output of a run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clearance.dashboards.figures import Publication, read_figures, read_publication
from clearance.dashboards.page import render_page
from clearance.owner_only import FILE_MODE, write_text_owner_only
from clearance.publishing.folders import LATEST, create_run_folder

logger = logging.getLogger(__name__)

DASHBOARD = "dashboard.html"
# The statewide page's folder under the publish root, beside the county folders.
STATEWIDE = "statewide"


def write_county_dashboard(folder: Path) -> Path:
    """Write `dashboard.html` into a complete run folder from its published outputs."""
    publication = read_publication(folder)
    figures = read_figures([publication], f"{publication.county.title()} County")
    path = folder / DASHBOARD
    write_text_owner_only(path, render_page(figures, _now()))
    logger.info("Wrote the dashboard %s", path)
    return path


def latest_publications(publish_root: Path) -> list[Publication]:
    """Return the publication each county's `latest` link points at, by county folder name.

    A folder whose latest run lacks an output the dashboards read (a run published before
    they existed) is left out with a warning, so one old county does not stop the page.
    """
    publications = []
    for county_dir in sorted(publish_root.iterdir()):
        link = county_dir / LATEST
        if county_dir.name == STATEWIDE or not link.is_symlink():
            continue
        try:
            publications.append(read_publication(link))
        except (FileNotFoundError, ValueError) as error:
            logger.warning("Leaving %s out of the statewide dashboard: %s", county_dir, error)
    return publications


def write_statewide_dashboard(publish_root: Path) -> Path | None:
    """Write `<publish root>/statewide/dashboard.html` over every county's latest publication.

    Returns the page, or None when no county has published yet. Two runs that publish at
    once take turns: the lock makes the page written last read every `latest` link after
    both switched.
    """
    folder = create_run_folder(publish_root / STATEWIDE)
    with _locked(folder / ".lock"):
        publications = latest_publications(publish_root)
        if not publications:
            logger.info(
                "No county has published under %s yet; no statewide dashboard", publish_root
            )
            return None
        figures = read_figures(publications, "California", statewide=True)
        path = folder / DASHBOARD
        write_text_owner_only(path, render_page(figures, _now()))
    logger.info("Wrote the statewide dashboard %s over %d counties", path, len(publications))
    return path


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
