"""The ``landing`` schema: what the Python stages write and dbt reads as sources.

Tables
------
``landing.source_documents``   one row per readable raw file (decoded text + metadata)
``landing.quarantined_files``  one row per raw file that could not be read, with the reason
``landing.observations``       one row per extracted observation, with its evidence
``landing.periods``            every period code the observations use, with dates and labels
``landing.extraction_state``   which (document content, extractor version) each
                               document's observations came from (drives incremental runs)

All writes go through :func:`replace_rows` / :func:`insert_rows` (bulk inserts) inside one
transaction on the run's build copy of the warehouse (see
:mod:`orchestration.warehouse.store`), and mark the landing state as changed
(:func:`mark_landing_changed`, table ``pipeline.state``) so the marts are rebuilt.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

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


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(column name, DuckDB type) of ``landing.<table>`` in table order."""
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'landing' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def _column(values: list[Any], duckdb_type: str) -> Any:
    """One DataFrame column for ``values`` (Python objects, None for NULL): nullable
    numbers for numeric types, plain objects otherwise (DuckDB reads str, date and
    datetime objects natively; the insert casts every column to its table type).

    A NaN stays NaN, never NULL: both pandas' nullable arrays and DuckDB's DataFrame scan
    read NaN as a missing value, which would turn a number the extractor got wrong into
    an observation without a value and hide it from the dbt test that refuses non-finite
    values (``fct_indicator_values_are_finite``). A floating-point column holding a NaN
    is therefore passed as text (``repr`` round-trips every float; 'nan' and 'inf' cast
    back to DOUBLE exactly)."""
    if duckdb_type in ("DOUBLE", "FLOAT", "REAL"):
        if any(value is not None and value != value for value in values):
            return pd.Series([None if value is None else repr(float(value))
                              for value in values], dtype=object)
        return pd.array(values, dtype="Float64")
    if duckdb_type in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype=object)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str,
                rows: Iterable[Mapping[str, Any]]) -> int:
    """Append ``rows`` to ``landing.<table>`` as ONE bulk insert (a DataFrame scanned by
    DuckDB, not a statement per row). Missing keys become NULL. Returns the row count."""
    if table not in LANDING_TABLES:
        raise ValueError(f"unknown landing table {table!r}")
    rows = list(rows)
    if not rows:
        return 0
    columns = _column_types(con, table)
    frame = pd.DataFrame({
        name: _column([row.get(name) for row in rows], duckdb_type)
        for name, duckdb_type in columns
    })
    view = f"_provstats_insert_{table}"
    con.register(view, frame)
    try:
        names = ", ".join(name for name, _ in columns)
        casts = ", ".join(f"cast({name} as {duckdb_type})" for name, duckdb_type in columns)
        con.execute(f"insert into landing.{table} ({names}) select {casts} from {view}")
    finally:
        con.unregister(view)
    return len(rows)


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
    con.execute(f"delete from landing.{table}" + (f" where {where}" if where else ""), params)
    return insert_rows(con, table, rows)


# ------------------------------------------------------------------ pipeline state
# A tiny key/value table outside the landing contract: which landing state the marts were
# built from, so a refresh with nothing new skips ``dbt build`` entirely.

STATE_DDL = """
create schema if not exists pipeline;
create table if not exists pipeline.state (
    key        varchar primary key,
    value      varchar not null,
    updated_at timestamp not null
);
"""

#: Changes (a new random value) whenever a Python stage writes the landing schema.
LANDING_VERSION = "landing_version"
#: The landing_version the marts were last built from, and the dbt project they used.
MARTS_LANDING_VERSION = "marts_landing_version"
MARTS_PROJECT_FINGERPRINT = "marts_project_fingerprint"


def read_state(con: duckdb.DuckDBPyConnection | None) -> dict[str, str]:
    """Every pipeline.state entry ({} when the table does not exist)."""
    if con is None:
        return {}
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'pipeline' and table_name = 'state'"
    ).fetchone()
    if not found or not found[0]:
        return {}
    return dict(con.execute("select key, value from pipeline.state").fetchall())


def write_state(con: duckdb.DuckDBPyConnection, **values: str) -> None:
    """Set pipeline.state entries (creating the table if needed)."""
    con.execute(STATE_DDL)
    for key, value in values.items():
        con.execute(
            "insert or replace into pipeline.state values (?, ?, current_timestamp)",
            [key, value],
        )


def mark_landing_changed(con: duckdb.DuckDBPyConnection) -> str:
    """Record that the landing schema changed (the marts must be rebuilt); returns the new
    landing version."""
    version = uuid.uuid4().hex
    write_state(con, **{LANDING_VERSION: version})
    return version
