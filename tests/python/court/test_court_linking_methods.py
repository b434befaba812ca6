"""One hand-made run in which each link method, a court-only conviction and prior relief occur.

DOJ file (Los Angeles, one Prop 64 conviction per subject):
- 900001 has OFN LA10F012345; the court's BA100012345 normalizes to the same F-10-12345.
- 900002 has no OFN; the court case has another number, a swapped name and the same CII.
- 900003 has no OFN; the court case has no CII, a mistyped first name and the same birth date.
- 900004 has no court record.
The court file adds a dismissed charge, which is not a conviction, and a court-only 11357
conviction of a person the DOJ file does not contain.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from clearance_command import clearance
from court_test_files import court_line, doj_conviction_line, write_court_file, write_mapping

from clearance.doj_layout import DOJ_COLUMNS
from clearance.linking.person_links import comparison_level_labels

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("court_links")
    doj = work / "doj.csv"
    doj.write_text(
        "\n".join(
            [
                ",".join(DOJ_COLUMNS),
                doj_conviction_line("1", "900001", name="TESTPERSON,ALPHA", dob="19800101",
                    cii="A00000001", date="20100315", ofn="LA10F012345",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
                doj_conviction_line("2", "900002", name="SAMPLEMAN,BRAVO", dob="19750505",
                    cii="A00000002", date="20110610",
                    offense="11360(A) HS-TRANSPORT/SELL MARIJUANA"),
                doj_conviction_line("3", "900003", name="EXAMPLE,CHARLIE JAMES", dob="19850707",
                    cii="A00000003", date="20120120", offense="11358 HS-CULTIVATE MARIJUANA"),
                doj_conviction_line("4", "900004", name="PLACEHOLDER,ECHO", dob="19700303",
                    cii="A00000004", date="20130101", ofn="LA13F000777",
                    offense="11359 HS-POSSESS MARIJUANA FOR SALE"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    court = write_court_file(
        work / "court.csv",
        [
            court_line("BA100012345", "1", name='"TESTPERSON, ALPHA"', dob="01/01/1980",
                cii="A00000001", code="HS 11359", disposition_date="03/15/2010",
                relief="11361.8 GRANTED", relief_date="05/01/2019"),
            court_line("BA100012345", "2", name='"TESTPERSON, ALPHA"', code="PC 647(F)",
                level="M", disposition="DISMISSED", disposition_date="03/15/2010"),
            court_line("BA110500001", "1", name='"BRAVO, SAMPLEMAN"', dob="", cii="A00000002",
                code="HS 11360(A)", disposition_date="06/10/2011",
                relief="11361.8 PENDING", relief_date="01/10/2020"),
            court_line("BA120600002", "1", name='"EXAMPLE, CHARLEY"', dob="07/07/1985",
                code="HS 11358", disposition_date="01/20/2012",
                relief="1203.4 GRANTED", relief_date="01/20/2014"),
            court_line("MA120000009", "1", name='"FICTION, DELTA"', dob="09/09/1990",
                code="HS 11357(B)", level="M", disposition_date="08/08/2012"),
        ],
    )  # fmt: skip
    mapping = write_mapping(work / "court_mapping.yaml")
    database = work / "warehouse.duckdb"
    completed = clearance(
        work, "run", "--doj", str(doj), "--court", str(court), "--court-mapping", str(mapping),
        "--county", "LOS ANGELES", "--policy", "legal-default", "--compute-at", "2026-07-01",
        "--no-answer-key", "--out", str(work / "out"), "--warehouse", str(database),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]
    return database


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_each_method_links_its_conviction(warehouse: Path):
    links = query(
        warehouse,
        """
        select links.conviction_id, charges.case_number, links.link_method
        from intermediate.int_court__links as links
        inner join staging.stg_court__charges as charges
            on links.court_charge_id = charges.court_charge_id
        order by links.conviction_id
        """,
    )
    assert links == [
        ("900001-001002001000", "BA100012345", "case_number"),
        ("900002-001002001000", "BA110500001", "cii"),
        ("900003-001002001000", "BA120600002", "name_dob"),
    ]


def test_person_link_scores_reach_the_threshold(warehouse: Path):
    scores = query(
        warehouse,
        """
        select conviction_id, match_score >= 0.9
        from intermediate.int_court__links
        where link_method <> 'case_number'
        order by conviction_id
        """,
    )
    assert scores == [("900002-001002001000", True), ("900003-001002001000", True)]


def test_sources_relief_and_filled_case_numbers(warehouse: Path):
    rows = query(
        warehouse,
        """
        select court_conviction_id, record_source, case_number, prior_relief,
            is_kept_off_motions, court_only_determination, court_only_reason
        from intermediate.int_court__prop64_convictions
        order by record_source, court_conviction_id
        """,
    )
    court_only_reason = "Court record only: history not in DOJ data"
    assert [row[1:] for row in rows] == [
        ("court_only", "MA120000009", None, False, "Hand Review", court_only_reason),
        ("doj_only", "LA13F000777", None, False, None, None),
        ("matched", "LA10F012345", "already_relieved", True, None, None),
        ("matched", "BA110500001", "relief_pending", True, None, None),
        # 1203.4 relief leaves HS 11361.8 relief open.
        ("matched", "BA120600002", None, False, None, None),
    ]


def test_summary_counts_each_measure(warehouse: Path):
    summary = dict(
        query(warehouse, "select measure, convictions from marts.fct_court_link_summary")
    )
    assert summary == {
        "matched": 3,
        "doj_only": 1,
        "court_only": 1,
        "already_relieved": 1,
        "relief_pending": 1,
        "linked_by_case_number": 1,
        "linked_by_cii": 1,
        "linked_by_name_dob": 1,
        "case_number_from_court": 2,
    }


def test_comparison_level_codes_have_labels():
    labels = comparison_level_labels()

    assert labels["cii_level"] == {"-1": "missing", "1": "equal", "0": "different"}
    assert labels["dob_level"] == {"-1": "missing", "1": "equal", "0": "different"}
    assert labels["name_level"] == {
        "-1": "missing",
        "4": "last and first name equal",
        "3": "last and first name swapped",
        "2": "last name equal, first name similar",
        "1": "last name equal",
        "0": "different",
    }


def test_name_dob_link_has_labelled_levels(warehouse: Path):
    # CHARLEY against CHARLIE: same last name, similar first name; the court row has no CII.
    [levels] = query(
        warehouse,
        """
        select cii_level, name_level, dob_level
        from intermediate.int_court__person_link_scores
        where conviction_id = '900003-001002001000'
        """,
    )
    labels = comparison_level_labels()

    assert labels["cii_level"][levels[0]] == "missing"
    assert labels["name_level"][levels[1]] == "last name equal, first name similar"
    assert labels["dob_level"][levels[2]] == "equal"
