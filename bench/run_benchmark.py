"""Benchmark the whole `clearance run` on generated DOJ files of 1,000 and N rows.

For each size it prints wall time, peak memory and CPU time (both summed over the command's
process tree), rows per second and the time DuckDB alone takes to parse the same file. From the
two sizes it derives the fixed overhead and the marginal cost per million rows, in wall time and
in CPU time. For the large file it also times three steps that every run repeats for each line,
done by DuckDB alone (bench/floors.py), and prints what the target of 4 times parse-only leaves
after them, and how much CPU time the time targets allow on the machine's cores. Figures only:
nothing here passes or fails.

With --generated-la it measures instead one run of la-pilot-2019 on Los Angeles as
`clearance generate` writes it (seed 1, --scale), generated once into a cached folder. Adding
--with-court runs it twice, without and then with the generated court extract, and prints what
loading the court file, linking it in dbt and writing the motion list add.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from bench.floors import Floors, measure_floors
from clearance.synthetic.simple_writer import write_doj_file

WORK_DIR = Path(__file__).resolve().parent / "work"
# The target for the marginal cost per million rows: at most 4 times DuckDB's parse-only time.
MARGINAL_TARGET_PARSE_MULTIPLE = 4
# The wall-time targets of whole runs, by rows.
TARGET_SECONDS = {1_000_000: 15, 5_000_000: 75}
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measurement:
    rows: int
    file_bytes: int
    wall_seconds: float
    peak_memory_mb: float
    cpu_seconds: float
    rows_per_second: float
    parse_only_seconds: float
    stage_seconds: dict[str, float]


@dataclass(frozen=True)
class CommandMeasurement:
    """Wall time, peak summed RSS, CPU time of the process tree and stages of one command."""

    wall_seconds: float
    peak_bytes: int
    cpu_seconds: float
    stage_seconds: dict[str, float]


def fixed_and_marginal(
    small_rows: int, small_value: float, large_rows: int, large_value: float
) -> tuple[float, float]:
    """Split a cost measured at two sizes into a fixed part and a part per million rows."""
    marginal = (large_value - small_value) / (large_rows - small_rows) * 1e6
    return small_value - marginal * small_rows / 1e6, marginal


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
    ("writing motion lists", "motion lists"),
    ("writing the analyst database", "analyst database"),
    ("writing the run manifest", "manifest"),
    ("writing the dashboard", "dashboard"),
    ("publishing", "publish"),
    ("writing the statewide dashboard", "statewide dashboard"),
    ("comparing with the answer key", "answer key"),
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
        # The court files load right after the DOJ files, as a stage of their own.
        if match.group(2).startswith("loading ") and " court file" in match.group(2):
            starts.append(("court load", float(match.group(1))))
            continue
        for prefix, stage in _STAGE_STARTS:
            if match.group(2).startswith(prefix) and stage not in dict(starts):
                starts.append((stage, float(match.group(1))))
    return {
        stage: round(next_start - start, 2)
        for (stage, start), (_, next_start) in zip(starts, starts[1:], strict=False)
    }


def _children_cpu_seconds() -> float:
    # The totals cover every child of the benchmark, so their difference around a command counts
    # that command alone only while the benchmark waits for no other child, as is the case today.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure_command(command: list[str], env: dict[str, str]) -> CommandMeasurement:
    """Run command and measure it.

    The CPU time is the user and system time of the command and of each descendant that its
    parent waited for. When a process waits for a child, the kernel adds the child's time, and
    that of the descendants the child waited for, to the process's children's totals. The run
    waits for its dbt standby and suite worker. It does not wait for the resource tracker that
    the standby starts, a small Python process whose CPU time is missed.
    """
    peak = 0
    cpu_before = _children_cpu_seconds()
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
    cpu = _children_cpu_seconds() - cpu_before
    done.set()
    sampler.join()
    text = stderr.decode(errors="replace")
    if process.returncode != 0:
        sys.stderr.write(text)
        raise SystemExit(f"clearance run failed with exit code {process.returncode}")
    return CommandMeasurement(elapsed, peak, cpu, stage_seconds(text))


def _parse_only_seconds(path: Path, header: bool = True, encoding: str = "utf-8") -> float:
    """Time DuckDB's own CSV reader parsing every field of the file, as a floor for loading.

    `max(columns(*))` reads all 95 columns; a plain count(*) would let DuckDB skip the fields.
    Generated files have malformed lines on purpose, which the reader skips.
    """
    started = time.perf_counter()
    with duckdb.connect() as con:
        con.execute(
            f"select max(columns(*)) from read_csv('{path}', all_varchar=true, "
            f"header={str(header).lower()}, encoding='{encoding}', ignore_errors=true)"
        ).fetchall()
    return time.perf_counter() - started


def simple_doj_file(rows: int, county: str) -> Path:
    """Return the simple writer's file of this many rows, written once into bench/work."""
    doj_file = WORK_DIR / f"rows_{rows}" / "doj.csv"
    if not doj_file.exists():
        write_doj_file(doj_file, rows, county=county, seed=rows)
    return doj_file


