{{ config(severity='warn') }}
-- Bounds follow the qualifier (contract, section 3): range -> value_low <= value <=
-- value_high; gt/gte -> value_low = value; lt/lte -> value_high = value.
select
    observation_id,
    qualifier,
    value,
    value_low,
    value_high
from {{ ref('fct_indicator') }}
where value is not null
  and (
        (qualifier = 'range'
         and not coalesce(value_low <= value and value <= value_high, false))
     or (qualifier in ('gt', 'gte') and value_low is distinct from value)
     or (qualifier in ('lt', 'lte') and value_high is distinct from value)
  )
