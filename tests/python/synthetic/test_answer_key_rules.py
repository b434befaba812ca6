"""The answer key's reading of each policy, on the smallest histories that make a rule fire or not.

Each case builds the generator's own tables by hand (a subject, its convictions as counts and
court steps, sentence parts), then reads the key. Expected values are worked out from
policies/la-pilot-2019.yaml and policies/sf-2019.yaml, compute date 2026-07-01.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from clearance.synthetic.generator.answer_key import create_answer_key

COMPUTE_DATE = date(2026, 7, 1)
COUNTY = "LOS ANGELES"

# Dates of birth of someone 40 on the compute date, and of someone turning 50 on it.
AGE_40 = "1986-01-15"
AGE_50 = "1976-07-01"


def _conviction(
    cycle: int,
    *,
    disposed: str,
    arrested: str | None = None,
    section: str | None = "11359",
    subsection: str = "",
    level: str = "F",
    offense: str = "11359 HS-POSSESS MARIJUANA FOR SALE",
    county: str = COUNTY,
    sentence: tuple[int, str] = (30, "D"),
) -> dict:
    """One convicted count 1 of `cycle`; `disposed` is the court step's DOJ date text."""
    return {
        "cycle": cycle,
        "disposed": disposed,
        "arrested": arrested or f"{disposed[:4]}-01-01",
        "section": section,
        "subsection": subsection,
        "level": level,
        "offense": offense,
        "county": county,
        "sentence": sentence,
    }


SUPER_STRIKE = {"section": None, "offense": "187 PC-MURDER", "county": "ORANGE"}
BURGLARY = {"section": None, "offense": "459 PC-BURGLARY"}


def _create_tables(con: duckdb.DuckDBPyConnection, dob: str | None, deceased: bool) -> None:
    """Create the generator's tables that the key reads, with one subject and no convictions."""
    con.execute(
        "create temp table subjects as select 0 as subject, 1 as subject_number, "
        "?::date as recorded_dob, ? as deceased, 'background' as scenario",
        [dob, deceased],
    )
    con.execute("create temp table cycles (subject int, cycle int, is_planned boolean)")
    con.execute(
        """create temp table counts (subject int, cycle int, count_number int, county_name varchar,
        is_prop64 boolean, prop64_section varchar, prop64_subsection varchar, offense_toc varchar,
        cycle_date date, offense_text varchar, is_gang_pair boolean, convicted boolean)"""
    )
    con.execute(
        """create temp table steps (subject int, cycle int, count_number int, step_type varchar,
        step_date_text varchar)"""
    )
    con.execute(
        """create temp table sentenced (subject int, cycle int, count_number int, step_type varchar,
        sentence_part int, sent_length int, sent_time_code varchar)"""
    )


def _insert_conviction(con: duckdb.DuckDBPyConnection, conviction: dict) -> None:
    """Insert one conviction as its cycle, count 1, court step and one sentence part."""
    cycle = conviction["cycle"]
    con.execute("insert into cycles values (0, ?, false)", [cycle])
    con.execute(
        "insert into counts values (0, ?, 1, ?, ?, ?, ?, ?, ?::date, ?, false, true)",
        [
            cycle,
            conviction["county"],
            conviction["section"] is not None,
            conviction["section"],
            conviction["subsection"],
            conviction["level"],
            conviction["arrested"],
            conviction["offense"],
        ],
    )
    con.execute(
        "insert into steps values (0, ?, 1, 'COURT ACTION', ?)", [cycle, conviction["disposed"]]
    )
    length, unit = conviction["sentence"]
    con.execute(
        "insert into sentenced values (0, ?, 1, 'COURT ACTION', 1, ?, ?)", [cycle, length, unit]
    )


