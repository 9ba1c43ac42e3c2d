-- The spans of every observation index its document's text (contract, section 2):
-- text[span_start:span_end] is the mention and lies inside the quote's span.
-- DuckDB substring() counts code points from 1, like Python slices count them from 0.
--
-- The text at each span is sliced out of the document once, when the document's rows
-- are inserted into int_observations__joined (its column span_text), so this test reads
-- stored columns: it costs the same whatever the documents' length, and a build with
-- one new document slices only that document's spans.

with observations as (
    select
        fct.observation_id,
        fct.source_id,
        fct.span_start,
        fct.span_end,
        fct.mention,
        fct.quote_start,
        fct.quote_end,
        joined.span_text
    from {{ ref('fct_indicator') }} as fct
    left join {{ ref('int_observations__joined') }} as joined
        on joined.observation_id = fct.observation_id
),

documents as (
    select source_id, char_count from {{ ref('dim_source') }}
)

select
    observations.observation_id,
    observations.source_id,
    observations.span_start,
    observations.span_end,
    observations.mention,
    observations.span_text as text_at_span
from observations
left join documents
    on documents.source_id = observations.source_id
where documents.source_id is null
   or observations.span_start < 0
   or observations.span_end <= observations.span_start
   or observations.span_end > documents.char_count
   or observations.span_text is distinct from observations.mention
   or observations.quote_start > observations.span_start
   or observations.quote_end < observations.span_end