def measure(rows: int, county: str) -> Measurement:
    """Run clearance on a fresh warehouse file of a fixed path, as a county's monthly rerun does.

    The path stays the same across sizes so that dbt's parse of the project, kept beside the
    warehouse, is reused after the warm-up run, as it is on every rerun in a real installation.
    """
    doj_file = simple_doj_file(rows, county)
    measured = _run_clearance(doj_file, county, "configurable", doj_file.parent / "out")
    return _measurement(rows, doj_file, measured, _parse_only_seconds(doj_file))


def _measurement(
    rows: int, doj_file: Path, measured: CommandMeasurement, parse_only_seconds: float
) -> Measurement:
    return Measurement(
        rows=rows,
        file_bytes=doj_file.stat().st_size,
        wall_seconds=round(measured.wall_seconds, 2),
        peak_memory_mb=round(measured.peak_bytes / 2**20, 1),
        cpu_seconds=round(measured.cpu_seconds, 2),
        rows_per_second=round(rows / measured.wall_seconds),
        parse_only_seconds=round(parse_only_seconds, 2),
        stage_seconds=measured.stage_seconds,
    )


def generated_los_angeles(scale: float) -> tuple[Path, dict]:
    """Return the Los Angeles file of `clearance generate` at scale and its manifest entry.

    Generated once per scale into bench/work and kept, because the generator's own time is not
    part of the run being measured (`make bench-generator` times it).
    """
    from clearance.synthetic.generator import MANIFEST_NAME, generate

    folder = WORK_DIR / f"generated_la_scale_{scale:g}"
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        generate(["LOS ANGELES"], 1, folder, scale=scale, files=1)
    (county,) = json.loads(manifest_path.read_text(encoding="utf-8"))["counties"]
    return folder / county["files"][0]["file"], county


def measure_generated_la(
    scale: float, with_court: bool = False, doj_file: Path | None = None
) -> Measurement:
    """Run la-pilot-2019 on generated Los Angeles, as measure() runs its files.

    With with_court, the run also loads the generated court extract with its mapping file.
    doj_file replaces the generated DOJ file (a copy with its case numbers blanked).
    """
    generated_file, county = generated_los_angeles(scale)
    doj_file = doj_file or generated_file
    court = None
    if with_court:
        court = (
            generated_file.parent / county["court"]["file"],
            generated_file.parent / county["court"]["mapping_file"],
        )
    measured = _run_clearance(
        doj_file, "LOS ANGELES", "la-pilot-2019", generated_file.parent / "out", court
    )
    (file_entry,) = county["files"]
    parse_only = _parse_only_seconds(doj_file, file_entry["header"], file_entry["encoding"])
    return _measurement(county["rows"], doj_file, measured, parse_only)


def _run_clearance(
    doj_file: Path,
    county: str,
    policy: str,
    out_dir: Path,
    court: tuple[Path, Path] | None = None,
) -> CommandMeasurement:
    """Run clearance into the benchmark's warehouse path and measure it.

    --no-answer-key keeps a generated file's answer key out of the timing, so that every
    measurement covers the same stages.
    """
    warehouse = WORK_DIR / "warehouse.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    # Every run adds a run folder, whose exports take about 1.2 GB per million rows, so the
    # folders of earlier benchmark runs would otherwise fill the disk.
    shutil.rmtree(out_dir, ignore_errors=True)
    env = dict(os.environ, CLEARANCE_WAREHOUSE=str(warehouse), CLEARANCE_SUBJECT_KEY="bench")
    command = [
        str(Path(sys.executable).parent / "clearance"),
        "run",
        "--doj",
        str(doj_file),
        "--county",
        county,
        "--policy",
        policy,
        "--compute-at",
        "2026-07-01",
        "--no-answer-key",
        "--out",
        str(out_dir),
    ]
    if court is not None:
        command += ["--court", str(court[0]), "--court-mapping", str(court[1])]
    measured = _measure_command(command, env)
    exit_seconds = round(measured.wall_seconds - sum(measured.stage_seconds.values()), 2)
    return dataclasses.replace(
        measured, stage_seconds={**measured.stage_seconds, "exit": exit_seconds}
    )


