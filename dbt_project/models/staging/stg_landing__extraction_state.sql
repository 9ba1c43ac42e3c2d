-- Which document content and extractor version each document's observations came from.
-- Rename and cast only.
with source as (
    select * from {{ source('landing', 'extraction_state') }}
),

renamed as (
    select
        cast(source_id as varchar)         as source_id,
        cast(content_sha256 as varchar)    as extracted_content_sha256,
        cast(extractor_version as varchar) as extractor_version,
        cast(observation_count as integer) as extracted_observation_count,
        cast(extracted_at as timestamp)    as extracted_at
    from source
)

select * from renamed
