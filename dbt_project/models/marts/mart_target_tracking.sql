-- Every distinct target (one row per target series and value, restatements counted in
-- target_n_statements / target_n_sources) next to the value it should be judged by: the
-- comparable actual or estimate of the same thing -- same indicator, place, measure and
-- unit (and base period, except for yoy_pct whose base is implied); for counts of things,
-- the same counted noun ("khu công nghiệp" is not "khu và cụm công nghiệp"); for flow
-- indicators the same period grain. Choice of the comparable value:
--   1. a value for the target's own period (same start and end dates) if there is one,
--   2. else the latest one (greatest period end_date),
--   then the same counted noun over a shortened one, actual over estimate, then the
--   source-preference rule (preference_rank).
-- The target's direction comes from its qualifier ("trên"/"từ ... trở lên" up, "dưới"/
-- "tối đa" down) or else from the indicator and measure (macros/target_verdict.sql), and
-- decides the verdict, the attainment and the required growth:
--   met / not_met  a value for the target's own period exists; it does or does not reach
--                  the target threshold in the target's direction
--   pending        the latest comparable value ends before the target period ends
--   no_data        no comparable value, or the target period is over and no value for
--                  it was found
--
-- Incremental by family (macros/incremental_by_family.sql): a target and the values it
-- is judged by share indicator and place, so a build recomputes the rows of the
-- indicators-in-a-place whose observations changed and keeps the others.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_families() }}",
    post_hook=["create schema if not exists build_state", "{{ record_families() }}"]
) }}
-- depends_on: {{ ref('int_observation_families') }}

with observations as (
    select
        *,
        {{ counted_noun('mention', 'unit') }}               as counted_noun,
        -- the source-preference rule (macros/source_preference_order.sql) as one order
        -- of the observations read; only the order within a family matters below
        row_number() over (order by {{ source_preference_order() }})
                                                            as preference_rank
    from {{ ref('int_observations__joined') }}
    where indicator_code is not null
      and {{ in_changed_family('indicator_code', 'geo_code') }}
),

-- one row per distinct target: the same target value restated (in a headline, a lead
-- and a conclusion, or by several documents) is kept once, from the preferred source
target_statements as (
    select * from observations
    where status = 'target'
),

target_counts as (
    select
        series_key,
        compare_low,
        compare_high,
        count(*)                                            as n_statements,
        count(distinct source_id)                           as n_sources
    from target_statements
    group by all
),

targets as (
    select
        target_statements.*,
        target_counts.n_statements,
        target_counts.n_sources,
        {{ target_direction('target_statements.qualifier', 'target_statements.direction') }}
                                                            as target_direction
    from target_statements
    inner join target_counts
        on target_counts.series_key = target_statements.series_key
       and target_counts.compare_low is not distinct from target_statements.compare_low
       and target_counts.compare_high is not distinct from target_statements.compare_high
    qualify row_number() over (
        partition by target_statements.series_key, target_statements.compare_low,
                     target_statements.compare_high
        order by target_statements.preference_rank
    ) = 1
),

thresholds as (
    select
        *,
        {{ target_threshold('qualifier', 'value', 'value_low', 'value_high',
                            'target_direction') }}          as target_threshold
    from targets
),

-- the values a target may be judged by. Values that every target would rank alike --
-- the same thing, place, measure, base, grain, counted noun and period -- differ only
-- in status and source preference, so only the best of them can ever be chosen: keeping
-- that one makes the join below grow with the periods of a series, not with the number
-- of its statements (at 10,000 documents: 1.8 million candidate pairs -> a few thousand)
comparables as (
    select
        observation_id,
        indicator_code,
        geo_code,
        measure,
        unit,
        base_period_code,
        period_grain,
        counted_noun,
        period_code,
        period_start_date,
        period_end_date,
        status,
        value,
        source_id,
        published_date,
        quote,
        preference_rank
    from observations
    where status in ('actual', 'estimate')
      and value is not null
    qualify row_number() over (
        partition by indicator_code, geo_code, measure, unit, base_period_code,
                     period_grain, counted_noun, period_start_date, period_end_date
        order by {{ status_preference('status') }}, preference_rank
    ) = 1
),

candidates as (
    select
        thresholds.observation_id                           as target_observation_id,
        comparables.*,
        comparables.period_start_date = thresholds.period_start_date
            and comparables.period_end_date = thresholds.period_end_date
                                                            as is_same_period,
        comparables.counted_noun is not distinct from thresholds.counted_noun
                                                            as is_same_noun
    from thresholds
    inner join comparables
        on comparables.indicator_code = thresholds.indicator_code
       and comparables.geo_code = thresholds.geo_code
       and comparables.measure = thresholds.measure
       and comparables.unit = thresholds.unit
       and {{ same_counted_thing('comparables.counted_noun', 'thresholds.counted_noun') }}
       and (thresholds.measure = 'yoy_pct'
            or comparables.base_period_code is not distinct from thresholds.base_period_code)
       and (thresholds.indicator_kind is distinct from 'flow'
            or comparables.period_grain = thresholds.period_grain)
),

