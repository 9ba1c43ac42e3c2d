{#-
    Pre-hook of an incremental model keyed by source document (int_observations__joined):
    delete the rows of every document whose extraction is not the current one — its
    (source_id, extracted_at) is no longer in `extraction_state` because it was
    re-extracted, removed, or became an identical copy of another document. The model
    then inserts the rows of every document it lacks. Nothing happens on a full refresh
    (the table is rebuilt whole).
-#}
{% macro delete_stale_documents(extraction_state) -%}
    {%- if is_incremental() -%}
    delete from {{ this }} as loaded
    where not exists (
        select 1
        from {{ extraction_state }} as current_state
        where current_state.source_id = loaded.source_id
          and current_state.extracted_at = loaded.extracted_at
    )
    {%- endif -%}
{%- endmacro %}
