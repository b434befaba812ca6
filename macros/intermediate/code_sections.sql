{#- Whether a parsed offense's subsections fall under a code-section list entry's subsections.
    A null entry matches any subsection; `bare` matches only an offense written with none; any
    other entry matches itself and every deeper subsection, so `(a)` matches `(a)(1)` while
    `(b)(1)` does not match `(b)(10)`. -#}
{% macro subsections_match(offense_subsections, listed_subsections) -%}
    (
        {{ listed_subsections }} is null
        or ({{ listed_subsections }} = 'bare' and coalesce({{ offense_subsections }}, '') = '')
        or {{ offense_subsections }} = {{ listed_subsections }}
        or starts_with({{ offense_subsections }}, {{ listed_subsections }} || '(')
    )
{%- endmacro %}


{#- Display text of a parsed code section, book first as the statute lists write it:
    `PC 187`, `PC 664/187` for an attempt, `PC 182/187` for a conspiracy, `PC 288a(c)(1)`. -#}
{% macro code_section_display(statute_book, attempt_prefix, section, subsections) -%}
    concat_ws(
        ' ',
        {{ statute_book }},
        concat(
            case {{ attempt_prefix }} when 'attempt' then '664/' when 'conspiracy' then '182/' end,
            {{ section }},
            {{ subsections }}
        )
    )
{%- endmacro %}
