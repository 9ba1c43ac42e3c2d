-- One row per readable raw document. Rename and cast only.
with source as (
    select * from {{ source('landing', 'source_documents') }}
),

renamed as (
    select
        cast(source_id as varchar)               as source_id,
        cast(file_name as varchar)               as file_name,
        cast(content_sha256 as varchar)          as content_sha256,
        cast(text_sha256 as varchar)             as text_sha256,
        cast(byte_size as bigint)                as byte_size,
        cast(encoding as varchar)                as encoding,
        cast(media_type as varchar)              as media_type,
        cast(text as varchar)                    as text,
        cast(char_count as integer)              as char_count,
        cast(title as varchar)                   as title,
        cast(published_date as date)             as published_date,
        cast(published_date_evidence as varchar) as published_date_evidence,
        cast(source_kind as varchar)             as source_kind,
        cast(duplicate_of as varchar)            as duplicate_of,
        cast(ingested_at as timestamp)           as ingested_at
    from source
)

select * from renamed
