-- The records left for linking by person: court Prop 64 convictions and DOJ Prop 64
-- convictions of the court's county that no case number linked, in one shape. A court date is
-- one day, but a DOJ date can be a month or a year. Each record carries the blocking keys its
-- precision allows, so a court record meets a DOJ record only on a key both have.
with

court_charges as (
    select * from {{ ref('stg_court__charges') }}
),

doj_convictions as (
    select * from {{ ref('int_court__doj_convictions') }}
),

case_number_links as (
    select * from {{ ref('int_court__case_number_links') }}
),

court_records as (
    select
        'court' as source_dataset,
        court_charges.court_charge_id as record_id,
        court_charges.court_county as county,
        court_charges.section,
        court_charges.name_last_part,
        court_charges.name_first_word,
        court_charges.cii_number,
        court_charges.defendant_dob as dob,
        strftime(court_charges.disposition_date, '%Y-%m-%d') as block_day,
        strftime(court_charges.disposition_date, '%Y-%m') as block_month,
        strftime(court_charges.disposition_date, '%Y') as block_year,
    from court_charges
    anti join case_number_links
        on court_charges.court_charge_id = case_number_links.court_charge_id
    where court_charges.is_prop64 and court_charges.is_conviction
        and court_charges.disposition_date is not null
),

doj_records as (
    select
        'doj' as source_dataset,
        doj_convictions.conviction_id as record_id,
        doj_convictions.county,
        doj_convictions.section,
        doj_convictions.name_last_part,
        doj_convictions.name_first_word,
        doj_convictions.cii_number,
        doj_convictions.dob,
        case when doj_convictions.disposition_date_precision = 'day'
            then strftime(doj_convictions.disposition_date_start, '%Y-%m-%d') end as block_day,
        case when doj_convictions.disposition_date_precision = 'month'
            then strftime(doj_convictions.disposition_date_start, '%Y-%m') end as block_month,
        case when doj_convictions.disposition_date_precision = 'year'
            then strftime(doj_convictions.disposition_date_start, '%Y') end as block_year,
    from doj_convictions
    anti join case_number_links
        on doj_convictions.conviction_id = case_number_links.conviction_id
    where doj_convictions.disposition_date_start is not null
),

final as (
    select * from court_records
    union all
    select * from doj_records
)

select * from final
