"""PDF, Word and Excel files through the whole pipeline (real readers, extractor, dbt).

The raw folder holds the five seeds, one development document as ``.txt`` with its PDF,
DOCX and XLSX renderings (in a province folder), the statistics-office annex as PDF, and
the bad files of issue 12: an encrypted PDF, a truncated PDF, a scanned PDF, a 500-page
PDF (over the default page limit), a ``.docx`` that is a renamed ZIP, an ``.xlsx`` with
formulas but no saved results, and legacy ``.doc``/``.xls`` files. One refresh must load
the readable files with their format in ``marts.dim_source``, give the PDF and DOCX the
observations of the ``.txt`` (the XLSX reads to the same text as the DOCX, so it is their
duplicate), and quarantine every bad file with its reason without
stopping the others. A second run shows that an invalid page limit fails the run with
the variable's name and leaves the warehouse as it was.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from orchestration.settings import DEFAULT_MAX_PDF_PAGES
from tests.conftest import PipelineEnv, metadata_of, pipeline_env_context, step_failure_messages
from tests.fixtures.render_documents import new_pdf, render_docx, render_pdf, render_xlsx
from tests.test_formats import BAD_FILES, annex_pdf

pytestmark = pytest.mark.slow

DEV_DOC = Path(__file__).parent / "fixtures" / "dev_docs" / "d04_quang-ninh-9-thang-2022.txt"
FOLDER = "quang-ninh"
STEM = f"{FOLDER}/{DEV_DOC.stem}"
FORMATS = {".txt": "txt", ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}
LONG_PDF = "nien-giam-500-trang.pdf"
#: file name -> phrase of its quarantine reason
QUARANTINED = {
    **{name: phrase for name, (_, phrase) in BAD_FILES.items()},
    LONG_PDF: f"has 500 pages, over the {DEFAULT_MAX_PDF_PAGES}-page limit for a PDF "
              "(PROVSTATS_MAX_PDF_PAGES)",
}


def long_pdf(pages: int = 500) -> bytes:
    pdf = new_pdf()
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Trang {page}: số liệu thống kê của các huyện, thành phố.")
    return bytes(pdf.output())


@dataclasses.dataclass
class FormatsRun:
    env: PipelineEnv
    result: Any


@pytest.fixture(scope="module")
def formats_run(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[FormatsRun]:
    with pipeline_env_context(tmp_path_factory.mktemp("formats_pipeline")) as env:
        text = DEV_DOC.read_text(encoding="utf-8")
        folder = env.raw_dir / FOLDER
        folder.mkdir()
        (folder / DEV_DOC.name).write_text(text, encoding="utf-8")
        for suffix, render in ((".pdf", render_pdf), (".docx", render_docx),
                               (".xlsx", render_xlsx)):
            (folder / f"{DEV_DOC.stem}{suffix}").write_bytes(render(text))
        (env.raw_dir / "phu-luc.pdf").write_bytes(annex_pdf())
        for name, (data, _) in BAD_FILES.items():
            (env.raw_dir / name).write_bytes(data)
        (env.raw_dir / LONG_PDF).write_bytes(long_pdf())
        yield FormatsRun(env, env.run(defs))


def test_the_run_succeeds_and_reads_every_readable_file(formats_run: FormatsRun) -> None:
    assert formats_run.result.success
    rows = formats_run.env.query(
        "select source_id, file_format, media_type, encoding, observation_count, duplicate_of "
        "from marts.dim_source")
    by_id = {r["source_id"]: r for r in rows}
    seeds = [s for s in by_id if s[:3].isdigit()]
    assert len(seeds) == 5
    assert all(by_id[s]["file_format"] == "txt" and by_id[s]["observation_count"] > 0
               for s in seeds)
    for suffix, file_format in FORMATS.items():
        row = by_id[STEM + suffix]
        assert row["file_format"] == file_format
        assert (row["encoding"] == "binary") == (suffix != ".txt")
        # the workbook's text is the Word file's, to the character: the same document
        # published twice counts once (its observations are the Word file's)
        if suffix == ".xlsx":
            assert row["duplicate_of"] == STEM + ".docx"
            assert row["observation_count"] == 0
        else:
            assert row["duplicate_of"] is None
            assert row["observation_count"] > 0
    assert by_id["phu-luc.pdf"]["media_type"] == "application/pdf"
    assert set(by_id) == {*seeds, *(STEM + s for s in FORMATS), "phu-luc.pdf"}
    meta = metadata_of(formats_run.result, "raw_documents")
    assert (meta["documents_read"], meta["quarantined_count"]) == (10, len(QUARANTINED))


def test_every_format_gives_the_observations_of_the_txt(formats_run: FormatsRun) -> None:
    def observed(source_id: str) -> Counter:
        return Counter(
            tuple(r.values()) for r in formats_run.env.query(
                "select indicator_code, geo_code, period_code, measure, value, status "
                "from marts.fct_indicator where source_id = ?", [source_id])
        )

    expected = observed(STEM + ".txt")
    assert expected
    assert {r[1] for r in expected} == {"VN-13"}  # Quảng Ninh
    for suffix in (".pdf", ".docx"):  # the .xlsx is a duplicate of the .docx (above)
        assert observed(STEM + suffix) == expected, suffix


def test_every_span_slices_its_document(formats_run: FormatsRun) -> None:
    rows = formats_run.env.query(
        "select f.span_start, f.span_end, f.mention, s.text, s.file_format "
        "from marts.fct_indicator f join marts.dim_source s using (source_id) "
        "where s.file_format <> 'txt'")
    assert {r["file_format"] for r in rows} == {"pdf", "docx"}
    for r in rows:
        assert r["text"][r["span_start"]:r["span_end"]] == r["mention"]


def test_bad_files_are_quarantined_with_their_reasons(formats_run: FormatsRun) -> None:
    env = formats_run.env
    for table in ("landing.quarantined_files", "marts.dim_quarantined_file"):
        reasons = {r["file_name"]: r["reason"] for r in env.query(
            f"select file_name, reason from {table}")}
        assert set(reasons) == set(QUARANTINED), table
        for name, phrase in QUARANTINED.items():
            assert phrase in reasons[name], (table, name, reasons[name])
    sizes = {r["file_name"]: r["byte_size"] for r in env.query(
        "select file_name, byte_size from landing.quarantined_files")}
    assert sizes[LONG_PDF] == (env.raw_dir / LONG_PDF).stat().st_size
    [check] = [e for e in formats_run.result.get_asset_check_evaluations()
               if e.check_name == "no_quarantined_files"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    listed = check.metadata["quarantined_files"].value
    for name in QUARANTINED:
        assert name in listed, name


def test_an_invalid_page_limit_fails_the_run_and_changes_nothing(
    formats_run: FormatsRun, defs: dg.Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = formats_run.env
    before = env.file_state()
    monkeypatch.setenv("PROVSTATS_MAX_PDF_PAGES", "many")
    result = env.run(defs, assets=["raw_documents", "observations"])
    assert not result.success
    [message] = step_failure_messages(result)
    assert "PROVSTATS_MAX_PDF_PAGES='many' is not a number of pages" in message
    assert "the warehouse was not changed" in message
    assert env.file_state() == before
