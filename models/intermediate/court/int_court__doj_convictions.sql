-- DOJ Prop 64 convictions that a court file of the run can record: those in the court's county.
with

convictions as (
    select * from {{ ref('int_convictions') }}
),

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
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

-- One OFN pattern per county: the first court file of the run for that county sets it.
county_patterns as (
    select
        court_files.court_county,
        arg_min(court_files.doj_ofn_pattern, run_court_files.file_order) as doj_ofn_pattern,
        arg_min(court_files.ofn_type_group, run_court_files.file_order) as ofn_type_group,
        arg_min(court_files.ofn_year_group, run_court_files.file_order) as ofn_year_group,
        arg_min(court_files.ofn_serial_group, run_court_files.file_order) as ofn_serial_group,
    from court_files
    inner join run_court_files
        on court_files.load_id = run_court_files.load_id
    inner join clearance_run
        on run_court_files.run_id = clearance_run.run_id
    group by court_files.court_county
),

county_convictions as (
    select
        convictions.conviction_id,
        convictions.subject_id,
        convictions.cnt_order,
        convictions.county,
        convictions.prop64_section as section,
        convictions.subsections,
        convictions.level,
        convictions.first_row_order,
        convictions.disposition_date_start,
        convictions.disposition_date_end,
        convictions.disposition_date_precision,
        convictions.case_numbers,
        county_patterns.doj_ofn_pattern,
        county_patterns.ofn_type_group,
        county_patterns.ofn_year_group,
        county_patterns.ofn_serial_group,
    from convictions
    inner join county_patterns
        on convictions.county = county_patterns.court_county
    where convictions.is_prop64
),

ofns as (
    select
        conviction_id,
        trim(unnest(string_split(case_numbers, ';'))) as ofn,
        doj_ofn_pattern,
        ofn_type_group,
        ofn_year_group,
        ofn_serial_group,
    from county_convictions
    where case_numbers is not null
),

-- The mapping's pattern may let a serial hold letters. Such a serial gives no key, as on the
-- court side, instead of failing the run.
ofn_case_keys as (
    select
        conviction_id,
        {{ regexp_group_at('ofn', 'doj_ofn_pattern', 'ofn_type_group') }} || '-'
        || {{ regexp_group_at('ofn', 'doj_ofn_pattern', 'ofn_year_group') }} || '-'
        || cast(try_cast({{ regexp_group_at('ofn', 'doj_ofn_pattern', 'ofn_serial_group') }} as bigint) as varchar)
            as case_key,
    from ofns
    where regexp_full_match(ofn, doj_ofn_pattern)
),

case_keys as (
    select
        conviction_id,
        list(case_key) as case_keys,
    from ofn_case_keys
    where case_key is not null
    group by conviction_id
),

final as (
    select
        county_convictions.conviction_id,
        county_convictions.subject_id,
        county_convictions.cnt_order,
        county_convictions.county,
        county_convictions.section,
        county_convictions.subsections,
        county_convictions.level,
        county_convictions.disposition_date_start,
        county_convictions.disposition_date_end,
        county_convictions.disposition_date_precision,
        county_convictions.case_numbers,
        coalesce(case_keys.case_keys, []) as case_keys,
        {{ normalized_person_name('doj_rows.pri_name') }} as name_normalized,
        {{ name_last_part(normalized_person_name('doj_rows.pri_name')) }} as name_last_part,
        {{ name_first_word(normalized_person_name('doj_rows.pri_name')) }} as name_first_word,
        nullif(upper(trim(doj_rows.cii_number)), '') as cii_number,
        case when doj_rows.dob_precision = 'day' then doj_rows.dob_start end as dob,
    from county_convictions
    inner join doj_rows
        on county_convictions.first_row_order = doj_rows.row_order
    left join case_keys
        on county_convictions.conviction_id = case_keys.conviction_id
)

select * from final
