{{ config(materialized='table') }}

with

cleaned_rows as (

    select * from {{ ref('stg_doj__cleaned_rows') }}

),

-- Comments are free text and can be nearly all distinct, so only those that can name one of
-- 11357-11360 are parsed for the Possible Other P64 Charges flag.
distinct_texts as (

    select offense_text as parsed_text
    from cleaned_rows
    where offense_text is not null
    union
    select comment_text as parsed_text
    from cleaned_rows
    where contains(comment_text, '1135') or contains(comment_text, '11360')

),

code_sections as (

    select
        parsed_text,
        {{ extract_code_section('upper(parsed_text)') }} as code_section,
    from distinct_texts

),

section_tokens as (

    select
        parsed_text,
        code_section.written_book,
        regexp_extract_all(
            code_section.sections_text, {{ code_section_regex('section') }}
        ) as raw_tokens,
    from code_sections

),

parsed_texts as (

    select
        parsed_text,
        written_book,
        case when len(raw_tokens) > 0 then {{ attempt_prefix('raw_tokens') }} end
            as attempt_prefix,
        {{ parse_section_tokens(strip_attempt_prefix('raw_tokens'), 'written_book') }}
            as offense_sections,
    from section_tokens

),

text_sections as (

    select
        parsed_text,
        written_book,
        attempt_prefix,
        offense_sections,
        list_filter(offense_sections, lambda s: {{ is_prop64_section('s') }}) as prop64_sections,
        coalesce(prop64_sections[1], offense_sections[1]) as primary_section,
    from parsed_texts

),

text_facts as (

    select
        parsed_text,
        attempt_prefix,
        offense_sections,
        prop64_sections,
        primary_section,
        len(prop64_sections) > 0 as is_prop64,
        len(list_filter(
            offense_sections,
            lambda s: s.section = '186.22' and s.subsections like '(b)(4)%'
        )) > 0 as has_gang_enhancement,
        -- A Prop 64 section written with the Penal Code or with no book still counts, flagged.
        case
            when primary_section is null then null
            when primary_section.section not in {{ prop64_section_numbers() }} then null
            when written_book is null then 'no statute book'
            when written_book = 'PC' then 'book written as PC'
        end as book_flag,
    from text_sections

),

final as (

    select
        parsed_text,
        primary_section.statute_book,
        primary_section.section,
        primary_section.subsections,
        attempt_prefix,
        coalesce(offense_sections, []) as offense_sections,
        coalesce(prop64_sections, []) as prop64_sections,
        book_flag,
        coalesce(has_gang_enhancement, false) as has_gang_enhancement,
        coalesce(is_prop64, false) as is_prop64,
    from text_facts

)

select * from final
