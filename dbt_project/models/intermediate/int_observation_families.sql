-- One row per family of catalogued observations: an indicator in one place. Every
-- analyst mart computes a family's rows from that family's observations alone (series,
-- conflicts within a series, targets and the values they are judged by all share
-- indicator and place), so a mart rebuilds only the families whose observations changed
-- (macros/incremental_by_family.sql).
--
-- family_version changes whenever an observation of the family is added, removed or
-- re-extracted: it combines (xor) a hash of every observation's id and extraction time.
-- Rows of int_observations__joined never change in place (a re-extracted document's rows
-- are deleted and inserted again with the new extraction time), so equal versions mean
-- the same rows. A view: one aggregate over the observations, milliseconds at 10,000
-- documents, and always current.

select
    {{ family_key('indicator_code', 'geo_code') }}      as family_key,
    indicator_code,
    geo_code,
    count(*)                                            as n_observations,
    bit_xor(hash(observation_id, extracted_at))         as family_version
from {{ ref('int_observations__joined') }}
where indicator_code is not null
group by indicator_code, geo_code
