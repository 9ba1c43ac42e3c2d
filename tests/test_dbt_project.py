"""The dbt project, end to end, on a small synthetic landing schema.

A temporary warehouse gets the landing tables (``ensure_landing_schema``) filled with the
rows of ``tests/fixtures/landing_sample.py``; the real ``dbt build`` (seeds, models, data
tests) runs on it once for the session (``sample_warehouse``, shared with the notebook
tests), and the tests read the marts with DuckDB. A
second build on a deliberately broken copy checks that the contract tests stop it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, run_dbt
from tests.fixtures.landing_sample import (
    NEWS,
    NEWS_EARLY,
    OFFICIAL,
    sample_rows,
    write_landing,
)

CATALOGUE = ROOT / "orchestration" / "extraction" / "data" / "catalogue" / "indicators.csv"
# The client's catalogue (../shared/spec/indicators.csv), vendored: its codes are fixed.
SPEC_CATALOGUE = ROOT / "tests" / "fixtures" / "spec" / "indicators.csv"
# Named like the orchestrator's build copies (<stem>.<label>.build.duckdb).
WAREHOUSE_NAME = "provstats.pytest.build.duckdb"


@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    """The sample landing schema built by the real ``dbt build`` (once per session)."""
    return sample_warehouse


@pytest.fixture(scope="module")
def con(warehouse):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def rows(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def one(con, sql: str, params=()) -> dict:
    found = rows(con, sql, params)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ contract tables
def test_contract_tables_expose_the_required_columns(con):
    required = {
        "fct_indicator": [
            "observation_id", "source_id", "span_start", "span_end", "indicator_code",
            "geo_code", "period_code", "base_period_code", "measure", "value", "value_low",
            "value_high", "qualifier", "unit", "status", "quote",
        ],
        "dim_period": ["period_code", "grain", "start_date", "end_date", "label_vi", "label_en"],
        "dim_indicator": ["indicator_code", "name_vi", "name_en", "category", "unit"],
        "dim_source": ["source_id", "text", "published_date", "title", "content_sha256"],
    }
    for table, columns in required.items():
        present = {
            r["column_name"]
            for r in rows(con, "select column_name from information_schema.columns "
                               "where table_schema = 'marts' and table_name = ?", [table])
        }
        assert set(columns) <= present, (table, set(columns) - present)


CONTRACT_TABLES = ("fct_indicator", "dim_period", "dim_indicator", "dim_source")


def test_every_column_declares_its_type_and_contract_tables_are_enforced(con, dbt_manifest):
    """Column types shown in the Dagster UI come from the YAML `data_type`s: every column
    of every model declares one, equal to the type DuckDB built; the four contract tables
    of the observation contract (section 2) are dbt contracts, so a type or column that
    drifts fails the build."""
    manifest = json.loads(dbt_manifest.read_text())
    built = {
        (r["table_name"], r["column_name"]): r["data_type"].lower()
        for r in rows(con, "select table_name, column_name, data_type "
                           "from information_schema.columns")
    }
    models = [n for n in manifest["nodes"].values()
              if n["resource_type"] == "model" and n["package_name"] == "provstats"]
    assert len(models) >= 17
    for node in models:
        columns = node["columns"]
        names = {r["column_name"] for r in rows(
            con, "select column_name from information_schema.columns where table_name = ?",
            [node["name"]])}
        assert set(columns) == names, (node["name"], set(columns) ^ names)
        for name, column in columns.items():
            assert column["data_type"], (node["name"], name)
            assert column["data_type"] == built[(node["name"], name)], (node["name"], name)
            assert column["description"], (node["name"], name)
        enforced = node["config"]["contract"]["enforced"]
        assert enforced is (node["name"] in CONTRACT_TABLES), node["name"]


def test_fct_indicator_keeps_every_landing_observation(con):
    landing = con.execute("select count(*) from landing.observations").fetchone()[0]
    fact = con.execute("select count(*) from marts.fct_indicator").fetchone()[0]
    assert fact == landing == len(sample_rows()["observations"])
    # the uncatalogued number is kept, with its evidence as JSON
    uncatalogued = one(con, "select mention, evidence->>'$.status_rule' as rule "
                            "from marts.fct_indicator where indicator_code is null")
    assert uncatalogued == {"mention": "1.200", "rule": "actual"}
    # spans index dim_source.text (Python slicing = contract definition)
    for r in rows(con, "select f.span_start, f.span_end, f.mention, s.text "
                       "from marts.fct_indicator f join marts.dim_source s using (source_id)"):
        assert r["text"][r["span_start"]:r["span_end"]] == r["mention"]


def test_dim_period_covers_every_period_and_base_period_of_the_fact(con):
    missing = rows(con, """
        select code from (
            select period_code as code from marts.fct_indicator
            union
            select base_period_code from marts.fct_indicator where base_period_code is not null
        ) used
        where code not in (select period_code from marts.dim_period)
    """)
    assert missing == []
    year_2025 = one(con, "select * from marts.dim_period where period_code = '2025'")
    assert (str(year_2025["start_date"]), str(year_2025["end_date"])) == (
        "2025-01-01", "2025-12-31")


def _spec_catalogue_rows(path: Path) -> list[list[str]]:
    # The spec file has one unquoted comma inside a cues_vi field (see seeds/_seeds.yml):
    # everything after the fifth field is the cues.
    with path.open(encoding="utf-8", newline="") as f:
        return [r[:5] + [",".join(r[5:])] for r in csv.reader(f)]


def test_catalogue_seed_keeps_every_spec_row_and_only_adds_codes():
    with (CATALOGUE).open(encoding="utf-8", newline="") as f:
        seed = list(csv.reader(f))
    spec = _spec_catalogue_rows(SPEC_CATALOGUE)
    assert seed[0] == spec[0]
    assert [r for r in seed if r[0] in {s[0] for s in spec}] == spec  # unchanged, same order
    assert len(set(r[0] for r in seed)) == len(seed)


def test_dim_indicator_has_every_catalogue_code_with_properties(con):
    with (CATALOGUE).open(encoding="utf-8", newline="") as f:
        codes = {r["code"] for r in csv.DictReader(f)}
    found = {
        r["indicator_code"]: r
        for r in rows(con, "select indicator_code, name_vi, name_en, direction, kind "
                           "from marts.dim_indicator")
    }
    assert codes <= set(found)
    assert all(found[c]["name_vi"] and found[c]["name_en"] for c in codes)
    assert all(found[c]["direction"] in ("higher_is_better", "lower_is_better") for c in codes)
    assert all(found[c]["kind"] in ("flow", "stock", "rate") for c in codes)
    assert found["poverty_rate"]["direction"] == "lower_is_better"


def test_dim_source_and_quarantined_files(con):
    sources = {r["source_id"]: r for r in rows(con, "select * from marts.dim_source")}
    assert sources[OFFICIAL]["published_date"] is None
    assert sources[OFFICIAL]["observation_count"] == sum(
        o["source_id"] == OFFICIAL for o in sample_rows()["observations"])
    assert sources[NEWS]["source_kind"] == "news"
    quarantined = rows(con, "select source_id, reason from marts.dim_quarantined_file")
    assert [r["source_id"] for r in quarantined] == ["013_scan.pdf"]


# -------------------------------------------------------------------- analyst marts
SERIES_SQL = """
    select * from marts.mart_indicator_series
    where indicator_code = ? and period_code = ? and measure = ? and status = ?
      and base_period_code is not distinct from ?
