"""Time `clearance generate` and print DOJ rows written per second.

A figure to record, not a test: run `make bench-generator`, or this module with --scale and
--county to time another size. Files go to bench/work/generator and are removed at the end.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from clearance.synthetic.generator import generate

WORK_DIR = Path(__file__).resolve().parent / "work" / "generator"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", action="append", help="county to generate; repeatable")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the real size")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--files", type=int, default=1, help="files per county")
    args = parser.parse_args(argv)
    counties = args.county or ["LOS ANGELES"]

    shutil.rmtree(WORK_DIR, ignore_errors=True)
    started = time.perf_counter()
    manifest = generate(counties, args.seed, WORK_DIR, scale=args.scale, files=args.files)
    elapsed = time.perf_counter() - started

    rows = sum(county["rows"] for county in manifest["counties"])
    size = sum(f["bytes"] for county in manifest["counties"] for f in county["files"])
    print(f"counties: {', '.join(counties)}; scale {args.scale}; {args.files} file(s) each")
    print(f"rows: {rows}; bytes: {size}; seconds: {elapsed:.2f}")
    print(f"rows per second: {rows / elapsed:,.0f}")
    shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
