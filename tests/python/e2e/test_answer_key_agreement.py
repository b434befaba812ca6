"""`clearance run` with a hand-written answer key beside the two-file DOJ extract of doj_small.

The fixture's files are copied into a folder with a `manifest.json` and an `answer-key.csv`, as
`clearance generate` leaves them, and the run is given neither --answer-key nor --compute-at: it
must find the key and take its compute date, 2019-07-01. County SAN JOAQUIN, policy
la-pilot-2019, whose rules in order are: not a felony -> city attorneys; disposed on or after
2016-11-09 -> not eligible; 11357(a)/(b) -> dismiss; other 11357 -> hand review; prior super
strike, PC 290 or two priors -> not eligible; 50 or older -> dismiss; not yet 22 -> dismiss;
only Prop 64 convictions and every sentence ended -> dismiss; no conviction in 10 years ->
dismiss; serving a sentence -> hand review; deceased -> dismiss; otherwise hand review.

Expected values are worked out by hand from those rules and the fixture's rows, one comment per
subject in KEY_ROWS. The key also holds, on purpose:
- one disagreement: HOTEL (9000008) is keyed "Not eligible: PC 667(e)(2)(c)(iv)", as if his
  2010 PC 245(d)(3) came before his July 2009 11360. It came after, so the run reaches the
  last rule, no_criteria (rule 14): Hand Review;
- a subject who is in no DOJ file (9000099): key only;
- a LOS ANGELES row, which a SAN JOAQUIN run ignores;
- dismiss-all-prop64 without INDIA (9000009): one conviction only in the run;
- an sf-2019 row, a policy this run does not decide.
"""

from __future__ import annotations

import csv
import json
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from clearance_command import clearance

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "doj_small"
HEADER = "county,subject_id,cnt_order,policy,determination,reason,scenario,compute_date"
SJ = "SAN JOAQUIN"
LA_PILOT = "la-pilot-2019"
DISMISS_ALL = "dismiss-all-prop64"
DISMISS = "Eligible for Dismissal"
ONLY_PROP64 = "Only has 11357-60 charges and completed sentence"

KEY_ROWS = [
    # ALPHA: misdemeanor 11357(b): rule 1.
    (SJ, "9000001", "001002001000", LA_PILOT, "To be reviewed by City Attorneys",
     "Misdemeanor or Infraction", "misdemeanor"),
    # BRAVO: felony 11358 on 2014-03-12, 38, his only conviction; 30 days of jail and 36 months
    # of probation ended in 2017.
    (SJ, "9000002", "001002001000", LA_PILOT, DISMISS, ONLY_PROP64, "only_prop64"),
    # CHARLIE: felony 11359 on 2015-08-20; his 2005 prior is 11360, another section; 59.
    (SJ, "9000003", "002002001000", LA_PILOT, DISMISS, "50 years or older", "age_50"),
    # DELTA: felony 11359 disposed on 2017-06-01.
    (SJ, "9000004", "001002001000", LA_PILOT, "Not eligible", "Occurred after 11/09/2016",
     "after_prop64"),
    # ECHO: 11360 of 2008, a felony by OFFENSE_TOC, 43. A DUI in 2016 is not Prop 64 and falls
    # in the last 10 years. Its 3 years of probation ended on 2019-04-04. Alive.
    (SJ, "9000005", "001002001000", LA_PILOT, "Hand Review", "No applicable eligibility criteria",
     "no_criteria"),
    # FOXTROT: felony 11359 of 2013, 25, only conviction, 60 days of jail.
    (SJ, "9000006", "001002001000", LA_PILOT, DISMISS, ONLY_PROP64, "only_prop64"),
    # GOLF: felony 11358 of 2011, 49 on the compute date, only conviction, probation to 2016.
    (SJ, "9000007", "001002001000", LA_PILOT, DISMISS, ONLY_PROP64, "only_prop64"),
    # HOTEL: the deliberate disagreement (see the module docstring).
    (SJ, "9000008", "001002001000", LA_PILOT, "Not eligible", "PC 667(e)(2)(c)(iv)",
     "super_strike_prior"),
    # INDIA: felony 11357(a).
    (SJ, "9000009", "001002001000", LA_PILOT, DISMISS, "11357(a) or 11357(b)", "hs_11357_a_or_b"),
    (SJ, "9000099", "001002001000", LA_PILOT, DISMISS, "21 years or younger", "under_22"),
    ("LOS ANGELES", "9000003", "001002001000", LA_PILOT, DISMISS, "50 years or older", "age_50"),
    *[
        (SJ, subject, cnt_order, DISMISS_ALL, DISMISS, "Dismiss all Prop 64 charges", "dismiss_all")
        for subject, cnt_order in [
            ("9000001", "001002001000"),
            ("9000002", "001002001000"),
            ("9000003", "002002001000"),
            ("9000004", "001002001000"),
            ("9000005", "001002001000"),
            ("9000006", "001002001000"),
            ("9000007", "001002001000"),
            ("9000008", "001002001000"),
        ]
    ],
    (SJ, "9000001", "001002001000", "sf-2019", DISMISS,
     "Dismiss and seal: misdemeanor or infraction", "misdemeanor"),
]  # fmt: skip


