"""SQL that builds one county's court case extract from the DOJ history tables.

It reads the temp tables `subjects`, `counts` and `sentenced` of the same connection and never
changes them. The extract covers the county's own court actions, as the DOJ file does, with the
court's spellings and gaps, and also convictions the DOJ file lacks (court-only cases). The result is
temp table `court_rows`: one row per charge per case in file order, in canonical column names,
with the true DOJ link of each charge beside it.
"""

from __future__ import annotations

import duckdb

from clearance.synthetic.generator.calibration import Calibration
from clearance.synthetic.generator.court_layouts import CourtLayout
from clearance.synthetic.generator.histories import quote, sql_list
from clearance.synthetic.generator.names import NamePools
from clearance.synthetic.generator.offenses import OTHER_OFFENSES, PROP64_OFFENSES

# Prop 64 took effect on this day, so relief under HS 11361.8 exists only for earlier convictions.
PROP64_EFFECTIVE = "2016-11-09"

# Serials of court-only cases start here. Every DOJ OFN serial has six digits, so a court-only
# case number never carries a DOJ case's serial.
COURT_ONLY_FIRST_SERIAL = 1_000_000

# Prefix (664 or 182), section number and subsection letter of a Prop 64 offense text in any
# DOJ spelling: 664-11357(C) HS, 66411357(C) HS, 11357A HS, 11359HS, 11357(c) HS, 11359 PC.
# A letter right after the number is a subsection only when no other letter follows it, so the
# book of 11359HS is not read as one.
_PROP64_PARTS = r"^(664[-/]?|182-)?(\d{5})(?:\(([A-Za-z])\)|([A-Za-z])(?:[^A-Za-z]|$))?"


def create_court_rows(
    con: duckdb.DuckDBPyConnection,
    calibration: Calibration,
    county: str,
    layout: CourtLayout,
    pools: NamePools,
    first_new_person_number: int,
) -> None:
    """Create temp table `court_rows` for `county`, with the tables and views it is built from."""
    _create_court_actions(con, county)
    _create_cases(con, calibration, county, pools, first_new_person_number)
    _create_charges(con)
    _create_charge_codes(con, layout)
    _create_rows(con, calibration, layout)


def _create_court_actions(con: duckdb.DuckDBPyConnection, county: str) -> None:
    # One pass over the DOJ rows, pivoting the sentence parts, which is several times cheaper
    # than an ordered string_agg. NOTE: the DOJ rows have at most three sentence parts, and a
    # fourth would be left out of sentence_text.
    part_texts = ", ".join(
        f"max(part_text) filter (where sentence_part = {part})" for part in (1, 2, 3)
    )
    con.execute(
        f"""
        create or replace temp table court_actions as
        with parts as (
            select
                subject,
                cycle,
                count_number,
                step,
                ofn,
                sentence_part,
                sent_length::varchar || ' '
                    || case sent_time_code when 'D' then 'DAYS' when 'M' then 'MOS'
                        else 'YRS' end
                    || ' ' || sent_loc_descr as part_text,
            from sentenced
            where step_type = 'COURT ACTION' and county_name = $county
        ),

        final as (
            select
                subject,
                cycle,
                count_number,
                any_value(step) as step,
                max(ofn) as ofn,
                nullif(concat_ws(', ', {part_texts}), '') as sentence_text,
            from parts
            group by subject, cycle, count_number
        )

        select * from final
        """,
        {"county": county},
    )


