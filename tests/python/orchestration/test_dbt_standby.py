"""The dbt standby process and the client script that dagster-dbt runs in place of `dbt`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tiny_dbt_project import write_tiny_dbt_project

from orchestration.lib.dbt_standby import INSTALLED_DBT, active_dbt_standby, dbt_standby

PROJECT_DIR = Path(__file__).resolve().parents[3]


def run_dbt(executable: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    # dagster-dbt starts dbt this way: output and errors on one pipe, in the project folder.
    return subprocess.run(
        [str(executable), *arguments],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def test_standby_runs_the_first_command() -> None:
    installed = run_dbt(INSTALLED_DBT, "--version")

    with dbt_standby() as standby:
        assert active_dbt_standby() is standby
        through_standby = run_dbt(standby.executable, "--version")
        # The standby ran the command itself, so it has exited with the command's code.
        assert standby.wait(timeout=30) == 0

    assert active_dbt_standby() is None
    assert through_standby.returncode == 0
    assert through_standby.stdout == installed.stdout


def test_standby_passes_the_exit_code_back() -> None:
    with dbt_standby() as standby:
        failed = run_dbt(standby.executable, "no-such-command")
        assert standby.wait(timeout=30) == 2

    assert failed.returncode == 2
    assert "No such command" in failed.stdout


def test_second_command_runs_installed_dbt() -> None:
    with dbt_standby() as standby:
        first = run_dbt(standby.executable, "--version")
        second = run_dbt(standby.executable, "--version")

    assert first.returncode == 0
    assert second.returncode == 0
    assert second.stdout == first.stdout


def test_client_without_standby_runs_installed_dbt(tmp_path: Path) -> None:
    with dbt_standby() as standby:
        executable = standby.executable.read_text(encoding="utf-8")
    # The standby's folder and socket are gone. Only a copy of its script remains.
    orphan = tmp_path / "dbt"
    orphan.write_text(executable, encoding="utf-8")
    orphan.chmod(0o700)

    result = run_dbt(orphan, "--version")

    assert result.returncode == 0
    assert "Core:" in result.stdout


def test_client_runs_dbt_when_standby_died() -> None:
    with dbt_standby() as standby:
        os.kill(standby.pid, signal.SIGKILL)
        standby.wait(timeout=30)
        result = run_dbt(standby.executable, "--version")

    assert result.returncode == 0
    assert "Core:" in result.stdout


def test_standby_exits_when_run_is_killed() -> None:
    # A run that dies without cleaning up, as under SIGKILL: it prints the standby's id and
    # leaves at once.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from orchestration.lib.dbt_standby import DbtStandby\n"
            "import tempfile, pathlib\n"
            "standby = DbtStandby(pathlib.Path(tempfile.mkdtemp()))\n"
            "print(standby.pid, flush=True)\n"
            "os._exit(0)\n",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    standby_pid = int(run.stdout)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and is_running(standby_pid):
        time.sleep(0.2)
    assert not is_running(standby_pid)


def is_running(pid: int) -> bool:
    """Return whether the process exists and has not exited (a zombie waits only for init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_standby_uses_client_folder_and_environment(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write_tiny_dbt_project(project)
    profiles = tmp_path / "elsewhere"

    with dbt_standby() as standby:
        result = subprocess.run(
            [str(standby.executable), "debug", "--config-dir"],
            cwd=project,
            env=dict(os.environ, DBT_PROFILES_DIR=str(profiles)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
        )
        assert standby.wait(timeout=30) == 0

    assert result.returncode == 0, result.stdout
    # dbt names the profiles folder it was given in the client's environment.
    assert result.stdout.rstrip().endswith(str(profiles))


def test_ctrl_c_stops_standby_command(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write_tiny_dbt_project(project)
    # A query that runs for minutes, so that the interrupt lands while dbt is busy.
    endless = "select count(*) from range(100000000000) as t(i) where i % 7 = 3"

    with dbt_standby() as standby:
        command = subprocess.Popen(
            [str(standby.executable), "show", "--inline", endless],
            cwd=project,
            # make test points DBT_PROFILES_DIR at the clearance project.
            env=dict(os.environ, DBT_PROFILES_DIR=str(project)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert command.stdout is not None
        output = []
        for line in command.stdout:
            output.append(line)
            if "Found " in line:
                break
        time.sleep(1)
        command.send_signal(signal.SIGINT)
        rest, _ = command.communicate(timeout=120)
        standby_code = standby.wait(timeout=30)

    output.append(rest)
    # dbt exits with code 2 on Ctrl-C. The traceback shows that the interrupt reached dbt in the
    # standby, so it did not only end the client.
    assert command.returncode == 2
    assert standby_code == 2
    assert "KeyboardInterrupt" in "".join(output)
