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

-- int_court__person_link_inputs already leaves case-linked records out of Splink. Excluding
-- them here too keeps the precedence true whatever records the scores cover.
open_scores as (
    select person_link_scores.*
    from person_link_scores
    anti join case_number_links as court_linked
        on person_link_scores.court_charge_id = court_linked.court_charge_id
    anti join case_number_links as doj_linked
        on person_link_scores.conviction_id = doj_linked.conviction_id
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
    from open_scores
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
