"""Every observation the extractor gives for the client's documents uses the codes of
the warehouse's codelists (the dbt project's vars), so no refresh is refused for a code
the extractor made up."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.extraction import extract_observations
from orchestration.ingest import scan_raw_folder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def codelists() -> dict[str, set[str]]:
    project = yaml.safe_load((ROOT / "dbt_project" / "dbt_project.yml").read_text("utf-8"))
    return {k: set(v) for k, v in project["vars"].items() if isinstance(v, list)}


@pytest.fixture(scope="module")
def observations():
    scan = scan_raw_folder(ROOT / "raw")
    out = []
    for doc in scan.documents:
        out += extract_observations(
            doc.text, published_date=doc.published_date, source_id=doc.source_id
        )
    assert out
    return out


def test_units_measures_statuses_and_qualifiers_are_codes_of_the_warehouse(codelists, observations):
    assert {o.unit for o in observations} <= codelists["unit_codes"]
    assert {o.measure for o in observations} <= codelists["measure_codes"]
    assert {o.status for o in observations} <= codelists["status_codes"]
    assert {o.qualifier for o in observations} <= codelists["qualifier_codes"]


def test_a_number_without_indicator_or_unit_is_not_an_observation():
    obs = extract_observations(
        "Năm 2024, tỉnh Hậu Giang đã hoàn thành 12 trong tổng số 15 công trình; tổng vốn "
        "đầu tư toàn xã hội đạt 21.300 tỷ đồng.",
        published_date="2025-01-20",
    )
    assert [o.mention for o in obs] == ["21.300 tỷ đồng"]
