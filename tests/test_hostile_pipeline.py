"""Hostile and odd raw input through the real pipeline (issue 11, points 1 and 7).

* A symbolic link in the raw folder leading to a file outside it (holding a marker
  string) is quarantined and its content is nowhere in the warehouse: no text column of
  any table, not even the bytes of the file. A link to a document inside the raw folder
  is read. A document first loaded as a regular file, then replaced by a link leading
  out, is retracted by the next refresh: its text leaves ``landing.source_documents`` and
  ``marts.dim_source``, its observations leave ``marts.fct_indicator``.
* Files the scan skips are listed in the ``raw_documents`` materialisation.
* A warehouse inside the raw folder fails the run with one line naming both paths,
  before anything is read or written.

Real Dagster (in-process), real extractor, real dbt, a private raw folder, warehouse and
Dagster home per test (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import (
    PipelineEnv,
    metadata_of,
    pipeline_env_context,
    step_failure_messages,
)

pytestmark = pytest.mark.slow

SECRET_MARKER = "TOP-SECRET-9b27d1-never-in-the-warehouse"
OUTSIDE_REASON = "is a symbolic link to a path outside the raw folder (not read)"
KEPT_SEEDS = 2  # fewer documents, same code paths: a quicker refresh


def all_text_containing(env: PipelineEnv, needle: str) -> list[str]:
    """``schema.table.column`` of every text column of the warehouse holding ``needle``."""
    columns = env.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON') and table_catalog = current_database()"
    )
    assert len(columns) > 20  # landing, staging, marts: the search covers them all
    found = []
    for c in columns:
        name = f'"{c["table_schema"]}"."{c["table_name"]}"."{c["column_name"]}"'
        hits = env.scalar(
            f'select count(*) from "{c["table_schema"]}"."{c["table_name"]}" '
            f'where contains(cast("{c["column_name"]}" as varchar), ?)', [needle])
        if hits:
            found.append(name)
    return found


@pytest.fixture(scope="module")
def linked_env(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[PipelineEnv, Path]]:
    root = tmp_path_factory.mktemp("links")
    secret = root / "outside" / "shadow"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET_MARKER}\nroot:$6$salt$hash:19000:0:99999:7:::\n",
                      encoding="utf-8")
    with pipeline_env_context(root) as env:
        for extra in sorted(env.raw_dir.iterdir())[KEPT_SEEDS:]:
            extra.unlink()
        yield env, secret


def test_links_out_are_quarantined_links_in_are_read_and_a_swapped_document_is_retracted(
    defs: dg.Definitions, linked_env: tuple[PipelineEnv, Path]
) -> None:
    env, secret = linked_env
    seeds = sorted(p.name for p in env.raw_dir.iterdir())
    victim = seeds[0]
    (env.raw_dir / "shadow.txt").symlink_to(secret)
    (env.raw_dir / "alias.txt").symlink_to(seeds[1])

    # first refresh: the link out is quarantined unread, the link in is a document
    first = env.run(defs)
    assert first.success, step_failure_messages(first)
    assert env.query("select file_name, reason, content_sha256, byte_size "
                     "from marts.dim_quarantined_file") == [
        {"file_name": "shadow.txt", "reason": OUTSIDE_REASON, "content_sha256": None,
         "byte_size": None}]
    assert env.scalar("select duplicate_of from marts.dim_source where source_id = ?",
                      ["alias.txt"]) == seeds[1]
    victim_text = env.scalar("select text from marts.dim_source where source_id = ?", [victim])
    assert victim_text and env.scalar(
        "select count(*) from marts.fct_indicator where source_id = ?", [victim]) > 0
    assert all_text_containing(env, SECRET_MARKER) == []
    assert SECRET_MARKER.encode() not in env.warehouse_path.read_bytes()
    quarantine_listed = metadata_of(first, "raw_documents")["quarantined_files"]
    assert "shadow.txt" in quarantine_listed and SECRET_MARKER not in quarantine_listed

    # the loaded document is replaced by a link leading out: retracted on the next refresh
    (env.raw_dir / victim).unlink()
    (env.raw_dir / victim).symlink_to(secret)
    second = env.run(defs)
    assert second.success, step_failure_messages(second)
    for table in ("landing.source_documents", "marts.dim_source"):
        assert env.scalar(f"select count(*) from {table} where source_id = ?", [victim]) == 0
    assert env.scalar("select count(*) from marts.fct_indicator where source_id = ?",
                      [victim]) == 0
    assert env.scalar("select count(*) from landing.observations where source_id = ?",
                      [victim]) == 0
    probe = victim_text[len(victim_text) // 2:][:60]  # a stretch of its body
    assert all_text_containing(env, probe) == []  # its text is gone from every table
    quarantined = {r["file_name"]: r["reason"] for r in env.query(
        "select file_name, reason from marts.dim_quarantined_file")}
    assert quarantined == {"shadow.txt": OUTSIDE_REASON, victim: OUTSIDE_REASON}
    assert all_text_containing(env, SECRET_MARKER) == []


def test_skipped_files_are_listed_in_the_raw_documents_materialisation(
    defs: dg.Definitions, pipeline_env: PipelineEnv
) -> None:
    for name in ("..txt", "...", ".notes.txt"):
        (pipeline_env.raw_dir / name).write_text("Ghi chú 12%.\n", encoding="utf-8")
    result = pipeline_env.run(defs, assets=["raw_documents"])
    assert result.success, step_failure_messages(result)
    meta = metadata_of(result, "raw_documents")
    assert meta["skipped_count"] == 3
    for name in ("..txt", "...", ".notes.txt"):
        assert f"| {name} | hidden: the name starts with '.' |" in meta["skipped_files"]
    assert meta["documents_read"] == 5 and meta["quarantined_count"] == 0


def test_a_warehouse_inside_the_raw_folder_fails_the_run_before_anything_is_written(
    defs: dg.Definitions, pipeline_env: PipelineEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = pipeline_env.raw_dir / "warehouse" / "provstats.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(inside))
    before = sorted(p.relative_to(pipeline_env.raw_dir) for p in pipeline_env.raw_dir.rglob("*"))
    for assets in (["raw_documents"], ["observations"]):
        result = pipeline_env.run(defs, assets=assets)
        assert not result.success
        [message] = step_failure_messages(result)
        first_line = message.strip().splitlines()[0]
        assert f"WAREHOUSE_PATH {inside}" in first_line, message
        assert f"RAW_DIR {pipeline_env.raw_dir}" in first_line, message
    after = sorted(p.relative_to(pipeline_env.raw_dir) for p in pipeline_env.raw_dir.rglob("*"))
    assert after == before and not inside.exists()
