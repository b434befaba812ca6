{#- The level is CONV_STAT_DESCR, else the charge's OFFENSE_TOC; when both are missing the level is
    unknown and no rule may treat the conviction as a misdemeanor. -#}
{% macro predicate__not_felony(parameters) -%}
    {%- set result -%}
        case
            when is_felony is null then 'unknown'
            when is_felony then 'false'
            else 'true'
        end
    {%- endset -%}
    {%- set fact -%}
        case when level is null or is_felony is null then 'level missing' else 'level ' || level end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'level'"}) -%}
{%- endmacro %}
