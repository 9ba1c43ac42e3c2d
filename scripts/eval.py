#!/usr/bin/env python3
"""Score extraction on the seeds and on the development set (``make eval``).

    .venv/bin/python scripts/eval.py [--set seeds|dev|all] [--warehouse PATH]
                                     [--verbose] [--json OUT]

Two gold sets are scored, each on its own:

* ``seeds`` — the five documents of ``raw/`` against ``tests/fixtures/gold/seeds.jsonl``;
* ``dev`` — the 36 documents of ``tests/fixtures/dev/docs`` against
  ``tests/fixtures/dev/gold.jsonl`` (a copy of the development set).

By default the documents are extracted straight into a scratch warehouse (like
``scripts/quick_eval.py``: no Dagster, no dbt, a few seconds). With ``--warehouse PATH``
a warehouse the pipeline built is scored instead (its ``marts`` tables; a set whose
documents it does not hold scores as all missed).

Scoring is the client's scorer (``scripts/score_gold.py``, run in this process); this
script only reads its report back and prints, for each set: per-document figures, field
accuracy on matched facts (indicator, geo, measure, status, period, value, unit,
qualifier, base_period), the errors by class (place, period, status, measure, indicator
or value wrong on a matched fact; missed; spurious; a duplicate on a matched fact;
not-an-indicator: an indicator given to a number no catalogued indicator fits) and
detection and strict F1. ``--verbose`` lists every problem line grouped by class.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import re
import runpy
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCORER = ROOT / "scripts" / "score_gold.py"


@dataclass(frozen=True)
class GoldSet:
    """A folder of documents and the gold observations annotated on them."""

    name: str
    docs: Path
    gold: Path


SETS = {
    "seeds": GoldSet("seeds", ROOT / "raw", ROOT / "tests" / "fixtures" / "gold" / "seeds.jsonl"),
    "dev": GoldSet("dev", ROOT / "tests" / "fixtures" / "dev" / "docs",
                   ROOT / "tests" / "fixtures" / "dev" / "gold.jsonl"),
}

#: the fields the scorer reports accuracy for, in its order
FIELDS = ("indicator", "geo", "measure", "status", "period", "value", "unit", "qualifier",
          "base_period")
#: a wrong field of a matched fact -> its error class (``geo`` is the place)
WRONG_CLASSES = {"geo": "place", "period": "period", "status": "status", "measure": "measure",
                 "indicator": "indicator", "value": "value"}
#: every error class, in the order printed
CLASSES = ("place", "period", "status", "measure", "indicator", "value", "missed",
           "spurious", "duplicate", "not_indicator", "unlocatable")
_SHORT = {"place": "place", "period": "period", "status": "status", "measure": "meas",
          "indicator": "indic", "value": "value", "missed": "missed", "spurious": "spur",
          "duplicate": "dup", "not_indicator": "notind", "unlocatable": "unloc"}

_WRONG_FIELD = re.compile(r"(?:: |, )(indicator|geo|measure|status|period|value): got ")
_DOC_ROW = re.compile(r"^(?P<doc>\S+)\s+(?P<gold>\d+)\s+(?P<pred>\d+)\s+(?P<match>\d+)\s+"
                      r"(?P<strict>\d+)\s+(?P<f1>[0-9.]+)$")


@dataclass
class Problem:
    """One line of the scorer's ``--verbose`` report."""

    doc: str
    kind: str  # wrong, missed, spurious, duplicate, not_indicator, unlocatable, absent
    classes: tuple[str, ...]  # the error classes it counts in
    line: str


