{#- Some conviction on one of `lists` (or, for a PC 290 list, a PC 290 registration) came before
    this conviction's `compare` date: its conduct date (the statute: the disqualifier existed
    when the cannabis offense was committed) or its disposition date (the 2019 Los Angeles flow).
    A conviction in the same court case never counts. int_prop64_prior_checks works out each list
    and comparison; this macro picks the ones the rule names and combines them: the rule holds
    when one of them holds, and is unknown when none holds and one is unknown. -#}
{% macro predicate__prior_on_list(parameters) -%}
    {%- set lists = "json_extract_string(" ~ parameters ~ ", '$.lists[*]')" -%}
    {%- set compare = "json_extract_string(" ~ parameters ~ ", '$.compare')" -%}
    {%- set ns = namespace(results=[], facts=[]) -%}
    {%- for list_name in disqualifier_list_nouns() -%}
        {%- set picked = "list_contains(" ~ lists ~ ", '" ~ list_name ~ "')" -%}
        {%- set column = "case " ~ compare ~ " when 'conduct' then prior_" ~ list_name ~ "_conduct_{part} else prior_" ~ list_name ~ "_disposition_{part} end" -%}
        {%- do ns.results.append("case when " ~ picked ~ " then " ~ column.replace('{part}', 'result') ~ " end") -%}
        {%- do ns.facts.append("case when " ~ picked ~ " then struct_pack(result := " ~ column.replace('{part}', 'result') ~ ", fact := " ~ column.replace('{part}', 'fact') ~ ", missing_fact := " ~ column.replace('{part}', 'missing_fact') ~ ") end") -%}
    {%- endfor -%}
    {%- set results = "[" ~ ns.results | join(", ") ~ "]" -%}
    {%- set checks = "list_filter([" ~ ns.facts | join(", ") ~ "], lambda checked: checked is not null)" -%}
    {%- set result -%}
        case
            when list_contains({{ results }}, 'true') then 'true'
            when list_contains({{ results }}, 'unknown') or list_contains({{ results }}, null) then 'unknown'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when list_contains({{ results }}, 'true')
                then array_to_string(list_transform(list_filter({{ checks }}, lambda checked: checked.result = 'true'), lambda checked: checked.fact), '; ')
            when list_contains({{ results }}, 'unknown')
                then array_to_string(list_transform(list_filter({{ checks }}, lambda checked: checked.result = 'unknown'), lambda checked: checked.fact), '; ')
            else array_to_string(list_transform({{ checks }}, lambda checked: checked.fact), '; ')
        end
    {%- endset -%}
    {%- set missing_fact -%}
        list_transform(list_filter({{ checks }}, lambda checked: checked.result = 'unknown'), lambda checked: checked.missing_fact)[1]
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
