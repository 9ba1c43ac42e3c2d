"""Bad and awkward raw files, through the whole pipeline (real extractor, real dbt).

The raw folder holds the five seeds plus: an empty file, a whitespace-only file, a binary
file (PNG header and random bytes, misnamed ``.pdf``), a file over the size limit, a UTF-16
file (BOM, NFD text) whose name has spaces and Vietnamese letters (NFD, as macOS writes
it), a Windows-1258 file, an HTML page saved from a news site, and a seed under a second
name. One refresh must load every readable file, quarantine the unreadable ones by name
with the reason (asset check WARN, listed in its metadata), and never let a bad file stop
the others. A second test removes a file between listing and reading.

The oversized file is a sparse file one byte over the default size limit
(``DEFAULT_MAX_BYTES``, 25 MiB; no disk, no memory). ``PROVSTATS_MAX_FILE_BYTES`` changes the
limit: tests/test_incremental.py covers that.
"""

from __future__ import annotations

import dataclasses
import os
import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from orchestration.ingest import DEFAULT_MAX_BYTES
from orchestration.ingest import reader as reader_module
from tests.conftest import PipelineEnv, metadata_of, pipeline_env_context
from tests.test_ingest import to_cp1258


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


UTF16_NAME = unicodedata.normalize("NFD", "Báo cáo quý I 2025.txt")  # as macOS writes it
UTF16_TEXT = (
    "Báo cáo nhanh tình hình kinh tế - xã hội quý I/2025\n\n"
    "Quý I/2025, tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 6,5% so với cùng kỳ năm "
    "trước.\n"
)
CP1258_NAME = "thu-ngan-sach-2024-cp1258.txt"
CP1258_TEXT = (
    "Báo cáo tình hình thu ngân sách năm 2024\n\n"
    "Thu ngân sách nhà nước trên địa bàn năm 2024 đạt 3.500 tỷ đồng, tăng 8,2% so với năm "
    "2023. Kim ngạch xuất nhập khẩu qua các cửa khẩu của tỉnh đạt 5,1 tỷ USD.\n"
)
HTML_NAME = "bai-bao-du-lich.html"
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
DUPLICATE_NAME = "ban sao của báo cáo.txt"
#: file name -> a phrase its quarantine reason must contain (decode.py / reader.py wording)
QUARANTINED = {
    "empty.txt": "is empty",
    "blank.txt": "is empty (only whitespace)",
    "scan.pdf": "looks like a PNG image, not a text document",
    "huge.txt": f"is too large: {DEFAULT_MAX_BYTES + 1:,} bytes, over the "
                f"{DEFAULT_MAX_BYTES:,}-byte limit",
}


@dataclasses.dataclass
class BadInputRun:
    env: PipelineEnv
    result: Any
    duplicate_of: str  # file name of the seed that was copied
    seeds: list[str]


def _seed_names(raw: Path) -> list[str]:
    return sorted(p.name for p in raw.iterdir() if p.name[:3].isdigit())


def _write_bad_inputs(raw: Path) -> str:
    """Add the awkward files to ``raw``; returns the seed that is duplicated."""
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text(" \n\t\n  \u00a0\n", encoding="utf-8")
    noise = random.Random(20250402).randbytes(8192)
    (raw / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)
    with (raw / "huge.txt").open("wb") as handle:  # sparse: no real disk or memory used
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    (raw / UTF16_NAME).write_bytes(unicodedata.normalize("NFD", UTF16_TEXT).encode("utf-16"))
    (raw / CP1258_NAME).write_bytes(to_cp1258(CP1258_TEXT))
    (raw / HTML_NAME).write_text(HTML_PAGE, encoding="utf-8")
    seed = _seed_names(raw)[0]
    (raw / DUPLICATE_NAME).write_bytes((raw / seed).read_bytes())
    return seed


