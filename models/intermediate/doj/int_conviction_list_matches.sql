with

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
),

code_section_lists as (
    select * from {{ ref('code_section_lists') }}
),

list_entries as (
    -- An empty cell and a missing one both mean "no restriction".
    select
        list_name,
        statute_book,
        section,
        nullif(subsections, '') as subsections,
        includes_attempts,
        nullif(condition, '') as condition,
    from code_section_lists
),

-- Materialized because several CTEs below read it; the window then runs once over the input.
convictions as materialized (
    -- A count repeated on several rows is one conviction, read from its first row in input order.
    select
        subject_id,
        cnt_order,
        cycle_number,
        case_number,
        statute_book,
        section,
        subsections,
        attempt_prefix,
        offense_sections,
        coalesce(has_gang_enhancement, false) as has_gang_enhancement,
        level = 'FELONY' as is_felony,
        {{ date_range_with_fallback('stp_event_date', 'disp_date', 'disposition_date') }},
    from doj_rows
    where is_conviction
    qualify row_number() over (partition by subject_id, cnt_order order by row_order) = 1
),

listed_offense_sections as (
    select
        subject_id,
        cnt_order,
        -- unnest names the struct fields itself, so the expression takes no alias.
        unnest(offense_sections, recursive := true),  -- noqa: AL03
    from convictions
),

-- The CTEs below read only PC 186.22 and the sections on some list, and most sections are on
-- none, so the others are dropped before removing duplicates and joining.
matchable_sections as (
    select list_entries.section from list_entries
    union
    select '186.22' as section
),

conviction_sections as materialized (
    -- A text charging two sections (`484(A)/490.5 PC`, `136.1 186.22(B)(4) PC`) lists both. The
    -- primary section is added too, so a row whose list is empty still matches.
    select
        subject_id,
        cnt_order,
        statute_book,
        section,
        coalesce(subsections, '') as subsections,
    from convictions
    where section in (select matchable_sections.section from matchable_sections)
    union
    select
        subject_id,
        cnt_order,
        statute_book,
        section,
        coalesce(subsections, '') as subsections,
    from listed_offense_sections
    where section in (select matchable_sections.section from matchable_sections)
),

gang_enhancement_counts as (
    -- PC 186.22(b)(4) written as its own count, or in the same offense text as the offense it enhances.
    select
        convictions.subject_id,
        convictions.case_number,
        convictions.disposition_date_start,
        convictions.disposition_date_end,
    from convictions
    inner join conviction_sections
        on convictions.subject_id = conviction_sections.subject_id
        and convictions.cnt_order = conviction_sections.cnt_order
    where
        conviction_sections.section = '186.22'
        and coalesce(conviction_sections.statute_book, 'PC') = 'PC'
        and {{ subsections_match('conviction_sections.subsections', "'(b)(4)'") }}
    union
    select
        subject_id,
        case_number,
        disposition_date_start,
        disposition_date_end,
    from convictions
    where has_gang_enhancement
),

gang_enhanced_court_cases as (
    select
        subject_id,
        case_number,
        min(disposition_date_start) as enhancement_date_start,
        min(disposition_date_end) as enhancement_date_end,
        bool_or(disposition_date_start is null) as has_undated_enhancement,
    from gang_enhancement_counts
    group by subject_id, case_number
),

section_matches as (
    select
        convictions.subject_id,
        convictions.cnt_order,
        list_entries.list_name,
        list_entries.condition = 'gang_enhancement' as is_gang_pair,
        case
            when list_entries.condition = 'gang_enhancement'
                then {{ code_section_display(
                    'conviction_sections.statute_book', 'convictions.attempt_prefix',
                    'conviction_sections.section', 'conviction_sections.subsections'
                ) }} || ' with PC 186.22(b)(4)'
            else {{ code_section_display(
                'conviction_sections.statute_book', 'convictions.attempt_prefix',
                'conviction_sections.section', 'conviction_sections.subsections'
            ) }}
        end as code_section,
    from conviction_sections
    inner join convictions
        on conviction_sections.subject_id = convictions.subject_id
        and conviction_sections.cnt_order = convictions.cnt_order
    inner join list_entries
        on conviction_sections.statute_book = list_entries.statute_book
        and conviction_sections.section = list_entries.section
    left join gang_enhanced_court_cases
        on convictions.subject_id = gang_enhanced_court_cases.subject_id
        and convictions.case_number = gang_enhanced_court_cases.case_number
    where
        {{ subsections_match('conviction_sections.subsections', 'list_entries.subsections') }}
        -- The statutes name attempts (PC 664) of listed offenses, never conspiracies (PC 182).
        and (
            convictions.attempt_prefix is null
            or (convictions.attempt_prefix = 'attempt' and list_entries.includes_attempts)
        )
        and (
            list_entries.condition is null
            or (list_entries.condition = 'felony' and convictions.is_felony)
            or (list_entries.condition = 'unknown_level' and convictions.is_felony is null)
            or (
                list_entries.condition = 'gang_enhancement'
                and gang_enhanced_court_cases.case_number is not null
            )
        )
),

list_matches as (
    select
        subject_id,
        cnt_order,
        list_name,
        bool_and(is_gang_pair) as is_gang_pair,
        array_to_string(list_sort(list_distinct(list(code_section))), ';') as code_section,
    from section_matches
    group by subject_id, cnt_order, list_name
),

final as (
    select
        convictions.subject_id || '-' || convictions.cnt_order as conviction_id,
        convictions.subject_id,
        convictions.cnt_order,
        convictions.cycle_number,
        convictions.case_number,
        list_matches.list_name,
        list_matches.code_section,
        list_matches.is_gang_pair,
        -- A super strike made by the gang enhancement dates from the earlier of its two counts.
        case
            when not list_matches.is_gang_pair then convictions.disposition_date_start
            when gang_enhanced_court_cases.has_undated_enhancement then null
            when convictions.disposition_date_start is null then null
            else least(convictions.disposition_date_start, gang_enhanced_court_cases.enhancement_date_start)
        end as date_start,
        case
            when not list_matches.is_gang_pair then convictions.disposition_date_end
            when gang_enhanced_court_cases.has_undated_enhancement then null
            when convictions.disposition_date_start is null then null
            else least(convictions.disposition_date_end, gang_enhanced_court_cases.enhancement_date_end)
        end as date_end,
    from list_matches
    inner join convictions
        on list_matches.subject_id = convictions.subject_id
        and list_matches.cnt_order = convictions.cnt_order
    left join gang_enhanced_court_cases
        on convictions.subject_id = gang_enhanced_court_cases.subject_id
        and convictions.case_number = gang_enhanced_court_cases.case_number
)

select * from final
