#!/usr/bin/env python3
"""Timings of the pipeline's stages on the raw folder, into a throw-away warehouse.

    .venv/bin/python scripts/benchmark.py [--raw-dir DIR] [--repeat N] [--keep]

Prints (no asserts): the raw-folder scan, the extraction of every document (seconds per
document and characters per second), reading HTML nested 1k-100k elements deep, a full
refresh (job ``full_rebuild``) and a refresh on unchanged input (job
``refresh_warehouse``) into a temporary warehouse, with the time of each step, and the
peak resident memory of this process and of its children (dbt).
The project's own warehouse and Dagster instance are not touched.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=None,
                        help="raw folder (default: RAW_DIR or <project>/raw)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of scan and extraction")
    parser.add_argument("--keep", action="store_true", help="keep the temporary warehouse")
    args = parser.parse_args()

    raw_dir = (args.raw_dir or settings.raw_dir()).resolve()
    os.environ["RAW_DIR"] = str(raw_dir)
    print(f"raw folder     {raw_dir}")
    scan = bench_scan(raw_dir, args.repeat)
    bench_extraction(scan, args.repeat)
    bench_nested_html()

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
