-- Every landing observation with what the marts need next to it: the publication
-- metadata of its document, the dates of its period and base period, the analytic
-- properties of its indicator, its series key, its comparison bounds and when its
-- document was extracted. One row per observation (nothing is filtered out).
--
-- Incremental by source document: a row depends on its own observation and document
-- only, so a build deletes the rows of every document whose extraction
-- (landing.extraction_state.extracted_at) is not the one the table holds — re-extracted,
-- removed, or now an identical copy — (pre-hook, macro delete_stale_documents) and
-- inserts the rows of every document the table lacks; an unchanged document's rows are
-- not touched. The orchestrator runs a full refresh when the dbt project changed or on
-- `make full-rebuild`. fct_indicator (a view) and the marts read this table, so the joins
-- and the series key are computed once per observation, not once per build and reader.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_documents(ref('stg_landing__extraction_state')) }}"
) }}

with observations as (
    select * from {{ ref('stg_landing__observations') }} as landed
    {% if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as loaded where loaded.source_id = landed.source_id
    )
    {% endif %}
),

documents as (
    select * from {{ ref('stg_landing__source_documents') }}
),

periods as (
    select * from {{ ref('stg_landing__periods') }}
),

indicator_properties as (
    select * from {{ ref('stg_reference__indicator_properties') }}
),

measure_directions as (
    select * from {{ ref('stg_reference__measure_directions') }}
),

extraction_state as (
    select * from {{ ref('stg_landing__extraction_state') }}
),

joined as (
    select
        observations.observation_id,
        observations.source_id,
        observations.span_start,
        observations.span_end,
        observations.indicator_code,
        observations.geo_code,
        observations.period_code,
        observations.base_period_code,
        observations.measure,
        observations.value,
        observations.value_low,
        observations.value_high,
        observations.qualifier,
        observations.unit,
        observations.status,
        observations.quote,
        observations.mention,
        observations.quote_start,
        observations.quote_end,
        observations.indicator_cue,
        observations.measure_cue,
        observations.period_cue,
        observations.status_cue,
        observations.geo_cue,
        observations.evidence_json                    as evidence,
        observations.extractor_version,
        observations.content_sha256,

        -- the document
        documents.published_date,
        documents.source_kind,
        documents.title                               as source_title,
        extraction_state.extracted_at,
        -- identical copies of a document count as one source
        coalesce(documents.duplicate_of, observations.source_id) as canonical_source_id,

        -- the periods
        periods.grain                                 as period_grain,
        periods.start_date                            as period_start_date,
        periods.end_date                              as period_end_date,
        base_periods.start_date                       as base_period_start_date,
        base_periods.end_date                         as base_period_end_date,

        -- the indicator; a rank (xếp thứ N) is better when lower, whatever the indicator;
        -- a measure with its own direction (seed measure_directions, e.g. the share of
        -- agriculture in GRDP) overrides the indicator's
        indicator_properties.kind                     as indicator_kind,
        case
            when observations.measure = 'rank' then 'lower_is_better'
            else coalesce(measure_directions.direction, indicator_properties.direction)
        end                                           as direction,

        -- series key: indicator x geo x period x measure x status x base period (NULL-safe).
        -- Only catalogued observations belong to a series.
        case
            when observations.indicator_code is not null then md5(concat_ws('|',
                observations.indicator_code,
                observations.geo_code,
                observations.period_code,
                observations.measure,
                observations.status,
                coalesce(observations.base_period_code, '')
            ))
        end                                           as series_key,

        -- comparison bounds (macros/values_agree.sql): both ends of a range, else the value
        case when observations.qualifier = 'range' then observations.value_low
             else observations.value end              as compare_low,
        case when observations.qualifier = 'range' then observations.value_high
             else observations.value end              as compare_high

    from observations
    left join documents
        on documents.source_id = observations.source_id
    left join periods
        on periods.period_code = observations.period_code
    left join periods as base_periods
        on base_periods.period_code = observations.base_period_code
    left join indicator_properties
        on indicator_properties.indicator_code = observations.indicator_code
    left join measure_directions
        on measure_directions.indicator_code = observations.indicator_code
       and measure_directions.measure = observations.measure
    left join extraction_state
        on extraction_state.source_id = observations.source_id
),

-- The text each span slices out of its document, read once, when the document's rows
-- are inserted (test assert_fct_indicator_spans_index_source_text compares it with the
-- mention). substring() walks a UTF-8 string from its start to the offset, so slicing
-- every mention out of its whole document costs observations x document length: the
-- text is cut into its lines once, each mention is sliced out of its line, and only a
-- mention crossing a line break (PDF reflow) is sliced out of the whole text.
texts as (
    select source_id, text, string_split(text, chr(10)) as parts
    from documents
    where source_id in (select source_id from observations)
),

lines as (
    select source_id, unnest(parts) as line, generate_subscripts(parts, 1) as line_no
    from texts
),

line_starts as (
    select
        source_id,
        line,
        coalesce(sum(length(line) + 1) over (
            partition by source_id order by line_no
            rows between unbounded preceding and 1 preceding
        ), 0)::bigint                                 as line_start
    from lines
),

span_texts as (
    select
        observations.observation_id,
        coalesce(
            substring(line_starts.line,
                      observations.span_start - line_starts.line_start + 1,
                      observations.span_end - observations.span_start),
            substring(texts.text, observations.span_start + 1,
                      observations.span_end - observations.span_start)
        )                                             as span_text
    from observations
    left join line_starts
        on line_starts.source_id = observations.source_id
       and observations.span_start >= line_starts.line_start
       and observations.span_end <= line_starts.line_start + length(line_starts.line)
    left join texts
        on texts.source_id = observations.source_id
)

select
    joined.*,
    span_texts.span_text
from joined
left join span_texts
    on span_texts.observation_id = joined.observation_id
