#!/usr/bin/env python3
"""Timings of the pipeline's stages on the raw folder, into a throw-away warehouse.

    .venv/bin/python scripts/benchmark.py [--raw-dir DIR] [--repeat N] [--keep]

Prints (no asserts): the raw-folder scan, the extraction of every document (seconds per
document and characters per second), reading HTML nested 1k-100k elements deep, the
cost of one event in Dagster's run log (default storage against the project's), a full
refresh (job ``full_rebuild``) and a refresh on unchanged input (job
``refresh_warehouse``) into a temporary warehouse, with the time of each step, and the
peak resident memory of this process and of its children (dbt).
The project's own warehouse and Dagster instance are not touched.

Documents section (``--documents-only`` runs only it, ``--skip-documents`` skips it):
PDF, Word and Excel reading on generated 200-page documents, each read in a fresh
process pinned to one core: pages per second for PDF text (the reader, PDFium, against
pdfplumber's own text extraction, the alternative measured to choose), for pages with a
ruled table (pdfplumber finds the tables), the peak memory of reading the 200-page PDF,
and a 200-table Word file and a 200-sheet workbook.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orchestration import extraction, settings  # noqa: E402
from orchestration.ingest import scan_raw_folder  # noqa: E402


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:,.0f} MB"  # ru_maxrss is in KiB on Linux


def bench_scan(raw_dir: Path, repeat: int):
    times, scan = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        scan = scan_raw_folder(raw_dir)
        times.append(time.perf_counter() - t0)
    assert scan is not None
    chars = sum(d.char_count for d in scan.documents)
    size = sum(d.byte_size for d in scan.documents)
    print(f"raw scan       {len(scan.documents)} documents, {len(scan.quarantined)} quarantined, "
          f"{size:,} bytes, {chars:,} characters")
    print(f"               median {statistics.median(times):.3f}s, best {min(times):.3f}s "
          f"over {repeat} runs")
    return scan


def bench_extraction(scan, repeat: int) -> None:
    print(f"extraction     extractor {extraction.EXTRACTOR_VERSION}")
    total_s = total_chars = total_obs = 0
    for doc in scan.documents:
        if doc.duplicate_of:
            print(f"  {doc.source_id:<40} duplicate of {doc.duplicate_of}, skipped")
            continue
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            found = extraction.extract_observations(
                doc.text, published_date=doc.published_date, title=doc.title)
            times.append(time.perf_counter() - t0)
        best = min(times)
        total_s += best
        total_chars += doc.char_count
        total_obs += len(found)
        rate = doc.char_count / best if best > 0 else float("inf")
        print(f"  {doc.source_id:<40} {doc.char_count:>9,} chars {len(found):>5} obs "
              f"{best:8.3f}s {rate:>12,.0f} chars/s")
    rate = total_chars / total_s if total_s > 0 else float("inf")
    print(f"  {'all documents':<40} {total_chars:>9,} chars {total_obs:>5} obs "
          f"{total_s:8.3f}s {rate:>12,.0f} chars/s")


def bench_extraction_speed(raw_dir: Path, repeat: int) -> None:
    """Extraction speed per core, in MB (UTF-8) per CPU second, on the development set
    (tests/fixtures/dev/docs) and the raw folder: the best of ``repeat`` passes."""
    docs = [d for folder in (ROOT / "tests" / "fixtures" / "dev" / "docs", raw_dir)
            if folder.is_dir() for d in scan_raw_folder(folder).documents]
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    extraction.extract_observations(docs[0].text)  # word lists compiled before timing
    best = float("inf")
    for _ in range(max(repeat, 3)):
        t0 = time.process_time()
        for d in docs:
            extraction.extract_observations(
                d.text, published_date=d.published_date, source_id=d.source_id)
        best = min(best, time.process_time() - t0)
    print(f"extraction speed {len(docs)} documents (development set and raw folder), "
          f"{size / 1e6:.3f} MB in {best:.3f} CPU s: {size / 1e6 / best:.2f} MB/s per core")


def bench_numbers_per_sentence() -> None:
    """One sentence holding 1k / 10k / 100k numbers: time should grow linearly (the same
    microseconds per number on every row)."""
    print("numbers in one sentence (linear: the same µs per number on every row)")
    extraction.extract_observations("Năm 2024 tăng 1%.")  # word lists compiled before timing
    for pattern in ("tăng {i},5%, ", "đạt {i}.{j:03d} tỷ đồng, "):
        for n in (1_000, 10_000, 100_000):
            text = "Năm 2024, tổng thu ngân sách của tỉnh " + "".join(
                pattern.format(i=i % 97 + 1, j=i % 1000) for i in range(n)) + "."
            t0 = time.process_time()
            found = extraction.extract_observations(text)
            seconds = time.process_time() - t0
            print(f"  {pattern.strip()!r:<26} {n:>8,} numbers {len(text) / 1e6:6.2f} MB "
                  f"{len(found):>8,} obs {seconds:8.2f}s {seconds / n * 1e6:7.1f} µs/number")


def bench_nested_html() -> None:
    """Reading a page nested 1k / 10k / 100k elements deep: time should grow linearly."""
    from orchestration.ingest.html_article import extract_article

    paragraph = "<p>Năm 2024, thu ngân sách trên địa bàn đạt 3.120 tỷ đồng.</p>"
    print("nested HTML    depth, markup size, seconds (linear: ~10x per row)")
    for depth in (1_000, 10_000, 100_000):
        markup = f"<html><body>{'<div>' * depth}{paragraph}{'</div>' * depth}</body></html>"
        t0 = time.perf_counter()
        text = extract_article(markup).text
        seconds = time.perf_counter() - t0
        read = "read" if "3.120 tỷ đồng" in text else "NOT READ"
        print(f"  {depth:>9,} levels {len(markup):>12,} chars {seconds:8.3f}s ({read})")


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    return {
        stat.step_key: (stat.end_time or stat.start_time or 0) - (stat.start_time or 0)
        for stat in instance.get_run_step_stats(run_id)
    }


def bench_run_log(events: int = 300) -> None:
    """Writing events to Dagster's run log: Dagster's default SQLite storage (an engine
    opened and disposed of per event) against the project's (orchestration/dagster_storage.py,
    connections kept), milliseconds per event."""
    from dagster import AssetMaterialization
    from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
    from dagster._core.events.log import EventLogEntry
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from orchestration.dagster_storage import PooledSqliteEventLogStorage

    def entry(n: int) -> EventLogEntry:
        event = DagsterEvent(
            event_type_value=DagsterEventType.ASSET_MATERIALIZATION.value, job_name="bench",
            event_specific_data=StepMaterializationData(AssetMaterialization(f"asset_{n % 20}")))
        return EventLogEntry(error_info=None, level=20, user_message="", run_id="bench",
                             timestamp=time.time(), dagster_event=event, job_name="bench")

    print(f"run log        {events} asset events written one by one (a refresh writes ~570)")
    for storage_class in (SqliteEventLogStorage, PooledSqliteEventLogStorage):
        with tempfile.TemporaryDirectory() as base_dir:
            storage = storage_class(base_dir)
            entries = [entry(n) for n in range(events)]
            t0 = time.perf_counter()
            for e in entries:
                storage.store_event(e)
            seconds = time.perf_counter() - t0
            storage.dispose()
        print(f"  {storage_class.__name__:<30} {seconds / events * 1000:6.2f} ms per event")


def bench_refresh(label: str, job_name: str, defs) -> None:
    import dagster as dg

    instance = dg.DagsterInstance.ephemeral()
    t0 = time.perf_counter()
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
    )
    seconds = time.perf_counter() - t0
    status = "ok" if result.success else "FAILED"
    print(f"{label:<14} {job_name}: {seconds:.2f}s ({status})")
    steps = _step_seconds(instance, result.run_id)
    for step in sorted(steps, key=steps.get, reverse=True)[:8]:
        print(f"  {step:<40} {steps[step]:8.2f}s")


# ------------------------------------------------------------------ documents section

_DOC_PAGES = 200
_PARAGRAPH = (
    "Tổng sản phẩm trên địa bàn tỉnh (GRDP) quý {n} ước tăng 7,{n}% so với cùng kỳ năm "
    "trước; trong đó khu vực nông, lâm nghiệp và thủy sản tăng 3,2%, khu vực công nghiệp - "
    "xây dựng tăng 10,4%, khu vực dịch vụ tăng 6,9%. Thu ngân sách nhà nước trên địa bàn "
    "ước đạt 1.{n}25 tỷ đồng, bằng 82,5% dự toán năm. "
)
_TABLE = [
    ("STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm", "Ước thực hiện", "So sánh (%)"),
    *[(str(k), f"Chỉ tiêu số {k} của biểu", "Tỷ đồng", f"{k}.250,5", f"{k}.310,2", "104,8")
      for k in range(1, 13)],
]


def _make_documents(folder: Path) -> dict[str, Path]:
    """A 200-page text PDF, a 200-page PDF with a ruled table per page, a Word file with
    200 tables and a 200-sheet workbook (the renderer of the tests)."""
    import docx
    import openpyxl

    from tests.fixtures.render_documents import add_pdf_table, new_pdf

    text_pdf = new_pdf(header="UBND TỈNH - BÁO CÁO KINH TẾ - XÃ HỘI")
    table_pdf = new_pdf(header="UBND TỈNH - PHỤ LỤC SỐ LIỆU")
    word = docx.Document()
    workbook = openpyxl.Workbook(write_only=True)
    for page in range(1, _DOC_PAGES + 1):
        text_pdf.add_page()
        for k in range(4):
            text_pdf.multi_cell(0, 6, _PARAGRAPH.format(n=(page + k) % 10) * 2,
                                new_x="LMARGIN", new_y="NEXT")
        table_pdf.add_page()
        table_pdf.multi_cell(0, 6, f"Biểu {page}. Đơn vị: tỷ đồng", new_x="LMARGIN",
                             new_y="NEXT")
        add_pdf_table(table_pdf, _TABLE)
        word.add_paragraph(_PARAGRAPH.format(n=page % 10))
        table = word.add_table(rows=len(_TABLE), cols=len(_TABLE[0]))
        for r, row in enumerate(_TABLE):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        sheet = workbook.create_sheet(f"Biểu {page}")
        for row in _TABLE:
            sheet.append(row)
    paths = {name: folder / name for name in
             ("text.pdf", "tables.pdf", "tables.docx", "sheets.xlsx")}
    text_pdf.output(str(paths["text.pdf"]))
    table_pdf.output(str(paths["tables.pdf"]))
    word.save(str(paths["tables.docx"]))
    workbook.save(str(paths["sheets.xlsx"]))
    return paths


def _document_worker(kind: str, path: str) -> None:
    """Child process: read one document on one core; print seconds and memory (JSON)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import pdfplumber  # noqa: F401 (imported before the baseline, as the readers are)

    from orchestration.ingest.formats import ReadLimits, read_office_or_pdf

    def rss_kb(field: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
        return 0

    baseline = rss_kb("VmRSS:")
    data = Path(path).read_bytes()
    t0 = time.perf_counter()
    if kind == "pdfplumber-text":
        with pdfplumber.open(path) as document:
            for page in document.pages:
                page.extract_text()
                page.close()
        chars = 0
    else:
        text = read_office_or_pdf(data, Path(path).name, ReadLimits(max_pdf_pages=10_000,
                                                                    timeout_s=3600)).text
        chars = len(text)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "chars": chars, "baseline_kb": baseline,
                      "peak_kb": rss_kb("VmHWM:")}))


