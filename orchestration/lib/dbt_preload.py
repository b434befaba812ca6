"""The dbt standby's early read of the project's parse, handed to the build it then runs.

Before its first query, every dbt build reads the parse back from partial_parse.msgpack and
checks the project's files against it: 0.5 to 0.7 s of a build (2 cores, dbt-core 1.11). The
standby waits idle for the build while the run loads its files, so it does that read first
and passes the manifest to the build, the way `dbtRunner(manifest=...)` passes one. Whole runs
on a 1,000-row file took 9.3 to 10.4 s against 9.7 to 11.7 s without it, in six pairs of runs
(docs/benchmarks.md).

The early parse is used only when the build would have read the same one:
- the manifest was not older than the project's files, so the run's process did not parse
  again, and neither its files nor any project file changed since;
- the build names the same project, profiles and target folders, profile, target and vars;
- the CLEARANCE_ settings, which profiles.yml reads, are the same.
Anything else, or a failed early parse, leaves the build to read the parse itself.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.lib.dbt_sources import manifest_is_stale

logger = logging.getLogger(__name__)

# The parse files that dbt reads from, and writes to, the target folder.
_PARSE_FILES = ("manifest.json", "partial_parse.msgpack")

# (options, environment variable, whether the value is a folder) of each setting that changes
# what dbt parses.
_PARSE_SETTINGS: tuple[tuple[tuple[str, ...], str | None, bool], ...] = (
    (("--project-dir",), "DBT_PROJECT_DIR", True),
    (("--profiles-dir",), "DBT_PROFILES_DIR", True),
    (("--target-path",), "DBT_TARGET_PATH", True),
    (("--profile",), "DBT_PROFILE", False),
    (("--target", "-t"), "DBT_TARGET", False),
    (("--vars",), None, False),
)
_LOWEST_PRIORITY = 19


@dataclass(frozen=True)
class ProjectFolders:
    """The folders of the dbt build that the standby will run."""

    project_dir: Path
    profiles_dir: Path
    target_path: Path

    def arguments(self) -> list[str]:
        return [
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target-path",
            str(self.target_path),
        ]


@dataclass(frozen=True)
class EarlyParse:
    """A manifest read before the build, with what it was read under."""

    manifest: Any
    folders: ProjectFolders
    settings: tuple[str | None, ...]
    files: tuple[tuple[int, int] | None, ...]

    def fits(self, args: list[str], env: dict[str, str], cwd: str) -> bool:
        """Return whether a build with these arguments would read this same parse."""
        if parse_settings(args, env, cwd) != self.settings:
            return False
        return parse_file_stamps(self.folders.target_path) == self.files and not _is_stale(
            self.folders
        )


def parse_early_in_background(folders: ProjectFolders) -> Future[EarlyParse | None]:
    """Start parse_early in a thread of the lowest priority and return its future result.

    The standby starts while the run's own process imports Dagster and loads its files. At
    normal priority the early parse took CPU from that start-up, and the load began 0.3 to
    0.6 s later (2 cores).
    """
    future: Future[EarlyParse | None] = Future()

    def parse() -> None:
        try:
            # Only Linux gives a thread a priority of its own. Elsewhere the thread's id could
            # be another process's id, so the parse keeps the standby's priority there.
            if sys.platform.startswith("linux"):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _LOWEST_PRIORITY)
            future.set_result(parse_early(folders))
        except Exception:  # the build then reads the parse itself, as without a standby
            logger.debug("early dbt parse failed", exc_info=True)
            future.set_result(None)

    threading.Thread(target=parse, name="early-dbt-parse", daemon=True).start()
    return future


def parse_early(folders: ProjectFolders) -> EarlyParse | None:
    """Read the project's parse as the build would, or return None when it must not be used.

    Like every `dbt parse`, it rewrites perf_info.json, dbt's timing of the parse, in the
    target folder. It writes neither the manifest nor the partial parse file.
    """
    if _is_stale(folders):
        # The run's process parses the project again, and its parse is the one to build.
        return None
    files = parse_file_stamps(folders.target_path)
    arguments = [
        "parse",
        "--quiet",
        "--no-write-json",
        "--no-send-anonymous-usage-stats",
        # Nothing goes to the build's dbt.log, which stays the build's own.
        "--log-level-file",
        "none",
        "--log-path",
        str(folders.target_path),
        *folders.arguments(),
    ]
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(arguments)
    if not result.success:
        logger.debug("early dbt parse failed: %s", result.exception)
        return None
    if parse_file_stamps(folders.target_path) != files:
        # dbt parsed again and wrote its files, so something changed under it.
        return None
    return EarlyParse(
        manifest=result.result,
        folders=folders,
        settings=parse_settings(arguments, dict(os.environ), os.getcwd()),
        files=files,
    )


def _is_stale(folders: ProjectFolders) -> bool:
    return manifest_is_stale(folders.target_path / "manifest.json", folders.project_dir)


def parse_settings(args: list[str], env: dict[str, str], cwd: str) -> tuple[str | None, ...]:
    """Return the settings of a dbt command that change what it parses, folders resolved."""
    values: list[str | None] = []
    for options, variable, is_folder in _PARSE_SETTINGS:
        value = _option_value(args, options)
        if value is None and variable is not None:
            value = env.get(variable)
        if value is not None and is_folder:
            value = str((Path(cwd) / value).resolve())
        values.append(value)
    clearance_settings = sorted(
        f"{name}={value}" for name, value in env.items() if name.startswith("CLEARANCE_")
    )
    return (*values, *clearance_settings)


def _option_value(args: list[str], options: tuple[str, ...]) -> str | None:
    """Return the last value of any of the options, as `--option value` or `--option=value`."""
    value = None
    for index, argument in enumerate(args):
        for option in options:
            if argument == option and index + 1 < len(args):
                value = args[index + 1]
            elif argument.startswith(f"{option}="):
                value = argument.split("=", 1)[1]
    return value


def parse_file_stamps(target_path: Path) -> tuple[tuple[int, int] | None, ...]:
    """Return the modification time and size of each parse file, None for a missing one."""
    stamps: list[tuple[int, int] | None] = []
    for name in _PARSE_FILES:
        try:
            status = (target_path / name).stat()
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((status.st_mtime_ns, status.st_size))
    return tuple(stamps)
