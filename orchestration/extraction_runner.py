"""Extraction of many documents on every core, each within a time and size budget.

:func:`extract_document` is the one place that calls the extraction API for a document
(plain Python, no Dagster); :func:`extract_documents` runs it over many documents, in
this process or in worker processes, and yields one :class:`DocumentResult` per document
as it finishes — rows, periods, or the error that stopped it.

Budgets (settings, see :mod:`orchestration.settings`):

* a document longer than ``PROVSTATS_EXTRACT_MAX_CHARS`` characters is not extracted;
* a document whose extraction takes longer than ``PROVSTATS_EXTRACT_TIMEOUT_S`` seconds
  is stopped (an alarm in the worker; if the worker does not return within a few more
  seconds — stuck inside a C call — it is killed and replaced).

Either way the document gets an error naming the budget, and the others go on.

Workers are started with ``spawn`` (no state copied from a multi-threaded parent such as a
Dagster run) and each imports only the extraction package. Results come back in
completion order.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from orchestration import extraction, settings

#: Seconds a worker gets, past the time budget, to return by itself before it is killed.
KILL_GRACE_S = 5.0


@dataclass
class DocumentResult:
    """What one document gave: rows and periods, or the error that stopped it."""

    source_id: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    periods: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    characters: int = 0


class ExtractionTimeout(Exception):
    """The document's extraction ran past its time budget."""


# ------------------------------------------------------------------------- the one call


def extract_document(doc: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, dict]]:
    """Extract one document: its ``landing.observations`` rows and ``landing.periods`` rows.

    ``doc`` carries ``source_id``, ``text``, ``published_date``, ``title`` and
    ``content_sha256``. This is the only place that calls the extraction API.
    """
    sid = doc["source_id"]
    found = extraction.extract_observations(
        doc["text"], published_date=doc["published_date"], title=doc["title"],
        source_id=sid, default_geo=settings.default_geo(),
    )
    rows = [o.to_row(sid, doc["content_sha256"], extraction.EXTRACTOR_VERSION) for o in found]
    periods = {
        p.code: p.to_row() for o in found for p in (o.period, o.base_period) if p is not None
    }
    return rows, periods


# ----------------------------------------------------------------------------- budgets


def size_error(doc: dict[str, Any], max_chars: int) -> str | None:
    """The reason a document is over the size budget, or None."""
    length = len(doc["text"])
    if max_chars and length > max_chars:
        return (f"over the size budget: {length:,} characters, more than "
                f"PROVSTATS_EXTRACT_MAX_CHARS={max_chars:,}; not extracted")
    return None


def timeout_error(timeout_s: float) -> str:
    return (f"over the time budget: extraction took more than {timeout_s:g}s "
            "(PROVSTATS_EXTRACT_TIMEOUT_S) and was stopped")


@dataclass
class _Alarm:
    """SIGALRM after ``seconds`` in the main thread (no-op elsewhere or for 0)."""

    seconds: float
    armed: bool = False

    def _ring(self, signum: int, frame: Any) -> None:
        raise ExtractionTimeout()

    def __enter__(self) -> _Alarm:
        if self.seconds > 0 and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)


def _run_one(fn: Callable[[dict], tuple[list, dict]], doc: dict[str, Any],
             timeout_s: float) -> DocumentResult:
    """One document in this process, within its time budget; never raises."""
    result = DocumentResult(doc["source_id"], characters=len(doc["text"]))
    started = time.perf_counter()
    try:
        with _Alarm(timeout_s):
            result.rows, result.periods = fn(doc)
    except ExtractionTimeout:
        result.error = timeout_error(timeout_s)
    except Exception as exc:  # one document never stops the others
        result.error = (f"{type(exc).__name__}: {exc}\n"
                        + "".join(traceback.format_exc(limit=-3)))
    result.seconds = time.perf_counter() - started
    return result


# ----------------------------------------------------------------------------- workers


