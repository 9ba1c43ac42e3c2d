"""Incremental behaviour of the Python stages (raw_documents → observations).

The extractor is replaced by a deterministic fake that returns one observation per
document (its first number) and records every call, so the tests can tell exactly which
documents were (re-)extracted. Only the two Python assets (and their checks) run, through
the real ``refresh_warehouse`` / ``full_rebuild`` jobs, on a private copy of raw/.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from orchestration import extraction
from orchestration.extraction import Observation, Period
from tests.conftest import metadata_of, step_failure_messages

INGEST = ["raw_documents", "observations"]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
DOCS = [
    "000_ea925d20ca7bc08d.txt", "001_e8a006e20b8fe092.txt", "002_b1e20f47a2bd82ec.txt",
    "003_0950de0db56b533f.txt", "004_8c47001e6a54bd3a.txt",
]


class FakeExtractor:
    """One observation per document: its first number, as a GRDP level of a year that
    depends on the text (so documents use different periods), or a change vs 2020."""

    def __init__(self) -> None:
        self.calls: list[str] = []  # the texts it was called with
        self.fail_on: set[str] = set()  # substrings of texts to raise on

    def __call__(self, text, *, published_date=None, title=None, source_id=None,
                 default_geo="VN-09"):
        self.calls.append(text)
        if any(marker in text for marker in self.fail_on):
            raise ValueError("fake extractor failure")
        match = NUMBER.search(text)
        if match is None:
            return []
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        change = len(text) % 2 == 0
        return [Observation(
            span_start=match.start(), span_end=match.end(), mention=match.group(),
            indicator_code="grdp", geo_code="VN-09",
            period=Period.year(2020 + len(text) % 5),
            base_period=Period.year(2019) if change else None,
            measure="change_pct" if change else "level",
            value=1.0, value_low=None, value_high=None, qualifier="eq",
            unit="PCT" if change else "VND_BN", status="actual",
            quote_start=line_start, quote_end=line_end, quote=text[line_start:line_end],
            evidence={"fake": True},
        )]

    def extracted(self, env) -> list[str]:
        """source_ids of the documents the extractor was called on."""
        texts = {r["text"]: r["source_id"] for r in env.query(
            "select source_id, text from landing.source_documents")}
        return sorted(texts.get(t, "?") for t in self.calls)


@pytest.fixture
def fake(monkeypatch) -> FakeExtractor:
    fake = FakeExtractor()
    # the fake lives in this process: extract here, not in worker processes
    monkeypatch.setenv("PROVSTATS_EXTRACT_WORKERS", "1")
    monkeypatch.setattr(extraction, "extract_observations", fake)
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-1")
    return fake


def ingest(env, defs, job="refresh_warehouse"):
    result = env.run(defs, job, assets=INGEST)
    assert result.success, step_failure_messages(result)
    return result


def observation_ids(env) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for row in env.query("select source_id, observation_id from landing.observations"):
        ids.setdefault(row["source_id"], set()).add(row["observation_id"])
    return ids


def assert_periods_are_exactly_the_referenced_ones(env):
    referenced = {r["code"] for r in env.query(
        "select period_code as code from landing.observations union "
        "select base_period_code from landing.observations where base_period_code is not null")}
    present = {r["period_code"] for r in env.query("select period_code from landing.periods")}
    assert present == referenced


def test_first_run_extracts_every_document(defs, pipeline_env, fake):
    result = ingest(pipeline_env, defs)
    assert fake.extracted(pipeline_env) == DOCS
    meta = metadata_of(result, "observations")
    assert meta["documents_extracted"] == 5 and meta["observations_total"] == 5
    assert meta["warehouse_written"] is True
    assert "grdp" in meta["observations_by_indicator"]
    raw_meta = metadata_of(result, "raw_documents")
    assert raw_meta["documents_read"] == 5 and raw_meta["quarantined_count"] == 0
    assert raw_meta["total_characters"] > 100_000
    state = pipeline_env.query("select * from landing.extraction_state order by source_id")
    assert [s["source_id"] for s in state] == DOCS
    assert {s["extractor_version"] for s in state} == {"fake-1"}
    assert_periods_are_exactly_the_referenced_ones(pipeline_env)
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks.get("extraction_errors") is True


def test_unchanged_input_extracts_nothing_and_writes_nothing(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    before = pipeline_env.file_state()
    ids_before = observation_ids(pipeline_env)
    fake.calls.clear()

    result = ingest(pipeline_env, defs)
    assert fake.calls == []
    assert pipeline_env.file_state() == before  # same inode, mtime and size
    assert observation_ids(pipeline_env) == ids_before
    meta = metadata_of(result, "observations")
    assert meta["warehouse_written"] is False and meta["documents_extracted"] == 0
    assert meta["documents_skipped_unchanged"] == 5
    assert "nothing changed" in meta["summary"]
    assert metadata_of(result, "raw_documents")["warehouse_written"] is False


def test_changed_file_is_the_only_one_reextracted(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    ids_before = observation_ids(pipeline_env)
    ingested_before = {r["source_id"]: r["ingested_at"] for r in pipeline_env.query(
        "select source_id, ingested_at from landing.source_documents")}
    fake.calls.clear()

    changed = pipeline_env.raw_dir / DOCS[1]
    changed.write_text("Năm 2025 có 42 dự án mới.\n" + changed.read_text(encoding="utf-8"),
                       encoding="utf-8")
    result = ingest(pipeline_env, defs)

    assert fake.extracted(pipeline_env) == [DOCS[1]]
    ids_after = observation_ids(pipeline_env)
    for doc in DOCS:
        if doc != DOCS[1]:
            assert ids_after[doc] == ids_before[doc], doc
    assert ids_after[DOCS[1]] != ids_before[DOCS[1]]
    assert pipeline_env.query(
        "select mention from landing.observations where source_id = ?", [DOCS[1]]
    ) == [{"mention": "2025"}]
    ingested_after = {r["source_id"]: r["ingested_at"] for r in pipeline_env.query(
        "select source_id, ingested_at from landing.source_documents")}
    assert ingested_after[DOCS[0]] == ingested_before[DOCS[0]]
    assert ingested_after[DOCS[1]] > ingested_before[DOCS[1]]
    meta = metadata_of(result, "observations")
    assert (meta["documents_extracted"], meta["documents_skipped_unchanged"]) == (1, 4)
    assert_periods_are_exactly_the_referenced_ones(pipeline_env)


def test_deleted_file_has_its_observations_retracted(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    ids_before = observation_ids(pipeline_env)
    fake.calls.clear()

    (pipeline_env.raw_dir / DOCS[2]).unlink()
    result = ingest(pipeline_env, defs)

    assert fake.calls == []
    ids_after = observation_ids(pipeline_env)
    assert DOCS[2] not in ids_after
    assert ids_after == {d: ids for d, ids in ids_before.items() if d != DOCS[2]}
    assert pipeline_env.scalar(
        "select count(*) from landing.extraction_state where source_id = ?", [DOCS[2]]) == 0
    assert metadata_of(result, "observations")["documents_retracted"] == 1
    assert metadata_of(result, "raw_documents")["documents_removed"] == 1
    assert_periods_are_exactly_the_referenced_ones(pipeline_env)


def test_full_refresh_reextracts_everything_with_the_same_ids(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    ids_before = observation_ids(pipeline_env)
    fake.calls.clear()

    result = ingest(pipeline_env, defs, job="full_rebuild")
    assert fake.extracted(pipeline_env) == DOCS
    assert observation_ids(pipeline_env) == ids_before
    meta = metadata_of(result, "observations")
    assert meta["full_refresh"] is True and meta["documents_extracted"] == 5


def test_new_extractor_version_reextracts_everything(defs, pipeline_env, fake, monkeypatch):
    ingest(pipeline_env, defs)
    fake.calls.clear()
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-2")
    ingest(pipeline_env, defs)
    assert fake.extracted(pipeline_env) == DOCS
    versions = {r["extractor_version"] for r in pipeline_env.query(
        "select extractor_version from landing.observations")}
    assert versions == {"fake-2"}


def test_exact_duplicate_is_not_extracted(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    fake.calls.clear()
    shutil.copyfile(pipeline_env.raw_dir / DOCS[0], pipeline_env.raw_dir / "005_copy.txt")
    result = ingest(pipeline_env, defs)
    assert fake.calls == []
    assert pipeline_env.query(
        "select duplicate_of from landing.source_documents where source_id = '005_copy.txt'"
    ) == [{"duplicate_of": DOCS[0]}]
    assert "005_copy.txt" not in observation_ids(pipeline_env)
    assert metadata_of(result, "observations")["documents_skipped_duplicate"] == 1


def test_failing_document_keeps_its_rows_and_is_retried(defs, pipeline_env, fake):
    ingest(pipeline_env, defs)
    ids_before = observation_ids(pipeline_env)
    for doc in DOCS[:2]:
        path = pipeline_env.raw_dir / doc
        path.write_text(path.read_text(encoding="utf-8") + "\nThêm 7 dòng.\n", encoding="utf-8")
    marker = (pipeline_env.raw_dir / DOCS[0]).read_text(encoding="utf-8")[:200]
    fake.fail_on = {marker}
    fake.calls.clear()

    result = ingest(pipeline_env, defs)  # the run succeeds; the check reports the failure
    assert fake.extracted(pipeline_env) == sorted(DOCS[:2])
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["extraction_errors"].passed is False
    assert metadata_of(result, "observations")["documents_failed"] == 1
    ids = observation_ids(pipeline_env)
    assert ids[DOCS[0]] == ids_before[DOCS[0]]  # previous observations kept
    assert ids[DOCS[1]] != ids_before[DOCS[1]]

    fake.fail_on = set()
    fake.calls.clear()
    ingest(pipeline_env, defs)
    assert fake.extracted(pipeline_env) == [DOCS[0]]  # retried, and only it


def test_unreadable_file_is_quarantined_without_stopping_the_others(defs, pipeline_env, fake):
    (pipeline_env.raw_dir / "009_empty.txt").write_bytes(b"")
    (pipeline_env.raw_dir / "010_binary.txt").write_bytes(bytes(range(256)) * 8)
    result = ingest(pipeline_env, defs)
    raw_meta = metadata_of(result, "raw_documents")
    assert raw_meta["documents_read"] == 5 and raw_meta["quarantined_count"] == 2
    assert "009_empty.txt" in raw_meta["quarantined_files"]
    assert fake.extracted(pipeline_env) == DOCS
    rows = pipeline_env.query("select source_id, reason from landing.quarantined_files")
    assert {r["source_id"] for r in rows} == {"009_empty.txt", "010_binary.txt"}
    assert all(r["reason"] for r in rows)


def test_missing_raw_folder_fails_clearly_and_writes_nothing(defs, pipeline_env, fake,
                                                             monkeypatch):
    missing = pipeline_env.root / "no_such_folder"
    monkeypatch.setenv("RAW_DIR", str(missing))
    result = pipeline_env.run(defs, assets=INGEST)
    assert not result.success
    assert any(str(missing) in m for m in step_failure_messages(result))
    assert not pipeline_env.warehouse_path.exists()
    assert fake.calls == []


def _observation(text: str, mention: str, indicator: str, measure: str, value: float,
                 *, unit: str = "PCT", status: str = "actual", nth: int = 0) -> Observation:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    end = start + len(mention)
    return Observation(
        span_start=start, span_end=end, mention=mention, indicator_code=indicator,
        geo_code="VN-09", period=Period.year(2025), base_period=None, measure=measure,
        value=value, value_low=None, value_high=None, qualifier="eq", unit=unit,
        status=status, quote_start=start, quote_end=end, quote=mention,
    )


def test_python_checks_flag_implausible_observations(defs, pipeline_env, monkeypatch):
    """Growth out of bounds, GRDP shares not adding up and a span without a digit are
    reported by the checks (the run itself succeeds: they are data-quality findings)."""
    def crafted(text, *, published_date=None, title=None, **place):
        if published_date != dt.date(2025, 12, 11):  # only 000_ea925d20ca7bc08d.txt
            return []
        return [
            _observation(text, "8,06%", "grdp", "yoy_pct", 5000.0),
            _observation(text, "8,06%", "grdp_agriculture", "share_pct", 10.0),
            _observation(text, "8,06%", "grdp_industry_construction", "share_pct", 20.0),
            _observation(text, "8,06%", "grdp_services", "share_pct", 30.0),
            _observation(text, "8,06%", "grdp_product_taxes", "share_pct", 5.0),
            _observation(text, "%", "grdp", "level", 1.0, unit="VND_BN"),
        ]

    monkeypatch.setenv("PROVSTATS_EXTRACT_WORKERS", "1")  # the fake lives here
    monkeypatch.setattr(extraction, "extract_observations", crafted)
    result = ingest(pipeline_env, defs)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["growth_rates_plausible"].passed is False
    assert checks["growth_rates_plausible"].severity.value == "WARN"
    assert checks["grdp_shares_sum_to_100"].passed is False
    assert checks["spans_index_numbers"].passed is False
    assert checks["periods_defined"].passed is True
    assert checks["extraction_errors"].passed is True
    shares = checks["grdp_shares_sum_to_100"].metadata
    assert shares["groups_off_100"].value == 1

    # nothing changed: the same verdicts (failures included), recalled, not recomputed
    again = {e.check_name: e for e in ingest(pipeline_env, defs).get_asset_check_evaluations()}
    assert {n: e.passed for n, e in again.items()} == {n: e.passed for n, e in checks.items()}
    assert again["grdp_shares_sum_to_100"].metadata["groups_off_100"].value == 1
    assert "have not changed" in again["spans_index_numbers"].metadata["evaluated"].value
    assert "evaluated" not in checks["spans_index_numbers"].metadata


def test_the_span_check_reads_each_extraction_once_and_keeps_what_it_found(
        defs, pipeline_env, monkeypatch):
    """The span check reads the documents extracted since it last looked: a refresh with
    one changed document checks that document only, and a bad span found earlier in an
    unchanged document is still reported."""
    real = extraction.extract_observations

    def one_bad(text, **kwargs):
        found = real(text, **kwargs)
        if kwargs.get("published_date") == dt.date(2025, 12, 11):  # 000_ea925d20ca7bc08d
            found.append(_observation(text, "%", "grdp", "level", 1.0, unit="VND_BN"))
        return found

    monkeypatch.setenv("PROVSTATS_EXTRACT_WORKERS", "1")  # the wrapper lives here
    monkeypatch.setattr(extraction, "extract_observations", one_bad)

    def span_check():
        result = ingest(pipeline_env, defs)
        return {e.check_name: e for e in result.get_asset_check_evaluations()}[
            "spans_index_numbers"]

    first = span_check()
    assert first.passed is False
    assert first.metadata["documents_checked"].value == 5
    assert first.metadata["bad_spans"].value == 1
    total = pipeline_env.scalar("select count(*) from landing.observations")
    assert first.metadata["observations_checked"].value == total

    changed = pipeline_env.raw_dir / "002_b1e20f47a2bd82ec.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm 1 dòng.\n",
                       encoding="utf-8")
    second = span_check()
    assert second.metadata["documents_checked"].value == 1
    assert second.metadata["documents_unchanged_since_checked"].value == 4
    assert second.metadata["observations_checked"].value == pipeline_env.scalar(
        "select count(*) from landing.observations "
        "where source_id = '002_b1e20f47a2bd82ec.txt'")
    assert second.passed is False and second.metadata["bad_spans"].value == 1

    # the document with the bad span removed: nothing bad is left
    (pipeline_env.raw_dir / "000_ea925d20ca7bc08d.txt").unlink()
    third = span_check()
    assert third.passed is True
    assert third.metadata["documents_checked"].value == 0
    assert third.metadata["documents_unchanged_since_checked"].value == 4


def test_same_bytes_decoded_differently_are_reextracted(defs, pipeline_env, fake, monkeypatch):
    """A new decoder can turn the same raw bytes into another text: spans would no longer
    index it, so the document is re-ingested and re-extracted."""
    import dataclasses
    import hashlib

    from orchestration.ingest import reader, scan_cache

    ingest(pipeline_env, defs)
    fake.calls.clear()
    real_read = reader.read_document

    def read_with_new_decoder(path, source_id, **options):
        doc = real_read(path, source_id, **options)
        if doc.source_id == DOCS[3]:
            text = "Số 1. " + doc.text
            doc = dataclasses.replace(
                doc, text=text, char_count=len(text),
                text_sha256=hashlib.sha256(text.encode()).hexdigest())
        return doc

    monkeypatch.setattr(reader, "read_document", read_with_new_decoder)
    # a new decoder is new code in orchestration/ingest: the scan cache no longer applies
    monkeypatch.setattr(scan_cache, "reader_fingerprint", lambda: "a-new-decoder")
    result = ingest(pipeline_env, defs)
    assert fake.extracted(pipeline_env) == [DOCS[3]]
    assert metadata_of(result, "raw_documents")["documents_changed"] == 1
    assert pipeline_env.query(
        "select mention, span_start from landing.observations where source_id = ?", [DOCS[3]]
    ) == [{"mention": "1", "span_start": 3}]

    fake.calls.clear()
    ingest(pipeline_env, defs)
    assert fake.calls == []


def test_a_reader_holding_the_warehouse_open_never_blocks_a_refresh(defs, pipeline_env, fake):
    """A notebook keeps a read-only connection open (another process): the refresh still
    publishes, and the reader keeps seeing the file it opened until it reconnects."""
    import subprocess
    import sys

    ingest(pipeline_env, defs)
    reader = subprocess.Popen(
        [sys.executable, "-c", (
            "import duckdb, sys\n"
            f"con = duckdb.connect({str(pipeline_env.warehouse_path)!r}, read_only=True)\n"
            "count = lambda: con.execute('select count(*) from landing.source_documents')"
            ".fetchone()[0]\n"
            "print(count(), flush=True)\n"
            "sys.stdin.readline()\n"
            "print(count(), flush=True)\n"
        )],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "5"
        (pipeline_env.raw_dir / DOCS[4]).unlink()
        ingest(pipeline_env, defs)
        assert pipeline_env.scalar("select count(*) from landing.source_documents") == 4
        out, _ = reader.communicate("\n", timeout=60)
        assert out.strip() == "5"  # its snapshot, untouched by the refresh
    finally:
        if reader.poll() is None:
            reader.kill()


def test_size_limit_comes_from_the_environment(defs, pipeline_env, fake, monkeypatch):
    sizes = {p.name: p.stat().st_size for p in pipeline_env.raw_dir.iterdir()}
    biggest = max(sizes, key=sizes.get)
    limit = sizes[biggest] - 1  # every other seed is far below it
    monkeypatch.setenv("PROVSTATS_MAX_FILE_BYTES", str(limit))
    result = ingest(pipeline_env, defs)
    [row] = pipeline_env.query("select file_name, reason, byte_size from landing.quarantined_files")
    assert row["file_name"] == biggest and row["byte_size"] == sizes[biggest]
    assert row["reason"] == (
        f"is too large: {sizes[biggest]:,} bytes, over the {limit:,}-byte limit")
    assert fake.extracted(pipeline_env) == sorted(set(DOCS) - {biggest})
    assert metadata_of(result, "raw_documents")["quarantined_count"] == 1


def test_an_invalid_size_limit_fails_the_run_and_changes_nothing(
    defs, pipeline_env, fake, monkeypatch
):
    ingest(pipeline_env, defs)
    before = pipeline_env.file_state()
    monkeypatch.setenv("PROVSTATS_MAX_FILE_BYTES", "25MB")
    result = pipeline_env.run(defs, assets=INGEST)
    assert not result.success
    [message] = step_failure_messages(result)
    assert "PROVSTATS_MAX_FILE_BYTES='25MB' is not a number of bytes" in message
    assert "the warehouse was not changed" in message
    assert pipeline_env.file_state() == before
