"""The ``landing`` schema: what the Python stages write and dbt reads as sources.

Tables
------
``landing.source_documents``   one row per readable raw file (decoded text + metadata)
``landing.quarantined_files``  one row per raw file that could not be read, with the reason
``landing.observations``       one row per extracted observation, with its evidence
``landing.periods``            every period code the observations use, with dates and labels
``landing.extraction_state``   which (document content, extractor version) each
                               document's observations came from (drives incremental runs)

All writes go through :func:`replace_rows` inside one transaction on a build copy of
the warehouse (see :mod:`orchestration.warehouse.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

LANDING_DDL = r"""
create schema if not exists landing;

create table if not exists landing.source_documents (
    source_id               varchar primary key,  -- path relative to RAW_DIR, '/' separated
    file_name               varchar not null,
    content_sha256          varchar not null,     -- sha256 of the raw file bytes
    text_sha256             varchar not null,     -- sha256 of the decoded NFC text (UTF-8)
    byte_size               bigint  not null,
    encoding                varchar not null,     -- e.g. utf-8, cp1258; binary (PDF, DOCX, XLSX)
    media_type              varchar not null,     -- text/plain, text/html, application/pdf, ...
    text                    varchar not null,     -- decoded, NFC, '\n' line ends; spans index it
    char_count              integer not null,
    title                   varchar,
    published_date          date,
    published_date_evidence varchar,              -- the words that stated the date
    source_kind             varchar not null,     -- official_report or news
    duplicate_of            varchar,              -- source_id with identical text, if any
    ingested_at             timestamp not null
);

create table if not exists landing.quarantined_files (
    source_id      varchar primary key,
    file_name      varchar not null,
    reason         varchar not null,
    content_sha256 varchar,
    byte_size      bigint,
    detected_at    timestamp not null
);

create table if not exists landing.observations (
    observation_id    varchar primary key,
    source_id         varchar not null,
    content_sha256    varchar not null,
    extractor_version varchar not null,
    span_start        integer not null,
    span_end          integer not null,
    mention           varchar not null,
    indicator_code    varchar,
    geo_code          varchar not null,
    period_code       varchar not null,
    base_period_code  varchar,
    measure           varchar not null,
    value             double,
    value_low         double,
    value_high        double,
    qualifier         varchar not null,
    unit              varchar not null,
    status            varchar not null,
    quote             varchar not null,
    quote_start       integer not null,
    quote_end         integer not null,
    indicator_cue     varchar,
    measure_cue       varchar,
    period_cue        varchar,
    status_cue        varchar,
    geo_cue           varchar,
    evidence          varchar not null          -- JSON object with every cue and rule used
);

create table if not exists landing.periods (
    period_code varchar primary key,
    grain       varchar not null,   -- year, half, quarter, month, months, days, years
    start_date  date    not null,
    end_date    date    not null,
    label_vi    varchar not null,
    label_en    varchar not null
);

create table if not exists landing.extraction_state (
    source_id         varchar primary key,
    content_sha256    varchar not null,
    extractor_version varchar not null,
    observation_count integer not null,
    extracted_at      timestamp not null
);
"""

LANDING_TABLES = (
    "source_documents",
    "quarantined_files",
    "observations",
    "periods",
    "extraction_state",
)


def ensure_landing_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the landing schema and its tables if they do not exist yet."""
    con.execute(LANDING_DDL)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of ``landing.<table>`` in table order."""
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'landing' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    where: str | None = None,
    params: Sequence[Any] = (),
) -> int:
    """Delete ``landing.<table>`` rows matching ``where`` (all rows if None), insert ``rows``.

    Rows are mappings keyed by column name; missing keys become NULL. Returns the
    number of rows inserted. Runs inside the caller's transaction.
    """
    if table not in LANDING_TABLES:
        raise ValueError(f"unknown landing table {table!r}")
    columns = table_columns(con, table)
    con.execute(f"delete from landing.{table}" + (f" where {where}" if where else ""), params)
    values = [tuple(row.get(c) for c in columns) for row in rows]
    if values:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into landing.{table} ({', '.join(columns)}) values ({placeholders})",
            values,
        )
    return len(values)
