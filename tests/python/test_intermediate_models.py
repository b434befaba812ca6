"""Intermediate DOJ models: dbt unit tests, and a synthetic history run through staging.

Every person, identifier and case number here is invented.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import duckdb
import pytest
from dbt_harness import empty_warehouse, run_dbt
from raw_lines import insert_doj_lines

from clearance.doj_layout import DOJ_COLUMNS

pytestmark = pytest.mark.slow

RUN_ID = "run-intermediate-test"
INTERMEDIATE_MODELS = "+int_subjects +int_disqualifying_priors"


def doj_line(**fields: str) -> dict[str, str]:
    """Return one raw DOJ row: the named columns set, every other column empty."""
    row = dict.fromkeys(DOJ_COLUMNS, "")
    row.update(fields)
    return row


def court_count(cnt_order: str, offense: str, **fields: str) -> dict[str, str]:
    """Return a convicted count of subject SYN-1 in a court action."""
    defaults = {
        "SUBJECT_ID": "SYN-1",
        "PRI_NAME": "SAMPLE,ALEX",
        "GENDER": "FEMALE",
        "PRI_DOB": "19700315",
        "CNT_ORDER": cnt_order,
        "STP_TYPE_DESCR": "COURT ACTION",
        "OFFENSE_DESCR": offense,
        "DISP_DESCR": "CONVICTED-JAIL",
    }
    defaults.update(fields)
    return doj_line(**defaults)


# One invented history. Cycle 001: an attempted murder in Kern (a super strike). Cycle 002: a
# felony HS 11359 in Los Angeles with two sentence parts (6 months and 30 days) and the first
# part written twice. Cycle 003: a possession for sale written with book PC (a Prop 64
# miscoding), convicted as a misdemeanor. Cycle 004: a PC 290 registration.
HISTORY = (
    court_count(
        "001001001000",
        "664/187 PC-ATTEMPTED MURDER",
        CYC_DATE="19940101",
        STP_EVENT_DATE="19950210",
        STP_ORI_CNTY_NAME="KERN",
        CONV_STAT_DESCR="FELONY",
        OFN="KC-0001",
        SENT_LENGTH="7",
        SENT_TIME_CODE="Y",
    ),
    court_count(
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150310",
        STP_ORI_CNTY_NAME="LOS ANGELES",
        CONV_STAT_DESCR="FELONY",
        OFN="LA-0002",
        SENT_ORDER="1",
        SENT_LENGTH="6",
        SENT_TIME_CODE="M",
    ),
    court_count(
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150310",
        STP_ORI_CNTY_NAME="LOS ANGELES",
        CONV_STAT_DESCR="FELONY",
        OFN="LA-0002",
        SENT_ORDER="1",
        SENT_LENGTH="6",
        SENT_TIME_CODE="M",
    ),
    court_count(
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150310",
        STP_ORI_CNTY_NAME="LOS ANGELES",
        CONV_STAT_DESCR="FELONY",
        OFN="LA-0002",
        SENT_ORDER="2",
        SENT_LENGTH="30",
        SENT_TIME_CODE="D",
    ),
    court_count(
        "003001001000",
        "11359 PC-POSSESS MARIJUANA FOR SALE",
        CYC_DATE="",
        STP_EVENT_DATE="20160500",
        STP_ORI_CNTY_NAME="LOS ANGELES",
        OFFENSE_TOC="M",
    ),
    doj_line(
        SUBJECT_ID="SYN-1",
        CNT_ORDER="004001001000",
        STP_TYPE_DESCR="REGISTRATION",
        STP_EVENT_DATE="19990601",
        OFFENSE_DESCR="290 PC-REGISTRATION OF SEX OFFENDER",
    ),
)


def load_history(warehouse: Path) -> None:
    """Register the invented history as the only file of RUN_ID in the raw layer."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into raw.runs values (?, 'LOS ANGELES', 'legal-default', '{}', date '2026-01-01', now())",
            [RUN_ID],
        )
        con.execute("insert into raw.run_files values (?, 'load-synthetic', 1)", [RUN_ID])
        con.execute("insert into raw.run_subject_keys values (?, 'SYN-1', 'key-syn-1')", [RUN_ID])
        insert_doj_lines(con, "load-synthetic", enumerate(HISTORY, start=1))


@pytest.fixture(scope="module")
def built_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build staging and the intermediate models over the invented history, in a new warehouse."""
    work_dir = tmp_path_factory.mktemp("intermediate_history")
    warehouse = empty_warehouse(work_dir / "warehouse.duckdb")
    load_history(warehouse)
    result = run_dbt(
        ["build", "--select", INTERMEDIATE_MODELS, "--exclude", "test_type:unit"],
        warehouse,
        work_dir,
        run_id=RUN_ID,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse


def query_row(warehouse: Path, sql: str) -> dict[str, object]:
    """Run a query on the built warehouse, read-only, and return its single row by column name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        names = [column[0] for column in cursor.description]
    assert len(rows) == 1, f"expected one row, got {len(rows)}"
    return dict(zip(names, rows[0], strict=True))


