"""Hostile and odd raw input, below Dagster (issue 11, points 1 and 7).

* Symbolic links: a link is followed only when its resolved path stays inside the raw
  folder; a link leading out of it (directly, through ``..``, through another link, to a
  folder) is quarantined without its target ever being opened, also when a file or a
  folder is swapped for such a link between the listing and the reading.
* Deeply nested HTML (1,000 and 100,000 levels) is read like a browser reads it, without
  a RecursionError and without quadratic work.
* Files the scan skips (hidden names such as ``..txt`` and ``...``) are listed with the
  reason instead of vanishing.
* A warehouse inside the raw folder and a ``DAGSTER_HOME`` that is a file are refused
  with a one-line error by the settings and the command line.

Opened files are observed through ``/proc/self/fd`` (the real path of every descriptor
this process opens), so "never opened" is checked, not assumed.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration import settings
from orchestration.ingest import (
    SkippedFile,
    UnreadableFileError,
    fingerprint_raw_folder,
    read_document,
    scan_raw_folder,
)
from orchestration.ingest import reader as reader_module
from orchestration.ingest.html_article import MAX_TREE_DEPTH, extract_article
from tests.conftest import ROOT

SECRET_MARKER = "TOP-SECRET-4f1c9e-outside-the-raw-folder"
DOCUMENT = (
    "Báo cáo nhanh kinh tế - xã hội tháng 9/2025 của tỉnh Cao Bằng\n\n"
    "Tổng sản phẩm trên địa bàn 9 tháng năm 2025 ước tăng 6,8% so với cùng kỳ năm trước.\n"
)
OUTSIDE_REASON = "is a symbolic link to a path outside the raw folder (not read)"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every raw folder of these tests, holding a marker string."""
    return write(tmp_path / "outside" / "secret.txt",
                 f"{SECRET_MARKER}\nroot:$6$salt$hash:19000:0:99999:7:::\n")


@contextlib.contextmanager
def opened_files() -> Iterator[list[str]]:
    """Real paths of every file and folder this process opens inside the block."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to observe opened files")
    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path, flags, mode=0o777, *, dir_fd=None):
        fd = real_os_open(path, flags, mode, dir_fd=dir_fd)
        with contextlib.suppress(OSError):
            opened.append(os.readlink(f"/proc/self/fd/{fd}"))
        return fd

    def io_open(file, *args, **kwargs):
        handle = real_io_open(file, *args, **kwargs)
        with contextlib.suppress(OSError, ValueError):
            opened.append(os.readlink(f"/proc/self/fd/{handle.fileno()}"))
        return handle

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "open", os_open)
        mp.setattr(io, "open", io_open)
        mp.setattr(builtins, "open", io_open)
        yield opened


def assert_never_touched(scan, opened: list[str], secret: Path) -> None:
    """The secret was not opened, and nothing of it reached the scan's rows."""
    real = os.path.realpath(secret)
    assert opened, "the spy saw no file at all"
    assert real not in opened and os.path.dirname(real) not in opened
    for doc in scan.documents:
        assert SECRET_MARKER not in doc.text and "root:$6$" not in doc.text
    for bad in scan.quarantined:
        assert SECRET_MARKER not in bad.reason


# ------------------------------------------------------------------------ symbolic links


def test_links_leading_out_of_the_raw_folder_are_quarantined_unopened(tmp_path, secret):
    raw = tmp_path / "raw"
    write(raw / "doc.txt", DOCUMENT)
    (raw / "shadow.txt").symlink_to(secret)  # absolute
    (raw / "sub").mkdir()
    (raw / "sub" / "up.txt").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    (raw / "hop.txt").symlink_to(raw / "sub" / "up.txt")  # inside, to a link leading out
    (raw / "etc").symlink_to(secret.parent)  # a folder outside
    (raw / "gone.txt").symlink_to(tmp_path / "outside" / "missing.txt")
    with opened_files() as opened:
        scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["doc.txt"]
    reasons = {q.source_id: q.reason for q in scan.quarantined}
    assert reasons == dict.fromkeys(
        ["etc", "gone.txt", "hop.txt", "shadow.txt", "sub/up.txt"], OUTSIDE_REASON)
    for bad in scan.quarantined:
        assert (bad.content_sha256, bad.byte_size) == (None, None)  # nothing was hashed
    assert_never_touched(scan, opened, secret)


