{#- The level is CONV_STAT_DESCR, else the charge's OFFENSE_TOC; when both are missing no level
    rule can hold or be ruled out. -#}
{% macro predicate__level_in(parameters) -%}
    {%- set levels = "json_extract_string(" ~ parameters ~ ", '$.levels[*]')" -%}
    {%- set result -%}
        case
            when level is null then 'unknown'
            when list_contains({{ levels }}, lower(level)) then 'true'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when level is null then 'level missing'
            else 'level ' || level
                || case when list_contains({{ levels }}, lower(level)) then ', in ' else ', not in ' end
                || array_to_string({{ levels }}, ', ')
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'level'"}) -%}
{%- endmacro %}
