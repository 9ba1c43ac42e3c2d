#!/usr/bin/env python3
"""How a refresh scales: 100 / 1,000 / 10,000 synthetic documents, per stage.

    .venv/bin/python scripts/bench_scale.py [--sizes 100,1000,10000] [--seed 20251130]
                                            [--work DIR] [--keep] [--markdown FILE]
    .venv/bin/python scripts/bench_scale.py generate --count N --out DIR [--seed S]

For each size the script generates a corpus (deterministic: the same seed gives the same
bytes) from the development set (``../shared/dev/docs``, when present) and the seeds
(``raw/``): every copy has its digits, years and provinces changed, so every document is
new to the extractor and its hash is unique. Then, into a throw-away warehouse and Dagster
home, it runs the real command line three times — a full refresh (``refresh --full``), a
refresh with nothing changed, and a refresh after one new document — and a bare
``dbt build --full-refresh`` of the same project on a copy of the warehouse, and prints:

* per stage — start-up (process start to the run's start), ingest (raw-folder scan and
  landing write), extraction, landing (writing observations), dbt, checks and the rest —
  wall and CPU seconds (CPU includes the stage's child processes: extraction workers, dbt);
* the peak resident memory of the largest process and of the whole process tree;
* the warehouse file size after each refresh;
* the ratio of the full refresh to the bare ``dbt build``.

Stage figures come from the ``stage <name>: …s wall, …s CPU`` lines the assets log (see
``orchestration/defs/stage_timing.py``); with an older pipeline that does not log them the
steps' durations are shown instead. Nothing asserts: this prints figures (``make
bench-scale``). The project's own raw folder, warehouse and Dagster instance are never
touched. Expect about 20 minutes for all three sizes on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "raw"
DEV_DIR = Path(os.environ.get("PROVSTATS_DEV_DOCS", ROOT.parent / "shared" / "dev" / "docs"))
DEFAULT_SEED = 20251130
DOCS_PER_FOLDER = 200

# ------------------------------------------------------------------------ the corpus

#: Province names used to vary places (a subset of ISO 3166-2:VN, with their diacritics).
PROVINCES = (
    "Lạng Sơn", "Cao Bằng", "Hà Giang", "Lào Cai", "Yên Bái", "Tuyên Quang", "Thái Nguyên",
    "Bắc Giang", "Bắc Kạn", "Quảng Ninh", "Phú Thọ", "Hòa Bình", "Sơn La", "Điện Biên",
    "Lai Châu", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Quảng Nam",
    "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Gia Lai", "Kon Tum", "Đắk Lắk",
    "Lâm Đồng", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long",
    "An Giang", "Kiên Giang", "Cà Mau", "Bạc Liêu", "Sóc Trăng", "Hải Dương", "Hưng Yên",
    "Thái Bình", "Nam Định", "Ninh Bình", "Vĩnh Phúc", "Bắc Ninh", "Hà Nam",
)
_PROVINCE = re.compile("|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True)))
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d.,]\d)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)+|\d{3,}")


def source_documents() -> list[tuple[str, str]]:
    """(name, text) of every development and seed document, in a fixed order."""
    found = []
    for folder in (DEV_DIR, SEEDS_DIR):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                found.append((path.stem, path.read_text(encoding="utf-8")))
    if not found:
        raise SystemExit(f"no source documents in {DEV_DIR} or {SEEDS_DIR}")
    return found


def vary(text: str, rng: random.Random) -> str:
    """A new document in the style of ``text``: years shifted by the same offset, other
    numbers with changed digits (same length and separators), provinces swapped."""
    shift = rng.choice((-4, -3, -2, -1, 1, 2, 3))
    places = dict(zip(PROVINCES, rng.sample(PROVINCES, len(PROVINCES)), strict=True))

    def number(match: re.Match[str]) -> str:
        token = match.group()
        if _YEAR.fullmatch(token):
            return str(int(token) + shift)
        digits = list(token)
        for i, ch in enumerate(digits):
            if i > 0 and ch.isdigit() and rng.random() < 0.6:
                digits[i] = str(rng.randrange(10))
        return "".join(digits)

    text = _YEAR.sub(lambda m: str(int(m.group()) + shift), text)
    text = _NUMBER.sub(number, text)
    return _PROVINCE.sub(lambda m: places[m.group()], text)


def document_path(out_dir: Path, index: int, stem: str) -> Path:
    return out_dir / f"lot_{index // DOCS_PER_FOLDER:03d}" / f"doc_{index:05d}_{stem[:24]}.txt"


def generate(count: int, out_dir: Path, seed: int = DEFAULT_SEED, *, start: int = 0) -> dict:
    """Write documents ``start`` .. ``count - 1`` into ``out_dir``; return a summary.

    Document ``i`` depends only on (seed, i), so a corpus of 100 is the first 100 of the
    corpus of 10,000, and "one new document" is simply document ``count``.
    """
    sources = source_documents()
    seen: set[str] = set()
    total = 0
    for index in range(start, count):
        rng = random.Random(f"{seed}:{index}")
        stem, text = sources[index % len(sources)]
        body = vary(text, rng)
        while hashlib.sha256(body.encode()).hexdigest() in seen:  # never a duplicate
            body = vary(text, rng)
        seen.add(hashlib.sha256(body.encode()).hexdigest())
        path = document_path(out_dir, index, stem)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = body.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return {"documents": count - start, "bytes": total, "sources": len(sources)}


def corpus(work: Path, count: int, seed: int) -> Path:
    """The raw folder of ``count`` documents (generated once per seed and size)."""
    raw = work / f"corpus-{count}" / "raw"
    marker = raw.parent / "generated.json"
    want = {"count": count, "seed": seed}
    if marker.exists() and json.loads(marker.read_text()) == want:
        return raw
    shutil.rmtree(raw.parent, ignore_errors=True)
    raw.mkdir(parents=True)
    t0 = time.perf_counter()
    summary = generate(count, raw, seed)
    print(f"  generated {count:,} documents ({summary['bytes'] / 1e6:.1f} MB) from "
          f"{summary['sources']} sources in {time.perf_counter() - t0:.1f}s", flush=True)
    marker.write_text(json.dumps(want))
    return raw


# ------------------------------------------------------------------------ measuring


def _tree_rss(root_pid: int) -> tuple[int, int]:
    """(total RSS of ``root_pid`` and its descendants, largest single RSS), bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        pid = int(proc.name)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total = largest = 0
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        pending.extend(children.get(pid, ()))
    return total, largest


