-- Every period code the observations use, with dates and labels. Rename and cast only.
with source as (
    select * from {{ source('landing', 'periods') }}
),

renamed as (
    select
        cast(period_code as varchar) as period_code,
        cast(grain as varchar)       as grain,
        cast(start_date as date)     as start_date,
        cast(end_date as date)       as end_date,
        cast(label_vi as varchar)    as label_vi,
        cast(label_en as varchar)    as label_en
    from source
)

select * from renamed
