"""A refresh costs what changed: one warehouse copy per run at most, published whole; no
dbt build when nothing changed; the fact table incremental by document; extraction
within per-document budgets; a damaged warehouse refused with the way out, and rebuilt.

Real Dagster runs in-process on a private raw folder and a copy of the session's seeded
warehouse (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration import cli, extraction
from orchestration.defs import assets_ingest
from orchestration.warehouse import store
from tests.conftest import (
    ROOT,
    PipelineEnv,
    SeededRun,
    copy_warehouse,
    metadata_of,
    step_failure_messages,
)

INGEST = ["raw_documents", "observations"]
NEW_DOCUMENT = (
    "Báo cáo nhanh tháng 9/2024\n\n"
    "Tổng thu ngân sách nhà nước trên địa bàn 9 tháng năm 2024 ước đạt 6.180 tỷ đồng, "
    "tăng 7,9% so với cùng kỳ năm trước.\n"
)
FCT_SQL = "select * from marts.fct_indicator order by observation_id"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(pipeline_env: PipelineEnv, seeded: SeededRun) -> PipelineEnv:
    """A copy of the seeds and of the warehouse refreshed from them."""
    copy_warehouse(seeded.env.warehouse_path, pipeline_env.warehouse_path)
    return pipeline_env


@pytest.fixture
def copies(monkeypatch) -> list[Path]:
    """Every warehouse copy the store makes during the test."""
    made: list[Path] = []
    real = shutil.copyfile

    def counting(src, dst, *args, **kwargs):
        if Path(src).suffix == ".duckdb":  # not dbt's partial-parse files
            made.append(Path(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(store.shutil, "copyfile", counting)
    return made


def unit_test_results(target_dir: Path) -> dict[str, str]:
    """The dbt unit tests a build ran (``run_results.json`` in its target folder)."""
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    return {r["unique_id"]: r["status"] for r in results
            if r["unique_id"].startswith("unit_test.")}


def run(env: PipelineEnv, defs, job: str = "refresh_warehouse", **kwargs):
    result = env.run(defs, job, **kwargs)
    assert result.success, step_failure_messages(result)
    return result


# ------------------------------------------------------------------ no change, no work


def test_a_refresh_with_nothing_new_copies_builds_and_publishes_nothing(built, defs, copies):
    run(built, defs)  # the copy's first refresh reads the files once (no scan cache yet)
    before = built.file_state()
    copies.clear()
    instance = dg.DagsterInstance.ephemeral()
    result = run(built, defs, instance=instance)
    assert copies == []
    assert built.file_state() == before  # same inode, mtime and size: no growth
    assert metadata_of(result, "raw_documents")["documents_reused_unread"] == 5
    dbt_events = [m for m in result.get_asset_materialization_events()
                  if m.asset_key.path[0] in ("marts", "staging", "intermediate")]
    assert dbt_events == []  # no dbt build
    assert not [e for e in result.all_events if e.is_step_failure]
    messages = [e.user_message or "" for e in instance.all_logs(result.run_id)]
    assert any("dbt build skipped" in m for m in messages)
    assert not any("did not yield or return expected outputs" in m for m in messages)
    # a dbt test that did not pass at the last build is reported again, not hidden
    warned = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert "not_null_fct_indicator_base_period_code" in warned


# -------------------------------------------------------------- one copy, published whole


def test_one_new_document_costs_one_copy_and_an_incremental_fact_build(
        built, defs, copies, tmp_path):
    fct_before = {r["observation_id"]: r for r in built.query(FCT_SQL)}
    (built.raw_dir / "bao-cao-9-thang-2024.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    result = run(built, defs)
    assert copies == [built.warehouse_path]  # one copy for the three writing steps
    fct_after = {r["observation_id"]: r for r in built.query(FCT_SQL)}
    added = {k: v for k, v in fct_after.items() if k not in fct_before}
    assert added and {r["source_id"] for r in added.values()} == {"bao-cao-9-thang-2024.txt"}
    assert {k: fct_after[k] for k in fct_before} == fct_before  # old rows untouched
    # the observation rows were built incrementally: only the documents the table lacked
    run_dirs = sorted((ROOT / "dbt_project" / "target").glob(f"dbt_warehouse-{result.run_id[:7]}*"))
    compiled = next(run_dirs[-1].glob("compiled/**/int_observations__joined.sql")).read_text()
    assert "not exists" in compiled  # is_incremental(): the documents the table lacks
    assert built.warehouse_path.with_name("provstats.duckdb.prev").exists()
    # dbt unit tests (fixed input rows) do not run again for new data
    assert unit_test_results(run_dirs[-1]) == {}

    # the incremental table equals a full rebuild of the same landing tables
    (built.raw_dir / "000_ea925d20ca7bc08d.txt").unlink()  # and a removed document
    run(built, defs)
    incremental = built.query(FCT_SQL)
    assert not [r for r in incremental if r["source_id"] == "000_ea925d20ca7bc08d.txt"]
    rebuilt = run(built, defs, "full_rebuild")
    rebuild_dir = sorted((ROOT / "dbt_project" / "target").glob(
        f"dbt_warehouse-{rebuilt.run_id[:7]}*"))[-1]
    unit_tests = unit_test_results(rebuild_dir)  # ... but in a full rebuild, they do
    assert unit_tests and set(unit_tests.values()) == {"pass"}, unit_tests
    assert built.query(FCT_SQL) == [
        {**r, "extracted_at": f["extracted_at"]}
        for r, f in zip(incremental, built.query(FCT_SQL), strict=True)]


MART_SQL = {
    "mart_indicator_series": "select * from marts.mart_indicator_series order by all",
    "mart_source_conflicts": "select * from marts.mart_source_conflicts order by all",
    "mart_target_tracking": "select * from marts.mart_target_tracking order by all",
}
#: a budget target, a restated and a contradicting figure of a series the seeds have, and
#: a new place: families changed, added and untouched at once
MART_DOCUMENT = (
    "Kết quả kinh tế - xã hội năm 2024\n\n"
    "Tổng thu ngân sách nhà nước trên địa bàn tỉnh Lạng Sơn năm 2024 đạt 7.950 tỷ đồng; "
    "mục tiêu năm 2025 thu ngân sách đạt 8.600 tỷ đồng. Tốc độ tăng trưởng kinh tế "
    "(GRDP) năm 2024 ước đạt 6,8%.\n\n"
    "Tỉnh Cao Bằng: tổng thu ngân sách nhà nước trên địa bàn năm 2024 đạt 2.410 tỷ đồng.\n"
)


def test_marts_built_incrementally_equal_a_full_build(built, defs):
    """The analyst marts recompute only the families (indicator x place) whose
    observations changed: after documents are added, changed and removed, their rows
    equal those of a full rebuild of the same documents."""
    run(built, defs)  # the copy's marts and their family records, as a refresh leaves them
    before = {name: built.query(sql) for name, sql in MART_SQL.items()}
    (built.raw_dir / "ket-qua-2024.txt").write_text(MART_DOCUMENT, encoding="utf-8")
    changed = built.raw_dir / "001_e8a006e20b8fe092.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("10.783,1", "10.873,1"),
                       encoding="utf-8")
    (built.raw_dir / "003_0950de0db56b533f.txt").unlink()
    result = run(built, defs)
    incremental = {name: built.query(sql) for name, sql in MART_SQL.items()}
    assert incremental != before
    # the build read only the changed families (compiled SQL of the incremental models)
    run_dir = sorted((ROOT / "dbt_project" / "target").glob(
        f"dbt_warehouse-{result.run_id[:7]}*"))[-1]
    for name in MART_SQL:
        compiled = next(run_dir.glob(f"compiled/**/{name}.sql")).read_text()
        assert "build_state" in compiled and "family_version" in compiled, name
    recorded = built.scalar("select count(*) from build_state.mart_target_tracking__families")
    assert recorded == built.scalar("select count(*) from intermediate.int_observation_families")

    run(built, defs, "full_rebuild")
    for name, sql in MART_SQL.items():
        assert built.query(sql) == incremental[name], name


def test_a_run_failing_after_the_landing_step_publishes_nothing(built, defs, monkeypatch):
    before = sha256(built.warehouse_path)
    (built.raw_dir / "bao-cao-9-thang-2024.txt").write_text(NEW_DOCUMENT, encoding="utf-8")

    def broken_plan(*args, **kwargs):
        raise RuntimeError("planning failed")

    monkeypatch.setattr(assets_ingest, "_plan", broken_plan)
    result = built.run(defs, "refresh_warehouse")
    assert not result.success
    # raw_documents wrote the new file into the run's build: discarded with the run
    assert sha256(built.warehouse_path) == before
    assert built.scalar("select count(*) from landing.source_documents where source_id = ?",
                        ["bao-cao-9-thang-2024.txt"]) == 0
    assert [p for p in (built.warehouse_path.parent / ".build").glob("*") if p.is_file()] == []
    with store.Warehouse(built.warehouse_path, lock_timeout_s=0).writer_lock():
        pass  # released


# ------------------------------------------------------------------ extraction budgets


def test_documents_over_their_budgets_are_reported_and_the_others_extracted(
        pipeline_env, defs, monkeypatch):
    sizes = {p.name: p.stat().st_size for p in pipeline_env.raw_dir.iterdir()}
    biggest = max(sizes, key=sizes.get)  # the only seed over 50,000 characters
    slow = "001_e8a006e20b8fe092.txt"
    monkeypatch.setenv("PROVSTATS_EXTRACT_MAX_CHARS", "50000")
    monkeypatch.setenv("PROVSTATS_EXTRACT_TIMEOUT_S", "1")
    monkeypatch.setenv("PROVSTATS_EXTRACT_WORKERS", "1")  # the slow fake lives here
    real = extraction.extract_observations

    def slow_on_one(text, **kwargs):
        if kwargs.get("source_id") == slow:
            time.sleep(60)
        return real(text, **kwargs)

    monkeypatch.setattr(extraction, "extract_observations", slow_on_one)
    started = time.monotonic()
    result = run(pipeline_env, defs, assets=INGEST)
    assert time.monotonic() - started < 60
    check = next(e for e in result.get_asset_check_evaluations()
                 if e.check_name == "extraction_errors")
    assert check.passed is False
    errors = check.metadata["errors"].value
    assert f"| {biggest} | over the size budget: " in errors
    assert "characters, more than PROVSTATS_EXTRACT_MAX_CHARS=50,000; not extracted" in errors
    assert f"| {slow} | over the time budget: extraction took more than 1s" in errors
    assert metadata_of(result, "observations")["documents_failed"] == 2
    extracted = {r["source_id"] for r in pipeline_env.query(
        "select source_id from landing.extraction_state")}
    assert extracted == set(sizes) - {biggest, slow}

    # they are tried again by the next refresh, which writes nothing when they fail again
    before = pipeline_env.file_state()
    again = run(pipeline_env, defs, assets=INGEST)
    meta = metadata_of(again, "observations")
    assert meta["documents_failed"] == 2 and meta["warehouse_written"] is False
    assert "extraction failed for 2 documents" in meta["summary"]
    assert pipeline_env.file_state() == before


# ------------------------------------------------------------- a damaged warehouse


def test_a_damaged_warehouse_is_refused_then_rebuilt_by_the_full_rebuild(
        built, defs, monkeypatch, capsys):
    good = built.query(FCT_SQL)
    shutil.copyfile(built.warehouse_path, built.warehouse_path.with_name("provstats.duckdb.prev"))
    built.warehouse_path.write_bytes(b"\0" * 65536)  # e.g. a disk that filled up

    assert cli.main(["refresh"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "cannot be opened" in last and "make full-rebuild" in last
    assert f"cp {built.warehouse_path}.prev {built.warehouse_path}" in last

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["refresh", "--full"]) == 0, out.getvalue()[-3000:]
    assert built.query(FCT_SQL) == [
        {**r, "extracted_at": f["extracted_at"]}
        for r, f in zip(good, built.query(FCT_SQL), strict=True)]
    assert built.warehouse_path.with_name("provstats.duckdb.unreadable").read_bytes() == (
        b"\0" * 65536)
