-- The observation fact table of the contract (../shared/spec/OBSERVATIONS.md):
-- one row per number in one source document that states the value of an indicator
-- (or an uncatalogued number, indicator_code NULL), for one place, period, measure and
-- status. Every vintage of every value is kept: nothing is deduplicated here.
--
-- A view of int_observations__joined, which is incremental by source document: a
-- refresh adds and removes the rows of the documents that changed and touches no other
-- (see that model). The rows are stored once in the warehouse.

{{ config(materialized='view') }}

with observations as (
    select * from {{ ref('int_observations__joined') }}
),

final as (
    select
        -- contract columns
        observation_id,
        source_id,
        span_start,
        span_end,
        indicator_code,
        geo_code,
        period_code,
        base_period_code,
        measure,
        value,
        value_low,
        value_high,
        qualifier,
        unit,
        status,
        quote,

        -- evidence
        mention,
        quote_start,
        quote_end,
        indicator_cue,
        measure_cue,
        period_cue,
        status_cue,
        geo_cue,
        evidence,
        extractor_version,
        content_sha256,
        extracted_at,

        -- convenience: periods and the source's vintage
        period_grain,
        period_start_date,
        period_end_date,
        base_period_start_date,
        base_period_end_date,
        published_date,
        source_kind,
        series_key
    from observations
)

select * from final
