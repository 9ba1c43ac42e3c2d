"""One build copy per run: how the writing steps of a Dagster run share it.

The three writing steps — ``raw_documents``, ``observations`` and the dbt step
``dbt_warehouse`` — each run inside ``with warehouse.writer(context, step) as writer``.
The first one with something to write opens the run's build (lock + one copy of the
warehouse, :func:`orchestration.warehouse.store.run_build`); later steps of the same run
read and write that build; the last writing step *of this run* (whatever the selection:
a whole refresh, only the two Python assets, one dbt model) publishes it when it
succeeds. A step that fails discards the build, so the published warehouse keeps the
state of the last successful run — landing tables and marts together.

A run whose published warehouse cannot be opened fails with the way out
(:class:`~orchestration.warehouse.store.WarehouseUnreadableError`), except a full rebuild
(job ``full_rebuild``), which starts from an empty build and replaces the damaged file.

This relies on the in-process executor (``orchestration.definitions``): the steps of a
run share one process, which holds the lock from the first write to the publication.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import dagster as dg
import duckdb

from orchestration.warehouse.store import (
    Build,
    Warehouse,
    WarehouseBusyError,
    WarehouseSpaceError,
    WarehouseUnreadableError,
    end_run_build,
    pending_run_build,
    run_build,
)

#: The steps that write the warehouse, in the order a run executes them.
WRITER_STEPS = ("raw_documents", "observations", "dbt_warehouse")
#: The job that re-extracts everything and may replace an unreadable warehouse.
FULL_REBUILD_JOB = "full_rebuild"


def is_full_rebuild(context: Any) -> bool:
    """Whether this run is a full rebuild (job ``full_rebuild``)."""
    return getattr(context, "job_name", None) == FULL_REBUILD_JOB


def writer_steps_of_run(context: Any) -> list[str]:
    """The writing steps this run executes, in order."""
    keys = context.run.step_keys_to_execute
    if keys is None:
        keys = list(context.job_def.graph.node_dict)
    return [s for s in WRITER_STEPS if s in set(keys)]


class StepWriter:
    """The warehouse as one writing step of a run sees it (see the module docstring)."""

    def __init__(self, store: Warehouse, context: Any, step: str) -> None:
        self.store = store
        self.step = step
        self.run_id: str = context.run.run_id
        self.full_rebuild = is_full_rebuild(context)
        steps = writer_steps_of_run(context)
        self.is_last_writer = not steps or steps[-1] == step or step not in steps
        self._start_empty = False

    # -- reading ----------------------------------------------------------------------
    @property
    def pending(self) -> Build | None:
        """The build an earlier step of this run opened (None if nothing was written)."""
        return pending_run_build(self.store, self.run_id)

    @contextlib.contextmanager
    def read_only(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """What this run sees: its own build if a step wrote one, else the published
        file; None when there is no warehouse yet (or, in a full rebuild, when the
        published file cannot be opened and will be replaced)."""
        pending = self.pending
        if pending is not None:
            path = pending.path
            if not path.exists():
                yield None
                return
            con = duckdb.connect(str(path), read_only=True)
        elif not self.store.exists:
            yield None
            return
        else:
            try:
                con = self.store.connect_read_only()
            except WarehouseUnreadableError as exc:
                if not self.full_rebuild:
                    raise dg.Failure(description=str(exc)) from None
                self._start_empty = True
                yield None
                return
        try:
            yield con
        finally:
            con.close()

    # -- writing ----------------------------------------------------------------------
    @contextlib.contextmanager
    def build(self) -> Iterator[Path]:
        """The run's build file to write (every connection must be closed at the end)."""
        try:
            build = run_build(self.store, self.run_id,
                              start_empty=self._start_empty or self.full_rebuild)
        except (WarehouseBusyError, WarehouseSpaceError, WarehouseUnreadableError) as exc:
            raise dg.Failure(description=str(exc)) from None
        yield build.path

    # -- the step ---------------------------------------------------------------------
    def __enter__(self) -> StepWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None:
            end_run_build(self.store, self.run_id, publish=False)
        elif self.is_last_writer:
            end_run_build(self.store, self.run_id, publish=True, label=self.step)