def test_links_inside_the_raw_folder_are_read(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "doc.txt", DOCUMENT)
    (raw / "see-doc.txt").symlink_to("doc.txt")
    (raw / "sub").mkdir()
    (raw / "sub" / "see-doc.txt").symlink_to(raw / "doc.txt")
    (raw / "loop.txt").symlink_to("loop.txt")
    (raw / "folder-link").symlink_to("sub")
    scan = scan_raw_folder(raw)
    documents = {d.source_id: d for d in scan.documents}
    assert sorted(documents) == ["doc.txt", "see-doc.txt", "sub/see-doc.txt"]
    assert documents["see-doc.txt"].text == documents["doc.txt"].text == DOCUMENT
    assert documents["doc.txt"].duplicate_of is None
    assert documents["see-doc.txt"].duplicate_of == "doc.txt"
    assert documents["sub/see-doc.txt"].duplicate_of == "doc.txt"
    reasons = {q.source_id: q.reason for q in scan.quarantined}
    assert reasons == {"folder-link": "is a link to a folder (not followed)",
                       "loop.txt": "is a broken symbolic link"}


def test_a_raw_folder_that_is_itself_a_link_bounds_by_its_real_location(tmp_path, secret):
    real = tmp_path / "data" / "reports"
    write(real / "doc.txt", DOCUMENT)
    link = tmp_path / "raw"
    link.symlink_to(real)
    (real / "via-link.txt").symlink_to(link / "doc.txt")  # leads back inside
    (real / "shadow.txt").symlink_to(secret)
    with opened_files() as opened:
        scan = scan_raw_folder(link)
    assert [d.source_id for d in scan.documents] == ["doc.txt", "via-link.txt"]
    assert [(q.source_id, q.reason) for q in scan.quarantined] == [
        ("shadow.txt", OUTSIDE_REASON)]
    assert_never_touched(scan, opened, secret)


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(tmp_path, secret,
                                                                  monkeypatch):
    raw = tmp_path / "raw"
    write(raw / "a.txt", DOCUMENT)
    write(raw / "b.txt", DOCUMENT + "b")
    listing = reader_module._listing

    def listing_then_swap(folder):
        entries = listing(folder)
        (raw / "b.txt").unlink()
        (raw / "b.txt").symlink_to(secret)
        return entries

    monkeypatch.setattr(reader_module, "_listing", listing_then_swap)
    with opened_files() as opened:
        scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["a.txt"]
    [bad] = scan.quarantined
    assert bad.source_id == "b.txt"
    assert "symbolic link" in bad.reason and (bad.content_sha256, bad.byte_size) == (None, None)
    assert_never_touched(scan, opened, secret)


def test_a_folder_swapped_for_a_link_after_listing_is_not_followed(tmp_path, secret,
                                                                    monkeypatch):
    raw = tmp_path / "raw"
    write(raw / "a.txt", DOCUMENT)
    write(raw / "outside" / "secret.txt", DOCUMENT + "inside copy")
    listing = reader_module._listing

    def listing_then_swap(folder):
        entries = listing(folder)
        (raw / "outside" / "secret.txt").unlink()
        (raw / "outside").rmdir()
        (raw / "outside").symlink_to(secret.parent)  # same relative path, now outside
        return entries

    monkeypatch.setattr(reader_module, "_listing", listing_then_swap)
    with opened_files() as opened:
        scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["a.txt"]
    [bad] = scan.quarantined
    assert bad.source_id == "outside/secret.txt" and "symbolic link" in bad.reason
    assert_never_touched(scan, opened, secret)


def test_read_document_does_not_follow_a_link(tmp_path, secret):
    (tmp_path / "link.txt").symlink_to(secret)
    with pytest.raises(UnreadableFileError, match="symbolic link"):
        read_document(tmp_path / "link.txt", "link.txt")


def test_fingerprint_does_not_look_behind_a_link_leading_out(tmp_path, secret):
    raw = tmp_path / "raw"
    write(raw / "doc.txt", DOCUMENT)
    (raw / "shadow.txt").symlink_to(secret)
    before = fingerprint_raw_folder(raw)
    secret.write_text(SECRET_MARKER + " rotated\n", encoding="utf-8")
    os.utime(secret, ns=(10**18, 10**18))
    assert fingerprint_raw_folder(raw) == before  # the outside file's size and time unseen
    (raw / "shadow.txt").unlink()
    (raw / "shadow.txt").symlink_to(secret.parent)
    assert fingerprint_raw_folder(raw) != before  # the link itself is watched


# -------------------------------------------------------------------------- skipped files


