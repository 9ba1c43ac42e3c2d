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

**One copy per run.** A refresh copies the warehouse at most once: the first step that
has something to write opens a :class:`Build` (lock + copy), the later steps of the same
run write the same build file, and the run's last writing step publishes it (see
:func:`run_build`). Landing tables and marts are therefore published together: a reader
never sees new landing rows next to marts built from the old ones.

**The previous file is kept.** Publishing hard-links the file it replaces to
``<warehouse>.prev`` (no copy; readers that had it open keep reading it), so a published
file that was damaged afterwards (a full disk, a bad copy, a failing drive) can be
restored with ``cp <warehouse>.prev <warehouse>``. A file that cannot be opened makes every
writer fail with :class:`WarehouseUnreadableError`, whose message says exactly that, or
``make full-rebuild``: a full rebuild (``start_empty=True``) does not copy an unreadable
file, rebuilds from the raw folder and moves the damaged file aside to
``<warehouse>.unreadable`` when it publishes.

**Space.** Before copying, the free space of the warehouse's file system is checked
(:data:`SPACE_FACTOR` × the file plus :data:`SPACE_MARGIN_BYTES`); a copy that fails (a disk
that filled up meanwhile) is removed at once, the lock released and the published file
left as it was.

The lock is an ``flock`` on ``<warehouse>.lock``; the operating system releases it
when its process dies, so a killed run never leaves a stale lock behind (its build file
is removed by the next writer).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

#: Free space required before a build copy: this many times the published file (the copy
#: itself, plus room for what the refresh writes) ...
SPACE_FACTOR = 1.25
#: ... plus this many bytes.
SPACE_MARGIN_BYTES = 64 * 1024 * 1024
#: DuckDB never shrinks a file: blocks freed by rebuilt tables are reused later but stay in
#: the file. A build with more than this share of free blocks — and at least
#: COMPACT_MIN_FREE_BYTES of them — is rewritten compactly before it is published (after a
#: full rebuild, typically; a refresh that changes little reuses its free blocks).
COMPACT_FREE_SHARE = 0.4
COMPACT_MIN_FREE_BYTES = 64 * 1024 * 1024


class WarehouseBusyError(RuntimeError):
    """Another process is writing the warehouse and did not finish in time."""


class WarehouseUnreadableError(RuntimeError):
    """The published warehouse file exists but DuckDB cannot open it."""


class WarehouseSpaceError(RuntimeError):
    """Not enough free disk space to copy the warehouse (nothing was changed)."""


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"  # pragma: no cover


