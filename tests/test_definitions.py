"""The Dagster code location loads and has what the UI and the schedules rely on."""

from __future__ import annotations

import json
import time

import dagster as dg
import pytest

from orchestration.ingest import fingerprint_raw_folder

CONTRACT_MODELS = ["fct_indicator", "dim_period", "dim_indicator", "dim_source"]
PYTHON_CHECKS = {
    "raw_documents": {"no_quarantined_files"},
    "observations": {
        "extraction_errors", "spans_index_numbers", "growth_rates_plausible",
        "grdp_shares_sum_to_100", "periods_defined",
    },
}


@pytest.fixture(scope="module")
def repo(defs):
    dg.Definitions.validate_loadable(defs)
    return defs.get_repository_def()


@pytest.fixture(scope="module")
def manifest(dbt_manifest) -> dict:
    return json.loads(dbt_manifest.read_text())


def _model_key(node: dict) -> dg.AssetKey:
    """Asset key of a dbt model or seed: its DuckDB schema, then its name."""
    return dg.AssetKey([node["config"]["schema"], node["name"]])


def test_definitions_load_with_the_python_assets_and_every_dbt_node(repo, manifest):
    keys = repo.asset_graph.get_all_asset_keys()
    assert dg.AssetKey("raw_documents") in keys
    assert dg.AssetKey("observations") in keys
    for name in CONTRACT_MODELS:
        assert dg.AssetKey(["marts", name]) in keys, name
    marts = {k.path[-1] for k in keys if k.path[0] == "marts"}
    assert {m for m in marts if m.startswith("mart_")}, marts
    nodes = [n for n in manifest["nodes"].values()
             if n["resource_type"] in ("model", "seed") and n["package_name"] == "provstats"]
    assert nodes
    for node in nodes:
        assert _model_key(node) in keys, node["unique_id"]


def test_lineage_runs_from_the_python_assets_through_dbt(repo):
    graph = repo.asset_graph
    assert dg.AssetKey("raw_documents") in graph.get(dg.AssetKey("observations")).parent_keys
    staging_obs = graph.get(dg.AssetKey(["staging", "stg_landing__observations"]))
    assert dg.AssetKey("observations") in staging_obs.parent_keys
    staging_docs = graph.get(dg.AssetKey(["staging", "stg_landing__source_documents"]))
    assert dg.AssetKey("raw_documents") in staging_docs.parent_keys
    fct_upstream = dg.AssetSelection.assets(["marts", "fct_indicator"]).upstream().resolve(graph)
    assert {dg.AssetKey("raw_documents"), dg.AssetKey("observations")} <= fct_upstream
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert {"ingest", "transform", "marts", "reference"} <= groups


def test_python_assets_have_descriptions_and_kinds(repo):
    for name in ("raw_documents", "observations"):
        node = repo.asset_graph.get(dg.AssetKey(name))
        assert node.description
        assert {"python", "duckdb"} <= set(node.kinds)
    observations = repo.asset_graph.get(dg.AssetKey("observations"))
    assert observations.freshness_policy is not None


def test_dbt_tests_and_python_checks_are_asset_checks(repo, manifest):
    check_keys = set(repo.asset_graph.asset_check_keys)
    by_asset: dict[str, set[str]] = {}
    for key in check_keys:
        by_asset.setdefault(key.asset_key.to_user_string(), set()).add(key.name)
    for asset, names in PYTHON_CHECKS.items():
        assert names <= by_asset.get(asset, set()), (asset, by_asset.get(asset))
    assert "unique_fct_indicator_observation_id" in by_asset["marts/fct_indicator"]
    # every generic dbt test on a single model is a check of that model's asset
    generic = [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and n.get("attached_node")
        and n["attached_node"].startswith(("model.provstats.", "seed.provstats."))
    ]
    assert len(generic) > 50
    for test in generic:
        parent = manifest["nodes"][test["attached_node"]]
        assert dg.AssetCheckKey(_model_key(parent), test["name"]) in check_keys, test["name"]
    # singular tests too, including the one reading two models (mapped by meta.dagster.ref)
    singular = [n["name"] for n in manifest["nodes"].values()
                if n["resource_type"] == "test" and not n.get("attached_node")]
    assert "assert_fct_indicator_spans_index_source_text" in singular
    for name in singular:
        assert any(key.name == name for key in check_keys), name
    assert "assert_fct_indicator_spans_index_source_text" in by_asset["marts/fct_indicator"]


def test_jobs_schedule_and_sensor(defs, repo):
    assert {"refresh_warehouse", "full_rebuild"} <= {j.name for j in repo.get_all_jobs()}
    every_asset = repo.asset_graph.get_all_asset_keys()
    for name in ("refresh_warehouse", "full_rebuild"):
        job = defs.resolve_job_def(name)
        assert set(job.asset_layer.selected_asset_keys) == set(every_asset), name

    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert schedule.job_name == "refresh_warehouse"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING

    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    assert sensor.job_name == "refresh_warehouse"
    assert 20 <= sensor.minimum_interval_seconds <= 60


def _evaluate(sensor, cursor):
    context = dg.build_sensor_context(cursor=cursor)
    result = sensor(context)
    if isinstance(result, dg.SkipReason):
        return [], cursor
    return list(result.run_requests or []), result.cursor