@dataclass
class Measured:
    label: str
    wall_s: float
    cpu_s: float
    peak_rss: int  # largest single process (ru_maxrss of the waited-for tree)
    peak_tree_rss: int  # sampled sum over the process tree
    exit_code: int
    output: str
    started_at: float  # time.time() at Popen
    warehouse_bytes: int = 0
    stages: dict[str, tuple[float, float | None]] = field(default_factory=dict)


def run_measured(label: str, cmd: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run ``cmd``; sample the RSS of its process tree; return wall, CPU and memory."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
    started_at = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            text=True)
    peak_tree = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total, _ = _tree_rss(proc.pid)
            peak_tree[0] = max(peak_tree[0], total)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    return Measured(label, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
                    peak_tree[0], proc.returncode, log.read(), started_at)


_STAGE_LINE = re.compile(r"stage (?P<name>[\w-]+): (?P<wall>[\d.]+)s wall, (?P<cpu>[\d.]+)s CPU")


def stage_figures(dagster_home: Path, started_at: float) -> dict[str, tuple[float, float | None]]:
    """Per-stage (wall, CPU) of the latest run in ``dagster_home``; step durations when the
    pipeline logs no stage lines. ``startup`` is the process start to the run's start."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    instance = dg.DagsterInstance.get()
    try:
        records = instance.get_run_records(limit=1)
        if not records:
            return {}
        record = records[0]
        stages: dict[str, tuple[float, float | None]] = {}
        if record.start_time:
            stages["startup"] = (record.start_time - started_at, None)
        for entry in instance.all_logs(record.dagster_run.run_id):
            match = _STAGE_LINE.search(entry.user_message or "")
            if match:
                old_wall, old_cpu = stages.get(match["name"], (0.0, 0.0))
                stages[match["name"]] = (old_wall + float(match["wall"]),
                                         (old_cpu or 0.0) + float(match["cpu"]))
        steps = {s.step_key: (s.end_time or 0) - (s.start_time or 0)
                 for s in instance.get_run_step_stats(record.dagster_run.run_id)}
        named = {"raw_documents": "ingest", "observations": "observations",
                 "dbt_warehouse": "dbt"}
        if not any(k in stages for k in named.values()):
            for step, name in named.items():
                if step in steps:
                    stages[f"{name} (step)"] = (steps[step], None)
        checks = sum(t for k, t in steps.items() if k not in named)
        stages["checks"] = (checks, None)
        if record.end_time and record.start_time:
            stages["run (total)"] = (record.end_time - record.start_time, None)
        stages["events"] = (float(len(instance.all_logs(record.dagster_run.run_id))), None)
        return stages
    finally:
        instance.dispose()


def _fmt_bytes(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


@dataclass
class SizeResult:
    documents: int
    corpus_bytes: int
    runs: list[Measured]
    bare_dbt: Measured | None


def bench_size(count: int, work: Path, seed: int, python: str) -> SizeResult:
    print(f"\n== {count:,} documents ==", flush=True)
    raw = corpus(work, count, seed)
    corpus_bytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    run_dir = work / f"run-{count}"
    shutil.rmtree(run_dir, ignore_errors=True)
    (run_dir / "dagster_home").mkdir(parents=True)
    # the project's instance settings (telemetry off, one run at a time, ...)
    shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml",
                    run_dir / "dagster_home" / "dagster.yaml")
    warehouse = run_dir / "warehouse" / "provstats.duckdb"
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_PATH": str(warehouse),
           "DAGSTER_HOME": str(run_dir / "dagster_home"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    runs: list[Measured] = []
    new_doc: Path | None = None
    try:
        for label, args in (("full", ["--full"]), ("no change", []), ("one new doc", [])):
            if label == "one new doc":
                generate(count + 1, raw, seed, start=count)
                new_doc = next(raw.rglob(f"doc_{count:05d}_*"))
            m = run_measured(label, [python, "-m", "orchestration", "refresh",
                                     "--log-level", "WARNING", *args], env, ROOT)
            m.warehouse_bytes = warehouse.stat().st_size if warehouse.exists() else 0
            m.stages = stage_figures(run_dir / "dagster_home", m.started_at)
            runs.append(m)
            status = "ok" if m.exit_code == 0 else f"FAILED ({m.exit_code})"
            print(f"  {label:<12} {m.wall_s:8.1f}s wall {m.cpu_s:8.1f}s CPU  peak "
                  f"{_fmt_bytes(m.peak_rss)} (tree {_fmt_bytes(m.peak_tree_rss)})  warehouse "
                  f"{_fmt_bytes(m.warehouse_bytes)}  {status}", flush=True)
            if m.exit_code != 0:
                print(m.output[-3000:])
                break
    finally:
        if new_doc is not None:
            new_doc.unlink(missing_ok=True)  # keep the cached corpus at ``count``
    bare = None
    if runs and runs[0].exit_code == 0 and warehouse.exists():
        bare_copy = run_dir / "bare" / "provstats.duckdb"
        bare_copy.parent.mkdir(parents=True)
        shutil.copyfile(warehouse, bare_copy)
        dbt = str(Path(python).with_name("dbt"))
        bare = run_measured("bare dbt build", [
            dbt, "build", "--full-refresh", "--quiet",
            "--project-dir", str(ROOT / "dbt_project"), "--profiles-dir",
            str(ROOT / "dbt_project"), "--vars", json.dumps({"warehouse_path": str(bare_copy)}),
            "--target-path", str(run_dir / "bare" / "target"),
            "--log-path", str(run_dir / "bare" / "logs")], env, ROOT)
        print(f"  bare dbt build {bare.wall_s:6.1f}s wall {bare.cpu_s:8.1f}s CPU  peak "
              f"{_fmt_bytes(bare.peak_rss)}", flush=True)
    return SizeResult(count, corpus_bytes, runs, bare)


STAGE_ORDER = ("startup", "ingest", "extraction", "landing", "dbt", "ingest (step)",
               "observations (step)", "dbt (step)", "checks", "run (total)", "events")


def table(results: list[SizeResult]) -> str:
    lines = [
        "| documents (MB) | refresh | wall | CPU | peak RSS (largest / tree) | warehouse | "
        "stages: wall s (CPU s) | vs bare dbt build |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for m in res.runs:
            parts = []
            for name in STAGE_ORDER:
                if name in m.stages:
                    wall, cpu = m.stages[name]
                    if name == "events":
                        parts.append(f"{int(wall)} events")
                    else:
                        parts.append(f"{name} {wall:.1f}" + (f" ({cpu:.1f})" if cpu is not None
                                                              else ""))
            ratio = (f"{m.wall_s / res.bare_dbt.wall_s:.1f}× ({res.bare_dbt.wall_s:.0f}s)"
                     if res.bare_dbt and res.bare_dbt.wall_s > 0 else "–")
            lines.append(
                f"| {res.documents:,} ({res.corpus_bytes / 1e6:.0f}) | {m.label} | "
                f"{m.wall_s:.1f}s | {m.cpu_s:.1f}s | {_fmt_bytes(m.peak_rss)} / "
                f"{_fmt_bytes(m.peak_tree_rss)} | {_fmt_bytes(m.warehouse_bytes)} | "
                f"{'; '.join(parts)} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="only write a corpus")
    gen.add_argument("--count", type=int, required=True)
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated corpus sizes (default 100,1000,10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=None,
                        help="work folder (default: a temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="also write the table to this file")
    args = parser.parse_args()
    if args.command == "generate":
        summary = generate(args.count, args.out, args.seed)
        print(f"wrote {summary['documents']:,} documents, {summary['bytes'] / 1e6:.1f} MB, "
              f"to {args.out}")
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="provstats-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    print(f"bench-scale: sizes {sizes}, seed {args.seed}, work {work}, "
          f"{os.cpu_count()} cores", flush=True)
    # the refreshes build their dbt assets from target/manifest.json: make it current
    subprocess.run([str(Path(python).with_name("dbt")), "parse", "--quiet",
                    "--project-dir", str(ROOT / "dbt_project"),
                    "--profiles-dir", str(ROOT / "dbt_project")],
                   check=True, cwd=ROOT,
                   env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    results = []
    try:
        for count in sizes:
            results.append(bench_size(count, work, args.seed, python))
    finally:
        if results:
            text = table(results)
            print("\n" + text)
            if args.markdown:
                args.markdown.write_text(text + "\n", encoding="utf-8")
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(m.exit_code == 0 for r in results for m in r.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
