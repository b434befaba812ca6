{#- Return the field trimmed of spaces, or null when it is empty or only spaces and dashes:
    the DOJ writes missing values both as empty fields and as placeholders such as `  -  `.
    A field with no space or dash at either end is returned as it is without trimming, which
    spares a string copy on most of the millions of fields a large extract holds. -#}
{% macro clean_doj_field(column) -%}
    case
        when {{ column }} = '' then null
        when not (
            starts_with({{ column }}, ' ')
            or starts_with({{ column }}, '-')
            or ends_with({{ column }}, ' ')
            or ends_with({{ column }}, '-')
        )
            then {{ column }}
        when trim({{ column }}, ' -') = '' then null
        else trim({{ column }})
    end
{%- endmacro %}


{#- Return whether the line has a placeholder field (only spaces and dashes, at least one dash,
    like `  -  `) between two commas. Most lines have none, and matching this one pattern cost
    less CPU than four substring searches (duckdb 2.0.1). -#}
{% macro has_placeholder_field(line) -%}
    regexp_matches({{ line }}, ',[ -]*-[ -]*,')
{%- endmacro %}


{#- Return the line with every placeholder field between two commas emptied. The rewrite runs
    twice because one pass cannot empty two placeholders in a row: they share a comma. -#}
{% macro without_placeholders(line) -%}
    regexp_replace(
        regexp_replace({{ line }}, ',( *-[ -]*),', ',,', 'g'),
        ',( *-[ -]*),', ',,', 'g'
    )
{%- endmacro %}
