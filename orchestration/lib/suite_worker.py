"""A second process that imports Great Expectations while the run starts, then validates.

Importing pandas and Great Expectations took about 2 s of CPU here. In the run's own process
that import holds the GIL, so a thread could not hide it, and on a small input the first check
waited for it. A separate process imports it on the other core while this one imports Dagster
and loads the files. The suites already read the warehouse through their own read-only
connection, so moving them changes nothing they see. Recording the outcome stays in the run's
process, with the writer.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from expectations.outcomes import SuiteOutcome
    from expectations.runner import SuiteRun

_active: SuiteWorker | None = None


class SuiteWorkerError(RuntimeError):
    """The worker process stopped, or a suite raised an error that could not be sent back."""


def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """Import Great Expectations, then run each requested suite until the requests end."""
    from expectations.deferred_modules import defer_unused_imports

    defer_unused_imports()
    import expectations.validation  # noqa: F401  (the slow import this process exists for)
    from expectations.runner import run_suite

    while True:
        try:
            arguments = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = (True, run_suite(*arguments))
        except Exception as error:  # every failure goes back to the requesting run
            reply = (False, error)
        try:
            payload = pickle.dumps(reply)
        except Exception as error:
            # What cannot be pickled still reaches the run, by its text.
            failure = reply[1] if not reply[0] else error
            payload = pickle.dumps(
                (False, SuiteWorkerError(f"{type(failure).__name__}: {failure}"))
            )
        replies.write(payload)
        replies.flush()


class SuiteWorker:
    """One child process that validates suites, one at a time, for the process that made it.

    A plain subprocess speaking pickle over its stdin and stdout, rather than multiprocessing:
    multiprocessing's spawn starts a resource tracker, which printed warnings about semaphores
    that Dagster's and dbt's libraries left to it.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.lib.suite_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._lock = threading.Lock()

    def run_suite(self, suite: str, run: SuiteRun, check_name: str, asset: str) -> SuiteOutcome:
        """Run the suite in the worker and return its outcome, or raise what it raised."""
        with self._lock:
            try:
                pickle.dump((suite, run, check_name, asset), self._process.stdin)
                self._process.stdin.flush()
                succeeded, value = pickle.load(self._process.stdout)
            except (EOFError, OSError, ValueError) as error:
                raise SuiteWorkerError(
                    f"the data-quality worker stopped (exit code {self._process.poll()}); "
                    "its error, if any, is printed above"
                ) from error
        if not succeeded:
            raise value
        return value

    def close(self) -> None:
        """Stop the worker at once, because an idle or still-importing worker has nothing to finish."""
        self._process.kill()
        self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            stream.close()


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


def main() -> None:
    """Serve suites on stdin and stdout, with what the libraries print sent to stderr."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Ctrl-C reaches the whole process group; the run reports it, once.
    with contextlib.suppress(KeyboardInterrupt):
        _serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