def _create_cases(
    con: duckdb.DuckDBPyConnection,
    calibration: Calibration,
    county: str,
    pools: NamePools,
    first_new_person_number: int,
) -> None:
    population = calibration.population
    before = population["prop64_conviction_before"]
    court_only_ratio = calibration.court_rate("court_only_conviction")
    swap_bound = calibration.court_rate("first_last_swapped")
    shortened_bound = swap_bound + calibration.court_rate("given_names_shortened")
    typo_bound = shortened_bound + calibration.court_rate("name_typo")
    con.execute(
        f"""
        create or replace temp table court_cases as
        with doj_first_counts as (
            select
                subject,
                cycle,
                count_number,
                cycle_date,
                court_date,
                offense_toc,
            from counts
            where county_name = $county and has_court and count_number = 1
        ),

        doj_ofns as (
            select
                subject,
                cycle,
                regexp_extract(
                    ofn, '^[A-Z]{{2}}(\\d{{2}})([A-Z])(\\d{{6}})$', ['year', 'level', 'serial']
                ) as ofn_parts,
            from court_actions
            where count_number = 1
        ),

        -- Some DOJ cases have no court record: paper files never entered, or records of
        -- possession destroyed after two years under HS 11361.5.
        doj_cases as (
            select
                doj_first_counts.subject,
                doj_first_counts.cycle,
                0 as spawn,
                false as court_only,
                false as new_person,
                doj_first_counts.cycle_date,
                doj_first_counts.court_date as disposition_date,
                -- A case without a readable OFN gets a number no DOJ case has.
                coalesce(nullif(doj_ofns.ofn_parts.level, ''), doj_first_counts.offense_toc)
                    as case_level,
                coalesce(
                    nullif(doj_ofns.ofn_parts.year, ''),
                    strftime(doj_first_counts.cycle_date, '%y')
                ) as case_year,
                coalesce(
                    try_cast(nullif(doj_ofns.ofn_parts.serial, '') as integer),
                    {COURT_ONLY_FIRST_SERIAL}
                        + pick(doj_first_counts.subject, doj_first_counts.cycle, 0,
                            'court_serial', 8999999)
                ) as serial,
            from doj_first_counts
            left join doj_ofns
                on doj_first_counts.subject = doj_ofns.subject
                and doj_first_counts.cycle = doj_ofns.cycle
            where draw(doj_first_counts.subject, doj_first_counts.cycle, 0, 'court_missing')
                >= {calibration.court_rate("court_record_missing")}
        ),

        -- Each DOJ Prop 64 conviction of the county stands for floor(ratio + u) court-only
        -- cases, so their expected number is the calibrated ratio times the DOJ convictions.
        spawners as (
            select
                subject,
                cycle,
                cast(floor({court_only_ratio} + draw(subject, cycle, 0, 'court_only')) as integer)
                    as spawned,
            from counts
            where county_name = $county and is_prop64 and convicted
        ),

        spawned as (
            select
                spawners.subject,
                spawners.cycle,
                unnest(range(1, spawners.spawned + 1)) as spawn,
            from spawners
            where spawners.spawned > 0
        ),

        court_only_drawn as (
            select
                spawned.subject,
                spawned.cycle,
                spawned.spawn,
                draw(spawned.subject, spawned.cycle, spawned.spawn, 'court_new_person')
                    < {calibration.court_rate("court_only_new_person")} as new_person,
                pick(spawned.subject, spawned.cycle, spawned.spawn, 'court_offense',
                    {len(PROP64_OFFENSES)}) + 1 as prop64_index,
                -- A new person is 18 to 63 years old on the last day a planned conviction's
                -- arrest may fall on.
                (date '{before}' - to_years(18))::date
                    - pick(spawned.subject, spawned.cycle, spawned.spawn, 'court_dob', 45 * 365)
                    as new_dob,
                subjects.history_start,
                subjects.history_end,
            from spawned
            join subjects on spawned.subject = subjects.subject
        ),

        court_only_dated as (
            select
                *,
                case
                    when new_person then greatest(
                        (new_dob + to_years(18))::date,
                        date '{int(population["first_history_year"])}-01-01'
                    )
                    else history_start
                end as window_start,
                case when new_person then date '{before}' - 1
                    else least(history_end, date '{before}' - 1) end as window_end,
            from court_only_drawn
        ),

        court_only_cases as (
            select
                subject,
                cycle,
                spawn,
                true as court_only,
                new_person,
                prop64_index,
                new_dob,
                (window_start + pick(subject, cycle, spawn, 'court_date',
                    greatest(date_diff('day', window_start, window_end), 0) + 1))::date
                    as cycle_date,
            from court_only_dated
        ),

        court_only as (
            select
                subject,
                cycle,
                spawn,
                court_only,
                new_person,
                cycle_date,
                (cycle_date + 21 + pick(subject, cycle, spawn, 'court_delay', 90))::date
                    as disposition_date,
                {sql_list([toc for _, _, _, toc in PROP64_OFFENSES])}[prop64_index] as case_level,
                strftime(cycle_date, '%y') as case_year,
                {COURT_ONLY_FIRST_SERIAL}
                    + pick(subject, cycle, spawn, 'court_serial', 8999999) as serial,
                prop64_index,
                new_dob,
            from court_only_cases
        ),

        all_cases as (
            select * from doj_cases
            union all by name
            select * from court_only
        ),

        new_people as (
            select
                subject,
                cycle,
                spawn,
                {int(first_new_person_number)}
                    + row_number() over (order by subject, cycle, spawn) as person_number,
            from all_cases
            where new_person
        ),

        people as (
            select
                all_cases.*,
                case when all_cases.new_person then null else subjects.subject_number end
                    as subject_number,
                case
                    when not all_cases.new_person then subjects.full_name
                    when draw(all_cases.subject, all_cases.cycle, all_cases.spawn, 'court_accent')
                        < {calibration.rate("non_ascii_name")}
                        then {sql_list(pools.accented_last)}[1 + pick(all_cases.subject,
                            all_cases.cycle, all_cases.spawn, 'court_last', {len(pools.accented_last)})]
                            || ',' || {sql_list(pools.first)}[1 + pick(all_cases.subject,
                            all_cases.cycle, all_cases.spawn, 'court_first', {len(pools.first)})]
                    else {sql_list(pools.last)}[1 + pick(all_cases.subject, all_cases.cycle,
                            all_cases.spawn, 'court_last', {len(pools.last)})]
                        || ',' || {sql_list(pools.first)}[1 + pick(all_cases.subject,
                            all_cases.cycle, all_cases.spawn, 'court_first', {len(pools.first)})]
                        || case when draw(all_cases.subject, all_cases.cycle, all_cases.spawn,
                            'court_middle') < 0.6
                            then ' ' || {sql_list(pools.first)}[1 + pick(all_cases.subject,
                                all_cases.cycle, all_cases.spawn, 'court_middle_name',
                                {len(pools.first)})]
                            else '' end
                end as doj_name,
                case when all_cases.new_person then all_cases.new_dob else subjects.dob end
                    as dob,
                case
                    when all_cases.new_person then printf('A%09d', new_people.person_number)
                    else subjects.cii_number
                end as cii,
            from all_cases
            join subjects on all_cases.subject = subjects.subject
            left join new_people
                on all_cases.subject = new_people.subject
                and all_cases.cycle = new_people.cycle
                and all_cases.spawn = new_people.spawn
        ),

        name_parts as (
            select
                *,
                split_part(doj_name, ',', 1) as last_name,
                substr(doj_name, length(split_part(doj_name, ',', 1)) + 2) as given_names,
                draw(subject, cycle, spawn, 'court_name_variant') as variant_draw,
                draw(subject, cycle, spawn, 'court_accent_dropped')
                    < {calibration.court_rate("accent_dropped")} as drops_accent,
            from people
        ),

        typo_parts as (
            select
                *,
                case when drops_accent then strip_accents(last_name) else last_name end
                    as court_last_name,
                1 + pick(subject, cycle, spawn, 'court_typo_at',
                    length(split_part(given_names, ' ', 1))) as typo_position,
            from name_parts
        ),

        typos as (
            select
                *,
                substr(given_names, typo_position, 1) as typo_original,
                -- Another letter in place of a letter, or any letter in place of a hyphen,
                -- apostrophe or space: always exactly one character changed.
                chr(65 + case
                    when substr(given_names, typo_position, 1) between 'A' and 'Z'
                        then (ascii(substr(given_names, typo_position, 1)) - 65 + 1
                            + pick(subject, cycle, spawn, 'court_typo_letter', 25)) % 26
                    else pick(subject, cycle, spawn, 'court_typo_letter', 26)
                end) as typo_letter,
            from typo_parts
        ),

        final as (
            select
                subject,
                cycle,
                spawn,
                court_only,
                new_person,
                subject_number,
                prop64_index,
                cycle_date,
                least(cycle_date + 1 + pick(subject, cycle, spawn, 'court_filing', 10),
                    disposition_date)::date as filing_date,
                disposition_date,
                case_level,
                case_year,
                serial,
                case
                    when variant_draw < {swap_bound} then given_names || ', ' || court_last_name
                    when variant_draw < {shortened_bound}
                        then court_last_name || ', ' || split_part(given_names, ' ', 1)
                    when variant_draw < {typo_bound} then court_last_name || ', '
                        || substr(given_names, 1, typo_position - 1) || typo_letter
                        || substr(given_names, typo_position + 1)
                    else court_last_name || ', ' || given_names
                end as defendant_name,
                case when draw(subject, cycle, spawn, 'court_dob_missing')
                    >= {calibration.court_rate("missing_dob")} then dob end as defendant_dob,
                case when draw(subject, cycle, spawn, 'court_cii_missing')
                    >= {calibration.court_rate("missing_cii")} then cii end as cii_number,
            from typos
        )

        select * from final
        """,
        {"county": county},
    )


