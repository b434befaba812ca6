{#- At least `count` earlier Prop 64 convictions of this conviction's section, in any county,
    came before its `compare` date (conduct or disposition, as for prior_on_list). `count_by`
    `conviction` counts each conviction (the 2019 Los Angeles flow); `cycle` counts earlier,
    separate cycles, so two counts of one case are one prior (the statute's "two or more prior
    convictions" as San Francisco read it). A conviction in the same court case never counts.
    Earlier convictions whose order is uncertain make the rule unknown when they could reach the
    count. -#}
{% macro predicate__prior_same_section_convictions(parameters) -%}
    {%- set count = "json_extract(" ~ parameters ~ ", '$.count')::integer" -%}
    {%- set count_by = "json_extract_string(" ~ parameters ~ ", '$.count_by')" -%}
    {%- set compare = "json_extract_string(" ~ parameters ~ ", '$.compare')" -%}
    {%- set pick -%}
        case
            when {{ count_by }} = 'conviction' and {{ compare }} = 'conduct' then same_section_by_conviction_conduct_{part}
            when {{ count_by }} = 'conviction' then same_section_by_conviction_disposition_{part}
            when {{ compare }} = 'conduct' then same_section_by_cycle_conduct_{part}
            else same_section_by_cycle_disposition_{part}
        end
    {%- endset -%}
    {%- set definite = pick.replace('{part}', 'definite') -%}
    {%- set possible = pick.replace('{part}', 'possible') -%}
    {%- set dates = pick.replace('{part}', 'dates') -%}
    {%- set reference_text = "case " ~ compare ~ " when 'conduct' then conduct_date_text else disposition_date_text end" -%}
    {%- set result -%}
        case
            when {{ definite }} >= {{ count }} then 'true'
            when {{ possible }} < {{ count }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        'earlier HS ' || section || ' convictions'
            || case when {{ count_by }} = 'cycle' then ' in separate cycles' else '' end
            || ' before this ' || {{ compare }} || coalesce(' on ' || {{ reference_text }}, '')
            || ': ' || {{ definite }} || coalesce(' (' || {{ dates }} || ')', '')
            || case
                when {{ possible }} > {{ definite }}
                    then ', ' || ({{ possible }} - {{ definite }}) || ' more possibly'
                else ''
            end
            || ', ' || {{ count }} || ' needed'
    {%- endset -%}
    {%- set missing_fact -%}
        'disposition date of a possible prior HS ' || section || ' conviction'
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
