"""Bad and awkward raw files, through the whole pipeline (real extractor, real dbt).

The raw folder holds the five seeds plus: an empty file, a whitespace-only file, a binary
file, a file over the size limit, a UTF-16 file whose name has spaces and Vietnamese
letters, a Windows-1258 file, an HTML page saved from a news site, and a seed under a
second name. One refresh must load every readable file, quarantine the unreadable ones by
name with the reason (asset check WARN, listed in its metadata), and never let a bad file
stop the others. A second test removes a file between listing and reading.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from orchestration.ingest import DEFAULT_MAX_BYTES
from orchestration.ingest import reader as reader_module
from tests.conftest import PipelineEnv, pipeline_env_context
from tests.test_ingest import to_cp1258

UTF16_NAME = unicodedata.normalize("NFD", "Báo cáo quý I 2025.txt")  # as macOS writes it
UTF16_TEXT = (
    "Báo cáo nhanh tình hình kinh tế - xã hội quý I/2025\n\n"
    "Quý I/2025, tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 6,5% so với cùng kỳ năm "
    "trước.\n"
)
CP1258_TEXT = (
    "Báo cáo tình hình thu ngân sách năm 2024\n\n"
    "Thu ngân sách nhà nước trên địa bàn năm 2024 đạt 3.500 tỷ đồng, tăng 8,2% so với năm "
    "2023. Kim ngạch xuất nhập khẩu qua các cửa khẩu của tỉnh đạt 5,1 tỷ USD.\n"
)
HTML_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Du lịch tăng mạnh | Báo Tin Tức</title>
<meta property="og:title" content="Du lịch tăng mạnh trong quý I/2025">
<meta property="article:published_time" content="2025-04-02T09:15:00+07:00">
</head><body>
<nav><a href="/">Trang chủ</a> <a href="/kt">Kinh tế 99%</a></nav>
<article>
<h1>Du lịch tăng mạnh trong quý I/2025</h1>
<p>Quý I/2025, tỉnh đón 1,25 triệu lượt khách du lịch, tổng thu từ khách du lịch đạt 2.150 tỷ
đồng.</p>
</article>
<footer>Bản quyền 2025 — liên hệ quảng cáo 77%</footer>
</body></html>
"""


@dataclasses.dataclass
class BadInputRun:
    env: PipelineEnv
    result: Any
    duplicate_of: str


def _write_bad_inputs(raw: Path) -> str:
    """Add the awkward files to ``raw``; returns the seed that is duplicated."""
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    (raw / "scan.pdf").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    )
    with (raw / "huge.txt").open("wb") as handle:  # sparse: no real disk or memory used
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    (raw / UTF16_NAME).write_bytes(UTF16_TEXT.encode("utf-16"))
    (raw / "thu-ngan-sach-2024-cp1258.txt").write_bytes(to_cp1258(CP1258_TEXT))
    (raw / "bai-bao-du-lich.html").write_text(HTML_PAGE, encoding="utf-8")
    seed = sorted(p.name for p in raw.iterdir() if p.name[:3].isdigit())[0]
    (raw / "ban sao của báo cáo.txt").write_bytes((raw / seed).read_bytes())
    return seed


@pytest.fixture(scope="module")
def bad_run(defs, tmp_path_factory) -> BadInputRun:
    with pipeline_env_context(tmp_path_factory.mktemp("bad_input")) as env:
        seed = _write_bad_inputs(env.raw_dir)
        result = env.run(defs)
        yield BadInputRun(env, result, seed)


def _document(run: BadInputRun, file_name: str) -> dict[str, Any]:
    rows = run.env.query(
        "select * from landing.source_documents where file_name = ?",
        [unicodedata.normalize("NFC", file_name)],
    )
    assert len(rows) == 1, file_name
    return rows[0]


def _observations(run: BadInputRun, source_id: str) -> list[dict[str, Any]]:
    return run.env.query(
        "select f.*, s.text from marts.fct_indicator f join marts.dim_source s "
        "using (source_id) where f.source_id = ?", [source_id],
    )


def test_the_run_succeeds_and_every_seed_loads(bad_run: BadInputRun):
    assert bad_run.result.success
    seeds = sorted(p.name for p in bad_run.env.raw_dir.iterdir() if p.name[:3].isdigit())
    assert len(seeds) == 5
    for seed in seeds:
        assert _observations(bad_run, _document(bad_run, seed)["source_id"]), seed


