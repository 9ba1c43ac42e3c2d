"""Run configuration is not a way to run code or move the warehouse (issue 11, point 6).

The UI's launchpad (GraphQL ``launchRun``) accepts any run config the job's schema
allows. The warehouse path, the lock timeout, the dbt executable and the dbt project
come from the settings only: a run config that names them is refused before anything
runs, through the Dagster API in-process (the launchpad validates against the same
schema), and a normal run still works.
"""

from __future__ import annotations

import stat
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import DBT_DIR, PipelineEnv, step_failure_messages

pytestmark = pytest.mark.slow

ATTEMPTS = {
    # the project_dir is the real one: only the executable differs
    "dbt_executable": {"dbt": {"config": {"dbt_executable": "{script}",
                                          "project_dir": "{project}"}}},
    "dbt_project_dir": {"dbt": {"config": {"project_dir": "{elsewhere}"}}},
    "warehouse_path": {"warehouse": {"config": {"path": "{elsewhere}/stolen.duckdb"}}},
    "lock_timeout": {"warehouse": {"config": {"lock_timeout_s": 0.0}}},
}


def _fill(value, **names):
    if isinstance(value, dict):
        return {k: _fill(v, **names) for k, v in value.items()}
    return value.format(**names) if isinstance(value, str) else value


@pytest.fixture
def attacker_script(tmp_path: Path) -> tuple[Path, Path]:
    """An executable that would leave a marker file behind if anything ran it."""
    marker = tmp_path / "pwned"
    script = tmp_path / "evil-dbt"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, marker


def test_resources_expose_no_run_config(defs: dg.Definitions) -> None:
    job = defs.resolve_job_def("refresh_warehouse")
    resources = job.run_config_schema.config_type.fields["resources"].config_type.fields
    for key in ("dbt", "warehouse"):
        config = resources[key].config_type.fields.get("config")
        # no config at all, or a config that must be empty (not ``Any``, which would be
        # accepted and silently ignored)
        assert config is None or dict(config.config_type.fields) == {}, key


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_run_config_naming_a_locked_resource_value_is_refused(
    defs: dg.Definitions, pipeline_env: PipelineEnv, attacker_script: tuple[Path, Path],
    attempt: str,
) -> None:
    script, marker = attacker_script
    elsewhere = pipeline_env.root / "elsewhere"
    run_config = {"resources": _fill(ATTEMPTS[attempt], script=str(script),
                                     elsewhere=str(elsewhere), project=str(DBT_DIR))}
    with pytest.raises(dg.DagsterInvalidConfigError, match="unexpected config entr"):
        pipeline_env.run(defs, run_config=run_config)
    assert not marker.exists()
    assert not elsewhere.exists()
    assert not pipeline_env.warehouse_path.exists()


def test_a_normal_run_still_uses_the_settings(
    defs: dg.Definitions, pipeline_env: PipelineEnv, attacker_script: tuple[Path, Path],
) -> None:
    script, marker = attacker_script
    # An empty resource config is harmless and accepted. The IO manager's base_dir is
    # the one resource setting still open to run config: no asset stores anything there.
    io_dir = pipeline_env.root / "io_manager"
    result = pipeline_env.run(defs, run_config={"resources": {
        "dbt": {"config": {}}, "warehouse": {"config": {}},
        "io_manager": {"config": {"base_dir": str(io_dir)}},
    }})
    assert result.success, step_failure_messages(result)
    assert pipeline_env.scalar("select count(*) from marts.fct_indicator") > 0
    assert not marker.exists()
    assert not io_dir.exists() or not [p for p in io_dir.rglob("*") if p.is_file()]