def _worker_main(conn: multiprocessing.connection.Connection,
                 fn: Callable[[dict], tuple[list, dict]], timeout_s: float) -> None:
    """A worker: extract the documents it is sent, one at a time, until it gets None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    while True:
        try:
            doc = conn.recv()
        except EOFError:
            return
        if doc is None:
            return
        conn.send(_run_one(fn, doc, timeout_s))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable, timeout_s: float) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, fn, timeout_s),
                                   daemon=True, name="provstats-extract")
        self.process.start()
        child.close()
        self.doc: dict[str, Any] | None = None
        self.started = 0.0

    def send(self, doc: dict[str, Any]) -> None:
        self.doc, self.started = doc, time.monotonic()
        self.conn.send(doc)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def default_workers() -> int:
    """``PROVSTATS_EXTRACT_WORKERS``, else the number of usable cores."""
    configured = settings.extract_workers()
    if configured is not None:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def extract_documents(
    docs: Iterable[dict[str, Any]],
    *,
    workers: int,
    timeout_s: float,
    max_chars: int,
    fn: Callable[[dict], tuple[list, dict]] = extract_document,
) -> Iterator[DocumentResult]:
    """Extract every document of ``docs``; yield each result as it is ready.

    ``workers`` ≤ 1 extracts in this process (the time budget then applies only in the
    main thread); otherwise that many worker processes share the documents. ``fn`` must
    be a module-level function (workers import it by name). ``docs`` is consumed lazily,
    a few documents ahead of the workers, so texts need not all be in memory at once.
    """
    pending = iter(docs)

    def next_doc() -> dict[str, Any] | None:
        for doc in pending:
            reason = size_error(doc, max_chars)
            if reason is None:
                return doc
            early.append(DocumentResult(doc["source_id"], error=reason,
                                        characters=len(doc["text"])))
        return None

    early: deque[DocumentResult] = deque()
    if workers <= 1:
        while (doc := next_doc()) is not None:
            while early:
                yield early.popleft()
            yield _run_one(fn, doc, timeout_s)
        while early:
            yield early.popleft()
        return

    ctx = multiprocessing.get_context("spawn")
    pool: list[_Worker] = []
    try:
        exhausted = False
        while True:
            # give every idle worker a document (start workers as they are needed)
            idle = [w for w in pool if w.doc is None]
            while not exhausted and (idle or len(pool) < workers):
                doc = next_doc()
                if doc is None:
                    exhausted = True
                    break
                if not idle:
                    pool.append(_Worker(ctx, fn, timeout_s))
                    idle = [pool[-1]]
                idle.pop().send(doc)
            while early:
                yield early.popleft()
            busy = [w for w in pool if w.doc is not None]
            if not busy:
                if exhausted:
                    return
                continue
            ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=0.5)
            for worker in busy:
                if worker.conn in ready:
                    try:
                        result = worker.conn.recv()
                    except (EOFError, OSError):  # the worker died (e.g. out of memory)
                        worker.process.join(timeout=5)
                        code = worker.process.exitcode
                        result = DocumentResult(
                            worker.doc["source_id"], characters=len(worker.doc["text"]),
                            error=f"the extraction worker died (exit code {code})")
                        worker.stop(kill=True)
                        pool.remove(worker)
                    worker.doc = None
                    yield result
                elif timeout_s and time.monotonic() - worker.started > timeout_s + KILL_GRACE_S:
                    doc = worker.doc
                    worker.stop(kill=True)
                    pool.remove(worker)
                    yield DocumentResult(doc["source_id"], error=timeout_error(timeout_s),
                                         seconds=time.monotonic() - worker.started,
                                         characters=len(doc["text"]))
    finally:
        for worker in pool:
            worker.stop(kill=worker.doc is not None)


# ---------------------------------------------------------------------------- progress


class Progress:
    """``done / total`` with the rate, logged at most every ``every_s`` seconds."""

    def __init__(self, total: int, total_chars: int, log: Callable[[str], None],
                 workers: int, every_s: float = 10.0) -> None:
        self.total, self.total_chars, self.log = total, total_chars, log
        self.workers, self.every_s = workers, every_s
        self.done = self.chars = self.failed = 0
        self.started = self.last = time.monotonic()

    def add(self, result: DocumentResult) -> None:
        self.done += 1
        self.chars += result.characters
        self.failed += result.error is not None
        now = time.monotonic()
        if self.done == self.total or now - self.last >= self.every_s:
            self.last = now
            self.log(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = "" if self.done == self.total else (
            f", about {left / 60:.0f} min left" if left >= 90 else f", about {left:.0f}s left")
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"extracted {self.done:,} / {self.total:,} documents "
                f"({100 * self.done / max(self.total, 1):.0f}%){failed} in {elapsed:.0f}s: "
                f"{rate:.1f} documents/s, {self.chars / elapsed / 1e6:.2f} M characters/s "
                f"on {self.workers} {'process' if self.workers == 1 else 'processes'}{eta}")
