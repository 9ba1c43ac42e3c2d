"""``python -m orchestration refresh`` as an operator (or a cron job) sees it: one line
per stage, a dbt summary, extraction errors named in the summary with their own exit
status (3), and the full log kept in a file."""

from __future__ import annotations

import decimal
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import cli, extraction
from tests.conftest import RAW_SEEDS, ROOT, SUBPROCESS_TIMEOUT_S

pytestmark = pytest.mark.slow

#: The document the broken extractor fails on (a text of the test's own).
BAD_DOCUMENT = "huge_number.txt"
BAD_TEXT = ("Tổng vốn huy động của tỉnh năm 2024 đạt "
            + ".".join(["999"] * 200) + " tỷ đồng.\n")


@pytest.fixture
def two_documents(pipeline_env):
    """The raw folder holds one seed document and one the extractor cannot read."""
    for path in pipeline_env.raw_dir.iterdir():
        path.unlink()
    shutil.copyfile(RAW_SEEDS / "000_ea925d20ca7bc08d.txt",
                    pipeline_env.raw_dir / "000_ea925d20ca7bc08d.txt")
    (pipeline_env.raw_dir / BAD_DOCUMENT).write_text(BAD_TEXT, encoding="utf-8")
    return pipeline_env


def test_refresh_names_extraction_errors_and_exits_3(defs, two_documents, monkeypatch,
                                                      capsys):
    real = extraction.extract_observations

    def failing_on_one_document(text, **kwargs):
        if "999.999.999" in text:
            raise decimal.InvalidOperation("[<class 'decimal.ConversionSyntax'>]")
        return real(text, **kwargs)

    # the fake lives in this process: extract here, not in worker processes (which import
    # the real extractor; see the end-to-end test below for workers and a real document)
    monkeypatch.setenv("PROVSTATS_EXTRACT_WORKERS", "1")
    monkeypatch.setattr(extraction, "extract_observations", failing_on_one_document)
    code = cli.main(["refresh"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_EXTRACTION_ERRORS, out
    lines = out.splitlines()
    # one line per stage, not Dagster's event log nor dbt's node lines
    assert [line.split()[0] for line in lines if line.startswith("[")] == [
        "[1/3]", "[2/3]", "[3/3]"]
    assert not [line for line in lines if " of " in line and ("START" in line or "PASS" in line)]
    assert len(lines) < 40, out
    assert "succeeded with extraction errors" in out
    assert "extraction    1 document failed" in out
    assert f"    {BAD_DOCUMENT}: InvalidOperation" in out
    assert "models and seeds built" in out and "tests (" in out
    # the warehouse was published with the readable document's observations
    assert two_documents.scalar(
        "select count(*) from marts.fct_indicator where source_id = '000_ea925d20ca7bc08d.txt'")
    # everything Dagster and dbt said is in the log file the summary names
    log = next(line.split(maxsplit=2)[2] for line in lines if line.startswith("  full log"))
    text = Path(log).read_text(encoding="utf-8")
    assert "Finished running" in text and "PASS=" in text  # dbt's output
    assert " - dagster - INFO - refresh_warehouse - " in text  # Dagster's log
    assert "observations - stage extraction" in text


def test_refresh_verbose_prints_the_whole_log(defs, two_documents, capsys):
    (two_documents.raw_dir / BAD_DOCUMENT).unlink()
    code = cli.main(["refresh", "--verbose"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_OK, out
    assert "PASS=" in out            # dbt's own output
    assert "full log" not in out


#: A document written for the test: many short paragraphs of provincial figures, about
#: 7.6 million characters — some 20 s of extraction at the extractor's 0.4 MB/s, ten times
#: the time budget the test sets, which a short document (0.2 s, the worker's warm-up
#: included) stays ten times under.
SLOW_DOCUMENT = "nien-giam-thong-ke-2010-2024.txt"
SHORT_DOCUMENT = "cao-bang-thu-ngan-sach-2024.txt"
SHORT_TEXT = ("Năm 2024, tổng thu ngân sách nhà nước trên địa bàn tỉnh Cao Bằng đạt "
              "3.215,4 tỷ đồng, tăng 6,2% so với năm 2023.\n")
TIME_BUDGET_S = 2


def _long_text(paragraphs: int = 50_000) -> str:
    return "".join(
        f"Năm {2010 + i % 15}, sản lượng lương thực có hạt của tỉnh đạt "
        f"{300 + i % 97}.{i % 1000:03d} tấn, tăng {1 + i % 9},{i % 10}% so với năm "
        f"{2009 + i % 15}; tổng thu ngân sách nhà nước trên địa bàn đạt "
        f"{1000 + i % 4000}.{i % 10} tỷ đồng.\n\n"
        for i in range(paragraphs))


def test_a_real_document_failing_in_a_worker_process_makes_the_cli_exit_3(
        pipeline_env, dbt_manifest):
    """End to end as a cron job runs it, nothing faked: ``python -m orchestration
    refresh`` in its own process, extraction in two worker processes, and a real
    document its worker stops at the time budget. The summary names the document and
    the reason, the other document is published, and the exit status is 3."""
    for path in pipeline_env.raw_dir.iterdir():
        path.unlink()
    (pipeline_env.raw_dir / SHORT_DOCUMENT).write_text(SHORT_TEXT, encoding="utf-8")
    (pipeline_env.raw_dir / SLOW_DOCUMENT).write_text(_long_text(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "orchestration", "refresh"], cwd=ROOT,
        env={**os.environ, **pipeline_env.env_vars(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
             "PROVSTATS_EXTRACT_WORKERS": "2", "PROVSTATS_EXTRACT_MAX_CHARS": "0",
             "PROVSTATS_EXTRACT_TIMEOUT_S": str(TIME_BUDGET_S)},
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S)
    out = result.stdout
    assert result.returncode == cli.EXIT_EXTRACTION_ERRORS, out + result.stderr
    assert "succeeded with extraction errors" in out
    assert "extraction    1 document failed" in out
    assert (f"    {SLOW_DOCUMENT}: over the time budget: extraction took more than "
            f"{TIME_BUDGET_S}s (PROVSTATS_EXTRACT_TIMEOUT_S)") in out
    # the extraction ran in two worker processes (as the run recorded in DAGSTER_HOME says)
    with dg.DagsterInstance.from_config(str(pipeline_env.dagster_home)) as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey("observations"))
    metadata = event.asset_materialization.metadata
    assert metadata["extraction_processes"].value == 2
    assert metadata["documents_failed"].value == 1
    # published: the short document's observations, nothing of the stopped one
    con = duckdb.connect(str(pipeline_env.warehouse_path), read_only=True)
    try:
        by_source = dict(con.execute(
            "select source_id, count(*) from marts.fct_indicator group by 1").fetchall())
        extracted = {r[0] for r in con.execute(
            "select source_id from landing.extraction_state").fetchall()}
    finally:
        con.close()
    assert by_source.keys() == {SHORT_DOCUMENT} and by_source[SHORT_DOCUMENT] > 0
    assert extracted == {SHORT_DOCUMENT}  # the other is tried again by the next refresh


def _open_instance_in(home: str) -> str:
    os.environ["DAGSTER_HOME"] = home
    from dagster import DagsterInstance

    try:
        cli._open_instance(Path(home), DagsterInstance).dispose()
    except Exception as exc:  # the race this lock prevents ends here
        return f"{type(exc).__name__}: {exc}"
    return "ok"


@pytest.mark.integration
def test_refreshes_opening_a_new_dagster_home_at_once_all_start(tmp_path):
    homes = []
    for k in range(3):  # a few rounds: the race is a matter of timing
        home = tmp_path / f"home{k}"
        home.mkdir()
        homes += [str(home)] * 4
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.map(_open_instance_in, homes)
    assert results == ["ok"] * len(homes)