@pytest.fixture(scope="module")
def bad_run(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[BadInputRun]:
    with pipeline_env_context(tmp_path_factory.mktemp("bad_input")) as env:
        seeds = _seed_names(env.raw_dir)
        assert len(seeds) == 5
        duplicated = _write_bad_inputs(env.raw_dir)
        result = env.run(defs)
        yield BadInputRun(env, result, duplicated, seeds)


def _document(run: BadInputRun, file_name: str) -> dict[str, Any]:
    """The landing.source_documents row of a file (by its NFC name)."""
    rows = run.env.query(
        "select * from landing.source_documents where file_name = ?", [nfc(file_name)]
    )
    assert len(rows) == 1, file_name
    return rows[0]


def _observations(run: BadInputRun, source_id: str) -> list[dict[str, Any]]:
    """fct_indicator rows of one source, with the dim_source text their spans index."""
    return run.env.query(
        "select f.*, s.text from marts.fct_indicator f join marts.dim_source s "
        "using (source_id) where f.source_id = ? order by f.span_start", [source_id],
    )


def _the_observation(run: BadInputRun, source_id: str, indicator: str, value: float,
                     mention: str) -> dict[str, Any]:
    """The one observation of ``indicator`` = ``value`` in a source, its span checked."""
    found = [o for o in _observations(run, source_id)
             if o["indicator_code"] == indicator and o["value"] == value]
    assert len(found) == 1, (source_id, indicator, value, _observations(run, source_id))
    obs = found[0]
    assert obs["mention"] == mention
    assert obs["text"][obs["span_start"]:obs["span_end"]] == mention
    return obs


def _check_evaluation(run: BadInputRun, name: str) -> Any:
    evaluations = [e for e in run.result.get_asset_check_evaluations() if e.check_name == name]
    assert len(evaluations) == 1, name
    return evaluations[0]


# ---------------------------------------------------------------------------- the run


def test_the_run_succeeds_and_every_seed_loads(bad_run: BadInputRun) -> None:
    assert bad_run.result.success
    in_dim = {r["file_name"]: r for r in bad_run.env.query(
        "select file_name, source_id, observation_count from marts.dim_source")}
    for seed in bad_run.seeds:
        assert seed in in_dim, seed
        assert in_dim[seed]["observation_count"] > 0, seed
        assert _observations(bad_run, in_dim[seed]["source_id"]), seed


def test_every_readable_file_is_a_document_and_no_bad_one_is(bad_run: BadInputRun) -> None:
    names = {r["file_name"] for r in bad_run.env.query("select file_name from marts.dim_source")}
    expected = {*bad_run.seeds, nfc(UTF16_NAME), CP1258_NAME, HTML_NAME, DUPLICATE_NAME}
    assert names == expected
    meta = metadata_of(bad_run.result, "raw_documents")
    assert (meta["documents_read"], meta["quarantined_count"], meta["duplicates"]) == (9, 4, 1)


def test_every_span_slices_its_document_to_the_mention(bad_run: BadInputRun) -> None:
    rows = bad_run.env.query(
        "select f.observation_id, f.span_start, f.span_end, f.mention, s.text "
        "from marts.fct_indicator f join marts.dim_source s using (source_id)"
    )
    assert rows
    for r in rows:
        assert r["text"][r["span_start"]:r["span_end"]] == r["mention"], r["observation_id"]
    assert _check_evaluation(bad_run, "spans_index_numbers").passed


# ------------------------------------------------------------------------- quarantine


def test_unreadable_files_are_quarantined_by_name_with_the_reason(bad_run: BadInputRun) -> None:
    for table in ("landing.quarantined_files", "marts.dim_quarantined_file"):
        rows = bad_run.env.query(f"select file_name, reason, byte_size from {table}")
        reasons = {r["file_name"]: r["reason"] for r in rows}
        assert set(reasons) == set(QUARANTINED), table
        for name, phrase in QUARANTINED.items():
            assert phrase in reasons[name], (table, name, reasons[name])
        sizes = {r["file_name"]: r["byte_size"] for r in rows}
        assert sizes["huge.txt"] == DEFAULT_MAX_BYTES + 1
        assert sizes["scan.pdf"] == (bad_run.env.raw_dir / "scan.pdf").stat().st_size
    # the whitespace file is told apart from the truly empty one
    assert "whitespace" not in bad_run.env.scalar(
        "select reason from landing.quarantined_files where file_name = 'empty.txt'")
    # the oversized file was refused unread: no hash of content that was never read
    assert bad_run.env.scalar(
        "select content_sha256 from landing.quarantined_files where file_name = 'huge.txt'"
    ) is None


def test_the_quarantine_check_warns_and_lists_the_files(bad_run: BadInputRun) -> None:
    evaluation = _check_evaluation(bad_run, "no_quarantined_files")
    assert evaluation.asset_key == dg.AssetKey("raw_documents")
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.metadata["quarantined_count"].value == len(QUARANTINED)
    listed = evaluation.metadata["quarantined_files"].value
    for name, phrase in QUARANTINED.items():
        assert name in listed and phrase in listed, name
    for good in (*bad_run.seeds, CP1258_NAME, HTML_NAME, DUPLICATE_NAME):
        assert good not in listed, good


# ------------------------------------------------------------------ awkward but readable


def test_utf16_file_with_a_vietnamese_name_is_read_and_extracted(bad_run: BadInputRun) -> None:
    doc = _document(bad_run, UTF16_NAME)
    assert doc["encoding"] == "utf-16"
    assert doc["media_type"] == "text/plain"
    assert doc["text"] == nfc(UTF16_TEXT)  # NFD bytes, NFC text
    grdp = _the_observation(bad_run, doc["source_id"], "grdp", 6.5, "6,5%")
    assert (grdp["period_code"], grdp["measure"]) == ("2025-Q1", "yoy_pct")


def test_the_vietnamese_file_name_round_trips_as_nfc(bad_run: BadInputRun) -> None:
    assert nfc(UTF16_NAME) != UTF16_NAME  # written to disk decomposed
    assert UTF16_NAME in os.listdir(bad_run.env.raw_dir)
    rows = bad_run.env.query(
        "select source_id, file_name from marts.dim_source where file_name like '% I 2025.txt'"
    )
    assert rows == [{"source_id": "Báo cáo quý I 2025.txt", "file_name": "Báo cáo quý I 2025.txt"}]
    assert nfc(rows[0]["file_name"]) == rows[0]["file_name"]


def test_windows_1258_file_is_decoded_to_nfc_and_extracted(bad_run: BadInputRun) -> None:
    doc = _document(bad_run, CP1258_NAME)
    assert doc["encoding"] == "cp1258"
    assert doc["text"] == CP1258_TEXT
    revenue = _the_observation(bad_run, doc["source_id"], "budget_revenue", 3500.0,
                               "3.500 tỷ đồng")
    assert (revenue["unit"], revenue["period_code"]) == ("VND_BN", "2024")
    trade = _the_observation(bad_run, doc["source_id"], "trade_turnover", 5100.0, "5,1 tỷ USD")
    assert trade["unit"] == "USD_MN"


def test_html_page_gives_the_article_its_title_and_date(bad_run: BadInputRun) -> None:
    doc = _document(bad_run, HTML_NAME)
    assert (doc["encoding"], doc["media_type"]) == ("utf-8", "text/html")
    assert doc["title"] == "Du lịch tăng mạnh trong quý I/2025"
    assert str(doc["published_date"]) == "2025-04-02"
    assert doc["source_kind"] == "news"
    assert "2.150 tỷ đồng" in doc["text"]
    for boilerplate in ("Trang chủ", "Kinh tế", "99%", "77%", "Bản quyền", "quảng cáo", "<"):
        assert boilerplate not in doc["text"], boilerplate
    _the_observation(bad_run, doc["source_id"], "tourists", 1_250_000.0,
                     "1,25 triệu lượt khách du lịch")
    _the_observation(bad_run, doc["source_id"], "tourism_revenue", 2150.0, "2.150 tỷ đồng")
    assert not [o for o in _observations(bad_run, doc["source_id"])
                if o["value"] in (99.0, 77.0)]


def test_same_content_under_another_name_is_a_duplicate_without_observations(
    bad_run: BadInputRun,
) -> None:
    copy = _document(bad_run, DUPLICATE_NAME)
    original = _document(bad_run, bad_run.duplicate_of)
    assert copy["duplicate_of"] == original["source_id"]
    assert original["duplicate_of"] is None
    assert copy["content_sha256"] == original["content_sha256"]
    assert _observations(bad_run, copy["source_id"]) == []
    assert bad_run.env.scalar(
        "select observation_count from marts.dim_source where source_id = ?",
        [copy["source_id"]],
    ) == 0
    per_source = bad_run.env.query(
        "select source_id, count(*) as n from marts.fct_indicator group by source_id"
    )
    assert copy["source_id"] not in {r["source_id"] for r in per_source}
    assert len(per_source) == 5 + 3  # the seeds and the UTF-16, cp1258 and HTML files


# ------------------------------------------------------------- a file vanishing mid-run


def test_a_file_that_disappears_mid_run_is_quarantined_and_the_rest_loads(
    defs: dg.Definitions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pipeline_env_context(tmp_path) as env:
        victim = env.raw_dir / "se-bi-xoa.txt"
        victim.write_text(UTF16_TEXT, encoding="utf-8")
        listing = reader_module._listing
        deleted: list[Path] = []

        def listing_then_delete(folder: Path) -> list[Any]:
            entries = listing(folder)
            if victim.exists():
                os.unlink(victim)
                deleted.append(victim)
            return entries

        monkeypatch.setattr(reader_module, "_listing", listing_then_delete)
        result = env.run(defs)

        assert deleted == [victim]  # it was listed, then removed before being read
        assert result.success
        rows = env.query("select file_name, reason from marts.dim_quarantined_file")
        assert rows == [{"file_name": "se-bi-xoa.txt", "reason": reader_module.DISAPPEARED}]
        assert env.scalar("select count(*) from marts.dim_source") == 5
        assert env.scalar("select count(distinct source_id) from marts.fct_indicator") == 5
        [evaluation] = [e for e in result.get_asset_check_evaluations()
                        if e.check_name == "no_quarantined_files"]
        assert not evaluation.passed
        assert "se-bi-xoa.txt" in evaluation.metadata["quarantined_files"].value
