"""``make eval`` (``scripts/eval.py``): the figures it prints are the scorer's, read back
right: per document, per field and per error class, for the seeds and the development
set, from extraction or from a built warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.evaluation import build_scoring_warehouse
from tests.fixtures.gold_scoring import ROOT, eval_script

ev = eval_script()


def test_a_wrong_line_counts_one_error_per_wrong_field() -> None:
    line = ("d99_gia-lai.txt: wrong '1.250,5 tỷ đồng': geo: got 'VN-30' want 'VN-14', "
            "period: got '2024-01-01..2024-06-30' want '2024-01-01..2024-12-31', "
            "value: got (1.0, 2.5) want (1.0, 3.0)")
    p = ev.classify(line)
    assert (p.doc, p.kind, p.classes) == ("d99_gia-lai.txt", "wrong", ("place", "period", "value"))


@pytest.mark.parametrize(("line", "kind"), [
    ("d98.txt: missed '58,3%' (budget_revenue pct_of_plan 2024-01-01..2024-06-30) in 'bằng "
     "58,3% dự toán'", "missed"),
    ("d98.txt: spurious '12 xã' -> new_rural_communes level 2024 12.0", "spurious"),
    ("d98.txt: duplicate prediction '6,1%' grdp", "duplicate"),
    ("d98.txt: not an indicator '16 doanh nghiệp' -> new_enterprises level 2024 16.0",
     "not_indicator"),
    ("d98.txt: gold context not found in stored text: 'tăng 5%'", "unlocatable"),
])
def test_every_problem_line_has_its_class(line: str, kind: str) -> None:
    p = ev.classify(line)
    assert (p.doc, p.kind, p.classes) == ("d98.txt", kind, (kind,))


@pytest.mark.parametrize("line", [
    "", "field accuracy on matched: indicator 0.978  geo 1.000",
    "detection P 0.979 R 0.920 F1 0.948",
    "strict F1 0.911 (P 0.940 R 0.883) on 300 gold facts, 282 predicted",
    "spurious: 6 predictions match no required row (6 of them give an indicator to a number)",
])
def test_summary_lines_are_not_problems(line: str) -> None:
    assert ev.classify(line) is None


def test_a_document_missing_from_the_warehouse_counts_all_its_facts_missed() -> None:
    report = ("d07.txt: not in marts.dim_source (29 gold facts missed)\n\n"
              "document                            gold  pred  match strict     F1\n"
              "d07.txt                               29     0      0      0  0.000\n")
    documents, problems = ev.parse_report(report)
    assert documents == {"d07.txt": {"gold": 29, "pred": 0, "match": 0, "strict": 0,
                                     "f1": 0.0}}
    assert problems[0].classes == ("missed",) * 29


@pytest.fixture(scope="module")
def seeds_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wh = tmp_path_factory.mktemp("eval") / "seeds.duckdb"
    build_scoring_warehouse(ROOT / "raw", wh)
    return wh


def test_figures_add_up_to_the_scorers_summary(seeds_warehouse: Path) -> None:
    s = ev.score_set(ev.SETS["seeds"], seeds_warehouse)
    summary = s.summary
    assert set(s.documents) == {p.name for p in (ROOT / "raw").glob("*.txt")}
    assert sum(r["gold"] for r in s.documents.values()) == summary["gold"]
    assert sum(r["strict"] for r in s.documents.values()) == summary["strict"]
    assert s.errors["missed"] == summary["gold"] - summary["matched"]
    assert (s.errors["spurious"] + s.errors["duplicate"] + s.errors["not_indicator"]
            == summary["pred"] - summary["matched"])
    assert s.errors["not_indicator"] == summary["not_indicator"]
    wrong = [p for p in s.problems if p.kind == "wrong"]
    assert len(wrong) == summary["matched"] - summary["strict"]
    for field, cls in ev.WRONG_CLASSES.items():  # accuracy = 1 - wrong / matched
        assert s.errors[cls] == round((1 - summary["fields"][field]) * summary["matched"])


def test_main_prints_both_sets_and_writes_json(seeds_warehouse: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval.json"
    assert ev.main(["--warehouse", str(seeds_warehouse), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "== seeds: 5 documents" in printed and "== dev: 36 documents" in printed
    assert "field accuracy on" in printed and "base_period" in printed
    assert "errors:" in printed and "not-an-indicator" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    # a warehouse built from the seeds holds no development document: all missed
    assert figures["dev"]["summary"]["matched"] == 0
    assert figures["dev"]["errors"]["missed"] == 894
    assert figures["seeds"]["summary"]["matched"] > 0
    last = printed.strip().splitlines()[-1]
    assert last.startswith("summary: seeds strict F1 ") and " dev strict F1 0.000" in last


def test_main_refuses_a_missing_warehouse(tmp_path: Path) -> None:
    assert ev.main(["--warehouse", str(tmp_path / "none.duckdb")]) == 2
