-- One row per extracted observation. Rename and cast only: codes are kept exactly as
-- landed so that the contract tests on marts.fct_indicator see what the extractor wrote.
with source as (
    select * from {{ source('landing', 'observations') }}
),

renamed as (
    select
        cast(observation_id as varchar)    as observation_id,
        cast(source_id as varchar)         as source_id,
        cast(content_sha256 as varchar)    as content_sha256,
        cast(extractor_version as varchar) as extractor_version,
        cast(span_start as integer)        as span_start,
        cast(span_end as integer)          as span_end,
        cast(mention as varchar)           as mention,
        cast(indicator_code as varchar)    as indicator_code,
        cast(geo_code as varchar)          as geo_code,
        cast(period_code as varchar)       as period_code,
        cast(base_period_code as varchar)  as base_period_code,
        cast(measure as varchar)           as measure,
        cast(value as double)              as value,
        cast(value_low as double)          as value_low,
        cast(value_high as double)         as value_high,
        cast(qualifier as varchar)         as qualifier,
        cast(unit as varchar)              as unit,
        cast(status as varchar)            as status,
        cast(quote as varchar)             as quote,
        cast(quote_start as integer)       as quote_start,
        cast(quote_end as integer)         as quote_end,
        cast(indicator_cue as varchar)     as indicator_cue,
        cast(measure_cue as varchar)       as measure_cue,
        cast(period_cue as varchar)        as period_cue,
        cast(status_cue as varchar)        as status_cue,
        cast(geo_cue as varchar)           as geo_cue,
        -- the evidence as landed, and as DuckDB JSON (NULL when it is not valid JSON,
        -- which the not_null test on int_observations__joined.evidence reports)
        cast(evidence as varchar)          as evidence_text,
        try_cast(evidence as json)         as evidence_json
    from source
)

select * from renamed