def _print_measurements(measurements: list[Measurement]) -> None:
    print(
        f"{'rows':>10} {'MB':>8} {'wall s':>8} {'peak MB':>8} {'CPU s':>8} {'cores':>6} "
        f"{'rows/s':>10} {'parse s':>8}"
    )
    for m in measurements:
        print(
            f"{m.rows:>10,} {m.file_bytes / 2**20:>8.0f} {m.wall_seconds:>8.2f} "
            f"{m.peak_memory_mb:>8.0f} {m.cpu_seconds:>8.2f} "
            f"{m.cpu_seconds / m.wall_seconds:>6.2f} {m.rows_per_second:>10,} "
            f"{m.parse_only_seconds:>8.2f}"
        )
    for m in measurements:
        stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in m.stage_seconds.items())
        print(f"{m.rows:>10,} rows, seconds per stage: {stages}")


def main_generated_la(scale: float, county: str) -> None:
    """Print the figures of one la-pilot-2019 run on generated Los Angeles, after a warm-up."""
    cold = measure(1_000, county)
    print(f"warm-up (1,000 simple-writer rows, dbt parses the project): {cold.wall_seconds:.2f} s")
    large = measure_generated_la(scale)
    print(f"Los Angeles from clearance generate, seed 1, scale {scale:g}, la-pilot-2019:")
    _print_measurements([large])
    parse_per_million = large.parse_only_seconds / large.rows * 1e6
    print(f"DuckDB parse-only per million rows: {parse_per_million:.2f} s")
    results = {"generated_los_angeles": asdict(large), "scale": scale}
    (WORK_DIR / "results_generated_la.json").write_text(json.dumps(results, indent=2) + "\n")


def main_generated_la_with_court(scale: float, county: str) -> None:
    """Print la-pilot-2019 runs on generated Los Angeles without and with its court file.

    The difference per stage is the cost of the court: its load, the linking models in dbt,
    and the motion list. A third run blanks the DOJ file's case numbers, so that every court
    link comes from the person model; both court runs report precision and recall against the
    generator's link key.
    """
    from clearance.review.court_link_key import LINK_KEY_NAME, blank_case_numbers, link_quality

    cold = measure(1_000, county)
    print(f"warm-up (1,000 simple-writer rows, dbt parses the project): {cold.wall_seconds:.2f} s")
    doj_file, county_entry = generated_los_angeles(scale)
    link_key = doj_file.parent / LINK_KEY_NAME
    warehouse = WORK_DIR / "warehouse.duckdb"
    without_court = measure_generated_la(scale)
    with_court = measure_generated_la(scale, with_court=True)
    quality = {"case numbers": link_quality(warehouse, link_key)}
    blanked = doj_file.with_name(f"{doj_file.stem}_no_case_numbers.csv")
    if not blanked.is_file():
        blank_case_numbers(doj_file, blanked)
    without_case_numbers = measure_generated_la(scale, with_court=True, doj_file=blanked)
    quality["no case numbers"] = link_quality(warehouse, link_key)

    court_rows = county_entry["court"]["rows"]
    print(
        f"Los Angeles from clearance generate, seed 1, scale {scale:g}, la-pilot-2019, "
        f"without and with its court file ({court_rows:,} rows), then with the court file "
        "and no DOJ case numbers:"
    )
    _print_measurements([without_court, with_court, without_case_numbers])
    stages = sorted(set(without_court.stage_seconds) | set(with_court.stage_seconds))
    added = {
        stage: round(
            with_court.stage_seconds.get(stage, 0.0) - without_court.stage_seconds.get(stage, 0.0),
            2,
        )
        for stage in stages
    }
    print(
        "seconds the court adds per stage: " + ", ".join(f"{k} {v:+.2f}" for k, v in added.items())
    )
    print(
        f"seconds the court adds in all: {with_court.wall_seconds - without_court.wall_seconds:+.2f}"
    )
    for label, measured in quality.items():
        print(
            f"court links, {label}: {measured.correct_links:,} of {measured.predicted_links:,} "
            f"links right (precision {measured.precision:.4f}), {measured.correct_links:,} of "
            f"{measured.true_links:,} true links found (recall {measured.recall:.4f})"
        )
    results = {
        "scale": scale,
        "court_rows": court_rows,
        "without_court": asdict(without_court),
        "with_court": asdict(with_court),
        "with_court_no_case_numbers": asdict(without_case_numbers),
        "seconds_added_per_stage": added,
        "link_quality": {
            label: dict(asdict(measured), precision=measured.precision, recall=measured.recall)
            for label, measured in quality.items()
        },
    }
    (WORK_DIR / "results_generated_la_court.json").write_text(json.dumps(results, indent=2) + "\n")


