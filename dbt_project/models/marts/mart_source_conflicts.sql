-- Pairs of statements of the same series whose values disagree (figures compared as
-- stated; see var agreement_tolerance; for ranges, either end). Pairs come from
-- different sources or from different places of the same source. A value repeated in
-- one document (a headline restated in the lead and the body) is one statement: its
-- first place is kept and n_statements counts the repetitions. One row per unordered
-- pair, observation_id_a < observation_id_b. Observations of an identical copy of a
-- document (dim_source.duplicate_of) are left out: they repeat the original's.

with observations as (
    select * from {{ ref('int_observations__enriched') }}
    where series_key is not null
      and source_id = canonical_source_id
      and compare_low is not null
      and compare_high is not null
),

statements as (
    select
        *,
        count(*) over (
            partition by series_key, source_id, compare_low, compare_high
        )                                       as n_statements
    from observations
    qualify row_number() over (
        partition by series_key, source_id, compare_low, compare_high
        order by span_start, span_end, observation_id
    ) = 1
),

pairs as (
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
    from statements as a
    inner join statements as b
        on b.series_key = a.series_key
       and a.observation_id < b.observation_id
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
        pairs.*,
        indicators.name_vi,
        indicators.name_en,
        indicators.category,
        periods.label_vi,
        periods.label_en,
        periods.start_date,
        periods.end_date
    from pairs
    left join indicators
        on indicators.indicator_code = pairs.indicator_code
    left join periods
        on periods.period_code = pairs.period_code
)

select * from final
