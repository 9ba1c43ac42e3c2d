"""The project's Dagster run log (orchestration/dagster_storage.py): Dagster's SQLite
event log with its connections kept open. Same files and schema as Dagster's default, so
a home written by either is read by the other; connections are bounded and closed before
files are removed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration import dagster_storage
from orchestration.dagster_storage import PooledSqliteEventLogStorage

ROOT = Path(__file__).resolve().parent.parent


def _materialization(run_id: str, asset: str) -> EventLogEntry:
    event = DagsterEvent(
        event_type_value=DagsterEventType.ASSET_MATERIALIZATION.value,
        job_name="job",
        event_specific_data=StepMaterializationData(dg.AssetMaterialization(asset_key=asset)),
    )
    return EventLogEntry(error_info=None, level=20, user_message="", run_id=run_id,
                         timestamp=time.time(), dagster_event=event, job_name="job")


def _assets_of(storage: SqliteEventLogStorage, run_id: str) -> list[str]:
    return [entry.dagster_event.asset_key.to_user_string()
            for entry in storage.get_logs_for_run(run_id) if entry.is_dagster_event]


@pytest.fixture
def project_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_the_project_instance_writes_its_run_log_through_the_pooled_storage(
    project_home: Path,
) -> None:
    @dg.asset
    def tiny() -> int:
        return 1

    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = dg.materialize([tiny], instance=instance)
        assert result.success
        run_id = result.run_id
        # where Dagster's default storage keeps a run's log: the home stays compatible
        assert (project_home / "history" / "runs" / f"{run_id}.db").is_file()
        latest = instance.get_latest_materialization_event(dg.AssetKey("tiny"))
        assert latest is not None and latest.run_id == run_id
        kinds = {e.dagster_event_type for e in instance.all_logs(run_id) if e.is_dagster_event}
        assert DagsterEventType.RUN_SUCCESS in kinds


def test_a_run_log_written_by_either_storage_is_read_by_the_other(tmp_path: Path) -> None:
    default = SqliteEventLogStorage(str(tmp_path))
    default.store_event(_materialization("run-a", "written_by_default"))
    default.dispose()

    pooled = PooledSqliteEventLogStorage(str(tmp_path))
    assert _assets_of(pooled, "run-a") == ["written_by_default"]
    pooled.store_event(_materialization("run-b", "written_by_pooled"))
    pooled.dispose()

    again = SqliteEventLogStorage(str(tmp_path))
    assert _assets_of(again, "run-b") == ["written_by_pooled"]
    # the cross-run index (asset queries) holds both
    assert {k.to_user_string() for k in again.all_asset_keys()} == {
        "written_by_default", "written_by_pooled"}


def test_connections_are_kept_for_a_bounded_number_of_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dagster_storage, "MAX_OPEN_SHARDS", 3)
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    for n in range(7):
        storage.store_event(_materialization(f"run-{n}", f"asset_{n}"))
        assert len(storage._engines) <= 3
    # the most recently used databases are the ones kept
    assert "run-6" in storage._engines
    assert "run-0" not in storage._engines
    # a database whose connection was closed is opened again when needed
    assert _assets_of(storage, "run-0") == ["asset_0"]
    storage.dispose()
    assert not storage._engines


def test_wiping_closes_the_connections_before_removing_the_files(tmp_path: Path) -> None:
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    storage.store_event(_materialization("run-w", "before_wipe"))
    assert "run-w" in storage._engines
    storage.wipe()
    assert not (tmp_path / "run-w.db").exists()
    # a write after the wipe goes to a new file, not to the removed one
    storage.store_event(_materialization("run-w", "after_wipe"))
    assert (tmp_path / "run-w.db").exists()
    assert _assets_of(storage, "run-w") == ["after_wipe"]
    storage.dispose()


def test_without_dagster_home_or_base_dir_the_storage_says_what_it_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(ValueError, match="DAGSTER_HOME"):
        PooledSqliteEventLogStorage()