def _create_charges(con: duckdb.DuckDBPyConnection) -> None:
    other_texts = sql_list([text for text, _ in OTHER_OFFENSES])
    other_tocs = sql_list([toc for _, toc in OTHER_OFFENSES])
    prop64_sections = sql_list([section for section, _, _, _ in PROP64_OFFENSES])
    prop64_subsections = sql_list([sub for _, sub, _, _ in PROP64_OFFENSES])
    prop64_tocs = sql_list([toc for _, _, _, toc in PROP64_OFFENSES])
    con.execute(
        f"""
        create or replace temp view court_charges as
        with doj_charges as (
            select
                court_cases.subject,
                court_cases.cycle,
                court_cases.spawn,
                counts.count_number as charge_seq,
                counts.is_prop64,
                counts.offense_text,
                counts.offense_toc as charge_level,
                counts.convicted,
                court_actions.step,
                court_actions.sentence_text,
            from court_cases
            join counts on court_cases.subject = counts.subject and court_cases.cycle = counts.cycle
            join court_actions
                on counts.subject = court_actions.subject
                and counts.cycle = court_actions.cycle
                and counts.count_number = court_actions.count_number
            where not court_cases.court_only
        ),

        -- A court-only case is a Prop 64 conviction, sometimes with a second, dismissed charge.
        court_only_charges as (
            select
                subject,
                cycle,
                spawn,
                unnest(range(1, 2 + (draw(subject, cycle, spawn, 'court_second') < 0.35)::int))
                    as charge_seq,
                prop64_index,
                pick(subject, cycle, spawn, 'court_other', {len(OTHER_OFFENSES)}) + 1
                    as other_index,
                draw(subject, cycle, spawn, 'court_sentence') as sentence_draw,
                (12 + pick(subject, cycle, spawn, 'court_probation', 25))::varchar
                    || ' MOS PROBATION' as probation,
            from court_cases
            where court_only
        ),

        court_only_texts as (
            select
                subject,
                cycle,
                spawn,
                charge_seq,
                charge_seq = 1 as is_prop64,
                case when charge_seq = 1
                    then {prop64_sections}[prop64_index] || {prop64_subsections}[prop64_index]
                        || ' HS-'
                    else {other_texts}[other_index]
                end as offense_text,
                case when charge_seq = 1 then {prop64_tocs}[prop64_index]
                    else {other_tocs}[other_index] end as charge_level,
                charge_seq = 1 as convicted,
                null::integer as step,
                case
                    when charge_seq > 1 then null
                    when sentence_draw < 0.4 then probation
                    when sentence_draw < 0.7
                        then (10 + pick(subject, cycle, spawn, 'court_jail', 356))::varchar
                            || ' DAYS JAIL'
                    else probation || ', '
                        || (1 + pick(subject, cycle, spawn, 'court_jail', 90))::varchar
                        || ' DAYS JAIL'
                end as sentence_text,
            from court_only_charges
        )

        select * from doj_charges
        union all by name
        select * from court_only_texts
        """
    )


