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
