{#-
    Analyst marts incremental by family (int_observation_families: an indicator in one
    place). A mart's rows for a family depend on that family's observations only, so a
    build recomputes the families whose observations changed since the mart was last
    built and keeps the others' rows as they are:

      pre-hook   delete_changed_families()  deletes the rows of every family whose
                 version differs from the one recorded at the mart's last build, or
                 that has no observations any more;
      body       where {{ in_changed_family('indicator_code', 'geo_code') }} limits the
                 observations read to those families (true in a full build);
      post-hook  record_families()  records the versions the mart now reflects, in
                 build_state.<mart>__families.

    A full refresh (and the first build) computes every family and records them all.
    Without a record (an older warehouse), an incremental build rebuilds everything. The
    orchestrator runs --full-refresh whenever the dbt project changed, so a change to a
    mart's SQL or to the reference seeds never leaves old rows behind.

    A model using it declares `-- depends_on: {{ ref('int_observation_families') }}`
    (the ref inside is_incremental() is not seen when dbt parses the model).
-#}

{% macro family_key(indicator_code, geo_code) -%}
    concat_ws('|', {{ indicator_code }}, coalesce({{ geo_code }}, ''))
{%- endmacro %}

{% macro family_record() -%}
    {{ return(api.Relation.create(database=this.database, schema='build_state',
                                  identifier=this.identifier ~ '__families')) }}
{%- endmacro %}

{% macro _family_record_exists() -%}
    {%- set record = family_record() -%}
    {{ return(adapter.get_relation(database=record.database, schema=record.schema,
                                   identifier=record.identifier) is not none) }}
{%- endmacro %}

{#- the families whose observations are those the mart's rows were computed from -#}
{% macro _unchanged_families() -%}
    select families.family_key
    from {{ ref('int_observation_families') }} as families
    inner join {{ family_record() }} as recorded
        on recorded.family_key = families.family_key
       and recorded.family_version = families.family_version
{%- endmacro %}

{% macro delete_changed_families() -%}
    {%- if is_incremental() -%}
        {%- if _family_record_exists() -%}
    delete from {{ this }} as built
    where {{ family_key('built.indicator_code', 'built.geo_code') }} not in (
        {{ _unchanged_families() }}
    )
        {%- else -%}
    delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro in_changed_family(indicator_code, geo_code) -%}
    {%- if is_incremental() and _family_record_exists() -%}
    {{ family_key(indicator_code, geo_code) }} not in ({{ _unchanged_families() }})
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{% macro record_families() -%}
    create or replace table {{ family_record() }} as
    select family_key, family_version from {{ ref('int_observation_families') }}
{%- endmacro %}
