"""Benchmark the whole `clearance run` on generated DOJ files of 1,000 and N rows.

For each size it prints wall time, peak memory (summed over the command's process tree), rows per
second and the time DuckDB alone takes to parse the same file. From the two sizes it derives the
fixed overhead and the marginal cost per million rows. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from clearance.synthetic.simple_writer import write_doj_file

WORK_DIR = Path(__file__).resolve().parent / "work"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measurement:
    rows: int
    file_bytes: int
    wall_seconds: float
    peak_memory_mb: float
    rows_per_second: float
    parse_only_seconds: float
    stage_seconds: dict[str, float]


def _tree_rss_bytes(root_pid: int) -> int:
    """Sum the resident memory of root_pid and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE_BYTES
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


# Progress lines of `clearance run` on stderr, as "[  12.3s] loading 1 doj file ...", and the
# stage each one starts.
_PROGRESS_LINE = re.compile(r"^\[\s*([0-9.]+)s\] (.*)$")
_STAGE_STARTS = (
    ("preparing the pipeline", "start-up"),
    ("loading ", "load"),
    ("building models", "dbt"),
    ("writing exports", "exports"),
    ("done", "exit"),
)


def stage_seconds(stderr: str) -> dict[str, float]:
    """Return the seconds between the progress lines that start each stage of a run.

    The load stage includes registering the run and its subject keys. The caller adds "exit",
    the time from the last progress line to the end of the process.
    """
    starts: list[tuple[str, float]] = []
    for line in stderr.splitlines():
        match = _PROGRESS_LINE.match(line)
        if match is None:
            continue
        for prefix, stage in _STAGE_STARTS:
            if match.group(2).startswith(prefix) and stage not in dict(starts):
                starts.append((stage, float(match.group(1))))
    return {
        stage: round(next_start - start, 2)
        for (stage, start), (_, next_start) in zip(starts, starts[1:], strict=False)
    }


def _run_with_peak_memory(
    command: list[str], env: dict[str, str]
) -> tuple[float, int, dict[str, float]]:
    """Run command; return its wall time, the peak summed RSS of its process tree and stages."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    text = stderr.decode(errors="replace")
    if process.returncode != 0:
        sys.stderr.write(text)
        raise SystemExit(f"clearance run failed with exit code {process.returncode}")
    return elapsed, peak, stage_seconds(text)


def _parse_only_seconds(path: Path) -> float:
    """Time DuckDB's own CSV reader parsing every field of the file, as a floor for loading.

    `max(columns(*))` reads all 95 columns; a plain count(*) would let DuckDB skip the fields.
    """
    started = time.perf_counter()
    with duckdb.connect() as con:
        con.execute(
            f"select max(columns(*)) from read_csv('{path}', all_varchar=true, header=true)"
        ).fetchall()
    return time.perf_counter() - started


def measure(rows: int, county: str) -> Measurement:
    """Run clearance on a fresh warehouse file of a fixed path, as a county's monthly rerun does.

    The path stays the same across sizes so that dbt's parse of the project, kept beside the
    warehouse, is reused after the warm-up run, as it is on every rerun in a real installation.
    """
    run_dir = WORK_DIR / f"rows_{rows}"
    doj_file = run_dir / "doj.csv"
    if not doj_file.exists():
        write_doj_file(doj_file, rows, county=county, seed=rows)
    warehouse = WORK_DIR / "warehouse.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ, CLEARANCE_WAREHOUSE=str(warehouse), CLEARANCE_SUBJECT_KEY="bench")
    command = [
        str(Path(sys.executable).parent / "clearance"),
        "run",
        "--doj",
        str(doj_file),
        "--county",
        county,
        "--policy",
        "configurable",
        "--compute-at",
        "2026-07-01",
        "--out",
        str(run_dir / "out"),
    ]
    wall, peak, stages = _run_with_peak_memory(command, env)
    stages["exit"] = round(wall - sum(stages.values()), 2)
    return Measurement(
        rows=rows,
        file_bytes=doj_file.stat().st_size,
        wall_seconds=round(wall, 2),
        peak_memory_mb=round(peak / 2**20, 1),
        rows_per_second=round(rows / wall),
        parse_only_seconds=round(_parse_only_seconds(doj_file), 2),
        stage_seconds=stages,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the large file")
    parser.add_argument("--county", default="SAN JOAQUIN", help="county of the run")
    args = parser.parse_args(argv)

    cold = measure(1_000, args.county)
    print(f"cold start (first run, dbt parses the project): {cold.wall_seconds:.2f} s")
    small, large = measure(1_000, args.county), measure(args.rows, args.county)
    marginal = (large.wall_seconds - small.wall_seconds) / (large.rows - small.rows) * 1e6
    fixed = small.wall_seconds - marginal * small.rows / 1e6
    parse_per_million = large.parse_only_seconds / large.rows * 1e6

    print(f"{'rows':>10} {'MB':>8} {'wall s':>8} {'peak MB':>8} {'rows/s':>10} {'parse s':>8}")
    for m in (small, large):
        print(
            f"{m.rows:>10,} {m.file_bytes / 2**20:>8.0f} {m.wall_seconds:>8.2f} "
            f"{m.peak_memory_mb:>8.0f} {m.rows_per_second:>10,} {m.parse_only_seconds:>8.2f}"
        )
    for m in (small, large):
        stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in m.stage_seconds.items())
        print(f"{m.rows:>10,} rows, seconds per stage: {stages}")
    print(f"fixed overhead (imports, dbt start-up, Dagster): {fixed:.2f} s")
    print(f"marginal cost per million rows: {marginal:.2f} s")
    print(f"DuckDB parse-only per million rows: {parse_per_million:.2f} s")
    print(f"marginal / parse-only: {marginal / parse_per_million:.1f}x")
    results = {
        "measurements": [asdict(small), asdict(large)],
        "fixed_overhead_seconds": round(fixed, 2),
        "marginal_seconds_per_million_rows": round(marginal, 2),
        "parse_only_seconds_per_million_rows": round(parse_per_million, 2),
    }
    (WORK_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
