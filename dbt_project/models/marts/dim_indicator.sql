-- Every code of the indicator catalogue with its analytic properties and how many
-- observations the warehouse holds for it.

with indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

indicator_properties as (
    select * from {{ ref('stg_reference__indicator_properties') }}
),

observation_counts as (
    select
        indicator_code,
        count(*) as observation_count
    from {{ ref('int_observations__joined') }}
    where indicator_code is not null
    group by indicator_code
),

final as (
    select
        indicators.indicator_code,
        indicators.name_vi,
        indicators.name_en,
        indicators.category,
        indicators.unit,
        indicator_properties.direction,
        indicator_properties.kind,
        indicators.cues_vi,
        coalesce(observation_counts.observation_count, 0) as observation_count
    from indicators
    left join indicator_properties
        on indicator_properties.indicator_code = indicators.indicator_code
    left join observation_counts
        on observation_counts.indicator_code = indicators.indicator_code
)

select * from final
