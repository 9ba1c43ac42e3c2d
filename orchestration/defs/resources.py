"""Resources: the warehouse (copy-on-write writer + read-only readers) and dbt.

Paths are resolved when a resource is *used*, not when the module is imported, so that
``RAW_DIR`` / ``WAREHOUSE_PATH`` set after import (tests, the CLI, ``make``) are honoured
by every entry point alike (see :mod:`orchestration.settings`).

Neither resource has run configuration: the warehouse path, the lock timeout, the dbt
executable and the dbt project come from the settings only. A run config that names
them (the UI's launchpad, GraphQL ``launchRun``, the Python API) is refused as invalid
before anything runs, so launching a run cannot execute another program or point the
warehouse elsewhere.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from orchestration import settings
from orchestration.defs.run_writes import StepWriter
from orchestration.warehouse.dbt_vars import dbt_build_vars
from orchestration.warehouse.store import Warehouse, pending_run_build

# --------------------------------------------------------------------------------- dbt

#: The dbt project; its profiles.yml lives beside dbt_project.yml. It is parsed with the
#: builds' --vars so that their partial parse can be reused (see warehouse.dbt_vars).
dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
    prepare_project_cli_args=["parse", "--quiet", "--vars", dbt_build_vars()],
)


def _dbt_executable() -> str:
    """The ``dbt`` of this environment (works without an activated venv)."""
    for candidate in (Path(sys.prefix) / "bin" / "dbt", Path(sys.executable).with_name("dbt")):
        if candidate.exists():
            return str(candidate)
    return shutil.which("dbt") or "dbt"


def _put_dbt_on_path() -> None:
    """dagster-dbt's manifest preparer (``prepare_if_dev`` under ``dagster dev``) runs plain
    ``dbt``: make the environment's bin folder findable when the venv is not activated."""
    found = Path(_dbt_executable())
    if shutil.which("dbt") is None and found.is_absolute() and found.exists():
        os.environ["PATH"] = str(found.parent) + os.pathsep + os.environ.get("PATH", "")


_put_dbt_on_path()


def prepare_dbt_manifest() -> Path:
    """Make sure ``dbt_project/target/manifest.json`` exists and return its path.

    Under ``dagster dev`` the manifest is re-parsed at every load (``prepare_if_dev``).
    Elsewhere (``make run`` runs ``dbt parse`` first, tests have a session fixture) an
    existing manifest is used as is; a fresh clone without one gets it parsed here once,
    so ``python -m orchestration refresh`` works on its own.
    """
    dbt_project.prepare_if_dev()
    if not dbt_project.manifest_path.exists():
        dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


class ProjectDbtCliResource(DbtCliResource):
    """:class:`DbtCliResource` without the dbt adapter it opens in the Dagster process,
    and without the ``dbt --version`` it runs to learn dbt's version (see
    :meth:`_cli_version`).

    Before every command dagster-dbt configures a dbt-core adapter in-process (about 1 s:
    importing dbt's config modules and reading the profile and project) for one use only:
    ``fetch_row_counts()`` / ``fetch_column_metadata()`` on the event stream. This project
    reads row counts and column types itself, in one DuckDB query
    (:func:`orchestration.defs.dbt_metadata.with_table_metadata`), so no adapter is made;
    the dbt command itself is unchanged. (``_initialize_dbt_core_adapter`` is dagster-dbt's
    own hook, pinned with dagster-dbt in ``pyproject.toml``; a test checks that a build
    runs without it.)
    """

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None

    @cached_property
    def _cli_version(self) -> Version:
        """The version of dbt, which dagster-dbt reads before every command by running
        ``dbt --version`` in a subprocess (about 1.5 s: dbt's imports). When the
        executable is this environment's own dbt, the installed dbt-core's version is
        that version; any other executable is still asked."""
        own = Path(sys.prefix) / "bin" / "dbt"
        if Path(self.dbt_executable) == own:
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                return Version(importlib.metadata.version("dbt-core"))
        return super()._cli_version


def make_dbt_resource() -> DbtCliResource:
    """The dbt CLI resource of this project: its dbt project and this environment's dbt."""
    return ProjectDbtCliResource(project_dir=dbt_project, dbt_executable=_dbt_executable())


class DbtFromSettings(dg.ConfigurableResource):
    """``dbt`` for the assets: a :class:`DbtCliResource` built from the settings at run
    time (:func:`make_dbt_resource`). It has no config fields, so a run config cannot
    change the dbt executable, project, profile or flags."""

    def create_resource(self, context: dg.InitResourceContext) -> DbtCliResource:
        return make_dbt_resource()


# --------------------------------------------------------------------------- warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse: copy-on-write builds for writers, read-only connections for
    readers. Nothing ever opens a write connection on the published file.

    No config fields: the file is ``settings.warehouse_path()`` (``WAREHOUSE_PATH``) and
    the writer lock timeout ``settings.lock_timeout_s()`` (``PROVSTATS_LOCK_TIMEOUT_S``),
    both read at run time. A warehouse inside the raw folder is refused (``dg.Failure``
    naming both paths) before anything is read or written.
    """

    @property
    def store(self) -> Warehouse:
        try:
            settings.check_warehouse_outside_raw_dir()
            timeout = settings.lock_timeout_s()
        except ValueError as error:
            raise dg.Failure(description=f"{error}; the warehouse was not changed") from None
        return Warehouse(settings.warehouse_path(), timeout)

    @property
    def published_path(self) -> Path:
        return self.store.path

    def staged_build(self, label: str) -> contextlib.AbstractContextManager[Path]:
        """Private copy of the warehouse, published atomically if the block succeeds."""
        return self.store.staged_build(label)

    def writer(self, context: Any, step: str) -> StepWriter:
        """The warehouse as the writing step ``step`` of this run sees it: one build copy
        per run, published by the run's last writing step (see run_writes)."""
        return StepWriter(self.store, context, step)

    def connect_read_only(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection to the published file (raises if it was never built)."""
        return self.store.connect_read_only()

    @contextlib.contextmanager
    def read_only(
        self, run_id: str | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """Read-only connection to the published file, or None if it does not exist yet;
        with ``run_id``, to that run's unpublished build if one of its steps wrote one.

        The connection is closed when the block ends.
        """
        store = self.store
        pending = pending_run_build(store, run_id) if run_id else None
        if pending is not None and pending.path.exists():
            con = duckdb.connect(str(pending.path), read_only=True)
            try:
                yield con
            finally:
                con.close()
            return
        if not store.exists:
            yield None
            return
        con = store.connect_read_only()
        try:
            yield con
        finally:
            con.close()


def table_exists(con: duckdb.DuckDBPyConnection | None, schema: str, table: str) -> bool:
    if con is None:
        return False
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | tuple = ()
) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


RESOURCES = {
    "warehouse": WarehouseResource(),
    "dbt": DbtFromSettings(),
}