def test_unreadable_files_are_quarantined_by_name_with_the_reason(bad_run: BadInputRun):
    rows = bad_run.env.query("select file_name, reason from marts.dim_quarantined_file")
    reasons = {r["file_name"]: r["reason"] for r in rows}
    assert set(reasons) == {"empty.txt", "blank.txt", "scan.pdf", "huge.txt"}
    assert "is empty" in reasons["empty.txt"]
    assert "only whitespace" in reasons["blank.txt"]
    assert "PNG image, not a text document" in reasons["scan.pdf"]
    assert "too large" in reasons["huge.txt"] and f"{DEFAULT_MAX_BYTES:,}" in reasons["huge.txt"]
    landing = bad_run.env.scalar("select count(*) from landing.quarantined_files")
    assert landing == 4


def test_the_quarantine_check_warns_and_lists_the_files(bad_run: BadInputRun):
    [evaluation] = [
        e for e in bad_run.result.get_asset_check_evaluations()
        if e.check_name == "no_quarantined_files"
    ]
    assert not evaluation.passed
    assert evaluation.severity.value == "WARN"
    listed = evaluation.metadata["quarantined_files"].value
    for name in ("empty.txt", "blank.txt", "scan.pdf", "huge.txt"):
        assert name in listed
    assert evaluation.metadata["quarantined_count"].value == 4


def test_utf16_file_with_a_vietnamese_name_is_read_and_extracted(bad_run: BadInputRun):
    doc = _document(bad_run, UTF16_NAME)
    assert doc["source_id"] == unicodedata.normalize("NFC", UTF16_NAME)  # NFC, spaces kept
    assert doc["encoding"].startswith("utf-16")
    assert doc["text"] == UTF16_TEXT
    [grdp] = [o for o in _observations(bad_run, doc["source_id"])
              if o["indicator_code"] == "grdp"]
    assert (grdp["value"], grdp["period_code"], grdp["measure"]) == (6.5, "2025-Q1", "yoy_pct")
    assert grdp["text"][grdp["span_start"]:grdp["span_end"]] == grdp["mention"] == "6,5%"


def test_windows_1258_file_is_decoded_to_nfc_and_extracted(bad_run: BadInputRun):
    doc = _document(bad_run, "thu-ngan-sach-2024-cp1258.txt")
    assert doc["encoding"] == "cp1258"
    assert doc["text"] == CP1258_TEXT
    values = {(o["indicator_code"], o["value"], o["unit"])
              for o in _observations(bad_run, doc["source_id"])}
    assert ("budget_revenue", 3500.0, "VND_BN") in values
    assert any(v == 5100.0 and u == "USD_MN" for _, v, u in values)  # 5,1 tỷ USD


def test_html_page_gives_the_article_its_title_and_date(bad_run: BadInputRun):
    doc = _document(bad_run, "bai-bao-du-lich.html")
    assert doc["media_type"] == "text/html"
    assert doc["title"] == "Du lịch tăng mạnh trong quý I/2025"
    assert str(doc["published_date"]) == "2025-04-02"
    assert doc["source_kind"] == "news"
    for boilerplate in ("Trang chủ", "99%", "77%", "quảng cáo"):
        assert boilerplate not in doc["text"]
    found = {(o["indicator_code"], o["value"]) for o in _observations(bad_run, doc["source_id"])}
    assert ("tourists", 1_250_000.0) in found
    assert ("tourism_revenue", 2150.0) in found


def test_same_content_under_another_name_is_a_duplicate_without_observations(
    bad_run: BadInputRun,
):
    copy = _document(bad_run, "ban sao của báo cáo.txt")
    original = _document(bad_run, bad_run.duplicate_of)
    assert copy["duplicate_of"] == original["source_id"]
    assert copy["content_sha256"] == original["content_sha256"]
    assert _observations(bad_run, copy["source_id"]) == []


def test_a_file_that_disappears_mid_run_is_quarantined_and_the_rest_loads(
    defs, tmp_path, monkeypatch
):
    with pipeline_env_context(tmp_path) as env:
        victim = env.raw_dir / "se-bi-xoa.txt"
        victim.write_text(UTF16_TEXT, encoding="utf-8")
        listing = reader_module._listing

        def listing_then_delete(folder: Path):
            entries = listing(folder)
            if victim.exists():
                os.unlink(victim)
            return entries

        monkeypatch.setattr(reader_module, "_listing", listing_then_delete)
        result = env.run(defs)
        assert result.success
        rows = env.query("select file_name, reason from landing.quarantined_files")
        assert rows == [{"file_name": "se-bi-xoa.txt", "reason": reader_module.DISAPPEARED}]
        assert env.scalar("select count(*) from marts.dim_source") == 5
        assert env.scalar("select count(distinct source_id) from marts.fct_indicator") == 5