def write_key(path: Path, rows: list[tuple], compute_date: str = "2019-07-01") -> None:
    lines = [HEADER, *(",".join([*row, compute_date]) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generated_folder(folder: Path) -> Path:
    """Lay out the fixture's DOJ files as the generator does: beside a manifest and a key."""
    folder.mkdir()
    for name in ("doj_small_part1.csv", "doj_small_part2.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "manifest.json").write_text("{}\n", encoding="utf-8")
    write_key(folder / "answer-key.csv", KEY_ROWS)
    return folder


def run_args(work: Path, folder: Path, *extra: str) -> list[str]:
    return [
        "run",
        "--doj",
        str(folder / "doj_small_part1.csv"),
        "--doj",
        str(folder / "doj_small_part2.csv"),
        "--county",
        "San Joaquin",
        "--policy",
        LA_PILOT,
        "--out",
        str(work / "out"),
        "--warehouse",
        str(work / "warehouse.duckdb"),
        *extra,
    ]


@pytest.fixture(scope="module")
def keyed_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("answer_key_run")
    folder = generated_folder(work / "input")
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    completed = clearance(work, *run_args(work, folder), DAGSTER_HOME=str(dagster_home))
    assert completed.returncode == 0, completed.stderr[-4000:]
    # --out is the publish root; the run's outputs are in the folder `latest` points at.
    out_dir = work / "out" / "san_joaquin" / "latest"
    figures = json.loads((out_dir / "answer-key-agreement.json").read_text(encoding="utf-8"))
    return {
        "work": work,
        "completed": completed,
        "out_dir": out_dir,
        "policies": {policy["policy"]: policy for policy in figures["policies"]},
        "figures": figures,
    }


def subject_key_of(work: Path, subject_id: str) -> str:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        (key,) = con.execute(
            "select subject_key from staging.stg_clearance__subject_keys where subject_id = ?",
            [subject_id],
        ).fetchone()
    return key


def test_run_finds_key_and_takes_its_date(keyed_run: dict) -> None:
    completed = keyed_run["completed"]
    assert "found answer key" in completed.stderr
    assert "answer-key.csv beside the DOJ files" in completed.stderr
    assert "Compute date:               2019-07-01" in completed.stdout
    summary = json.loads((keyed_run["out_dir"] / "summary.json").read_text(encoding="utf-8"))
    assert summary["compute_date"] == "2019-07-01"


def test_summary_says_agreement_is_not_complete(keyed_run: dict) -> None:
    stdout = keyed_run["completed"].stdout
    assert "la-pilot-2019:             8 of 10 agree (80.0%)" in stdout
    assert "dismiss-all-prop64:        8 of 9 agree (88.9%)" in stdout
    assert "Answer key agreement:       not 100%" in stdout
    assert keyed_run["figures"]["complete"] is False


def test_policies_compared_and_left_out(keyed_run: dict) -> None:
    figures = keyed_run["figures"]
    assert list(keyed_run["policies"]) == [LA_PILOT, DISMISS_ALL]
    assert figures["key_policies_not_run"] == ["sf-2019"]
    assert figures["run_policies_not_in_key"] == ["dismiss-all-prop64-and-related"]


def test_la_pilot_counts(keyed_run: dict) -> None:
    policy = keyed_run["policies"][LA_PILOT]
    # Nine SAN JOAQUIN convictions on both sides plus 9000099 in the key only.
    assert policy["convictions"] == 10
    assert policy["agreed"] == 8
    assert policy["disagreed"] == 1
    assert policy["same_determination_other_reason"] == 0
    assert policy["key_only"] == 1
    assert policy["pipeline_only"] == 0


def test_la_pilot_confusion_cells(keyed_run: dict) -> None:
    cells = {
        (expected, actual): n
        for expected, actual, n in keyed_run["policies"][LA_PILOT]["confusion"]
    }
    assert cells == {
        ("To be reviewed by City Attorneys", "To be reviewed by City Attorneys"): 1,
        (DISMISS, DISMISS): 5,
        ("Not eligible", "Not eligible"): 1,
        ("Hand Review", "Hand Review"): 1,
        ("Not eligible", "Hand Review"): 1,
    }


def test_la_pilot_counts_per_expected_reason(keyed_run: dict) -> None:
    reasons = {
        (determination, reason): (n, agreed)
        for determination, reason, n, agreed in keyed_run["policies"][LA_PILOT]["reasons"]
    }
    assert reasons[(DISMISS, ONLY_PROP64)] == (3, 3)
    assert reasons[("Not eligible", "PC 667(e)(2)(c)(iv)")] == (1, 0)
    assert reasons[(DISMISS, "21 years or younger")] == (1, 0)
    assert reasons[("Hand Review", "No applicable eligibility criteria")] == (1, 1)
    assert len(reasons) == 8
    assert sum(n for n, _ in reasons.values()) == 10


def test_dismiss_all_conviction_only_in_run(keyed_run: dict) -> None:
    policy = keyed_run["policies"][DISMISS_ALL]
    assert (policy["convictions"], policy["agreed"], policy["pipeline_only"]) == (9, 8, 1)
    (difference,) = policy["differences"]
    assert difference["comparison"] == "pipeline only"
    assert difference["subject_key"] == subject_key_of(keyed_run["work"], "9000009")
    assert difference["rule_id"] == "dismiss_all"


def test_listed_disagreement_names_key_and_rule(keyed_run: dict) -> None:
    disagreement, key_only = keyed_run["policies"][LA_PILOT]["differences"]
    assert disagreement == {
        "policy_name": LA_PILOT,
        "comparison": "disagreed",
        "subject_key": subject_key_of(keyed_run["work"], "9000008"),
        "cnt_order": "001002001000",
        "key_line": 9,
        "scenario": "super_strike_prior",
        "expected_determination": "Not eligible",
        "expected_reason": "PC 667(e)(2)(c)(iv)",
        "actual_determination": "Hand Review",
        "actual_reason": "No applicable eligibility criteria",
        "rule_number": 14,
        "rule_id": "no_criteria",
    }
    assert key_only["comparison"] == "key only"
    assert key_only["subject_key"] is None
    assert key_only["key_line"] == 11


def test_report_files_name_no_subject_id(keyed_run: dict) -> None:
    out_dir = keyed_run["out_dir"]
    report = (out_dir / "answer-key-agreement.txt").read_text(encoding="utf-8")
    assert "Agreement: NOT 100%" in report
    assert "(rule 14 no_criteria)" in report
    assert subject_key_of(keyed_run["work"], "9000008") in report
    for name in ("answer-key-agreement.txt", "answer-key-differences.csv"):
        text = (out_dir / name).read_text(encoding="utf-8")
        assert "90000" not in text, name
        assert stat.S_IMODE((out_dir / name).stat().st_mode) == 0o600, name


def test_differences_csv_lists_every_difference(keyed_run: dict) -> None:
    path = keyed_run["out_dir"] / "answer-key-differences.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["policy_name"], row["comparison"]) for row in rows] == [
        (LA_PILOT, "disagreed"),
        (LA_PILOT, "key only"),
        (DISMISS_ALL, "pipeline only"),
    ]


def test_other_compute_date_fails_before_loading(tmp_path: Path) -> None:
    folder = generated_folder(tmp_path / "input")
    completed = clearance(tmp_path, *run_args(tmp_path, folder, "--compute-at", "2020-01-01"))
    assert completed.returncode == 2
    assert "--compute-at 2020-01-01 differs from the compute date 2019-07-01" in completed.stderr
    assert str(folder / "answer-key.csv") in completed.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_bad_key_fails_with_file_and_column(tmp_path: Path) -> None:
    folder = generated_folder(tmp_path / "input")
    key = tmp_path / "key.csv"
    key.write_text(HEADER.replace(",scenario", "") + "\n", encoding="utf-8")
    completed = clearance(tmp_path, *run_args(tmp_path, folder, "--answer-key", str(key)))
    assert completed.returncode == 2
    assert f"answer key {key}: line 1: missing column scenario" in completed.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()
