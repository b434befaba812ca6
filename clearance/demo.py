"""The demo behind `make demo`: run each generated county under its own policy, then a headline.

`clearance generate` writes the counties' DOJ files and manifest.json into the input folder first.
This module then runs `clearance run` once per county of the manifest, under the county's policy
from the manifest, each into its own results folder and warehouse. Last, it prints one headline
per county from the summary.json and answer-key-agreement.json that the runs write.

    python -m clearance.demo --input out/demo/input --out out/demo
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from clearance.counties import county_slug
from clearance.publishing.folders import LATEST, county_folder
from clearance.review.answer_key import ANSWER_KEY_NAME, GENERATION_MANIFEST_NAME
from clearance.review.answer_key_agreement import FIGURES_NAME

# Without an answer key to take the compute date from, the demo fixes one, so that its figures
# do not change with the day it runs.
DEFAULT_COMPUTE_DATE = "2026-07-01"


def run_county(county: dict[str, Any], input_dir: Path, out_dir: Path) -> int:
    """Run `clearance run` on one county of the manifest and return its exit status."""
    name = county_slug(county["county"])
    command = [str(Path(sys.executable).parent / "clearance"), "run"]
    for doj_file in county["files"]:
        command += ["--doj", str(input_dir / doj_file["file"])]
    command += [
        "--county",
        county["county"],
        "--policy",
        county["policy"],
        "--out",
        str(out_dir / "results"),
        "--warehouse",
        str(out_dir / "warehouse" / f"{name}.duckdb"),
    ]
    if not (input_dir / ANSWER_KEY_NAME).is_file():
        command += ["--compute-at", DEFAULT_COMPUTE_DATE]
    print(f"\n== {county['county']} under {county['policy']}", flush=True)
    return subprocess.run(command, check=False).returncode


def _read_json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def format_headline(county: dict[str, Any], out_dir: Path) -> str:
    """Return the headline of one county's run: eligible convictions against the target,
    people relieved, agreement with the answer key, and where the outputs are."""
    name = county_slug(county["county"])
    results = county_folder(out_dir / "results", county["county"]) / LATEST
    summary = _read_json(results / "summary.json")
    if summary is None:
        return f"{county['county']}: no summary.json in {results}; the run failed (see above)"

    convictions = summary["convictions"]
    subjects = summary["subjects"]
    target = county["target_eligible_convictions_scaled"]
    lines = [
        f"{county['county']} under {summary['policy']['name']}, "
        f"compute date {summary['compute_date']}",
        f"  Eligible convictions:  {convictions['eligible']:,} of {convictions['total']:,} "
        f"Prop 64 convictions; target {target:,} ({_share(convictions['eligible'], target)} "
        "of it)",
        f"  People relieved:       {subjects['with_some_relief']:,} of "
        f"{subjects['with_prop64_conviction']:,} with a Prop 64 conviction in the county",
    ]
    agreement = _read_json(results / FIGURES_NAME)
    if agreement is None:
        lines.append("  Answer key:            none beside the generated files")
    else:
        policies = ", ".join(
            f"{policy['policy']} {policy['agreed']:,} of {policy['convictions']:,}"
            for policy in agreement["policies"]
        )
        verdict = "100%" if agreement["complete"] else "NOT 100%"
        lines.append(f"  Answer key agreement:  {verdict} ({policies})")
    lines.append(f"  Outputs:               {results}")
    lines.append(f"  Warehouse:             {out_dir / 'warehouse' / name}.duckdb")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input", required=True, type=Path, help="folder that clearance generate wrote"
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="folder for results/ and warehouse/"
    )
    parser.add_argument(
        "--headline-only",
        action="store_true",
        help="print the headline of the last runs without running them again",
    )
    args = parser.parse_args(argv)

    manifest = json.loads((args.input / GENERATION_MANIFEST_NAME).read_text(encoding="utf-8"))
    failed = []
    if not args.headline_only:
        for county in manifest["counties"]:
            if run_county(county, args.input, args.out) != 0:
                failed.append(county["county"])

    scale = manifest["scale"]
    print(
        f"\nDemo: synthetic DOJ files from clearance generate (seed {manifest['seed']}, scale "
        f"{scale}), sized to the published targets times the scale. Every person is invented."
    )
    for county in manifest["counties"]:
        print()
        print(format_headline(county, args.out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
