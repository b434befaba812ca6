"""Find the DOJ and court extracts that have landed in a county's landing folder and are ready.

Layout of a landing folder (`landing_folder` in the county configuration):

- `doj/NAME.dat` (or `.csv`, `.txt`): an extract in one file.
- `doj/NAME/`: an extract in several files, read in file-name order.
- `doj/NAME.done` (optional, beside the file or folder): written by the sender after the
  extract is complete; it makes the extract ready at once.
- `court/`: the court's case extracts, laid out the same way. The county's `court_mapping`
  describes every file of them.

Without a marker, an extract is ready when none of its files has been modified for
`settle_seconds`: a file that is still being copied keeps getting a new modification time, so it
never starts a run. Names starting with `.` are ignored, so a sender can copy into a hidden
name and rename it when done.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

DOJ_SUBFOLDER = "doj"
COURT_SUBFOLDER = "court"
DOJ_SUFFIXES = (".dat", ".csv", ".txt")
DONE_SUFFIX = ".done"


@dataclass(frozen=True)
class LandedExtract:
    """One DOJ or court extract in a landing folder: a file, or a folder of files."""

    name: str
    paths: tuple[Path, ...]
    # The newest modification time of its files, in seconds since the epoch.
    modified: float
    has_done_marker: bool
    # sha256 over each file's name, size and modification time in nanoseconds: it changes
    # when a file is replaced or rewritten, without reading the files.
    fingerprint: str

    def is_ready(self, settle_seconds: float, now: float | None = None) -> bool:
        """Return whether the extract is complete: marked done, or unchanged for settle_seconds."""
        if self.has_done_marker:
            return True
        now = time.time() if now is None else now
        return now - self.modified >= settle_seconds


def _is_doj_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in DOJ_SUFFIXES


def _extract(root: Path, entry: Path) -> LandedExtract | None:
    if entry.is_dir():
        paths = tuple(sorted((path for path in entry.iterdir() if _is_doj_file(path)), key=str))
        marker = (
            entry.with_name(entry.name + DONE_SUFFIX).exists() or (entry / DONE_SUFFIX).exists()
        )
    elif _is_doj_file(entry):
        paths = (entry,)
        marker = entry.with_name(entry.name + DONE_SUFFIX).exists()
    else:
        return None
    if not paths:
        return None

    digest = hashlib.sha256()
    newest = 0.0
    for path in paths:
        status = path.stat()
        newest = max(newest, status.st_mtime)
        digest.update(
            f"{path.relative_to(root)}\0{status.st_size}\0{status.st_mtime_ns}\n".encode()
        )
    return LandedExtract(
        name=entry.name,
        paths=tuple(path.resolve() for path in paths),
        modified=newest,
        has_done_marker=marker,
        fingerprint=digest.hexdigest(),
    )


def landed_extracts(landing_folder: Path, subfolder: str = DOJ_SUBFOLDER) -> list[LandedExtract]:
    """Return every extract in a subfolder of the landing folder (doj/ by default), oldest first."""
    root = landing_folder / subfolder
    if not root.is_dir():
        return []
    extracts = [
        extract
        for entry in root.iterdir()
        if not entry.name.startswith(".") and (extract := _extract(root, entry)) is not None
    ]
    return sorted(extracts, key=lambda extract: (extract.modified, extract.name))


def newest_ready_extract(
    landing_folder: Path,
    settle_seconds: float,
    now: float | None = None,
    subfolder: str = DOJ_SUBFOLDER,
) -> LandedExtract | None:
    """Return the most recently modified extract that is ready, or None when there is none."""
    ready = [
        extract
        for extract in landed_extracts(landing_folder, subfolder)
        if extract.is_ready(settle_seconds, now)
    ]
    return ready[-1] if ready else None
