"""Take the data away: the dbt docs site and exports of the marts.

``python -m orchestration docs [--serve]`` (``make docs``)
    ``dbt docs generate`` into ``dbt_project/target/docs`` on a private *copy* of the
    published warehouse (dbt-duckdb opens its database read-write: pointed at the
    published file it failed with "Cannot open file …" whenever a notebook or the UI had
    the file open, and would have blocked them), then ``dbt docs serve`` on
    http://127.0.0.1:8080. Without a published warehouse the site is built with an empty
    catalog (descriptions, lineage, no column statistics).

``python -m orchestration export`` (``make export``)
    Every table of the ``marts`` schema to ``warehouse/export/`` as Parquet and as CSV
    (UTF-8 with BOM, so Excel shows Vietnamese), plus a data dictionary
    (``data_dictionary.md`` and ``.csv``) written from the dbt docs artifacts: each
    table's description and row count, each column's type and description. The export is
    written to a temporary folder and swapped in whole; the published warehouse is only
    read (read-only connection).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration import settings

DOCS_TARGET = settings.DBT_PROJECT_DIR / "target" / "docs"
UTF8_BOM = b"\xef\xbb\xbf"


def export_dir() -> Path:
    """``warehouse/export`` next to the published warehouse."""
    return settings.warehouse_path().parent / "export"


def _dbt(*args: str, target_path: Path) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt if dbt.exists() else "dbt"), *args,
            "--project-dir", str(settings.DBT_PROJECT_DIR),
            "--profiles-dir", str(settings.DBT_PROJECT_DIR),
            "--target-path", str(target_path)]


def _dbt_env() -> dict[str, str]:
    return {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


# ------------------------------------------------------------------------ dbt docs
def generate_docs(target_path: Path = DOCS_TARGET, *, quiet: bool = False) -> Path:
    """Build the dbt docs artifacts (manifest.json, catalog.json, index.html) into
    ``target_path`` from a temporary copy of the published warehouse; return the folder.

    Raises RuntimeError with dbt's output when dbt fails.
    """
    published = settings.warehouse_path()
    target_path.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="provstats-docs-") as tmp:
        # same file name, so the catalog's database name is the published one's
        copy = Path(tmp) / published.name
        extra: list[str] = []
        if published.exists():
            shutil.copy2(published, copy)
        else:
            extra.append("--empty-catalog")
        command = _dbt("docs", "generate", *extra, target_path=target_path) + [
            "--vars", json.dumps({"warehouse_path": str(copy)}),
            "--log-path", str(Path(tmp) / "logs"),
        ]
        if quiet:
            command.append("--quiet")
        result = subprocess.run(command, cwd=settings.PROJECT_ROOT, env=_dbt_env(),
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"dbt docs generate failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    if not published.exists():
        print(f"provstats: no warehouse at {published} yet: the docs have descriptions and "
              "lineage but an empty catalog (run `make run` first)", file=sys.stderr)
    return target_path


def serve_docs(host: str = "127.0.0.1", port: int = 8080,
               target_path: Path = DOCS_TARGET) -> int:
    """``dbt docs serve`` of the generated site (blocks until interrupted)."""
    command = _dbt("docs", "serve", "--host", host, "--port", str(port), "--no-browser",
                   target_path=target_path)
    print(f"provstats: dbt docs on http://{host}:{port} (Ctrl-C stops)", flush=True)
    try:
        return subprocess.run(command, cwd=settings.PROJECT_ROOT, env=_dbt_env()).returncode
    except KeyboardInterrupt:
        return 0


# ------------------------------------------------------------------------ dictionary
@dataclass
class Column:
    name: str
    data_type: str
    description: str


@dataclass
class TableDoc:
    name: str
    description: str
    columns: list[Column]


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def data_dictionary(docs: Path = DOCS_TARGET, schema: str = "marts") -> dict[str, TableDoc]:
    """Table and column descriptions of the dbt models built in ``schema``, with each
    column's type from the catalog (the built table), else from the model YAML."""
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    catalog_path = docs / "catalog.json"
    catalog = (json.loads(catalog_path.read_text(encoding="utf-8")).get("nodes", {})
               if catalog_path.exists() else {})
    tables: dict[str, TableDoc] = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model" or node.get("schema") != schema:
            continue
        built = {name.lower(): column for name, column in
                 (catalog.get(unique_id) or {}).get("columns", {}).items()}
        documented = node.get("columns", {})
        names = list(documented) + [c["name"] for c in sorted(
            built.values(), key=lambda c: c.get("index", 0)) if c["name"] not in documented]
        columns = []
        for name in names:
            doc = documented.get(name, {})
            data_type = ((built.get(name.lower()) or {}).get("type")
                         or doc.get("data_type") or "")
            columns.append(Column(name, str(data_type).lower(),
                                  _one_line(doc.get("description"))))
        tables[node["name"]] = TableDoc(node["name"], str(node.get("description") or "").strip(),
                                        columns)
    return tables


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_dictionary(tables: dict[str, TableDoc], rows: dict[str, int], folder: Path) -> None:
    """``data_dictionary.md`` (for reading) and ``data_dictionary.csv`` (UTF-8 with BOM)."""
    lines = ["# provstats — data dictionary of the exported marts", "",
             "Generated from the dbt docs (model and column descriptions, built column types) "
             "by `make export`. Files: `<table>.parquet` and `<table>.csv` (UTF-8 with BOM; "
             "comma-separated, `.` as the decimal point, dates as YYYY-MM-DD).", ""]
    for name in sorted(rows):
        table = tables.get(name)
        lines += [f"## {name}", "", f"{rows[name]:,} rows.", ""]
        if table is None:
            lines += ["(not a dbt model: no description)", ""]
            continue
        lines += [table.description, "", "| column | type | description |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.data_type} | {_md_cell(c.description)} |"
                  for c in table.columns]
        lines.append("")
    (folder / "data_dictionary.md").write_text("\n".join(lines), encoding="utf-8")
    with (folder / "data_dictionary.csv").open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["table", "table_description", "rows", "column", "type",
                         "description"])
        for name in sorted(rows):
            table = tables.get(name) or TableDoc(name, "", [])
            for column in table.columns:
                writer.writerow([name, _one_line(table.description), rows[name], column.name,
                                 column.data_type, column.description])