def _run_worker(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--document-worker", kind, str(path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_documents() -> None:
    """Pages per second of the PDF readers on one core and the peak memory of reading a
    200-page PDF; Word and Excel files of 200 tables."""
    with tempfile.TemporaryDirectory(prefix="provstats-docs-") as tmp:
        t0 = time.perf_counter()
        paths = _make_documents(Path(tmp))
        print(f"documents      generated {_DOC_PAGES}-page PDFs, DOCX and XLSX in "
              f"{time.perf_counter() - t0:.1f}s (one core per reading process)")
        runs = [
            ("PDF text (reader: PDFium)", "reader", "text.pdf"),
            ("PDF text (pdfplumber, for comparison)", "pdfplumber-text", "text.pdf"),
            ("PDF tables (reader: PDFium + pdfplumber)", "reader", "tables.pdf"),
            ("DOCX, 200 tables", "reader", "tables.docx"),
            ("XLSX, 200 sheets", "reader", "sheets.xlsx"),
        ]
        for label, kind, name in runs:
            result = _run_worker(kind, paths[name])
            rate = _DOC_PAGES / result["seconds"]
            unit = "pages/s" if name.endswith(".pdf") else "tables/s"
            print(f"  {label:<42} {result['seconds']:7.2f}s {rate:8.1f} {unit}  peak RSS "
                  f"{_mb(result['peak_kb'])} (+{_mb(result['peak_kb'] - result['baseline_kb'])}"
                  f" over the imported reader)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=None,
                        help="raw folder (default: RAW_DIR or <project>/raw)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of scan and extraction")
    parser.add_argument("--keep", action="store_true", help="keep the temporary warehouse")
    parser.add_argument("--documents-only", action="store_true",
                        help="only the PDF/Word/Excel reading section")
    parser.add_argument("--skip-documents", action="store_true",
                        help="leave out the PDF/Word/Excel reading section")
    parser.add_argument("--document-worker", nargs=2, metavar=("KIND", "PATH"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.document_worker:
        _document_worker(*args.document_worker)
        return 0
    if args.documents_only:
        bench_documents()
        return 0

    raw_dir = (args.raw_dir or settings.raw_dir()).resolve()
    os.environ["RAW_DIR"] = str(raw_dir)
    print(f"raw folder     {raw_dir}")
    scan = bench_scan(raw_dir, args.repeat)
    bench_extraction(scan, args.repeat)
    bench_extraction_speed(raw_dir, args.repeat)
    bench_numbers_per_sentence()
    bench_nested_html()
    bench_run_log()
    if not args.skip_documents:
        bench_documents()

    work = Path(tempfile.mkdtemp(prefix="provstats-bench-"))
    os.environ["WAREHOUSE_PATH"] = str(work / "provstats.duckdb")
    os.environ["DAGSTER_HOME"] = str(work / "dagster_home")
    (work / "dagster_home").mkdir()
    print(f"warehouse      {work / 'provstats.duckdb'} (temporary)")
    t0 = time.perf_counter()
    from orchestration.definitions import defs

    print(f"load defs      {time.perf_counter() - t0:.2f}s")
    bench_refresh("full refresh", "full_rebuild", defs)
    bench_refresh("no change", "refresh_warehouse", defs)
    size = (work / "provstats.duckdb").stat().st_size
    print(f"warehouse size {size / 1e6:.1f} MB")

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS       this process {_mb(own)}, largest child (dbt) {_mb(children)}")
    if args.keep:
        print(f"kept           {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
