"""Run folders under a publish root, and the atomic switch of a county's `latest` link.

Layout: `<publish root>/<county slug>/<UTC time>-<run id>/` contains one run's outputs, and
`<publish root>/<county slug>/latest` is a symbolic link to the newest published one. A run
writes only into its own new folder, so a run that fails or is stopped before the switch leaves
`latest` and the folder it points at exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from clearance.counties import county_slug

logger = logging.getLogger(__name__)

LATEST = "latest"
DIR_MODE = 0o700


def run_folder_name(started_at: dt.datetime, run_id: str) -> str:
    """Return `<YYYYMMDDTHHMMSSZ>-<run id>`: folders sort by start time, and the id is unique."""
    utc = started_at.astimezone(dt.UTC) if started_at.tzinfo else started_at
    return f"{utc:%Y%m%dT%H%M%SZ}-{run_id}"


def county_folder(publish_root: Path, county: str) -> Path:
    """Return the county's folder under the publish root."""
    return publish_root / county_slug(county)


def run_folder(publish_root: Path, county: str, started_at: dt.datetime, run_id: str) -> Path:
    """Return the folder a run writes its outputs into."""
    return county_folder(publish_root, county) / run_folder_name(started_at, run_id)


def create_run_folder(folder: Path) -> Path:
    """Create the run's folder and its missing parents, owner-only (0700); existing ones keep
    their mode."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        path.mkdir(mode=DIR_MODE, exist_ok=True)
        # mkdir applies the umask to the mode; the folders hold personal data whatever it is.
        path.chmod(DIR_MODE)
    return folder


def publish_latest(folder: Path) -> Path:
    """Point the county's `latest` link at the run folder, atomically, and return the link.

    The new link is made under a temporary name and renamed over `latest`. rename(2) replaces
    it in one step, so a reader sees the old run or the new one, never a missing or half link.
    The link is relative, so the publish root can be moved or mounted elsewhere.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"run folder {folder}: not found, nothing to publish")
    county_dir = folder.parent
    link = county_dir / LATEST
    temporary = county_dir / f".{LATEST}-{folder.name}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(folder.name, temporary)
    os.replace(temporary, link)
    # The rename is durable only once the folder's entry is written.
    descriptor = os.open(county_dir, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("Published %s as %s", folder.name, link)
    return link


def latest_publication(publish_root: Path, county: str) -> Path | None:
    """Return the run folder the county's `latest` link points at, or None before the first."""
    link = county_folder(publish_root, county) / LATEST
    if not link.is_symlink():
        return None
    return link.resolve()
