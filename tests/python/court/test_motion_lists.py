"""One hand-made run whose motion list, court figures and files are worked out by hand.

DOJ file (Los Angeles), policy legal-default, compute date 2026-07-01:
- 910006: misdemeanor 11357(b) at 26 in 2015, OFN LA15M000555; court MA150000555 with 1203.4
  relief. Now lawful for adults 21 and over: dismiss, because 1203.4 relief leaves 11361.8 open.
- 910001: felony 11359 in 2010, OFN LA10F012345; court BA100012345 without relief. Now a
  misdemeanor: reduce, under the court's case number and the court's spelling of the name.
- 910002: felony 11360(a), court BA110000222 with 11361.8 granted: already relieved, no motion.
- 910003: felony 11358, court BA120000333 with 11361.8 pending: relief pending, no motion.
- 910004: felony 11359, OFN LA13F000777, no court record: DOJ only with a case number, reduce.
- 910005: felony 11359 without OFN or court record: no case number to move on, no motion.
- 910007: felony 11359 in 2017, after Prop 64: not eligible, no motion.
- The court file also has a court-only 11357(b) conviction (Hand Review, no motion), and a
  sixth row without a disposition, which is quarantined.
"""

from __future__ import annotations

import csv
import hashlib
import json
import stat
from pathlib import Path

import duckdb
import pytest
from analyst_queries import read_example_queries
from clearance_command import clearance
from court_test_files import court_line, doj_conviction_line, write_court_file, write_mapping
from pypdf import PdfReader

from clearance.doj_layout import DOJ_COLUMNS

pytestmark = pytest.mark.slow