def test_sensor_requests_a_refresh_only_when_the_raw_folder_changes(defs, pipeline_env):
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    raw = pipeline_env.raw_dir

    requests, cursor = _evaluate(sensor, None)
    assert len(requests) == 1 and cursor == fingerprint_raw_folder(raw)
    first_key = requests[0].run_key

    requests, cursor_again = _evaluate(sensor, cursor)
    assert requests == [] and cursor_again == cursor

    (raw / "010_new.txt").write_text("Năm 2025 GRDP tăng 8%.\n", encoding="utf-8")
    requests, after_add = _evaluate(sensor, cursor)
    assert len(requests) == 1 and after_add != cursor
    assert requests[0].run_key != first_key

    assert _evaluate(sensor, after_add)[0] == []

    time.sleep(0.01)  # a distinct mtime even on coarse clocks
    target = raw / "000_ea925d20ca7bc08d.txt"
    target.write_bytes(target.read_bytes() + b"\n")
    requests, after_change = _evaluate(sensor, after_add)
    assert len(requests) == 1 and after_change not in (cursor, after_add)

    # going back to an earlier state (file removed again) still requests a refresh
    (raw / "010_new.txt").unlink()
    requests, _ = _evaluate(sensor, after_change)
    assert len(requests) == 1


def test_sensor_skips_when_the_raw_folder_is_missing(defs, pipeline_env, monkeypatch):
    monkeypatch.setenv("RAW_DIR", str(pipeline_env.root / "nowhere"))
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    assert _evaluate(sensor, "abc") == ([], "abc")


def test_every_asset_check_has_a_description(repo, manifest):
    specs = list(repo.asset_graph.asset_check_keys)
    assert len(specs) > 100
    described = {key: repo.asset_graph.get_check_spec(key).description for key in specs}
    assert [key.to_user_string() for key, text in described.items() if not text] == []
    by_name = {key.name: text for key, text in described.items()}
    # dbt tests: the YAML description when there is one, else written from the test
    assert by_name["fct_indicator_values_are_finite"].startswith(
        "value, value_low and value_high are finite")
    assert by_name["not_null_fct_indicator_source_id"] == (
        "`fct_indicator.source_id` is never NULL.")
    assert "VND_BN" in by_name["accepted_values_fct_indicator_unit___var_unit_codes_"]
    assert by_name["relationships_fct_indicator_period_code__period_code__ref_dim_period_"] == (
        "Every `fct_indicator.period_code` exists in `dim_period.period_code`.")
    # the recurring warning explains itself
    warning = by_name["not_null_fct_indicator_base_period_code"]
    assert "warning only" in warning and "reorganisation" in warning


def test_asset_metadata_is_serializable(repo):
    """The UI shows every metadata entry except dagster-dbt's own hidden bookkeeping; none
    may be an object it can only print as "[DbtProject] (unserializable)"."""
    from dagster._core.definitions.metadata import normalize_metadata

    hidden = {"dagster_dbt/manifest", "dagster_dbt/dagster_dbt_translator"}
    for key in repo.asset_graph.get_all_asset_keys():
        metadata = repo.asset_graph.get(key).metadata
        assert "dagster_dbt/project" not in metadata, key
        shown = {k: v for k, v in metadata.items() if k not in hidden}
        normalize_metadata(shown)  # raises on a value the UI cannot show


def test_dbt_models_declare_their_column_types(repo):
    fct = repo.asset_graph.get(dg.AssetKey(["marts", "fct_indicator"]))
    schema = fct.metadata["dagster/column_schema"]
    schema = getattr(schema, "value", schema)
    types = {c.name: c.type for c in schema.columns}
    assert types["observation_id"] == "varchar" and types["value"] == "double"
    assert types["span_start"] == "integer" and types["evidence"] == "json"


def test_dbt_resource_runs_dbt_without_an_in_process_adapter():
    """The assets' dbt resource skips dagster-dbt's in-process dbt adapter (row counts and
    column types come from one DuckDB query instead; the e2e test checks them). The hook
    it overrides must still be the one ``DbtCliResource.cli`` calls: a dagster-dbt upgrade
    that renames it fails here instead of silently bringing the cost back."""
    import inspect

    from dagster_dbt import DbtCliResource

    from orchestration.defs.resources import DbtFromSettings, ProjectDbtCliResource

    resource = DbtFromSettings().create_resource(dg.build_init_resource_context())
    assert isinstance(resource, ProjectDbtCliResource)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
    assert "self._initialize_dbt_core_adapter(" in inspect.getsource(DbtCliResource.cli)


def test_dbt_resource_knows_its_dbt_version_without_running_dbt(monkeypatch):
    """dagster-dbt runs ``dbt --version`` before every command to learn the version
    (~1.5 s of imports); the project's own dbt is the installed dbt-core, whose version
    is read from the package metadata instead. Another executable is still asked."""
    import importlib.metadata
    import inspect

    import dbt.version
    from dagster_dbt import DbtCliResource
    from dagster_dbt.core import resource as dagster_dbt_resource

    from orchestration.defs.resources import DbtFromSettings, ProjectDbtCliResource

    resource = DbtFromSettings().create_resource(dg.build_init_resource_context())

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"dbt was run: {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_subprocess)
    version = resource._cli_version
    assert str(version) == importlib.metadata.version("dbt-core") == dbt.version.__version__
    # the property overridden is the one DbtCliResource.cli reads
    assert "self._cli_version" in inspect.getsource(DbtCliResource.cli)

    other = ProjectDbtCliResource(project_dir=resource.project_dir, dbt_executable="/bin/true")
    with pytest.raises(AssertionError, match="dbt was run"):
        _ = other._cli_version