@dataclass
class SetScore:
    """The scorer's figures for one gold set, read back from its report."""

    name: str
    summary: dict
    documents: dict[str, dict[str, float]]
    problems: list[Problem]
    report: str
    errors: collections.Counter = field(default_factory=collections.Counter)
    errors_by_doc: dict[str, collections.Counter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.problems:
            for c in p.classes:
                self.errors[c] += 1
                self.errors_by_doc.setdefault(p.doc, collections.Counter())[c] += 1

    @property
    def strict_f1(self) -> float:
        return self.summary["strict_prf"]["f1"]

    @property
    def detection_f1(self) -> float:
        return self.summary["detection"]["f1"]

    def to_json(self) -> dict:
        return {"summary": self.summary, "documents": self.documents,
                "errors": {c: self.errors[c] for c in CLASSES},
                "errors_by_document": {d: {c: n[c] for c in CLASSES if n[c]}
                                       for d, n in self.errors_by_doc.items()},
                "problems": [p.line for p in self.problems]}


def run_scorer(warehouse: Path, gold: Path) -> tuple[dict, str]:
    """Run the client's scorer on ``warehouse`` in this process: its JSON summary and its
    verbose report (problem lines, per-document table, summary lines)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "score.json"
        argv = [str(SCORER), "--warehouse", str(warehouse), "--gold", str(gold), "--verbose",
                "--json", str(out)]
        buffer = io.StringIO()
        saved = sys.argv
        try:
            sys.argv = argv
            with contextlib.redirect_stdout(buffer):
                runpy.run_path(str(SCORER), run_name="__main__")
        except SystemExit as exc:  # argparse errors
            raise RuntimeError(f"scorer failed on {warehouse}: {buffer.getvalue()}") from exc
        finally:
            sys.argv = saved
        if not out.exists():
            raise RuntimeError(f"scorer wrote no summary for {warehouse}: {buffer.getvalue()}")
        return json.loads(out.read_text(encoding="utf-8")), buffer.getvalue()


def classify(line: str) -> Problem | None:
    """The problem a scorer report line states, or ``None`` for other lines."""
    doc, sep, rest = line.partition(": ")
    if not sep or not doc.strip() or " " in doc:
        return None
    if rest.startswith("wrong "):
        classes = tuple(WRONG_CLASSES[f] for f in _WRONG_FIELD.findall(rest))
        return Problem(doc, "wrong", classes, line)
    for prefix, kind in (("missed ", "missed"), ("spurious ", "spurious"),
                         ("duplicate prediction ", "duplicate"),
                         ("not an indicator ", "not_indicator"),
                         ("gold context not found", "unlocatable"),
                         ("not in marts.dim_source", "missed")):
        if rest.startswith(prefix):
            return Problem(doc, kind, (kind,), line)
    return None


def parse_report(report: str) -> tuple[dict[str, dict[str, float]], list[Problem]]:
    """Per-document rows and problem lines of the scorer's verbose report."""
    documents: dict[str, dict[str, float]] = {}
    problems: list[Problem] = []
    in_table = False
    for line in report.splitlines():
        if line.startswith("document ") and line.split()[1:] == ["gold", "pred", "match",
                                                                 "strict", "F1"]:
            in_table = True
            continue
        if in_table:
            m = _DOC_ROW.match(line.strip())
            if m:
                documents[m["doc"]] = {k: (float(m[k]) if k == "f1" else int(m[k]))
                                       for k in ("gold", "pred", "match", "strict", "f1")}
                continue
            in_table = False
        p = classify(line)
        if p is not None:
            problems.append(p)
    # a document the warehouse does not hold counts all its required facts as missed
    for p in problems:
        if "not in marts.dim_source" in p.line:
            m = re.search(r"\((\d+) gold facts missed\)", p.line)
            p.classes = ("missed",) * int(m.group(1)) if m else ("missed",)
    return documents, problems


def score_set(gold_set: GoldSet, warehouse: Path | None = None) -> SetScore:
    """Score one gold set: on ``warehouse`` if given, else extracting its documents now."""
    if warehouse is not None:
        summary, report = run_scorer(warehouse, gold_set.gold)
    else:
        from orchestration.evaluation import build_scoring_warehouse

        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp) / f"{gold_set.name}.duckdb"
            build_scoring_warehouse(gold_set.docs, scratch)
            summary, report = run_scorer(scratch, gold_set.gold)
    documents, problems = parse_report(report)
    return SetScore(gold_set.name, summary, documents, problems, report)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def print_set(score: SetScore, gold_set: GoldSet, source: str, verbose: bool,
              out: io.TextIOBase) -> None:
    """The figures of one set, as text."""
    s = score.summary
    w = max([len("document"), *(len(d) for d in score.documents)])
    shown = [c for c in CLASSES if c != "unlocatable" or score.errors[c]]
    print(f"== {gold_set.name}: {len(score.documents)} documents ({_rel(gold_set.docs)}), "
          f"gold {_rel(gold_set.gold)}, {source}", file=out)
    if verbose:
        by_kind: dict[str, list[str]] = collections.defaultdict(list)
        for p in score.problems:
            by_kind[p.kind].append(p.line)
        for kind in ("wrong", "missed", "spurious", "duplicate", "not_indicator",
                     "unlocatable"):
            if by_kind.get(kind):
                print(f"-- {kind} ({len(by_kind[kind])})", file=out)
                for line in by_kind[kind]:
                    print("   " + line, file=out)
    head = (f"{'document':<{w}} {'gold':>5} {'pred':>5} {'match':>5} {'strict':>6} {'F1':>6} "
            + " ".join(f"{_SHORT[c]:>6}" for c in shown))
    print(head, file=out)
    for doc, row in score.documents.items():
        errs = score.errors_by_doc.get(doc, collections.Counter())
        print(f"{doc:<{w}} {row['gold']:>5} {row['pred']:>5} {row['match']:>5} "
              f"{row['strict']:>6} {row['f1']:>6.3f} "
              + " ".join(f"{errs[c]:>6}" for c in shown), file=out)
    print(f"{'total':<{w}} {s['gold']:>5} {s['pred']:>5} {s['matched']:>5} {s['strict']:>6} "
          f"{score.strict_f1:>6.3f} " + " ".join(f"{score.errors[c]:>6}" for c in shown),
          file=out)
    print(f"field accuracy on {s['matched']} matched facts: "
          + "  ".join(f"{f} {s['fields'][f]:.3f}" for f in FIELDS), file=out)
    wrong = sum(1 for p in score.problems if p.kind == "wrong")
    print(f"errors: {wrong} matched facts with wrong fields ("
          + ", ".join(f"{c} {score.errors[c]}" for c in CLASSES[:6])
          + f"); missed {score.errors['missed']}; spurious {score.errors['spurious']}; "
          f"duplicate {score.errors['duplicate']}; not-an-indicator "
          f"{score.errors['not_indicator']}"
          + (f"; gold not locatable {score.errors['unlocatable']}"
             if score.errors["unlocatable"] else ""), file=out)
    d, st = s["detection"], s["strict_prf"]
    print(f"detection P {d['p']:.3f} R {d['r']:.3f} F1 {d['f1']:.3f}   "
          f"strict P {st['p']:.3f} R {st['r']:.3f} F1 {st['f1']:.3f}", file=out)
    print(file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["all", *SETS], default="all",
                    help="which gold set to score (default: both)")
    ap.add_argument("--warehouse", type=Path,
                    help="score this built warehouse instead of extracting the documents")
    ap.add_argument("--verbose", action="store_true",
                    help="list every problem line, grouped by error class")
    ap.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = ap.parse_args(argv)
    if args.warehouse is not None and not args.warehouse.is_file():
        print(f"eval: no warehouse at {args.warehouse}", file=sys.stderr)
        return 2
    from orchestration.extraction import EXTRACTOR_VERSION

    source = (f"warehouse {args.warehouse}" if args.warehouse is not None
              else f"straight from extraction (extractor {EXTRACTOR_VERSION})")
    names = list(SETS) if args.set == "all" else [args.set]
    scores = {}
    for name in names:
        scores[name] = score_set(SETS[name], args.warehouse)
        print_set(scores[name], SETS[name], source, args.verbose, sys.stdout)
    print("summary: " + "   ".join(
        f"{n} strict F1 {s.strict_f1:.3f} detection F1 {s.detection_f1:.3f}"
        for n, s in scores.items()))
    if args.json is not None:
        args.json.write_text(json.dumps({n: s.to_json() for n, s in scores.items()}, indent=2,
                                        ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
