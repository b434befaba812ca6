{#- Rows are read by row_order, never in stored order, so DuckDB may write the table in the order
    its threads finish, which saved about 0.3 s of 6 s in `dbt run` on the 1,000,000-row benchmark
    file (duckdb 2.0.1, 2 cores). The setting is global to dbt's DuckDB instance, so models built beside this one
    are written unordered too, which is harmless because no model is read in stored order.
    The run's memory peaks here and in the load, so both have the lower load_memory_limit, which
    models built beside this one share. With it the dbt process peaked at 1.1 to 1.2 GB instead of
    1.4 GB on the 1,000,000-row benchmark file, at the same speed. -#}
{{ config(
    materialized='table',
    pre_hook=[
        "set preserve_insertion_order = false",
        "set memory_limit = '{{ load_memory_limit() }}'",
    ],
    post_hook=[
        "reset preserve_insertion_order",
        "set memory_limit = '{{ run_memory_limit() }}'",
    ],
) }}

with

-- Several CTEs below read these rows. DuckDB would otherwise materialize the split lines, a list
-- of 95 fields a row, instead of the cleaned columns that chosen_offenses keeps.
doj_fields as not materialized (

    select * from {{ ref('stg_doj__fields') }}

),

cleaned as (

    select
        load_id,
        line_number,
        file_order,
        row_order,
        {{ clean_doj_field('SUBJECT_ID') }} as subject_id,
        {{ clean_doj_field('CII_NUMBER') }} as cii_number,
        {{ clean_doj_field('PRI_NAME') }} as pri_name,
        {{ clean_doj_field('GENDER') }} as gender,
        {{ clean_doj_field('RACE_DESCR') }} as race_descr,
        {{ clean_doj_field('PRI_DOB') }} as dob,
        {{ clean_doj_field('CYC_ORDER') }} as cyc_order,
        {{ clean_doj_field('CYC_DATE') }} as cyc_date,
        {{ clean_doj_field('STP_ORDER') }} as stp_order,
        {{ clean_doj_field('STP_EVENT_DATE') }} as stp_event_date,
        upper({{ clean_doj_field('STP_TYPE_DESCR') }}) as stp_type_descr,
        upper({{ clean_doj_field('STP_ORI_CNTY_NAME') }}) as stp_ori_cnty_name,
        {{ clean_doj_field('CNT_ORDER') }} as cnt_order,
        {{ clean_doj_field('OFN') }} as ofn,
        {{ clean_doj_field('DISP_DATE') }} as disp_date,
        {{ clean_doj_field('CONV_OFFENSE_DESCR') }} as conv_offense_descr,
        {{ clean_doj_field('DISP_OFFENSE_DESCR') }} as disp_offense_descr,
        {{ clean_doj_field('OFFENSE_DESCR') }} as offense_descr,
        upper({{ clean_doj_field('OFFENSE_TOC') }}) as offense_toc,
        {{ clean_doj_field('DISP_DESCR') }} as disp_descr,
        upper({{ clean_doj_field('CONV_STAT_DESCR') }}) as conv_stat_descr,
        {{ clean_doj_field('SENT_LENGTH') }} as sent_length,
        upper({{ clean_doj_field('SENT_TIME_CODE') }}) as sent_time_code,
        upper({{ clean_doj_field('SENT_TIME_DESCR') }}) as sent_time_descr,
        {{ clean_doj_field('COMMENT_TEXT') }} as comment_text,
        has_identifiers,
        sentence_signature,
        row_signature,
    from doj_fields

),

described_offenses as (

    select
        *,
        case
            when conv_offense_descr is not null then 'conviction'
            when disp_offense_descr is not null then 'disposition'
            when offense_descr is not null then 'charge'
        end as described_source,
        coalesce(conv_offense_descr, disp_offense_descr, offense_descr) as described_text,
    from cleaned

),

-- When the offense is blank or reads SEE COMMENT FOR CHARGE, the charge is in the comment.
-- Two CTEs read these rows, so they are computed once, narrow.
chosen_offenses as materialized (

    select
        *,
        comment_text is not null
        and (
            described_text is null
            or upper(described_text) like 'SEE COMMENT%'
        ) as is_charge_in_comment,
        case when is_charge_in_comment then 'comment' else described_source end
            as offense_source,
        case when is_charge_in_comment then comment_text else described_text end
            as offense_text,
    from described_offenses

),

-- Comments are free text and can be nearly all distinct, so only those that can name one of
-- 11357-11360 are parsed for the Possible Other P64 Charges flag.
distinct_texts as (

    select offense_text as parsed_text
    from chosen_offenses
    where offense_text is not null
    union
    select comment_text as parsed_text
    from chosen_offenses
    where contains(comment_text, '1135') or contains(comment_text, '11360')

),

code_sections as (

    select
        parsed_text,
        {{ extract_code_section('upper(parsed_text)') }} as code_section,
    from distinct_texts

),

section_tokens as (

    select
        parsed_text,
        code_section.written_book,
        regexp_extract_all(
            code_section.sections_text, {{ code_section_regex('section') }}
        ) as raw_tokens,
    from code_sections

),

parsed_texts as (

    select
        parsed_text,
        written_book,
        case when len(raw_tokens) > 0 then {{ attempt_prefix('raw_tokens') }} end
            as attempt_prefix,
        {{ parse_section_tokens(strip_attempt_prefix('raw_tokens'), 'written_book') }}
            as offense_sections,
    from section_tokens

),

text_sections as (

    select
        parsed_text,
        written_book,
        attempt_prefix,
        offense_sections,
        list_filter(offense_sections, lambda s: {{ is_prop64_section('s') }}) as prop64_sections,
        coalesce(prop64_sections[1], offense_sections[1]) as primary_section,
    from parsed_texts

),

text_facts as (

    select
        parsed_text,
        attempt_prefix,
        offense_sections,
        prop64_sections,
        primary_section,
        len(prop64_sections) > 0 as is_prop64,
        len(list_filter(
            offense_sections,
            lambda s: s.section = '186.22' and s.subsections like '(b)(4)%'
        )) > 0 as has_gang_enhancement,
        -- A Prop 64 section written with the Penal Code or with no book still counts, flagged.
        case
            when primary_section is null then null
            when primary_section.section not in {{ prop64_section_numbers() }} then null
            when written_book is null then 'no statute book'
            when written_book = 'PC' then 'book written as PC'
        end as book_flag,
    from text_sections

),

parsed_rows as (

    select
        chosen_offenses.*,
        offense_facts.primary_section,
        offense_facts.book_flag,
        offense_facts.attempt_prefix,
        coalesce(offense_facts.offense_sections, []) as offense_sections,
        coalesce(offense_facts.prop64_sections, []) as offense_prop64_sections,
        coalesce(offense_facts.is_prop64, false) as is_prop64,
        coalesce(offense_facts.has_gang_enhancement, false) as has_gang_enhancement,
        coalesce(comment_facts.prop64_sections, []) as comment_prop64_sections,
    from chosen_offenses
    left join text_facts as offense_facts
        on chosen_offenses.offense_text = offense_facts.parsed_text
    left join text_facts as comment_facts
        on chosen_offenses.comment_text = comment_facts.parsed_text

),

-- A comment naming a Prop 64 section that the offense does not account for is flagged for
-- human review (Possible Other P64 Charges). The flag never re-codes the offense.
flagged_rows as (

    select
        *,
        case
            when offense_source is distinct from 'comment'
                and {{ names_uncovered_section(
                    'comment_prop64_sections', 'offense_prop64_sections'
                ) }}
                then comment_text
        end as possible_other_p64,
    from parsed_rows

),

typed_rows as (

    select
        *,
        case
            when conv_stat_descr in ('FELONY', 'MISDEMEANOR', 'INFRACTION') then conv_stat_descr
            when offense_toc = 'F' then 'FELONY'
            when offense_toc = 'M' then 'MISDEMEANOR'
            when offense_toc = 'I' then 'INFRACTION'
        end as level,
        coalesce(upper(disp_descr) like 'CONVICTED%', false) as is_conviction,
        coalesce(
            sent_time_code,
            case sent_time_descr
                when 'DAYS' then 'D'
                when 'MONTHS' then 'M'
                when 'YEARS' then 'Y'
            end
        ) as sentence_unit_code,
        case
            when sent_length is null and sentence_unit_code is null then null
            when try_cast(sent_length as integer) is null then 'unknown'
            when sentence_unit_code in ('D', 'M', 'Y') then sentence_unit_code
            else 'unknown'
        end as sentence_unit,
        try_cast(sent_length as integer) as sentence_length,
    from flagged_rows

),

final as (

    select
        load_id,
        line_number,
        file_order,
        row_order,
        subject_id,
        cii_number,
        pri_name,
        gender,
        race_descr,
        {{ parse_doj_date('dob', 'dob') }},
        cyc_order,
        {{ parse_doj_date('cyc_date', 'cyc_date') }},
        stp_order,
        {{ parse_doj_date('stp_event_date', 'stp_event_date') }},
        stp_type_descr,
        stp_ori_cnty_name,
        cnt_order,
        left(cnt_order, 3) as cycle_number,
        left(cnt_order, 6) as case_number,
        ofn,
        {{ parse_doj_date('disp_date', 'disp_date') }},
        offense_source,
        offense_text,
        primary_section.statute_book,
        primary_section.section,
        primary_section.subsections,
        attempt_prefix,
        offense_sections,
        book_flag,
        has_gang_enhancement,
        is_prop64,
        disp_descr,
        is_conviction,
        level,
        sentence_length,
        sentence_unit,
        comment_text,
        possible_other_p64,
        has_identifiers,
        sentence_signature,
        row_signature,
    from typed_rows

)

select * from final
