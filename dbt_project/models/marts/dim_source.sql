-- One row per readable source document: its text (spans index it), publication
-- metadata, provenance and how many observations were extracted from it. A view: the
-- texts stay in landing.source_documents instead of being copied on every build.

{{ config(materialized='view') }}

with documents as (
    select * from {{ ref('stg_landing__source_documents') }}
),

extraction_state as (
    select * from {{ ref('stg_landing__extraction_state') }}
),

observation_counts as (
    select
        source_id,
        count(*) as observation_count,
        count(indicator_code) as catalogued_observation_count
    from {{ ref('int_observations__joined') }}
    group by source_id
),

final as (
    select
        -- contract columns
        documents.source_id,
        documents.text,
        documents.published_date,
        documents.title,
        documents.content_sha256,

        -- the file
        documents.file_name,
        documents.source_kind,
        documents.encoding,
        documents.media_type,
        case documents.media_type
            when 'text/plain' then 'txt'
            when 'text/html' then 'html'
            when 'application/pdf' then 'pdf'
            when 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
                then 'docx'
            when 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
                then 'xlsx'
        end                                              as file_format,
        documents.byte_size,
        documents.char_count,
        documents.text_sha256,
        documents.duplicate_of,
        documents.published_date_evidence,
        documents.ingested_at,

        -- its extraction
        extraction_state.extractor_version,
        extraction_state.extracted_at,
        extraction_state.extracted_content_sha256,
        extraction_state.extracted_content_sha256 = documents.content_sha256
                                                         as is_extraction_current,
        coalesce(observation_counts.observation_count, 0) as observation_count,
        coalesce(observation_counts.catalogued_observation_count, 0)
                                                         as catalogued_observation_count
    from documents
    left join extraction_state
        on extraction_state.source_id = documents.source_id
    left join observation_counts
        on observation_counts.source_id = documents.source_id
)

select * from final