def _answer(
    convictions: list[dict],
    *,
    dob: str | None = AGE_40,
    deceased: bool = False,
    registered: str | None = None,
) -> dict[tuple[str, str], tuple[str, str]]:
    """Build the tables for one subject, and return {(policy, cnt_order): (determination, reason)}."""
    con = duckdb.connect()
    _create_tables(con, dob, deceased)
    for conviction in convictions:
        _insert_conviction(con, conviction)
    if registered:
        con.execute("insert into steps values (0, 99, 1, 'REGISTRATION', ?)", [registered])

    create_answer_key(con, COUNTY, COMPUTE_DATE)
    rows = con.execute("select policy, cnt_order, determination, reason from answer_key").fetchall()
    return {
        (policy, cnt_order): (determination, reason)
        for policy, cnt_order, determination, reason in rows
    }


FIRST = "001002001000"
SECOND = "002002001000"
THIRD = "003002001000"


def test_misdemeanor_by_county_policy():
    answer = _answer(
        [_conviction(1, disposed="20100301", level="M", section="11357", subsection="(c)")]
    )
    assert answer[("la-pilot-2019", FIRST)] == (
        "To be reviewed by City Attorneys",
        "Misdemeanor or Infraction",
    )
    assert answer[("sf-2019", FIRST)] == (
        "Eligible for Dismissal",
        "Dismiss and seal: misdemeanor or infraction",
    )


def test_disposition_date_prop64_boundary():
    on_the_day = _answer([_conviction(1, disposed="20161109")])
    day_before = _answer([_conviction(1, disposed="20161108")])
    assert on_the_day[("la-pilot-2019", FIRST)] == ("Not eligible", "Occurred after 11/09/2016")
    assert on_the_day[("sf-2019", FIRST)] == ("Not eligible", "Sentenced after Prop 64")
    assert day_before[("sf-2019", FIRST)] == ("Eligible for Dismissal", "Dismiss and seal: felony")


def test_disposition_year_2016_is_missing_fact():
    answer = _answer([_conviction(1, disposed="20160000")])
    assert answer[("la-pilot-2019", FIRST)] == ("Hand Review", "Missing fact: disposition date")
    assert answer[("sf-2019", FIRST)] == ("Hand Review", "Missing fact: disposition date")


def test_felony_11357_a_dismissed_in_la():
    answer = _answer([_conviction(1, disposed="20100301", section="11357", subsection="(a)")])
    assert answer[("la-pilot-2019", FIRST)] == ("Eligible for Dismissal", "11357(a) or 11357(b)")


def test_super_strike_before_disposition_in_la():
    before = _answer(
        [_conviction(1, disposed="20050301", **SUPER_STRIKE), _conviction(2, disposed="20100301")]
    )
    same_day = _answer(
        [_conviction(1, disposed="20100301", **SUPER_STRIKE), _conviction(2, disposed="20100301")]
    )
    assert before[("la-pilot-2019", SECOND)] == ("Not eligible", "PC 667(e)(2)(c)(iv)")
    # Not strictly before, so the flow goes on: 40 years old, not only Prop 64 convictions, and
    # the latest conviction (2010) is more than 10 years before the compute date.
    assert same_day[("la-pilot-2019", SECOND)] == (
        "Eligible for Dismissal",
        "No convictions in past 10 years",
    )


def test_super_strike_on_conduct_day_in_sf():
    answer = _answer(
        [
            _conviction(1, disposed="20100115", **SUPER_STRIKE),
            _conviction(2, disposed="20100301", arrested="2010-01-15"),
        ]
    )
    assert answer[("sf-2019", SECOND)] == (
        "Hand Review",
        "Missing fact: disposition date of a possible super strike",
    )


def test_pc290_registration_before_and_after():
    answer = _answer([_conviction(1, disposed="20100301")], registered="20090101")
    later = _answer([_conviction(1, disposed="20100301")], registered="20110101")
    assert answer[("la-pilot-2019", FIRST)] == ("Not eligible", "PC 290")
    assert answer[("sf-2019", FIRST)] == ("Not eligible", "Prior PC 290 offense")
    assert later[("sf-2019", FIRST)] == ("Eligible for Dismissal", "Dismiss and seal: felony")


