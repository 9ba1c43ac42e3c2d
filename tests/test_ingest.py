"""Tests of the raw-document ingestion library (orchestration.ingest)."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest import (
    DEFAULT_MAX_BYTES,
    QuarantinedFile,
    SourceDocument,
    UnreadableFileError,
    fingerprint_raw_folder,
    read_document,
    scan_raw_folder,
)
from orchestration.ingest import reader as reader_module
from orchestration.ingest.decode import decode_bytes, decode_legacy, normalize_text
from orchestration.ingest.html_article import extract_article, looks_like_html
from orchestration.ingest.metadata import (
    classify_source_kind,
    find_published_date,
    find_title,
    match_dateline,
)
from orchestration.ingest.vietnamese import is_vietnamese_syllable, vietnamese_share
from orchestration.warehouse.landing import (
    ensure_landing_schema,
    replace_rows,
    table_columns,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = PROJECT_ROOT / "raw"

VI_PARAGRAPH = (
    "Quý I/2025, Lạng Sơn ghi nhận tăng trưởng kinh tế 8,27%, kim ngạch xuất nhập khẩu đạt "
    "17.851,9 triệu USD, tỉnh quyết liệt triển khai giải pháp đạt mục tiêu 8-9% năm 2025.\n"
    "Trong ba tháng đầu năm 2025, kinh tế Lạng Sơn phát triển mạnh mẽ bất chấp biến động "
    "toàn cầu và trong nước. Tổng sản phẩm nội tỉnh (GRDP) ước tăng 8,27% so với cùng kỳ, "
    "với các ngành chủ lực đều ghi nhận kết quả tích cực: nông lâm nghiệp tăng 7,23%, công "
    "nghiệp xây dựng tăng 10,89%, dịch vụ tăng 7,29%.\n"
    "Đà Nẵng và Lạng Sơn đẩy mạnh hợp tác du lịch, thu hút 1,92 triệu lượt khách.\n"
)

TONES = set("\u0300\u0301\u0303\u0309\u0323")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def expected_text(data: bytes) -> str:
    """The spec's definition of a plain-text document's text, written independently."""
    text = data.decode("utf-8-sig")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def to_cp1258(text: str) -> bytes:
    """Encode like Windows does for Vietnamese: base letter + combining tone mark."""
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = nfc("".join(c for c in parts if c not in TONES))
        tone = "".join(c for c in parts if c in TONES)
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def encode_with_table(text: str, encoding: str) -> bytes:
    """Encode ``text`` (precomposed letters) with a legacy table decoded byte by byte."""
    reverse = {}
    for byte in range(256):
        char = decode_legacy(bytes([byte]), encoding)
        if char is not None:
            reverse.setdefault(char, byte)
    return bytes(reverse[ch] for ch in nfc(text))


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(tmp_path: Path, data: bytes | str, name: str = "doc.txt", **kw) -> SourceDocument:
    return read_document(write(tmp_path / name, data), name, **kw)


def refused(tmp_path: Path, data: bytes | str, name: str = "doc.txt", **kw) -> str:
    with pytest.raises(UnreadableFileError) as info:
        read(tmp_path, data, name, **kw)
    message = str(info.value)
    assert message.startswith(name), message
    assert info.value.reason in message
    return info.value.reason


# --------------------------------------------------------------------------- the seeds

SEEDS = {
    "000_ea925d20ca7bc08d.txt": (dt.date(2025, 12, 11), "date 2025-12-11", None, "news"),
    "001_e8a006e20b8fe092.txt": (
        dt.date(2025, 4, 15),
        "15/04/2025 lúc 13:25",
        "Lạng Sơn đẩy mạnh kinh tế cửa khẩu, mục tiêu tăng trưởng 8-9%",
        "news",
    ),
    "002_b1e20f47a2bd82ec.txt": (None, None, None, "news"),
    "003_0950de0db56b533f.txt": (
        None,
        None,
        "Kinh tế Lạng Sơn: Điểm sáng từ công nghiệp, xuất nhập khẩu",
        "news",
    ),
    "004_8c47001e6a54bd3a.txt": (
        None,
        None,
        "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2021 - 2025",
        "official_report",
    ),
}


def test_real_raw_folder_scans_to_the_expected_documents():
    scan = scan_raw_folder(RAW_DIR)
    assert scan.quarantined == ()
    docs = {d.source_id: d for d in scan.documents}
    assert set(SEEDS) <= set(docs)
    for source_id, (date, evidence, title, kind) in SEEDS.items():
        doc = docs[source_id]
        data = (RAW_DIR / source_id).read_bytes()
        assert doc.text == expected_text(data), source_id
        assert doc.file_name == source_id
        assert doc.encoding == "utf-8"
        assert doc.media_type == "text/plain"
        assert doc.byte_size == len(data)
        assert doc.char_count == len(doc.text)
        assert doc.content_sha256 == hashlib.sha256(data).hexdigest()
        assert doc.text_sha256 == hashlib.sha256(doc.text.encode()).hexdigest()
        assert doc.published_date == date, source_id
        assert doc.published_date_evidence == evidence, source_id
        if evidence:
            assert evidence in doc.text
        assert doc.title == title, source_id
        assert doc.source_kind == kind, source_id
        assert doc.duplicate_of is None


def test_seed_004_is_not_nfc_on_disk_and_is_normalised():
    data = (RAW_DIR / "004_8c47001e6a54bd3a.txt").read_bytes().decode("utf-8")
    assert data != nfc(data)  # the seed really exercises normalisation
    doc = read_document(RAW_DIR / "004_8c47001e6a54bd3a.txt", "004_8c47001e6a54bd3a.txt")
    assert unicodedata.is_normalized("NFC", doc.text)


# --------------------------------------------------------------------------- landing mapping


def test_dataclasses_map_onto_the_landing_tables():
    con = duckdb.connect(":memory:")
    ensure_landing_schema(con)
    doc_cols = [f.name for f in dataclasses.fields(SourceDocument)]
    quarantine_cols = [f.name for f in dataclasses.fields(QuarantinedFile)]
    assert doc_cols == [c for c in table_columns(con, "source_documents") if c != "ingested_at"]
    assert quarantine_cols == [
        c for c in table_columns(con, "quarantined_files") if c != "detected_at"
    ]
    scan = scan_raw_folder(RAW_DIR)
    now = dt.datetime(2025, 12, 12, 8, 0)
    replace_rows(
        con,
        "source_documents",
        [dataclasses.asdict(d) | {"ingested_at": now} for d in scan.documents],
    )
    replace_rows(
        con,
        "quarantined_files",
        [
            dataclasses.asdict(QuarantinedFile("x.pdf", "x.pdf", "looks like a PDF", None, 3))
            | {"detected_at": now}
        ],
    )
    row = con.execute(
        "select published_date, text from landing.source_documents where source_id = ?",
        ["001_e8a006e20b8fe092.txt"],
    ).fetchone()
    assert row[0] == dt.date(2025, 4, 15)
    assert row[1] == expected_text((RAW_DIR / "001_e8a006e20b8fe092.txt").read_bytes())


# --------------------------------------------------------------------------- UTF-8, lines, NFC


def test_utf8_without_bom(tmp_path):
    doc = read(tmp_path, VI_PARAGRAPH)
    assert doc.encoding == "utf-8"
    assert doc.text == VI_PARAGRAPH


def test_utf8_with_bom_is_stripped(tmp_path):
    doc = read(tmp_path, codecs.BOM_UTF8 + VI_PARAGRAPH.encode())
    assert doc.encoding == "utf-8-sig"
    assert doc.text == VI_PARAGRAPH
    assert doc.byte_size == len(VI_PARAGRAPH.encode()) + 3


def test_crlf_and_cr_become_lf_and_nothing_else_changes(tmp_path):
    raw = "  Dòng một  \r\nDòng hai\rDòng ba\r\n\r\n\tThụt lề   cuối \n"
    doc = read(tmp_path, raw)
    assert doc.text == "  Dòng một  \nDòng hai\nDòng ba\n\n\tThụt lề   cuối \n"


def test_decomposed_vietnamese_becomes_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", VI_PARAGRAPH)
    assert decomposed != VI_PARAGRAPH
    doc = read(tmp_path, decomposed)
    assert doc.text == VI_PARAGRAPH
    assert doc.char_count == len(VI_PARAGRAPH)


# --------------------------------------------------------------------------- UTF-16 / UTF-32


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    doc = read(tmp_path, bom + VI_PARAGRAPH.replace("\n", "\r\n").encode(codec))
    assert doc.encoding == "utf-16"
    assert doc.text == VI_PARAGRAPH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(tmp_path, codec):
    doc = read(tmp_path, VI_PARAGRAPH.encode(codec))
    assert doc.encoding == codec
    assert doc.text == VI_PARAGRAPH


def test_utf32_with_bom(tmp_path):
    doc = read(tmp_path, VI_PARAGRAPH.encode("utf-32"))
    assert doc.encoding == "utf-32"
    assert doc.text == VI_PARAGRAPH


def test_truncated_utf16_is_refused(tmp_path):
    data = codecs.BOM_UTF16_LE + VI_PARAGRAPH.encode("utf-16-le")[:-1]
    assert "byte-order mark" in refused(tmp_path, data)


# --------------------------------------------------------------------------- legacy encodings


def test_cp1258_with_combining_tones_is_decoded_to_nfc(tmp_path):
    data = to_cp1258(VI_PARAGRAPH)
    assert b"\xcc" in data or b"\xf2" in data  # combining tone bytes are really used
    doc = read(tmp_path, data)
    assert doc.encoding == "cp1258"
    assert doc.text == VI_PARAGRAPH


def test_tcvn3_hand_written_bytes():
    # "Lạng Sơn tăng trưởng kinh tế" typed with an ABC (.VnTime) font.
    data = b"L\xb9ng S\xacn t\xa8ng tr\xad\xebng kinh t\xd5. " * 3
    decoded = decode_bytes(data, "x.txt")
    assert decoded.encoding == "tcvn3"
    assert decoded.text == "Lạng Sơn tăng trưởng kinh tế. " * 3


def test_tcvn3_document_with_uppercase_font_heading(tmp_path):
    # In TCVN3 toned capitals come from the .VnTimeH font at the small letters' codes.
    heading = "B\xb8O C\xb8O T\xd7NH H\xd7NH KINH T\xd5\n"
    body = encode_with_table(VI_PARAGRAPH, "tcvn3")
    doc = read(tmp_path, heading.encode("latin-1") + body)
    assert doc.encoding == "tcvn3"
    assert doc.text == "BÁO CÁO TÌNH HÌNH KINH TẾ\n" + VI_PARAGRAPH
    assert "Đà Nẵng" in doc.text  # title case is left alone


def test_viscii_document(tmp_path):
    doc = read(tmp_path, encode_with_table(VI_PARAGRAPH, "viscii"))
    assert doc.encoding == "viscii"
    assert doc.text == VI_PARAGRAPH


@pytest.mark.integration  # runs iconv
@pytest.mark.parametrize(
    ("encoding", "iconv_name"), [("tcvn3", "TCVN5712-1"), ("viscii", "VISCII")]
)
def test_legacy_tables_agree_with_glibc_iconv(encoding, iconv_name):
    if shutil.which("iconv") is None:
        pytest.skip("iconv not installed")
    probe = subprocess.run(
        ["iconv", "-f", iconv_name, "-t", "UTF-8"], input=b"a", capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"iconv has no {iconv_name}")
    for byte in [*range(0x01, 0x20), *range(0x80, 0x100)]:
        if byte in (0x0A, 0x0D):
            continue
        data = b"a" + bytes([byte])
        theirs = subprocess.run(
            ["iconv", "-f", iconv_name, "-t", "UTF-8"], input=data, capture_output=True
        ).stdout.decode("utf-8")
        ours = decode_legacy(data, encoding)
        assert ours is not None
        assert nfc(ours) == nfc(theirs), hex(byte)


def test_non_vietnamese_legacy_text_is_refused(tmp_path):
    french = "Le café crème à la française était très apprécié près de la fenêtre. " * 5
    reason = refused(tmp_path, french.encode("cp1252"))
    assert "does not read as Vietnamese" in reason
    assert "refusing to guess" in reason


def test_too_few_legacy_words_is_refused(tmp_path):
    reason = refused(tmp_path, to_cp1258("Report 2025: Lạng Sơn, total 8,06%"))
    assert "too few non-ASCII words" in reason


def test_vni_encoded_text_is_refused(tmp_path):
    # VNI Windows spells "Việt Nam đạt tăng trưởng" with letter + accent bytes.
    vni = b"Vie\xe4t Nam \xf1a\xeft ta\xeang tr\xf6\xf4\xfbng kinh te\xe1 cao. " * 4
    assert "refusing to guess" in refused(tmp_path, vni)


def test_double_encoded_utf8_is_refused(tmp_path):
    # UTF-8 read as Windows-1252 and saved again as UTF-8.
    mojibake = "Lạng Sơn".encode().decode("cp1252") + " kinh tế".encode().decode("cp1252")
    reason = refused(tmp_path, mojibake)
    assert "mojibake" in reason
    assert "'Lạng'" in reason


def test_vietnamese_syllable_rules():
    for word in ("người", "nghiêng", "Lạng", "khuya", "quốc", "GIÁ", "được", "tế", "gì"):
        assert is_vietnamese_syllable(word), word
    for word in ("làc", "bááo", "k̀inh", "café", "m²", "Láº¡ng", "tiếngs"):
        assert not is_vietnamese_syllable(word), word
    score = vietnamese_share(VI_PARAGRAPH)
    assert score.words > 20 and score.share == 1.0


# --------------------------------------------------------------------------- refusals


def test_empty_file_is_refused(tmp_path):
    assert refused(tmp_path, b"") == "is empty"


@pytest.mark.parametrize("content", [" \n\t \r\n ", "\ufeff  \n", "\u00a0\u3000\n"])
def test_whitespace_only_file_is_refused(tmp_path, content):
    assert refused(tmp_path, content).startswith("is empty")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        # PDF and legacy Office files have readers of their own (tests/test_formats.py)
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
    ],
)
def test_known_binary_formats_are_refused_by_name(tmp_path, data, what):
    reason = refused(tmp_path, data, "report.txt")
    assert what in reason
    assert "not a text document" in reason


def test_nul_bytes_mean_binary(tmp_path):
    data = bytes(range(256)) * 20
    assert "binary" in refused(tmp_path, data, "blob.dat")


def test_many_control_characters_mean_binary(tmp_path):
    data = b"abc\x01\x02\x03\x04\x05def\x06\x07\x08ghi\x0e\x0f" * 50
    reason = refused(tmp_path, data)
    assert "binary" in reason and "control" in reason


def test_quarantine_row_carries_hash_and_size(tmp_path):
    write(tmp_path / "raw" / "scan.pdf", b"%PDF-1.4 fake")
    scan = scan_raw_folder(tmp_path / "raw")
    (row,) = scan.quarantined
    assert row.source_id == "scan.pdf" and row.file_name == "scan.pdf"
    assert "PDF" in row.reason
    assert row.byte_size == 13
    assert row.content_sha256 == hashlib.sha256(b"%PDF-1.4 fake").hexdigest()


def test_file_over_the_limit_is_refused_without_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: costs no disk

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(UnreadableFileError) as info:
        read_document(big, "big.txt")
    assert f"{DEFAULT_MAX_BYTES + 1:,}" in info.value.reason
    assert f"{DEFAULT_MAX_BYTES:,}-byte limit" in info.value.reason
    assert info.value.byte_size == DEFAULT_MAX_BYTES + 1
    assert info.value.content_sha256 is None


def test_max_bytes_is_configurable(tmp_path):
    write(tmp_path / "raw" / "a.txt", VI_PARAGRAPH)
    scan = scan_raw_folder(tmp_path / "raw", max_bytes=100)
    assert scan.documents == ()
    assert "over the 100-byte limit" in scan.quarantined[0].reason
    assert read(tmp_path, VI_PARAGRAPH, max_bytes=len(VI_PARAGRAPH.encode())).text


def test_fifo_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    raw = tmp_path / "raw"
    raw.mkdir()
    os.mkfifo(raw / "pipe.txt")
    scan = scan_raw_folder(raw)
    assert [q.reason for q in scan.quarantined] == ["is not a regular file"]


# --------------------------------------------------------------------------- HTML

NEWS_PAGE = """<!DOCTYPE html>
<html lang="vi"><head>
<meta charset="utf-8">
<title>Lạng Sơn: Thu ngân sách vượt dự toán - Báo Lạng Sơn</title>
<meta property="og:title" content="Lạng Sơn: Thu ngân sách vượt dự toán">
<meta property="og:site_name" content="Báo Lạng Sơn">
{meta}
<style>.x {{ color: red }}</style>
<script>window.dataLayer = ["9,99%"];</script>
</head><body>
<header class="site-header"><nav><a href="/">Trang chủ</a><a href="/kt">Kinh tế</a></nav></header>
<article class="article-detail">
  <header>
    <h1 class="title">Lạng Sơn: Thu ngân sách
       vượt dự toán</h1>
    <span class="date">{dateline}</span>
    <p class="sapo">Năm 2025, thu ngân sách trên địa bàn đạt 18.063,8&nbsp;tỷ đồng.</p>
  </header>
  <div class="share-buttons"><a>Facebook</a><a>Zalo</a></div>
  <div class="article-content">
    <p>Tốc độ tăng trưởng GRDP ước đạt <b>8,06%</b>, cao nhất nhiệm kỳ.</p>
    <!-- quảng cáo 55% -->
    <figure><img src="x.jpg" alt="ảnh">
      <figcaption>Xe hàng qua cửa khẩu. Ảnh: Anh Tuấn</figcaption></figure>
    <p>Tính đến ngày 30/11/2025, kim ngạch đạt 86,14 tỷ USD,<br>tăng 44,6%.</p>
    <table><tr><th>Chỉ tiêu</th><th>2025</th></tr><tr><td>GRDP</td><td>8,06%</td></tr></table>
    <div class="ads">Quảng cáo 99%</div>
    <div style="display:none">ẩn 77%</div>
  </div>
  <div class="tags">Từ khóa: kinh tế</div>
  <div id="comments">Bình luận: hay quá 5%</div>
