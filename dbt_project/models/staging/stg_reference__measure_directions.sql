-- Per-measure direction overrides seed (reference.measure_directions).
-- Rename and cast only.
with source as (
    select * from {{ ref('measure_directions') }}
),

renamed as (
    select
        cast(indicator_code as varchar) as indicator_code,
        cast(measure as varchar)        as measure,
        cast(direction as varchar)      as direction,
        cast(reason as varchar)         as reason
    from source
)

select * from renamed
