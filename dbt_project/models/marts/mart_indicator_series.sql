-- One row per series: indicator_code x geo_code x period_code x measure x status x
-- base_period_code (a NULL base is a key value of its own). The base period belongs to
-- the key because "change_pct vs 2019" and "change_pct vs 2020" are different series.
--
-- The chosen value of a series is its first observation under the source-preference
-- rule (macros/source_preference_order.sql): latest publication date first (unknown
-- date after any known date), official_report before news when equally recent, then the
-- earliest span. Every other observation (earlier vintages included) stays in
-- fct_indicator.
--
-- Incremental by family (macros/incremental_by_family.sql): a build recomputes the rows
-- of the indicators-in-a-place whose observations changed and keeps the others.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_families() }}",
    post_hook=["create schema if not exists build_state", "{{ record_families() }}"]
) }}
-- depends_on: {{ ref('int_observation_families') }}

with observations as (
    select * from {{ ref('int_observations__joined') }}
    where series_key is not null
      and {{ in_changed_family('indicator_code', 'geo_code') }}
),

chosen as (
    select *
    from observations
    qualify row_number() over (
        partition by series_key order by {{ source_preference_order() }}
    ) = 1
),

agreement as (
    select
        observations.series_key,
        count(*)                                          as n_observations,
        count(distinct observations.canonical_source_id)  as n_sources,
        count(distinct case when {{ values_agree('observations', 'chosen') }}
                            then observations.canonical_source_id end)
                                                          as n_sources_agreeing,
        count(distinct case when not {{ values_agree('observations', 'chosen') }}
                            then observations.canonical_source_id end)
                                                          as n_sources_disagreeing
    from observations
    inner join chosen
        on chosen.series_key = observations.series_key
    group by observations.series_key
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        -- series key
        chosen.series_key,
        chosen.indicator_code,
        chosen.geo_code,
        chosen.period_code,
        chosen.measure,
        chosen.status,
        chosen.base_period_code,
        {{ status_preference('chosen.status') }} = min({{ status_preference('chosen.status') }}) over (
            partition by chosen.indicator_code, chosen.geo_code, chosen.period_code,
                         chosen.measure, chosen.base_period_code
        )                                   as is_preferred_status,

        -- chosen value
        chosen.value,
        chosen.value_low,
        chosen.value_high,
        chosen.qualifier,
        chosen.unit,
        chosen.observation_id,
        chosen.source_id,
        chosen.source_kind,
        chosen.published_date,
        chosen.span_start,
        chosen.span_end,
        chosen.quote,

        -- support
        agreement.n_observations,
        agreement.n_sources,
        agreement.n_sources_agreeing,
        agreement.n_sources_disagreeing,

        -- labels
        indicators.name_vi,
        indicators.name_en,
        indicators.category,
        periods.label_vi,
        periods.label_en,
        periods.start_date,
        periods.end_date,
        base_periods.label_vi               as base_period_label_vi,
        base_periods.label_en               as base_period_label_en
    from chosen
    inner join agreement
        on agreement.series_key = chosen.series_key
    left join indicators
        on indicators.indicator_code = chosen.indicator_code
    left join periods
        on periods.period_code = chosen.period_code
    left join periods as base_periods
        on base_periods.period_code = chosen.base_period_code
)

select * from final
