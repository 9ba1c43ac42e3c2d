"""Extraction of many documents: worker processes, per-document time and size budgets,
results identical to a serial run, progress.

The in-process tests are unit tests; those that start worker processes are marked
integration. The slow or crashing "extractors" are module-level functions so that the
workers (started with spawn) can import them by name.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from orchestration import extraction_runner
from orchestration.extraction_runner import (
    DocumentResult,
    Progress,
    extract_document,
    extract_documents,
)
from orchestration.ingest import scan_raw_folder

ROOT = Path(__file__).resolve().parent.parent


def doc(source_id: str, text: str = "Năm 2024 tăng 5,2%.") -> dict:
    return {"source_id": source_id, "text": text, "published_date": None, "title": None,
            "content_sha256": "0" * 64}


def sleepy(document: dict) -> tuple[list, dict]:
    """Takes as many seconds as the text says when it says 'sleep N'."""
    if document["text"].startswith("sleep "):
        time.sleep(float(document["text"].split()[1]))
    return [{"source_id": document["source_id"]}], {}


def stuck(document: dict) -> tuple[list, dict]:
    """Ignores the alarm (as a long C call would) on 'stuck'."""
    if document["text"] == "stuck":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    return [{"source_id": document["source_id"]}], {}


def crashing(document: dict) -> tuple[list, dict]:
    if document["text"] == "crash":
        os._exit(3)
    if document["text"] == "raise":
        raise ValueError("bad number")
    return [{"source_id": document["source_id"]}], {}


def by_id(results: list[DocumentResult]) -> dict[str, DocumentResult]:
    return {r.source_id: r for r in results}


# ------------------------------------------------------------------ in this process


def test_a_document_over_the_size_budget_is_refused_and_the_others_go_on():
    results = by_id(extract_documents(
        [doc("a"), doc("big", "x" * 101), doc("c")], workers=1, timeout_s=0,
        max_chars=100, fn=sleepy))
    assert results["big"].error == (
        "over the size budget: 101 characters, more than PROVSTATS_EXTRACT_MAX_CHARS=100; "
        "not extracted")
    assert results["big"].rows == []
    assert results["a"].error is None and results["c"].rows == [{"source_id": "c"}]


def test_a_document_over_the_time_budget_is_stopped_and_the_others_go_on():
    started = time.monotonic()
    results = by_id(extract_documents(
        [doc("slow", "sleep 30"), doc("fast")], workers=1, timeout_s=0.5, max_chars=0,
        fn=sleepy))
    assert time.monotonic() - started < 10
    assert results["slow"].error.startswith("over the time budget: extraction took more than "
                                            "0.5s (PROVSTATS_EXTRACT_TIMEOUT_S)")
    assert results["fast"].error is None


def test_an_exception_is_the_document_error_with_its_cause():
    results = by_id(extract_documents([doc("a", "raise"), doc("b")], workers=1,
                                      timeout_s=0, max_chars=0, fn=crashing))
    assert results["a"].error.startswith("ValueError: bad number")
    assert results["b"].error is None


def test_progress_line_says_done_total_and_rate():
    lines: list[str] = []
    progress = Progress(total=4, total_chars=400, log=lines.append, workers=2, every_s=3600)
    for _ in range(3):
        progress.add(DocumentResult("x", characters=100))
    assert lines == []  # not before every_s, except at the end
    progress.add(DocumentResult("y", characters=100, error="boom"))
    assert len(lines) == 1
    assert lines[0].startswith("extracted 4 / 4 documents (100%), 1 failed in ")
    assert "documents/s" in lines[0] and "M characters/s on 2 processes" in lines[0]


def test_the_extraction_call_gives_rows_and_periods_of_the_contract():
    rows, periods = extract_document(doc(
        "bao-cao.txt", "Năm 2024, tổng thu ngân sách nhà nước trên địa bàn tỉnh đạt "
                       "9.500 tỷ đồng, tăng 12,3% so với năm 2023."))
    assert rows and all(r["source_id"] == "bao-cao.txt" for r in rows)
    assert {r["period_code"] for r in rows} <= set(periods)


# ---------------------------------------------------------------- worker processes


@pytest.mark.integration
def test_workers_give_the_same_rows_as_one_process():
    scan = scan_raw_folder(ROOT / "raw")
    docs = [{"source_id": d.source_id, "text": d.text, "published_date": d.published_date,
             "title": d.title, "content_sha256": d.content_sha256}
            for d in scan.documents if not d.duplicate_of]
    serial = by_id(extract_documents(docs, workers=1, timeout_s=0, max_chars=0))
    parallel = by_id(extract_documents(docs, workers=2, timeout_s=0, max_chars=0))
    assert set(parallel) == set(serial) == {d["source_id"] for d in docs}
    for sid, result in serial.items():
        assert result.error is None and parallel[sid].error is None
        assert parallel[sid].rows == result.rows
        assert parallel[sid].periods == result.periods


@pytest.mark.integration
def test_a_worker_stuck_past_its_budget_is_killed_and_replaced(monkeypatch):
    monkeypatch.setattr(extraction_runner, "KILL_GRACE_S", 1.0)
    started = time.monotonic()
    docs = [doc("stuck", "stuck")] + [doc(f"d{i}") for i in range(6)]
    results = by_id(extract_documents(docs, workers=2, timeout_s=1.0, max_chars=0, fn=stuck))
    assert time.monotonic() - started < 60
    assert results["stuck"].error.startswith("over the time budget")
    assert all(results[f"d{i}"].rows == [{"source_id": f"d{i}"}] for i in range(6))


@pytest.mark.integration
def test_a_worker_that_dies_fails_only_its_document():
    docs = [doc("a"), doc("dies", "crash"), doc("b"), doc("c")]
    results = by_id(extract_documents(docs, workers=2, timeout_s=30, max_chars=0, fn=crashing))
    assert results["dies"].error == "the extraction worker died (exit code 3)"
    assert all(results[s].error is None for s in ("a", "b", "c"))
