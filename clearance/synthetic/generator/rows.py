"""SQL that turns the history tables into DOJ rows and each row into one line of the file.

The grain is the DOJ research file's: one row per count of a step of a cycle, repeated per
sentence part. Row-level quirks (partial dates, placeholders, duplicates, conflicting repeats,
malformed lines) are drawn here.
"""

from __future__ import annotations

import duckdb

from clearance.doj_layout import DOJ_COLUMNS
from clearance.synthetic.generator.calibration import Calibration
from clearance.synthetic.generator.histories import quote
from clearance.synthetic.generator.offenses import PC290_REGISTRATION

PLACEHOLDER = "  -  "

# One expression per DOJ column over the table `steps_out`; columns not listed stay empty.
_COLUMN_VALUES: dict[str, str] = {
    "RECORD_ID": "cast(record_number as varchar)",
    "SUBJECT_STATUS": "'A'",
    "SUBJECT_ID": "cast(subject_number as varchar)",
    "REQ_CII_NUMBER": "cii_number",
    "REQ_NAME": "'\"' || full_name || '\"'",
    "REQ_GENDER": "case when male then 'M' else 'F' end",
    "REQ_DOB": "strftime(recorded_dob, '%Y%m%d')",
    "REQ_SSN": "ssn",
    "CII_NUMBER": "cii_number",
    "PRI_NAME": "'\"' || full_name || '\"'",
    "GENDER": "case when male then 'M' else 'F' end",
    "PRI_DOB": "strftime(recorded_dob, '%Y%m%d')",
    "PRI_SSN": "ssn",
    "PRI_INN": "placeholder",
    "RACE_DESCR": "race",
    "CYC_ORDER": "printf('%03d', cycle)",
    "CYC_DATE": "strftime(cycle_date, '%Y%m%d')",
    "STP_ORDER": "printf('%03d', step)",
    "STP_EVENT_DATE": "step_date_text",
    "STP_TYPE_DESCR": "step_type",
    "STP_ORI_DESCR": "case step_type when 'COURT ACTION' then 'CASC ' when 'ARREST/DETAINED/CITED'"
    " then 'CAPD ' else 'CADOJ ' end || county_name",
    "STP_ORI_CNTY_NAME": "county_name",
    "CNT_ORDER": "printf('%03d%03d%03d000', cycle, step, count_number)",
    "DISP_DATE": "disp_date_text",
    "OFN": "ofn",
    "OFFENSE_DESCR": "offense_descr",
    "OFFENSE_TOC": "offense_toc",
    "CONV_OFFENSE_DESCR": "conv_offense_descr",
    "FE_NUM_BNCH_WARR": "placeholder",
    "FE_NUM_OOS_INN": "placeholder",
    "DISP_DESCR": "disp_descr",
    "CONV_STAT_DESCR": "conv_stat_descr",
    "SENT_ORDER": "case when sentence_part > 0 then printf('%03d', sentence_part) end",
    "SENT_LOC_DESCR": "sent_loc_descr",
    "SENT_LENGTH": "cast(sent_length as varchar)",
    "SENT_TIME_CODE": "sent_time_code",
    "CYC_AGE": "cast(floor(date_diff('day', recorded_dob, cycle_date) / 365.25) as integer)::varchar",
    "COMMENT_TEXT": "comment_text",
    "END_OF_REC": "'END'",
}


# The leading columns that hold the same value on every row of a subject. They are joined into
# one text per subject, not once per row.
_SUBJECT_PREFIX_COLUMNS = DOJ_COLUMNS[: DOJ_COLUMNS.index("PRI_INN")]


def _fields_sql(columns: tuple[str, ...]) -> str:
    """SQL joining the columns' values with commas; a run of k empty columns is one literal.

    k empty fields between two others are k + 1 commas, and concat_ws adds two of them, so the
    literal holds k - 1 commas. Most of the 95 columns are always empty, and the shorter
    argument list makes the lines faster to build.
    """
    parts: list[str] = []
    empty_run = 0
    for name in columns:
        if name in _COLUMN_VALUES:
            if empty_run:
                parts.append(quote("," * (empty_run - 1)))
                empty_run = 0
            parts.append(f"coalesce({_COLUMN_VALUES[name]}, '')")
        else:
            empty_run += 1
    if empty_run:
        parts.append(quote("," * (empty_run - 1)))
    return "concat_ws(',', " + ", ".join(parts) + ")"


def _line_sql() -> str:
    rest = DOJ_COLUMNS[len(_SUBJECT_PREFIX_COLUMNS) :]
    return f"subject_prefix || ',' || {_fields_sql(rest)}"


