"""Scoring extraction against hand-checked gold observations.

The scorer itself is the client's (``scripts/score_gold.py``, a vendored copy of
``shared/eval/score.py``); it reads ``marts.fct_indicator``, ``marts.dim_period`` and
``marts.dim_source`` of a DuckDB file. :func:`build_scoring_warehouse` writes just those
three tables straight from the raw folder (no Dagster, no dbt) so extraction rules can be
measured in seconds; the pipeline's real warehouse is scored the same way by ``make eval``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from .extraction import EXTRACTOR_VERSION, extract_observations
from .ingest import scan_raw_folder
from .settings import PROJECT_ROOT, default_geo

SCORER = PROJECT_ROOT / "scripts" / "score_gold.py"
SEED_GOLD = PROJECT_ROOT / "tests" / "fixtures" / "gold" / "seeds.jsonl"

_FCT_TYPES = {"span_start": "integer", "span_end": "integer", "quote_start": "integer",
              "quote_end": "integer", "value": "double", "value_low": "double",
              "value_high": "double"}


def build_scoring_warehouse(raw_dir: Path, path: Path) -> int:
    """Extract every document of ``raw_dir`` into the scorer's three tables at ``path``.

    Returns the number of observations written.
    """
    scan = scan_raw_folder(raw_dir)
    rows: list[dict] = []
    periods: dict[str, dict] = {}
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.dim_source (source_id varchar, text varchar, "
                    "published_date date, title varchar, content_sha256 varchar)")
        con.execute("create or replace table marts.dim_period (period_code varchar, "
                    "grain varchar, start_date date, end_date date, label_vi varchar, "
                    "label_en varchar)")
        for doc in scan.documents:
            con.execute("insert into marts.dim_source values (?, ?, ?, ?, ?)",
                        [doc.source_id, doc.text, doc.published_date, doc.title,
                         doc.content_sha256])
            if doc.duplicate_of:
                continue
            for o in extract_observations(doc.text, published_date=doc.published_date,
                                          title=doc.title, source_id=doc.source_id,
                                          default_geo=default_geo()):
                rows.append(o.to_row(doc.source_id, doc.content_sha256, EXTRACTOR_VERSION))
                for per in (o.period, o.base_period):
                    if per is not None:
                        periods[per.code] = per.to_row()
        con.executemany("insert into marts.dim_period values (?, ?, ?, ?, ?, ?)",
                        [tuple(r.values()) for r in periods.values()])
        columns = list(rows[0]) if rows else ["observation_id"]
        con.execute("create or replace table marts.fct_indicator (" + ", ".join(
            f"{c} {_FCT_TYPES.get(c, 'varchar')}" for c in columns) + ")")
        if rows:
            con.executemany(
                f"insert into marts.fct_indicator values ({', '.join('?' * len(columns))})",
                [tuple(r.values()) for r in rows])
    finally:
        con.close()
    return len(rows)


def score(warehouse: Path, gold: list[Path] | None = None, *, verbose: bool = False) -> dict:
    """Run the client's scorer on ``warehouse``; return its JSON summary.

    The scorer's report is printed to stdout when ``verbose``.
    """
    gold = gold or [SEED_GOLD]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "score.json"
        cmd = [sys.executable, str(SCORER), "--warehouse", str(warehouse), "--json", str(out)]
        for g in gold:
            cmd += ["--gold", str(g)]
        if verbose:
            cmd.append("--verbose")
        proc = subprocess.run(cmd, capture_output=not verbose, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"scorer failed on {warehouse}: {proc.stderr or proc.stdout}")
        return json.loads(out.read_text())
