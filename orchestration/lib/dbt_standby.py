"""A dbt process started with the run, which imports dbt and then waits for the build.

Importing dbt-core and its DuckDB adapter took about 1.3 s before every dbt command (2 cores,
`python -X importtime`). dagster-dbt starts dbt as a subprocess of its own, so the run starts
this process beside the suite worker instead, where the import overlaps Dagster's start-up and
the load. dagster-dbt then runs a small client script in place of `dbt`
(orchestration/lib/dbt_standby_client.py). The client hands this process its arguments,
environment, working folder and standard streams, and exits with its exit code.

The standby serves one command, the run's build, and exits. A client that finds no standby,
or a standby that closes without taking the command, runs the installed dbt itself, so a
standby that failed costs the import and nothing else. The project's parse, when the project
changed, runs the installed dbt directly (orchestration/defs/dbt_project.py). Told the build's
folders, the standby also reads the project's parse while it waits, and the build uses it when
nothing changed meanwhile (orchestration/lib/dbt_preload.py).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import select
import shlex
import socket
import stat
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from orchestration.lib.dbt_preload import EarlyParse, ProjectFolders

CLIENT_SCRIPT = Path(__file__).with_name("dbt_standby_client.py")
INSTALLED_DBT = Path(sys.executable).parent / "dbt"

logger = logging.getLogger(__name__)

_active: DbtStandby | None = None


class DbtStandby:
    """The standby process of one run and the `dbt` script that hands a command to it."""

    def __init__(self, folder: Path, folders: ProjectFolders | None = None) -> None:
        self.socket_path = folder / "dbt.sock"
        self.executable = folder / "dbt"
        # The client needs only the standard library, so Python starts it isolated (-I) and
        # without site packages (-S), in a few milliseconds.
        self.executable.write_text(
            "#!/bin/sh\n"
            f"exec {shlex.quote(sys.executable)} -I -S {shlex.quote(str(CLIENT_SCRIPT))} "
            f'{shlex.quote(str(self.socket_path))} {shlex.quote(str(INSTALLED_DBT))} "$@"\n',
            encoding="utf-8",
        )
        self.executable.chmod(stat.S_IRWXU)

        # The socket listens before the standby starts, so a client that comes early waits
        # for the import instead of missing the standby. Only the standby keeps it open: when
        # the standby exits, a client's connection is refused and it runs dbt itself.
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # The standby exits when this pipe closes, which also happens when the run is killed,
        # so a killed run leaves no standby behind.
        parent_alive, self._parent_alive = os.pipe()

        try:
            listener.bind(str(self.socket_path))
            listener.listen(1)
            # Its own session, so a Ctrl-C reaches the standby only through the client, as it
            # reaches a dbt that dagster-dbt starts itself. Its standard output is discarded
            # until a command hands it the client's streams.
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "orchestration.lib.dbt_standby",
                    str(listener.fileno()),
                    str(parent_alive),
                    *([] if folders is None else map(str, dataclasses.astuple(folders))),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=[listener.fileno(), parent_alive],
                start_new_session=True,
            )
        except BaseException:
            os.close(self._parent_alive)
            raise
        finally:
            listener.close()
            os.close(parent_alive)

    @property
    def pid(self) -> int:
        """The standby's process id."""
        return self._process.pid

    def wait(self, timeout: float) -> int:
        """Wait until the standby has served its command and return its exit code."""
        return self._process.wait(timeout=timeout)

    def close(self) -> None:
        """Stop the standby, idle or still running a command that the run abandoned, and wait.

        A standby that served its command has exited already. One still running dbt gets
        SIGTERM first, so that dbt can close the warehouse, and SIGKILL after 10 s.
        """
        os.close(self._parent_alive)
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process.wait(timeout=30)


@contextmanager
def dbt_standby(folders: ProjectFolders | None = None) -> Iterator[DbtStandby | None]:
    """Start a standby for the dbt build of the job run inside this block, or None on failure.

    With the build's folders, the standby reads the project's parse ahead of the build.
    """
    global _active
    # The folder contains the socket, which accepts a command to run against the warehouse,
    # so it is private to the user (mkdtemp creates it with mode 0700).
    with tempfile.TemporaryDirectory(prefix="clearance-dbt-") as folder:
        try:
            standby = DbtStandby(Path(folder), folders)
        except OSError as error:
            # A socket path too long for AF_UNIX (a long TMPDIR), for one: dbt starts cold.
            logger.warning("dbt standby not started (%s); dbt starts on its own", error)
            yield None
            return
        _active = standby
        try:
            yield standby
        finally:
            _active = None
            standby.close()


