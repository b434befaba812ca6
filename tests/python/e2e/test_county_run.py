"""One real `clearance run` on the hand-written two-file DOJ extract in tests/fixtures/doj_small.

Options (options.json): dismiss 11357, and reduce 11359 and 11360. Also dismiss when the
subject was under 21 at the disposition date, is 50 or older on the compute date, or is
deceased, or when the disposition date is 10 or more years before the compute date. The
effective-date rule is on.
Compute date 2019-07-01, county SAN JOAQUIN. The rules in order, first match decides:
conduct on or after 2016-11-09 -> Not eligible; not a felony -> dismiss; section in dismiss ->
dismiss; under 21 -> dismiss; 50+ -> dismiss; 10 years -> dismiss; deceased -> dismiss;
section in reduce -> reduce; otherwise Not eligible.

Expected values below are worked out by hand from those rules and the fixture's rows.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from dbt_harness import run_dbt

from clearance.doj_layout import BLANKED_COLUMNS, DOJ_COLUMNS
from clearance.exports.layouts import CONDENSED_DOJ_COLUMNS, ELIGIBILITY_COLUMNS

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "doj_small"
CLEARANCE = Path(sys.executable).parent / "clearance"
ELIGIBILITY_HEADERS = [header for header, _ in ELIGIBILITY_COLUMNS]
CSV_FILES = ("All_Results.csv", "All_Results_Condensed.csv", "Prop64_Results.csv")

# (SUBJECT_ID, CNT_ORDER) of every loaded line, in input order. Part 1 has a header and 19
# data lines. Part 2 has no header, and its line 2 is cut short at 20 fields, so it is quarantined.
INPUT_ORDER = [
    ("9000001", "001001001000"),
    ("9000001", "001002001000"),
    ("9000002", "001001001000"),
    ("9000002", "001002001000"),
    ("9000002", "001002001000"),
    ("9000003", "001001001000"),
    ("9000003", "001002001000"),
    ("9000003", "002001001000"),
    ("9000003", "002002001000"),
    ("9000004", "001001001000"),
    ("9000004", "001002001000"),
    ("9000005", "001002001000"),
    ("9000005", "002002001000"),
    ("9000006", "001001001000"),
    ("9000006", "001002001000"),
    ("9000007", "001002001000"),
    ("9000007", "002001001000"),
    ("9000009", "001002001000"),
    ("9000009", "001002002000"),
    ("9000008", "001002001000"),
    ("9000008", "002002001000"),
]

# One Prop 64 conviction in SAN JOAQUIN per subject: (determination, reason).
EXPECTED_DECISIONS = {
    # ALPHA: misdemeanor 11357(b) in 2012: not a felony.
    "9000001": ("Eligible for Dismissal", "Misdemeanor or Infraction"),
    # BRAVO: felony 11358 on 2014-03-12, born 1980-09-09: 11358 is in neither list, 38 on the
    # compute date, only 5 years ago, alive: no rule grants relief.
    "9000002": ("Not eligible", "No applicable relief option"),
    # CHARLIE: felony 11359 on 2015-08-20, born 1960-05-05: 59 on the compute date. His 2005
    # felony 11360 in LOS ANGELES is history only.
    "9000003": ("Eligible for Dismissal", "50 years or older"),
    # DELTA: felony 11359 arrested 2017-01-15: conduct after Prop 64 took effect.
    "9000004": ("Not eligible", "Occurred after 11/09/2016"),
    # ECHO: 11360 on 2008-02-10 with level "  -  " (a placeholder), so OFFENSE_TOC F makes it
    # a felony; 2008-02-10 is on or before 2009-07-01, 10 years before the compute date.
    "9000005": ("Eligible for Dismissal", "Conviction occurred 10 or more years ago"),
    # FOXTROT: felony 11359 on 2013-09-01, born 1994-04-10: turned 21 on 2015-04-10, after it.
    "9000006": ("Eligible for Dismissal", "21 years or younger"),
    # GOLF: felony 11358 on 2011-05-05, born 1969-07-02: 49 on 2019-07-01 (50 the next day),
    # 8 years ago, deceased in 2018.
    "9000007": ("Eligible for Dismissal", "Individual is deceased"),
    # HOTEL: felony 11360 decided in July 2009, day unknown: "10 or more years" holds only for
    # 1 July, so that granting rule is skipped; 11360 is in the reduce list.
    "9000008": ("Eligible for Reduction", "Reduce all HS 11360 convictions"),
    # INDIA: felony 11357(a): 11357 is in the dismiss list.
    "9000009": ("Eligible for Dismissal", "Dismiss all HS 11357 convictions"),
}


@pytest.fixture(scope="module")
def county_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the command once and return its paths and completed process."""
    work = tmp_path_factory.mktemp("county_run")
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_SUBJECT_KEY_FILE=str(work / "subject_key"),
        DAGSTER_HOME=str(dagster_home),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    out_dir = work / "out"
    warehouse = work / "warehouse" / "clearance.duckdb"
    completed = subprocess.run(
        [
            str(CLEARANCE),
            "run",
            "--doj",
            str(FIXTURES / "doj_small_part1.csv"),
            "--doj",
            str(FIXTURES / "doj_small_part2.csv"),
            "--county",
            "San Joaquin",
            "--options",
            str(FIXTURES / "options.json"),
            "--compute-at",
            "2019-07-01",
            "--out",
            str(out_dir),
            "--warehouse",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        check=False,
        timeout=600,
    )
    return {
        "completed": completed,
        # --out is the publish root; the run's outputs are in the folder `latest` points at.
        "publish_root": out_dir,
        "out_dir": out_dir / "san_joaquin" / "latest",
        "warehouse": warehouse,
        "dagster_home": dagster_home,
    }


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    return header, rows


def test_run_succeeds_with_summary_on_stdout(county_run: dict) -> None:
    completed = county_run["completed"]
    assert completed.returncode == 0, completed.stderr
    assert "Eligible convictions:       7" in completed.stdout
    assert "Lines read:                 22" in completed.stdout
    assert "loading 2 doj files" in completed.stderr
    assert "writing exports" in completed.stderr
    assert "writing the dashboard" in completed.stderr
    assert "Dashboard:" in completed.stdout


def test_exports_are_owner_only(county_run: dict) -> None:
    out_dir = county_run["out_dir"]
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    names = sorted(path.name for path in out_dir.iterdir())
    assert names == sorted(
        [
            *CSV_FILES,
            "summary.json",
            "analyst.duckdb",
            "run-manifest.json",
            "data-quality.html",
            "data-quality.json",
            "dashboard.html",
        ]
    )
    for name in names:
        assert stat.S_IMODE((out_dir / name).stat().st_mode) == 0o600, name


def test_run_publishes_into_its_own_folder(county_run: dict) -> None:
    county_dir = county_run["publish_root"] / "san_joaquin"
    assert stat.S_IMODE(county_run["publish_root"].stat().st_mode) == 0o700
    assert stat.S_IMODE(county_dir.stat().st_mode) == 0o700
    latest = county_dir / "latest"
    assert latest.is_symlink()
    run_folders = [path for path in county_dir.iterdir() if not path.is_symlink()]
    assert len(run_folders) == 1
    # A relative link to `<UTC time>-<run id>`, the run id being the one printed first.
    target = os.readlink(latest)
    assert target == run_folders[0].name
    run_id = re.search(r"run ([0-9a-f]{32}):", county_run["completed"].stderr).group(1)
    assert re.fullmatch(rf"\d{{8}}T\d{{6}}Z-{run_id}", target)


def test_dagster_home_is_left_untouched(county_run: dict) -> None:
    assert list(county_run["dagster_home"].iterdir()) == []


def test_all_results_keeps_input_order(county_run: dict) -> None:
    header, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    assert header == [*DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    assert [(row["SUBJECT_ID"], row["CNT_ORDER"]) for row in rows] == INPUT_ORDER


def test_identifier_columns_are_blank_in_every_csv(county_run: dict) -> None:
    # The fixture fills them with NOT-AN-SSN style markers, so a leak would show here.
    for name in ("All_Results.csv", "Prop64_Results.csv"):
        _, rows = read_csv(county_run["out_dir"] / name)
        for row in rows:
            for column in BLANKED_COLUMNS:
                assert row[column] == "", (name, column)
    for name in CSV_FILES:
        text = (county_run["out_dir"] / name).read_text(encoding="utf-8")
        assert "NOT-AN-" not in text, name


def test_condensed_layout(county_run: dict) -> None:
    header, rows = read_csv(county_run["out_dir"] / "All_Results_Condensed.csv")
    assert header == [*CONDENSED_DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    assert len(rows) == len(INPUT_ORDER)
    assert rows[0]["PRI_NAME"] == "ALPHA,ANNA"
    assert rows[1]["Eligibility Determination"] == "Eligible for Dismissal"
    # Each condensed row has the same fields, as written, as its row of All_Results.csv.
    _, all_rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    kept = [*CONDENSED_DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    assert rows == [{column: row[column] for column in kept} for row in all_rows]


def test_prop64_results_decisions_per_conviction(county_run: dict) -> None:
    header, rows = read_csv(county_run["out_dir"] / "Prop64_Results.csv")
    assert header == [*DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    # CHARLIE's LOS ANGELES conviction is not decided in SAN JOAQUIN: 9 rows, one per subject.
    assert len(rows) == 9
    decisions = {
        row["SUBJECT_ID"]: (row["Eligibility Determination"], row["Eligibility Reason"])
        for row in rows
    }
    assert decisions == EXPECTED_DECISIONS
    counties = {row["STP_ORI_CNTY_NAME"] for row in rows}
    assert counties == {"SAN JOAQUIN"}


def test_felony_11358_first_row_has_all_18_columns(county_run: dict) -> None:
    # BRAVO: one conviction, 2014-03-12, 1,937 days before 2019-07-01 = 5.3 years.
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    first_sentence_row = rows[3]
    assert first_sentence_row["SENT_LOC_DESCR"] == "JAIL"
    assert {header: first_sentence_row[header] for header in ELIGIBILITY_HEADERS} == {
        "Case Number": "SJ14F0002",
        "# of convictions on record": "1",
        "Possible Other P64 Charges": "-",
        "Occurred after 11/9/2016": "N",
        "Superstrike Code Section(s)": "-",
        "PC290 Code Section(s)": "-",
        "PC290 Registration": "N",
        "Date of Conviction": "03/12/2014",
        "Years Since This Conviction": "5.3",
        "Years Since Any Conviction": "5.3",
        "# of Prop 64 convictions": "1",
        "# of HS 11357 convictions": "0",
        "# of HS 11358 convictions": "1",
        "# of HS 11359 convictions": "0",
        "# of HS 11360 convictions": "0",
        "Deceased": "-",
        "Eligibility Determination": "Not eligible",
        "Eligibility Reason": "No applicable relief option",
    }


def test_second_sentence_part_row_is_blank(county_run: dict) -> None:
    # BRAVO's 36-month probation is the second part of the same sentence: one conviction.
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    second_sentence_row = rows[4]
    assert second_sentence_row["SENT_LOC_DESCR"] == "PROBATION"
    assert all(second_sentence_row[header] == "" for header in ELIGIBILITY_HEADERS)


def test_out_of_county_conviction_row_is_blank(county_run: dict) -> None:
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    los_angeles_row = rows[6]
    assert los_angeles_row["STP_ORI_CNTY_NAME"] == "LOS ANGELES"
    assert all(los_angeles_row[header] == "" for header in ELIGIBILITY_HEADERS)


def test_over_50_subject_counts_convictions_in_every_county(county_run: dict) -> None:
    # CHARLIE: 11360 in LOS ANGELES (2005) and 11359 in SAN JOAQUIN (2015-08-20, 1,411 days
    # before the compute date = 3.9 years, also his latest conviction).
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    row = rows[8]
    assert row["Date of Conviction"] == "08/20/2015"
    assert row["# of convictions on record"] == "2"
    assert row["# of Prop 64 convictions"] == "2"
    assert row["# of HS 11359 convictions"] == "1"
    assert row["# of HS 11360 convictions"] == "1"
    assert row["Years Since This Conviction"] == "3.9"
    assert row["Years Since Any Conviction"] == "3.9"


def test_conduct_after_prop64_is_flagged(county_run: dict) -> None:
    # DELTA: 2017-06-01 is 760 days before the compute date = 2.1 years.
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    row = rows[10]
    assert row["Occurred after 11/9/2016"] == "Y"
    assert row["Years Since This Conviction"] == "2.1"


def test_latest_conviction_elsewhere_sets_years_since_any(county_run: dict) -> None:
    # ECHO: 11360 on 2008-02-10 (4,159 days = 11.4 years); DUI on 2016-04-04 (1,183 days = 3.2).
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    row = rows[11]
    assert row["Years Since This Conviction"] == "11.4"
    assert row["Years Since Any Conviction"] == "3.2"
    assert row["# of convictions on record"] == "2"


def test_possible_other_p64_shows_on_the_arrest_row(county_run: dict) -> None:
    # FOXTROT's arrest count is 11359 with the comment naming 11360; the court row has no comment.
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    arrest_row, court_row = rows[13], rows[14]
    assert arrest_row["Possible Other P64 Charges"] == "11360 HS-TRANSPORT MARIJUANA"
    assert arrest_row["Eligibility Determination"] == ""
    assert court_row["Possible Other P64 Charges"] == "-"


def test_deceased_subject_is_marked(county_run: dict) -> None:
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    assert rows[15]["Deceased"] == "Deceased"
    assert rows[11]["Deceased"] == "-"


def test_partial_disposition_date_prints_as_range(county_run: dict) -> None:
    # HOTEL: July 2009, day unknown: 2009-07-31 is 3,622 days (9.9 years) and 2009-07-01 is
    # 3,652 days (10.0 years) before 2019-07-01. His latest conviction, the 245(d)(3) PC on
    # 2010-03-15, is 3,395 days (9.3 years) back and is a super strike.
    _, rows = read_csv(county_run["out_dir"] / "All_Results.csv")
    row = rows[19]
    assert row["SUBJECT_ID"] == "9000008"
    assert row["Date of Conviction"] == "07/00/2009"
    assert row["Years Since This Conviction"] == "9.9-10.0"
    assert row["Years Since Any Conviction"] == "9.3"
    assert "245(d)(3)" in row["Superstrike Code Section(s)"]
    assert row["PC290 Code Section(s)"] == "-"


def test_summary_counts(county_run: dict) -> None:
    summary = json.loads((county_run["out_dir"] / "summary.json").read_text(encoding="utf-8"))
    assert summary["county"] == "SAN JOAQUIN"
    assert summary["compute_date"] == "2019-07-01"
    assert summary["policy"]["name"] == "configurable"
    assert summary["policy"]["parameters"]["subject_age_threshold"] == 50
    assert summary["policy"]["parameters"]["reduce_sections"] == ["11359", "11360"]

    lines = summary["lines"]
    assert (lines["lines_read"], lines["lines_loaded"], lines["lines_quarantined"]) == (22, 21, 1)
    for file in lines["files"]:
        assert file["lines_read"] == file["lines_loaded"] + file["lines_quarantined"]
    assert [file["file_name"] for file in lines["files"]] == [
        "doj_small_part1.csv",
        "doj_small_part2.csv",
    ]

    convictions = summary["convictions"]
    assert convictions["total"] == 9
    # ECHO's 2008-02-10; CHARLIE's 2005 conviction is in LOS ANGELES.
    assert convictions["earliest_disposition_date"] == "2008-02-10"
    assert convictions["by_section"] == {"11357": 2, "11358": 2, "11359": 3, "11360": 2}
    # ALPHA's 11357(b) is the only misdemeanor.
    assert (convictions["felony"], convictions["non_felony"]) == (8, 1)
    assert convictions["by_determination"] == {
        "Eligible for Dismissal": 6,
        "Eligible for Reduction": 1,
        "Not eligible": 2,
    }
    expected_reasons: dict[str, int] = {}
    for _, reason in EXPECTED_DECISIONS.values():
        expected_reasons[reason] = expected_reasons.get(reason, 0) + 1
    assert convictions["by_reason"] == expected_reasons
    assert convictions["eligible"] == 7

    # Every subject but BRAVO and DELTA gets some relief.
    assert summary["subjects"] == {"with_prop64_conviction": 9, "with_some_relief": 7}


def test_summary_subjects_left_without_records(county_run: dict) -> None:
    summary = json.loads((county_run["out_dir"] / "summary.json").read_text(encoding="utf-8"))
    # The 7-year window is 2012-07-01 to 2019-07-01.
    # County policy: no felony left: ECHO, FOXTROT, GOLF, INDIA (CHARLIE keeps his LOS ANGELES
    # felony, HOTEL his 245 PC, BRAVO and DELTA get no relief; ALPHA had no felony).
    # No conviction left: ALPHA, FOXTROT, GOLF. No conviction in 7 years left: CHARLIE (only
    # his 2015 conviction is in the window), FOXTROT.
    assert summary["subjects_left"]["configurable"] == {
        "no_felony": 4,
        "no_conviction": 3,
        "no_conviction_last_7_years": 2,
    }
    # Dismissing every Prop 64 conviction in the county adds BRAVO and DELTA to all three.
    assert summary["subjects_left"]["dismiss-all-prop64"] == {
        "no_felony": 6,
        "no_conviction": 5,
        "no_conviction_last_7_years": 4,
    }
    # Also dismissing related charges clears INDIA's 11364 HS misdemeanor, which shares cycle
    # 001 with her 11357(a), so she joins the last two (both convictions are from 2016-01-12).
    assert summary["subjects_left"]["dismiss-all-prop64-and-related"] == {
        "no_felony": 6,
        "no_conviction": 6,
        "no_conviction_last_7_years": 5,
    }


def test_warehouse_and_dbt_files_are_owner_only(county_run: dict) -> None:
    warehouse = county_run["warehouse"]
    assert stat.S_IMODE(warehouse.stat().st_mode) == 0o600
    # dbt's work folder contains compiled SQL and logs of a run over personal data. Owner-only
    # folders are what matters: dagster-dbt copies a cached parse file with its original mode.
    folders = [warehouse.parent, *(path for path in warehouse.parent.rglob("*") if path.is_dir())]
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_every_data_test_passes_on_the_run(county_run: dict, tmp_path: Path) -> None:
    # The run itself executes only the data tests tagged run_check; this checks the others
    # against the same warehouse.
    result = run_dbt(["test", "--exclude", "test_type:unit"], county_run["warehouse"], tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    passed = re.search(r"PASS=(\d+)", result.stdout)
    assert passed is not None
    assert int(passed.group(1)) > 100


def test_dbt_docs_describe_every_mart_column(county_run: dict, tmp_path: Path) -> None:
    result = run_dbt(["docs", "generate", "--static"], county_run["warehouse"], tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]

    target = tmp_path / "target"
    for name in ("index.html", "static_index.html", "catalog.json", "manifest.json"):
        assert (target / name).is_file(), name
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    documented = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(("models/marts/", "models/exports/"))
    }
    assert "model.clearance.fct_conviction_outcomes" in documented
    assert "model.clearance.exp_doj__results" in documented
    assert "fct_subject_relief" in (target / "static_index.html").read_text(encoding="utf-8")
    for unique_id, node in documented.items():
        # The catalog lists the columns of the tables and views the run built.
        built = set(catalog["nodes"][unique_id]["columns"])
        described = {
            name for name, column in node["columns"].items() if column["description"].strip()
        }
        assert built - described == set(), node["name"]
        assert set(node["columns"]) - built == set(), node["name"]
