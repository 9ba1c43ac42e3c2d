-- Exactly one row of each indicator x geo x period x measure x base group is the
-- preferred status.
select
    indicator_code,
    geo_code,
    period_code,
    measure,
    base_period_code,
    count(*) filter (where is_preferred_status) as n_preferred
from {{ ref('mart_indicator_series') }}
group by all
having count(*) filter (where is_preferred_status) <> 1
