"""Shared fixtures: private raw folder / warehouse / Dagster home per test, a parsed dbt
manifest, and helpers to run the real Dagster jobs in-process and read the warehouse.

Every pipeline test points RAW_DIR, WAREHOUSE_PATH and DAGSTER_HOME at temporary paths
(the entry points resolve them at run time through orchestration.settings), so nothing
touches the project's own raw/ folder, warehouse/ or .dagster_home/.

Two lanes: ``make test-fast`` runs the unit tests only (``-m "not integration"``, with
``PROVSTATS_FAST_TESTS=1``, which makes any test that starts a process fail with the
advice to mark it); ``make test`` runs everything. A test is ``integration`` when it is
marked so (or ``slow``) or uses a fixture that runs dbt or Dagster (INTEGRATION_FIXTURES).
Built warehouses are shared per session: ``seeded`` (the seeds through the real
pipeline, in-process) and ``sample_warehouse`` (the sample landing schema + dbt build).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import multiprocessing.process
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_SEEDS = ROOT / "raw"
DBT_DIR = ROOT / "dbt_project"

#: The longest a test waits for one subprocess (a refresh, a dbt command, a notebook
#: cell, the webserver's start-up) before it fails. Generous on purpose: a loaded CI
#: machine can be ten times slower than a laptop, and a test that times out there says
#: nothing about the product. Override with PROVSTATS_TEST_TIMEOUT_S.
SUBPROCESS_TIMEOUT_S = float(os.environ.get("PROVSTATS_TEST_TIMEOUT_S", "1800"))


# ---------------------------------------------------------------------- test lanes

#: Fixtures that build or run the real pipeline (dbt, Dagster): their tests are integration.
INTEGRATION_FIXTURES = frozenset({"dbt_manifest", "pipeline_env", "seeded", "sample_warehouse"})
FAST_LANE = os.environ.get("PROVSTATS_FAST_TESTS") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "integration: runs dbt, Dagster jobs, notebooks or other processes (left out by "
        "make test-fast)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") or INTEGRATION_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _fast_lane_starts_no_process(request: pytest.FixtureRequest,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """In the fast lane a unit test that starts a process fails, saying how to fix it."""
    if not FAST_LANE or request.node.get_closest_marker("integration"):
        return

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(
            f"{request.node.nodeid} starts a process: mark it @pytest.mark.integration "
            "(make test-fast runs unit tests only)")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)


def dbt_executable() -> str:
    """The dbt next to this Python (the project's venv), else on PATH; skip without one."""
    beside_python = Path(sys.executable).with_name("dbt")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("dbt")
    if found is None:
        pytest.skip("dbt is not installed")
    return found


def run_dbt(command: str, warehouse: Path, work_dir: Path) -> subprocess.CompletedProcess:
    """``dbt <command>`` as the orchestrator runs it, on ``warehouse``, with its target and
    logs in ``work_dir`` (so tests never touch the project's own target/)."""
    return subprocess.run(
        [
            dbt_executable(), command,
            "--project-dir", str(DBT_DIR),
            "--profiles-dir", str(DBT_DIR),
            "--vars", json.dumps({"warehouse_path": str(warehouse)}),
            "--target-path", str(work_dir / "target"),
            "--log-path", str(work_dir / "logs"),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """Run ``dbt parse`` once per session so ``dbt_project/target/manifest.json`` is current
    (the @dbt_assets definition is built from it when orchestration.definitions loads)."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_DIR),
         "--profiles-dir", str(DBT_DIR)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert result.returncode == 0, f"dbt parse failed:\n{result.stdout}\n{result.stderr}"
    manifest = DBT_DIR / "target" / "manifest.json"
    assert manifest.exists()
    return manifest


@pytest.fixture(scope="session")
def defs(dbt_manifest):
    """The project's ``Definitions`` (imported only once the manifest is parsed)."""
    from orchestration.definitions import defs as project_defs

    return project_defs


@dataclasses.dataclass
class PipelineEnv:
    """A private raw folder, warehouse and Dagster home, and ways to use them."""

    root: Path
    raw_dir: Path
    warehouse_path: Path
    dagster_home: Path

    def env_vars(self) -> dict[str, str]:
        return {
            "RAW_DIR": str(self.raw_dir),
            "WAREHOUSE_PATH": str(self.warehouse_path),
            "DAGSTER_HOME": str(self.dagster_home),
        }

    # -- running ------------------------------------------------------------------
    def run(
        self,
        defs: Any,
        job: str = "refresh_warehouse",
        *,
        assets: Sequence[Any] | None = None,
        instance: Any = None,
        run_config: dict | None = None,
    ) -> Any:
        """Execute a job of ``defs`` in-process (optionally only some assets)."""
        import dagster as dg

        job_def = defs.resolve_job_def(job)
        selection = [dg.AssetKey.from_coercible(a) for a in assets] if assets else None
        kwargs: dict[str, Any] = {"asset_selection": selection} if selection else {}
        if run_config is not None:
            kwargs["run_config"] = run_config
        return job_def.execute_in_process(
            instance=instance or dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
            **kwargs,
        )

    # -- reading ------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of ``sql`` on the published warehouse (read-only connection, closed)."""
        con = duckdb.connect(str(self.warehouse_path), read_only=True)
        try:
            cursor = con.execute(sql, list(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def file_state(self) -> tuple[int, int, int]:
        """(inode, mtime_ns, size) of the published warehouse file."""
        info = self.warehouse_path.stat()
        return info.st_ino, info.st_mtime_ns, info.st_size


def make_env(root: Path) -> PipelineEnv:
    """Copy raw/ into ``root/raw`` (writable) and name a warehouse and Dagster home there
    (configured as the project's own)."""
    raw_dir = root / "raw"
    raw_dir.mkdir(parents=True)
    for path in sorted(RAW_SEEDS.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            shutil.copyfile(path, raw_dir / path.name)
            (raw_dir / path.name).chmod(0o644)
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    # the project's instance configuration (its run log storage among others)
    shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml", dagster_home / "dagster.yaml")
    return PipelineEnv(root, raw_dir, root / "warehouse" / "provstats.duckdb", dagster_home)


@contextlib.contextmanager
def pipeline_env_context(root: Path) -> Iterator[PipelineEnv]:
    """``make_env`` plus the environment variables set for the duration of the block."""
    env = make_env(root)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.env_vars().items():
            mp.setenv(name, value)
        yield env


@pytest.fixture
def pipeline_env(tmp_path) -> Iterator[PipelineEnv]:
    """Per-test raw folder (a copy of raw/), warehouse and Dagster home, via the env vars."""
    with pipeline_env_context(tmp_path) as env:
        yield env


def materializations(result: Any, asset: str | Sequence[str]) -> list[Any]:
    """Materialisation events of one asset in a run result."""
    import dagster as dg

    key = dg.AssetKey.from_coercible(asset)
    return [m for m in result.get_asset_materialization_events()
            if m.asset_key == key]


def metadata_of(result: Any, asset: str | Sequence[str]) -> dict[str, Any]:
    """The metadata values (plain Python) of an asset's last materialisation in a run."""
    events = materializations(result, asset)
    assert events, f"{asset} was not materialised"
    meta = events[-1].materialization.metadata
    return {k: getattr(v, "value", v) for k, v in meta.items()}


def step_failure_messages(result: Any) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            user = getattr(data, "user_failure_data", None)
            messages.append(
                (user.description if user and user.description else "")
                + "\n" + (data.error.message if data.error else "")
            )
    return messages


# ------------------------------------------------------------- shared built warehouses


@dataclasses.dataclass
class SeededRun:
    """The seeds (raw/) refreshed once through the real pipeline, in-process."""

    env: PipelineEnv
    result: Any  # ExecuteInProcessResult of refresh_warehouse


@pytest.fixture(scope="session")
def seeded(defs, tmp_path_factory) -> SeededRun:
    """One real refresh of a copy of raw/ for the whole session. Tests read it or copy
    its warehouse (``copy_warehouse``); none may change it."""
    env = make_env(tmp_path_factory.mktemp("seeded"))
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.env_vars().items():
            mp.setenv(name, value)
        result = env.run(defs, "refresh_warehouse")
    assert result.success, step_failure_messages(result)
    return SeededRun(env, result)


def copy_warehouse(source: Path, target: Path) -> Path:
    """A private copy of a built warehouse (its runs hold no path of their raw folder:
    documents are known by file name and content hash)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The sample landing schema (tests/fixtures/landing_sample.py) and the real
    ``dbt build`` on it, once per session (the dbt-project and notebook tests read it)."""
    from tests.fixtures.landing_sample import sample_rows, write_landing

    work_dir = tmp_path_factory.mktemp("sample_warehouse")
    path = work_dir / "provstats.duckdb"
    write_landing(path, sample_rows())
    result = run_dbt("build", path, work_dir)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout}\n{result.stderr}"
    return path
