"""Landing writes: one bulk insert per table and batch, every column type round-trips."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration.warehouse.landing import (
    LANDING_VERSION,
    ensure_landing_schema,
    insert_rows,
    mark_landing_changed,
    read_state,
    replace_rows,
    write_state,
)


@pytest.fixture
def con():
    connection = duckdb.connect()
    ensure_landing_schema(connection)
    yield connection
    connection.close()


def _observation(i: int, **extra) -> dict:
    row = {
        "observation_id": f"obs-{i:06d}", "source_id": f"doc-{i % 7}.txt",
        "content_sha256": "ab" * 32, "extractor_version": "test", "span_start": i,
        "span_end": i + 4, "mention": "12,5", "geo_code": "VN-09", "period_code": "2024",
        "measure": "level", "qualifier": "eq", "unit": "VND_BN", "status": "actual",
        "quote": "Thu ngân sách đạt 12,5 tỷ đồng.", "quote_start": 0, "quote_end": 30,
        "evidence": '{"rule": "test"}',
    }
    row.update(extra)
    return row


def test_rows_of_every_type_round_trip(con):
    rows = [
        _observation(1, value=12.5, value_low=None, value_high=None, indicator_code="grdp"),
        _observation(2, value=None, value_low=3, value_high=4.75, indicator_code=None,
                     base_period_code="2019"),
        _observation(3, value=float("inf")),
    ]
    assert insert_rows(con, "observations", rows) == 3
    got = con.execute(
        "select observation_id, value, value_low, value_high, indicator_code, "
        "base_period_code, span_start, typeof(span_start) from landing.observations "
        "order by observation_id").fetchall()
    assert got == [
        ("obs-000001", 12.5, None, None, "grdp", None, 1, "INTEGER"),
        ("obs-000002", None, 3.0, 4.75, None, "2019", 2, "INTEGER"),
        ("obs-000003", float("inf"), None, None, None, None, 3, "INTEGER"),
    ]


def test_nan_is_kept_as_nan_not_null(con):
    """pandas and DuckDB's DataFrame scan read NaN as missing; a NaN stored as NULL would
    pass the dbt test that refuses non-finite values (and become a value-less fact)."""
    awkward = [0.1 + 0.2, 1e-310, -1.7976931348623157e308, 18063.8]
    rows = [_observation(1, value=float("nan"), value_low=None, value_high=float("-inf")),
            *(_observation(2 + i, value=v, value_low=v) for i, v in enumerate(awkward)),
            _observation(9, value=None, value_low=2.5)]
    insert_rows(con, "observations", rows)
    got = con.execute(
        "select value, isnan(value), value is null, value_low, value_high "
        "from landing.observations order by observation_id").fetchall()
    assert got[0][1:] == (True, False, None, float("-inf"))
    # every other number exactly as given (the NaN column goes through text)
    assert [(v, low) for v, _, _, low, _ in got[1:5]] == [(v, v) for v in awkward]
    assert got[5] == (None, None, True, 2.5, None)


def test_dates_timestamps_and_missing_keys(con):
    documents = [{
        "source_id": f"{i}.txt", "file_name": f"{i}.txt", "content_sha256": "c",
        "text_sha256": "t", "byte_size": 10 ** 10, "encoding": "utf-8",
        "media_type": "text/plain", "text": "Năm 2025 tăng 8,06%.", "char_count": 20,
        "published_date": dt.date(2025, 12, 11) if i else None,
        "source_kind": "news", "ingested_at": dt.datetime(2026, 1, 2, 3, 4, 5, 678901),
    } for i in range(3)]  # no title, evidence or duplicate_of keys: NULL
    insert_rows(con, "source_documents", documents)
    assert con.execute(
        "select source_id, published_date, ingested_at, byte_size, title "
        "from landing.source_documents order by 1").fetchall() == [
        ("0.txt", None, dt.datetime(2026, 1, 2, 3, 4, 5, 678901), 10 ** 10, None),
        ("1.txt", dt.date(2025, 12, 11), dt.datetime(2026, 1, 2, 3, 4, 5, 678901), 10 ** 10,
         None),
        ("2.txt", dt.date(2025, 12, 11), dt.datetime(2026, 1, 2, 3, 4, 5, 678901), 10 ** 10,
         None),
    ]


def test_a_column_null_in_its_first_thousands_of_rows_keeps_its_type(con):
    rows = [_observation(i, value=None if i < 5000 else i / 2) for i in range(6000)]
    insert_rows(con, "observations", rows)
    assert con.execute(
        "select count(value), sum(value) from landing.observations").fetchone() == (
        1000, sum(i / 2 for i in range(5000, 6000)))


class StatementLog:
    """A connection that records the first word of every statement it executes."""

    def __init__(self, inner: duckdb.DuckDBPyConnection) -> None:
        self.inner, self.statements = inner, []

    def execute(self, sql: str, *args):
        self.statements.append(sql.split()[0].lower())
        return self.inner.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def test_replace_rows_deletes_then_inserts_in_one_statement_each(con):
    insert_rows(con, "observations", [_observation(i) for i in range(100)])
    spy = StatementLog(con)
    new_rows = [_observation(1000 + i, source_id="doc-0.txt", value=1.0) for i in range(50)]
    written = replace_rows(spy, "observations", new_rows,
                           where="list_contains(?::varchar[], source_id)",
                           params=[["doc-0.txt", "doc-1.txt"]])
    assert written == 50
    # one delete and one insert, not one insert per row
    assert [s for s in spy.statements if s != "select"] == ["delete", "insert"]
    left = con.execute("select count(*) from landing.observations").fetchone()[0]
    removed = sum(1 for i in range(100) if i % 7 in (0, 1))
    assert left == 100 - removed + 50


def test_unknown_table_is_refused(con):
    with pytest.raises(ValueError, match="unknown landing table"):
        insert_rows(con, "marts_fct", [{"a": 1}])


def test_pipeline_state_records_landing_changes(con):
    assert read_state(con) == {}
    assert read_state(None) == {}
    first = mark_landing_changed(con)
    second = mark_landing_changed(con)
    assert first != second and read_state(con)[LANDING_VERSION] == second
    write_state(con, marts_landing_version=second)
    assert read_state(con)["marts_landing_version"] == second
