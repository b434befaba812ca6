{{ config(materialized='table') }}

with

court_rows as (
    select * from {{ source('court', 'court_rows') }}
),

court_files as (
    select * from {{ source('court', 'court_files') }}
),

run_court_files as (
    select * from {{ source('court', 'run_court_files') }}
),

clearance_run as (
    select * from {{ ref('stg_clearance__run') }}
),

run_rows as (
    select
        court_rows.*,
        run_court_files.file_order,
        court_files.court_county as file_county,
    from court_rows
    inner join run_court_files
        on court_rows.load_id = run_court_files.load_id
    inner join clearance_run
        on run_court_files.run_id = clearance_run.run_id
    inner join court_files
        on court_rows.load_id = court_files.load_id
),

typed as (
    select
        load_id || '-' || line_number as court_charge_id,
        load_id,
        line_number,
        file_order,
        coalesce(court_county, file_county) as court_county,
        case_number,
        -- Level, two-digit year and serial without padding: the same case in the DOJ's OFN
        -- normalizes to the same key, whatever the court's prefix and separators.
        case
            when case_level is not null and case_year is not null and case_serial is not null
                then case_level || '-' || case_year || '-' || case_serial
        end as case_key,
        case_type,
        cast(filing_date as date) as filing_date,
        defendant_name,
        {{ normalized_person_name('defendant_name') }} as defendant_name_normalized,
        cast(defendant_dob as date) as defendant_dob,
        nullif(upper(trim(cii_number)), '') as cii_number,
        cast(charge_seq as integer) as charge_seq,
        charge_code,
        charge_prefix as attempt_prefix,
        charge_book as statute_book,
        charge_section as section,
        lower(charge_subsection) as subsections,
        charge_level,
        disposition,
        starts_with(disposition, 'CONVICTED') as is_conviction,
        cast(disposition_date as date) as disposition_date,
        sentence_text,
        relief_status,
        cast(relief_date as date) as relief_date,
    from run_rows
),

final as (
    select
        *,
        coalesce(statute_book = 'HS' and section in {{ prop64_section_numbers() }}, false)
            as is_prop64,
        {{ name_last_part('defendant_name_normalized') }} as name_last_part,
        {{ name_first_word('defendant_name_normalized') }} as name_first_word,
    from typed
)

select * from final
