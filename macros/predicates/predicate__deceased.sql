{#- A step of type DECEASED marks the subject as deceased. -#}
{% macro predicate__deceased(parameters) -%}
    {%- set result -%}
        case
            when is_deceased is null then 'unknown'
            when is_deceased then 'true'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when is_deceased is null then 'death notice unknown'
            when is_deceased then 'death notice on record'
            else 'no death notice on record'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'death notice'"}) -%}
{%- endmacro %}
