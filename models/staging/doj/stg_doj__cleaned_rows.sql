{#- Rows are read by row_order, never in stored order, so DuckDB may write the table in the order
    its threads finish, which saved about 0.3 s of 6 s in `dbt run` on the 1,000,000-row benchmark
    file (duckdb 2.0.1, 2 cores). The setting is global to dbt's DuckDB instance, so models built beside this one
    are written unordered too, which is harmless because no model is read in stored order.
    The run's memory peaks here and in the load, so both have the lower load_memory_limit, which
    models built beside this one share. With it the dbt process peaked at 1.1 to 1.2 GB instead of
    1.4 GB on the 1,000,000-row benchmark file, at the same speed. Both figures were measured
    while this model still parsed the offense texts. -#}
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

-- The offense texts are parsed in stg_doj__offense_texts and joined to these rows in the view
-- stg_doj__rows. When this model parsed them itself, it kept its rows in a materialized CTE for
-- that join, and the CTE spilled to disk at 5,000,000 rows.
doj_fields as (

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
chosen_offenses as (

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

typed_rows as (

    select
        *,
        -- `level` is a keyword, but every model after staging reads the column by that name.
        case
            when conv_stat_descr in ('FELONY', 'MISDEMEANOR', 'INFRACTION') then conv_stat_descr
            when offense_toc = 'F' then 'FELONY'
            when offense_toc = 'M' then 'MISDEMEANOR'
            when offense_toc = 'I' then 'INFRACTION'
        end as level,  -- noqa: RF04
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
    from chosen_offenses

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
        disp_descr,
        is_conviction,
        level,
        sentence_length,
        sentence_unit,
        comment_text,
        has_identifiers,
        sentence_signature,
        row_signature,
    from typed_rows

)

select * from final