def _create_charge_codes(con: duckdb.DuckDBPyConnection, layout: CourtLayout) -> None:
    """Create temp table `court_charge_codes`: each offense text as this court spells its code.

    A handful of distinct offense texts cover every charge, so the code is parsed and spelled
    once per text, not once per charge.
    """
    books = " ".join(
        f"when {quote(book)} then {quote(token)}" for book, token in layout.books.items()
    )
    body = "section || subsection || code_rest"
    if layout.lower_case_subsection:
        body = "section || lower(subsection || code_rest)"
    spelled = (
        f"book_token || ' ' || {body}" if layout.book_first else f"{body} || ' ' || book_token"
    )
    con.execute(
        f"""
        create or replace temp table court_charge_codes as
        with texts as (
            select distinct
                offense_text,
                is_prop64,
            from court_charges
        ),

        parsed as (
            select
                *,
                regexp_extract(offense_text, '{_PROP64_PARTS}', ['prefix', 'section', 'enclosed', 'bare'])
                    as prop64_code,
                regexp_extract(offense_text, '^(.*?) ?([A-Z]{{2}})-', ['code', 'book']) as other_code,
            from texts
        ),

        other_parts as (
            select
                *,
                regexp_replace(other_code.code, '^(664|182)/', '') as other_rest,
            from parsed
        ),

        parts as (
            select
                offense_text,
                is_prop64,
                case when is_prop64 then regexp_extract(prop64_code.prefix, '^(\\d+)', 1)
                    else regexp_extract(other_code.code, '^(664|182)/', 1) end as code_prefix,
                case when is_prop64 then 'HS' else other_code.book end as book,
                case when is_prop64 then prop64_code.section
                    else regexp_extract(other_rest, '^(\\d+(?:\\.\\d+)?)', 1) end as section,
                case
                    when is_prop64 and prop64_code.enclosed || prop64_code.bare <> ''
                        then '(' || upper(prop64_code.enclosed || prop64_code.bare) || ')'
                    when is_prop64 then ''
                    else regexp_extract(other_rest, '^\\d+(?:\\.\\d+)?((?:\\([A-Za-z0-9]+\\))*)', 1)
                end as subsection,
                case when is_prop64 then ''
                    else regexp_replace(other_rest, '^\\d+(?:\\.\\d+)?(?:\\([A-Za-z0-9]+\\))*', '')
                end as code_rest,
            from other_parts
        ),

        final as (
            select
                offense_text,
                is_prop64,
                case when code_prefix <> '' then code_prefix || '/' else '' end
                    || {spelled} as charge_code,
            from (select *, case book {books} else book end as book_token from parts)
        )

        select * from final
        """
    )


