-- Every value of a series that disagrees with the value the series shows. Side a is the
-- series' chosen observation (mart_indicator_series: the source-preference rule); side b
-- is one other value of the series — each distinct value once, shown by its preferred
-- statement — whose figures differ from a's (compared as stated, see var
-- agreement_tolerance; for ranges, either end). One row per series and conflicting
-- value, so the mart grows with the number of distinct values, not with the square of
-- the statements of a series (a series stated 1,000 times with 3 different values has 2
-- rows, not 250,000 pairs). A value repeated in one document (a headline restated in the
-- lead and the body) is one statement: n_statements_* count the repetitions in the
-- shown document, n_sources_b the documents stating value b. Observations of an
-- identical copy of a document (dim_source.duplicate_of) are left out: they repeat the
-- original's.
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

-- the observation each series shows (the same rule as mart_indicator_series)
chosen as (
    select *
    from observations
    qualify row_number() over (
        partition by series_key order by {{ source_preference_order() }}
    ) = 1
),

comparable as (
    select * from observations
    where source_id = canonical_source_id
      and compare_low is not null
      and compare_high is not null
),

-- one row per document and value of a series, at its first place in the document
statements as (
    select
        *,
        count(*) over (
            partition by series_key, source_id, compare_low, compare_high
        )                                       as n_statements
    from comparable
    qualify row_number() over (
        partition by series_key, source_id, compare_low, compare_high
        order by span_start, span_end, observation_id
    ) = 1
),

-- one row per distinct value of a series: its preferred statement and how many
-- documents state it
series_values as (
    select
        *,
        count(*) over (
            partition by series_key, compare_low, compare_high
        )                                       as n_sources
    from statements
    qualify row_number() over (
        partition by series_key, compare_low, compare_high
        order by {{ source_preference_order() }}
    ) = 1
),

chosen_statements as (
    select
        chosen.*,
        coalesce(statements.n_statements, 1)    as n_statements
    from chosen
    left join statements
        on statements.series_key = chosen.series_key
       and statements.source_id = chosen.source_id
       and statements.compare_low = chosen.compare_low
       and statements.compare_high = chosen.compare_high
    where chosen.compare_low is not null
      and chosen.compare_high is not null
),

conflicts as (
    select
        a.series_key,
        a.indicator_code,
        a.geo_code,
        a.period_code,
        a.measure,
        a.status,
        a.base_period_code,

        a.observation_id                        as observation_id_a,
        b.observation_id                        as observation_id_b,
        a.value                                 as value_a,
        b.value                                 as value_b,
        a.value_low                             as value_low_a,
        b.value_low                             as value_low_b,
        a.value_high                            as value_high_a,
        b.value_high                            as value_high_b,
        a.qualifier                             as qualifier_a,
        b.qualifier                             as qualifier_b,
        a.unit                                  as unit_a,
        b.unit                                  as unit_b,
        a.source_id                             as source_id_a,
        b.source_id                             as source_id_b,
        a.source_kind                           as source_kind_a,
        b.source_kind                           as source_kind_b,
        a.published_date                        as published_date_a,
        b.published_date                        as published_date_b,
        a.span_start                            as span_start_a,
        a.span_end                              as span_end_a,
        b.span_start                            as span_start_b,
        b.span_end                              as span_end_b,
        a.quote                                 as quote_a,
        b.quote                                 as quote_b,
        a.mention                               as mention_a,
        b.mention                               as mention_b,
        a.n_statements                          as n_statements_a,
        b.n_statements                          as n_statements_b,
        b.n_sources                             as n_sources_b,
        a.source_id = b.source_id               as same_source,

        -- the larger of the differences of the two comparison bounds (for points: of
        -- the values), absolute and relative to the larger magnitude
        greatest(
            abs(a.compare_low - b.compare_low),
            abs(a.compare_high - b.compare_high)
        )                                       as abs_difference,
        greatest(
            {{ relative_difference('a.compare_low', 'b.compare_low') }},
            {{ relative_difference('a.compare_high', 'b.compare_high') }}
        )                                       as relative_difference
    from chosen_statements as a
    inner join series_values as b
        on b.series_key = a.series_key
    where not {{ values_agree('a', 'b') }}
      -- two readings of the very same number are not a conflict between places
      and not (a.source_id = b.source_id
               and a.span_start = b.span_start
               and a.span_end = b.span_end)
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        conflicts.*,
        indicators.name_vi,
        indicators.name_en,
        indicators.category,
        periods.label_vi,
        periods.label_en,
        periods.start_date,
        periods.end_date
    from conflicts
    left join indicators
        on indicators.indicator_code = conflicts.indicator_code
    left join periods
        on periods.period_code = conflicts.period_code
)

select * from final
