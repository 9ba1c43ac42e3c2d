-- The spans of every observation index its document's text (contract, section 2):
-- text[span_start:span_end] is the mention and lies inside the quote's span.
-- DuckDB substring() counts code points from 1, like Python slices count them from 0.
select
    fct.observation_id,
    fct.source_id,
    fct.span_start,
    fct.span_end,
    fct.mention,
    substring(src.text, fct.span_start + 1, fct.span_end - fct.span_start) as text_at_span
from {{ ref('fct_indicator') }} as fct
inner join {{ ref('dim_source') }} as src
    on src.source_id = fct.source_id
where fct.span_start < 0
   or fct.span_end <= fct.span_start
   or fct.span_end > src.char_count
   or substring(src.text, fct.span_start + 1, fct.span_end - fct.span_start) <> fct.mention
   or fct.quote_start > fct.span_start
   or fct.quote_end < fct.span_end
