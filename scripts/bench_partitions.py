#!/usr/bin/env python3
"""Process pool in one asset vs one Dagster partition per document: what each costs.

    .venv/bin/python scripts/bench_partitions.py [--documents 400] [--partitions 24]
                                                 [--launched 6] [--workers 2]

Extracts the same documents (generated as in ``scripts/bench_scale.py``) three ways and
prints seconds per document:

1. ``pool``: :func:`orchestration.extraction_runner.extract_documents` with worker
   processes — what the ``observations`` asset does;
2. ``partition runs, in-process``: a dynamically partitioned asset (one partition per
   document) materialised one run per partition in this process, on a persistent
   instance — Dagster's own per-run cost (run record, events, step orchestration) without
   starting a process;
3. ``partition runs, launched``: the same, each run in a new process
   (``dagster asset materialize --partition``), as a backfill does with the default run
   launcher: a process start and a code-location load per document.

The partitioned asset only extracts (it writes nothing): a real one would also have to
write each partition's rows into the warehouse, one copy-on-write publication per
partition, or into a store that the dbt step then merges. Nothing asserts; figures only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import generate  # noqa: E402

from orchestration.extraction_runner import extract_documents  # noqa: E402
from orchestration.ingest import scan_raw_folder  # noqa: E402

PARTITIONED_DEFS = textwrap.dedent('''
    """A dynamically partitioned asset: one partition per raw document."""
    import os
    from pathlib import Path

    import dagster as dg

    from orchestration.extraction_runner import extract_document
    from orchestration.ingest import read_document

    documents = dg.DynamicPartitionsDefinition(name="documents")

    @dg.asset(partitions_def=documents)
    def document_observations(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        raw = Path(os.environ["RAW_DIR"])
        doc = read_document(raw / context.partition_key, context.partition_key)
        rows, periods = extract_document({
            "source_id": doc.source_id, "text": doc.text, "published_date": doc.published_date,
            "title": doc.title, "content_sha256": doc.content_sha256})
        return dg.MaterializeResult(metadata={"observations": len(rows)})

    defs = dg.Definitions(assets=[document_observations], executor=dg.in_process_executor)
''')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=400,
                        help="documents extracted by the pool and by one process")
    parser.add_argument("--partitions", type=int, default=24,
                        help="documents run as in-process partition runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--launched", type=int, default=6,
                        help="documents to run as launched (subprocess) partition runs")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="provstats-partitions-"))
    raw = work / "raw"
    generate(args.documents, raw)
    scan = scan_raw_folder(raw)
    docs = [{"source_id": d.source_id, "text": d.text, "published_date": d.published_date,
             "title": d.title, "content_sha256": d.content_sha256} for d in scan.documents]
    chars = sum(len(d["text"]) for d in docs)
    print(f"{len(docs)} documents, {chars:,} characters, {os.cpu_count()} cores")

    t0 = time.perf_counter()
    results = list(extract_documents(docs, workers=args.workers, timeout_s=0, max_chars=0))
    pool_s = time.perf_counter() - t0
    assert all(r.error is None for r in results)
    t0 = time.perf_counter()
    list(extract_documents(docs, workers=1, timeout_s=0, max_chars=0))
    serial_s = time.perf_counter() - t0
    print(f"pool ({args.workers} processes)        {pool_s / len(docs):7.3f} s/document "
          f"({pool_s:.1f}s)")
    print(f"one process (no pool)          {serial_s / len(docs):7.3f} s/document "
          f"({serial_s:.1f}s)")

    module = work / "partitioned_defs.py"
    module.write_text(PARTITIONED_DEFS, encoding="utf-8")
    home = work / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    os.environ.update({"DAGSTER_HOME": str(home), "RAW_DIR": str(raw)})
    sys.path.insert(0, str(work))
    import dagster as dg
    from partitioned_defs import defs, document_observations

    keys = [d["source_id"] for d in docs[: args.partitions]]
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions("documents", keys)
    t0 = time.perf_counter()
    for key in keys:
        result = dg.materialize([document_observations], partition_key=key, instance=instance)
        assert result.success
    in_process_s = time.perf_counter() - t0
    print(f"partition runs, in-process     {in_process_s / len(keys):7.3f} s/document "
          f"({in_process_s:.1f}s)")
    del defs

    launched = keys[: args.launched]
    t0 = time.perf_counter()
    for key in launched:
        subprocess.run(
            [str(Path(sys.executable).with_name("dagster")), "asset", "materialize",
             "-f", str(module), "--select", "document_observations", "--partition", key],
            check=True, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    launched_s = time.perf_counter() - t0
    print(f"partition runs, launched       {launched_s / len(launched):7.3f} s/document "
          f"({launched_s:.1f}s for {len(launched)})")
    serial = serial_s / len(docs)
    print(f"Dagster's cost per document-partition run: {in_process_s / len(keys) - serial:.3f}s "
          f"in-process, {launched_s / len(launched) - serial:.3f}s launched")
    per_10k = {
        "pool": pool_s / len(docs) * 10_000,
        "partition runs launched 2 at a time": launched_s / len(launched) * 10_000 / 2,
    }
    print("extrapolated to 10,000 documents of this size: " + ", ".join(
        f"{k} {v / 60:.0f} min" for k, v in per_10k.items()))
    instance.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