def conviction(warehouse: Path, cnt_order: str) -> dict[str, object]:
    """Return the int_convictions row of the invented subject's count."""
    return query_row(
        warehouse, f"select * from intermediate.int_convictions where cnt_order = '{cnt_order}'"
    )


def test_intermediate_unit_tests_pass(tmp_path: Path) -> None:
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    # Unit tests need their parent relations to exist, so build them empty first.
    build = run_dbt(
        ["build", "--empty", "--select", INTERMEDIATE_MODELS, "--exclude", "test_type:unit"],
        warehouse,
        tmp_path,
    )
    assert build.returncode == 0, build.stdout[-4000:]

    unit = run_dbt(
        ["test", "--select", "path:models/intermediate/doj,test_type:unit"], warehouse, tmp_path
    )

    assert unit.returncode == 0, unit.stdout[-6000:]
    assert "PASS=16" in unit.stdout, unit.stdout[-2000:]


def test_history_has_three_convictions(built_history: Path) -> None:
    row = query_row(
        built_history, "select count(*) as convictions from intermediate.int_convictions"
    )

    assert row["convictions"] == 3


def test_attempted_murder_is_super_strike(built_history: Path) -> None:
    row = conviction(built_history, "001001001000")

    assert row["is_super_strike"] is True
    assert row["is_possible_pc290_offense"] is True
    # The 2019 Los Angeles list took no attempts.
    assert row["is_la2019_super_strike"] is False
    assert row["is_in_run_county"] is False
    assert row["disposition_date_start"] == datetime.date(1995, 2, 10)


def test_two_sentence_parts_summed(built_history: Path) -> None:
    # 2015-03-10 plus 6 months is 2015-09-10, and 30 days more is 2015-10-10, 214 days in all.
    # The first part is written twice but counts once.
    row = conviction(built_history, "002001001000")

    assert row["sentence_end_date_start"] == datetime.date(2015, 10, 10)
    assert row["sentence_end_date_end"] == datetime.date(2015, 10, 10)
    assert row["sentence_days_total"] == 214
    assert row["has_unknown_sentence_part"] is False
    assert row["has_conflicting_repeat"] is False
    assert row["case_numbers"] == "LA-0002"


def test_miscoded_11359_pc_is_prop64_only(built_history: Path) -> None:
    row = conviction(built_history, "003001001000")

    assert row["is_prop64"] is True
    assert row["prop64_section"] == "11359"
    assert row["book_flag"] == "book written as PC"
    assert row["is_felony"] is False
    assert row["is_super_strike"] is False
    assert row["is_pc290_offense"] is False
    assert row["is_related_charge"] is False


def test_month_only_date_is_a_range(built_history: Path) -> None:
    # The step date 20160500 is all of May 2016. With no cycle date, the conduct date is the
    # disposition date.
    row = conviction(built_history, "003001001000")

    assert row["disposition_date_start"] == datetime.date(2016, 5, 1)
    assert row["disposition_date_end"] == datetime.date(2016, 5, 31)
    assert row["disposition_date_precision"] == "month"
    assert row["conduct_date_start"] == datetime.date(2016, 5, 1)
    assert row["conduct_date_end"] == datetime.date(2016, 5, 31)


def test_subject_summary_of_history(built_history: Path) -> None:
    row = query_row(built_history, "select * from intermediate.int_subjects")

    assert row["subject_key"] == "key-syn-1"
    assert row["conviction_count"] == 3
    assert row["prop64_conviction_count"] == 2
    assert row["hs_11359_count"] == 2
    assert row["has_only_prop64_convictions"] is False
    assert row["super_strike_sections"] == "PC 664/187"
    assert row["pc290_sections"] is None
    assert row["latest_conviction_date_end"] == datetime.date(2016, 5, 31)
    assert row["has_undated_conviction"] is False
    assert row["is_pc290_registrant"] is True
    assert row["pc290_registration_date_start"] == datetime.date(1999, 6, 1)
    assert row["has_prop64_conviction_in_county"] is True
    assert row["dob_start"] == datetime.date(1970, 3, 15)
    assert row["dob_end"] == datetime.date(1970, 3, 15)


def test_disqualifying_priors_of_history(built_history: Path) -> None:
    with duckdb.connect(str(built_history), read_only=True) as con:
        priors = con.execute(
            "select list_name, code_section, date_start from intermediate.int_disqualifying_priors "
            "order by list_name, code_section"
        ).fetchall()

    assert priors == [
        ("la2019_pc290", "PC 290 registration", datetime.date(1999, 6, 1)),
        ("pc290", "PC 290 registration", datetime.date(1999, 6, 1)),
        ("possible_pc290", "PC 664/187", datetime.date(1995, 2, 10)),
        ("super_strike", "PC 664/187", datetime.date(1995, 2, 10)),
    ]