# ------------------------------------------------------------------------ export
def _sql_string(path: Path) -> str:
    """``path`` as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _copy_csv_with_bom(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    plain = path.with_suffix(".nobom.csv")
    con.execute(f'copy marts."{table}" to {_sql_string(plain)} (format csv, header true)')
    with path.open("wb") as out, plain.open("rb") as data:
        out.write(UTF8_BOM)
        shutil.copyfileobj(data, out, length=1 << 20)
    plain.unlink()


def export_marts(target: Path | None = None, *, docs: Path = DOCS_TARGET) -> dict[str, int]:
    """Write every ``marts`` table as Parquet and CSV plus the data dictionary into
    ``target`` (default :func:`export_dir`); return the row count of each table."""
    target = target or export_dir()
    published = settings.warehouse_path()
    if not published.exists():
        raise FileNotFoundError(
            f"no warehouse at {published}: build it with `make run` (or set WAREHOUSE_PATH)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        con = duckdb.connect(str(published), read_only=True)
        try:
            tables = [r[0] for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name").fetchall()]
            if not tables:
                raise RuntimeError(f"{published} has no marts: run `make run` first")
            rows = {}
            for table in tables:
                rows[table] = con.execute(f'select count(*) from marts."{table}"').fetchone()[0]
                parquet = staging / f"{table}.parquet"
                con.execute(f'copy marts."{table}" to {_sql_string(parquet)} (format parquet)')
                _copy_csv_with_bom(con, table, staging / f"{table}.csv")
        finally:
            con.close()
        write_dictionary(data_dictionary(docs), rows, staging)
        staging.chmod(0o755)  # mkdtemp made it private
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return rows


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` (two renames; the old export is removed after)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main_docs(serve: bool, host: str, port: int) -> int:
    """``python -m orchestration docs``."""
    try:
        folder = generate_docs()
    except RuntimeError as error:
        print(f"provstats: {error}", file=sys.stderr)
        return 1
    print(f"provstats: dbt docs generated in {folder}", flush=True)
    return serve_docs(host, port) if serve else 0


def main_export(argv_docs: bool = True) -> int:
    """``python -m orchestration export``."""
    try:
        if argv_docs:
            generate_docs(quiet=True)
        rows = export_marts()
    except (RuntimeError, FileNotFoundError) as error:
        print(f"provstats: export failed: {error}", file=sys.stderr)
        return 1
    folder = export_dir()
    print(f"provstats: exported {len(rows)} tables of {settings.warehouse_path()} to {folder}")
    for table, count in rows.items():
        print(f"  {table:<24} {count:>9,} rows  {table}.parquet  {table}.csv")
    print("  data_dictionary.md, data_dictionary.csv")
    return 0


def add_commands(commands: Any) -> None:
    """The ``docs`` and ``export`` sub-commands of ``python -m orchestration``."""
    docs = commands.add_parser("docs", help="generate the dbt docs site (and --serve it)")
    docs.add_argument("--serve", action="store_true", help="then serve it (dbt docs serve)")
    docs.add_argument("--host", default="127.0.0.1")
    docs.add_argument("--port", type=int, default=8080)
    export = commands.add_parser(
        "export", help="marts as Parquet and CSV (UTF-8 BOM) with a data dictionary")
    export.add_argument("--no-docs", action="store_true",
                        help="reuse the dbt docs artifacts already in dbt_project/target/docs")


def run_command(args: Any) -> int | None:
    """Run ``docs`` / ``export``; None for any other command."""
    if args.command == "docs":
        return main_docs(args.serve, args.host, args.port)
    if args.command == "export":
        return main_export(not args.no_docs)
    return None

