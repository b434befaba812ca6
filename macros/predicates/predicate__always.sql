{% macro predicate__always(parameters) -%}
    {%- do return({
        'result': "'true'",
        'fact': "'applies to every conviction'",
        'missing_fact': "null",
    }) -%}
{%- endmacro %}