LIST_STEM = "motion_list_los_angeles"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("motion_lists")
    doj = work / "doj.csv"
    doj.write_text(
        "\n".join(
            [
                ",".join(DOJ_COLUMNS),
                doj_conviction_line("1", "910006", name="MOCKUP,HOTEL", dob="19880808",
                    cii="A00000006", date="20150505", ofn="LA15M000555",
                    offense="11357(B) HS-POSSESS MARIJUANA", level="MISDEMEANOR"),
                doj_conviction_line("2", "910001", name="TESTPERSON,ALPHA", dob="19800101",
                    cii="A00000001", date="20100315", ofn="LA10F012345",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
                doj_conviction_line("3", "910002", name="SAMPLEMAN,BRAVO", dob="19750505",
                    cii="A00000002", date="20110610", ofn="LA11F000222",
                    offense="11360(A) HS-TRANSPORT/SELL MARIJUANA"),
                doj_conviction_line("4", "910003", name="EXAMPLE,CHARLIE", dob="19850707",
                    cii="A00000003", date="20120120", ofn="LA12F000333",
                    offense="11358 HS-CULTIVATE MARIJUANA"),
                doj_conviction_line("5", "910004", name="PLACEHOLDER,ECHO", dob="19700303",
                    cii="A00000004", date="20130101", ofn="LA13F000777",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
                doj_conviction_line("6", "910005", name="FICTION,GOLF", dob="19900909",
                    cii="A00000005", date="20140202",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
                doj_conviction_line("7", "910007", name="NOTEWORTHY,INDIA", dob="19920202",
                    cii="A00000007", date="20170101", ofn="LA17F000888",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    court = write_court_file(
        work / "court.csv",
        [
            court_line("MA150000555", "1", name='"MOCKUP, HOTEL"', dob="08/08/1988",
                cii="A00000006", code="HS 11357(B)", level="M", disposition_date="05/05/2015",
                relief="1203.4 GRANTED", relief_date="05/05/2017"),
            court_line("BA100012345", "1", name='"TESTPERSON, ALPHA"', dob="01/01/1980",
                cii="A00000001", code="HS 11359", disposition_date="03/15/2010"),
            court_line("BA110000222", "1", name='"SAMPLEMAN, BRAVO"', dob="05/05/1975",
                cii="A00000002", code="HS 11360(A)", disposition_date="06/10/2011",
                relief="11361.8 GRANTED", relief_date="05/01/2019"),
            court_line("BA120000333", "1", name='"EXAMPLE, CHARLIE"', dob="07/07/1985",
                cii="A00000003", code="HS 11358", disposition_date="01/20/2012",
                relief="11361.8 PENDING", relief_date="01/10/2020"),
            court_line("MA120000009", "1", name='"FICTION, DELTA"', dob="09/09/1990",
                code="HS 11357(B)", level="M", disposition_date="08/08/2012"),
            court_line("BA140000999", "1", name='"FICTION, KILO"', disposition=""),
        ],
    )  # fmt: skip
    mapping = write_mapping(work / "court_mapping.yaml")
    out = work / "out"
    completed = clearance(
        work, "run", "--doj", str(doj), "--court", str(court), "--court-mapping", str(mapping),
        "--county", "LOS ANGELES", "--policy", "legal-default", "--compute-at", "2026-07-01",
        "--no-answer-key", "--out", str(out), "--warehouse", str(work / "warehouse.duckdb"),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]
    return {
        "folder": (out / "los_angeles" / "latest").resolve(),
        "stdout": completed.stdout,
        "court": court,
        "mapping": mapping,
    }


def read_list(folder: Path) -> list[list[str]]:
    with (folder / f"{LIST_STEM}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_motion_list_rows_by_hand(run: dict):
    rows = read_list(run["folder"])

    assert rows[0] == [
        "Case Number", "Defendant Name", "Date of Birth", "Sections", "Relief", "Reason",
    ]  # fmt: skip
    assert rows[1:] == [
        ["BA100012345", "TESTPERSON, ALPHA", "1980-01-01", "HS 11359", "reduce",
         "Now a misdemeanor"],
        ["LA13F000777", "PLACEHOLDER,ECHO", "1970-03-03", "HS 11359", "reduce",
         "Now a misdemeanor"],
        ["MA150000555", "MOCKUP, HOTEL", "1988-08-08", "HS 11357(b)", "dismiss",
         "Now lawful for adults 21 and over"],
    ]  # fmt: skip


def test_motion_list_sorted_by_case_number(run: dict):
    case_numbers = [row[0] for row in read_list(run["folder"])[1:]]

    assert case_numbers == sorted(case_numbers)


def test_motion_list_files_are_owner_only(run: dict):
    folder = run["folder"]

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for suffix in (".csv", ".pdf"):
        path = folder / f"{LIST_STEM}{suffix}"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_motion_list_pdf_parses_back(run: dict):
    reader = PdfReader(run["folder"] / f"{LIST_STEM}.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert len(reader.pages) == 1
    assert "Motion list" in text
    assert "County: LOS ANGELES" in text
    assert "Policy: legal-default" in text
    assert "Compute date: 2026-07-01" in text
    assert "Page 1 of 1" in text
    assert "BA100012345" in text
    assert "PLACEHOLDER,ECHO" in text
    assert "BA110000222" not in text


def test_summary_has_court_figures(run: dict):
    summary = json.loads((run["folder"] / "summary.json").read_text(encoding="utf-8"))

    # Seven DOJ convictions in the county: 4 matched, 3 DOJ only.
    assert summary["court"] == {
        "files": 1,
        "matched": 4,
        "doj_only": 3,
        "court_only": 1,
        "already_relieved": 1,
        "relief_pending": 1,
        "case_number_from_court": 0,
        "linked_by": {"case_number": 4},
        "rows": {"read": 6, "loaded": 5, "quarantined": 1, "values_set_to_null": 0},
        # 910007 is not eligible; the other six are, and each is listed or kept off once.
        "motions": {
            "eligible": 6,
            "listed": 3,
            "kept_off_already_relieved": 1,
            "kept_off_relief_pending": 1,
            "kept_off_no_case_number": 1,
        },
        "motion_list_rows": {"LOS ANGELES": 3},
    }


def test_court_only_review_lists_delta(run: dict):
    path = run["folder"] / "Court_Only_Hand_Review.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert rows == [
        ["Court", "Case Number", "Charge Sequence", "Section", "Level", "Disposition Date",
         "Determination", "Reason"],
        ["LOS ANGELES", "MA120000009", "1", "HS 11357(b)", "MISDEMEANOR", "2012-08-08",
         "Hand Review", "Court record only: history not in DOJ data"],
    ]  # fmt: skip
    assert "FICTION" not in path.read_text(encoding="utf-8")


def test_link_review_has_only_header(run: dict):
    # Every link here is by case number, so no person pair scores near the threshold.
    path = run["folder"] / "Court_Link_Review.csv"

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").splitlines() == [
        "Court Case Number,Court Charge Sequence,DOJ Case Number,Match Score,Linked,CII Number,"
        "Name,Date of Birth"
    ]


def test_run_manifest_lists_court_file(run: dict):
    manifest = json.loads((run["folder"] / "run-manifest.json").read_text(encoding="utf-8"))

    assert manifest["court_inputs"] == [
        {
            "file_order": 1,
            "file_name": "court.csv",
            "path": str(run["court"].resolve()),
            "sha256": hashlib.sha256(run["court"].read_bytes()).hexdigest(),
            "mapping_path": str(run["mapping"].resolve()),
            "mapping_sha256": hashlib.sha256(run["mapping"].read_bytes()).hexdigest(),
            "court_county": "LOS ANGELES",
            "rows_read": 6,
            "rows_loaded": 5,
            "rows_quarantined": 1,
            "field_warnings": 0,
        }
    ]
    assert manifest["row_counts"]["court_rows_read"] == 6
    assert manifest["row_counts"]["court_rows_quarantined"] == 1


def test_printed_summary_has_court_figures(run: dict):
    stdout = run["stdout"]

    assert "Court convictions:          4 matched, 3 DOJ only, 1 court only" in stdout
    assert "Prior 11361.8 relief:       1 already relieved, 1 pending" in stdout
    assert "Links by method:            case_number 4" in stdout
    assert "Court rows:                 6 read, 5 loaded, 1 quarantined, 0 values set to null" in (
        stdout
    )
    assert (
        "Eligible DOJ convictions:   6: 3 on motions, kept off 1 already relieved, "
        "1 relief pending, 1 without case number"
    ) in stdout
    assert "Motion list rows:           LOS ANGELES 3" in stdout


def test_court_query_counts_links(run: dict):
    query = read_example_queries()["Court linking"]
    with duckdb.connect(str(run["folder"] / "analyst.duckdb"), read_only=True) as con:
        measures = dict(con.execute(query).fetchall())

    # The same figures as summary.json, one row per measure: 910001, 910002, 910003 and 910006
    # link by case number; 910004, 910005 and 910007 are DOJ only; DELTA is court only.
    assert measures == {
        "already_relieved": 1,
        "case_number_from_court": 0,
        "court_only": 1,
        "doj_only": 3,
        "linked_by_case_number": 4,
        "matched": 4,
        "relief_pending": 1,
    }


def test_names_stay_out_of_analyst_database_and_summary(run: dict):
    folder = run["folder"]
    summary = (folder / "summary.json").read_text(encoding="utf-8")
    analyst = (folder / "analyst.duckdb").read_bytes()

    for name in ("TESTPERSON", "PLACEHOLDER", "MOCKUP"):
        assert name not in summary
        assert name.encode() not in analyst
