-- One row per court, case number, defendant and relief: the Prop 64 convictions the district
-- attorney moves the court to dismiss or reduce under the county's policy.
with

court_convictions as (
    select * from {{ ref('int_court__prop64_convictions') }}
),

court_charges as (
    select * from {{ ref('stg_court__charges') }}
),

convictions as (
    select * from {{ ref('int_convictions') }}
),

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
),

policy_decisions as (
    select * from {{ ref('int_policy_decisions') }}
),

clearance_run as (
    select * from {{ ref('stg_clearance__run') }}
),

county_decisions as (
    select
        policy_decisions.conviction_id,
        policy_decisions.policy_name,
        policy_decisions.determination,
        policy_decisions.reason,
    from policy_decisions
    where policy_decisions.policy_role = 'county' and policy_decisions.grants_relief
),

-- A court needs a case number to find the case. Relief under HS 11361.8 already granted or
-- petitioned for keeps a conviction off new motions. Court-only convictions are all
-- `Hand Review`, so no policy decision grants them relief.
motion_convictions as (
    select
        court_convictions.conviction_id,
        court_convictions.court_charge_id,
        court_convictions.record_source,
        -- The court's own number for a matched conviction, because its clerks file by it.
        case court_convictions.record_source
            when 'matched' then court_convictions.court_case_number
            else court_convictions.doj_case_numbers
        end as case_number,
        county_decisions.policy_name,
        county_decisions.determination,
        county_decisions.reason,
    from court_convictions
    inner join county_decisions
        on court_convictions.conviction_id = county_decisions.conviction_id
    where
        court_convictions.record_source in ('matched', 'doj_only')
        and not court_convictions.is_kept_off_motions
),

motion_rows as (
    select
        clearance_run.county as court_county,
        motion_convictions.case_number,
        coalesce(court_charges.defendant_name, doj_rows.pri_name) as defendant_name,
        coalesce(
            strftime(court_charges.defendant_dob, '%Y-%m-%d'),
            case doj_rows.dob_precision
                when 'day' then strftime(doj_rows.dob_start, '%Y-%m-%d')
                when 'month' then strftime(doj_rows.dob_start, '%Y-%m')
                when 'year' then strftime(doj_rows.dob_start, '%Y')
            end
        ) as date_of_birth,
        'HS ' || convictions.prop64_section || coalesce(convictions.subsections, '') as section,
        case motion_convictions.determination
            when 'Eligible for Dismissal' then 'dismiss'
            when 'Eligible for Reduction' then 'reduce'
        end as relief,
        motion_convictions.reason,
        motion_convictions.policy_name,
    from motion_convictions
    inner join convictions
        on motion_convictions.conviction_id = convictions.conviction_id
    inner join doj_rows
        on convictions.first_row_order = doj_rows.row_order
    left join court_charges
        on motion_convictions.court_charge_id = court_charges.court_charge_id
    cross join clearance_run
    where motion_convictions.case_number is not null
),

final as (
    select
        court_county,
        case_number,
        defendant_name,
        date_of_birth,
        relief,
        string_agg(distinct section, ', ' order by section) as sections,
        string_agg(distinct reason, '; ' order by reason) as reason,
        count(*) as convictions,
        any_value(policy_name) as policy_name,
    from motion_rows
    group by court_county, case_number, defendant_name, date_of_birth, relief
)

select * from final
