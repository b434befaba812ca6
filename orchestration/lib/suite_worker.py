"""A second process that imports Great Expectations while the run starts, then validates.

Importing pandas and Great Expectations takes about 2 s of CPU, and in the run's own process
that time is spent holding the GIL, so a thread could not hide it: on a small input the first
check waited for it. A separate process imports it on the other core while this one imports
Dagster and loads the files. The suites already read the warehouse through their own read-only
connection, so moving them changes nothing they see; recording the outcome stays here, with
the writer.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from expectations.outcomes import SuiteOutcome
    from expectations.runner import SuiteRun

logger = logging.getLogger(__name__)

_active: SuiteWorker | None = None


class SuiteWorkerError(RuntimeError):
    """The worker process stopped, or a suite raised an error that could not be sent back."""


def _serve(connection: Connection) -> None:
    """Import Great Expectations, then run each suite asked for until the pipe closes."""
    import expectations.validation  # noqa: F401  (the slow import this process exists for)
    from expectations.runner import run_suite

    while True:
        try:
            arguments = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (True, run_suite(*arguments))
        except Exception as error:  # every failure goes back to the run that asked
            reply = (False, error)
        try:
            connection.send(reply)
        except Exception as error:
            # What cannot be pickled still reaches the run, by its text.
            failure = reply[1] if not reply[0] else error
            connection.send((False, SuiteWorkerError(f"{type(failure).__name__}: {failure}")))


class SuiteWorker:
    """One spawned process that validates suites, one at a time, for the process that made it."""

    def __init__(self) -> None:
        # spawn, not fork: the parent runs Dagster's threads, which a fork would copy mid-state.
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child,), name="great-expectations", daemon=True
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()

    def run_suite(self, suite: str, run: SuiteRun, check_name: str, asset: str) -> SuiteOutcome:
        """Run the suite in the worker and return its outcome, or raise what it raised."""
        with self._lock:
            try:
                self._connection.send((suite, run, check_name, asset))
                succeeded, value = self._connection.recv()
            except (EOFError, OSError) as error:
                raise SuiteWorkerError(
                    f"the data-quality worker stopped (exit code {self._process.exitcode})"
                ) from error
        if not succeeded:
            raise value
        return value

    def close(self) -> None:
        """Stop the worker, at once: an idle or still-importing worker has nothing to finish."""
        self._connection.close()
        self._process.terminate()
        self._process.join(timeout=5)


@contextmanager
def suite_worker() -> Iterator[SuiteWorker]:
    """Start a worker for the checks of the job run inside this block, and stop it after."""
    global _active
    worker = SuiteWorker()
    _active = worker
    try:
        yield worker
    finally:
        _active = None
        worker.close()


def active_suite_worker() -> SuiteWorker | None:
    """Return the worker of the job running in this process, if it started one."""
    return _active
