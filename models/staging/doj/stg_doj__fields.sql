{{ config(materialized='view') }}

with

run_files as (

    select * from {{ source('raw', 'run_files') }}

),

current_run as (

    select * from {{ source('raw', 'current_run') }}

),

doj_lines as (

    select * from {{ source('raw', 'doj_lines') }}

),

-- Each line is split once, after the join, so only the run's own lines are split. Placeholders
-- are emptied first, so that two rows differing only in where the DOJ wrote `  -  ` for nothing
-- have one signature: otherwise a sentence part would read as a conflicting repeat.
-- row_order is file_order * 2^32 + line_number, a sort key rather than a count. Numbering the
-- rows 1, 2, 3 needs a window and then a join of the lines to their numbers. With them,
-- `stg_doj__rows` took 5.8 to 6.0 s against 5.6 to 5.7 s on the 1,000,000-row benchmark file
-- (duckdb 2.0.1, 2 cores). 2^32 lines of about 700 bytes would make a file of about 3 TB.
run_rows as (

    select
        doj_lines.load_id,
        doj_lines.line_number,
        run_files.file_order,
        run_files.file_order::bigint * 4294967296 + doj_lines.line_number as row_order,
        raw.doj_fields(
            case
                when {{ has_placeholder_field('doj_lines.line') }}
                    then {{ without_placeholders('doj_lines.line') }}
                else doj_lines.line
            end
        ) as doj_fields,
    from doj_lines
    inner join run_files
        on doj_lines.load_id = run_files.load_id
    inner join current_run
        on run_files.run_id = current_run.run_id

),

-- Only the columns that staging reads are unquoted. The SSN, driver-licence and FBI columns are
-- not among them: they never leave the raw layer.
final as (

    select
        load_id,
        line_number,
        file_order,
        row_order,
        {%- for column in [
            'SUBJECT_ID', 'CII_NUMBER', 'PRI_NAME', 'GENDER', 'RACE_DESCR', 'PRI_DOB',
            'CYC_ORDER', 'CYC_DATE', 'STP_ORDER', 'STP_EVENT_DATE', 'STP_TYPE_DESCR',
            'STP_ORI_CNTY_NAME', 'CNT_ORDER', 'OFN', 'DISP_DATE', 'CONV_OFFENSE_DESCR',
            'DISP_OFFENSE_DESCR', 'OFFENSE_DESCR', 'OFFENSE_TOC', 'DISP_DESCR',
            'CONV_STAT_DESCR', 'SENT_LENGTH', 'SENT_TIME_CODE', 'SENT_TIME_DESCR',
            'COMMENT_TEXT',
        ] %}
        {{ doj_field(column) }} as "{{ column }}",
        {%- endfor %}
        -- Only whether an identifier is present leaves the raw layer: the exports empty those
        -- fields, and a line without any is copied as it is.
        (
            {%- for column in doj_identifier_columns() %}
            {{ "or " if not loop.first }}doj_fields[{{ doj_columns().index(column) + 1 }}] <> ''
            {%- endfor %}
        ) as has_identifiers,
        {{ hash_doj_columns(doj_non_sentence_columns()) }} as sentence_signature,
        -- Extending the sentence signature with the sentence columns hashes each field once.
        {{ hash_doj_columns(doj_sentence_columns(), 'sentence_signature') }} as row_signature,
    from run_rows

)

select * from final
