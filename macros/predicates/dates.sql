{#- Calendar arithmetic shared by the predicates. -#}

{#- The date `years` calendar years after `date`. Someone born on 29 February has a birthday on
    1 March in other years, so 29 February moves to 1 March when the target year is not a leap year. -#}
{% macro add_calendar_years(date, years) -%}
    case
        when month({{ date }}) = 2 and day({{ date }}) = 29
            and not {{ is_leap_year('year(' ~ date ~ ') + ' ~ years) }}
            then make_date(year({{ date }}) + {{ years }}, 3, 1)
        else make_date(year({{ date }}) + {{ years }}, month({{ date }}), day({{ date }}))
    end
{%- endmacro %}

{% macro is_leap_year(year) -%}
    ((({{ year }}) % 4 = 0 and ({{ year }}) % 100 <> 0) or ({{ year }}) % 400 = 0)
{%- endmacro %}

{#- Completed calendar years between a date of birth and `on_date`. -#}
{% macro age_on(date_of_birth, on_date) -%}
    (
        year({{ on_date }}) - year({{ date_of_birth }})
        - case
            when {{ add_calendar_years(date_of_birth, 'year(' ~ on_date ~ ') - year(' ~ date_of_birth ~ ')') }} > {{ on_date }}
                then 1
            else 0
        end
    )
{%- endmacro %}

{#- The date `years` calendar years before `date`; 29 February becomes 28 February in other years. -#}
{% macro subtract_calendar_years(date, years) -%}
    ({{ date }} - to_years({{ years }}))::date
{%- endmacro %}

{#- A date range as a reviewer reads it: `2016-11-05` for a day, `2016-11` for a month, `2016` for
    a year, and `2016-11-01 to 2016-11-30` for another range. -#}
{% macro format_date_range(start, end, precision='null') -%}
    case
        when {{ start }} is null then null
        when {{ precision }} = 'month' then strftime({{ start }}, '%Y-%m')
        when {{ precision }} = 'year' then strftime({{ start }}, '%Y')
        when {{ start }} = {{ end }} then strftime({{ start }}, '%Y-%m-%d')
        else strftime({{ start }}, '%Y-%m-%d') || ' to ' || strftime({{ end }}, '%Y-%m-%d')
    end
{%- endmacro %}

{#- Text of a date for a reviewer. -#}
{% macro format_date(date) -%}
    strftime({{ date }}, '%Y-%m-%d')
{%- endmacro %}

{#- Reporting band of an age in completed years. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} < 21 then 'under 21'
        when {{ age }} < 30 then '21-29'
        when {{ age }} < 40 then '30-39'
        when {{ age }} < 50 then '40-49'
        when {{ age }} < 60 then '50-59'
        else '60 and over'
    end
{%- endmacro %}

{#- A rule fact without the date of birth, or the 21st birthday that gives it away, for
    pseudonymous tables where a birth date would identify a person: `date of birth 1961-04-02,
    age 65 on ...` becomes `age 65 on ...`, and `date of birth 2000-03-15, 21 on 2021-03-15,
    after disposition ...` becomes `21st birthday after disposition ...`. -#}
{% macro without_date_of_birth(fact) -%}
    regexp_replace(
        regexp_replace(
            {{ fact }},
            'date of birth [0-9-]+( to [0-9-]+)?, 21 on [0-9-]+( to [0-9-]+)?, ',
            '21st birthday ',
            'g'
        ),
        'date of birth [0-9-]+( to [0-9-]+)?, ',
        '',
        'g'
    )
{%- endmacro %}
