"""One `clearance run` per built-in county policy on hand-built histories that reach every rule.

Each history is written as DOJ rows, run through the command line, and every Prop 64 conviction
in the county is checked in Prop64_Results.csv. Convictions in other counties are history only,
so earlier convictions that matter (priors, a burglary that blocks "only Prop 64 charges") sit in
ORANGE unless a test needs them in the county. Every run's compute date is 2020-07-01, and every
subject is born on 1975-01-01 (45 on the compute date) unless its comment gives another date.

Expected determinations and reasons are worked out by hand from each policy's rules, which the
docstring of each test lists in order. The first rule that applies decides. Every person,
identifier and case number here is invented.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from clearance_command import clearance

from clearance.counties import county_slug
from clearance.doj_layout import DOJ_COLUMNS

pytestmark = pytest.mark.slow

COMPUTE_DATE = "2020-07-01"
ELSEWHERE = "ORANGE"


def conviction(subject: str, cnt_order: str, offense: str, county: str, **fields: str) -> dict:
    """Return one DOJ row: a convicted count of a court action, a felony unless fields set a level."""
    row = dict.fromkeys(DOJ_COLUMNS, "")
    row.update(
        SUBJECT_ID=subject,
        PRI_NAME="SAMPLE,PERSON",
        PRI_DOB="19750101",
        CNT_ORDER=cnt_order,
        CYC_ORDER=cnt_order[:3],
        STP_ORDER=cnt_order[3:6],
        STP_TYPE_DESCR="COURT ACTION",
        STP_ORI_CNTY_NAME=county,
        OFFENSE_DESCR=offense,
        DISP_DESCR="CONVICTED-JAIL",
        CONV_STAT_DESCR="FELONY",
        END_OF_REC="END",
    )
    row.update(fields)
    return row


def step(subject: str, cnt_order: str, step_type: str, date: str, offense: str = "") -> dict:
    """Return one DOJ row of a step that is not a conviction: a registration or a death notice."""
    row = conviction(subject, cnt_order, offense, ELSEWHERE, STP_EVENT_DATE=date, CYC_DATE=date)
    row.update(STP_TYPE_DESCR=step_type, DISP_DESCR="", CONV_STAT_DESCR="")
    return row


def burglary(subject: str, date: str, **fields: str) -> dict:
    """Return a felony burglary in another county: a conviction that is not a Prop 64 one."""
    return conviction(
        subject,
        "009001001000",
        "459 PC-BURGLARY",
        ELSEWHERE,
        CYC_DATE=date,
        STP_EVENT_DATE=date,
        **fields,
    )


def run_policy(
    work: Path, policy: str, county: str, rows: list[dict], *run_args: str
) -> dict[tuple, tuple]:
    """Write rows as a DOJ file, run the policy on it, and return the Prop64_Results decisions."""
    doj_file = work / "doj.csv"
    with doj_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=DOJ_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    out_dir = work / "out"
    completed = clearance(
        work,
        "run",
        "--doj",
        str(doj_file),
        "--county",
        county,
        "--policy",
        policy,
        "--compute-at",
        COMPUTE_DATE,
        "--out",
        str(out_dir),
        "--warehouse",
        str(work / "warehouse.duckdb"),
        *run_args,
        DAGSTER_HOME=str(dagster_home),
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    published = out_dir / county_slug(county) / "latest"
    with (published / "Prop64_Results.csv").open(newline="", encoding="utf-8") as handle:
        return {
            (row["SUBJECT_ID"], row["CNT_ORDER"]): (
                row["Eligibility Determination"],
                row["Eligibility Reason"],
            )
            for row in csv.DictReader(handle)
            if row["Eligibility Determination"]
        }


def subject_key(work: Path, subject_id: str) -> str:
    """Return the pseudonymous key the run gave a subject, read from the restricted warehouse."""
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute(
            "select subject_key from intermediate.int_subjects where subject_id = ?", [subject_id]
        ).fetchone()
    assert row is not None, subject_id
    return row[0]


LA = "LOS ANGELES"
LA_ROWS = [
    # 1 not a felony: a misdemeanor 11357(b).
    conviction(
        "LA01",
        "001001001000",
        "11357(B) HS-POSSESS MARIJUANA",
        LA,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120201",
    ),
    # 2 disposed on 9 November 2016 itself.
    conviction(
        "LA02",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20161001",
        STP_EVENT_DATE="20161109",
    ),
    # The day before passes rule 2; a 2015 burglary keeps rules 10-12 from applying.
    conviction(
        "LA03",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20161001",
        STP_EVENT_DATE="20161108",
    ),
    burglary("LA03", "20150101"),
    # 3 a felony 11357(a).
    conviction(
        "LA04",
        "001001001000",
        "11357(A) HS-POSSESS CONCENTRATED CANNABIS",
        LA,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100201",
    ),
    # 4 a felony 11357(c).
    conviction(
        "LA05",
        "001001001000",
        "11357(C) HS-POSSESS MARIJUANA OVER 28.5 G",
        LA,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100201",
    ),
    # 5 PC 207 is on the 2019 list outright, disposed in 1999, before this 2012 disposition.
    conviction(
        "LA06",
        "001001001000",
        "207 PC-KIDNAPPING",
        ELSEWHERE,
        CYC_DATE="19990101",
        STP_EVENT_DATE="19990302",
    ),
    conviction(
        "LA06",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        LA,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120501",
    ),
    # A PC 187 disposed the same day as this one is not strictly before it: on to rule 14.
    conviction(
        "LA07",
        "001001001000",
        "187 PC-MURDER",
        ELSEWHERE,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20120501",
    ),
    conviction(
        "LA07",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        LA,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120501",
    ),
    # 6 a PC 290 registration in 2001.
    step("LA08", "001001001000", "REGISTRATION", "20010101", "290 PC-REGISTRATION OF SEX OFFENDER"),
    conviction(
        "LA08",
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120501",
    ),
    # 7 two earlier 11359 convictions.
    conviction(
        "LA09",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20030101",
        STP_EVENT_DATE="20030201",
    ),
    conviction(
        "LA09",
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20050101",
        STP_EVENT_DATE="20050201",
    ),
    conviction(
        "LA09",
        "003001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20080101",
        STP_EVENT_DATE="20080201",
    ),
    # 8 born 1 July 1970: 50 on the compute date.
    conviction(
        "LA10",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        PRI_DOB="19700701",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100201",
    ),
    burglary("LA10", "20150101", PRI_DOB="19700701"),
    # Born 2 July 1970: 49 on the compute date, so on to rule 14.
    conviction(
        "LA11",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        PRI_DOB="19700702",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100201",
    ),
    burglary("LA11", "20150101", PRI_DOB="19700702"),
    # 9 born 2 July 1998: 21 on the compute date, 22 the next day.
    conviction(
        "LA12",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        PRI_DOB="19980702",
        CYC_DATE="20151201",
        STP_EVENT_DATE="20160105",
    ),
    burglary("LA12", "20180101", PRI_DOB="19980702"),
    # 10 only Prop 64 convictions, and the two-year sentence ended in 2014.
    conviction(
        "LA13",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120301",
        SENT_LENGTH="2",
        SENT_TIME_CODE="Y",
    ),
    # 11 the burglary on 1 June 2009 is before 1 July 2010, ten years before the compute date.
    conviction(
        "LA14",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20080101",
        STP_EVENT_DATE="20080201",
    ),
    burglary("LA14", "20090601"),
    # 12 a five-year sentence for a 2018 burglary runs until 2023.
    conviction(
        "LA15",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150110",
    ),
    burglary("LA15", "20180101", SENT_LENGTH="5", SENT_TIME_CODE="Y"),
    # 13 deceased.
    conviction(
        "LA16",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150110",
    ),
    burglary("LA16", "20180101"),
    step("LA16", "003001001000", "DECEASED", "20190101"),
    # 14 none of the above.
    conviction(
        "LA17",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        LA,
        CYC_DATE="20150101",
        STP_EVENT_DATE="20150110",
    ),
    burglary("LA17", "20180101"),
]

LA_EXPECTED = {
    ("LA01", "001001001000"): ("To be reviewed by City Attorneys", "Misdemeanor or Infraction"),
    ("LA02", "001001001000"): ("Not eligible", "Occurred after 11/09/2016"),
    ("LA03", "001001001000"): ("Hand Review", "No applicable eligibility criteria"),
    ("LA04", "001001001000"): ("Eligible for Dismissal", "11357(a) or 11357(b)"),
    ("LA05", "001001001000"): ("Hand Review", "Other 11357"),
    ("LA06", "002001001000"): ("Not eligible", "PC 667(e)(2)(c)(iv)"),
    ("LA07", "002001001000"): ("Hand Review", "No applicable eligibility criteria"),
    ("LA08", "002001001000"): ("Not eligible", "PC 290"),
    ("LA09", "003001001000"): ("Not eligible", "Two priors"),
    ("LA10", "001001001000"): ("Eligible for Dismissal", "50 years or older"),
    ("LA11", "001001001000"): ("Hand Review", "No applicable eligibility criteria"),
    ("LA12", "001001001000"): ("Eligible for Dismissal", "21 years or younger"),
    ("LA13", "001001001000"): (
        "Eligible for Dismissal",
        "Only has 11357-60 charges and completed sentence",
    ),
    ("LA14", "001001001000"): ("Eligible for Dismissal", "No convictions in past 10 years"),
    ("LA15", "001001001000"): ("Hand Review", "Currently serving sentence"),
    ("LA16", "001001001000"): ("Eligible for Dismissal", "Deceased"),
    ("LA17", "001001001000"): ("Hand Review", "No applicable eligibility criteria"),
}


@pytest.fixture(scope="module")
def la_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Run la-pilot-2019 once on LA_ROWS; return the work folder and the decisions."""
    work = tmp_path_factory.mktemp("la_pilot_2019")
    return work, run_policy(work, "la-pilot-2019", LA, LA_ROWS)


