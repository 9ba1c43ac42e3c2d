"""The analyst notebooks (``notebooks/*.ipynb``), executed top to bottom with nbclient.

The notebooks run on a warehouse built once per session (the ``warehouse`` fixture: today
conftest's ``sample_warehouse``, the sample landing schema of
``tests/fixtures/landing_sample.py`` and the real ``dbt build``); each notebook runs in the
project's own ``python3`` kernel with ``WAREHOUSE_PATH`` pointing at it, and the tests look
at the outputs of tagged cells. What the outputs must contain is read from the warehouse
itself (the 2025 budget-revenue sentence, the conflicting sentences, ...), so the same
assertions hold when the fixture is switched to the real pipeline's warehouse (conftest's
``seeded``). A copy of the warehouse with every mart emptied checks that each
section prints a message instead of failing when it has no data.

The committed notebooks must carry no outputs and no execution counts.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

import duckdb
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from orchestration import notebook_support as ns
from tests.conftest import ROOT, SUBPROCESS_TIMEOUT_S

pytestmark = pytest.mark.slow

NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = ("01_overview.ipynb", "02_targets.ipynb", "03_data_quality.ipynb")
GEO = "VN-09"


# ------------------------------------------------------------------ the warehouse
def emptied_copy(source: Path, target: Path) -> Path:
    """A copy of a built warehouse with every table of ``marts`` emptied."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'delete from marts."{table}"')
    finally:
        con.close()
    return target


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ running notebooks
def execute_notebook(name: str, warehouse: Path, parameters: dict | None = None
                     ) -> nbformat.NotebookNode:
    """Run a notebook top to bottom (cwd = notebooks/, as in Jupyter) on ``warehouse``,
    with ``parameters`` set after its ``parameters`` cell's own values.

    Errors do not stop the run: they stay in the outputs, so a test can list them all.
    """
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    if parameters:
        [cell] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        cell.source += "".join(f"\n{key} = {value!r}" for key, value in parameters.items())
    client = NotebookClient(
        nb, kernel_name="python3", timeout=SUBPROCESS_TIMEOUT_S, allow_errors=True,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute(env={
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    })
    return nb


def cell_errors(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                traceback = "\n".join(output.traceback)
                traceback = re.sub(r"\x1b\[[0-9;]*m", "", traceback)
                found.append(f"cell {index} {cell.metadata.get('tags', [])}: "
                             f"{output.ename}: {output.evalue}\n{traceback[-2000:]}")
    return found


def tagged(nb: nbformat.NotebookNode, tag: str) -> list[nbformat.NotebookNode]:
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert cells, f"no cell tagged {tag!r}"
    return [output for cell in cells for output in cell.get("outputs", [])]


def text(outputs: list[nbformat.NotebookNode]) -> str:
    """Printed text and the plain-text form of displayed objects."""
    parts = []
    for output in outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            data = output.get("data", {})
            parts.append(data.get("text/markdown", "") + "\n" + data.get("text/plain", ""))
    return "\n".join(parts)


def images(outputs: list[nbformat.NotebookNode]) -> int:
    return sum("image/png" in output.get("data", {}) for output in outputs)


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    """The warehouse the notebooks are tested against: the session's sample landing
    schema built by the real ``dbt build`` (see :func:`build_warehouse`); use the
    ``seeded`` fixture's warehouse instead to test against the real pipeline's."""
    return sample_warehouse


@pytest.fixture(scope="module")
def con(warehouse):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def executed(warehouse) -> dict[str, nbformat.NotebookNode]:
    """Every notebook, executed once on the test warehouse (which must not change)."""
    before = _sha256(warehouse)
    results = {name: execute_notebook(name, warehouse) for name in NOTEBOOKS}
    assert _sha256(warehouse) == before, "a notebook modified the warehouse"
    return results


def rows(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# ------------------------------------------------------------------ committed notebooks
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs_and_reads_read_only(name):
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{name} cell {index} has outputs"
        assert cell.execution_count is None, f"{name} cell {index} has an execution count"
        # values are bound as parameters, never formatted into SQL
        assert not re.search(r"execute\(\s*f[\"']", cell.source), (name, index)
        assert "read_only=False" not in cell.source
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "ns.connect()" in source


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


def test_kernel_is_the_projects_python(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, orchestration.notebook_support as m; print(sys.executable); "
        "print(m.__file__)")])
    NotebookClient(nb, kernel_name="python3", timeout=SUBPROCESS_TIMEOUT_S,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    executable, module = nb.cells[0].outputs[0].text.split()
    assert Path(executable).parent.resolve() == Path(sys.executable).parent.resolve()
    assert Path(module).resolve() == Path(ns.__file__).resolve()


# ------------------------------------------------------------------ helpers
def test_formatting_for_people():
    """Numbers as Vietnamese write them: '.' between thousands, ',' before decimals."""
    assert ns.fmt_number(18063.8) == "18.063,8"
    assert ns.fmt_number(4_400_000) == "4.400.000"
    assert ns.fmt_number(8.06) == "8,06"
    assert ns.fmt_number(-0.0001) == "0"
    assert ns.fmt_number(12.2155, 1) == "12,2"
    assert ns.fmt_number(None) == "—"
    assert ns.fmt_value(18063.8, "VND_BN") == "18.063,8 tỷ đồng"
    assert ns.fmt_value(111100, "VND_BN", "approx") == "≈ 111.100 tỷ đồng"
    assert ns.fmt_value(65.0, "PCT", "gt", low=65.0) == "> 65%"
    assert ns.fmt_value(10.5, "PCT", "range", 10.0, 11.0) == "10 – 11%"
    assert ns.fmt_value(4_400_000, "VISIT") == "4.400.000 lượt khách"
    assert ns.fmt_percent(0.0213, fraction=True) == "2,1%"
    assert ns.fmt_percent(61.637) == "61,6%"
    assert ns.unit_label("USD_MN") == "triệu USD (mn USD)"
    assert ns.unit_label("NEW_CODE") == "NEW_CODE"
    assert ns.period_label("Q1 2025", "Quý I/2025") == "Q1 2025 / Quý I/2025"
    assert ns.period_label("2025", "Năm 2025") == "2025"
    # labels use no emoji (many fonts lack them)
    for label in [*ns.ASSESSMENT_LABELS.values(), ns.NO_DATA_PREFIX]:
        assert not _emoji(label), label


#: Emoji and pictographs many fonts lack (the variation selector that makes one of them).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2300-\u23FF\uFE0F\u2139]")


def _emoji(text: str) -> list[str]:
    return _EMOJI.findall(text)


def test_table_formats_numbers_wraps_long_text_and_scrolls():
    frame = pd.DataFrame({
        "Chỉ tiêu / indicator": ["GRDP", "Thu ngân sách"],
        "Giá trị / value": [18063.8, 4_400_000],
        "year": [2025, 2026],
        "Câu trích / quote": ["Tổng sản phẩm trên địa bàn (GRDP) năm 2025 đạt 18.063,8 tỷ "
                              "đồng, tăng 8,06% so với cùng kỳ năm trước.", "x"],
    })
    table = ns.Table(frame)
    plain = str(table)
    assert "18.063,8" in plain and "4.400.000" in plain
    assert "2025" in plain and "2.025" not in plain      # years are not numbers to format
    assert "so với cùng kỳ năm trước." in plain            # whole quotes
    assert table.wrapped_columns() == ["Câu trích / quote"]
    html_text = table._repr_html_()
    assert "overflow-x: auto" in html_text
    assert "min-width: 28ch" in html_text and "white-space: normal" in html_text
    assert "&lt;" in ns.Table(pd.DataFrame({"q": ["<b>"]}))._repr_html_()  # escaped


def test_highlight_marks_the_span_in_its_context():
    text = "a" * 300 + "GRDP tăng 8,06% so với cùng kỳ" + "b" * 300
    start = text.index("8,06%")
    marked = ns.highlight(text, start, start + 5, context=20)
    assert marked == "…" + text[start - 20:start] + "⟦8,06%⟧" + text[start + 5:start + 25] + "…"
    assert "<mark" in ns.highlight(text, start, start + 5, as_html=True)


def test_connect_is_read_only_and_explains_a_missing_warehouse(tmp_path, warehouse,
                                                               monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "missing.duckdb"))
    with pytest.raises(ns.WarehouseNotFoundError, match="make run"):
        ns.connect()
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    connection = ns.connect()
    try:
        with pytest.raises(duckdb.Error):
            connection.execute("create table marts.scratch (x int)")
    finally:
        connection.close()


def test_connect_cannot_read_or_write_files(tmp_path, warehouse, monkeypatch):
    """SQL in a notebook cannot read files outside the warehouse nor write any."""
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    secret = tmp_path / "secret.txt"
    secret.write_text("not for analysts")
    connection = ns.connect()
    try:
        assert connection.execute("select count(*) from marts.fct_indicator").fetchone()[0]
        for sql in (f"select * from read_text('{secret}')",
                    "select * from read_text('/etc/passwd')",
                    f"select * from read_csv('{secret}')",
                    f"copy (select 1 as x) to '{tmp_path / 'leak.csv'}'",
                    f"attach '{tmp_path / 'other.duckdb'}' as other",
                    "set enable_external_access = true",
                    "set allowed_directories = ['/']"):
            with pytest.raises(duckdb.Error):
                connection.execute(sql)
        assert not (tmp_path / "leak.csv").exists()
        assert not (tmp_path / "other.duckdb").exists()
    finally:
        connection.close()


def test_sql_cells_use_the_locked_down_connection(tmp_path, warehouse):
    """``%%sql`` cells set up as in the notebooks answer queries but cannot touch files."""
    leak = tmp_path / "leak.csv"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "from orchestration import notebook_support as ns\n"
        "con = ns.connect()\nassert ns.enable_sql(con)",
        "%%sql\nselect count(*) as documents from marts.dim_source",
        "%%sql\nselect * from read_text('/etc/passwd')",
        f"%%sql\ncopy (select 1 as x) to '{leak}'",
    )])
    NotebookClient(nb, kernel_name="python3", timeout=SUBPROCESS_TIMEOUT_S, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute(
        env={**os.environ, "WAREHOUSE_PATH": str(warehouse)})
    setup, count, passwd, copy = nb.cells
    assert not [o for o in setup.outputs if o.output_type == "error"]
    documents = duckdb.connect(str(warehouse), read_only=True).execute(
        "select count(*) from marts.dim_source").fetchone()[0]
    assert str(documents) in text(count.outputs)
    for cell in (passwd, copy):
        [error] = [o for o in cell.outputs if o.output_type == "error"]
        assert "disabled by configuration" in error.evalue, error.evalue
    assert "root:" not in text(passwd.outputs)
    assert not leak.exists()


# ------------------------------------------------------------------ executed notebooks
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_without_errors(executed, name):
    nb = executed[name]
    assert cell_errors(nb) == []
    # no warning or traceback on stderr either (a missing glyph, a deprecation, ...)
    stderr = [o.text for c in nb.cells for o in c.get("outputs", [])
              if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []
    # no emoji that fonts lack, in text or HTML
    shown = "\n".join(text([o]) + o.get("data", {}).get("text/html", "")
                      for c in nb.cells for o in c.get("outputs", []))
    assert _emoji(shown) == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_sql_cell_queries_the_warehouse(executed, name):
    outputs = tagged(executed[name], "sql-example")
    assert [o for o in outputs if o.output_type == "execute_result"], outputs


def test_overview_prints_the_budget_revenue_sentence(executed, con):
    latest_year = con.execute("""
        select max(year(p.start_date))
        from marts.mart_indicator_series as s
        join marts.dim_period as p using (period_code)
        where s.indicator_code = 'budget_revenue' and s.measure = 'level'
          and s.geo_code = $geo and p.grain = 'year' and s.status <> 'target'
    """, {"geo": GEO}).fetchone()[0]
    output = text(tagged(executed["01_overview.ipynb"], "budget-revenue-quote"))
    if latest_year is None:
        assert ns.NO_DATA_PREFIX in output
        return
    found = rows(con, """
        select s.value, s.unit, s.status, s.source_id, s.quote,
               substr(d.text, s.span_start + 1, s.span_end - s.span_start) as mention
        from marts.mart_indicator_series as s
        join marts.dim_period as p using (period_code)
        join marts.dim_source as d on d.source_id = s.source_id
        where s.indicator_code = 'budget_revenue' and s.measure = 'level'
          and s.geo_code = $geo and p.grain = 'year' and year(p.start_date) = $year
          and s.is_preferred_status
    """, {"geo": GEO, "year": latest_year})
    assert len(found) == 1, found
    chosen = found[0]
    assert chosen["quote"] in output
    assert chosen["source_id"] in output
    assert ns.fmt_value(chosen["value"], chosen["unit"]) in output
    assert ns.status_label(chosen["status"]) in output
    assert f"⟦{chosen['mention']}⟧" in output


def test_overview_grdp_growth_table_and_chart(executed, con):
    nb = executed["01_overview.ipynb"]
    growth = rows(con, """
        select value, unit, qualifier, value_low, value_high, label_en
        from marts.mart_indicator_series
        where indicator_code = 'grdp' and measure = 'yoy_pct' and geo_code = $geo
          and is_preferred_status
    """, {"geo": GEO})
    table, chart = tagged(nb, "grdp-growth-table"), tagged(nb, "grdp-growth-chart")
    if not growth:
        assert ns.NO_DATA_PREFIX in text(table) and images(chart) == 0
        return
    for r in growth:
        assert ns.fmt_value(r["value"], r["unit"], r["qualifier"], r["value_low"],
                            r["value_high"]) in text(table)
    assert images(chart) == 1


@pytest.mark.parametrize(("tag", "codes"), [
    ("trade-chart", ["trade_turnover", "export_turnover", "import_turnover"]),
    ("budget-chart", ["budget_revenue", "budget_revenue_domestic", "budget_revenue_trade"]),
    ("sector-chart", ["grdp_agriculture", "grdp_industry_construction", "grdp_services",
                      "grdp_product_taxes"]),
])
def test_overview_charts_when_there_is_data(executed, con, tag, codes):
    measure = "yoy_pct" if tag == "sector-chart" else "level"
    charted = con.execute("""
        select count(*)
        from marts.mart_indicator_series as s
        join marts.dim_period as p using (period_code)
        where list_contains($codes, s.indicator_code) and s.measure = $measure
          and s.geo_code = $geo and s.is_preferred_status and s.status <> 'target'
          and p.grain <> 'years'
    """, {"codes": codes, "measure": measure, "geo": GEO}).fetchone()[0]
    outputs = tagged(executed["01_overview.ipynb"], tag)
    if charted:
        assert images(outputs) >= 1
    else:
        assert ns.NO_DATA_PREFIX in text(outputs)


def test_overview_headline_lists_the_indicators_with_values(executed, con):
    codes = [r["indicator_code"] for r in rows(con, """
        select distinct indicator_code from marts.mart_indicator_series
        where geo_code = $geo and measure = 'level' and status <> 'target'
    """, {"geo": GEO})]
    output = text(tagged(executed["01_overview.ipynb"], "headline"))
    assert codes, "the test warehouse should hold levels"
    for code in codes:
        assert code in output


def test_targets_notebook_assesses_and_charts(executed, con):
    nb = executed["02_targets.ipynb"]
    review_year = con.execute("""
        select max(year(period_end_date)) from marts.fct_indicator
        where geo_code = $geo and indicator_code is not null
          and status in ('actual', 'estimate') and period_grain = 'year'
    """, {"geo": GEO}).fetchone()[0]
    horizon_year = con.execute(
        "select max(year(target_end_date)) from marts.mart_target_tracking where geo_code = $geo",
        {"geo": GEO}).fetchone()[0]
    review = rows(con, """
        select assessment, indicator_code, name_en from marts.mart_target_tracking
        where geo_code = $geo and year(target_end_date) = $year
    """, {"geo": GEO, "year": review_year})
    review_table = text(tagged(nb, "review-table"))
    for r in review:
        assert ns.assessment_label(r["assessment"]) in review_table
        assert r["name_en"] in review_table
    if any(r["assessment"] in ("met", "not_met") for r in review):
        assert images(tagged(nb, "review-chart")) == 1

    horizon = rows(con, """
        select required_cagr_pct, comparable_value from marts.mart_target_tracking
        where geo_code = $geo and year(target_end_date) = $year
    """, {"geo": GEO, "year": horizon_year})
    horizon_table = text(tagged(nb, "horizon-table"))
    for r in horizon:
        if r["required_cagr_pct"] is not None:
            v = r["required_cagr_pct"]
            expected = (f"tăng {ns.fmt_number(v, 1)}%/năm" if v >= 0
                        else f"giảm {ns.fmt_number(-v, 1)}%/năm")
            assert expected in horizon_table
    if any(r["comparable_value"] for r in horizon):
        assert images(tagged(nb, "horizon-chart")) == 1


def _line_with(output: str, *parts: str) -> str:
    """The one line of a table's text that contains every one of ``parts``."""
    lines = [line for line in output.splitlines() if all(p in line for p in parts)]
    assert len(lines) == 1, (parts, lines)
    return lines[0]


def test_targets_notebook_judges_lower_is_better_targets_right(executed, con):
    """Verdicts and attainment of lower-is-better targets, from the sample warehouse: the
    poverty rate "dưới 5%" missed at 5,5%, the share of agriculture "19 - 20%" missed at
    20,28% and "dưới 12,5%" by 2030 at 61,6% (not 162%), a count target with no value of
    the same thing, a target already passed."""
    nb = executed["02_targets.ipynb"]
    shown = text(tagged(nb, "review-table")) + text(tagged(nb, "horizon-table"))
    lower = rows(con, """
        select * from marts.mart_target_tracking
        where geo_code = $geo and target_direction = 'lower_is_better'
          and comparable_value is not null
    """, {"geo": GEO})
    assert {r["indicator_code"] for r in lower} >= {"poverty_rate", "grdp_agriculture"}
    for r in lower:
        line = _line_with(shown, r["name_en"], ns.fmt_value(
            r["target_value"], r["target_unit"], r["target_qualifier"], r["target_value_low"],
            r["target_value_high"]))
        assert ns.assessment_label(r["assessment"]) in line
        assert "thấp hơn là tốt / lower is better" in line
        attainment = r["target_threshold"] / r["comparable_value"] * 100
        assert ns.fmt_percent(attainment) in line
        if r["comparable_value"] > r["target_threshold"]:
            assert r["assessment"] in ("not_met", "pending")
            naive = r["comparable_value"] / r["target_threshold"] * 100
            assert ns.fmt_percent(naive) not in line       # what the old chart showed
    share_2030 = next(r for r in lower if r["target_period_code"] == "2030")
    assert ns.fmt_percent(share_2030["attainment_pct"]) == "61,6%"
    # a count target only meets values of the same thing; a target already passed
    zones = rows(con, "select name_en, target_value, target_unit "
                      "from marts.mart_target_tracking where indicator_code = 'industrial_zones'")
    [zones] = zones
    line = _line_with(shown, zones["name_en"], ns.fmt_value(zones["target_value"],
                                                            zones["target_unit"]))
    assert ns.assessment_label("no_data") in line
    roads = rows(con, "select name_en from marts.mart_target_tracking "
                      "where indicator_code = 'paved_commune_roads_share'")[0]
    assert "đã đạt / reached" in _line_with(shown, roads["name_en"])


def test_data_quality_conflicts_follow_their_settings(warehouse, con):
    """The conflicts table lists CONFLICTS_IN_TABLE pairs with shortened quotes; only the
    first CONFLICTS_IN_DETAIL are printed with both sentences in full."""
    count = con.execute("select count(*) from marts.mart_source_conflicts").fetchone()[0]
    assert count >= 3, "the sample warehouse holds several conflicts"
    nb = execute_notebook("03_data_quality.ipynb", warehouse,
                          {"CONFLICTS_IN_TABLE": 2, "CONFLICTS_IN_DETAIL": 1})
    assert cell_errors(nb) == []
    table = text(tagged(nb, "conflicts-table"))
    assert f"2 of {count} conflicting pairs" in table
    assert "the first 1 are printed in full" in table
    detail = text(tagged(nb, "conflicts-detail"))
    assert detail.count("• ") == 1
    assert detail.count("«") == 2          # both sentences of that one pair


def test_data_quality_shows_both_sentences_of_a_conflict(executed, con):
    nb = executed["03_data_quality.ipynb"]
    top = rows(con, """
        select c.quote_a, c.quote_b, a.mention as mention_a, b.mention as mention_b
        from marts.mart_source_conflicts as c
        join marts.fct_indicator as a on a.observation_id = c.observation_id_a
        join marts.fct_indicator as b on b.observation_id = c.observation_id_b
        order by c.relative_difference desc, c.indicator_code, c.period_code
        limit 1
    """)
    output = text(tagged(nb, "conflicts-detail"))
    if not top:
        assert ns.NO_DATA_PREFIX in text(tagged(nb, "conflicts-summary"))
        return
    assert ns.quote_with_mark(top[0]["quote_a"], top[0]["mention_a"]) in output
    assert ns.quote_with_mark(top[0]["quote_b"], top[0]["mention_b"]) in output


def test_data_quality_coverage_and_quarantine(executed, con):
    nb = executed["03_data_quality.ipynb"]
    if con.execute("select count(*) from marts.mart_indicator_series where geo_code = $geo",
                   {"geo": GEO}).fetchone()[0]:
        assert images(tagged(nb, "coverage-heatmap")) == 1
    quarantined = [r["source_id"] for r in rows(
        con, "select source_id from marts.dim_quarantined_file")]
    output = text(tagged(nb, "quarantine"))
    for source_id in quarantined:
        assert source_id in output
    if not quarantined:
        assert ns.NO_DATA_PREFIX in output


def test_data_quality_explains_an_observation(executed, con):
    output = text(tagged(executed["03_data_quality.ipynb"], "explain-example"))
    example = rows(con, """
        select f.observation_id, f.quote, f.indicator_cue,
               substr(d.text, f.span_start + 1, f.span_end - f.span_start) as mention
        from marts.mart_indicator_series as s
        join marts.fct_indicator as f using (observation_id)
        join marts.dim_source as d on d.source_id = f.source_id
        where s.is_preferred_status
        order by s.n_sources desc, s.n_observations desc, s.end_date desc,
                 s.indicator_code, s.measure
        limit 1
    """)[0]
    assert example["observation_id"] in output
    assert example["quote"] in output
    assert f"⟦{example['mention']}⟧" in output
    for cue in ("indicator_cue", "measure_cue", "period_cue", "status_cue", "evidence"):
        assert cue in output


def test_explain_of_an_unknown_id_is_a_message(con):
    assert ns.NO_DATA_PREFIX in str(ns.explain(con, "no-such-observation"))


# ------------------------------------------------------------------ an empty warehouse
@pytest.fixture(scope="module")
def executed_on_empty(warehouse, tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    empty = emptied_copy(warehouse, tmp_path_factory.mktemp("empty") / "provstats.duckdb")
    return {name: execute_notebook(name, empty) for name in NOTEBOOKS}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_on_an_empty_warehouse_prints_messages(executed_on_empty, name):
    nb = executed_on_empty[name]
    assert cell_errors(nb) == []
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    assert ns.NO_DATA_PREFIX in text(outputs)
    assert images(outputs) == 0
