"""dbt models and seeds as assets, built on a private copy of the warehouse.

Each dbt model and seed is its own asset (lineage from ``raw_documents`` /
``observations`` comes from the sources' ``meta.dagster.asset_key``); dbt tests are asset
checks. ``dbt build`` writes the run's build copy (the one the Python steps wrote, if they
wrote anything; see :mod:`orchestration.defs.run_writes`); the copy — landing tables and
marts together — is published only if the whole invocation succeeded (models built, no
test at ``error`` severity failed). Otherwise the copy is discarded, the published
warehouse stays as it was, and the run fails naming what broke. When nothing changed
since the marts were built, dbt does not run at all.
"""

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
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
from orchestration.defs.stage_timing import timed_stage
from orchestration.warehouse.dbt_vars import dbt_build_vars
from orchestration.warehouse.landing import (
    LANDING_VERSION,
    MARTS_LANDING_VERSION,
    MARTS_PROJECT_FINGERPRINT,
    mark_landing_changed,
    read_state,
    write_state,
)

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


def project_fingerprint() -> str:
    """sha256 over the dbt project's sources (models, macros, seeds, tests, YAML), the
    catalogue seed and the dbt versions: the marts must be rebuilt when it changes."""
    digest = hashlib.sha256()
    root = dbt_project.project_dir
    files = [root / "dbt_project.yml", root / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests", "snapshots", "analyses"):
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    files += sorted((root.parent / "orchestration" / "extraction" / "data").glob("*.csv"))
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def _marts_current(state: dict[str, str], fingerprint: str) -> bool:
    """Whether the marts were built from the current landing tables by this dbt project
    (``state``: ``pipeline.state``, written after each successful build)."""
    return (
        bool(state.get(LANDING_VERSION))
        and state.get(MARTS_LANDING_VERSION) == state.get(LANDING_VERSION)
        and state.get(MARTS_PROJECT_FINGERPRINT) == fingerprint
    )


def _record_build(build_path: Path, fingerprint: str) -> str:
    """Note in the build which landing state and project the marts now reflect; return
    the key of that state (landing version and project fingerprint)."""
    con = duckdb.connect(str(build_path))
    try:
        landing_version = read_state(con).get(LANDING_VERSION) or mark_landing_changed(con)
        write_state(con, **{MARTS_LANDING_VERSION: landing_version,
                            MARTS_PROJECT_FINGERPRINT: fingerprint})
    finally:
        con.close()
    return f"{landing_version}:{fingerprint}"


# The dbt tests' verdicts on the published marts, kept next to the warehouse so that a
# refresh that skips dbt (nothing changed) reports the same verdicts — failures included —
# for the same data, as the Python checks do (checks.py), instead of none.


def dbt_checks_cache_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.dbt-checks.json")


def _plain(value: Any) -> Any:
    value = getattr(value, "value", value)
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _remember_dbt_checks(path: Path, key: str, events: list[Any]) -> None:
    results = [
        {"asset_key": e.asset_key.path, "check_name": e.check_name, "passed": e.passed,
         "severity": e.severity.value,
         "metadata": {k: _plain(v) for k, v in (e.metadata or {}).items()}}
        for e in events if isinstance(e, dg.AssetCheckResult)
    ]
    data = {"key": key, "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "results": results}
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # the next no-change refresh then builds instead of recalling
        tmp.unlink(missing_ok=True)


class _OmittedOutputsNote(logging.Filter):
    """Drops Dagster's note listing every dbt model and test a skipped build did not
    materialise or evaluate (some 150 names; the skip is logged in one line instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "did not yield or return expected outputs" not in record.getMessage()


def _recall_dbt_checks(path: Path, key: str) -> list[dg.AssetCheckResult] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    note = f"{data.get('built_at')}: recalled, the warehouse has not changed since that build"
    return [
        dg.AssetCheckResult(
            asset_key=dg.AssetKey(r["asset_key"]), check_name=r["check_name"],
            passed=r["passed"], severity=dg.AssetCheckSeverity(r["severity"]),
            metadata={**r["metadata"], "evaluated": note})
        for r in data.get("results", [])
    ]


@dbt_assets(
    manifest=DBT_MANIFEST,
    project=dbt_project,
    dagster_dbt_translator=dbt_translator,
    name="dbt_warehouse",
)
def dbt_warehouse(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """``dbt build`` (seeds, models, tests) of the selected nodes on the run's build copy.

    Skipped — no copy, no dbt — when nothing was written by this run's earlier steps and
    the published marts were built by this project from the published landing tables.
    A full rebuild runs ``dbt build --full-refresh`` (incremental models rebuilt whole).
    """
    fingerprint = project_fingerprint()
    whole_project = set(context.selected_asset_keys) == set(context.assets_def.keys)
    with warehouse.writer(context, "dbt_warehouse") as writer, \
            timed_stage(context.log, "dbt") as timing:
        with writer.read_only() as con:
            state = read_state(con)
        checks_cache = dbt_checks_cache_path(warehouse.published_path)
        if (writer.pending is None and whole_project and not writer.full_rebuild
                and _marts_current(state, fingerprint)):
            recalled = _recall_dbt_checks(
                checks_cache, f"{state.get(MARTS_LANDING_VERSION)}:{fingerprint}")
            if recalled is not None:
                # Passing tests keep their evaluation of that build (each re-reported
                # verdict is two SQLite writes in the run log: ~2 s for 136 tests); those
                # that did not pass are reported again so that no run hides them.
                not_passed = [r for r in recalled if not r.passed]
                context.log.info(
                    "landing tables and dbt project unchanged since the marts were built: "
                    "dbt build skipped, the warehouse was not written; of that build's "
                    f"{len(recalled)} dbt tests, {len(recalled) - len(not_passed)} passed and "
                    f"{len(not_passed)} did not (reported again)")
                context.log.addFilter(_OmittedOutputsNote())
                yield from not_passed
                return
        # incremental models are rebuilt whole when the project (or dbt) changed since
        # they were built, and on a full rebuild
        full_refresh = writer.full_rebuild or (
            state.get(MARTS_PROJECT_FINGERPRINT) != fingerprint)
        with writer.build() as build_path:
            build_vars = dbt_build_vars(warehouse.published_path)
            if json.loads(build_vars)["warehouse_path"] != str(build_path):
                raise RuntimeError(f"dbt vars {build_vars} do not name the build {build_path}")
            args = ["build", "--vars", build_vars]
            if full_refresh:
                args.append("--full-refresh")
                context.log.info("dbt build --full-refresh: "
                                 + ("full rebuild" if writer.full_rebuild else
                                    "the dbt project changed since the marts were built"))
            else:
                # dbt unit tests check the models' SQL on fixed input rows: their verdict
                # depends on the project only, so they run when it changed (and in every
                # full rebuild), not again on every new document (~1.3 s a build).
                args += ["--exclude-resource-type", "unit_test"]
            invocation = dbt.cli(args, context=context, raise_on_error=False)
            events = with_failing_rows(list(invocation.stream()), invocation, build_path)
            succeeded = invocation.is_successful()
            if not succeeded:
                # the checks that refused the build, with their failing rows
                yield from failed_check_results(events)
                failures = dbt_failures(invocation)
                names = ", ".join(f"{f['node']} ({f['status']})" for f in failures) or "unknown"
                raise dg.Failure(
                    description=(
                        f"dbt build failed: {names}. The build copy was discarded; the "
                        f"published warehouse {warehouse.published_path} is unchanged."
                    ),
                    metadata={
                        "failures": dg.MetadataValue.md(
                            markdown_table(["node", "type", "status", "message"],
                                           [tuple(f.values()) for f in failures])
                        ),
                        "dbt_logs": dg.MetadataValue.path(str(invocation.target_path)),
                    },
                )
            # row counts and column types of the built models, read before publishing
            events = with_table_metadata(events, invocation, build_path)
            built_key = _record_build(build_path, fingerprint) if whole_project else None
    if built_key:
        _remember_dbt_checks(checks_cache, built_key, events)
    context.log.info(f"dbt build published {warehouse.published_path} in "
                     f"{timing.wall_s:.1f}s")
    _keep_partial_parse(invocation.target_path)
    _prune_target_dirs(invocation.target_path)
    yield from events