def test_la_pilot_2019_reaches_every_rule(la_run: tuple[Path, dict]) -> None:
    """Check la-pilot-2019, whose rules run in this order:

    1. not a felony: To be reviewed by City Attorneys.
    2. disposed on or after 2016-11-09: Not eligible.
    3. 11357(a) or (b): dismiss. 4. any other 11357: Hand Review.
    5. a 2019-list super strike disposed strictly before this disposition: Not eligible.
    6. the same for a 2019-list PC 290 offense or a registration: Not eligible.
    7. two earlier same-section convictions: Not eligible.
    8. 50 or older on the compute date: dismiss. 9. 21 or younger: dismiss.
    10. only Prop 64 convictions and every sentence ended: dismiss.
    11. no conviction after 2010-07-01: dismiss.
    12. a sentence ends after the compute date: Hand Review.
    13. deceased: dismiss. 14. otherwise: Hand Review.
    """
    assert la_run[1] == LA_EXPECTED


SF = "SAN FRANCISCO"
SF_ROWS = [
    # 1 sentenced on 5 January 2017 for conduct before Prop 64.
    conviction(
        "SF01",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SF,
        CYC_DATE="20161001",
        STP_EVENT_DATE="20170105",
    ),
    # 2 a misdemeanor.
    conviction(
        "SF02",
        "001001001000",
        "11357(B) HS-POSSESS MARIJUANA",
        SF,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100201",
    ),
    # 3 an attempted murder in 2001 is a super strike on the statutory list.
    conviction(
        "SF03",
        "001001001000",
        "664/187 PC-ATTEMPTED MURDER",
        ELSEWHERE,
        CYC_DATE="20000101",
        STP_EVENT_DATE="20010302",
    ),
    conviction(
        "SF03",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        SF,
        CYC_DATE="20100501",
        STP_EVENT_DATE="20100801",
    ),
    # A PC 187 disposed on the conduct day itself may or may not have come first: the
    # withholding rule 3 cannot be ruled out.
    conviction(
        "SF04",
        "001001001000",
        "187 PC-MURDER",
        ELSEWHERE,
        CYC_DATE="20090101",
        STP_EVENT_DATE="20100501",
    ),
    conviction(
        "SF04",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        SF,
        CYC_DATE="20100501",
        STP_EVENT_DATE="20100801",
    ),
    # 4 PC 647.6 requires registration under PC 290(c).
    conviction(
        "SF05",
        "001001001000",
        "647.6 PC-ANNOY/MOLEST CHILD",
        ELSEWHERE,
        CYC_DATE="20030101",
        STP_EVENT_DATE="20030301",
    ),
    conviction(
        "SF05",
        "002001001000",
        "11358 HS-CULTIVATE MARIJUANA",
        SF,
        CYC_DATE="20100501",
        STP_EVENT_DATE="20100801",
    ),
    # 5 earlier 11359 convictions in two separate cycles.
    conviction(
        "SF06",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20050101",
        STP_EVENT_DATE="20050201",
    ),
    conviction(
        "SF06",
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20080101",
        STP_EVENT_DATE="20080201",
    ),
    conviction(
        "SF06",
        "003001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SF,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120301",
    ),
    # Two counts of one earlier cycle are one prior: on to rule 6.
    conviction(
        "SF07",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20050101",
        STP_EVENT_DATE="20050201",
    ),
    conviction(
        "SF07",
        "001001002000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20050101",
        STP_EVENT_DATE="20050201",
    ),
    conviction(
        "SF07",
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SF,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120301",
    ),
    # 6 a felony with no disqualifier.
    conviction(
        "SF08",
        "001001001000",
        "11358 HS-CULTIVATE MARIJUANA",
        SF,
        CYC_DATE="19800101",
        STP_EVENT_DATE="19800301",
    ),
]

