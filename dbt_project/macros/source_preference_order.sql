{#-
    The source-preference rule as an ORDER BY list (most preferred first), over the
    columns of int_observations__joined:
      1. latest publication date first; an unknown date ranks after any known date
      2. official_report before news when equally recent
      3. earliest span in the document (then span end; then an original before its
         identical copies; then source_id, observation_id, so the order is total)
    A mart that needs the best observation of each group orders within the group by it
    (`row_number() over (partition by ... order by {{ source_preference_order() }})`);
    mart_target_tracking numbers the observations it reads by it (preference_rank).
-#}
{% macro source_preference_order() -%}
    published_date desc nulls last,
    case source_kind when 'official_report' then 0 else 1 end,
    span_start,
    span_end,
    canonical_source_id <> source_id,
    source_id,
    observation_id
{%- endmacro %}
