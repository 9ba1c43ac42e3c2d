"""Extract the raw folder straight into a scratch warehouse and score it against gold.

A developer's loop for extraction rules: no Dagster, no dbt, a few seconds per run.

    .venv/bin/python scripts/quick_eval.py [--raw raw] [--gold FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from orchestration.evaluation import SEED_GOLD, build_scoring_warehouse, score
from orchestration.settings import PROJECT_ROOT


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=PROJECT_ROOT / "raw")
    ap.add_argument("--gold", type=Path, action="append")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wh = Path(tmp) / "quick.duckdb"
        n = build_scoring_warehouse(args.raw, wh)
        print(f"{n} observations extracted from {args.raw}", file=sys.stderr)
        summary = score(wh, args.gold or [SEED_GOLD], verbose=True)
    return 0 if summary["strict_prf"]["f1"] > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
