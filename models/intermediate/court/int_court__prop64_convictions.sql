-- One row per Prop 64 conviction of the run's county found in the DOJ file, the court files or
-- both, with its link, the court's case number where the DOJ file has none, and the relief the
-- court has already recorded.
with

clearance_run as (
    select * from {{ ref('stg_clearance__run') }}
),

court_charges as (
    select * from {{ ref('stg_court__charges') }}
),

doj_convictions as (
    select * from {{ ref('int_court__doj_convictions') }}
),

links as (
    select * from {{ ref('int_court__links') }}
),

county_court_convictions as (
    select court_charges.*
    from court_charges
    inner join clearance_run
        on court_charges.court_county = clearance_run.county
    where court_charges.is_prop64 and court_charges.is_conviction
),

county_doj_convictions as (
    select doj_convictions.*
    from doj_convictions
    inner join clearance_run
        on doj_convictions.county = clearance_run.county
),

linked_doj as (
    select
        county_doj_convictions.conviction_id,
        county_doj_convictions.subject_id,
        links.court_charge_id,
        links.link_method,
        links.match_score,
        county_doj_convictions.case_numbers as doj_case_numbers,
        county_court_convictions.case_number as court_case_number,
        county_court_convictions.relief_status,
        county_court_convictions.relief_date,
        county_doj_convictions.section,
        county_doj_convictions.level as conviction_level,
        county_doj_convictions.disposition_date_start as disposition_date,
    from county_doj_convictions
    left join links
        on county_doj_convictions.conviction_id = links.conviction_id
    left join county_court_convictions
        on links.court_charge_id = county_court_convictions.court_charge_id
),

court_only as (
    select
        cast(null as varchar) as conviction_id,
        cast(null as varchar) as subject_id,
        county_court_convictions.court_charge_id,
        cast(null as varchar) as link_method,
        cast(null as double) as match_score,
        cast(null as varchar) as doj_case_numbers,
        county_court_convictions.case_number as court_case_number,
        county_court_convictions.relief_status,
        county_court_convictions.relief_date,
        county_court_convictions.section,
        case county_court_convictions.charge_level
            when 'F' then 'FELONY' when 'M' then 'MISDEMEANOR' when 'I' then 'INFRACTION'
        end as conviction_level,
        county_court_convictions.disposition_date,
    from county_court_convictions
    anti join links
        on county_court_convictions.court_charge_id = links.court_charge_id
),

combined as (
    select * from linked_doj
    union all by name
    select * from court_only
),

final as (
    select
        coalesce(conviction_id, 'court-' || court_charge_id) as court_conviction_id,
        conviction_id,
        subject_id,
        court_charge_id,
        case
            when conviction_id is not null and court_charge_id is not null then 'matched'
            when conviction_id is not null then 'doj_only'
            else 'court_only'
        end as record_source,
        link_method,
        match_score,
        doj_case_numbers,
        court_case_number,
        -- A DOJ conviction without a case number takes the court's.
        coalesce(doj_case_numbers, court_case_number) as case_number,
        conviction_id is not null and doj_case_numbers is null and court_case_number is not null
            as is_case_number_from_court,
        section,
        conviction_level,
        disposition_date,
        relief_status,
        relief_date,
        -- HS 11361.8 relief granted or petitioned for already: no new motion. Relief under
        -- another statute (PC 1203.4) leaves 11361.8 relief open.
        case relief_status
            when '11361.8 GRANTED' then 'already_relieved'
            when '11361.8 PENDING' then 'relief_pending'
        end as prior_relief,
        coalesce(relief_status in ('11361.8 GRANTED', '11361.8 PENDING'), false)
            as is_kept_off_motions,
        -- The statewide history of a court-only conviction is unknown, so no disqualifying prior
        -- can be ruled out.
        case when conviction_id is null then 'Hand Review' end as court_only_determination,
        case when conviction_id is null then 'Court record only: history not in DOJ data' end
            as court_only_reason,
    from combined
)

select * from final