def active_dbt_standby() -> DbtStandby | None:
    """Return the standby of the job running in this process, if it started one."""
    return _active


def _receive_request(connection: socket.socket) -> tuple[dict, list[int]]:
    """Read one length-prefixed JSON request and the three file descriptors sent with it."""
    data, descriptors, _, _ = socket.recv_fds(connection, 65536, 3)
    if len(data) < 4:
        raise ConnectionError("the dbt client closed the connection before its request")
    (length,) = struct.unpack("!I", data[:4])
    payload = data[4:]
    while len(payload) < length:
        chunk = connection.recv(length - len(payload))
        if not chunk:
            raise ConnectionError("the dbt client closed the connection during its request")
        payload += chunk
    return json.loads(payload), descriptors


def _run_dbt(request: dict, early_parse: Future[EarlyParse | None] | None) -> int:
    from dbt.cli.main import cli

    args, env, cwd = request["args"], request["env"], request["cwd"]
    context = {}
    try:
        parse = early_parse.result() if early_parse is not None else None
    except KeyboardInterrupt:
        # A Ctrl-C while the early parse finishes stops the command, with dbt's exit code.
        print("KeyboardInterrupt", file=sys.stderr)
        return 2
    if parse is not None and parse.fits(args, env, cwd):
        context["obj"] = {"manifest": parse.manifest}
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["dbt", *args]
    try:
        cli.main(args=args, prog_name="dbt", **context)
    except SystemExit as exit_request:
        code = exit_request.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        # As Python does for sys.exit("message"): print it, exit 1.
        print(code, file=sys.stderr)
        return 1
    return 0


def _start_resource_tracker_quietly() -> None:
    """Start multiprocessing's resource tracker with its standard error discarded.

    dbt's adapter makes multiprocessing semaphores, first in the early parse. When the standby
    exits without a command, as when a run fails before its build, the resource tracker that
    they started printed a warning about them into the run's output. Started here, the tracker
    writes to /dev/null instead; it still removes the semaphores.
    """
    from multiprocessing import resource_tracker

    saved = os.dup(2)
    discard = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(discard, 2)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(discard)


def main() -> None:
    """Import dbt, then run the first command that a client sends, as dbt's own script would."""
    listener = socket.socket(fileno=int(sys.argv[1]))
    parent_alive = int(sys.argv[2])
    import dbt.adapters.duckdb  # noqa: F401  (the slow imports this process exists for)
    import dbt.cli.main  # noqa: F401

    early_parse = None
    if len(sys.argv) > 3:
        from orchestration.lib.dbt_preload import ProjectFolders, parse_early_in_background

        _start_resource_tracker_quietly()
        early_parse = parse_early_in_background(
            ProjectFolders(*(Path(folder) for folder in sys.argv[3:6]))
        )

    # The parent never writes to the pipe, so it turns readable only when the parent closes it
    # or dies: then no command will come.
    ready, _, _ = select.select([listener, parent_alive], [], [])
    if parent_alive in ready:
        os._exit(0)
    connection, _ = listener.accept()
    # One command only: a second client's connection is refused, and it runs dbt itself.
    listener.close()
    request, descriptors = _receive_request(connection)
    connection.sendall(f"pid {os.getpid()}\n".encode())
    sys.stdout.flush()
    sys.stderr.flush()
    for target, descriptor in zip((0, 1, 2), descriptors, strict=True):
        os.dup2(descriptor, target)
        os.close(descriptor)
    # dagster-dbt reads dbt's log lines as they come, as it would from an unbuffered dbt.
    sys.stdout.reconfigure(line_buffering=True, write_through=True)
    sys.stderr.reconfigure(line_buffering=True, write_through=True)
    code = _run_dbt(request, early_parse)
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(f"exit {code}\n".encode())
    # Unwinding dbt's modules takes longer than the command's own work on a small run. The
    # warehouse is left without its last checkpoint, which the next writer makes.
    os._exit(code)


if __name__ == "__main__":
    main()
