{#- Rows where a count column differs from the sum of its parts, e.g. lines read against lines
    loaded plus lines quarantined: a count that does not reconcile means a line was lost. -#}
{% test equals_sum_of(model, column_name, parts) %}

select *
from {{ model }}
where {{ column_name }} <> {{ parts | join(' + ') }}

{% endtest %}