"""


def test_series_choice_prefers_the_latest_dated_publication(con):
    # 55.000 in the undated official report vs 56.200 in the news of 2026-01-05 (and in
    # an identical copy of it): the dated news wins, the copy counts as the same source.
    grdp = one(con, SERIES_SQL, ["grdp", "2025", "level", "actual", None])
    assert grdp["value"] == 56200.0
    assert grdp["source_id"] == NEWS
    assert str(grdp["published_date"]) == "2026-01-05"
    assert (grdp["n_observations"], grdp["n_sources"]) == (3, 2)
    assert (grdp["n_sources_agreeing"], grdp["n_sources_disagreeing"]) == (1, 1)
    assert grdp["is_preferred_status"] is True
    assert grdp["name_vi"] == "Tổng sản phẩm trên địa bàn (GRDP)"
    assert grdp["name_en"] == "Gross regional domestic product (GRDP)"
    assert (grdp["label_vi"], grdp["label_en"]) == ("năm 2025", "2025")


def test_series_choice_within_one_source_takes_the_earliest_span(con):
    # 6.000 and 6.010 triệu USD in the same report: earliest span chosen; figures are
    # compared as stated, so the report also disagrees with itself.
    trade = one(con, SERIES_SQL, ["trade_turnover", "2025", "level", "actual", None])
    assert trade["value"] == 6000.0
    assert (trade["n_observations"], trade["n_sources"]) == (2, 1)
    assert (trade["n_sources_agreeing"], trade["n_sources_disagreeing"]) == (1, 1)


def test_base_period_is_part_of_the_series_key(con):
    vs_2020 = one(con, SERIES_SQL, ["trade_turnover", "2025", "change_pct", "actual", "2020"])
    vs_2019 = one(con, SERIES_SQL, ["trade_turnover", "2025", "change_pct", "actual", "2019"])
    assert (vs_2020["value"], vs_2019["value"]) == (50.0, 80.0)
    assert vs_2020["base_period_label_vi"] == "năm 2020"
    duplicates = rows(con, """
        select indicator_code, geo_code, period_code, measure, status, base_period_code
        from marts.mart_indicator_series group by all having count(*) > 1
    """)
    assert duplicates == []


def test_preferred_status_is_actual_over_estimate_over_target(con):
    budget = rows(con, """
        select status, value, is_preferred_status from marts.mart_indicator_series
        where indicator_code = 'budget_revenue' and measure = 'level' order by status
    """)
    assert budget == [
        {"status": "actual", "value": 10200.0, "is_preferred_status": True},
        {"status": "estimate", "value": 10000.0, "is_preferred_status": False},
        {"status": "target", "value": 9000.0, "is_preferred_status": False},
    ]
    # every earlier vintage stays in the fact table
    assert con.execute(
        "select count(*) from marts.fct_indicator where indicator_code = 'grdp' "
        "and period_code = '2025' and measure = 'level'"
    ).fetchone()[0] == 3


def test_source_conflicts(con):
    conflicts = rows(con, "select * from marts.mart_source_conflicts "
                          "order by indicator_code")
    assert [(c["indicator_code"], c["same_source"]) for c in conflicts] == [
        ("grdp", False), ("new_enterprises", True), ("trade_turnover", True)]
    grdp, enterprises, trade = conflicts
    assert trade["relative_difference"] == pytest.approx(10.0 / 6010.0)
    assert {trade["mention_a"], trade["mention_b"]} == {"6.000 triệu USD", "6.010 triệu USD"}
    assert (trade["n_statements_a"], trade["n_statements_b"]) == (1, 1)
    assert {grdp["value_a"], grdp["value_b"]} == {55000.0, 56200.0}
    assert {grdp["source_id_a"], grdp["source_id_b"]} == {OFFICIAL, NEWS}
    # side a is the value the series shows (the dated news article's), b the other one
    chosen = {r["series_key"]: r["observation_id"] for r in rows(
        con, "select series_key, observation_id from marts.mart_indicator_series")}
    assert all(c["observation_id_a"] == chosen[c["series_key"]] for c in conflicts)
    assert (grdp["source_id_a"], grdp["value_a"], grdp["value_b"]) == (NEWS, 56200.0, 55000.0)
    assert grdp["n_sources_b"] == 1
    assert grdp["abs_difference"] == pytest.approx(1200.0)
    assert grdp["relative_difference"] == pytest.approx(1200.0 / 56200.0)
    assert grdp["name_en"] and grdp["label_vi"] == "năm 2025"
    assert enterprises["relative_difference"] == pytest.approx(30.0 / 480.0)
    assert {enterprises["quote_a"], enterprises["quote_b"]} == {
        "Thành lập mới 450 doanh nghiệp trong năm 2025.",
        "Trong năm 2025, toàn tỉnh có 480 doanh nghiệp thành lập mới.",
    }


def test_target_tracking_assessments(con):
    tracked = {
        (r["indicator_code"], r["measure"], r["target_period_code"]): r
        for r in rows(con, "select * from marts.mart_target_tracking")
    }
    assessments = {key: r["assessment"] for key, r in tracked.items()}
    assert assessments == {
        ("forest_cover", "level", "2025"): "met",        # "trên 65%" vs 65,2%
        ("budget_revenue", "level", "2025"): "met",      # 9.000 vs actual 10.200
        ("poverty_rate", "level", "2025"): "not_met",    # "dưới 5%" vs 5,5%
        ("grdp", "level", "2030"): "pending",
        ("grdp", "yoy_pct", "2026"): "pending",
        ("ocop_products", "level", "2025"): "no_data",
        # the share of agriculture is lower-is-better (seed measure_directions)
        ("grdp_agriculture", "share_pct", "2025"): "not_met",  # "19 - 20%" vs 20,28%
        ("grdp_agriculture", "share_pct", "2030"): "pending",  # "dưới 12,5%"
        # 12 "khu và cụm công nghiệp" and 1.500 ha do not measure "07 khu công nghiệp"
        ("industrial_zones", "level", "2030"): "no_data",
        ("paved_commune_roads_share", "level", "2030"): "pending",  # "trên 90%", 100% now
    }

    forest = tracked[("forest_cover", "level", "2025")]
    assert forest["gap"] == pytest.approx(0.2)
    assert (forest["target_label_vi"], forest["name_en"]) == ("năm 2025", "Forest cover rate")

    budget = tracked[("budget_revenue", "level", "2025")]
    assert (budget["comparable_status"], budget["comparable_value"]) == ("actual", 10200.0)
    assert budget["gap"] == pytest.approx(1200.0)
    assert budget["comparable_source_id"] == OFFICIAL

    poverty = tracked[("poverty_rate", "level", "2025")]
    assert poverty["gap"] == pytest.approx(0.5)

    grdp_2030 = tracked[("grdp", "level", "2030")]
    assert grdp_2030["comparable_value"] == 56200.0
    assert grdp_2030["comparable_period_code"] == "2025"
    assert grdp_2030["years_to_target"] == 5
    assert grdp_2030["required_cagr_pct"] == pytest.approx(
        ((100000.0 / 56200.0) ** (1 / 5) - 1) * 100)
    assert grdp_2030["required_cagr_pct"] == pytest.approx(12.2155, abs=1e-3)

    growth_2026 = tracked[("grdp", "yoy_pct", "2026")]
    assert growth_2026["required_cagr_pct"] is None       # not a level
    assert growth_2026["target_point"] == pytest.approx(10.5)  # the range's midpoint
    assert growth_2026["target_threshold"] == 10.0        # reached from 10 (higher is better)
    assert growth_2026["gap"] == pytest.approx(8.5 - 10.0)

    ocop = tracked[("ocop_products", "level", "2025")]
    assert ocop["comparable_observation_id"] is None and ocop["gap"] is None


def test_target_tracking_respects_lower_is_better_and_compares_like_with_like(con):
    tracked = {
        (r["indicator_code"], r["measure"], r["target_period_code"]): r
        for r in rows(con, "select * from marts.mart_target_tracking")
    }
    share_2025 = tracked[("grdp_agriculture", "share_pct", "2025")]
    assert share_2025["direction"] == "lower_is_better"          # measure override
    assert share_2025["target_direction"] == "lower_is_better"
    assert share_2025["target_threshold"] == 20.0                # the range's upper bound
    assert share_2025["is_on_target"] is False
    assert share_2025["attainment_pct"] == pytest.approx(20.0 / 20.28 * 100)

    share_2030 = tracked[("grdp_agriculture", "share_pct", "2030")]
    assert share_2030["target_direction"] == "lower_is_better"   # "dưới"
    assert share_2030["comparable_value"] == 20.28
    assert share_2030["attainment_pct"] == pytest.approx(61.637, abs=1e-3)  # not 162 %
    assert share_2030["gap"] == pytest.approx(20.28 - 12.5)     # still to go
    assert share_2030["required_cagr_pct"] is None              # a share, not a level

    zones = tracked[("industrial_zones", "level", "2030")]
    assert zones["target_mention"] == "07 khu công nghiệp"
    assert zones["comparable_observation_id"] is None
    assert zones["required_cagr_pct"] is None

    roads = tracked[("paved_commune_roads_share", "level", "2030")]
    assert roads["is_on_target"] is True
    assert roads["required_cagr_pct"] is None                   # no negative "growth"
    assert roads["attainment_pct"] == pytest.approx(100 / 90 * 100)

    poverty = tracked[("poverty_rate", "level", "2025")]            # "dưới 5%" vs 5,5%
    assert (poverty["target_direction"], poverty["is_on_target"]) == ("lower_is_better", False)
    assert poverty["attainment_pct"] == pytest.approx(5.0 / 5.5 * 100)


def test_estimate_from_an_unfinished_year_is_kept_as_its_own_series(con):
    estimate = one(con, SERIES_SQL, ["budget_revenue", "2025", "level", "estimate", None])
    assert estimate["source_id"] == NEWS_EARLY
    assert estimate["is_preferred_status"] is False


# -------------------------------------------------------------------- quality gate
@pytest.mark.integration  # starts a process
def test_unknown_measure_code_fails_the_build(tmp_path):
    broken = sample_rows()
    broken["observations"][0]["measure"] = "lvl"
    path = tmp_path / WAREHOUSE_NAME
    write_landing(path, broken)
    result = run_dbt("build", path, tmp_path)
    assert result.returncode != 0
    failures = [
        line for line in result.stdout.splitlines()
        if "FAIL" in line and "accepted_values_stg_landing__observations_measure" in line
    ]
    assert failures, result.stdout
    # the gate is where observations enter dbt: nothing is built from the bad rows
    for model in ("fct_indicator", "mart_indicator_series", "mart_target_tracking"):
        assert f"SKIP relation marts.{model} " in result.stdout, result.stdout


@pytest.mark.integration
@pytest.mark.parametrize(("column", "number"), [
    ("value", float("inf")), ("value", float("nan")), ("value_high", float("-inf")),
])
def test_a_value_that_is_not_finite_fails_the_build(tmp_path, column, number):
    broken = sample_rows()
    broken["observations"][0][column] = number
    path = tmp_path / WAREHOUSE_NAME
    write_landing(path, broken)
    result = run_dbt("build", path, tmp_path)
    assert result.returncode != 0
    failures = [line for line in result.stdout.splitlines()
                if "FAIL 1" in line and "fct_indicator_values_are_finite" in line]
    assert failures, result.stdout
    # the orchestrator publishes a build only when dbt succeeded: the marts stay as they were
    assert "ERROR=1 " in result.stdout, result.stdout



@pytest.mark.integration
@pytest.mark.parametrize(("column", "change", "failing_test"), [
    ("span_start", lambda start: start + 1, "assert_fct_indicator_spans_index_source_text"),
    ("evidence", lambda _: "{not json", "not_null_int_observations__joined_evidence"),
])
def test_a_shifted_span_or_broken_evidence_fails_the_build(tmp_path, column, change,
                                                           failing_test):
    """The span test and the evidence test read columns int_observations__joined computes
    once per inserted document (the text at the span, the parsed evidence): a row landed
    with a shifted span, or with evidence that is not JSON, still fails the build."""
    broken = sample_rows()
    broken["observations"][0][column] = change(broken["observations"][0][column])
    path = tmp_path / WAREHOUSE_NAME
    write_landing(path, broken)
    result = run_dbt("build", path, tmp_path)
    assert result.returncode != 0
    assert [line for line in result.stdout.splitlines()
            if " FAIL " in line and failing_test in line], result.stdout
