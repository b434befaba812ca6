{#- The text of group `position` of `pattern` in `text`, where the position comes from a column.
    DuckDB (2.0.1) takes only a constant group, so each possible position gets its own branch;
    patterns with more than nine groups are not supported. -#}
{% macro regexp_group_at(text, pattern, position) -%}
    case {{ position }}
        {%- for group in range(1, 10) %}
        when {{ group }} then regexp_extract({{ text }}, {{ pattern }}, {{ group }})
        {%- endfor %}
    end
{%- endmacro %}
