with

policy_decisions as (
    select * from {{ ref('int_policy_decisions') }}
),

conviction_facts as (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

final as (
    select
        policy_decisions.policy_name || ':' || conviction_facts.subject_key || ':' || conviction_facts.cnt_order
            as conviction_outcome_id,
        policy_decisions.policy_name,
        policy_decisions.policy_role,
        policy_decisions.policy_order,
        policy_decisions.policy_scope,
        conviction_facts.subject_key,
        conviction_facts.cnt_order,
        conviction_facts.conviction_number,
        conviction_facts.section,
        conviction_facts.subsections,
        conviction_facts.attempt_prefix,
        conviction_facts.book_flag,
        conviction_facts.level,
        conviction_facts.is_felony,
        conviction_facts.disposition_date_start,
        conviction_facts.disposition_date_end,
        conviction_facts.disposition_date_precision,
        case
            when year(conviction_facts.disposition_date_start) // 10 = year(conviction_facts.disposition_date_end) // 10
                then year(conviction_facts.disposition_date_start) // 10 * 10
        end as disposition_decade,
        policy_decisions.determination,
        policy_decisions.reason,
        policy_decisions.grants_relief,
        policy_decisions.rule_number,
        policy_decisions.rule_id,
        {{ without_date_of_birth('policy_decisions.decision_fact') }} as decision_fact,
        policy_decisions.decision_note,
        policy_decisions.skipped_rule_count,
        {{ without_date_of_birth('policy_decisions.skipped_rules') }} as skipped_rules,
    from policy_decisions
    inner join conviction_facts
        on policy_decisions.conviction_id = conviction_facts.conviction_id
)

select * from final
