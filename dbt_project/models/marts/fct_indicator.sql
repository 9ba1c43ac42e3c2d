-- The observation fact table of the contract (../shared/spec/OBSERVATIONS.md):
-- one row per number in one source document that states the value of an indicator
-- (or an uncatalogued number, indicator_code NULL), for one place, period, measure and
-- status. Every vintage of every value is kept: nothing is deduplicated here.
--
-- Incremental by source document: a build deletes the rows of every document whose
-- extraction (landing.extraction_state.extracted_at) is not the one the table holds —
-- re-extracted, removed, or now an identical copy — (pre-hook, macro
-- delete_stale_documents) and inserts the rows of every document the table lacks. An
-- unchanged document's rows are not touched. The orchestrator runs a full refresh when
-- the dbt project changed or on `make full-rebuild`.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_documents(ref('stg_landing__extraction_state')) }}"
) }}

-- depends_on: {{ ref('stg_landing__extraction_state') }}

with observations as (
    select * from {{ ref('int_observations__joined') }} as joined
    {% if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as loaded where loaded.source_id = joined.source_id
    )
    {% endif %}
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