class Warehouse:
    """A published DuckDB warehouse file plus its writer lock and build area."""

    def __init__(self, path: Path | str, lock_timeout_s: float = 900.0) -> None:
        self.path = Path(path).resolve()
        self.lock_timeout_s = lock_timeout_s

    # -- paths -----------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return self.path.exists()

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def prev_path(self) -> Path:
        """The file the last publication replaced (the previous good warehouse)."""
        return self.path.with_name(self.path.name + ".prev")

    @property
    def unreadable_path(self) -> Path:
        """Where a full rebuild moves a published file that could not be opened."""
        return self.path.with_name(self.path.name + ".unreadable")

    @property
    def build_dir(self) -> Path:
        return self.path.parent / ".build"

    @property
    def build_path(self) -> Path:
        """The one build file. A stable name (the lock makes it ours alone): dbt sees the
        same profile on every run and can reuse its partial parse."""
        return self.build_dir / f"{self.path.stem}.build.duckdb"

    # -- reading ---------------------------------------------------------------------
    def connect_read_only(self) -> duckdb.DuckDBPyConnection:
        """Open the published warehouse read-only.

        Raises FileNotFoundError if it was never built, :class:`WarehouseUnreadableError`
        (saying how to recover) if DuckDB cannot open it.
        """
        if not self.path.exists():
            raise FileNotFoundError(
                f"warehouse {self.path} does not exist yet: run the pipeline first (make run)"
            )
        return self._open_checked(self.path)

    def _open_checked(self, path: Path) -> duckdb.DuckDBPyConnection:
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise WarehouseUnreadableError(self.unreadable_message(exc)) from exc
        try:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        except duckdb.Error as exc:
            con.close()
            raise WarehouseUnreadableError(self.unreadable_message(exc)) from exc
        return con

    def readable(self) -> bool:
        """Whether the published file exists and DuckDB can open it."""
        try:
            self.connect_read_only().close()
        except (FileNotFoundError, WarehouseUnreadableError):
            return False
        return True

    def unreadable_message(self, error: BaseException) -> str:
        """One paragraph: what failed, and the two ways out."""
        reason = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        advice = []
        if self.prev_path.exists():
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.prev_path.stat().st_mtime))
            advice.append(
                f"restore the previous good file with `cp {self.prev_path} {self.path}` "
                f"(published before the last refresh, {when})"
            )
        advice.append(
            "rebuild it from the raw folder with `make full-rebuild` "
            "(python -m orchestration refresh --full)"
        )
        return (f"warehouse {self.path} cannot be opened ({reason}). Nothing was changed. "
                f"To recover, {' or '.join(advice)}.")

    # -- the lock --------------------------------------------------------------------
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

    # -- writing ---------------------------------------------------------------------
    def open_build(self, *, start_empty: bool = False) -> Build:
        """Take the lock and make the build file; the caller must publish or discard it.

        The build is a copy of the published file, or an empty file when there is none
        yet — or when ``start_empty`` and the published file cannot be opened (a full
        rebuild replaces a damaged warehouse). Raises :class:`WarehouseUnreadableError`
        if the published file cannot be opened and ``start_empty`` is False,
        :class:`WarehouseSpaceError` if the disk has no room for the copy.
        """
        stack = contextlib.ExitStack()
        stack.enter_context(self.writer_lock())
        try:
            self._remove_stale_builds()
            self.build_dir.mkdir(parents=True, exist_ok=True)
            replaces_unreadable = False
            if self.path.exists():
                try:
                    self._open_checked(self.path).close()
                except WarehouseUnreadableError:
                    if not start_empty:
                        raise
                    replaces_unreadable = True
                    log.warning("warehouse %s cannot be opened: rebuilding it from scratch",
                                self.path)
            if self.path.exists() and not replaces_unreadable:
                self._copy_published()
            return Build(self, stack, replaces_unreadable=replaces_unreadable)
        except BaseException:
            stack.close()
            raise

    def _copy_published(self) -> None:
        sources = [(self.path, self.build_path)]
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():
            sources.append((wal, self.build_path.with_name(self.build_path.name + ".wal")))
        needed = int(sum(s.stat().st_size for s, _ in sources) * SPACE_FACTOR
                     + SPACE_MARGIN_BYTES)
        free = shutil.disk_usage(self.build_dir).free
        if free < needed:
            raise WarehouseSpaceError(
                f"not enough free disk space to refresh warehouse {self.path}: a refresh "
                f"needs about {_size(needed)} free in {self.build_dir} (a copy of the "
                f"{_size(self.path.stat().st_size)} file plus room to write), "
                f"{_size(free)} are free. Free some space and run it again; nothing "
                "was changed"
            )
        try:
            for source, target in sources:
                shutil.copyfile(source, target)
        except OSError as exc:
            for _, target in sources:
                target.unlink(missing_ok=True)
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            raise WarehouseSpaceError(
                f"could not copy warehouse {self.path} to {self.build_dir} "
                f"({'the disk is full' if full else exc.strerror or exc}); the partial "
                "copy was removed and nothing was changed"
            ) from exc

    @contextlib.contextmanager
    def staged_build(self, label: str, *, start_empty: bool = False) -> Iterator[Path]:
        """Yield a private copy of the warehouse; publish it atomically on success.

        The caller writes the yielded path (and must close every connection to it
        before the block ends). If the block raises, the copy is discarded and the
        published file is untouched.
        """
        build = self.open_build(start_empty=start_empty)
        try:
            yield build.path
        except BaseException:
            build.discard()
            raise
        build.publish(label)

    def _remove_stale_builds(self) -> None:
        """Builds left by killed writers (we hold the lock, so none is live)."""
        if not self.build_dir.exists():
            return
        for stale in self.build_dir.glob(f"{self.path.stem}.*"):
            if stale.is_dir():
                continue
            log.warning("removing build file left by an interrupted run: %s", stale)
            stale.unlink(missing_ok=True)


class Build:
    """A build file of a :class:`Warehouse` under its writer lock, until published or
    discarded (either releases the lock)."""

    def __init__(self, warehouse: Warehouse, lock: contextlib.ExitStack, *,
                 replaces_unreadable: bool = False) -> None:
        self.warehouse = warehouse
        self.path = warehouse.build_path
        self.replaces_unreadable = replaces_unreadable
        self._lock: contextlib.ExitStack | None = lock

    @property
    def open(self) -> bool:
        return self._lock is not None

    def publish(self, label: str = "") -> None:
        """Fold the WAL in, keep the published file as ``.prev``, swap the build in."""
        if self._lock is None:
            raise RuntimeError(f"build {self.path} was already published or discarded")
        wh = self.warehouse
        try:
            _checkpoint(self.path)
            _compact_if_sparse(self.path)
            _fsync(self.path)
            if wh.path.exists():
                if self.replaces_unreadable:
                    os.replace(wh.path, wh.unreadable_path)
                    log.warning("moved the unreadable warehouse aside to %s",
                                wh.unreadable_path)
                else:
                    _keep_previous(wh.path, wh.prev_path)
            os.replace(self.path, wh.path)
            _fsync(wh.path.parent)
            log.info("published %s%s", wh.path, f" ({label})" if label else "")
        except BaseException:
            self.discard()
            raise
        self._release()

    def discard(self) -> None:
        """Remove the build file (and its WAL) and release the lock; idempotent."""
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        self._release()

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.close()


