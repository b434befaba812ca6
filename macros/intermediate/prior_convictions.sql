{#- The lists of disqualifying convictions a policy can name, each with the words a reviewer
    reads for one of its convictions. -#}
{% macro disqualifier_list_nouns() -%}
    {%- do return({
        'super_strike': 'super strike',
        'possible_super_strike': 'possible super strike',
        'pc290': 'PC 290 offense',
        'possible_pc290': 'possible PC 290 offense',
        'la2019_super_strike': 'super strike (2019 Los Angeles list)',
        'la2019_pc290': 'PC 290 offense (2019 Los Angeles list)',
    }) -%}
{%- endmacro %}

{#- The two dates of a Prop 64 conviction that an earlier conviction can be compared with. -#}
{% macro prior_comparisons() -%}
    {%- do return(['conduct', 'disposition']) -%}
{%- endmacro %}

{#- Whether a disqualifying date range lies before a reference date range: 'true' when every
    date of one is before every date of the other, 'false' when none is, 'unknown' otherwise or
    when either date is missing. With the conduct date as reference (the statute's test), a
    disposition on the conduct day itself is 'unknown', because the record cannot show which came
    first that day. With the disposition date (the 2019 Los Angeles flow), "before" is strictly
    before, so the same day is 'false'. -#}
{% macro prior_status(prior_start, prior_end, reference_start, reference_end, comparison) -%}
    case
        when {{ prior_start }} is null or {{ reference_start }} is null then 'unknown'
        when {{ prior_end }} < {{ reference_start }} then 'true'
        when {{ comparison }} = 'disposition' and {{ prior_start }} >= {{ reference_end }} then 'false'
        when {{ comparison }} = 'conduct' and {{ prior_start }} > {{ reference_end }} then 'false'
        else 'unknown'
    end
{%- endmacro %}
