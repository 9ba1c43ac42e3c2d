"""The warehouse file and the only safe way to change it.

The published DuckDB file is never written in place. A writer takes an exclusive
lock, copies the published file to a build file next to it, writes there (DuckDB in
this process, or dbt in a subprocess), and only when everything succeeded swaps the
build file in with an atomic ``os.replace``. Consequences:

* a failed or killed run leaves the previous published file untouched;
* readers (notebooks, the scorer, the UI) holding read-only connections never block
  a refresh and never see a half-written state: they keep reading the file they
  opened until they reconnect;
* two writers never interleave: the second waits for the lock, then fails with a
  clear message if it cannot get it in time;
* no process ever holds a write connection on the published file, so dbt (which
  writes its own build copy) and Dagster never contend for it.

The lock is an ``flock`` on ``<warehouse>.lock``; the operating system releases it
when its process dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)


class WarehouseBusyError(RuntimeError):
    """Another process is writing the warehouse and did not finish in time."""


class Warehouse:
    """A published DuckDB warehouse file plus its writer lock and build area."""

    def __init__(self, path: Path | str, lock_timeout_s: float = 900.0) -> None:
        self.path = Path(path).resolve()
        self.lock_timeout_s = lock_timeout_s

    # -- reading ---------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return self.path.exists()

    def connect_read_only(self) -> duckdb.DuckDBPyConnection:
        """Open the published warehouse read-only (raises if it was never built)."""
        if not self.path.exists():
            raise FileNotFoundError(
                f"warehouse {self.path} does not exist yet: run the pipeline first (make run)"
            )
        return duckdb.connect(str(self.path), read_only=True)

    # -- writing ---------------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def build_dir(self) -> Path:
        return self.path.parent / ".build"

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the exclusive writer lock, waiting up to ``lock_timeout_s`` for it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.lock_timeout_s
            waited = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not waited:
                        log.info("warehouse %s is being written by %s; waiting",
                                 self.path, _read_holder(self.lock_path))
                        waited = True
                    if time.monotonic() >= deadline:
                        raise WarehouseBusyError(
                            f"warehouse {self.path} is locked by another writer "
                            f"({_read_holder(self.lock_path)}) for more than "
                            f"{self.lock_timeout_s:.0f}s; nothing was changed"
                        ) from None
                    time.sleep(0.2)
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}\n".encode())
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def staged_build(self, label: str) -> Iterator[Path]:
        """Yield a private copy of the warehouse; publish it atomically on success.

        The caller writes the yielded path (and must close every connection to it
        before the block ends). If the block raises, the copy is discarded and the
        published file is untouched.
        """
        with self.writer_lock():
            self._remove_stale_builds()
            self.build_dir.mkdir(parents=True, exist_ok=True)
            # A stable name (we hold the lock, so it is ours alone): dbt sees the same
            # profile on every run and can reuse its partial parse.
            build = self.build_dir / f"{self.path.stem}.{label}.build.duckdb"
            if self.path.exists():
                shutil.copy2(self.path, build)
                wal = self.path.with_name(self.path.name + ".wal")
                if wal.exists():
                    shutil.copy2(wal, build.with_name(build.name + ".wal"))
            try:
                yield build
                _checkpoint(build)
                _fsync(build)
                os.replace(build, self.path)
                _fsync(self.path.parent)
                log.info("published %s (%s)", self.path, label)
            finally:
                for leftover in (build, build.with_name(build.name + ".wal")):
                    leftover.unlink(missing_ok=True)

    def _remove_stale_builds(self) -> None:
        """Builds left by killed writers (we hold the lock, so none is live)."""
        if not self.build_dir.exists():
            return
        for stale in self.build_dir.glob(f"{self.path.stem}.*"):
            log.warning("removing build file left by an interrupted run: %s", stale)
            stale.unlink(missing_ok=True)


def _read_holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text().strip() or "unknown process"
    except OSError:
        return "unknown process"


def _checkpoint(path: Path) -> None:
    """Fold any write-ahead log into the file so the single file is complete."""
    con = duckdb.connect(str(path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{path}: write-ahead log still present after checkpoint")


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
