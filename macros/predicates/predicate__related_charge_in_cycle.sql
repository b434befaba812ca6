{#- Charges often filed with a cannabis charge (PC 647(f), PC 148, HS 11364 and others) count
    only when convicted in the same cycle as the Prop 64 conviction. -#}
{% macro predicate__related_charge_in_cycle(parameters) -%}
    {%- set result -%}
        case when has_related_charge_in_cycle then 'true' else 'false' end
    {%- endset -%}
    {%- set fact -%}
        case
            when has_related_charge_in_cycle then 'related charge convicted in the same cycle'
            else 'no related charge in the same cycle'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "null"}) -%}
{%- endmacro %}
