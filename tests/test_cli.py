"""``python -m orchestration refresh`` as an operator (or a cron job) sees it: one line
per stage, a dbt summary, extraction errors named in the summary with their own exit
status (3), and the full log kept in a file."""

from __future__ import annotations

import decimal
import shutil
from pathlib import Path

import pytest

from orchestration import cli, extraction
from tests.conftest import RAW_SEEDS

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
    assert "Finished running" in text and "PASS=" in text


def test_refresh_verbose_prints_the_whole_log(defs, two_documents, capsys):
    (two_documents.raw_dir / BAD_DOCUMENT).unlink()
    code = cli.main(["refresh", "--verbose"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_OK, out
    assert "PASS=" in out            # dbt's own output
    assert "full log" not in out