SF_EXPECTED = {
    ("SF01", "001001001000"): ("Not eligible", "Sentenced after Prop 64"),
    ("SF02", "001001001000"): (
        "Eligible for Dismissal",
        "Dismiss and seal: misdemeanor or infraction",
    ),
    ("SF03", "002001001000"): ("Not eligible", "Prior super strike"),
    ("SF04", "002001001000"): (
        "Hand Review",
        "Missing fact: disposition date of a possible super strike",
    ),
    ("SF05", "002001001000"): ("Not eligible", "Prior PC 290 offense"),
    ("SF06", "003001001000"): ("Not eligible", "Two or more prior convictions"),
    ("SF07", "002001001000"): ("Eligible for Dismissal", "Dismiss and seal: felony"),
    ("SF08", "001001001000"): ("Eligible for Dismissal", "Dismiss and seal: felony"),
}


def test_sf_2019_reaches_every_rule(tmp_path: Path) -> None:
    """Check sf-2019, whose rules run in this order:

    1. disposed on or after 2016-11-09: Not eligible. 2. not a felony: dismiss.
    3. a statutory super strike disposed before the conduct date: Not eligible.
    4. the same for a PC 290(c) offense or a registration: Not eligible.
    5. same-section convictions in two or more earlier cycles: Not eligible.
    6. otherwise: dismiss.
    """
    assert run_policy(tmp_path, "sf-2019", SF, SF_ROWS) == SF_EXPECTED


