-- The indicator catalogue seed (reference.indicators). Rename and cast only.
with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        cast(code as varchar)     as indicator_code,
        cast(name_vi as varchar)  as name_vi,
        cast(name_en as varchar)  as name_en,
        cast(category as varchar) as category,
        cast(unit as varchar)     as unit,
        cast(cues_vi as varchar)  as cues_vi
    from source
)

select * from renamed
