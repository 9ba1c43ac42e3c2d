-- mart_indicator_series has one row per series key
-- indicator_code x geo_code x period_code x measure x status x base_period_code.
-- GROUP BY treats NULLs as equal, so a NULL base period is one key value.
select
    indicator_code,
    geo_code,
    period_code,
    measure,
    status,
    base_period_code,
    count(*) as n_rows
from {{ ref('mart_indicator_series') }}
group by all
having count(*) > 1
