"""The file lock that lets one process at a time write the warehouse.

A run takes the exclusive lock (`fcntl.flock` on `<warehouse>.lock`) before its load step and
keeps it until its run manifest is stored. Its models, exports and manifest all read the state
that its own load step left in `raw.current_run`, so no other run may write in between. Dagster's pool
serializes the writing steps of one Dagster instance; the lock also covers command-line runs
and other instances. The review commands take the shared lock, so they open the warehouse
after a writer has finished and never while it writes.

The lock belongs to the process: the operating system releases it when the process ends, so a
run that crashes or is killed never leaves the warehouse locked.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from clearance.errors import ClearanceError

logger = logging.getLogger(__name__)

LOCK_TIMEOUT_ENV = "CLEARANCE_LOCK_TIMEOUT"
# A 5,000,000-row run took about 2 minutes on 2 cores (docs/benchmarks.md); a writer waits
# for several such runs before it gives up.
DEFAULT_LOCK_TIMEOUT_SECONDS = 3600.0
_POLL_SECONDS = 0.2

# Descriptors of the exclusive locks this process holds, by lock file. Each step of a run
# calls acquire, and only the first call locks: the run's steps share one lock.
_held_locks: dict[Path, int] = {}
_held_guard = threading.Lock()


def lock_path(warehouse: Path) -> Path:
    """Return the lock file of a warehouse: `<warehouse>.lock` beside it."""
    return warehouse.with_name(warehouse.name + ".lock")


def lock_timeout_seconds() -> float:
    """Return the seconds a run waits for the lock (CLEARANCE_LOCK_TIMEOUT, default 3600)."""
    text = os.environ.get(LOCK_TIMEOUT_ENV)
    if not text:
        return DEFAULT_LOCK_TIMEOUT_SECONDS
    try:
        return float(text)
    except ValueError:
        raise ClearanceError(f"{LOCK_TIMEOUT_ENV}={text!r}: invalid number of seconds") from None


def _open_lock_file(warehouse: Path) -> int:
    path = lock_path(warehouse)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def _flock(
    descriptor: int,
    operation: int,
    warehouse: Path,
    timeout: float,
    on_wait: Callable[[str], None] | None,
) -> None:
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    message = f"waiting for the warehouse lock {lock_path(warehouse)}: another run is writing"
    logger.info("%s", message)
    if on_wait is not None:
        on_wait(message)
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(_POLL_SECONDS)
        try:
            fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ClearanceError(
                    f"timed out after {timeout:.0f} s waiting for the warehouse lock "
                    f"{lock_path(warehouse)}; another run still holds it. Wait for it to "
                    f"finish, or raise {LOCK_TIMEOUT_ENV}"
                ) from None


def acquire_warehouse_lock(
    warehouse: Path,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> bool:
    """Take the exclusive lock for this process, waiting while another process holds it.

    Returns True when this call took the lock and False when the process already held it.
    `on_wait` receives a message once when the call has to wait. Raises ClearanceError after
    `timeout` seconds (default: lock_timeout_seconds()).
    """
    key = lock_path(warehouse).resolve()
    with _held_guard:
        if key in _held_locks:
            return False
        descriptor = _open_lock_file(warehouse)
        try:
            _flock(
                descriptor,
                fcntl.LOCK_EX,
                warehouse,
                lock_timeout_seconds() if timeout is None else timeout,
                on_wait,
            )
        except BaseException:
            os.close(descriptor)
            raise
        # The holder's process id helps an operator find a run that holds the lock too long.
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        _held_locks[key] = descriptor
        logger.info("Took the warehouse lock %s", key)
        return True


def release_warehouse_lock(warehouse: Path) -> None:
    """Release the exclusive lock if this process holds it, and do nothing otherwise."""
    key = lock_path(warehouse).resolve()
    with _held_guard:
        descriptor = _held_locks.pop(key, None)
        if descriptor is None:
            return
        # Closing the descriptor releases the flock.
        os.close(descriptor)
        logger.info("Released the warehouse lock %s", key)


def holds_warehouse_lock(warehouse: Path) -> bool:
    """Return whether this process holds the exclusive lock of the warehouse."""
    with _held_guard:
        return lock_path(warehouse).resolve() in _held_locks


@contextmanager
def exclusive_warehouse_lock(
    warehouse: Path, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the exclusive lock for the block, and release it on exit however the block ends."""
    acquire_warehouse_lock(warehouse, on_wait=on_wait)
    try:
        yield
    finally:
        release_warehouse_lock(warehouse)


@contextmanager
def shared_warehouse_lock(warehouse: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the shared lock for the block: readers wait for a writer, never for each other.

    A process that holds the exclusive lock already reads safely, so it takes nothing here.
    """
    if holds_warehouse_lock(warehouse) or not warehouse.parent.is_dir():
        yield
        return
    descriptor = _open_lock_file(warehouse)
    try:
        _flock(
            descriptor,
            fcntl.LOCK_SH,
            warehouse,
            lock_timeout_seconds() if timeout is None else timeout,
            None,
        )
        yield
    finally:
        os.close(descriptor)
