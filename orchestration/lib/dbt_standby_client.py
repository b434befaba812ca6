"""Run one dbt command in the run's standby process (orchestration/lib/dbt_standby.py).

Usage: dbt_standby_client.py SOCKET INSTALLED_DBT [DBT ARGUMENTS ...]

dagster-dbt starts this script in place of `dbt`. It sends the standby its arguments, working
folder, environment and standard streams, forwards SIGINT and SIGTERM to it, and exits with its
exit code. When no standby accepts the command, the script replaces itself with the installed
dbt, so the command runs either way. Only the standard library is imported, because Python
starts this script without site packages.
"""

import contextlib
import json
import os
import signal
import socket
import struct
import sys
from typing import NoReturn


def _run_installed_dbt(installed_dbt: str, arguments: list[str], pending: list[int]) -> NoReturn:
    # A Ctrl-C or SIGTERM that came while the standby was being tried stops the command, as it
    # would have stopped dbt.
    if pending:
        sys.exit(128 + pending[0])
    os.execv(installed_dbt, [installed_dbt, *arguments])


def main() -> int:
    socket_path, installed_dbt, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
    # A signal that arrives before the standby has sent its process id is kept and forwarded
    # once the id is known.
    standby_pid: int | None = None
    pending: list[int] = []

    def forward(signal_number: int, _frame: object) -> None:
        if standby_pid is None:
            pending.append(signal_number)
            return
        # The standby may have just exited, with its exit code on the way.
        with contextlib.suppress(ProcessLookupError):
            os.kill(standby_pid, signal_number)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(socket_path)
    except OSError:
        # The standby has taken its one command already, or is gone.
        _run_installed_dbt(installed_dbt, arguments, pending)

    request = json.dumps({"args": arguments, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    replies = connection.makefile("r", encoding="ascii")
    try:
        # The descriptors travel with the length, and sendall then sends the whole request.
        socket.send_fds(connection, [struct.pack("!I", len(request))], [0, 1, 2])
        connection.sendall(request)
        first = replies.readline().split()
    except OSError:
        first = []
    if len(first) != 2 or first[0] != "pid":
        # The standby closed or died before taking the command, so nothing has run yet.
        sys.stderr.write("dbt standby: no reply from the standby process; running dbt here\n")
        connection.close()
        _run_installed_dbt(installed_dbt, arguments, pending)
    standby_pid = int(first[1])
    for signal_number in pending:
        forward(signal_number, None)

    try:
        last = replies.readline().split()
        # The connection ends when the standby exits, after dbt has released the warehouse.
        replies.read()
    except OSError:
        last = []
    if len(last) == 2 and last[0] == "exit":
        return int(last[1])
    sys.stderr.write(f"dbt standby: process {standby_pid} ended without an exit code\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