</article>
<div class="related-news"><article><h3>Tin khác</h3><p>Tin cũ 12%</p></article></div>
<aside>Đọc nhiều 3%</aside>
<footer>Bản quyền © Báo Lạng Sơn</footer>
</body></html>
"""

EXPECTED_ARTICLE = (
    "Lạng Sơn: Thu ngân sách vượt dự toán\n\n"
    "{dateline}\n\n"
    "Năm 2025, thu ngân sách trên địa bàn đạt 18.063,8 tỷ đồng.\n\n"
    "Tốc độ tăng trưởng GRDP ước đạt 8,06%, cao nhất nhiệm kỳ.\n\n"
    "Xe hàng qua cửa khẩu. Ảnh: Anh Tuấn\n\n"
    "Tính đến ngày 30/11/2025, kim ngạch đạt 86,14 tỷ USD,\ntăng 44,6%.\n\n"
    "Chỉ tiêu | 2025\n\n"
    "GRDP | 8,06%"
)


def page(meta: str = "", dateline: str = "Thứ Năm, 11/12/2025 08:30 (GMT+7)") -> str:
    return NEWS_PAGE.format(meta=meta, dateline=dateline)


def test_html_article_text_title_and_meta_date(tmp_path):
    meta = '<meta property="article:published_time" content="2025-12-10T20:30:00+07:00">'
    doc = read(tmp_path, page(meta), "bai-viet.html")
    assert doc.media_type == "text/html"
    assert doc.encoding == "utf-8"
    assert doc.title == "Lạng Sơn: Thu ngân sách vượt dự toán"
    assert doc.text == EXPECTED_ARTICLE.format(dateline="Thứ Năm, 11/12/2025 08:30 (GMT+7)")
    assert doc.published_date == dt.date(2025, 12, 10)  # metadata wins over the page text
    assert doc.published_date_evidence == "article:published_time=2025-12-10T20:30:00+07:00"
    assert doc.source_kind == "news"
    for dropped in ("99%", "77%", "55%", "5%", "12%", "3%", "9,99%", "Facebook", "Trang chủ"):
        assert dropped not in doc.text


def test_html_is_detected_by_content_not_extension(tmp_path):
    doc = read(tmp_path, page(), "saved_page.txt")
    assert doc.media_type == "text/html"
    assert doc.published_date == dt.date(2025, 12, 11)
    assert doc.published_date_evidence == "Thứ Năm, 11/12/2025 08:30 (GMT+7)"
    assert doc.published_date_evidence in doc.text


def test_html_date_from_json_ld_in_vietnam_time(tmp_path):
    meta = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
        '[{"@type": "NewsArticle", "datePublished": "2025-12-10T18:00:00Z"}]}</script>'
    )
    doc = read(tmp_path, page(meta, dateline="Tác giả: Minh Anh"), "a.html")
    assert doc.published_date == dt.date(2025, 12, 11)  # 18:00 UTC is 01:00 next day in VN
    assert doc.published_date_evidence == "datePublished=2025-12-10T18:00:00Z"


def test_html_date_from_time_element():
    html = page(dateline='<time datetime="2025-04-15T13:25">15/04/2025 lúc 13:25</time>')
    article = extract_article(html)
    assert article.published_date == dt.date(2025, 4, 15)
    assert article.published_date_evidence == "time datetime=2025-04-15T13:25"


def test_html_without_any_date():
    article = extract_article(page(dateline="Tác giả: Minh Anh"))
    assert article.published_date is None and article.published_date_evidence is None


def test_html_title_falls_back_to_title_element_without_site_name():
    html = (
        "<html><head><title>Kinh tế cửa khẩu khởi sắc | Báo Lạng Sơn</title>"
        '<meta property="og:site_name" content="Báo Lạng Sơn"></head><body><div class="main">'
        "<p>Kim ngạch xuất nhập khẩu qua địa bàn tỉnh tăng mạnh trong quý I năm nay, "
        "đạt hơn 17 nghìn triệu USD.</p><p>Tỉnh tiếp tục cải thiện hạ tầng cửa khẩu.</p>"
        "</div></body></html>"
    )
    article = extract_article(html)
    assert article.title == "Kinh tế cửa khẩu khởi sắc"
    assert article.text.startswith("Kinh tế cửa khẩu khởi sắc\n\nKim ngạch")
    assert article.text.endswith("cửa khẩu.")


def test_html_in_windows_1258_uses_the_declared_charset(tmp_path):
    html = page().replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
    doc = read(tmp_path, to_cp1258(html), "page.htm")
    assert doc.media_type == "text/html"
    assert doc.encoding == "cp1258"
    assert doc.title == "Lạng Sơn: Thu ngân sách vượt dự toán"
    assert "ước đạt 8,06%" in doc.text


def test_html_declaring_a_legacy_charset_but_saved_as_utf8_is_utf8(tmp_path):
    html = page().replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
    doc = read(tmp_path, html, "page.html")
    assert doc.encoding == "utf-8"
    assert doc.title == "Lạng Sơn: Thu ngân sách vượt dự toán"


def test_html_date_from_a_dateline_element_outside_the_article():
    html = (
        "<html><body><div class='post-date'>Thứ Sáu, 12/12/2025 - 07:15</div>"
        "<article><h1>Xuất khẩu qua cửa khẩu Hữu Nghị tăng mạnh</h1>"
        "<p>Năm 2025, kim ngạch xuất nhập khẩu qua địa bàn tỉnh đạt 86,14 tỷ USD.</p>"
        "</article></body></html>"
    )
    article = extract_article(html)
    assert article.published_date == dt.date(2025, 12, 12)
    assert article.published_date_evidence == "Thứ Sáu, 12/12/2025 - 07:15"
    assert article.text == (
        "Xuất khẩu qua cửa khẩu Hữu Nghị tăng mạnh\n\n"
        "Năm 2025, kim ngạch xuất nhập khẩu qua địa bàn tỉnh đạt 86,14 tỷ USD."
    )


def test_html_with_no_article_text_is_refused(tmp_path):
    html = "<!DOCTYPE html><html><head><title></title></head><body><nav>Menu</nav></body></html>"
    assert refused(tmp_path, html, "empty.html") == "is an HTML page with no article text"


def test_html_sniffing():
    assert looks_like_html("  <!doctype html><html></html>")
    assert looks_like_html("<HTML lang=vi>")
    assert looks_like_html("<?xml version='1.0'?>\n<html xmlns='x'>")
    assert looks_like_html("<p>x</p>", "a.txt")
    assert not looks_like_html("Giá <b tăng 5%", "a.txt")
    assert not looks_like_html("Tỷ lệ < 5% và > 2%")
    assert looks_like_html("Saved page\n<body><p>x</p></body>", "page.html")


# --------------------------------------------------------------------------- folder scanning


def test_duplicates_are_kept_and_marked(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "b_copy.txt", VI_PARAGRAPH)
    write(raw / "a_original.txt", VI_PARAGRAPH)
    write(raw / "c_other_encoding.txt", codecs.BOM_UTF8 + VI_PARAGRAPH.encode())
    write(raw / "d_different.txt", VI_PARAGRAPH + "Thêm một dòng.\n")
    scan = scan_raw_folder(raw)
    dup = {d.source_id: d.duplicate_of for d in scan.documents}
    assert dup == {
        "a_original.txt": None,
        "b_copy.txt": "a_original.txt",
        "c_other_encoding.txt": "a_original.txt",
        "d_different.txt": None,
    }


def test_names_with_spaces_vietnamese_letters_and_subfolders(tmp_path):
    raw = tmp_path / "raw"
    nfd_name = unicodedata.normalize("NFD", "Báo cáo kinh tế.txt")
    write(raw / "tin tức" / "tháng 12" / nfd_name, VI_PARAGRAPH)
    write(raw / "bài viết số 1.txt", VI_PARAGRAPH + "x\n")
    scan = scan_raw_folder(raw)
    ids = [d.source_id for d in scan.documents]
    assert ids == ["bài viết số 1.txt", "tin tức/tháng 12/Báo cáo kinh tế.txt"]
    assert all(unicodedata.is_normalized("NFC", i) for i in ids)
    assert scan.documents[1].file_name == "Báo cáo kinh tế.txt"


def test_names_equal_after_nfc_do_not_collide(tmp_path):
    raw = tmp_path / "raw"
    write(raw / nfc("Sơn.txt"), VI_PARAGRAPH)
    write(raw / unicodedata.normalize("NFD", "Sơn.txt"), VI_PARAGRAPH)
    if len(os.listdir(raw)) < 2:
        pytest.skip("this file system normalises names itself")
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["Sơn.txt"]
    assert [q.source_id for q in scan.quarantined] == ["Sơn.txt"]
    assert "same name" in scan.quarantined[0].reason


def test_hidden_files_and_folders_are_skipped(tmp_path):
    raw = tmp_path / "raw"
    write(raw / ".gitkeep", b"")
    write(raw / ".DS_Store", b"\x00\x01binary")
    write(raw / ".cache" / "x.txt", VI_PARAGRAPH)
    write(raw / "README.md", "Thư mục này chứa các bài báo về kinh tế Lạng Sơn.\n")
    write(raw / "doc.txt", VI_PARAGRAPH)
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["README.md", "doc.txt"]
    assert scan.quarantined == ()


def test_file_that_disappears_is_quarantined_and_the_scan_goes_on(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(raw / name, VI_PARAGRAPH + name)
    listing = reader_module._listing

    def listing_then_delete(folder):
        entries = listing(folder)
        (raw / "b.txt").unlink()
        return entries

    monkeypatch.setattr(reader_module, "_listing", listing_then_delete)
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["a.txt", "c.txt"]
    assert scan.quarantined == (
        QuarantinedFile("b.txt", "b.txt", "disappeared while reading", None, None),
    )


def test_read_document_on_a_vanished_file_raises_unreadable(tmp_path):
    with pytest.raises(UnreadableFileError, match="gone.txt disappeared while reading"):
        read_document(tmp_path / "gone.txt", "gone.txt")


def test_one_bad_file_never_stops_the_scan(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write(raw / "1_empty.txt", b"")
    write(raw / "2_good.txt", VI_PARAGRAPH)
    write(raw / "3_pdf.txt", b"%PDF-1.5")
    write(raw / "4_page.html", page())
    write(raw / "5_good.txt", VI_PARAGRAPH + ".")

    def broken(markup):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(reader_module, "extract_article", broken)
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["2_good.txt", "5_good.txt"]
    reasons = {q.source_id: q.reason for q in scan.quarantined}
    assert reasons["1_empty.txt"] == "is empty"
    assert "PDF" in reasons["3_pdf.txt"]
    assert "RecursionError" in reasons["4_page.html"]


def test_broken_symlink_is_quarantined(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "link.txt").symlink_to(raw / "nowhere.txt")  # (one leading out: test_hostile_input)
    scan = scan_raw_folder(raw)
    assert [q.reason for q in scan.quarantined] == ["is a broken symbolic link"]


def test_missing_raw_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        scan_raw_folder(tmp_path / "nope")
    with pytest.raises(FileNotFoundError):
        fingerprint_raw_folder(tmp_path / "nope")


def test_fingerprint_changes_only_when_files_change(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "a.txt", VI_PARAGRAPH)
    write(raw / "sub" / "b.txt", "b")
    first = fingerprint_raw_folder(raw)
    assert len(first) == 64 and first == fingerprint_raw_folder(raw)
    write(raw / ".hidden", "x")
    assert fingerprint_raw_folder(raw) == first
    write(raw / "c.txt", "c")
    second = fingerprint_raw_folder(raw)
    assert second != first
    (raw / "c.txt").rename(raw / "d.txt")
    third = fingerprint_raw_folder(raw)
    assert third != second
    os.utime(raw / "d.txt", ns=(1, 1))
    assert fingerprint_raw_folder(raw) != third


# --------------------------------------------------------------------------- publication date


@pytest.mark.parametrize(
    ("line", "date", "evidence"),
    [
        (" date 2025-12-11 Theo thông tin", dt.date(2025, 12, 11), "date 2025-12-11"),
        ("15/04/2025 lúc 13:25", dt.date(2025, 4, 15), "15/04/2025 lúc 13:25"),
        (
            "Thứ Hai, 15/4/2025 08:30 (GMT+7)",
            dt.date(2025, 4, 15),
            "Thứ Hai, 15/4/2025 08:30 (GMT+7)",
        ),
        ("Thứ ba, 15/4/2025, 13:25 (GMT+7)", dt.date(2025, 4, 15), None),
        ("Ngày 11 tháng 12 năm 2025", dt.date(2025, 12, 11), None),
        ("Cập nhật: 08:30 15/04/2025", dt.date(2025, 4, 15), None),
        (
            "Cập nhật lúc 08:30, 15/04/2025 | Báo Lạng Sơn",
            dt.date(2025, 4, 15),
            "Cập nhật lúc 08:30, 15/04/2025",
        ),
        ("Ngày đăng: 2025-04-15", dt.date(2025, 4, 15), None),
        ("Published: 15.04.2025", dt.date(2025, 4, 15), None),
        ("15/04/2025 13:25 | Tác giả: Minh Anh", dt.date(2025, 4, 15), "15/04/2025 13:25"),
        ("Chủ nhật, ngày 14/12/2025", dt.date(2025, 12, 14), None),
        ("13h25 ngày 15/04/2025", dt.date(2025, 4, 15), None),
        (
            "Lạng Sơn, ngày 11 tháng 12 năm 2025",
            dt.date(2025, 12, 11),
            "Lạng Sơn, ngày 11 tháng 12 năm 2025",
        ),
        (
            "Số: 123/BC-UBND        Lạng Sơn, ngày 11 tháng 12 năm 2025",
            dt.date(2025, 12, 11),
            "Lạng Sơn, ngày 11 tháng 12 năm 2025",
        ),
        ("TP. Hồ Chí Minh, ngày 1 tháng 2 năm 2024", dt.date(2024, 2, 1), None),
    ],
)
def test_dateline_forms(line, date, evidence):
    found = match_dateline(line)
    assert found is not None
    assert found.date == date
    assert found.evidence == (evidence or line.strip())
    assert found.evidence in line


@pytest.mark.parametrize(
    "line",
    [
        "Ngày 15/4/2025, UBND tỉnh tổ chức hội nghị",
        "Tính đến ngày 30/11/2025, tổng kim ngạch xuất nhập khẩu đạt 86,14 tỷ USD",
        "15/4/2025 lúc 8:30, đoàn công tác làm việc tại cửa khẩu",
        "Kỳ họp diễn ra tại Lạng Sơn, ngày 11 tháng 12 năm 2025.",
        "Sáu tháng đầu năm, ngày 30/6 tỉnh đạt 8,75%",
        "31/02/2025",
        "6 tháng đầu năm 2025, hoạt động xuất nhập khẩu sôi động",
    ],
)
def test_event_dates_are_not_datelines(line):
    assert match_dateline(line) is None


def test_only_header_lines_can_state_the_date():
    body = "\n".join(f"Đoạn văn số {i} nói về kinh tế." for i in range(1, 6))
    assert find_published_date(body + "\n15/04/2025 lúc 13:25\n") is None
    assert find_published_date("\n\n" + "15/04/2025 lúc 13:25\n" + body).date == dt.date(
        2025, 4, 15
    )


def test_official_letterhead_date_may_sit_lower_in_the_header():
    text = (
        "UBND TỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "-------\nSố: 215/BC-UBND\n\nLạng Sơn, ngày 11 tháng 12 năm 2025\nBÁO CÁO\n"
        "Tình hình kinh tế - xã hội năm 2025\n"
    )
    found = find_published_date(text)
    assert found.date == dt.date(2025, 12, 11)
    assert found.evidence == "Lạng Sơn, ngày 11 tháng 12 năm 2025"
    assert find_title(text) == "BÁO CÁO Tình hình kinh tế - xã hội năm 2025"
    assert classify_source_kind(text) == "official_report"


def test_publication_beats_update_date():
    text = "Cập nhật: 16/04/2025 09:00\nĐăng ngày 15/04/2025\nTiêu đề bài viết về kinh tế\n"
    assert find_published_date(text).date == dt.date(2025, 4, 15)


# --------------------------------------------------------------------------- title and kind


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Thứ Hai, 15/4/2025 08:30 (GMT+7)\nXuất khẩu nông sản qua cửa khẩu tăng mạnh\n"
            "Nội dung bài.",
            "Xuất khẩu nông sản qua cửa khẩu tăng mạnh",
        ),
        (
            "Giá trị sản xuất công nghiệp tăng 12% trong quý I?\n15/04/2025\nNội dung.",
            "Giá trị sản xuất công nghiệp tăng 12% trong quý I?",
        ),
        ("Kinh tế\nNội dung bài viết rất dài về kinh tế.", None),  # a label, then body
        (
            "KINH TẾ\nLạng Sơn đẩy mạnh kinh tế cửa khẩu, mục tiêu tăng trưởng 8-9%\nNội dung.",
            "Lạng Sơn đẩy mạnh kinh tế cửa khẩu, mục tiêu tăng trưởng 8-9%",
        ),
        ("Tăng trưởng cao\nNội dung.", None),  # too short for a headline
        ("Tỉnh đạt nhiều kết quả. Kinh tế phục hồi\nTiếp theo.", None),  # sentences
        ("Năm 2025, tỉnh đạt tăng trưởng 8,06%, cao nhất nhiệm kỳ,\ntiếp theo", None),
        (
            "PHẦN THỨ NHẤT\n\nKẾT QUẢ THỰC HIỆN\n\nNHIỆM VỤ NĂM 2025\n\n1. Kinh tế\n",
            "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025",
        ),
        (
            " Phần I \n\nKẾT QUẢ THỰC HIỆN \n\n NHIỆM VỤ NĂM 2025 \n\n \n\nI. KINH TẾ\n",
            "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025",
        ),
        ("I. NHỮNG THÀNH TỰU CHỦ YẾU\n1. Kinh tế", None),
    ],
)
def test_title_rules(text, title):
    assert find_title(text) == title


def test_source_kind_from_report_structure():
    report = "\n".join(
        [
            "Kinh tế tiếp tục phát triển ổn định",
            "I. NHỮNG THÀNH TỰU CHỦ YẾU",
            "1.1. Nông nghiệp",
            "1.2. Công nghiệp",
            "II. HẠN CHẾ",
        ]
    )
    assert classify_source_kind(report) == "official_report"
    news = "Tỉnh Lạng Sơn tăng trưởng 8%.\nTheo UBND tỉnh Lạng Sơn, năm 2025 đạt nhiều kết quả."
    assert classify_source_kind(news) == "news"


def test_normalize_text_matches_the_spec():
    assert normalize_text("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalize_text(unicodedata.normalize("NFD", "Lạng Sơn")) == "Lạng Sơn"
