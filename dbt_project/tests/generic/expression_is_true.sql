{#-
    Fails for every row where `expression` is not true (NULL counts as a failure).
    A small stand-in for dbt_utils.expression_is_true (dbt packages are not available).

        data_tests:
          - expression_is_true:
              arguments:
                expression: "start_date <= end_date"
-#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