def test_skipped_names_are_listed_with_the_reason(tmp_path):
    raw = tmp_path / "raw"
    for name in ("..txt", "...", ".hidden.txt", ".cache/x.txt", "sub/.DS_Store", "doc.txt"):
        write(raw / name, DOCUMENT)
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["doc.txt"]
    assert scan.quarantined == ()
    hidden = "hidden: the name starts with '.'"
    assert scan.skipped == (  # in source_id order, like the other lists
        SkippedFile("...", hidden),
        SkippedFile("..txt", hidden),
        SkippedFile(".cache", "hidden folder: the name starts with '.' (not scanned)"),
        SkippedFile(".hidden.txt", hidden),
        SkippedFile("sub/.DS_Store", hidden),
    )


# --------------------------------------------------------------------------- nested HTML

PARAGRAPH = "Năm 2024, thu ngân sách trên địa bàn tỉnh Hà Giang đạt 3.120 tỷ đồng."


def nested_page(depth: int, tag: str = "div") -> str:
    return ("<!DOCTYPE html><html><head><title>Tin kinh tế</title></head><body>"
            + f"<{tag}>" * depth + f"<p>{PARAGRAPH}</p>" + f"</{tag}>" * depth
            + "<p>Hết.</p></body></html>")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_html_is_read(tmp_path, depth):
    article = extract_article(nested_page(depth))
    assert PARAGRAPH in article.text.split("\n\n")
    path = write(tmp_path / "deep.html", nested_page(depth, "section"))
    doc = read_document(path, "deep.html")
    assert doc.media_type == "text/html" and PARAGRAPH in doc.text


def test_unclosed_paragraphs_beyond_the_depth_limit_keep_every_paragraph():
    """html.parser nests unclosed ``<p>``/``<li>``/``<td>``; past ``MAX_TREE_DEPTH``
    elements become siblings, as in a browser, so every paragraph is kept in order."""
    count = 3 * MAX_TREE_DEPTH
    lines = [f"Dòng {i}: sản lượng đạt {i},5 nghìn tấn." for i in range(count)]
    markup = "<html><body><div class='article-content'>" + "".join(
        f"<p>{line}" for line in lines) + "</div></body></html>"
    blocks = extract_article(markup).text.split("\n\n")
    assert [b for b in blocks if b.startswith("Dòng")] == lines


# ------------------------------------------------------------- settings and command line


def test_a_warehouse_inside_the_raw_folder_is_refused(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("RAW_DIR", str(raw))
    for inside in (raw / "provstats.duckdb", raw / "sub" / "w.duckdb", raw):
        monkeypatch.setenv("WAREHOUSE_PATH", str(inside))
        with pytest.raises(ValueError) as info:
            settings.check_warehouse_outside_raw_dir()
        message = str(info.value)
        assert "\n" not in message
        assert f"WAREHOUSE_PATH {inside}" in message and f"RAW_DIR {raw}" in message
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "raw-warehouse" / "w.duckdb"))
    settings.check_warehouse_outside_raw_dir()  # a sibling whose name merely starts alike


def test_a_warehouse_inside_the_raw_folder_through_a_link_is_refused(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "out").symlink_to(raw)
    monkeypatch.setenv("RAW_DIR", str(raw))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "out" / "w.duckdb"))
    with pytest.raises(ValueError, match="is inside RAW_DIR"):
        settings.check_warehouse_outside_raw_dir()


def run_cli(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    paths = {"RAW_DIR": str(tmp_path / "raw"),
             "WAREHOUSE_PATH": str(tmp_path / "warehouse" / "w.duckdb"),
             "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    return subprocess.run(
        [sys.executable, "-m", "orchestration", "refresh"], cwd=ROOT,
        env={**os.environ, **paths, **env}, capture_output=True, text=True, timeout=600,
    )


@pytest.mark.integration
def test_cli_refuses_a_warehouse_inside_the_raw_folder(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "doc.txt", DOCUMENT)
    inside = raw / "provstats.duckdb"
    result = run_cli(tmp_path, WAREHOUSE_PATH=str(inside))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert f"WAREHOUSE_PATH {inside}" in line and f"RAW_DIR {raw}" in line
    assert sorted(p.name for p in raw.iterdir()) == ["doc.txt"]  # nothing written


@pytest.mark.integration
def test_cli_gives_one_line_when_dagster_home_is_a_file(tmp_path):
    write(tmp_path / "raw" / "doc.txt", DOCUMENT)
    home = write(tmp_path / "dagster_home", "not a folder\n")
    result = run_cli(tmp_path, DAGSTER_HOME=str(home))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert f"DAGSTER_HOME {home}" in line and "not a folder" in line
    assert home.read_text(encoding="utf-8") == "not a folder\n"
    assert not (tmp_path / "warehouse").exists()
