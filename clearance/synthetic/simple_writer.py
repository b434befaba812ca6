"""Write a DOJ-format research file of N rows, generated in DuckDB SQL (no Python loop per row).

The file has the real 95-column layout and row grain (subjects, cycles, steps, counts) with a plain
mix of cannabis and other offenses. It is a load and speed fixture, not a calibrated population:
every value derives from a hash of the row number, so the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import duckdb

from clearance.doj_layout import DOJ_COLUMNS

logger = logging.getLogger(__name__)

ROWS_PER_SUBJECT = 20
ROWS_PER_CYCLE = 4

# (offense text, type of charge). Index chosen per count by hash; cannabis sections dominate
# because every subject in a real extract has at least one cannabis conviction.
OFFENSES: tuple[tuple[str, str], ...] = (
    ("11357(A) HS-POSSESS CONCENTRATED CANNABIS", "F"),
    ("11357(B) HS-POSSESS MARIJUANA 28.5 GRAMS OR LESS", "M"),
    ("11357(C) HS-POSSESS MARIJUANA OVER 28.5 GRAMS", "M"),
    ("11358 HS-CULTIVATE MARIJUANA", "F"),
    ("11359 HS-POSSESS MARIJUANA FOR SALE", "F"),
    ("11359HS-POSSESS MARIJUANA FOR SALE", "F"),
    ("11360(A) HS-TRANSPORT/SELL MARIJUANA", "F"),
    ("664/11359 HS-ATTEMPT POSSESS MARIJUANA FOR SALE", "F"),
    ("459 PC-BURGLARY", "F"),
    ("23152(A) VC-DUI ALCOHOL/DRUGS", "M"),
    ("11350(A) HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "F"),
    ("647(F) PC-DISORDERLY CONDUCT:INTOX", "M"),
    ("11364 HS-POSSESS CONTROLLED SUBSTANCE PARAPHERNALIA", "M"),
    ("484(A)/490.5 PC-PETTY THEFT", "M"),
    ("245(A)(1) PC-ASSAULT WITH DEADLY WEAPON", "F"),
    ("187 PC-MURDER", "F"),
)

OTHER_COUNTIES = ("ALAMEDA", "ORANGE", "SACRAMENTO", "FRESNO")


def _select_sql(rows: int, county: str, seed: int) -> str:
    offenses = ", ".join("'" + text.replace("'", "''") + "'" for text, _ in OFFENSES)
    tocs = ", ".join(f"'{toc}'" for _, toc in OFFENSES)
    counties = ", ".join(f"'{name}'" for name in OTHER_COUNTIES)
    county_literal = county.replace("'", "''")
    # Each expression below fills one DOJ column; names not listed default to an empty field.
    values = {
        "RECORD_ID": "cast(i + 1 as varchar)",
        "SUBJECT_STATUS": "'A'",
        "SUBJECT_ID": "printf('S%09d', subject)",
        "CII_NUMBER": "printf('A%08d', subject)",
        "PRI_NAME": "printf('PERSON%07d,TEST SYNTHETIC', subject)",
        "GENDER": "case when hash(subject, 'g', seed) % 5 = 0 then 'FEMALE' else 'MALE' end",
        "REQ_CII_NUMBER": "printf('A%08d', subject)",
        "REQ_NAME": "printf('PERSON%07d,TEST SYNTHETIC', subject)",
        "REQ_GENDER": "case when hash(subject, 'g', seed) % 5 = 0 then 'F' else 'M' end",
        "REQ_DOB": "dob_text",
        "PRI_DOB": "dob_text",
        "PRI_IDN": "printf('ID%08d', subject)",
        "SINGLE_SOURCE": "'N'",
        "MULTI_SOURCE": "'N'",
        "POB_TYPE": "'STATE'",
        "CITIZENSHIP_LIST": "'US'",
        "OFFENSE_QUAL_LST": "'NONE'",
        "FE_NUM_ORDER": "'001'",
        "FE_NUM_ARR_AGY": "printf('AGY%07d', i)",
        "FE_NUM_BOOKING": "printf('BK%09d', i)",
        "FE_NUM_NUMBER": "printf('FE%09d', i)",
        "CII_TYPE_ALPHA": "'CRIMINAL'",
        "FE_NUM_DOCKET": "printf('DKT-%010d', i)",
        "FE_NUM_INCIDENT": "printf('INC-%010d', i)",
        "DISP_OFFENSE_DESCR": f"case when step = 2 then [{offenses}][offense_index + 1] else null end",
        "DISP_OFFENSE_TOC": f"case when step = 2 then [{tocs}][offense_index + 1] else null end",
        "CONV_OFFENSE_ORDER": "case when step = 2 and convicted then '001' else null end",
        "CONV_OFFENSE_DESCR": "case when step = 2 and convicted then "
        f"[{offenses}][offense_index + 1] else null end",
        "RACE_CODE": "cast(hash(subject, 'r', seed) % 4 as varchar)",
        "RACE_DESCR": "['HISPANIC', 'BLACK', 'WHITE', 'OTHER'][1 + cast(hash(subject, 'r', seed) % 4 as integer)]",
        "EYE_COLOR_CODE": "'BRO'",
        "EYE_COLOR_DESCR": "'BROWN'",
        "HAIR_COLOR_CODE": "'BLK'",
        "HAIR_COLOR_DESCR": "'BLACK'",
        "HEIGHT": "'510'",
        "WEIGHT": "'170'",
        "POB_CODE": "'CA'",
        "POB_NAME": "'CALIFORNIA'",
        "CYC_ORDER": "printf('%03d', cycle)",
        "CYC_DATE": "strftime(cycle_date, '%Y%m%d')",
        "STP_ORDER": "printf('%03d', step)",
        "STP_EVENT_DATE": "strftime(cycle_date + case when step = 1 then 0 else 30 end, '%Y%m%d')",
        "STP_TYPE_CODE": "case when step = 1 then '1' else '2' end",
        "STP_TYPE_DESCR": "case when step = 1 then 'ARREST/DETAINED/CITED' else 'COURT ACTION' end",
        "STP_ORI_TYPE": "case when step = 1 then 'P' else 'C' end",
        "STP_ORI_TYPE_DESCR": "case when step = 1 then 'POLICE' else 'COURT' end",
        "STP_ORI_CODE": "'CA0000000'",
        "STP_ORI_DESCR": "case when step = 1 then 'SYNTHETIC PD ' else 'SYNTHETIC SUPERIOR COURT ' end"
        " || ori_county",
        "STP_ORI_CNTY_CODE": "'00'",
        "STP_ORI_CNTY_NAME": "ori_county",
        "CNT_ORDER": "printf('%03d%03d%03d000', cycle, step, count_number)",
        "DISP_DATE": "case when step = 2 then strftime(cycle_date + 30, '%Y%m%d') else null end",
        "OFN": "case when step = 2 and count_number = 1 then printf('SC%07d', i) else null end",
        "OFFENSE_CODE": "cast(offense_index as varchar)",
        "OFFENSE_DESCR": f"[{offenses}][offense_index + 1]",
        "OFFENSE_TOC": f"[{tocs}][offense_index + 1]",
        "DISP_ORDER": "case when step = 2 then '001' else null end",
        "DISP_CODE": "case when step = 2 then (case when convicted then 'C' else 'D' end) else null end",
        "DISP_DESCR": "case when step = 1 then null when convicted then 'CONVICTED-PROBATION'"
        " else 'DISMISSED/CHARGE DROPPED' end",
        "CONV_STAT_CODE": "case when step = 2 and convicted then "
        f"[{tocs}][offense_index + 1] else null end",
        "CONV_STAT_DESCR": "case when step = 2 and convicted then (case "
        f"[{tocs}][offense_index + 1] when 'F' then 'FELONY' else 'MISDEMEANOR' end) else null end",
        "SENT_ORDER": "case when step = 2 and convicted then '001' else null end",
        "SENT_LOC_CODE": "case when step = 2 and convicted then 'P' else null end",
        "SENT_LOC_DESCR": "case when step = 2 and convicted then 'PROBATION' else null end",
        "SENT_LENGTH": "case when step = 2 and convicted then "
        "cast(1 + hash(i, 's', seed) % 36 as varchar) else null end",
        "SENT_TIME_CODE": "case when step = 2 and convicted then 'M' else null end",
        "SENT_TIME_DESCR": "case when step = 2 and convicted then 'MONTHS' else null end",
        "CYC_AGE": "cast(date_part('year', age(cycle_date, date_of_birth)) as varchar)",
        "CII_TYPE": "'C'",
        "COMMENT_TEXT": "case when hash(i, 'c', seed) % 50 = 0 then '  -  '"
        " else 'SYNTHETIC RECORD WRITTEN FOR LOAD AND SPEED TESTS; NO REAL PERSON' end",
        "FE_NUM_CITE": "printf('CITE-%010d', i)",
        "FE_NUM_CRT_CASE": "printf('CRT-%011d', i)",
        "FE_NUM_WARRANT": "printf('WRT-%011d', i)",
        "FE_NUM_REMAND": "printf('RMD-%011d', i)",
        "END_OF_REC": "'E'",
    }
    column_sql = ",\n        ".join(
        f'{values[name]} as "{name}"' if name in values else f'null as "{name}"'
        for name in DOJ_COLUMNS
    )
    return f"""
    with numbered as (
        select
            i,
            {seed} as seed,
            i // {ROWS_PER_SUBJECT} as subject,
            1 + (i % {ROWS_PER_SUBJECT}) // {ROWS_PER_CYCLE} as cycle,
            case when i % {ROWS_PER_CYCLE} = 0 then 1 else 2 end as step,
            case when i % {ROWS_PER_CYCLE} = 0 then 1 else i % {ROWS_PER_CYCLE} end as count_number,
            date '1940-01-01' + cast(hash(i // {ROWS_PER_SUBJECT}, 'dob', {seed}) % 21900 as integer)
                as date_of_birth,
            cast(hash(i, 'off', {seed}) % {len(OFFENSES)} as integer) as offense_index,
            hash(i, 'conv', {seed}) % 3 <> 0 as convicted,
            case when hash(i // {ROWS_PER_CYCLE}, 'cty', {seed}) % 10 = 0
                then [{counties}][1 + cast(hash(i, 'oc', {seed}) % {len(OTHER_COUNTIES)} as integer)]
                else '{county_literal}' end as ori_county,
        from range({rows}) as t(i)
    ),
    -- Each cycle falls in its own five-year span from the 18th birthday on, so a history runs
    -- forward in time and nobody is arrested before birth; no arrest is later than mid-2025.
    with_dates as (
        select
            *,
            strftime(date_of_birth, '%Y%m%d') as dob_text,
            least(
                (date_of_birth + to_years(18 + 5 * (cycle - 1)))::date
                    + cast(hash(i // {ROWS_PER_CYCLE}, 'cyc', seed) % 1800 as integer),
                date '2025-06-30'
            )::date as cycle_date,
        from numbered
    )
    select
        {column_sql}
    from with_dates
    order by i
    """


def write_doj_file(
    path: Path, rows: int, county: str = "SAN JOAQUIN", seed: int = 1, header: bool = True
) -> Path:
    """Write `rows` DOJ rows for subjects of `county` to `path` and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(
            f"copy ({_select_sql(rows, county, seed)}) to '{path}' "
            f"(format csv, header {str(header).lower()}, delimiter ',', quote '\"')"
        )
    logger.info("Wrote %d DOJ rows to %s", rows, path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="number of DOJ rows to write")
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument("--county", default="SAN JOAQUIN", help="county most history is in")
    parser.add_argument(
        "--seed", type=int, default=1, help="seed; the same seed gives the same bytes"
    )
    args = parser.parse_args(argv)
    write_doj_file(args.out, args.rows, args.county, args.seed)


if __name__ == "__main__":
    main()