def _create_rows(
    con: duckdb.DuckDBPyConnection, calibration: Calibration, layout: CourtLayout
) -> None:
    last_date = calibration.population["last_history_date"]
    granted_bound = calibration.court_rate("relief_11361_8_granted")
    pending_bound = granted_bound + calibration.court_rate("relief_11361_8_pending")
    expunged_bound = pending_bound + calibration.court_rate("relief_1203_4_granted")
    prefixes = " ".join(
        f"when {quote(level)} then {quote(prefix)}"
        for level, prefix in layout.case_prefixes.items()
    )
    fallback_prefix = quote(next(iter(layout.case_prefixes.values())))
    serial = (
        f"lpad(serial::varchar, {layout.serial_width}, '0')"
        if layout.serial_width
        else "serial::varchar"
    )
    separator = quote(layout.separator)
    con.execute(
        f"""
        create or replace temp table court_rows as
        with shared_numbers as (
            select
                case_level,
                case_year,
                serial,
            from court_cases
            group by case_level, case_year, serial
            having count(*) > 1
        ),

        -- Few numbers are shared, so only their cases are ranked: a window over every case
        -- costs more than the rest of this statement.
        ranked as (
            select
                court_cases.subject,
                court_cases.cycle,
                court_cases.spawn,
                row_number() over (
                    partition by court_cases.case_level, court_cases.case_year, court_cases.serial
                    order by court_cases.court_only, court_cases.subject, court_cases.cycle,
                        court_cases.spawn
                ) as defendant_number,
            from court_cases
            semi join shared_numbers
                on court_cases.case_level = shared_numbers.case_level
                and court_cases.case_year = shared_numbers.case_year
                and court_cases.serial = shared_numbers.serial
        ),

        numbered as (
            select
                court_cases.*,
                coalesce(ranked.defendant_number, 1) as defendant_number,
            from court_cases
            left join ranked
                on court_cases.subject = ranked.subject
                and court_cases.cycle = ranked.cycle
                and court_cases.spawn = ranked.spawn
        ),

        -- Two defendants under one number are told apart by a suffix, as co-defendants are.
        case_numbers as (
            select
                *,
                case case_level {prefixes} else {fallback_prefix} end
                    || {separator} || case_year || {separator} || {serial}
                    || case when defendant_number > 1
                        then '-' || lpad(defendant_number::varchar, 2, '0') else '' end
                    as case_number,
            from numbered
        ),

        charges as (
            select
                case_numbers.*,
                court_charges.* exclude (subject, cycle, spawn, is_prop64, offense_text),
                court_charge_codes.is_prop64,
                court_charge_codes.charge_code,
            from case_numbers
            join court_charges
                on case_numbers.subject = court_charges.subject
                and case_numbers.cycle = court_charges.cycle
                and case_numbers.spawn = court_charges.spawn
            join court_charge_codes
                on court_charges.offense_text = court_charge_codes.offense_text
                and court_charges.is_prop64 = court_charge_codes.is_prop64
        ),

        relief as (
            select
                *,
                case when is_prop64 and convicted and disposition_date < date '{PROP64_EFFECTIVE}'
                    then draw(subject, cycle, spawn * 1000 + charge_seq, 'court_relief')
                end as relief_draw,
                sentence_text like '%PROBATION%' as has_probation,
            from charges
        ),

        final as (
            select
                subject,
                cycle,
                spawn,
                court_only,
                new_person,
                is_prop64,
                convicted,
                case_number,
                case when case_level = 'F' then 'FELONY' else 'MISDEMEANOR' end as case_type,
                filing_date,
                defendant_name,
                defendant_dob,
                cii_number,
                charge_seq,
                charge_code,
                charge_level,
                case when convicted then 'CONVICTED' else 'DISMISSED' end as disposition,
                disposition_date,
                case when convicted then sentence_text end as sentence_text,
                case
                    when relief_draw < {granted_bound} then '11361.8 GRANTED'
                    when relief_draw < {pending_bound} then '11361.8 PENDING'
                    -- Expungement under PC 1203.4 follows a grant of probation.
                    when relief_draw < {expunged_bound} and has_probation then '1203.4 GRANTED'
                end as relief_status,
                case
                    when relief_draw < {pending_bound} then date '{PROP64_EFFECTIVE}'
                        + pick(subject, cycle, spawn * 1000 + charge_seq, 'court_relief_date',
                            date_diff('day', date '{PROP64_EFFECTIVE}', date '{last_date}'))
                    when relief_draw < {expunged_bound} and has_probation
                        then least(disposition_date + 365
                            + pick(subject, cycle, spawn * 1000 + charge_seq, 'court_relief_date',
                                3650), date '{last_date}')
                end as relief_date,
                case when not court_only and convicted then subject_number::varchar end
                    as link_subject_id,
                -- The DOJ CNT_ORDER: three digits each of cycle, step and count, then 000.
                case when not court_only and convicted
                    then lpad(cycle::varchar, 3, '0') || lpad(step::varchar, 3, '0')
                        || lpad(charge_seq::varchar, 3, '0') || '000'
                end as link_cnt_order,
                case when court_only then 'court_only' else 'doj' end as link,
            from relief
        )

        -- Court files list cases in filing order. The case's integer keys break ties, which
        -- sorts faster than the case number. COPY from this one table keeps this order, so the
        -- files need no second sort.
        select * from final
        order by filing_date, subject, cycle, spawn, charge_seq
        """
    )
