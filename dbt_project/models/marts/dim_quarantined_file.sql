-- Raw files that could not be read (and therefore have no observations), with why.

with quarantined_files as (
    select * from {{ ref('stg_landing__quarantined_files') }}
),

final as (
    select
        source_id,
        file_name,
        reason,
        content_sha256,
        byte_size,
        detected_at
    from quarantined_files
)

select * from final
