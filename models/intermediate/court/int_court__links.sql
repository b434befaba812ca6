-- One row per court Prop 64 conviction linked to a DOJ conviction: by case number first, then
-- by person where the Splink match probability reaches the link threshold and the pair is
-- each side's best. The threshold is the dbt variable court_link_probability (default 0.9).
with

case_number_links as (
    select * from {{ ref('int_court__case_number_links') }}
),

person_link_scores as (
    select * from {{ ref('int_court__person_link_scores') }}
),

ranked_scores as (
    select
        *,
        row_number() over (
            partition by court_charge_id order by match_weight desc, conviction_id asc
        ) as rank_for_court,
        row_number() over (
            partition by conviction_id order by match_weight desc, court_charge_id asc
        ) as rank_for_doj,
    from person_link_scores
),

person_links as (
    select
        court_charge_id,
        conviction_id,
        link_method,
        match_score,
    from ranked_scores
    where match_score >= {{ var('court_link_probability', 0.9) }}
        and rank_for_court = 1
        and rank_for_doj = 1
),

final as (
    select court_charge_id, conviction_id, link_method, match_score, from case_number_links
    union all
    select court_charge_id, conviction_id, link_method, match_score, from person_links
)

select * from final
