{% macro predicate__age_at_most_on_conduct_date(parameters) -%}
    {%- do return(age_check(parameters, 'conduct_date', 'conduct date', at_most=true)) -%}
{%- endmacro %}
