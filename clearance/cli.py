"""The `clearance` command: run a county's DOJ files through the Dagster job and write the exports,
then explain one person's decisions or compare two policies of the last run. `generate` writes
synthetic DOJ files for tests, benchmarks and demos.

Dagster and dagster-dbt take seconds to import, so they are imported only when a run starts;
`clearance --help` and `clearance --version` stay instant.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from clearance import __version__
from clearance.counties import check_county
from clearance.errors import ClearanceError
from clearance.policies.loading import built_in_policy_names
from clearance.settings import warehouse_path
from clearance.warehouse_lock import shared_warehouse_lock

if TYPE_CHECKING:
    from clearance.review.answer_key import AnswerKey

logger = logging.getLogger(__name__)

PROG = "clearance"
DEBUG_ENV = "CLEARANCE_DEBUG"


class _ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one `clearance: error: ...` line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command and its subcommands."""
    parser = _ArgumentParser(
        prog=PROG,
        description=(
            "Prop 64 record clearance: load CA DOJ research files into the restricted DuckDB "
            "warehouse, decide relief for every Prop 64 conviction in a county under its "
            "policy, and write the 2019 statewide tool's CSV exports and summary.json."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = subcommands.add_parser(
        "run",
        help="load DOJ files, decide relief, write the exports",
        description=(
            "Run one county's DOJ files through load, dbt build and export, as one Dagster job "
            "run executed in this process. Give the county policy with exactly one of "
            "--options and --policy."
        ),
    )
    run.add_argument(
        "--doj",
        action="append",
        required=True,
        metavar="FILE",
        help=(
            "a DOJ research file (.dat or .csv, comma-separated, with or without the header "
            "row); repeat for a county whose extract comes in several files, which are read "
            "in the order given"
        ),
    )
    run.add_argument(
        "--court",
        action="append",
        default=[],
        metavar="FILE",
        help=(
            "a superior-court case extract (CSV) to link with the DOJ files; give its "
            "--court-mapping right after it; repeat the pair for several courts"
        ),
    )
    run.add_argument(
        "--court-mapping",
        action="append",
        default=[],
        metavar="FILE",
        help=(
            "the mapping file (YAML) of the --court file before it: column names, date "
            "format, case-number and charge-code patterns (docs/court-extract.md)"
        ),
    )
    run.add_argument(
        "--county",
        required=True,
        metavar="NAME",
        help=(
            'the county whose convictions are decided, as the DOJ file spells it, e.g. "SAN '
            'JOAQUIN" (compared in upper case); convictions elsewhere count only as history'
        ),
    )
    policy = run.add_mutually_exclusive_group(required=True)
    policy.add_argument(
        "--options",
        metavar="FILE",
        help=(
            "a statewide options file (JSON with baselineEligibility and additionalRelief), "
            "read unchanged into the configurable policy"
        ),
    )
    policy.add_argument(
        "--policy",
        metavar="NAME|FILE",
        help=(
            f"a built-in policy name ({', '.join(built_in_policy_names())}) "
            "or the path of a policy YAML file"
        ),
    )
    run.add_argument(
        "--compare-with",
        action="append",
        default=[],
        metavar="NAME|FILE",
        help=(
            "another policy to decide beside the county's, at its default parameters, so that "
            "`clearance compare` can weigh it against the county's; repeat for several. The "
            "two dismiss-all hypotheticals are always decided"
        ),
    )
    run.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=(
            "set one parameter of the county policy (of --policy, or of the configurable "
            "policy behind --options), read as the type the policy declares, e.g. "
            "effective_date_check=false; repeat for several; default: the policy's own values"
        ),
    )
    run.add_argument(
        "--compute-at",
        metavar="YYYY-MM-DD",
        type=_iso_date,
        default=None,
        help=(
            "the compute date: ages, years since a conviction and sentence ends are measured "
            "on this day; recorded with the run; default: the answer key's compute date when "
            "the run has a key, else today"
        ),
    )
    answer_key = run.add_mutually_exclusive_group()
    answer_key.add_argument(
        "--answer-key",
        metavar="FILE",
        help=(
            "the answer key of generated DOJ files (answer-key.csv): after the run, compare "
            "every determination with it and write answer-key-agreement.txt to --out. "
            "Default: answer-key.csv when it sits beside a DOJ file and the generator's "
            "manifest.json. The run takes the key's compute date; a different --compute-at "
            "is rejected"
        ),
    )
    answer_key.add_argument(
        "--no-answer-key",
        action="store_true",
        help="do not look for an answer key beside the DOJ files",
    )
    run.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=(
            "publish root: the run writes All_Results.csv, All_Results_Condensed.csv, "
            "Prop64_Results.csv, summary.json, analyst.duckdb and run-manifest.json into a new "
            "folder DIR/<county>/<UTC time>-<run id>/ and then points DIR/<county>/latest at "
            "it; with --court also each court's motion list (motion_list_<court>.csv and .pdf), "
            "Court_Only_Hand_Review.csv and Court_Link_Review.csv; folders are created with mode "
            "0700, files with mode 0600"
        ),
    )
    run.add_argument(
        "--warehouse",
        metavar="FILE",
        default=None,
        help=(
            "the restricted DuckDB warehouse file; default: $CLEARANCE_WAREHOUSE, else "
            "warehouse/clearance.duckdb in the project"
        ),
    )
    run.add_argument(
        "--verbose",
        action="store_true",
        help=f"log every step and print a traceback on unexpected errors (also: {DEBUG_ENV}=1)",
    )

    explain = subcommands.add_parser(
        "explain",
        help="print one person's decision trails for every policy of the last run",
        description=(
            "Print one subject's Prop 64 convictions in the county of the last run and, for "
            "every policy of that run, the deciding rule and every rule checked before it with "
            "the facts it looked at. Give the subject's pseudonymous key (column subject_key "
            "of the marts) or the DOJ SUBJECT_ID of a row in the run's files, which is looked "
            "up in the restricted warehouse. Names and identifiers are never printed."
        ),
    )
    subject = explain.add_mutually_exclusive_group(required=True)
    subject.add_argument(
        "--subject",
        metavar="KEY",
        help="the subject's pseudonymous key, from column subject_key of the marts",
    )
    subject.add_argument(
        "--subject-id",
        metavar="SUBJECT_ID",
        help="the subject's DOJ SUBJECT_ID, as in the run's DOJ files and All_Results.csv",
    )
    _add_review_arguments(explain)

    compare = subcommands.add_parser(
        "compare",
        help="compare two policies of the last run",
        description=(
            "Compare two policies of the last run: every impact measure side by side, how many "
            "Prop 64 convictions change and which rules decide the change, and the rule that "
            "withholds relief from the most people under each policy."
        ),
    )
    compare.add_argument(
        "--policy",
        action="append",
        required=True,
        metavar="NAME",
        help=(
            "a policy of the last run: the county's, a dismiss-all hypothetical, or one given "
            "to `clearance run --compare-with`; give exactly two"
        ),
    )
    _add_review_arguments(compare)
    _add_generate_parser(subcommands)
    return parser


