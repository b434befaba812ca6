"""Policy engine models: dbt unit tests, and invented histories run from raw rows to the marts.

The county policy comes from an options file through clearance.policies, so these tests also pin
that the JSON parameters Python writes are the ones the SQL predicates read. Every person,
identifier and case number here is invented.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import duckdb
import pytest
from dbt_harness import empty_warehouse, run_dbt
from raw_lines import insert_doj_lines

from clearance.doj_layout import DOJ_COLUMNS
from clearance.policies import policy_from_options, write_run_policy_rules

pytestmark = pytest.mark.slow

RUN_ID = "run-policy-test"
COUNTY = "SAN JOAQUIN"
POLICY_MODELS = "+fct_county_impact +fct_outcome_reasons"
POLICY_MODEL_PATHS = (
    "path:models/intermediate/eligibility,test_type:unit "
    "path:models/marts/eligibility,test_type:unit"
)
OPTIONS = {
    "baselineEligibility": {"dismiss": ["11357"], "reduce": ["11359", "11360"]},
    "additionalRelief": {
        "subjectUnder21AtConviction": True,
        "subjectAgeThreshold": 50,
        "yearsSinceConvictionThreshold": 10,
        "yearsCrimeFreeThreshold": 0,
        "subjectHasOnlyProp64Charges": False,
        "subjectIsDeceased": True,
    },
}


def court_count(subject: str, cnt_order: str, offense: str, **fields: str) -> list[str]:
    """Return one raw DOJ row: a convicted count in a court action in the run's county."""
    row = dict.fromkeys(DOJ_COLUMNS, "")
    row.update(
        SUBJECT_ID=subject,
        PRI_NAME="SAMPLE,PERSON",
        CNT_ORDER=cnt_order,
        CYC_ORDER=cnt_order[:3],
        STP_TYPE_DESCR="COURT ACTION",
        STP_ORI_CNTY_NAME=COUNTY,
        OFFENSE_DESCR=offense,
        DISP_DESCR="CONVICTED-PROBATION",
        CONV_STAT_DESCR="FELONY",
        END_OF_REC="END",
    )
    row.update(fields)
    return list(row.values())


# Compute date 1 July 2026; every conduct date is a cycle date, every disposition a step date.
HISTORIES = (
    # 56 on the compute date; a later burglary in another county stays on the record.
    court_count(
        "SYN-A",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        PRI_DOB="19700101",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150301",
    ),
    court_count(
        "SYN-A",
        "002001001000",
        "459 PC-BURGLARY",
        PRI_DOB="19700101",
        CYC_DATE="20200101",
        STP_EVENT_DATE="20200301",
        STP_ORI_CNTY_NAME="ALAMEDA",
    ),
    # A misdemeanor.
    court_count(
        "SYN-B",
        "001001001000",
        "11357(B) HS-POSSESS MARIJUANA",
        PRI_DOB="19900101",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150201",
        CONV_STAT_DESCR="MISDEMEANOR",
    ),
    # Conduct after Prop 64 took effect.
    court_count(
        "SYN-C",
        "001001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        PRI_DOB="19800101",
        CYC_DATE="20170105",
        STP_EVENT_DATE="20170301",
    ),
    # Conduct known only as the year 2016, which straddles 9 November 2016.
    court_count(
        "SYN-D",
        "001001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        PRI_DOB="19800101",
        CYC_DATE="20160000",
        STP_EVENT_DATE="20170301",
    ),
    # No date of birth: the age rules are skipped and the section reduces.
    court_count(
        "SYN-E",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        CYC_DATE="20150101",
        STP_EVENT_DATE="20180301",
    ),
    # 16 when convicted.
    court_count(
        "SYN-F",
        "001001001000",
        "11358 HS-CULTIVATE MARIJUANA",
        PRI_DOB="19990615",
        CYC_DATE="20160101",
        STP_EVENT_DATE="20160301",
    ),
    # A felony 11357(a) with a related PC 148 in the same cycle, both in the last seven years.
    court_count(
        "SYN-G",
        "001001001000",
        "11357(A) HS-POSSESS CONCENTRATED CANNABIS",
        PRI_DOB="19850101",
        CYC_DATE="20160101",
        STP_EVENT_DATE="20200301",
    ),
    court_count(
        "SYN-G",
        "001001002000",
        "148(A)(1) PC-OBSTRUCT PUBLIC OFFICER",
        PRI_DOB="19850101",
        CYC_DATE="20160101",
        STP_EVENT_DATE="20200301",
        CONV_STAT_DESCR="MISDEMEANOR",
    ),
)