best_comparable as (
    select *
    from candidates
    qualify row_number() over (
        partition by target_observation_id
        order by
            coalesce(is_same_period, false) desc,
            period_end_date desc nulls last,
            period_start_date asc nulls last,
            is_same_noun desc,
            {{ status_preference('status') }},
            preference_rank
    ) = 1
),

paired as (
    select
        thresholds.*,
        coalesce(thresholds.value, (thresholds.value_low + thresholds.value_high) / 2)
                                                            as target_point,
        best_comparable.observation_id                      as comparable_observation_id,
        best_comparable.value                               as comparable_value,
        best_comparable.unit                                as comparable_unit,
        best_comparable.status                              as comparable_status,
        best_comparable.period_code                         as comparable_period_code,
        best_comparable.period_end_date                     as comparable_period_end_date,
        best_comparable.source_id                           as comparable_source_id,
        best_comparable.published_date                      as comparable_published_date,
        best_comparable.quote                               as comparable_quote,
        coalesce(best_comparable.is_same_period, false)     as is_same_period,
        -- does the comparable value (of whatever period) already satisfy the target?
        {{ target_reached('best_comparable.value', 'thresholds.qualifier',
                          'thresholds.target_threshold', 'thresholds.target_direction') }}
                                                            as is_on_target
    from thresholds
    left join best_comparable
        on best_comparable.target_observation_id = thresholds.observation_id
),

assessed as (
    select
        *,
        case
            when comparable_observation_id is null then 'no_data'
            when is_same_period and is_on_target then 'met'
            when is_same_period and not is_on_target then 'not_met'
            when is_same_period then 'no_data'
            when comparable_period_end_date < period_end_date then 'pending'
            else 'no_data'
        end                                                 as assessment,
        year(period_end_date) - year(comparable_period_end_date)
                                                            as years_to_target,
        -- 100 = at the threshold, more = beyond it, in the target's direction
        case
            when target_direction = 'lower_is_better'
             and comparable_value > 0 and target_threshold >= 0
                then target_threshold / comparable_value * 100
            when target_direction = 'higher_is_better'
             and comparable_value >= 0 and target_threshold > 0
                then comparable_value / target_threshold * 100
        end                                                 as attainment_pct
    from paired
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        -- the target
        assessed.observation_id                             as target_observation_id,
        assessed.indicator_code,
        indicators.name_vi,
        indicators.name_en,
        indicators.category,
        assessed.direction,
        assessed.target_direction,
        assessed.geo_code,
        assessed.measure,
        assessed.base_period_code,
        assessed.period_code                                as target_period_code,
        assessed.period_start_date                          as target_start_date,
        assessed.period_end_date                            as target_end_date,
        target_periods.label_vi                             as target_label_vi,
        target_periods.label_en                             as target_label_en,
        assessed.value                                      as target_value,
        assessed.value_low                                  as target_value_low,
        assessed.value_high                                 as target_value_high,
        assessed.qualifier                                  as target_qualifier,
        assessed.unit                                       as target_unit,
        assessed.mention                                    as target_mention,
        assessed.source_id                                  as target_source_id,
        assessed.published_date                             as target_published_date,
        assessed.quote                                      as target_quote,
        assessed.n_statements                               as target_n_statements,
        assessed.n_sources                                  as target_n_sources,
        assessed.target_point,
        assessed.target_threshold,

        -- the comparable value
        assessed.comparable_observation_id,
        assessed.comparable_value,
        assessed.comparable_unit,
        assessed.comparable_status,
        assessed.comparable_period_code,
        assessed.comparable_period_end_date,
        comparable_periods.label_vi                         as comparable_label_vi,
        comparable_periods.label_en                         as comparable_label_en,
        assessed.comparable_source_id,
        assessed.comparable_published_date,
        assessed.comparable_quote,
        assessed.is_same_period,

        -- the verdict
        assessed.assessment,
        assessed.is_on_target,
        assessed.attainment_pct,
        assessed.comparable_value - assessed.target_threshold
                                                            as gap,
        assessed.years_to_target,
        case
            when assessed.assessment = 'pending'
             and assessed.measure = 'level'
             and not assessed.is_on_target
             and assessed.years_to_target > 0
             and assessed.comparable_value > 0
             and assessed.target_threshold > 0
                then (power(assessed.target_threshold / assessed.comparable_value,
                            1.0 / assessed.years_to_target) - 1) * 100
        end                                                 as required_cagr_pct
    from assessed
    left join indicators
        on indicators.indicator_code = assessed.indicator_code
    left join periods as target_periods
        on target_periods.period_code = assessed.period_code
    left join periods as comparable_periods
        on comparable_periods.period_code = assessed.comparable_period_code
)

select * from final
