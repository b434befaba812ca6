-- Court Prop 64 convictions linked to DOJ convictions by normalized case number and section.
-- Two defendants can share a case number, so a pair is kept only when each side is the
-- other's best candidate: same charge position first, then same date of birth, then last name.
-- The court and the DOJ can number the counts of a case differently, so a charge whose best
-- candidate went to a better pair is paired again among the candidates still open. Each round
-- pairs at least one of them.
-- NOTE: a case with more than four convictions of one section on both sides can keep some
-- unpaired after the last round. Those are left for linking by person.
{%- set pairing_rounds = 4 %}
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

-- Two OFNs of one case can normalize to the same key, so a pair is listed once.
candidates as (
    select distinct
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
{% for round in range(1, pairing_rounds + 1) %}
ranked_round_{{ round }} as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.court_charge_id
            order by
                candidates.is_same_position desc, candidates.is_same_dob desc,
                candidates.is_same_last_name desc, candidates.conviction_id asc
        ) as rank_for_court,
        row_number() over (
            partition by candidates.conviction_id
            order by
                candidates.is_same_position desc, candidates.is_same_dob desc,
                candidates.is_same_last_name desc, candidates.court_charge_id asc
        ) as rank_for_doj,
    from candidates
    {%- for earlier in range(1, round) %}
    anti join paired_round_{{ earlier }} as court_paired_{{ earlier }}
        on candidates.court_charge_id = court_paired_{{ earlier }}.court_charge_id
    anti join paired_round_{{ earlier }} as doj_paired_{{ earlier }}
        on candidates.conviction_id = doj_paired_{{ earlier }}.conviction_id
    {%- endfor %}
),

paired_round_{{ round }} as (
    select court_charge_id, conviction_id, is_same_position,
    from ranked_round_{{ round }}
    where rank_for_court = 1 and rank_for_doj = 1
),
{% endfor %}
paired as (
    {%- for round in range(1, pairing_rounds + 1) %}
    select * from paired_round_{{ round }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        court_charge_id,
        conviction_id,
        'case_number' as link_method,
        -- A case number names one case, so the score only records how the charge was paired.
        case when is_same_position then 1.0 else 0.95 end as match_score,
    from paired
)

select * from final
