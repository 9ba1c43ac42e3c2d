-- Every period code the observations use (as period or base period), with its dates
-- and labels. The relationships tests on fct_indicator prove the coverage.

with periods as (
    select * from {{ ref('stg_landing__periods') }}
),

final as (
    select
        period_code,
        grain,
        start_date,
        end_date,
        label_vi,
        label_en,
        year(start_date)                 as start_year,
        year(end_date)                   as end_year,
        date_diff('day', start_date, end_date) + 1 as day_count
    from periods
)

select * from final
