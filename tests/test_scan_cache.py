"""The raw-folder scan does not read again what did not change (size, times, inode).

Unit tests on a temporary raw folder: the reader's ``read_document`` is wrapped to count
the files actually opened.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from orchestration.ingest import reader, scan_raw_folder
from orchestration.ingest.scan_cache import CachedScan, ScanCache, scan_cache_path

REPORT = "Báo cáo tháng 3/2024\n\nThu ngân sách quý I/2024 ước đạt 2.150 tỷ đồng, tăng 9,3%.\n"
NEWS = "Tin tức 12/2023\n\nKim ngạch xuất khẩu năm 2023 đạt 3.480 triệu USD.\n"
LIMIT = 1_000_000


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    opened: list[str] = []
    real = reader.read_document

    def counting(path, source_id, **options):
        opened.append(source_id)
        return real(path, source_id, **options)

    monkeypatch.setattr(reader, "read_document", counting)
    return opened


@dataclasses.dataclass
class Folder:
    raw: Path
    cache_file: Path
    landed: dict[str, dict]  # what the warehouse holds: source_id -> row without text

    def scan(self, *, max_bytes: int = LIMIT, reader_code: str = "v1"):
        cache = CachedScan(
            ScanCache.load(self.cache_file, self.raw, max_bytes, reader=reader_code),
            self.landed)
        result = scan_raw_folder(self.raw, max_bytes=max_bytes, reuse=cache)
        cache.save(list(result.documents))
        # the pipeline writes what it read; here the "warehouse" keeps every row
        self.landed = {d.source_id: {k: v for k, v in dataclasses.asdict(d).items()
                                     if k != "text"} for d in result.documents}
        return result, cache


@pytest.fixture
def folder(tmp_path) -> Folder:
    raw = tmp_path / "raw"
    (raw / "2024").mkdir(parents=True)
    (raw / "2024" / "bao-cao.txt").write_text(REPORT, encoding="utf-8")
    (raw / "tin.txt").write_text(NEWS, encoding="utf-8")
    return Folder(raw, scan_cache_path(tmp_path / "wh" / "provstats.duckdb"), {})


def test_unchanged_files_are_not_read_again(folder, reads):
    first, _ = folder.scan()
    assert sorted(reads) == ["2024/bao-cao.txt", "tin.txt"]
    reads.clear()
    second, cache = folder.scan()
    assert reads == []
    assert cache.reused == {"2024/bao-cao.txt", "tin.txt"}
    strip = [dataclasses.replace(d, text="") for d in first.documents]
    assert list(second.documents) == strip  # every other column as read the first time


def test_the_cache_lives_next_to_the_warehouse_not_in_the_raw_folder(folder):
    folder.scan()
    assert folder.cache_file.exists()
    assert folder.cache_file.parent != folder.raw
    assert not any(p.name.endswith(".json") for p in folder.raw.rglob("*"))


def test_a_changed_added_or_removed_file_is_noticed(folder, reads):
    folder.scan()
    reads.clear()
    (folder.raw / "tin.txt").write_text(NEWS.replace("3.480", "3.512"), encoding="utf-8")
    (folder.raw / "moi.txt").write_text(REPORT.replace("2.150", "2.201"), encoding="utf-8")
    (folder.raw / "2024" / "bao-cao.txt").unlink()
    result, cache = folder.scan()
    assert sorted(reads) == ["moi.txt", "tin.txt"]
    assert cache.reused == set()
    assert {d.source_id for d in result.documents} == {"moi.txt", "tin.txt"}
    assert "3.512" in next(d.text for d in result.documents if d.source_id == "tin.txt")


def test_a_rewrite_that_keeps_size_and_mtime_is_still_read(folder, reads):
    folder.scan()
    reads.clear()
    path = folder.raw / "tin.txt"
    info = path.stat()
    path.write_text(NEWS.replace("3.480", "3.481"), encoding="utf-8")  # same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the old mtime
    assert path.stat().st_size == info.st_size
    result, _ = folder.scan()
    assert reads == ["tin.txt"]  # the status-change time moved
    assert "3.481" in next(d.text for d in result.documents if d.source_id == "tin.txt")


def test_new_reader_code_or_size_limit_reads_everything_again(folder, reads):
    folder.scan()
    reads.clear()
    folder.scan(reader_code="v2")  # orchestration/ingest changed
    assert len(reads) == 2
    reads.clear()
    folder.scan(reader_code="v2", max_bytes=LIMIT - 1)
    assert len(reads) == 2


def test_a_document_missing_from_the_warehouse_is_read_again(folder, reads):
    folder.scan()
    reads.clear()
    folder.landed.pop("tin.txt")  # e.g. the run that read it failed to publish
    folder.landed["2024/bao-cao.txt"]["content_sha256"] = "0" * 64  # another content landed
    folder.scan()
    assert sorted(reads) == ["2024/bao-cao.txt", "tin.txt"]


def test_duplicates_are_decided_again_from_reused_documents(folder, reads):
    (folder.raw / "ban-sao.txt").write_text(NEWS, encoding="utf-8")
    first, _ = folder.scan()
    assert {d.source_id: d.duplicate_of for d in first.documents}["tin.txt"] == "ban-sao.txt"
    (folder.raw / "ban-sao.txt").unlink()
    reads.clear()
    second, cache = folder.scan()
    assert reads == [] and "tin.txt" in cache.reused
    assert {d.source_id: d.duplicate_of for d in second.documents}["tin.txt"] is None


def test_a_damaged_cache_file_only_costs_a_full_read(folder, reads):
    folder.scan()
    folder.cache_file.write_text("{not json", encoding="utf-8")
    reads.clear()
    result, _ = folder.scan()
    assert len(reads) == 2 and len(result.documents) == 2
