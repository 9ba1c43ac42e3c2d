"""Regression: extraction quality on the hand-checked seed gold must not drop.

Measured with the client's scorer (``scripts/score_gold.py``, run in this process by
``scripts/eval.py``) on the five seed documents, extracted straight into a scoring
warehouse. The scorer now counts an indicator given to a number that no catalogued
indicator fits (an optional gold row without indicator) as spurious, and the extractor
was rewritten without the special cases that fixed single seed sentences, so the level
fell from 0.997 to the figures below.

The floors are the scores measured when they were set, rounded DOWN to two decimals,
minus 0.01: on 2026-11-30 strict F1 0.970 and detection F1 0.983 (fields: indicator
0.986, geo 1.000, measure 0.982, status 0.996, period 0.989, value 1.000, unit 0.993,
qualifier 0.996, base_period 1.000). Raise them when extraction improves; never lower
them to pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.evaluation import SEED_GOLD, build_scoring_warehouse
from orchestration.settings import PROJECT_ROOT
from tests.fixtures.gold_scoring import score

STRICT_F1_FLOOR = 0.96  # measured 0.970
DETECTION_F1_FLOOR = 0.97  # measured 0.983
FIELD_FLOORS = {  # measured on matched facts
    "indicator": 0.97,  # 0.986
    "geo": 0.99,  # 1.000
    "measure": 0.97,  # 0.982
    "status": 0.98,  # 0.996
    "period": 0.97,  # 0.989
    "value": 0.99,  # 1.000
    "unit": 0.98,  # 0.993
    "qualifier": 0.98,  # 0.996
    "base_period": 0.99,  # 1.000
}


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    wh = tmp_path_factory.mktemp("gold") / "seeds.duckdb"
    assert build_scoring_warehouse(PROJECT_ROOT / "raw", wh) > 0
    return score(wh, SEED_GOLD)


def test_strict_f1(summary: dict) -> None:
    assert summary["gold"] == 300
    assert summary["strict_prf"]["f1"] >= STRICT_F1_FLOOR, summary


def test_detection_f1(summary: dict) -> None:
    assert summary["detection"]["f1"] >= DETECTION_F1_FLOOR, summary


@pytest.mark.parametrize("field", sorted(FIELD_FLOORS))
def test_field_accuracy(summary: dict, field: str) -> None:
    assert summary["fields"][field] >= FIELD_FLOORS[field], summary["fields"]


def test_scorer_is_the_clients(tmp_path: Path) -> None:
    """The vendored scorer is byte-identical to the client's when the client's is at hand."""
    client = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"
    if not client.exists():
        pytest.skip("the client's shared folder is not next to this checkout")
    assert (PROJECT_ROOT / "scripts" / "score_gold.py").read_bytes() == client.read_bytes()