def test_same_section_priors_two_and_one():
    two = _answer(
        [
            _conviction(1, disposed="20000301"),
            _conviction(2, disposed="20050301"),
            _conviction(3, disposed="20100301"),
        ]
    )
    one = _answer([_conviction(1, disposed="20050301"), _conviction(2, disposed="20100301")])
    assert two[("la-pilot-2019", THIRD)] == ("Not eligible", "Two priors")
    assert two[("sf-2019", THIRD)] == ("Not eligible", "Two or more prior convictions")
    assert one[("sf-2019", SECOND)] == ("Eligible for Dismissal", "Dismiss and seal: felony")


def test_age_50_boundary_in_la():
    history = [_conviction(1, disposed="20100301"), _conviction(2, disposed="20200301", **BURGLARY)]
    fifty = _answer(history, dob=AGE_50)
    younger = _answer(history, dob="1976-07-02")
    assert fifty[("la-pilot-2019", FIRST)] == ("Eligible for Dismissal", "50 years or older")
    # 49, a burglary in 2020 and its 30 days long over: nothing else applies.
    assert younger[("la-pilot-2019", FIRST)] == (
        "Hand Review",
        "No applicable eligibility criteria",
    )


def test_missing_birth_date_in_la():
    history = [_conviction(1, disposed="20100301"), _conviction(2, disposed="20200301", **BURGLARY)]
    # The age rules grant relief, so an unknown age skips them and the flow goes on to the end.
    assert _answer(history, dob=None)[("la-pilot-2019", FIRST)] == (
        "Hand Review",
        "No applicable eligibility criteria",
    )


def test_only_prop64_sentences_ended_in_la():
    transport = {"section": "11360", "offense": "11360(A) HS-TRANSPORT/SELL MARIJUANA"}
    answer = _answer(
        [_conviction(1, disposed="20100301"), _conviction(2, disposed="20200301", **transport)]
    )
    assert answer[("la-pilot-2019", FIRST)] == (
        "Eligible for Dismissal",
        "Only has 11357-60 charges and completed sentence",
    )


def test_sentence_running_in_la():
    history = [
        _conviction(1, disposed="20100301"),
        _conviction(2, disposed="20250301", sentence=(2, "Y"), **BURGLARY),
    ]
    answer = _answer(history)
    assert answer[("la-pilot-2019", FIRST)] == ("Hand Review", "Currently serving sentence")


def test_sentence_end_uncertain_in_la():
    # Disposed some day in June 2025, 13 months: the sentence ends between 1 and 30 July 2026,
    # so it may have ended on the compute date (1 July) or may still run.
    history = [
        _conviction(1, disposed="20100301"),
        _conviction(2, disposed="20250600", sentence=(13, "M"), **BURGLARY),
    ]
    answer = _answer(history)
    assert answer[("la-pilot-2019", FIRST)] == ("Hand Review", "Missing fact: end of a sentence")


def test_deceased_subject_in_la():
    history = [_conviction(1, disposed="20100301"), _conviction(2, disposed="20200301", **BURGLARY)]
    assert _answer(history, deceased=True)[("la-pilot-2019", FIRST)] == (
        "Eligible for Dismissal",
        "Deceased",
    )


def test_other_county_conviction_not_keyed():
    answer = _answer([_conviction(1, disposed="20100301", county="ORANGE")])
    assert answer == {}


@pytest.mark.parametrize(
    "policy, reason",
    [
        ("dismiss-all-prop64", "Dismiss all Prop 64 charges"),
        ("dismiss-all-prop64-and-related", "Dismiss all Prop 64 and related charges"),
    ],
)
def test_hypotheticals_dismiss_everything(policy, reason):
    answer = _answer([_conviction(1, disposed="20161109")])
    assert answer[(policy, FIRST)] == ("Eligible for Dismissal", reason)