def load_histories(warehouse: Path, options_file: Path) -> None:
    """Register the invented histories and the options file's policies as RUN_ID."""
    policy = policy_from_options(options_file)
    subjects = sorted({row[DOJ_COLUMNS.index("SUBJECT_ID")] for row in HISTORIES})
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into raw.runs values (?, ?, ?, ?, date '2026-07-01', now())",
            [RUN_ID, COUNTY, policy.name, policy.parameters_json()],
        )
        con.execute("insert into raw.run_files values (?, 'load-synthetic', 1)", [RUN_ID])
        for subject in subjects:
            con.execute(
                "insert into raw.run_subject_keys values (?, ?, ?)",
                [RUN_ID, subject, "key-" + subject.lower()],
            )
        insert_doj_lines(con, "load-synthetic", enumerate(HISTORIES, start=1))
        write_run_policy_rules(con, RUN_ID, policy)


@pytest.fixture(scope="module")
def built_marts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build everything the policy marts need over the invented histories; return the warehouse."""
    work_dir = tmp_path_factory.mktemp("policy_marts")
    options_file = work_dir / "options.json"
    options_file.write_text(json.dumps(OPTIONS), encoding="utf-8")
    warehouse = empty_warehouse(work_dir / "warehouse.duckdb")
    load_histories(warehouse, options_file)
    result = run_dbt(
        ["build", "--select", POLICY_MODELS, "--exclude", "test_type:unit"],
        warehouse,
        work_dir,
        run_id=RUN_ID,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    """Run a query on the built warehouse, read-only, and return its rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_policy_unit_tests_pass(tmp_path: Path) -> None:
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    # Unit tests need their parent relations to exist, so build them empty first.
    build = run_dbt(
        ["build", "--empty", "--select", POLICY_MODELS, "--exclude", "test_type:unit"],
        warehouse,
        tmp_path,
    )
    assert build.returncode == 0, build.stdout[-4000:]

    unit = run_dbt(["test", "--select", *POLICY_MODEL_PATHS.split()], warehouse, tmp_path)

    assert unit.returncode == 0, unit.stdout[-6000:]
    assert "PASS=37" in unit.stdout, unit.stdout[-2000:]


def test_county_policy_determinations(built_marts: Path) -> None:
    rows = query(
        built_marts,
        "select subject_key, determination, reason, rule_id from marts.fct_conviction_outcomes "
        "where policy_role = 'county' order by subject_key",
    )

    assert rows == [
        ("key-syn-a", "Eligible for Dismissal", "50 years or older", "age_threshold"),
        ("key-syn-b", "Eligible for Dismissal", "Misdemeanor or Infraction", "not_felony"),
        ("key-syn-c", "Not eligible", "Occurred after 11/09/2016", "effective_date"),
        ("key-syn-d", "Hand Review", "Missing fact: conduct date", "effective_date"),
        (
            "key-syn-e",
            "Eligible for Reduction",
            "Reduce all HS 11359 convictions",
            "reduce_section",
        ),
        ("key-syn-f", "Eligible for Dismissal", "21 years or younger", "under_21_at_conviction"),
        (
            "key-syn-g",
            "Eligible for Dismissal",
            "Dismiss all HS 11357 convictions",
            "dismiss_section",
        ),
    ]


