-- Per-indicator analytic properties seed (reference.indicator_properties).
-- Rename and cast only.
with source as (
    select * from {{ ref('indicator_properties') }}
),

renamed as (
    select
        cast(code as varchar)      as indicator_code,
        cast(direction as varchar) as direction,
        cast(kind as varchar)      as kind
    from source
)

select * from renamed