def _add_generate_parser(subcommands: argparse._SubParsersAction) -> None:
    generate = subcommands.add_parser(
        "generate",
        help="write synthetic DOJ files, court extracts and their keys, with a manifest",
        description=(
            "Write synthetic DOJ research files for one or more counties: whole criminal "
            "histories of invented people, each with a Prop 64 conviction in the county, and "
            "every quirk of the real files at the rate the calibration table "
            "(clearance/synthetic/generator/calibration.yaml) sets. Also each county's court "
            "extract with its mapping file, answer-key.csv (what each built-in policy should "
            "decide for every Prop 64 conviction), court-link-key.csv (which court charge "
            "records which DOJ conviction), and manifest.json (files, row counts, scaled "
            "targets, quirk rates). DIR must be empty or new."
        ),
    )
    generate.add_argument(
        "--county",
        action="append",
        required=True,
        metavar="NAME",
        help='a calibrated county: "LOS ANGELES" or "SAN FRANCISCO"; repeat for both',
    )
    generate.add_argument(
        "--seed", type=int, required=True, help="seed; the same seed gives the same bytes"
    )
    generate.add_argument(
        "--out", required=True, metavar="DIR", help="folder for the files and manifest.json"
    )
    generate.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        metavar="FRACTION",
        help="share of the county's real size to generate, e.g. 0.01 for tests (default 1)",
    )
    generate.add_argument(
        "--files",
        type=_positive_int,
        default=1,
        metavar="N",
        help="number of files per county; the rows are split in order (default 1)",
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: must be at least 1")
    return value


def _add_review_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        metavar="FILE",
        default=None,
        help=(
            "the warehouse the last run wrote, opened read-only; default: "
            "$CLEARANCE_WAREHOUSE, else warehouse/clearance.duckdb in the project"
        ),
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: use YYYY-MM-DD") from None


class _ElapsedFormatter(logging.Formatter):
    """Prefix each progress line with the seconds since the run started."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self._started = started

    def format(self, record: logging.LogRecord) -> str:
        elapsed = time.monotonic() - self._started
        return f"[{elapsed:6.1f}s] {record.getMessage()}"


def _configure_logging(verbose: bool, started: float) -> None:
    # main() can run several times in one process (tests); each run replaces its handlers.
    for logger_name in ("clearance.progress", "clearance"):
        for old in list(logging.getLogger(logger_name).handlers):
            if old.get_name() == PROG:
                logging.getLogger(logger_name).removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(PROG)
    handler.setFormatter(_ElapsedFormatter(started))
    progress = logging.getLogger("clearance.progress")
    progress.setLevel(logging.INFO)
    progress.addHandler(handler)
    progress.propagate = False
    if verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    else:
        # The project's warnings, such as quarantined lines, still reach the user, one line
        # each. Dagster's and dbt's own log lines show only with --verbose.
        warnings = logging.StreamHandler(sys.stderr)
        warnings.set_name(PROG)
        warnings.setFormatter(logging.Formatter(f"{PROG}: warning: %(message)s"))
        warnings.setLevel(logging.WARNING)
        logging.getLogger("clearance").addHandler(warnings)


def _check_input_files(paths: Sequence[str]) -> list[Path]:
    checked: list[Path] = []
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise ClearanceError(f"DOJ file not found: {text}")
        if not path.is_file():
            raise ClearanceError(f"DOJ file is not a regular file: {text}")
        if not os.access(path, os.R_OK):
            raise ClearanceError(f"DOJ file is not readable: {text}")
        checked.append(path.resolve())
    return checked


def _check_court_inputs(
    courts: Sequence[str], mappings: Sequence[str]
) -> tuple[list[Path], list[Path]]:
    """Check that --court and --court-mapping come in pairs, that every mapping is valid and
    that every court file's header has the columns its mapping names.
    """
    from clearance.loading.court_files import check_court_header
    from clearance.loading.court_mapping import read_court_mapping

    if len(courts) != len(mappings):
        raise ClearanceError(
            f"give one --court-mapping for each --court: got {len(courts)} --court and "
            f"{len(mappings)} --court-mapping"
        )
    court_paths: list[Path] = []
    mapping_paths: list[Path] = []
    for court_text, mapping_text in zip(courts, mappings, strict=True):
        court_path = Path(court_text)
        if not court_path.is_file():
            raise ClearanceError(f"court file not found: {court_text}")
        court_path = court_path.resolve()
        mapping = read_court_mapping(Path(mapping_text).resolve())
        check_court_header(court_path, mapping)
        # A mapping written for another court's file usually fails the header check, but two
        # courts with the same column names pass it, so a differing name is worth a warning.
        if mapping.file_name is not None and Path(mapping.file_name).name != court_path.name:
            logger.warning(
                "court file %s is named %s, but its mapping file %s was written for %s; "
                "check that the mapping belongs to this court file",
                court_path,
                court_path.name,
                mapping.path,
                mapping.file_name,
            )
        court_paths.append(court_path)
        mapping_paths.append(mapping.path)
    return court_paths, mapping_paths


def _check_out_dir(text: str) -> Path:
    out_dir = Path(text).resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise ClearanceError(f"--out {text}: exists and is not a folder; give a folder path")
    return out_dir


def run_command(args: argparse.Namespace) -> int:
    """Validate the arguments, run the Dagster job in this process and print the summary."""
    from orchestration.lib.run_request import RunRequest, resolve_other_policies, resolve_policy

    started = time.monotonic()
    _configure_logging(args.verbose, started)

    # Everything the user gave is checked before the warehouse is opened or a folder created.
    county = check_county(args.county)
    policy = resolve_policy(args.options, args.policy, args.param)
    resolve_other_policies(args.compare_with)
    doj_paths = _check_input_files(args.doj)
    publish_root = _check_out_dir(args.out)
    court_paths, court_mapping_paths = _check_court_inputs(args.court, args.court_mapping)
    warehouse = Path(args.warehouse).resolve() if args.warehouse else warehouse_path().resolve()
    county = args.county.strip().upper()

    from clearance.runs import new_run_id
    from orchestration.lib.steps import progress

    answer_key = _answer_key_of_run(args, doj_paths, county)
    compute_date = _compute_date_of_run(args.compute_at, answer_key)

    request = RunRequest(
        run_id=new_run_id(),
        county=county,
        doj_paths=tuple(str(path) for path in doj_paths),
        compute_date=compute_date.isoformat(),
        publish_root=str(publish_root),
        started_at=datetime.now(UTC).isoformat(),
        warehouse=str(warehouse),
        options_file=str(Path(args.options).resolve()) if args.options else None,
        policy=args.policy,
        params=tuple(args.param),
        compare_with=tuple(args.compare_with),
        court_paths=tuple(str(path) for path in court_paths),
        court_mapping_paths=tuple(str(path) for path in court_mapping_paths),
    )
    progress.info(
        "run %s: county %s, policy %s, compute date %s",
        request.run_id,
        request.county,
        policy.name,
        request.compute_date,
    )

    # dbt reads the warehouse from CLEARANCE_WAREHOUSE (profiles.yml); the loader and the
    # exports get the same file from the run config.
    os.environ["CLEARANCE_WAREHOUSE"] = str(warehouse)
    progress.info("preparing the pipeline ...")
    from orchestration.lib.execution import execute_run

    out_dir = Path(request.out_dir)
    try:
        execute_run(request, verbose=args.verbose)
    except Exception:
        if not _print_failed_checks(out_dir, request.run_id):
            raise
        print(
            f"{PROG}: error: a blocking data-quality check failed, so no export was written; "
            f"see {out_dir / 'data-quality.html'}",
            file=sys.stderr,
        )
        return 1

    _print_failed_checks(out_dir, request.run_id)
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    agreement = _compare_with_answer_key(answer_key, warehouse, out_dir)
    progress.info("done")
    print(format_summary(summary, out_dir))
    if agreement is not None:
        print(agreement)
    return 0


def _answer_key_of_run(
    args: argparse.Namespace, doj_paths: Sequence[Path], county: str
) -> AnswerKey | None:
    """Return the run's checked answer key: --answer-key, else one found beside the DOJ files."""
    from clearance.review.answer_key import find_answer_key, read_answer_key
    from orchestration.lib.steps import progress

    if args.no_answer_key:
        return None
    if args.answer_key:
        path = Path(args.answer_key).resolve()
    else:
        path = find_answer_key(doj_paths)
        if path is None:
            return None
        progress.info("found answer key %s beside the DOJ files; --no-answer-key ignores it", path)
    return read_answer_key(path, county)


def _compute_date_of_run(compute_at: date | None, answer_key: AnswerKey | None) -> date:
    """Return --compute-at, else the answer key's compute date, else today.

    The key's determinations hold only on its own compute date, so another date is rejected
    before anything is loaded.
    """
    if answer_key is None:
        return compute_at or date.today()
    if compute_at is not None and compute_at != answer_key.compute_date:
        raise ClearanceError(
            f"--compute-at {compute_at.isoformat()} differs from the compute date "
            f"{answer_key.compute_date.isoformat()} of answer key {answer_key.path}; drop "
            "--compute-at to use the key's date, or give --no-answer-key to run without the key"
        )
    return answer_key.compute_date


def _compare_with_answer_key(
    answer_key: AnswerKey | None, warehouse: Path, out_dir: Path
) -> str | None:
    """Write the agreement report of the finished run and return its short form, if it has a key."""
    from clearance.review.answer_key_agreement import (
        compare_run_with_key,
        format_short,
        remove_stale_outputs,
    )
    from orchestration.lib.steps import progress

    if answer_key is None:
        remove_stale_outputs(out_dir)
        return None
    progress.info("comparing with the answer key ...")
    report = compare_run_with_key(warehouse, answer_key, out_dir)
    return format_short(report, out_dir)


def _print_failed_checks(out_dir: Path, run_id: str) -> bool:
    """Print one line per failed data-quality check of the run to stderr.

    Returns whether a check failed with blocking severity. The lines come from the run's
    data-quality.json, which contains aggregates only, never a person's values.
    """
    from expectations.report import failed_check_lines, read_report

    report = read_report(out_dir)
    if report is None or report.get("run_id") != run_id:
        return False
    for severity, line in failed_check_lines(report):
        kind = "error" if severity == "blocking" else "warning"
        print(f"{PROG}: {kind}: {line}", file=sys.stderr)
    return any(
        not check["passed"] and check["severity"] == "blocking"
        for check in report["checks"].values()
    )


def explain_command(args: argparse.Namespace) -> int:
    """Print one subject's decision trails for every policy of the last run.

    The shared warehouse lock makes it wait while a run writes the warehouse.
    """
    from clearance.review.explanations import explain_subject, subject_key_for_id

    warehouse = _review_warehouse(args)
    with shared_warehouse_lock(warehouse):
        if args.subject_id is not None:
            subject_key = subject_key_for_id(warehouse, args.subject_id.strip())
        else:
            subject_key = args.subject.strip()
        text = explain_subject(warehouse, subject_key)
    print(text)
    return 0


def compare_command(args: argparse.Namespace) -> int:
    """Print the comparison of two policies of the last run."""
    from clearance.review.comparisons import compare_policies

    if len(args.policy) != 2:
        raise ClearanceError(
            f"give --policy exactly twice, once for each policy to compare; got {len(args.policy)}"
        )
    warehouse = _review_warehouse(args)
    with shared_warehouse_lock(warehouse):
        text = compare_policies(warehouse, args.policy[0], args.policy[1])
    print(text)
    return 0


def generate_command(args: argparse.Namespace) -> int:
    """Write the synthetic DOJ files and print where they and the manifest are."""
    from clearance.synthetic.generator import MANIFEST_NAME, generate

    counties = [county.strip().upper() for county in args.county]
    out_dir = _check_out_dir(args.out)
    # Files left from another call would sit beside the new manifest and answer key, and a run
    # would then compare them with the wrong key.
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise ClearanceError(
            f"--out {args.out}: the folder is not empty; give a new or empty folder"
        )
    started = time.monotonic()
    manifest = generate(counties, args.seed, out_dir, scale=args.scale, files=args.files)
    elapsed = time.monotonic() - started
    for county in manifest["counties"]:
        print(
            f"{county['county']}: {county['rows']} rows, {county['subjects']} subjects, "
            f"{len(county['files'])} file(s)"
        )
    print(f"Manifest: {out_dir / MANIFEST_NAME} ({elapsed:.1f} s)")
    return 0


def _review_warehouse(args: argparse.Namespace) -> Path:
    return Path(args.warehouse).resolve() if args.warehouse else warehouse_path().resolve()


def format_summary(summary: dict, out_dir: Path) -> str:
    """Return the one-screen summary printed after a successful run."""
    lines = summary["lines"]
    convictions = summary["convictions"]
    subjects = summary["subjects"]
    text = [
        f"County:                     {summary['county']}",
        f"Policy:                     {summary['policy']['name']}",
        f"Compute date:               {summary['compute_date']}",
        f"Lines read:                 {lines['lines_read']}",
        f"Lines loaded:               {lines['lines_loaded']}",
        f"Lines quarantined:          {lines['lines_quarantined']}",
        f"Prop 64 convictions:        {convictions['total']}",
        f"Eligible convictions:       {convictions['eligible']}",
        f"Subjects with some relief:  {subjects['with_some_relief']} of "
        f"{subjects['with_prop64_conviction']}",
        *_court_summary_lines(summary.get("court")),
        f"Exports:                    {out_dir}",
        f"Dashboard:                  {out_dir / 'dashboard.html'}",
        f"Statewide dashboard:        {out_dir.parent.parent / 'statewide' / 'dashboard.html'}",
        f"Published as:               {out_dir.parent / 'latest'}",
    ]
    return "\n".join(text)


def _court_summary_lines(court: dict | None) -> list[str]:
    """Return the summary lines of the court figures, none for a run without court files."""
    if court is None:
        return []
    methods = ", ".join(f"{method} {count}" for method, count in court["linked_by"].items())
    motion_rows = ", ".join(f"{name} {rows}" for name, rows in court["motion_list_rows"].items())
    rows, motions = court["rows"], court["motions"]
    return [
        f"Court convictions:          {court['matched']} matched, {court['doj_only']} DOJ only, "
        f"{court['court_only']} court only",
        f"Prior 11361.8 relief:       {court['already_relieved']} already relieved, "
        f"{court['relief_pending']} pending",
        f"Links by method:            {methods or 'none'}",
        f"Court rows:                 {rows['read']} read, {rows['loaded']} loaded, "
        f"{rows['quarantined']} quarantined, {rows['values_set_to_null']} values set to null",
        f"Eligible DOJ convictions:   {motions['eligible']}: {motions['listed']} on motions, kept "
        f"off {motions['kept_off_already_relieved']} already relieved, "
        f"{motions['kept_off_relief_pending']} relief pending, "
        f"{motions['kept_off_no_case_number']} without case number",
        f"Motion list rows:           {motion_rows or 'none'}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status: 0 success, 2 input error, 1 failure."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2

    debug = getattr(args, "verbose", False) or bool(os.environ.get(DEBUG_ENV))
    # Everything a run creates contains personal data: the warehouse, its WAL (which DuckDB
    # creates later, with the umask), dbt's work folder and the exports. The dbt subprocess
    # inherits the umask too.
    os.umask(0o077)
    try:
        commands = {
            "run": run_command,
            "explain": explain_command,
            "compare": compare_command,
            "generate": generate_command,
        }
        return commands[args.command](args)
    except ClearanceError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if debug:
            logger.exception("Unexpected failure")
        if _is_dbt_failure(error):
            # dbt's error text can quote a record's values (a failed cast names the value), so
            # the message points to dbt's owner-only log instead of repeating it.
            print(
                f"{PROG}: error: dbt build failed (a model or a data test); "
                f"see {_dbt_log_path(args)} for the details",
                file=sys.stderr,
            )
            return 1
        hint = "" if debug else f" (rerun with --verbose or {DEBUG_ENV}=1 for a traceback)"
        print(f"{PROG}: error: {type(error).__name__}: {error}{hint}", file=sys.stderr)
        return 1


def _is_dbt_failure(error: Exception) -> bool:
    # dagster_dbt is imported only by a run that got as far as dbt, so it is loaded here.
    if "dagster_dbt" not in sys.modules:
        return False
    from dagster_dbt.errors import DagsterDbtCliRuntimeError

    return isinstance(error, DagsterDbtCliRuntimeError)


def _dbt_log_path(args: argparse.Namespace) -> Path:
    from orchestration.lib.run_request import dbt_work_dir

    warehouse = Path(args.warehouse).resolve() if args.warehouse else warehouse_path().resolve()
    return dbt_work_dir(warehouse) / "target" / "dbt.log"


def console_main() -> NoReturn:
    """Run the `clearance` script and leave without tearing down what it imported.

    By the time main returns, every output is written and closed and the warehouse lock is
    released. What remains is unwinding the modules of Dagster, dbt and their dependencies,
    which took 1.5 s of a run's time and changes nothing on disk.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    console_main()