SJ = "SAN JOAQUIN"
LEGAL_ROWS = [
    # 1 conduct on 9 November 2016 itself.
    conviction(
        "LD01",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SJ,
        CYC_DATE="20161109",
        STP_EVENT_DATE="20170201",
    ),
    # Conduct the day before passes rule 1 and reaches rule 8.
    conviction(
        "LD02",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SJ,
        CYC_DATE="20161108",
        STP_EVENT_DATE="20170201",
    ),
    # Conduct known only as November 2016 may be after Prop 64: rule 1 cannot be ruled out.
    conviction(
        "LD03",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SJ,
        CYC_DATE="20161100",
        STP_EVENT_DATE="20170201",
    ),
    # 2 a felony 11360 after a PC 187.
    conviction(
        "LD04",
        "001001001000",
        "187 PC-MURDER",
        ELSEWHERE,
        CYC_DATE="19900101",
        STP_EVENT_DATE="19910101",
    ),
    conviction(
        "LD04",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        SJ,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # A misdemeanor 11360 after the same PC 187: rules 2-5 are for felonies, so rule 6.
    conviction(
        "LD05",
        "001001001000",
        "187 PC-MURDER",
        ELSEWHERE,
        CYC_DATE="19900101",
        STP_EVENT_DATE="19910101",
    ),
    conviction(
        "LD05",
        "002001001000",
        "11360 HS-GIVE AWAY MARIJUANA",
        SJ,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 3 a felony 11358 after a PC 647.6.
    conviction(
        "LD06",
        "001001001000",
        "647.6 PC-ANNOY/MOLEST CHILD",
        ELSEWHERE,
        CYC_DATE="20030101",
        STP_EVENT_DATE="20030301",
    ),
    conviction(
        "LD06",
        "002001001000",
        "11358 HS-CULTIVATE MARIJUANA",
        SJ,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 4 a felony 11359 after 11359 convictions in two earlier cycles.
    conviction(
        "LD07",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20050101",
        STP_EVENT_DATE="20050201",
    ),
    conviction(
        "LD07",
        "002001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        ELSEWHERE,
        CYC_DATE="20080101",
        STP_EVENT_DATE="20080201",
    ),
    conviction(
        "LD07",
        "003001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SJ,
        CYC_DATE="20120101",
        STP_EVENT_DATE="20120301",
    ),
    # 5 PC 207 is a super strike only when sexually violent, which the record cannot show.
    conviction(
        "LD08",
        "001001001000",
        "207 PC-KIDNAPPING",
        ELSEWHERE,
        CYC_DATE="19990101",
        STP_EVENT_DATE="19990302",
    ),
    conviction(
        "LD08",
        "002001001000",
        "11360 HS-TRANSPORT MARIJUANA",
        SJ,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 6 born 9 November 1990, 21 on the conduct day.
    conviction(
        "LD09",
        "001001001000",
        "11357(B) HS-POSSESS MARIJUANA",
        SJ,
        PRI_DOB="19901109",
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20111109",
        STP_EVENT_DATE="20120101",
    ),
    # 7 the same person a day younger: 20 on the conduct day.
    conviction(
        "LD10",
        "001001001000",
        "11357(B) HS-POSSESS MARIJUANA",
        SJ,
        PRI_DOB="19901109",
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20111108",
        STP_EVENT_DATE="20120101",
    ),
    # 8 a felony 11357(a).
    conviction(
        "LD11",
        "001001001000",
        "11357(A) HS-POSSESS CONCENTRATED CANNABIS",
        SJ,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 9 a misdemeanor 11358.
    conviction(
        "LD12",
        "001001001000",
        "11358 HS-CULTIVATE MARIJUANA",
        SJ,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 10 a misdemeanor 11359.
    conviction(
        "LD13",
        "001001001000",
        "11359 HS-POSSESS MARIJUANA FOR SALE",
        SJ,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 11 an 11357 with no subsection.
    conviction(
        "LD14",
        "001001001000",
        "11357 HS-POSSESS MARIJUANA",
        SJ,
        CONV_STAT_DESCR="MISDEMEANOR",
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
    # 12 a felony 11357(c) is none of the above.
    conviction(
        "LD15",
        "001001001000",
        "11357(C) HS-POSSESS MARIJUANA OVER 28.5 G",
        SJ,
        CYC_DATE="20100101",
        STP_EVENT_DATE="20100301",
    ),
]

LEGAL_EXPECTED = {
    ("LD01", "001001001000"): ("Not eligible", "Conduct after Prop 64"),
    ("LD02", "001001001000"): ("Eligible for Reduction", "Now a misdemeanor"),
    ("LD03", "001001001000"): ("Hand Review", "Missing fact: conduct date"),
    ("LD04", "002001001000"): ("Not eligible", "Prior super strike"),
    ("LD05", "002001001000"): ("Eligible for Dismissal", "Now lawful for adults 21 and over"),
    ("LD06", "002001001000"): ("Not eligible", "Prior PC 290 offense"),
    ("LD07", "003001001000"): ("Not eligible", "Two or more prior convictions"),
    ("LD08", "002001001000"): ("Hand Review", "Possible disqualifying prior"),
    ("LD09", "001001001000"): ("Eligible for Dismissal", "Now lawful for adults 21 and over"),
    ("LD10", "001001001000"): ("Eligible for Reduction", "Now an infraction"),
    ("LD11", "001001001000"): ("Eligible for Reduction", "Now a misdemeanor"),
    ("LD12", "001001001000"): (
        "Maybe Eligible - Flag for Review",
        "Lawful if within adult limits; amount not in record",
    ),
    ("LD13", "001001001000"): ("Not eligible", "Still the same offense"),
    ("LD14", "001001001000"): ("Maybe Eligible - Flag for Review", "Subsection not in record"),
    ("LD15", "001001001000"): ("Hand Review", "No rule applies"),
}


@pytest.fixture(scope="module")
def legal_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Run legal-default once on LEGAL_ROWS; return the work folder and the decisions."""
    work = tmp_path_factory.mktemp("legal_default")
    return work, run_policy(work, "legal-default", SJ, LEGAL_ROWS)


def test_legal_default_reaches_every_rule(legal_run: tuple[Path, dict]) -> None:
    """Check legal-default, whose rules run in this order:

    1. conduct on or after 2016-11-09: Not eligible.
    2-4. a felony 11358-11360 after a super strike, a PC 290(c) offense or registration, or
    same-section convictions in two earlier cycles: Not eligible.
    5. a felony 11358-11360 after a possible super strike or PC 290 offense: Hand Review.
    6. 11357(b) or misdemeanor 11360 at 21 or older on the conduct date: dismiss.
    7. the same under 21: reduce. 8. felony 11357(a) or 11358-11360: reduce.
    9. misdemeanor 11357(a) or 11358: Maybe Eligible.
    10. misdemeanor 11357(c), (d) or 11359: Not eligible.
    11. 11357 with no subsection: Maybe Eligible. 12. otherwise: Hand Review.
    """
    assert legal_run[1] == LEGAL_EXPECTED


def test_explain_shows_note_of_reduction(legal_run: tuple[Path, dict]) -> None:
    work, _ = legal_run
    key = subject_key(work, "LD11")

    completed = clearance(
        work, "explain", "--subject", key, "--warehouse", str(work / "warehouse.duckdb")
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert (
        "  legal-default (county): Eligible for Reduction: Now a misdemeanor (rule 8 "
        "now_misdemeanor)"
    ) in lines
    assert (
        "    rule 8 now_misdemeanor: decided: felony HS 11357(a), one of 11357(a) felony, "
        "11358 felony, 11359 felony, 11360 felony"
    ) in lines
    assert (
        "    note: A fact outside the record could make this conduct lawful at 21 or older, and "
        "so dismissible: 8 g or less of concentrated cannabis (11357(a)), six plants or fewer "
        "(11358), or giving away 28.5 g or less (11360)."
    ) in lines
    # Only the deciding rule's note shows, and a rule without a note adds no line.
    assert sum(line.startswith("    note: ") for line in lines) == 1


def test_explain_prints_every_policy_trail(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run
    key = subject_key(work, "LA06")

    completed = clearance(
        work, "explain", "--subject", key, "--warehouse", str(work / "warehouse.duckdb")
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        f"Subject {key}: 1 Prop 64 conviction in LOS ANGELES, compute date 2020-07-01",
        "",
        "Conviction 002001001000: felony HS 11360, disposed 2012-05-01",
        "  la-pilot-2019 (county): Not eligible: PC 667(e)(2)(c)(iv) (rule 5 super_strike)",
        "    rule 1 not_felony: did not apply: level FELONY",
        "    rule 2 disposition_after_prop64: did not apply: disposition 2012-05-01, before "
        "2016-11-09",
        "    rule 3 hs_11357_a_or_b: did not apply: felony HS 11360, not one of 11357(a), 11357(b)",
        "    rule 4 other_11357: did not apply: felony HS 11360, not one of 11357",
        "    rule 5 super_strike: decided: super strike (2019 Los Angeles list) PC 207 disposed "
        "1999-03-02, before this disposition on 2012-05-01",
        "  dismiss-all-prop64 (hypothetical): Eligible for Dismissal: Dismiss all Prop 64 "
        "charges (rule 1 dismiss_all)",
        "    rule 1 dismiss_all: decided: applies to every conviction",
        "  dismiss-all-prop64-and-related (hypothetical): Eligible for Dismissal: Dismiss all "
        "Prop 64 and related charges (rule 1 dismiss_all)",
        "    rule 1 dismiss_all: decided: applies to every conviction",
    ]
    assert "LA06" not in completed.stdout + completed.stderr


def test_explain_shows_age_without_date_of_birth(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run
    key = subject_key(work, "LA11")

    completed = clearance(
        work, "explain", "--subject", key, "--warehouse", str(work / "warehouse.duckdb")
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert "    rule 8 age_threshold: did not apply: age 49 on 2020-07-01, under 50" in lines
    assert "    rule 9 under_22: did not apply: age 49 on 2020-07-01, older than 21" in lines
    assert "1970" not in completed.stdout


def test_explain_finds_subject_by_doj_id(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run
    warehouse = str(work / "warehouse.duckdb")
    by_key = clearance(
        work, "explain", "--subject", subject_key(work, "LA06"), "--warehouse", warehouse
    )

    by_id = clearance(work, "explain", "--subject-id", "LA06", "--warehouse", warehouse)

    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout == by_key.stdout


def test_explain_unknown_doj_id_rejected(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run

    completed = clearance(
        work, "explain", "--subject-id", "NO-SUCH-ID", "--warehouse", str(work / "warehouse.duckdb")
    )

    assert completed.returncode == 2
    assert "SUBJECT_ID 'NO-SUCH-ID': not in the files of the last run" in completed.stderr


def test_explain_unknown_key_rejected(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run

    completed = clearance(
        work, "explain", "--subject", "no-such-key", "--warehouse", str(work / "warehouse.duckdb")
    )

    assert completed.returncode == 2
    assert "subject key 'no-such-key': no Prop 64 conviction in LOS ANGELES" in completed.stderr


def test_compare_county_policy_with_dismiss_all(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run

    completed = clearance(
        work,
        "compare",
        "--policy",
        "la-pilot-2019",
        "--policy",
        "dismiss-all-prop64",
        "--warehouse",
        str(work / "warehouse.duckdb"),
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    # Six of the 17 convictions get relief under la-pilot-2019: LA04, LA10, LA12, LA13, LA14 and
    # LA16. Dismissing all gives relief to the other 11 and changes the reason of those six.
    assert f"{'eligible_convictions':<48}{6:>8}{17:>8}{11:>+8}" in lines
    assert f"{'prop64_convictions':<48}{17:>8}{17:>8}{0:>+8}" in lines
    assert "Prop 64 convictions by change from A to B (17 in all):" in lines
    assert "  gains relief: 11" in lines
    assert "  other reason: 6" in lines
    # Rule 14 decides LA03, LA07, LA11 and LA17; every other withholding rule decides one.
    assert "  la-pilot-2019: rule 14 no_criteria (Hand Review): 4 people, 4 convictions" in lines
    assert "  dismiss-all-prop64: none; every Prop 64 conviction gets relief" in lines
    assert (
        "  4 x Hand Review: No applicable eligibility criteria -> Eligible for Dismissal: "
        "Dismiss all Prop 64 charges (dismiss-all-prop64 rule 1 dismiss_all decides instead of "
        "la-pilot-2019 rule 14 no_criteria)"
    ) in lines


def test_compare_unknown_policy_rejected(la_run: tuple[Path, dict]) -> None:
    work, _ = la_run

    completed = clearance(
        work,
        "compare",
        "--policy",
        "la-pilot-2019",
        "--policy",
        "sf-2019",
        "--warehouse",
        str(work / "warehouse.duckdb"),
    )

    assert completed.returncode == 2
    assert (
        "policy 'sf-2019': not a policy of the last run; its policies are: la-pilot-2019, "
        "dismiss-all-prop64, dismiss-all-prop64-and-related"
    ) in completed.stderr


def test_compare_with_adds_policies_to_the_run(
    legal_run: tuple[Path, dict], tmp_path: Path
) -> None:
    decisions = run_policy(
        tmp_path,
        "legal-default",
        SJ,
        LEGAL_ROWS,
        "--compare-with",
        "sf-2019",
        "--compare-with",
        "dismiss-all-prop64",
    )
    # The county policy's own decisions do not change with the policies beside it.
    assert decisions == legal_run[1]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        policies = con.execute(
            "select policy_name, policy_role from marts.fct_county_impact order by policy_order"
        ).fetchall()
    assert policies == [
        ("legal-default", "county"),
        ("dismiss-all-prop64", "hypothetical"),
        ("dismiss-all-prop64-and-related", "hypothetical"),
        ("sf-2019", "hypothetical"),
    ]

    completed = clearance(
        tmp_path,
        "compare",
        "--policy",
        "legal-default",
        "--policy",
        "sf-2019",
        "--warehouse",
        str(tmp_path / "warehouse.duckdb"),
    )

    assert completed.returncode == 0, completed.stderr
    assert "sf-2019" in completed.stdout


def test_compare_with_unknown_policy_rejected(tmp_path: Path) -> None:
    completed = clearance(
        tmp_path,
        "run",
        "--doj",
        str(tmp_path / "absent.csv"),
        "--county",
        SJ,
        "--policy",
        "legal-default",
        "--compare-with",
        "no-such-policy",
        "--out",
        str(tmp_path / "out"),
    )

    assert completed.returncode == 2
    assert "no-such-policy" in completed.stderr
    assert not (tmp_path / "out").exists()
