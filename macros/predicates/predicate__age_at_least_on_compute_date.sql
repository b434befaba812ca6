{% macro predicate__age_at_least_on_compute_date(parameters) -%}
    {%- do return(age_check(parameters, 'compute_date', 'compute date')) -%}
{%- endmacro %}
