"""What the Dagster UI shows about dbt nodes beyond dagster-dbt's defaults.

* :func:`check_description`: every dbt test becomes an asset check *with a description*:
  the test's own ``description`` from the YAML (or ``meta.description``, which is what
  dagster-dbt reads), else one written from the test's definition ("`source_id` is never
  NULL", "every `period_code` exists in dim_period.period_code", ...).
* :func:`with_failing_rows`: a dbt test that failed or warned gets up to
  :data:`FAILING_ROWS_SHOWN` of the rows it found, read from the build copy with the
  test's compiled SQL right after ``dbt build`` (no ``store_failures`` tables are written
  into the warehouse).
* :func:`with_table_metadata`: row counts and column types of the models (views
  included: ``fct_indicator``, ``dim_source`` and the staging layer are views) and seeds
  built, read from the build copy with one read-only DuckDB connection, closed before the
  copy is checkpointed and published.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import yaml
from dagster_dbt import DbtCliInvocation

from orchestration import settings
from orchestration.defs.formatting import markdown_table

#: Failing rows (and at most how many of their columns) listed in a failed check's metadata.
FAILING_ROWS_SHOWN = 20
FAILING_COLUMNS_SHOWN = 16
_NOT_PASSED = {"fail", "warn", "error"}


# ------------------------------------------------------------------ check descriptions
def _ref_name(value: Any) -> str:
    """``ref('dim_source')`` → ``dim_source``."""
    found = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]\s*\)", str(value))
    return found.group(1) if found else str(value)


@functools.cache
def _project_vars() -> dict[str, Any]:
    """The ``vars`` of dbt_project.yml (codelists the accepted_values tests name)."""
    try:
        project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    except (OSError, yaml.YAMLError):
        return {}
    return dict((project or {}).get("vars") or {})


def _values(values: Any) -> str:
    """Accepted values as text; ``{{ var('unit_codes') }}`` becomes the codelist itself."""
    if isinstance(values, str):
        found = re.fullmatch(r"\{\{\s*var\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\}\}", values.strip())
        if found and isinstance(_project_vars().get(found.group(1)), list):
            values = _project_vars()[found.group(1)]
        else:
            return values
    return ", ".join(str(v) for v in values)


def _describe_generic_test(test: Mapping[str, Any], model: str) -> str:
    metadata = test.get("test_metadata") or {}
    name = metadata.get("name") or test.get("name", "test")
    kwargs = metadata.get("kwargs") or {}
    column = test.get("column_name") or kwargs.get("column_name")
    subject = f"`{model}.{column}`" if column else f"every row of `{model}`"
    if name == "not_null":
        text = f"{subject} is never NULL"
    elif name == "unique":
        text = f"{subject} is unique: no two rows share a value"
    elif name == "accepted_values":
        text = f"{subject} is one of the codes: {_values(kwargs.get('values') or [])}"
    elif name == "relationships":
        text = (f"every {subject} exists in "
                f"`{_ref_name(kwargs.get('to'))}.{kwargs.get('field')}`")
    elif name == "expression_is_true":
        text = f"{subject} satisfies `{' '.join(str(kwargs.get('expression')).split())}`"
    elif name == "matches_regex":
        text = f"{subject} matches the pattern `{kwargs.get('pattern')}`"
    else:
        text = f"dbt test `{name}` on {subject}"
    return text[:1].upper() + text[1:]


def check_description(test: Mapping[str, Any], model: str) -> str:
    """The description of the asset check of a dbt test node (a manifest entry)."""
    description = (test.get("description") or "").strip() or str(
        (test.get("meta") or {}).get("description") or (
            (test.get("config") or {}).get("meta") or {}).get("description") or "").strip()
    if not description:
        description = _describe_generic_test(test, model)
    config = test.get("config") or {}
    notes = []
    if config.get("where"):
        notes.append(f"rows where {' '.join(str(config['where']).split())}")
    if str(config.get("severity", "error")).lower() == "warn":
        notes.append("warning only: a failure does not stop the build")
    if notes:
        description = f"{description.rstrip('.')} ({'; '.join(notes)})."
    elif not description.endswith("."):
        description += "."
    return description


# ------------------------------------------------------------------ failing rows
_SELECT_ONE_COLUMN = re.compile(r"^\s*select\s+\S+\s+from\b", re.IGNORECASE)


def _failed_tests(invocation: DbtCliInvocation) -> dict[str, str]:
    """unique_id → SQL returning the failing rows of every test that failed, warned or
    errored: the compiled test, except that a not_null test returns whole rows (dbt's
    returns only the NULL column)."""
    try:
        results = invocation.get_artifact("run_results.json").get("results", [])
    except (OSError, ValueError):
        return {}
    nodes = (invocation.manifest or {}).get("nodes", {})
    failed = {}
    for result in results:
        unique_id = str(result.get("unique_id", ""))
        sql = str(result.get("compiled_code") or "").strip().rstrip(";")
        if not (unique_id.startswith("test.") and sql
                and str(result.get("status")).lower() in _NOT_PASSED):
            continue
        test_name = ((nodes.get(unique_id) or {}).get("test_metadata") or {}).get("name")
        if test_name == "not_null":
            sql = _SELECT_ONE_COLUMN.sub("select * from", sql, count=1)
        failed[unique_id] = sql
    return failed


def _sample(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple], int]:
    cursor = con.execute(f"select * from ({sql}) as failing_rows limit {FAILING_ROWS_SHOWN}")
    columns = [d[0] for d in cursor.description]
    rows = [row[:FAILING_COLUMNS_SHOWN] for row in cursor.fetchall()]
    return columns[:FAILING_COLUMNS_SHOWN], rows, len(columns)


def with_failing_rows(events: Sequence[Any], invocation: DbtCliInvocation,
                      build_path: Path) -> list[Any]:
    """Attach sample failing rows to the check results of failed / warned dbt tests.

    Runs after dbt has exited (the build copy is no longer locked) and closes its
    read-only connection before returning.
    """
    failed = _failed_tests(invocation)
    if not failed or not build_path.exists():
        return list(events)
    out = []
    con = duckdb.connect(str(build_path), read_only=True)
    try:
        for event in events:
            unique_id = _unique_id(event)
            if isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation) and (
                    unique_id in failed):
                try:
                    columns, rows, n_columns = _sample(con, failed[unique_id])
                    table = markdown_table(columns, rows, max_rows=FAILING_ROWS_SHOWN)
                    if n_columns > len(columns):
                        table += f"\n\n(first {len(columns)} of {n_columns} columns)"
                    extra = {
                        "failing_rows": dg.MetadataValue.md(table),
                        "failing_rows_shown": len(rows),
                    }
                except duckdb.Error as error:
                    extra = {"failing_rows": f"could not read the failing rows: {error}"}
                event = event.with_metadata({**event.metadata, **extra})
            out.append(event)
    finally:
        con.close()
    return out


def _unique_id(event: Any) -> str | None:
    value = (getattr(event, "metadata", None) or {}).get("unique_id")
    return getattr(value, "value", value)


def failed_check_results(events: Iterable[Any]) -> list[Any]:
    """The check results that did not pass (reported when a build is discarded)."""
    return [e for e in events
            if isinstance(e, dg.AssetCheckResult | dg.AssetCheckEvaluation) and not e.passed]


# ------------------------------------------------------------------ row counts, types
_COLUMN_SCHEMA_KEY = "dagster/column_schema"
_ROW_COUNT_KEY = "dagster/row_count"


def _materialized_node(event: Any, invocation: DbtCliInvocation) -> Mapping[str, Any] | None:
    """The manifest node of a model or seed materialisation event (None for others)."""
    if not isinstance(event, dg.Output | dg.AssetMaterialization):
        return None
    return ((invocation.manifest or {}).get("nodes") or {}).get(_unique_id(event))


def _quoted(*names: str) -> str:
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)


def with_table_metadata(
    events: Sequence[Any], invocation: DbtCliInvocation, build_path: Path
) -> list[Any]:
    """Row count (``dagster/row_count``) and column types (``dagster/column_schema``, as
    DuckDB names them, in lower case like the models' ``data_type``) of every model
    (tables, incremental tables and views) and seed materialised.

    Read from the build copy after dbt exited, with one read-only connection and two
    queries (dagster-dbt's ``fetch_row_counts()`` / ``fetch_column_metadata()`` open a
    dbt adapter connection per model and skip views: seconds per build). A view is
    counted too: here views select from stored tables and DuckDB answers ``count(*)``
    without running their joins. Metadata only: an error is logged, never raised."""
    relations: dict[str, tuple[str, str]] = {}
    for event in events:
        node = _materialized_node(event, invocation)
        if node is not None:
            relations[node["unique_id"]] = (node["schema"], node.get("alias") or node["name"])
    if not relations or not build_path.exists():
        return list(events)
    try:
        con = duckdb.connect(str(build_path), read_only=True)
    except duckdb.Error as error:
        dg.get_dagster_logger().warning(f"could not read row counts and column types: {error}")
        return list(events)
    columns: dict[tuple[str, str], list[dg.TableColumn]] = {}
    counts: dict[str, int] = {}
    try:
        for schema, table, column, data_type in con.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns order by table_schema, table_name, ordinal_position"
        ).fetchall():
            columns.setdefault((schema, table), []).append(
                dg.TableColumn(column, data_type.lower())
            )
        uids = list(relations)
        union = " union all ".join(
            f"select {i} as k, count(*) as n from {_quoted(*relations[uid])}"
            for i, uid in enumerate(uids)
        )
        counts = {uids[k]: int(n) for k, n in con.execute(union).fetchall()}
    except duckdb.Error as error:
        dg.get_dagster_logger().warning(f"could not read row counts and column types: {error}")
    finally:
        con.close()
    out = []
    for event in events:
        uid = _unique_id(event)
        if uid in relations and isinstance(event, dg.Output | dg.AssetMaterialization):
            extra: dict[str, Any] = {}
            if uid in counts:
                extra[_ROW_COUNT_KEY] = counts[uid]
            if relations[uid] in columns:
                extra[_COLUMN_SCHEMA_KEY] = dg.TableSchema(columns=columns[relations[uid]])
            if extra:
                event = event.with_metadata({**event.metadata, **extra})
        out.append(event)
    return out
