"""Taking the data away and reading about it: ``make export`` (Parquet, CSV with BOM, a
data dictionary from the dbt docs), ``make docs`` (built from a copy of the warehouse,
served), and ``make notebooks`` starting even as root.

A warehouse is built once for the module from the sample landing schema with the real
``dbt build``; every command runs as an operator runs it, from the repository root, with
WAREHOUSE_PATH pointing at a copy in a temporary folder.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SUBPROCESS_TIMEOUT_S, run_dbt
from tests.fixtures.landing_sample import OFFICIAL, sample_rows, write_landing
from tests.test_webserver_smoke import _free_port, _log_tail

pytestmark = pytest.mark.slow

MARTS = ("dim_indicator", "dim_period", "dim_quarantined_file", "dim_source", "fct_indicator",
         "mart_indicator_series", "mart_source_conflicts", "mart_target_tracking")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("publishing_build")
    path = work / "provstats.duckdb"
    write_landing(path, sample_rows())
    result = run_dbt("build", path, work)
    assert result.returncode == 0, result.stdout[-3000:]
    return path


@pytest.fixture
def warehouse(built, tmp_path) -> Path:
    """A private copy of the built warehouse, where WAREHOUSE_PATH points."""
    path = tmp_path / "warehouse" / "provstats.duckdb"
    path.parent.mkdir()
    shutil.copyfile(built, path)
    return path


def _cli(warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration", *args], cwd=ROOT, capture_output=True,
        text=True, timeout=SUBPROCESS_TIMEOUT_S,
        env={**os.environ, "WAREHOUSE_PATH": str(warehouse),
             "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def _reader_holding(path: Path):
    """Another process with a read-only connection open on ``path`` (a notebook)."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         f"con = duckdb.connect({str(path)!r}, read_only=True)\n"
         "print('open', flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------------ export
def test_export_writes_parquet_csv_with_bom_and_a_data_dictionary(warehouse):
    before = _sha256(warehouse)
    with _reader_holding(warehouse):
        result = _cli(warehouse, "export")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _sha256(warehouse) == before
    export = warehouse.parent / "export"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table in MARTS:
            count = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            parquet = export / f"{table}.parquet"
            assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall()[0][0] == count
            raw = (export / f"{table}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf"), table        # UTF-8 BOM for Excel
            rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
            assert len(rows) == count, table
            assert f"{table:<24}" in result.stdout
        # Vietnamese text survives the round trip
        text = con.execute("select text from marts.dim_source where source_id = ?",
                           [OFFICIAL]).fetchone()[0]
    finally:
        con.close()
    sources = list(csv.DictReader(io.StringIO(
        (export / "dim_source.csv").read_bytes().decode("utf-8-sig"))))
    assert next(r for r in sources if r["source_id"] == OFFICIAL)["text"] == text

    dictionary = (export / "data_dictionary.md").read_text(encoding="utf-8")
    for table in MARTS:
        assert f"## {table}" in dictionary
    assert ("| `observation_id` | varchar | Identifier of the observation, stable across "
            "re-runs (primary key). |") in dictionary
    assert "| `attainment_pct` | double |" in dictionary
    entries = list(csv.DictReader(io.StringIO(
        (export / "data_dictionary.csv").read_bytes().decode("utf-8-sig"))))
    fct = [e for e in entries if e["table"] == "fct_indicator"]
    assert {e["column"] for e in fct} >= {"observation_id", "value", "quote", "evidence"}
    assert all(e["description"] and e["type"] for e in fct)


def test_export_without_a_warehouse_says_what_to_do(tmp_path):
    result = _cli(tmp_path / "missing.duckdb", "export", "--no-docs")
    assert result.returncode == 1
    assert "make run" in result.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "export").exists()


# ------------------------------------------------------------------------ docs
def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, OSError):
        return None


def _stop_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def test_make_docs_builds_from_a_copy_and_serves_the_site(warehouse, tmp_path):
    """From the repository root, while a notebook holds the warehouse open (dbt would
    have failed with "Cannot open file …" on the published file)."""
    before = _sha256(warehouse)
    port, log = _free_port(), tmp_path / "docs.log"
    with _reader_holding(warehouse), log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "docs", f"DOCS_PORT={port}"], cwd=ROOT, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "WAREHOUSE_PATH": str(warehouse),
                 "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
        try:
            deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
            catalog = None
            while catalog is None and time.monotonic() < deadline:
                assert proc.poll() is None, f"make docs exited:\n{_log_tail(log)}"
                catalog = _get(f"http://127.0.0.1:{port}/catalog.json")
                time.sleep(1)
            assert catalog is not None, _log_tail(log)
            assert b"<html" in (_get(f"http://127.0.0.1:{port}/index.html") or b"").lower()
        finally:
            _stop_group(proc)
    assert b'"model.provstats.fct_indicator"' in catalog
    assert b'"observation_id"' in catalog
    assert _sha256(warehouse) == before
    assert "Cannot open file" not in log.read_text()


# ------------------------------------------------------------------------ notebooks
def test_make_notebooks_starts_jupyterlab_also_as_root(tmp_path):
    port, log = _free_port(), tmp_path / "jupyter.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "notebooks", f"NOTEBOOK_PORT={port}"], cwd=ROOT, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")})
    try:
        deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
        answer = None
        while answer is None and time.monotonic() < deadline:
            assert proc.poll() is None, f"make notebooks exited:\n{_log_tail(log)}"
            answer = _get(f"http://127.0.0.1:{port}/api")
            time.sleep(1)
        assert answer is not None and b"version" in answer, _log_tail(log)
    finally:
        _stop_group(proc)
    assert "Running as root is not recommended" not in log.read_text()