def create_steps(con: duckdb.DuckDBPyConnection, calibration: Calibration) -> None:
    """Create temp table `steps`: arrest, court, registration and death rows, before repeats."""
    last_date = calibration.population["last_history_date"]
    month_bound = calibration.rate("partial_month_date")
    year_bound = month_bound + calibration.rate("partial_year_date")
    multi_part = calibration.rate("multi_part_sentence")
    con.execute(
        f"""
        create or replace temp table steps as
        with arrests as (
            select
                subject,
                cycle,
                1 as step,
                count_number,
                'ARREST/DETAINED/CITED' as step_type,
                cycle_date,
                strftime(cycle_date, '%Y%m%d') as step_date_text,
                null as disp_date_text,
                county_name,
                case when offense_quirk = 'conviction_offense_differs' then second_prop64_text
                    else offense_text end as offense_descr,
                offense_toc,
                null as conv_offense_descr,
                null as disposition,
                null as comment_text,
                0 as sentence_parts,
            from counts
        ),

        court_dates as (
            select
                *,
                -- A planned disqualifier keeps its exact date: partial, it could blur whether
                -- it came first, and the plan would not hold.
                case when is_planned_prior then 1.0
                    else draw(subject, cycle, 2, 'partial_date') end as partial_draw,
            from counts
            where has_court
        ),

        courts as (
            select
                subject,
                cycle,
                2 as step,
                count_number,
                'COURT ACTION' as step_type,
                cycle_date,
                case
                    when partial_draw < {month_bound} then strftime(court_date, '%Y%m') || '00'
                    when partial_draw < {year_bound} then strftime(court_date, '%Y') || '0000'
                    else strftime(court_date, '%Y%m%d')
                end as step_date_text,
                step_date_text as disp_date_text,
                county_name,
                case offense_quirk
                    when 'conviction_offense_differs' then second_prop64_text
                    when 'charge_in_comment' then
                        case when draw(subject, cycle, count_number, 'blank') < 0.5 then ''
                            else 'SEE COMMENT FOR CHARGE' end
                    else offense_text
                end as offense_descr,
                offense_toc,
                case when offense_quirk = 'conviction_offense_differs' then offense_text end
                    as conv_offense_descr,
                case when convicted then 'CONVICTED' else 'DISMISSED/CHARGE DROPPED' end
                    as disposition,
                case offense_quirk
                    when 'charge_in_comment' then offense_text
                    when 'other_cannabis_in_comment'
                        then 'ORIG CHRG ' || split_part(second_prop64_text, '-', 1)
                end as comment_text,
                case
                    when not convicted then 0
                    when draw(subject, cycle, count_number, 'parts') < {multi_part}
                        then 2 + (draw(subject, cycle, count_number, 'part3') < 0.3)::int
                    else 1
                end as sentence_parts,
            from court_dates
        ),

        registrations as (
            select
                subject,
                cycle,
                3 as step,
                1 as count_number,
                'REGISTRATION' as step_type,
                cycle_date,
                strftime(least(court_date + 1 + pick(subject, cycle, 3, 'registered', 60),
                    coalesce(registered_by, date '{last_date}'), date '{last_date}'), '%Y%m%d')
                    as step_date_text,
                null as disp_date_text,
                county_name,
                {quote(PC290_REGISTRATION)} as offense_descr,
                null as offense_toc,
                null as conv_offense_descr,
                null as disposition,
                null as comment_text,
                0 as sentence_parts,
            from counts
            where kind = 'pc290' and count_number = 1
        ),

        select * from arrests
        union all by name
        select * from courts
        union all by name
        select * from registrations
        """
    )
    # The death notice is a cycle of its own after the last court action, reported in the
    # county of the planned conviction.
    con.execute(
        f"""
        insert into steps by name
        with deceased_counts as (
            select counts.*
            from counts
            join subjects on counts.subject = subjects.subject
            where subjects.deceased
        ),

        deaths as (
            select
                subject,
                max(cycle) + 1 as cycle,
                least(max(court_date) + 30 + pick(subject, 0, 0, 'death', 3000),
                    date '{last_date}')::date as death_date,
                any_value(county_name) filter (where kind = 'planned_prop64') as county_name,
            from deceased_counts
            group by subject
        )

        select
            subject,
            cycle,
            1 as step,
            1 as count_number,
            'DECEASED' as step_type,
            death_date as cycle_date,
            strftime(death_date, '%Y%m%d') as step_date_text,
            county_name,
            0 as sentence_parts,
        from deaths
        """
    )


