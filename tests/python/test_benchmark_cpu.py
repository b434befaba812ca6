"""The benchmark counts the CPU time of a run's whole process tree and splits it by size."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from bench import run_benchmark
from bench.floors import Floors
from bench.run_benchmark import Measurement, _measure_command, fixed_and_marginal

# A child that burns 0.3 s of its own CPU time, measured by itself, so that a busy machine
# stretches its wall time but not its CPU time.
_BUSY_CHILD = (
    "import time\n"
    "started = time.process_time()\n"
    "while time.process_time() - started < 0.3:\n"
    "    pass\n"
)


def test_waited_grandchild_cpu_counts() -> None:
    # The command itself only waits, as `clearance run` waits for its dbt standby.
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {_BUSY_CHILD!r}])"

    measured = _measure_command([sys.executable, "-c", parent], env={})

    assert measured.cpu_seconds >= 0.3
    assert measured.stage_seconds == {}


def test_benchmark_own_cpu_excluded() -> None:
    def burn() -> None:
        started = time.process_time()
        while time.process_time() - started < 0.3:
            pass

    # While the command sleeps, a thread of this process burns 0.3 s of CPU.
    burner = threading.Thread(target=burn)
    burner.start()
    measured = _measure_command([sys.executable, "-c", "import time; time.sleep(0.5)"], env={})
    burner.join()

    # The command spends only Python's start-up.
    assert measured.cpu_seconds < 0.2


def test_fixed_and_marginal_split() -> None:
    # 1,000 rows in 9.0 s and 1,000,000 rows in 28.98 s: 19.98 s more for 999,000 more rows is
    # 20.0 s per million rows, so 0.02 s of the 1,000-row run is per-row cost.
    fixed, marginal = fixed_and_marginal(1_000, 9.0, 1_000_000, 28.98)

    assert marginal == pytest.approx(20.0)
    assert fixed == pytest.approx(8.98)


def _measurement(rows: int, wall_seconds: float, cpu_seconds: float) -> Measurement:
    return Measurement(
        rows=rows,
        file_bytes=700 * rows,
        wall_seconds=wall_seconds,
        peak_memory_mb=1000.0,
        cpu_seconds=cpu_seconds,
        rows_per_second=round(rows / wall_seconds),
        parse_only_seconds=1.75 * rows / 1e6,
        stage_seconds={},
    )


def test_cpu_budget_1m_targets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(run_benchmark.os, "sched_getaffinity", lambda pid: {0, 1})
    small = _measurement(1_000, 9.0, 14.0)
    large = _measurement(1_000_000, 28.0, 46.967)
    floors = Floors(1_000_000, 0.9, 1.6, 0.7, cpu_seconds=6.0)

    figures = run_benchmark._print_cpu_budget(small, large, 1.75, floors)

    # 32.967 CPU seconds more for 999,000 more rows is 33.0 per million rows, so the fixed part
    # is 14.0 - 0.033. Four times 1.75 s of parse-only on 2 cores is 14.0 CPU seconds
    # per million rows, 8.0 after the floors' 6.0, against 33.0 - 6.0 beyond them. The 15 s
    # target on 2 cores is 30 CPU seconds.
    assert figures == {
        "cores": 2,
        "fixed": 13.97,
        "marginal_per_million_rows": 33.0,
        "floors_per_million_rows": 6.0,
    }
    printed = capsys.readouterr().out
    assert "at most 14.00 CPU seconds per million rows, 8.00 after the floors" in printed
    assert "marginal CPU time beyond the floors is 27.00 s" in printed
    assert (
        "allows at most 30 CPU seconds, and the run used 47.0, 14.0 of them in the fixed part"
        in (printed)
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # 75 s on 2 cores.
        (5_000_000, "the 75 s target for 5,000,000 rows allows at most 150 CPU seconds"),
        # No target is set for this size, so no line names one.
        (2_000_000, None),
    ],
)
def test_cpu_budget_target_per_size(
    rows: int,
    expected: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(run_benchmark.os, "sched_getaffinity", lambda pid: {0, 1})
    floors = Floors(rows, 0.9, 1.6, 0.7, cpu_seconds=6.0)

    run_benchmark._print_cpu_budget(
        _measurement(1_000, 9.0, 14.0), _measurement(rows, 100.0, 200.0), 1.75, floors
    )

    printed = capsys.readouterr().out
    if expected is None:
        assert " target for " not in printed
    else:
        assert expected in printed
