-- Pairs scored by person near the link threshold, for a person to confirm or reject: one row
-- per pair with a match probability from 0.5 up to 0.99. Linked pairs in that band are listed
-- too, marked is_linked, so a reviewer can check both sides of the threshold.
with

person_link_scores as (
    select * from {{ ref('int_court__person_link_scores') }}
),

links as (
    select * from {{ ref('int_court__links') }}
),

final as (
    select
        person_link_scores.court_charge_id,
        person_link_scores.conviction_id,
        person_link_scores.link_method,
        person_link_scores.match_weight,
        person_link_scores.match_score,
        person_link_scores.cii_level,
        person_link_scores.name_level,
        person_link_scores.dob_level,
        links.court_charge_id is not null as is_linked,
    from person_link_scores
    left join links
        on person_link_scores.court_charge_id = links.court_charge_id
        and person_link_scores.conviction_id = links.conviction_id
    where person_link_scores.match_score >= 0.5 and person_link_scores.match_score < 0.99
)

select * from final