def _print_floors(floors: Floors, parse_per_million: float, marginal: float) -> dict[str, float]:
    """Print the floors per million rows and what the marginal target leaves after them."""
    per_million = {
        "store": floors.store_seconds / floors.lines * 1e6,
        "copy": floors.copy_seconds / floors.lines * 1e6,
        "split": floors.split_seconds / floors.lines * 1e6,
        "total": floors.total_seconds / floors.lines * 1e6,
    }
    target = MARGINAL_TARGET_PARSE_MULTIPLE * parse_per_million
    print(
        "DuckDB floors per million rows, best of two (bench/floors.py): "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in per_million.items())
        + f" ({per_million['total'] / parse_per_million:.1f}x parse-only)"
    )
    print(
        f"the {MARGINAL_TARGET_PARSE_MULTIPLE}x parse-only target ({target:.2f} s) leaves "
        f"{target - per_million['total']:.2f} s per million rows after the floors, "
        f"and the marginal cost beyond the floors is {marginal - per_million['total']:.2f} s"
    )
    return {name: round(seconds, 2) for name, seconds in per_million.items()}


def _print_cpu_budget(
    small: Measurement, large: Measurement, parse_per_million: float, floors: Floors
) -> dict[str, float]:
    """Print the runs' CPU time against the maximum CPU time that the time targets allow.

    A run of W seconds on N cores can use at most N * W CPU seconds, so a run that needs more
    CPU time than that cannot meet its target by running its steps side by side.
    """
    cores = len(os.sched_getaffinity(0))
    fixed, marginal = fixed_and_marginal(
        small.rows, small.cpu_seconds, large.rows, large.cpu_seconds
    )
    floors_per_million = floors.cpu_seconds / floors.lines * 1e6
    print(f"CPU time: fixed {fixed:.2f} s, marginal {marginal:.2f} s per million rows")
    print(f"CPU time of the DuckDB floors alone: {floors_per_million:.2f} s per million rows")
    allowed = cores * MARGINAL_TARGET_PARSE_MULTIPLE * parse_per_million
    print(
        f"on {cores} cores, the {MARGINAL_TARGET_PARSE_MULTIPLE}x parse-only target allows at "
        f"most {allowed:.2f} CPU seconds per million rows, {allowed - floors_per_million:.2f} "
        f"after the floors, and the run's marginal CPU time beyond the floors is "
        f"{marginal - floors_per_million:.2f} s"
    )
    target = TARGET_SECONDS.get(large.rows)
    if target is not None:
        print(
            f"on {cores} cores, the {target} s target for {large.rows:,} rows allows at most "
            f"{cores * target} CPU seconds, and the run used {large.cpu_seconds:.1f}, "
            f"{fixed:.1f} of them in the fixed part"
        )
    return {
        "cores": cores,
        "fixed": round(fixed, 2),
        "marginal_per_million_rows": round(marginal, 2),
        "floors_per_million_rows": round(floors_per_million, 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the large file")
    parser.add_argument("--county", default="SAN JOAQUIN", help="county of the run")
    parser.add_argument(
        "--generated-la",
        action="store_true",
        help="measure la-pilot-2019 on Los Angeles from clearance generate instead",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="with --generated-la: share of the real size"
    )
    parser.add_argument(
        "--with-court",
        action="store_true",
        help="with --generated-la: run without and with the generated court file, and compare",
    )
    args = parser.parse_args(argv)
    if args.with_court and not args.generated_la:
        parser.error("--with-court needs --generated-la")
    if args.generated_la and args.with_court:
        main_generated_la_with_court(args.scale, args.county)
        return
    if args.generated_la:
        main_generated_la(args.scale, args.county)
        return

    # Before any run, so that no run's files are still being written out to disk meanwhile.
    floors = measure_floors(simple_doj_file(args.rows, args.county), WORK_DIR)
    cold = measure(1_000, args.county)
    print(f"cold start (first run, dbt parses the project): {cold.wall_seconds:.2f} s")
    small, large = measure(1_000, args.county), measure(args.rows, args.county)
    fixed, marginal = fixed_and_marginal(
        small.rows, small.wall_seconds, large.rows, large.wall_seconds
    )
    parse_per_million = large.parse_only_seconds / large.rows * 1e6

    _print_measurements([small, large])
    print(f"fixed overhead (imports, dbt start-up, Dagster): {fixed:.2f} s")
    print(f"marginal cost per million rows: {marginal:.2f} s")
    print(f"DuckDB parse-only per million rows: {parse_per_million:.2f} s")
    print(f"marginal / parse-only: {marginal / parse_per_million:.1f}x")
    floor_seconds = _print_floors(floors, parse_per_million, marginal)
    cpu = _print_cpu_budget(small, large, parse_per_million, floors)
    results = {
        "measurements": [asdict(small), asdict(large)],
        "fixed_overhead_seconds": round(fixed, 2),
        "marginal_seconds_per_million_rows": round(marginal, 2),
        "parse_only_seconds_per_million_rows": round(parse_per_million, 2),
        "floor_seconds_per_million_rows": floor_seconds,
        "cpu": cpu,
    }
    (WORK_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
