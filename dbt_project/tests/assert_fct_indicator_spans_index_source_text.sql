-- The spans of every observation index its document's text (contract, section 2):
-- text[span_start:span_end] is the mention and lies inside the quote's span.
-- DuckDB substring() counts code points from 1, like Python slices count them from 0.
--
-- substring() walks a UTF-8 string from its start to the offset, so slicing each
-- mention out of its whole document costs (observations x document length). The text is
-- cut into its lines once instead, each mention is sliced out of its line, and only a
-- mention that crosses a line break (PDF reflow) is sliced out of the whole text.

with documents as (
    select source_id, text, char_count, string_split(text, chr(10)) as parts
    from {{ ref('dim_source') }}
),

lines as (
    select source_id, unnest(parts) as line, generate_subscripts(parts, 1) as line_no
    from documents
),

line_starts as (
    select
        source_id,
        line,
        coalesce(sum(length(line) + 1) over (
            partition by source_id order by line_no
            rows between unbounded preceding and 1 preceding
        ), 0)::bigint as line_start
    from lines
),

located as (
    select
        fct.observation_id,
        fct.source_id,
        fct.span_start,
        fct.span_end,
        fct.mention,
        fct.quote_start,
        fct.quote_end,
        substring(
            line_starts.line, fct.span_start - line_starts.line_start + 1,
            fct.span_end - fct.span_start
        )                                                   as text_in_line
    from {{ ref('fct_indicator') }} as fct
    left join line_starts
        on line_starts.source_id = fct.source_id
       and fct.span_start >= line_starts.line_start
       and fct.span_end <= line_starts.line_start + length(line_starts.line)
)

select
    located.observation_id,
    located.source_id,
    located.span_start,
    located.span_end,
    located.mention,
    coalesce(
        located.text_in_line,
        substring(documents.text, located.span_start + 1, located.span_end - located.span_start)
    ) as text_at_span
from located
inner join documents
    on documents.source_id = located.source_id
where located.span_start < 0
   or located.span_end <= located.span_start
   or located.span_end > documents.char_count
   or coalesce(
          located.text_in_line,
          substring(documents.text, located.span_start + 1,
                    located.span_end - located.span_start)
      ) <> located.mention
   or located.quote_start > located.span_start
   or located.quote_end < located.span_end
