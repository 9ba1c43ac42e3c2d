"""dbt models and seeds as assets, built on a private copy of the warehouse.

Each dbt model and seed is its own asset (lineage from ``raw_documents`` /
``observations`` comes from the sources' ``meta.dagster.asset_key``); dbt tests are asset
checks. ``dbt build`` writes only the build copy yielded by ``staged_build("dbt")``; the
copy is published only if the whole invocation succeeded (models built, no test at
``error`` severity failed). Otherwise the copy is discarded, the previously published
marts stay as they were, and the run fails naming what broke.
"""

import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._record import replace
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.defs.dbt_metadata import (
    check_description,
    failed_check_results,
    with_failing_rows,
    with_table_metadata,
)
from orchestration.defs.formatting import markdown_table
from orchestration.defs.resources import WarehouseResource, dbt_project, prepare_dbt_manifest

DBT_MANIFEST = prepare_dbt_manifest()

#: dbt folder (second element of a node's fqn) → Dagster asset group.
_GROUPS = {"staging": "transform", "intermediate": "transform", "marts": "marts"}
#: Per-invocation target folders (logs, run_results.json) kept under dbt_project/target.
KEEP_TARGET_DIRS = 10
_FAILED = {"error", "fail", "runtime error"}


#: dagster-dbt's bookkeeping entry holding the DbtProject object; the UI cannot show it
#: (it printed "[DbtProject] (unserializable)"), so it is left off the asset specs.
_PROJECT_METADATA_KEY = "dagster_dbt/project"


class ProvstatsDbtTranslator(DagsterDbtTranslator):
    """Group dbt nodes by layer: seeds → ``reference``, staging/intermediate →
    ``transform``, marts → ``marts``; every dbt test's check gets a description; no
    unserializable metadata."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if _PROJECT_METADATA_KEY not in spec.metadata:
            return spec
        metadata = {k: v for k, v in spec.metadata.items() if k != _PROJECT_METADATA_KEY}
        return spec.replace_attributes(metadata=metadata)

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        test = manifest["nodes"].get(unique_id) or {}
        return replace(spec, description=check_description(test, asset_spec.key.path[-1]))

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn") or []
        if len(fqn) > 2 and fqn[1] in _GROUPS:
            return _GROUPS[fqn[1]]
        return super().get_group_name(dbt_resource_props)


dbt_translator = ProvstatsDbtTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # several landing tables are written by the same Python asset
        enable_duplicate_source_asset_keys=True,
    )
)


def dbt_failures(invocation: DbtCliInvocation) -> list[dict[str, str]]:
    """The nodes that failed (models in error, tests that failed or errored, and what was
    skipped because of them), from run_results.json; the dbt error messages otherwise."""
    try:
        results = invocation.get_artifact("run_results.json").get("results", [])
    except (OSError, ValueError):
        results = []
    failures = []
    for result in results:
        if str(result.get("status")).lower() in _FAILED:
            # unique_id: <type>.<package>.<name>[.<hash> for tests]
            parts = str(result.get("unique_id", "")).split(".")
            failures.append({
                "node": parts[2] if len(parts) > 2 else ".".join(parts) or "?",
                "type": parts[0] or "?",
                "status": str(result.get("status")),
                "message": " ".join(str(result.get("message") or "").split())[:300],
            })
    if not failures:
        for message in getattr(invocation, "_error_messages", []) or []:
            failures.append({"node": "dbt", "type": "invocation", "status": "error",
                             "message": " ".join(str(message).split())[:300]})
    return failures


def _prune_target_dirs(target_path: Path) -> None:
    """Keep only the most recent per-invocation target folders of this asset."""
    parent = target_path.parent
    if not parent.is_dir():
        return
    prefix = target_path.name.split("-")[0] + "-"
    runs = sorted(
        (p for p in parent.iterdir() if p.is_dir() and p.name.startswith(prefix)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in runs[KEEP_TARGET_DIRS:]:
        shutil.rmtree(old, ignore_errors=True)


def _keep_partial_parse(target_path: Path) -> None:
    """Make this build's parse the one the next invocation starts from.

    dagster-dbt seeds each invocation's target folder with the project's
    ``target/partial_parse.msgpack``. The build copy has a stable path, so the next build
    has the same profile and vars as this one and dbt can skip re-parsing unchanged files
    (dbt itself checks file hashes and re-parses whatever changed).
    """
    produced = target_path / "partial_parse.msgpack"
    if produced.exists():
        shared = dbt_project.project_dir / dbt_project.target_path / "partial_parse.msgpack"
        tmp = shared.with_name(shared.name + ".tmp")
        shutil.copyfile(produced, tmp)
        tmp.replace(shared)


@dbt_assets(
    manifest=DBT_MANIFEST,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    name="dbt_warehouse",
)
def dbt_warehouse(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """``dbt build`` (seeds, models, tests) of the selected nodes on a build copy."""
    with warehouse.staged_build("dbt") as build_path:
        invocation = dbt.cli(
            ["build", "--vars", json.dumps({"warehouse_path": str(build_path)})],
            context=context,
            raise_on_error=False,
        )
        events = with_failing_rows(list(invocation.stream()), invocation, build_path)
        succeeded = invocation.is_successful()
        if not succeeded:
            # the checks that refused the build, with their failing rows
            yield from failed_check_results(events)
            failures = dbt_failures(invocation)
            names = ", ".join(f"{f['node']} ({f['status']})" for f in failures) or "unknown"
            raise dg.Failure(
                description=(
                    f"dbt build failed: {names}. The build copy was discarded; the published "
                    f"warehouse {warehouse.published_path} is unchanged."
                ),
                metadata={
                    "failures": dg.MetadataValue.md(
                        markdown_table(["node", "type", "status", "message"],
                                       [tuple(f.values()) for f in failures])
                    ),
                    "dbt_logs": dg.MetadataValue.path(str(invocation.target_path)),
                },
            )
        events = with_table_metadata(events, invocation)
    _keep_partial_parse(invocation.target_path)
    _prune_target_dirs(invocation.target_path)
    context.log.info(f"dbt build published {warehouse.published_path}")
    yield from events
