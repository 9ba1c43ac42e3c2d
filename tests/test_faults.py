"""Faults during a refresh, with the real pipeline in real processes.

* a refresh killed (SIGKILL, no chance to clean up) while dbt writes: the published
  warehouse is byte-identical afterwards, no lock is left behind, and the next refresh
  completes and publishes the new state;
* two refreshes at once: the second waits for the first and then runs (default), or,
  with a short ``PROVSTATS_LOCK_TIMEOUT_S``, fails with a one-line reason and changes
  nothing;
* the writer lock itself: released by the operating system when its holder dies, and a
  stale build file from a killed writer is removed by the next one.

(A notebook's read-only connection during a refresh and a failing dbt model are covered
in tests/test_incremental.py and tests/test_pipeline_e2e.py.)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.store import Warehouse, WarehouseBusyError
from tests.conftest import ROOT, SUBPROCESS_TIMEOUT_S, PipelineEnv, SeededRun

NEW_DOCUMENT = (
    "Báo cáo nhanh tháng 10/2025\n\n"
    "Tổng thu ngân sách nhà nước trên địa bàn 10 tháng năm 2025 ước đạt 7.250 tỷ đồng, "
    "tăng 12,4% so với cùng kỳ năm trước.\n"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Refresh:
    """``python -m orchestration refresh`` running in its own process group.

    Its output goes to a file, not a pipe: two refreshes can run while the test waits on
    one of them, and a pipe nobody reads would stall the other once it filled up.
    """

    def __init__(self, env: PipelineEnv, *extra_env: tuple[str, str]) -> None:
        # lives as long as this object (the test that started the refresh)
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "orchestration", "refresh", "--log-level", "WARNING"],
            cwd=ROOT,
            env={**os.environ, **env.env_vars(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                 **dict(extra_env)},
            stdout=self.log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def kill(self) -> int:
        """SIGKILL the whole process group (dbt included); return the exit code."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        return self.proc.wait(timeout=60)

    def finish(self, timeout: float = SUBPROCESS_TIMEOUT_S) -> tuple[int, str]:
        """Wait for the refresh; fail the test (killing it) if it takes over ``timeout``."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"refresh did not finish in {timeout:.0f}s:\n{self.output()[-3000:]}")
        return code, self.output()


def _refresh(env: PipelineEnv) -> str:
    code, out = Refresh(env).finish()
    assert code == 0, f"refresh failed ({code}):\n{out[-3000:]}"
    return out


def _fact_rows(env: PipelineEnv, sql: str = "select count(*) from marts.fct_indicator") -> int:
    con = duckdb.connect(str(env.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _children_named(pid: int, needle: str) -> bool:
    """Whether a descendant process of ``pid`` has ``needle`` in its command line."""
    for proc_dir in Path("/proc").iterdir():
        if not proc_dir.name.isdigit():
            continue
        try:
            stat = (proc_dir / "stat").read_text()
            cmdline = (proc_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # field 5 of /proc/<pid>/stat is the process group
        pgid = int(stat.rsplit(")", 1)[1].split()[2])
        if pgid == pid and needle in cmdline and int(proc_dir.name) != pid:
            return True
    return False


@pytest.fixture(scope="module")
def seeded_warehouse(seeded: SeededRun) -> Path:
    """The seeds refreshed once (the session's real pipeline run); each test starts from
    a copy of it."""
    path = seeded.env.warehouse_path
    assert not path.with_name(path.name + ".wal").exists()
    return path


@pytest.fixture
def built_env(pipeline_env: PipelineEnv, seeded_warehouse: Path) -> PipelineEnv:
    """A private copy of the seeds and of the warehouse refreshed from them.

    The warehouse holds no path of its raw folder (documents are known by file name and
    content hash), so a copy next to a copy of the same raw files is up to date.
    """
    pipeline_env.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded_warehouse, pipeline_env.warehouse_path)
    return pipeline_env


def test_refresh_killed_while_dbt_writes_keeps_the_published_file(built_env: PipelineEnv):
    env = built_env
    rows_before = _fact_rows(env)
    before = _sha256(env.warehouse_path)
    (env.raw_dir / "bao-cao-thang-10-2025.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    dbt_build = env.warehouse_path.parent / ".build" / "provstats.build.duckdb"

    refresh = Refresh(env)
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
    try:
        # kill once dbt is running on its build copy (the step that takes longest)
        while not (dbt_build.exists() and _children_named(refresh.pid, "dbt")):
            assert refresh.proc.poll() is None, (
                f"refresh ended before dbt started:\n{refresh.output()[-3000:]}")
            assert time.monotonic() < deadline, "dbt never started"
            time.sleep(0.05)
        # the landing steps wrote the new document into the run's build copy, which dbt
        # now writes too; nothing is published before dbt succeeds
        assert _sha256(env.warehouse_path) == before
        time.sleep(1.0)
    finally:
        code = refresh.kill()
    assert code == -signal.SIGKILL

    # the published file is byte for byte what it was before the run: the landing
    # tables and marts of the last good run, together
    assert _sha256(env.warehouse_path) == before
    assert _fact_rows(env) == rows_before
    assert _fact_rows(env, "select count(*) from landing.source_documents "
                           "where file_name = 'bao-cao-thang-10-2025.txt'") == 0
    # the lock died with its holder: a writer gets it at once
    with Warehouse(env.warehouse_path, lock_timeout_s=0).writer_lock():
        pass
    assert dbt_build.exists(), "the killed run's build copy should still be on disk here"

    out = _refresh(env)
    assert "succeeded" in out
    assert not dbt_build.exists(), "the next writer removes the stale build copy"
    added = _fact_rows(
        env,
        "select count(*) from marts.fct_indicator f join marts.dim_source s using (source_id) "
        "where s.file_name = 'bao-cao-thang-10-2025.txt'",
    )
    assert added >= 2, "the next run publishes the new document's observations"
    assert _fact_rows(env) == rows_before + added


def test_two_refreshes_at_once_run_one_after_the_other(built_env: PipelineEnv):
    env = built_env
    (env.raw_dir / "bao-cao-thang-10-2025.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    # however slow the machine, the waiting refresh must not give up on the lock
    patient = ("PROVSTATS_LOCK_TIMEOUT_S", str(2 * SUBPROCESS_TIMEOUT_S))
    first, second = Refresh(env, patient), Refresh(env, patient)
    (code_1, out_1), (code_2, out_2) = first.finish(), second.finish()
    assert code_1 == 0, out_1[-3000:]
    assert code_2 == 0, out_2[-3000:]
    # one consistent warehouse: every fact has its source and every source was read once
    con = duckdb.connect(str(env.warehouse_path), read_only=True)
    try:
        orphans = con.execute(
            "select count(*) from marts.fct_indicator f anti join marts.dim_source s "
            "using (source_id)").fetchone()[0]
        documents = con.execute("select count(*) from landing.source_documents").fetchone()[0]
        integrity = con.execute("pragma database_size").fetchall()
    finally:
        con.close()
    assert orphans == 0
    assert documents == len([p for p in env.raw_dir.iterdir() if p.is_file()])
    assert integrity


def test_a_refresh_that_cannot_get_the_lock_fails_cleanly(built_env: PipelineEnv):
    env = built_env
    before = _sha256(env.warehouse_path)
    (env.raw_dir / "bao-cao-thang-10-2025.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    with Warehouse(env.warehouse_path).writer_lock():  # another writer is busy
        code, out = Refresh(env, ("PROVSTATS_LOCK_TIMEOUT_S", "1")).finish()
    assert code == 1, out[-3000:]
    last = out.strip().splitlines()[-1]
    assert "locked by another writer" in last and "nothing was changed" in last, last
    assert _sha256(env.warehouse_path) == before


@pytest.mark.integration  # starts a process
def test_lock_held_by_a_killed_process_is_released(tmp_path: Path):
    warehouse = tmp_path / "wh.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from orchestration.warehouse.store import Warehouse\n"
         f"with Warehouse({str(warehouse)!r}).writer_lock():\n"
         "    print('locked', flush=True)\n"
         "    time.sleep(600)\n"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        busy = Warehouse(warehouse, lock_timeout_s=0.3)
        with pytest.raises(WarehouseBusyError, match=rf"pid {holder.pid}"), busy.writer_lock():
            pass
    finally:
        holder.kill()
        holder.wait()
    with Warehouse(warehouse, lock_timeout_s=0).writer_lock():
        pass


def test_failed_block_discards_the_build_and_keeps_the_published_file(tmp_path: Path):
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t as select 1 as x")
    con.close()
    before = _sha256(path)
    store = Warehouse(path)
    with pytest.raises(RuntimeError, match="boom"), store.staged_build("test") as build:
        con = duckdb.connect(str(build))
        con.execute("insert into t values (2)")
        con.close()
        raise RuntimeError("boom")
    assert _sha256(path) == before
    assert not list(store.build_dir.glob("*"))
    with store.staged_build("test") as build:
        con = duckdb.connect(str(build))
        con.execute("insert into t values (2)")
        con.close()
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("select sum(x) from t").fetchone()[0] == 3
    con.close()
