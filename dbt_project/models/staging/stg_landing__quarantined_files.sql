-- One row per raw file that could not be read. Rename and cast only.
with source as (
    select * from {{ source('landing', 'quarantined_files') }}
),

renamed as (
    select
        cast(source_id as varchar)      as source_id,
        cast(file_name as varchar)      as file_name,
        cast(reason as varchar)         as reason,
        cast(content_sha256 as varchar) as content_sha256,
        cast(byte_size as bigint)       as byte_size,
        cast(detected_at as timestamp)  as detected_at
    from source
)

select * from renamed