def create_doj_rows(con: duckdb.DuckDBPyConnection, calibration: Calibration) -> None:
    """Create temp table `doj_rows`: every data line in file order, with its malformed flag."""
    duplicate_bound = calibration.rate("exact_duplicate")
    conflict_bound = duplicate_bound + calibration.rate("conflicting_repeat")
    con.execute(
        f"""
        create or replace temp table sentenced as
        with expanded as (
            select
                *,
                unnest(range(1, greatest(sentence_parts, 1) + 1)) as part_number,
            from steps
        ),

        first_parts as (
            select
                *,
                case when sentence_parts > 0 then part_number else 0 end as sentence_part,
                case
                    when offense_toc = 'F' and draw(subject, cycle, count_number, 'prison') < 0.3
                        then 'PRISON'
                    when sentence_parts = 1
                        and draw(subject, cycle, count_number, 'probation') < 0.5
                        then 'PROBATION'
                    else 'JAIL'
                end as first_location,
            from expanded
        ),

        final as (
            select
                *,
                case
                    when sentence_part = 0 then null
                    when sentence_part = 1 then first_location
                    when sentence_part = 2 then 'PROBATION'
                    else 'JAIL'
                end as sent_loc_descr,
                case
                    when sentence_part = 0 then null
                    when sentence_part = 1 and first_location = 'PRISON'
                        then 2 + pick(subject, cycle, count_number, 'length1', 3)
                    when sentence_part = 1 and first_location = 'PROBATION'
                        then 12 + pick(subject, cycle, count_number, 'length1', 25)
                    when sentence_part = 1 then 10 + pick(subject, cycle, count_number, 'length1', 356)
                    when sentence_part = 2 then 12 + pick(subject, cycle, count_number, 'length2', 49)
                    else 1 + pick(subject, cycle, count_number, 'length3', 30)
                end as sent_length,
                case
                    when sentence_part = 0 then null
                    when sentence_part = 1 and first_location = 'PRISON' then 'Y'
                    when sentence_part = 1 and first_location = 'PROBATION' then 'M'
                    when sentence_part = 1 then 'D'
                    when sentence_part = 2 then 'M'
                    else 'D'
                end as sent_time_code,
                case
                    when disposition = 'CONVICTED' then 'CONVICTED-' || first_location
                    else disposition
                end as disp_descr,
                case
                    when disposition = 'CONVICTED' and offense_toc = 'F' then 'FELONY'
                    when disposition = 'CONVICTED' and offense_toc = 'M' then 'MISDEMEANOR'
                end as conv_stat_descr,
                case
                    when step_type = 'COURT ACTION' and count_number = 1 then
                        upper(left(replace(county_name, ' ', ''), 2))
                        || strftime(cycle_date, '%y') || coalesce(offense_toc, 'X')
                        || printf('%06d', pick(subject, cycle, 0, 'ofn', 1000000))
                end as ofn,
                case when draw(subject, cycle, step * 1000 + count_number, 'placeholder' || sentence_part)
                    < {calibration.rate("placeholder")} then '{PLACEHOLDER}' end as placeholder,
                case
                    when step_type <> 'COURT ACTION' then 0
                    when draw(subject, cycle, step * 1000 + count_number, 'repeat' || sentence_part)
                        < {conflict_bound} then 1
                    else 0
                end as repeats,
                step_type = 'COURT ACTION'
                    and draw(subject, cycle, step * 1000 + count_number, 'repeat' || sentence_part)
                        < {duplicate_bound} as repeat_is_exact,
            from first_parts
        )

        select * from final
        """
    )
    con.execute(
        f"""
        create or replace temp table doj_rows as
        with repeated as (
            select
                *,
                unnest(range(0, repeats + 1)) as repeat_number,
            from sentenced
        ),

        subject_prefixes as (
            select
                subject,
                {_fields_sql(_SUBJECT_PREFIX_COLUMNS)} as subject_prefix,
            from (select *, 1 as record_number from subjects)
        ),

        people as (
            select
                repeated.* exclude (disp_date_text),
                case when repeat_number = 1 and not repeat_is_exact
                    then strftime(repeated.cycle_date, '%Y%m%d')
                    else disp_date_text end as disp_date_text,
                subjects.recorded_dob,
                subjects.race,
                subject_prefixes.subject_prefix,
            from repeated
            join subjects on repeated.subject = subjects.subject
            join subject_prefixes on repeated.subject = subject_prefixes.subject
        ),

        lines as (
            select
                subject,
                cycle,
                step,
                count_number,
                sentence_part,
                repeat_number,
                step_type,
                {_line_sql()} as line,
                step_type = 'ARREST/DETAINED/CITED'
                    and draw(subject, cycle, count_number, 'malformed')
                        < {calibration.rate("malformed_line")} as is_malformed,
                pick(subject, cycle, count_number, 'malformed_kind', 4) as malformed_kind,
            from people
        ),

        -- Each malformed kind is one that the loader quarantines with its own reason.
        final as (
            select
                row_number() over (
                    order by subject, cycle, step, count_number, sentence_part, repeat_number
                ) as row_number,
                subject,
                is_malformed,
                case
                    when not is_malformed then line
                    when malformed_kind = 0 then left(line, length(line) - length(',END'))
                    when malformed_kind = 1 then line || ','
                    when malformed_kind = 2 then '"' || line
                    else line || chr(0)
                end as line,
            from lines
        )

        select * from final
        """
    )
