"""The warehouse file lock: one writer across processes, readers after the writer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clearance.errors import ClearanceError
from clearance.warehouse_lock import (
    acquire_warehouse_lock,
    exclusive_warehouse_lock,
    holds_warehouse_lock,
    lock_path,
    release_warehouse_lock,
    shared_warehouse_lock,
)

# A second process that takes the exclusive lock, holds it for a moment and exits.
OTHER_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from clearance.warehouse_lock import exclusive_warehouse_lock
    with exclusive_warehouse_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def start_other_writer(warehouse: Path, hold_seconds: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", OTHER_WRITER, str(warehouse), str(hold_seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "locked"
    return process


def test_lock_file_sits_beside_warehouse(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "clearance.duckdb") == tmp_path / "clearance.duckdb.lock"


def test_steps_of_one_process_share_the_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    assert acquire_warehouse_lock(warehouse, timeout=1)
    # A later step of the same run takes nothing more.
    assert not acquire_warehouse_lock(warehouse, timeout=1)
    assert holds_warehouse_lock(warehouse)
    release_warehouse_lock(warehouse)
    assert not holds_warehouse_lock(warehouse)
    # Releasing twice is harmless.
    release_warehouse_lock(warehouse)
    assert lock_path(warehouse).stat().st_mode & 0o777 == 0o600


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    other = start_other_writer(warehouse, 1.5)
    waits: list[str] = []
    started = time.monotonic()
    with exclusive_warehouse_lock(warehouse, on_wait=waits.append):
        waited = time.monotonic() - started
    other.wait(timeout=30)
    assert waited >= 1.0
    assert len(waits) == 1
    assert "another run is writing" in waits[0]


def test_writer_gives_up_after_timeout(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    other = start_other_writer(warehouse, 5)
    try:
        with pytest.raises(
            ClearanceError, match="timed out after 1 s waiting for the warehouse lock"
        ):
            acquire_warehouse_lock(warehouse, timeout=1)
        assert not holds_warehouse_lock(warehouse)
    finally:
        other.kill()
        other.wait()


def test_reader_waits_for_writer(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    other = start_other_writer(warehouse, 1.5)
    started = time.monotonic()
    with shared_warehouse_lock(warehouse):
        waited = time.monotonic() - started
    other.wait(timeout=30)
    assert waited >= 1.0


def test_readers_do_not_wait_for_each_other(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    with shared_warehouse_lock(warehouse, timeout=1), shared_warehouse_lock(warehouse, timeout=1):
        pass


def test_writer_reads_under_its_own_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "clearance.duckdb"
    with exclusive_warehouse_lock(warehouse), shared_warehouse_lock(warehouse, timeout=1):
        assert holds_warehouse_lock(warehouse)
