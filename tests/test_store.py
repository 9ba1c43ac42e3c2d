"""The warehouse store: copy-on-write builds, one copy per run, the previous file kept, an
unreadable file refused with the way out, free space checked, a failed copy removed.

Unit tests on real DuckDB files in a temporary folder (no Dagster, no dbt, no process).
"""

from __future__ import annotations

import errno
import shutil
from collections import namedtuple
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse import store
from orchestration.warehouse.store import (
    Warehouse,
    WarehouseSpaceError,
    WarehouseUnreadableError,
    end_run_build,
    pending_run_build,
    run_build,
)


def make_warehouse(path: Path, value: int = 1) -> Warehouse:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as x", [value])
    con.close()
    return Warehouse(path, lock_timeout_s=0)


def values(path: Path) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("select x from t order by x").fetchall()]
    finally:
        con.close()


def write(build: Path, value: int) -> None:
    con = duckdb.connect(str(build))
    con.execute("insert into t values (?)", [value])
    con.close()


def lock_is_free(wh: Warehouse) -> bool:
    try:
        with Warehouse(wh.path, lock_timeout_s=0).writer_lock():
            return True
    except store.WarehouseBusyError:
        return False


@pytest.fixture
def copies(monkeypatch) -> list[Path]:
    """Every file the store copies (the expensive part of a refresh)."""
    made: list[Path] = []
    real = shutil.copyfile

    def counting(src, dst, *args, **kwargs):
        made.append(Path(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(store.shutil, "copyfile", counting)
    return made


# ------------------------------------------------------------------ publishing


def test_publish_keeps_the_replaced_file_as_prev_without_copying_it(tmp_path, copies):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    inode_before = wh.path.stat().st_ino
    with wh.staged_build("test") as build:
        write(build, 2)
    assert values(wh.path) == [1, 2]
    assert values(wh.prev_path) == [1]
    assert wh.prev_path.stat().st_ino == inode_before  # a second name, not a copy
    assert copies == [wh.path]  # the build copy only
    with wh.staged_build("test") as build:
        write(build, 3)
    assert values(wh.prev_path) == [1, 2]
    assert lock_is_free(wh)


def test_a_reader_of_the_old_file_keeps_its_snapshot(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    reader = duckdb.connect(str(wh.path), read_only=True)
    try:
        with wh.staged_build("test") as build:
            write(build, 2)
        assert reader.execute("select count(*) from t").fetchone()[0] == 1
    finally:
        reader.close()
    assert values(wh.path) == [1, 2]


# ------------------------------------------------------------ one copy per run


def test_the_steps_of_a_run_share_one_build_and_one_copy(tmp_path, copies):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    first = run_build(wh, "run-1")
    write(first.path, 2)
    assert pending_run_build(wh, "run-1") is first
    assert not lock_is_free(wh)  # held between the steps
    second = run_build(wh, "run-1")  # a later step of the same run
    assert second is first
    write(second.path, 3)
    assert values(wh.path) == [1]  # nothing published before the run's last step
    assert end_run_build(wh, "run-1", publish=True)
    assert values(wh.path) == [1, 2, 3]
    assert copies == [wh.path]
    assert pending_run_build(wh, "run-1") is None
    assert lock_is_free(wh)
    assert not end_run_build(wh, "run-1", publish=True)  # nothing left to publish


def test_a_failed_run_publishes_nothing_and_releases_the_lock(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    build = run_build(wh, "run-1")
    write(build.path, 2)
    end_run_build(wh, "run-1", publish=False)
    assert values(wh.path) == [1]
    assert not build.path.exists()
    assert lock_is_free(wh)


def test_a_build_left_by_an_earlier_run_of_this_process_is_discarded(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    write(run_build(wh, "terminated-run").path, 99)
    fresh = run_build(wh, "next-run")
    assert values(fresh.path) == [1]  # a new copy of the published file
    end_run_build(wh, "next-run", publish=True)
    assert values(wh.path) == [1]
    assert lock_is_free(wh)


# -------------------------------------------------------------- damaged files


def damage(wh: Warehouse) -> None:
    wh.path.write_bytes(b"this is not a DuckDB file\n" * 1000)


def test_an_unreadable_warehouse_is_refused_with_the_way_out(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    with wh.staged_build("test") as build:  # leaves a .prev behind
        write(build, 2)
    damage(wh)
    with pytest.raises(WarehouseUnreadableError) as refused:
        wh.connect_read_only()
    message = str(refused.value)
    assert str(wh.path) in message and "cannot be opened" in message
    assert f"cp {wh.prev_path} {wh.path}" in message
    assert "make full-rebuild" in message and "Nothing was changed" in message
    with pytest.raises(WarehouseUnreadableError):
        wh.open_build()
    assert lock_is_free(wh)
    assert not wh.readable()


def test_without_a_previous_file_the_advice_is_the_full_rebuild(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    damage(wh)
    message = str(pytest.raises(WarehouseUnreadableError, wh.connect_read_only).value)
    assert "make full-rebuild" in message and ".prev" not in message


def test_a_full_rebuild_replaces_an_unreadable_file_and_keeps_prev(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    with wh.staged_build("test") as build:
        write(build, 2)
    damage(wh)
    damaged = wh.path.read_bytes()
    with wh.staged_build("rebuild", start_empty=True) as build:
        assert not build.exists()  # nothing was copied from the damaged file
        con = duckdb.connect(str(build))
        con.execute("create table t as select 7 as x")
        con.close()
    assert values(wh.path) == [7]
    assert wh.unreadable_path.read_bytes() == damaged  # kept aside for inspection
    assert values(wh.prev_path) == [1]  # the last good file is still there


def test_restoring_prev_gives_back_the_last_good_warehouse(tmp_path):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    with wh.staged_build("test") as build:
        write(build, 2)
    damage(wh)
    shutil.copyfile(wh.prev_path, wh.path)  # the advice of the error message
    assert values(wh.path) == [1]
    assert wh.readable()


# ------------------------------------------------------------------- disk space

Usage = namedtuple("Usage", "total used free")


def test_no_copy_without_free_space_for_it(tmp_path, monkeypatch):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    before = wh.path.read_bytes()
    monkeypatch.setattr(store.shutil, "disk_usage", lambda path: Usage(10**9, 10**9, 10))
    with pytest.raises(WarehouseSpaceError) as refused:
        wh.open_build()
    message = str(refused.value)
    assert "not enough free disk space" in message and "nothing was changed" in message
    assert not wh.build_path.exists()
    assert wh.path.read_bytes() == before
    assert lock_is_free(wh)


def test_a_copy_that_fills_the_disk_is_removed_at_once(tmp_path, monkeypatch):
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    before = wh.path.read_bytes()

    def disk_full(src, dst, *args, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:4096])  # a partial copy
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.shutil, "copyfile", disk_full)
    with pytest.raises(WarehouseSpaceError, match="the disk is full.*partial copy was removed"):
        run_build(wh, "run-1")
    assert not wh.build_path.exists()
    assert pending_run_build(wh, "run-1") is None
    assert wh.path.read_bytes() == before
    assert lock_is_free(wh)


# ------------------------------------------------------------------- compaction


def test_a_build_with_mostly_free_blocks_is_compacted_before_publication(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "COMPACT_MIN_FREE_BYTES", 0)
    path = tmp_path / "provstats.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table t as select md5(range::varchar) as x from range(100000)")
    con.execute("create table marts.big as select md5(range::varchar) || md5((-range)::varchar)"
                " as q from range(400000)")  # incompressible
    con.execute("create view marts.v as select count(*) as n from t")
    con.close()
    wh = Warehouse(path, lock_timeout_s=0)
    with wh.staged_build("rebuild") as build:
        con = duckdb.connect(str(build))
        con.execute("drop table marts.big")  # a full rebuild frees most blocks
        con.close()
    size_before = wh.prev_path.stat().st_size
    assert wh.path.stat().st_size < size_before / 2
    con = duckdb.connect(str(wh.path), read_only=True)
    try:
        assert con.execute("select n from marts.v").fetchone()[0] == 100000
        free = con.execute("pragma database_size").fetchone()[5]
        assert free <= 2
    finally:
        con.close()
    assert not list(wh.build_dir.glob("*.compact"))


def test_a_build_that_reuses_its_blocks_is_not_rewritten(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "COMPACT_MIN_FREE_BYTES", 0)
    wh = make_warehouse(tmp_path / "provstats.duckdb")
    compacted = []
    real = store._compact_if_sparse
    monkeypatch.setattr(store, "_compact_if_sparse",
                        lambda p: compacted.append(real(p)) or compacted[-1])
    with wh.staged_build("test") as build:
        write(build, 2)
    assert compacted == [False]
