{#- Select a date range (`_start`, `_end`, `_precision`) from `primary`, or from `fallback` when
    `primary` is missing or unparseable, as three columns named `<alias>_start`, `_end`, `_precision`.
    Both arguments are column prefixes, optionally table-qualified (`doj_rows.stp_event_date`). -#}
{% macro date_range_with_fallback(primary, fallback, alias) -%}
    case when {{ primary }}_start is not null then {{ primary }}_start else {{ fallback }}_start end as {{ alias }}_start,
    case when {{ primary }}_start is not null then {{ primary }}_end else {{ fallback }}_end end as {{ alias }}_end,
    case when {{ primary }}_start is not null then {{ primary }}_precision else {{ fallback }}_precision end as {{ alias }}_precision
{%- endmacro %}
