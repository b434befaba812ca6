-- Court Prop 64 convictions linked to DOJ convictions by normalized case number and section.
-- Two defendants can share a case number, so a pair is kept only when each side is the
-- other's best candidate: same charge position first, then same date of birth, then last name.
with

court_charges as (
    select * from {{ ref('stg_court__charges') }}
),

doj_convictions as (
    select * from {{ ref('int_court__doj_convictions') }}
),

court_convictions as (
    select *
    from court_charges
    where is_prop64 and is_conviction and case_key is not null
),

doj_case_keys as (
    select
        conviction_id,
        county,
        section,
        cnt_order,
        dob,
        name_last_part,
        unnest(case_keys) as case_key,
    from doj_convictions
),

candidates as (
    select
        court_convictions.court_charge_id,
        doj_case_keys.conviction_id,
        -- The DOJ count number is the third group of three digits of CNT_ORDER.
        coalesce(court_convictions.charge_seq = try_cast(substr(doj_case_keys.cnt_order, 7, 3) as integer), false)
            as is_same_position,
        coalesce(court_convictions.defendant_dob = doj_case_keys.dob, false) as is_same_dob,
        coalesce(court_convictions.name_last_part = doj_case_keys.name_last_part, false)
            as is_same_last_name,
    from court_convictions
    inner join doj_case_keys
        on court_convictions.case_key = doj_case_keys.case_key
        and court_convictions.court_county = doj_case_keys.county
        and court_convictions.section = doj_case_keys.section
),

ranked as (
    select
        *,
        row_number() over (
            partition by court_charge_id
            order by is_same_position desc, is_same_dob desc, is_same_last_name desc, conviction_id asc
        ) as rank_for_court,
        row_number() over (
            partition by conviction_id
            order by is_same_position desc, is_same_dob desc, is_same_last_name desc, court_charge_id asc
        ) as rank_for_doj,
    from candidates
),

final as (
    select
        court_charge_id,
        conviction_id,
        'case_number' as link_method,
        -- A case number names one case, so the score only records how the charge was paired.
        case when is_same_position then 1.0 else 0.95 end as match_score,
    from ranked
    where rank_for_court = 1 and rank_for_doj = 1
)

select * from final
