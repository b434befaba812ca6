{#- The offense of conviction is one of `offenses`. Each entry is a Prop 64 section, then its
    subsections or `bare`, then optionally a level: `11357(b)` matches 11357(b) and 11357(b)(2);
    `11357` matches every 11357; `11357 bare` only an 11357 recorded with no subsection;
    `11360 misdemeanor` only a misdemeanor 11360. An entry whose level is needed but missing
    leaves the rule unknown; a missing subsection never matches a listed one. -#}
{% macro predicate__offense_in(parameters) -%}
    {%- set offenses = "json_extract_string(" ~ parameters ~ ", '$.offenses[*]')" -%}
    {%- set entry_checks -%}
        list_transform({{ offenses }}, lambda entry: case
            when regexp_extract(entry, '^[0-9]+') <> section then 'false'
            when entry like '% bare%' and coalesce(subsections, '') <> '' then 'false'
            when regexp_extract(entry, '^[0-9]+((\([a-z0-9]+\))*)', 1) <> ''
                and coalesce(subsections, '') <> regexp_extract(entry, '^[0-9]+((\([a-z0-9]+\))*)', 1)
                and not starts_with(coalesce(subsections, ''), regexp_extract(entry, '^[0-9]+((\([a-z0-9]+\))*)', 1) || '(')
                then 'false'
            when regexp_extract(entry, '(felony|misdemeanor|infraction)$') = '' then 'true'
            when level is null then 'unknown'
            when lower(level) = regexp_extract(entry, '(felony|misdemeanor|infraction)$') then 'true'
            else 'false'
        end)
    {%- endset -%}
    {%- set result -%}
        case
            when section is null then 'unknown'
            when list_contains({{ entry_checks }}, 'true') then 'true'
            when list_contains({{ entry_checks }}, 'unknown') then 'unknown'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when section is null then 'section missing'
            else coalesce(lower(level), 'level unknown') || ' HS ' || section || coalesce(subsections, '')
                || case
                    when list_contains({{ entry_checks }}, 'true') then ', one of '
                    when list_contains({{ entry_checks }}, 'unknown') then ', possibly one of '
                    else ', not one of '
                end
                || array_to_string({{ offenses }}, ', ')
        end
    {%- endset -%}
    {%- set missing_fact -%}
        case when section is null then 'section' else 'level' end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