def test_decision_facts_read_like_the_rule(built_marts: Path) -> None:
    rows = query(
        built_marts,
        "select subject_key, decision_fact, skipped_rules from marts.fct_conviction_outcomes "
        "where policy_role = 'county' "
        "and subject_key in ('key-syn-a', 'key-syn-c', 'key-syn-e', 'key-syn-f') "
        "order by subject_key",
    )

    assert rows == [
        ("key-syn-a", "age 56 on 2026-07-01, 50 or older", None),
        ("key-syn-c", "conduct 2017-01-05, on or after 2016-11-09", None),
        (
            "key-syn-e",
            "section 11359, in 11359, 11360",
            "rule 4 under_21_at_conviction skipped: date of birth missing; "
            "rule 5 age_threshold skipped: date of birth missing",
        ),
        ("key-syn-f", "21st birthday after disposition 2016-03-01", None),
    ]


def test_restricted_decisions_keep_date_of_birth(built_marts: Path) -> None:
    rows = query(
        built_marts,
        "select decision_fact from intermediate.int_policy_decisions "
        "where subject_id = 'SYN-A' and policy_role = 'county'",
    )

    assert rows == [("date of birth 1970-01-01, age 56 on 2026-07-01, 50 or older",)]


def test_county_impact_per_policy(built_marts: Path) -> None:
    rows = query(
        built_marts,
        "select policy_name, county, compute_date, prop64_convictions, prop64_felony_convictions, "
        "eligible_convictions, dismissal_convictions, reduction_convictions, "
        "not_eligible_convictions, hand_review_convictions, subjects_with_prop64_conviction, "
        "subjects_with_some_relief, subjects_with_no_felony_left, "
        "subjects_with_no_conviction_left, subjects_with_no_conviction_last_7_years_left, "
        "dismissed_related_charge_convictions, earliest_prop64_disposition_date "
        "from marts.fct_county_impact order by policy_order",
    )

    earliest = datetime.date(2015, 2, 1)
    compute = datetime.date(2026, 7, 1)
    # County policy: A, B, F, G dismissed and E reduced. No felony left: E, F, G (A keeps its
    # burglary). No conviction left: B, F. In the seven years after 1 July 2019 only A's burglary
    # and G's two convictions fall, and neither subject has all of them dismissed.
    assert rows[0] == (
        "configurable",
        COUNTY,
        compute,
        7,
        6,
        5,
        4,
        1,
        1,
        1,
        7,
        5,
        3,
        2,
        0,
        0,
        earliest,
    )
    # Dismissing every Prop 64 conviction leaves A's burglary and G's PC 148.
    assert rows[1] == (
        "dismiss-all-prop64",
        COUNTY,
        compute,
        7,
        6,
        7,
        7,
        0,
        0,
        0,
        7,
        7,
        5,
        5,
        0,
        0,
        earliest,
    )
    # With related charges G's PC 148 goes too, clearing G's record and its last seven years.
    assert rows[2] == (
        "dismiss-all-prop64-and-related",
        COUNTY,
        compute,
        7,
        6,
        7,
        7,
        0,
        0,
        0,
        7,
        7,
        5,
        6,
        1,
        1,
        earliest,
    )


def test_outcome_reasons_count_convictions(built_marts: Path) -> None:
    rows = query(
        built_marts,
        "select determination, reason, convictions, subjects from marts.fct_outcome_reasons "
        "where policy_name = 'configurable' and determination = 'Eligible for Dismissal' "
        "order by reason",
    )

    assert rows == [
        ("Eligible for Dismissal", "21 years or younger", 1, 1),
        ("Eligible for Dismissal", "50 years or older", 1, 1),
        ("Eligible for Dismissal", "Dismiss all HS 11357 convictions", 1, 1),
        ("Eligible for Dismissal", "Misdemeanor or Infraction", 1, 1),
    ]
