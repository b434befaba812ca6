{#- The statute's age lines (lawful at 21 and over) apply to the person's age when the conduct
    happened, so the reference is the conduct date. -#}
{% macro predicate__age_at_least_on_conduct_date(parameters) -%}
    {%- do return(age_check(parameters, 'conduct_date', 'conduct date')) -%}
{%- endmacro %}
