{% macro predicate__section_in(parameters) -%}
    {%- set sections = "json_extract_string(" ~ parameters ~ ", '$.sections[*]')" -%}
    {%- set result -%}
        case
            when section is null then 'unknown'
            when list_contains({{ sections }}, section) then 'true'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when section is null then 'section missing'
            else 'section ' || section
                || case when list_contains({{ sections }}, section) then ', in ' else ', not in ' end
                || coalesce(nullif(array_to_string({{ sections }}, ', '), ''), 'an empty list')
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'section'"}) -%}
{%- endmacro %}
