{#-
    Rank of a status when several describe the same indicator, place, period, measure
    and base: actual (1) over estimate (2) over target (3).
-#}
{% macro status_preference(status) -%}
    case {{ status }}
        when 'actual' then 1
        when 'estimate' then 2
        when 'target' then 3
        else 4
    end
{%- endmacro %}
