{#- The check of an age rule: the subject is at least (or at most) `years` old on a reference
    date. Ages count completed calendar years, and a 29 February birthday falls on 1 March in
    other years. Both the date of birth (when rows differ) and the reference date (when partial)
    can be ranges: the rule holds only if it holds for every combination. `reference` is the
    column prefix of the reference range (`compute_date` is used as a one-day range), and
    `reference_name` names it in facts. -#}
{% macro age_check(parameters, reference, reference_name, at_most=false) -%}
    {%- set years = "json_extract(" ~ parameters ~ ", '$.years')::integer" -%}
    {%- if reference == 'compute_date' -%}
        {%- set reference_start, reference_end, reference_text = 'compute_date', 'compute_date', format_date('compute_date') -%}
    {%- else -%}
        {%- set reference_start, reference_end = reference ~ '_start', reference ~ '_end' -%}
        {%- set reference_text = format_date_range(reference_start, reference_end, reference ~ '_precision') -%}
    {%- endif -%}
    {%- set youngest_age = age_on('dob_end', reference_start) -%}
    {%- set oldest_age = age_on('dob_start', reference_end) -%}
    {%- if at_most -%}
        {#- At most N years old means the (N+1)th birthday is still ahead. -#}
        {%- set holds = reference_end ~ ' < ' ~ add_calendar_years('dob_start', years ~ ' + 1') -%}
        {%- set fails = reference_start ~ ' >= ' ~ add_calendar_years('dob_end', years ~ ' + 1') -%}
        {%- set holds_text, fails_text, unsure_text = "' or younger'", "''", "' or younger'" -%}
        {%- set fails_prefix, unsure_prefix = "', older than '", "', possibly '" -%}
    {%- else -%}
        {%- set holds = add_calendar_years('dob_end', years) ~ ' <= ' ~ reference_start -%}
        {%- set fails = add_calendar_years('dob_start', years) ~ ' > ' ~ reference_end -%}
        {%- set holds_text, fails_text, unsure_text = "' or older'", "''", "' or older'" -%}
        {%- set fails_prefix, unsure_prefix = "', under '", "', possibly '" -%}
    {%- endif -%}
    {%- set result -%}
        case
            when dob_start is null or {{ reference_start }} is null then 'unknown'
            when {{ holds }} then 'true'
            when {{ fails }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when dob_start is null then 'date of birth missing'
            when {{ reference_start }} is null then '{{ reference_name }} missing'
            else 'date of birth ' || {{ format_date_range('dob_start', 'dob_end') }}
                || ', age '
                || case
                    when {{ youngest_age }} = {{ oldest_age }} then {{ oldest_age }}::varchar
                    else {{ youngest_age }} || ' to ' || {{ oldest_age }}
                end
                || ' on ' || {{ reference_text }}
                || case
                    when {{ holds }} then ', ' || {{ years }} || {{ holds_text }}
                    when {{ fails }} then {{ fails_prefix }} || {{ years }} || {{ fails_text }}
                    else {{ unsure_prefix }} || {{ years }} || {{ unsure_text }}
                end
        end
    {%- endset -%}
    {%- set missing_fact -%}
        case
            when dob_start is null then 'date of birth'
            when {{ reference_start }} is null then '{{ reference_name }}'
            when dob_start <> dob_end then 'date of birth'
            else '{{ reference_name }}'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
