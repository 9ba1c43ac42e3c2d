"""Extract the raw folder straight into a scratch warehouse and score it against gold.

A developer's loop for extraction rules: no Dagster, no dbt, seconds per run. It writes
only the three tables the scorer reads (marts.fct_indicator, dim_period, dim_source).

    .venv/bin/python scripts/quick_eval.py [--raw raw] [--verbose]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from orchestration.extraction import EXTRACTOR_VERSION, extract_observations
from orchestration.ingest import scan_raw_folder

ROOT = Path(__file__).resolve().parent.parent


def build(raw: Path, path: Path) -> int:
    scan = scan_raw_folder(raw)
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.dim_source (source_id varchar, text varchar, "
        "published_date date, title varchar, content_sha256 varchar)"
    )
    con.execute(
        "create table marts.dim_period (period_code varchar, grain varchar, "
        "start_date date, end_date date, label_vi varchar, label_en varchar)"
    )
    rows, periods = [], {}
    for doc in scan.documents:
        con.execute(
            "insert into marts.dim_source values (?, ?, ?, ?, ?)",
            [doc.source_id, doc.text, doc.published_date, doc.title, doc.content_sha256],
        )
        for o in extract_observations(doc.text, published_date=doc.published_date, title=doc.title):
            rows.append(o.to_row(doc.source_id, doc.content_sha256, EXTRACTOR_VERSION))
            for per in (o.period, o.base_period):
                if per is not None:
                    periods[per.code] = per.to_row()
    con.executemany(
        "insert into marts.dim_period values (?, ?, ?, ?, ?, ?)",
        [tuple(r.values()) for r in periods.values()],
    )
    cols = list(rows[0])
    con.execute(
        "create table marts.fct_indicator as select * from (values "
        + ",".join(["(" + ",".join("?" * len(cols)) + ")"] * 0 or ["(null)"])
        + ") t(x) where false"
    )
    con.execute("drop table marts.fct_indicator")
    types = {
        "span_start": "integer",
        "span_end": "integer",
        "quote_start": "integer",
        "quote_end": "integer",
        "value": "double",
        "value_low": "double",
        "value_high": "double",
    }
    con.execute(
        "create table marts.fct_indicator ("
        + ", ".join(f"{c} {types.get(c, 'varchar')}" for c in cols)
        + ")"
    )
    con.executemany(
        f"insert into marts.fct_indicator values ({','.join('?' * len(cols))})",
        [tuple(r.values()) for r in rows],
    )
    con.close()
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT / "raw")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests/fixtures/gold/seeds.jsonl")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wh = Path(tmp) / "quick.duckdb"
        n = build(args.raw, wh)
        print(f"{n} observations extracted", file=sys.stderr)
        cmd = (
            [
                sys.executable,
                str(ROOT / "scripts/score_gold.py"),
                "--warehouse",
                str(wh),
                "--gold",
                str(args.gold),
            ]
            + (["--verbose"] if args.verbose else [])
            + (["--json", args.json] if args.json else [])
        )
        return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