# ------------------------------------------------------------------ run-scoped builds
# The steps of one Dagster run execute one after the other in one process (the in-process
# executor): the first step with something to write opens the build, the last writing
# step of the run publishes it. Between steps the build (and the lock) stay open here.

_RUN_BUILDS: dict[Path, tuple[str, Build]] = {}
_RUN_BUILDS_LOCK = threading.Lock()


def pending_run_build(warehouse: Warehouse, run_id: str) -> Build | None:
    """The open build of ``run_id`` on ``warehouse`` in this process, if any."""
    with _RUN_BUILDS_LOCK:
        entry = _RUN_BUILDS.get(warehouse.path)
    if entry is None or entry[0] != run_id or not entry[1].open:
        return None
    return entry[1]


def run_build(warehouse: Warehouse, run_id: str, *, start_empty: bool = False) -> Build:
    """The build of ``run_id``: the one a previous step of the run opened, or a new one.

    A build of another run still registered in this process (a run that ended between
    two writing steps, e.g. terminated) is discarded first.
    """
    with _RUN_BUILDS_LOCK:
        entry = _RUN_BUILDS.get(warehouse.path)
    if entry is not None:
        other_run, build = entry
        if other_run == run_id and build.open:
            return build
        if build.open:
            log.warning("discarding the unpublished build of run %s", other_run)
            build.discard()
        with _RUN_BUILDS_LOCK:
            _RUN_BUILDS.pop(warehouse.path, None)
    build = warehouse.open_build(start_empty=start_empty)
    with _RUN_BUILDS_LOCK:
        _RUN_BUILDS[warehouse.path] = (run_id, build)
    return build


def end_run_build(warehouse: Warehouse, run_id: str, *, publish: bool, label: str = "") -> bool:
    """Publish (or discard) the open build of ``run_id``; True if there was one."""
    build = pending_run_build(warehouse, run_id)
    with _RUN_BUILDS_LOCK:
        entry = _RUN_BUILDS.get(warehouse.path)
        if entry is not None and entry[0] == run_id:
            _RUN_BUILDS.pop(warehouse.path, None)
    if build is None:
        return False
    if publish:
        build.publish(label)
    else:
        build.discard()
    return True


# ------------------------------------------------------------------------ helpers


def _read_holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text().strip() or "unknown process"
    except OSError:
        return "unknown process"


def _keep_previous(published: Path, prev: Path) -> None:
    """Make ``prev`` another name of the ``published`` file (a hard link, no copy)."""
    tmp = prev.with_name(prev.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(published, tmp)
    except OSError:  # a file system without hard links: copy
        shutil.copyfile(published, tmp)
    os.replace(tmp, prev)


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


def _compact_if_sparse(path: Path) -> bool:
    """Rewrite ``path`` without its free blocks when they are many (see COMPACT_FREE_SHARE);
    returns whether it did. Skipped (with a log line) when the disk has no room for it."""
    con = duckdb.connect(str(path))
    try:
        database, _, block_size, total, _, free = con.execute(
            "pragma database_size").fetchone()[:6]
        free_bytes = free * block_size
        if total == 0 or free <= COMPACT_FREE_SHARE * total or (
                free_bytes < COMPACT_MIN_FREE_BYTES):
            return False
        used_bytes = (total - free) * block_size
        if shutil.disk_usage(path.parent).free < used_bytes + SPACE_MARGIN_BYTES:
            log.warning("not compacting %s (%s free blocks): not enough disk space", path,
                        _size(free_bytes))
            return False
        compact = path.with_name(path.name + ".compact")
        compact.unlink(missing_ok=True)
        try:
            con.execute(f"attach '{compact}' as provstats_compact")
            con.execute(f'copy from database "{database}" to provstats_compact')
            con.execute("detach provstats_compact")
        except BaseException:
            compact.unlink(missing_ok=True)
            raise
    finally:
        con.close()
    os.replace(compact, path)
    log.info("compacted %s: %s of free blocks dropped", path, _size(free_bytes))
    return True


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
