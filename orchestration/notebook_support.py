"""Shared code of the analyst notebooks (``notebooks/*.ipynb``).

* :func:`connect` opens the published warehouse **read-only** with DuckDB's external
  access disabled (no ``read_text('/etc/passwd')``, no ``COPY … TO`` a file, no ``ATTACH``
  or extension download from SQL), from ``WAREHOUSE_PATH`` or the default of
  :mod:`orchestration.settings`, and says clearly what to do when it is missing.
  :func:`enable_sql` gives ``%%sql`` cells (jupysql) that same connection.
* Readable labels for the contract's codes (units, measures, statuses, assessments, places)
  and Vietnamese number formatting (``18.063,8 tỷ đồng``, ``8,06%``) for tables and charts.
* :func:`show` / :class:`Table`: tables for people — numbers formatted, long text (quotes,
  titles) wrapping in columns wide enough to read, wide tables scrolling sideways — or a
  friendly message instead of an empty table, so every section of a notebook runs on
  whatever the warehouse holds.
* :func:`grouped_bars` / :func:`plot_levels`: the bar charts of the notebooks.
* :func:`highlight` and :func:`explain`: a value with its source sentence, the number
  marked in its context and the extractor's evidence.

Only the standard library, duckdb, pandas, matplotlib and jupysql (both imported lazily)
are used. No emoji: labels use characters every common font has.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orchestration import settings

# --------------------------------------------------------------------------- labels
UNIT_LABELS: dict[str, str] = {
    "VND_BN": "tỷ đồng (bn VND)",
    "VND_MN": "triệu đồng (mn VND)",
    "USD_MN": "triệu USD (mn USD)",
    "USD": "USD",
    "PCT": "%",
    "PP": "điểm % (pp)",
    "INDEX": "chỉ số (index)",
    "TIMES": "lần (times)",
    "RANK": "hạng (rank)",
    "VISIT": "lượt khách (visits)",
    "PERSON": "người (persons)",
    "ENTERPRISE": "doanh nghiệp (enterprises)",
    "COOPERATIVE": "hợp tác xã (cooperatives)",
    "PROJECT": "dự án (projects)",
    "HA": "ha",
    "TONNE": "tấn (tonnes)",
    "HEAD": "con (head)",
    "PRODUCT": "sản phẩm (products)",
    "COMMUNE": "xã (communes)",
    "SCHOOL": "trường (schools)",
    "DWELLING": "căn hộ (dwellings)",
    "ZONE": "khu (zones)",
    "YEAR": "năm (years)",
    "PER_10K": "trên 10.000 dân (per 10k people)",
    "VEHICLE_PER_DAY": "xe/ngày (vehicles/day)",
    "PASSENGER_KM": "hành khách.km (passenger-km)",
    "TONNE_KM": "tấn.km (tonne-km)",
    "ACCIDENT": "vụ (accidents)",
    "CASE": "vụ (cases)",
    "TARGET": "chỉ tiêu (targets)",
}

MEASURE_LABELS: dict[str, str] = {
    "level": "mức / level",
    "yoy_pct": "tăng so với cùng kỳ / y/y growth",
    "change_pct": "thay đổi so với kỳ gốc / change vs base",
    "change_abs": "thay đổi tuyệt đối / absolute change",
    "avg_annual_growth_pct": "tăng bình quân năm / avg annual growth",
    "avg_annual_change_abs": "thay đổi bình quân năm / avg annual change",
    "share_pct": "tỷ trọng / share",
    "pct_of_plan": "so với kế hoạch / % of plan",
    "multiple_of_base": "gấp lần kỳ gốc / multiple of base",
    "contribution_pp": "đóng góp vào tăng trưởng / contribution",
    "rank": "xếp hạng / rank",
}

STATUS_LABELS: dict[str, str] = {
    "actual": "thực hiện / actual",
    "estimate": "ước tính / estimate",
    "target": "mục tiêu / target",
}

ASSESSMENT_LABELS: dict[str, str] = {
    "met": "đạt / met",
    "not_met": "chưa đạt / not met",
    "pending": "đang thực hiện / pending",
    "no_data": "chưa có số liệu / no data",
}

ASSESSMENT_COLORS: dict[str, str] = {
    "met": "#2e7d32",
    "not_met": "#c62828",
    "pending": "#f9a825",
    "no_data": "#9e9e9e",
}

STATUS_COLORS: dict[str, str] = {
    "actual": "#1565c0",
    "estimate": "#64b5f6",
    "target": "#ffb300",
}

GEO_NAMES: dict[str, str] = {
    "VN-09": "Lạng Sơn",
    "VN": "Cả nước / Viet Nam",
}

QUALIFIER_SYMBOLS: dict[str, str] = {
    "eq": "",
    "approx": "≈ ",
    "gt": "> ",
    "gte": "≥ ",
    "lt": "< ",
    "lte": "≤ ",
}

# Units as written after a number in Vietnamese (``18.063,8 tỷ đồng``); the bilingual
# UNIT_LABELS are for axis labels and headers.
UNIT_SHORT: dict[str, str] = {
    "VND_BN": "tỷ đồng",
    "VND_MN": "triệu đồng",
    "USD_MN": "triệu USD",
    "USD": "USD",
    "PCT": "%",
    "PP": "điểm %",
    "INDEX": "",
    "TIMES": "lần",
    "RANK": "(hạng)",
    "VISIT": "lượt khách",
    "PERSON": "người",
    "ENTERPRISE": "doanh nghiệp",
    "COOPERATIVE": "hợp tác xã",
    "PROJECT": "dự án",
    "HA": "ha",
    "TONNE": "tấn",
    "HEAD": "con",
    "PRODUCT": "sản phẩm",
    "COMMUNE": "xã",
    "SCHOOL": "trường",
    "DWELLING": "căn",
    "ZONE": "khu, cụm",
    "YEAR": "năm",
    "PER_10K": "/vạn dân",
    "VEHICLE_PER_DAY": "xe/ngày",
    "PASSENGER_KM": "HK.km",
    "TONNE_KM": "tấn.km",
    "ACCIDENT": "vụ",
    "CASE": "vụ",
    "TARGET": "chỉ tiêu",
}

# Units written right after the number, without a space.
_TIGHT_UNITS = {"PCT", "PER_10K"}

# Marks around the mention in plain-text context.
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"

# Printed at the start of every "nothing to show" message.
NO_DATA_PREFIX = "Không có dữ liệu / No data:"


def unit_label(code: str | None) -> str:
    """Readable label of a unit code (``VND_BN`` → ``tỷ đồng (bn VND)``)."""
    if code is None or _is_missing(code):
        return ""
    return UNIT_LABELS.get(str(code), str(code))


def measure_label(code: str | None) -> str:
    if code is None or _is_missing(code):
        return ""
    return MEASURE_LABELS.get(str(code), str(code))


def status_label(code: str | None) -> str:
    if code is None or _is_missing(code):
        return ""
    return STATUS_LABELS.get(str(code), str(code))


def assessment_label(code: str | None) -> str:
    if code is None or _is_missing(code):
        return ""
    return ASSESSMENT_LABELS.get(str(code), str(code))


def geo_label(code: str | None) -> str:
    if code is None or _is_missing(code):
        return ""
    name = GEO_NAMES.get(str(code))
    return f"{name} ({code})" if name else str(code)


def axis_label(measure: str | None, unit: str | None) -> str:
    """Y-axis label: what the number is, in which unit."""
    unit_text = unit_label(unit)
    if measure in (None, "level"):
        return unit_text
    return f"{measure_label(measure)} ({unit_text})" if unit_text else measure_label(measure)


# ------------------------------------------------------------------------ numbers
def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


#: English separators → Vietnamese ones (``18,063.8`` → ``18.063,8``).
_VIETNAMESE_SEPARATORS = str.maketrans({",": ".", ".": ","})


def fmt_number(value: Any, decimals: int | None = None) -> str:
    """A number as Vietnamese write it: ``18063.8`` → ``18.063,8``; ``4400000`` →
    ``4.400.000``; ``8.06`` → ``8,06``; missing → ``—``.

    Without ``decimals``, up to three decimals are kept (values are as the documents wrote
    them) and trailing zeros dropped.
    """
    if _is_missing(value):
        return "—"
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if decimals is not None:
        text = f"{number:,.{decimals}f}"
    else:
        text = f"{number:,.3f}".rstrip("0").rstrip(".")
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-") or "0"
    return text.translate(_VIETNAMESE_SEPARATORS)


def fmt_percent(value: Any, decimals: int = 1, *, fraction: bool = False) -> str:
    """``8.06`` → ``8,1%``; with ``fraction=True`` ``0.021`` → ``2,1%``."""
    if _is_missing(value):
        return "—"
    return f"{fmt_number(float(value) * (100 if fraction else 1), decimals)}%"


def unit_short(code: str | None) -> str:
    """The unit as written after a number: ``VND_BN`` → ``tỷ đồng``."""
    if code is None or _is_missing(code):
        return ""
    return UNIT_SHORT.get(str(code), str(code))


def fmt_value(
    value: Any,
    unit: str | None = None,
    qualifier: str | None = "eq",
    low: Any = None,
    high: Any = None,
    *,
    with_unit: bool = True,
) -> str:
    """A value as people read it: ``≥ 65%``, ``10 – 11%``, ``≈ 111.100 tỷ đồng``."""
    qualifier = None if _is_missing(qualifier) else qualifier
    if qualifier == "range" and not (_is_missing(low) or _is_missing(high)):
        number = f"{fmt_number(low)} – {fmt_number(high)}"
    elif _is_missing(value):
        return "—"
    else:
        number = QUALIFIER_SYMBOLS.get(qualifier or "eq", "") + fmt_number(value)
    if not with_unit or unit is None or _is_missing(unit) or not unit_short(unit):
        return number
    if unit in _TIGHT_UNITS:
        return f"{number}{unit_short(unit)}"
    return f"{number} {unit_short(unit)}"


def fmt_date(value: Any) -> str:
    if _is_missing(value):
        return "không rõ / unknown"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def shorten(text: Any, width: int = 160) -> str:
    """One line, at most ``width`` characters (``…`` when cut)."""
    if _is_missing(text):
        return ""
    one_line = " ".join(str(text).split())
    return one_line if len(one_line) <= width else one_line[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------------- warehouse
class WarehouseNotFoundError(FileNotFoundError):
    """The warehouse file (or its marts) does not exist yet."""


def warehouse_path() -> Path:
    """``WAREHOUSE_PATH`` from the environment, else ``<repo>/warehouse/provstats.duckdb``."""
    return settings.warehouse_path()


#: DuckDB settings of every notebook connection: SQL cannot touch files or the network
#: (``read_text``, ``read_csv``, ``COPY … TO``, ``ATTACH``, ``INSTALL``); the warehouse file
#: itself was opened before. It cannot be switched back on while the connection is open.
CONNECTION_CONFIG: dict[str, Any] = {"enable_external_access": False}


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with external access disabled (see
    :data:`CONNECTION_CONFIG`); a clear error when it has not been built."""
    target = Path(path).expanduser().resolve() if path is not None else warehouse_path()
    if not target.exists():
        raise WarehouseNotFoundError(
            f"No warehouse at {target}. Build it with `make run` in the project folder, or "
            "point the WAREHOUSE_PATH environment variable at an existing provstats.duckdb "
            "(then restart the kernel)."
        )
    con = duckdb.connect(str(target), read_only=True, config=CONNECTION_CONFIG)
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'fct_indicator'"
    ).fetchone()[0]
    if not found:
        con.close()
        raise WarehouseNotFoundError(
            f"{target} has no marts.fct_indicator: the dbt build has not run on it. "
            "Run `make run` (or point WAREHOUSE_PATH at a built warehouse)."
        )
    return con


def describe_warehouse(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Row counts of the marts the notebooks read (one row per table)."""
    tables = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name"
    ).fetchall()
    counts = [
        (name, con.execute(f'select count(*) from marts."{name}"').fetchone()[0])
        for (name,) in tables
    ]
    return pd.DataFrame(counts, columns=["table", "rows"])


def print_connection(con: duckdb.DuckDBPyConnection) -> None:
    """One line naming the warehouse file, and what it holds."""
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    counts = dict(describe_warehouse(con).itertuples(index=False, name=None))
    print(f"Warehouse (read-only): {path}")
    print(
        "  documents: {d} · observations: {o} · series: {s} · quarantined files: {q}".format(
            d=fmt_number(counts.get("dim_source", 0)),
            o=fmt_number(counts.get("fct_indicator", 0)),
            s=fmt_number(counts.get("mart_indicator_series", 0)),
            q=fmt_number(counts.get("dim_quarantined_file", 0)),
        )
    )


# -------------------------------------------------------------------- displaying
def no_data(what: str) -> None:
    """The message a section prints when the warehouse holds nothing for it."""
    print(f"{NO_DATA_PREFIX} {what}")


def _display(obj: Any) -> None:
    try:
        from IPython.display import display
    except ImportError:  # plain Python
        print(obj)
    else:
        display(obj)


#: Text columns whose longest value is at least this long wrap (with a minimum width)
#: instead of stretching the table or squeezing into a narrow column.
WRAP_FROM_CHARS = 50
#: Columns named like these are never formatted as numbers (years, codes, ids).
_RAW_COLUMN_HINTS = ("year", "năm", "code", "mã", "_id", "id_")


class Table:
    """A DataFrame shown for people.

    Numbers are formatted the Vietnamese way (``18.063,8``), missing values as ``—``;
    text columns with long values (quotes, titles) wrap inside a column at least ~28
    characters wide; the table scrolls sideways when it is wider than the page. The plain
    text form (``print``, nbconvert) is the formatted frame, whole.
    """

    def __init__(self, df: pd.DataFrame, *, raw: Iterable[str] = (), index: bool = False):
        frame = df.reset_index() if index or not isinstance(df.index, pd.RangeIndex) else df
        self.frame = frame.reset_index(drop=True)
        self.raw = set(raw)

    def _is_raw(self, column: Any) -> bool:
        name = str(column).lower()
        return column in self.raw or any(hint in name for hint in _RAW_COLUMN_HINTS)

    def formatted(self) -> pd.DataFrame:
        """Every cell as the text shown."""
        out = {}
        for column in self.frame.columns:
            values = self.frame[column]
            if pd.api.types.is_bool_dtype(values):
                out[column] = values.map(lambda v: "—" if _is_missing(v) else
                                         ("có / yes" if v else "không / no"))
            elif pd.api.types.is_numeric_dtype(values) and not self._is_raw(column):
                out[column] = values.map(fmt_number)
            else:
                out[column] = values.map(lambda v: "—" if _is_missing(v) else str(v))
        return pd.DataFrame(out, columns=self.frame.columns)

    def wrapped_columns(self) -> list[Any]:
        text = self.formatted()
        return [c for c in text.columns
                if not pd.api.types.is_numeric_dtype(self.frame[c])
                and text[c].str.len().max() >= WRAP_FROM_CHARS]

    def __str__(self) -> str:
        return self.formatted().to_string(index=False)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        text = self.formatted()
        numeric = [c for c in text.columns
                   if pd.api.types.is_numeric_dtype(self.frame[c]) and not self._is_raw(c)]
        styler = text.style.hide(axis="index").format(escape="html")
        styler = styler.set_properties(**{"text-align": "left", "vertical-align": "top"})
        if numeric:
            styler = styler.set_properties(
                subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
        wrapped = self.wrapped_columns()
        if wrapped:
            styler = styler.set_properties(subset=wrapped, **{
                "white-space": "normal", "min-width": "28ch", "max-width": "70ch",
                "overflow-wrap": "anywhere"})
        styler = styler.set_table_styles([
            {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
        ])
        return ('<div style="overflow-x: auto; max-width: 100%;">'
                f"{styler.to_html()}</div>")


def table(df: pd.DataFrame, **kwargs: Any) -> Table:
    """``Table(df)``: display it with ``display(ns.table(df))``."""
    return Table(df, **kwargs)


def show(df: pd.DataFrame | None, empty_message: str, *, columns: Mapping[str, str] | None = None,
         raw: Iterable[str] = ()) -> None:
    """Display ``df`` as a :class:`Table` (optionally only ``columns``, renamed) or print
    ``empty_message``."""
    if df is None or df.empty:
        no_data(empty_message)
        return
    if columns:
        df = df[list(columns)].rename(columns=dict(columns))
    _display(Table(df.reset_index(drop=True), raw=raw))


def set_display_options() -> None:
    """pandas and matplotlib settings of the notebooks: Vietnamese decimals for any frame
    displayed as is (``%%sql`` results too), whole cells (Table wraps long text), charts
    in a font with every Vietnamese letter."""
    pd.set_option("display.float_format", fmt_number)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.width", 200)
    import matplotlib

    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    matplotlib.rcParams["axes.formatter.use_locale"] = False


def enable_sql(con: duckdb.DuckDBPyConnection, alias: str = "warehouse") -> bool:
    """Make ``%%sql`` / ``%sql`` cells (jupysql) query ``con`` — the read-only connection
    with external access disabled — and return DataFrames. False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    # jupysql's ploomber-core would otherwise report usage and check for new versions
    os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")
    os.environ.setdefault("PLOOMBER_VERSION_CHECK_DISABLED", "true")
    if "sql" not in shell.extension_manager.loaded:
        shell.extension_manager.load_extension("sql")
    for setting in ("SqlMagic.displaycon = False", "SqlMagic.feedback = 0",
                    "SqlMagic.autopandas = True", "SqlMagic.displaylimit = 200"):
        shell.run_line_magic("config", setting)
    shell.push({"_provstats_warehouse": con}, interactive=False)
    shell.run_line_magic("sql", f"_provstats_warehouse --alias {alias}")
    return True


def series_table(df: pd.DataFrame, *, indicator: bool = True, measure: bool = False,
                 quote_width: int | None = None) -> pd.DataFrame:
    """Rows shaped like ``mart_indicator_series`` as a table for people: labels instead of
    codes, values with qualifier and unit, the document and the (shortened) quote."""
    out: dict[str, list[Any]] = {}
    rows = list(df.itertuples(index=False))
    if indicator:
        out["Chỉ tiêu / indicator"] = [indicator_title(r.name_vi, r.name_en, r.indicator_code)
                                       for r in rows]
    if measure:
        out["Đo lường / measure"] = [measure_label(r.measure) for r in rows]
    out["Kỳ / period"] = [period_label(r.label_en, r.label_vi) for r in rows]
    out["Giá trị / value"] = [
        fmt_value(r.value, r.unit, r.qualifier, r.value_low, r.value_high) for r in rows]
    out["Trạng thái / status"] = [status_label(r.status) for r in rows]
    if "n_sources" in df.columns:
        out["Nguồn (bất đồng) / sources (disagreeing)"] = [
            f"{fmt_number(r.n_sources)} ({fmt_number(r.n_sources_disagreeing)})"
            if "n_sources_disagreeing" in df.columns else fmt_number(r.n_sources)
            for r in rows]
    out["Tài liệu / document"] = [
        f"{r.source_id} ({fmt_date(r.published_date)})" if "published_date" in df.columns
        else str(r.source_id) for r in rows]
    out["Câu trích / quote"] = [r.quote if quote_width is None else shorten(r.quote, quote_width)
                                for r in rows]
    return pd.DataFrame(out)


def indicator_title(name_vi: Any, name_en: Any, code: Any = None) -> str:
    parts = [str(p) for p in (name_vi, name_en) if not _is_missing(p)]
    title = " / ".join(dict.fromkeys(parts)) or str(code)
    return title


def period_label(label_en: Any, label_vi: Any = None) -> str:
    """``Q1 2025 / Quý I/2025``; just ``2025`` when the Vietnamese label says the same."""
    en = "" if _is_missing(label_en) else str(label_en)
    vi = "" if _is_missing(label_vi) else str(label_vi)
    if not vi or vi.lower().replace("năm ", "") == en.lower():
        return en or vi
    return f"{en} / {vi}" if en else vi


def period_tick(label_en: Any, label_vi: Any = None, width: int = 18) -> str:
    """The period label for a chart axis: English, then Vietnamese, wrapped."""
    return "\n".join(textwrap.fill(part, width)
                     for part in period_label(label_en, label_vi).split(" / "))


# ------------------------------------------------------------------------ charts
def _hue_colors(values: Iterable[Any]) -> dict[Any, Any]:
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("tab10")
    return {h: cmap(i % 10) for i, h in enumerate(dict.fromkeys(values))}


def legend_handles(colors: Mapping[Any, Any], hue_labels: Mapping[Any, str] | None = None,
                   statuses: Iterable[str] = (), wrap: int = 70) -> list[Any]:
    """Legend entries: one colour per series, then the estimate / target bar styles."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor=c,
                     label=textwrap.fill((hue_labels or {}).get(h, str(h)), wrap))
               for h, c in colors.items()]
    if "estimate" in statuses:
        handles.append(Patch(facecolor="white", edgecolor="grey", hatch="//",
                             label=STATUS_LABELS["estimate"]))
    if "target" in statuses:
        handles.append(Patch(facecolor="white", edgecolor="grey", linestyle="--",
                             label=STATUS_LABELS["target"]))
    return handles


def thousands_axis(ax: Any, axis: str = "y") -> None:
    """Tick labels with thousand separators."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: fmt_number(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def grouped_bars(
    df: pd.DataFrame,
    *,
    x: str,
    hue: str,
    y: str = "value",
    x_labels: Mapping[Any, str] | None = None,
    hue_labels: Mapping[Any, str] | None = None,
    colors: Mapping[Any, Any] | None = None,
    status: str | None = "status",
    low: str | None = "value_low",
    high: str | None = "value_high",
    title: str = "",
    ylabel: str = "",
    ax: Any = None,
    annotate: bool = True,
    value_suffix: str = "",
    legend: bool | str = True,
):
    """Grouped bars: one group per ``x`` (in the order of ``df``), one bar per ``hue``.

    Estimates are hatched and targets drawn as dashed outlines (``status`` column); a
    range (``low``/``high`` columns) gets an error bar; values are written on the bars.
    ``legend``: True inside the axes, ``"figure"`` below the plot (for a figure made with
    ``layout="constrained"``), False none. Returns the matplotlib Axes; the statuses drawn
    are in ``ax.statuses_drawn``.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.5))
    x_values = list(dict.fromkeys(df[x]))
    hue_values = list(dict.fromkeys(df[hue]))
    colors = dict(colors) if colors else _hue_colors(hue_values)
    width = 0.8 / max(len(hue_values), 1)
    statuses_seen: set[str] = set()
    for j, h in enumerate(hue_values):
        for _, row in df[df[hue] == h].iterrows():
            value = row[y]
            if _is_missing(value):
                continue
            pos = x_values.index(row[x]) - 0.4 + width * (j + 0.5)
            row_status = row[status] if status and status in row.index else "actual"
            statuses_seen.add(row_status)
            style: dict[str, Any] = {"color": colors[h], "edgecolor": colors[h]}
            if row_status == "estimate":
                style.update(hatch="//", color="white")
            elif row_status == "target":
                style.update(color="white", linestyle="--", linewidth=1.5)
            ax.bar(pos, value, width=width * 0.95, **style)
            has_range = (low in row.index and high in row.index
                         and not (_is_missing(row[low]) or _is_missing(row[high]))
                         and row[low] != row[high]) if low and high else False
            if has_range:
                ax.errorbar(pos, value, yerr=[[value - row[low]], [row[high] - value]],
                            color="black", capsize=3, linewidth=1)
            if annotate:
                ax.annotate(fmt_number(value) + value_suffix, (pos, value),
                            xytext=(0, 3 if value >= 0 else -10), textcoords="offset points",
                            ha="center", fontsize=8)
    ax.set_xticks(range(len(x_values)))
    ax.set_xticklabels([(x_labels or {}).get(v, str(v)) for v in x_values])
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.margins(y=0.15)
    thousands_axis(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.statuses_drawn = statuses_seen
    if legend and (len(hue_values) > 1 or statuses_seen - {"actual"}):
        handles = legend_handles({h: colors[h] for h in hue_values}, hue_labels,
                                 statuses_seen)
        if legend == "figure":
            ax.figure.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8)
        else:
            ax.legend(handles=handles, fontsize=8, loc="best")
    return ax


def plot_levels(df: pd.DataFrame, *, title: str, empty_message: str) -> None:
    """Bar charts of the levels of a few indicators, one figure per unit, with full years
    and within-year periods (quarter, half, months, days) in separate panels. Multi-year
    totals (grain ``years``) are left to the tables. ``df`` needs the columns of
    ``mart_indicator_series`` plus ``grain``; without rows a message is printed."""
    import matplotlib.pyplot as plt

    if df is None or df.empty:
        no_data(empty_message)
        return
    charted = df[df["grain"] != "years"]
    if charted.empty:
        no_data(f"{empty_message} (only multi-year totals, see the table)")
        return
    for unit, by_unit in charted.groupby("unit", sort=False):
        colors = _hue_colors(by_unit["indicator_code"])
        hue_labels = {r.indicator_code: indicator_title(r.name_vi, r.name_en)
                      for r in by_unit.itertuples()}
        panels = [
            ("Cả năm / full years", by_unit[by_unit["grain"] == "year"]),
            ("Trong năm / within the year", by_unit[by_unit["grain"] != "year"]),
        ]
        panels = [(name, part) for name, part in panels if not part.empty]
        widths = [part["period_code"].nunique() * (1 + 0.3 * part["indicator_code"].nunique())
                  for _, part in panels]
        fig, axes = plt.subplots(
            1, len(panels), squeeze=False, layout="constrained",
            figsize=(min(4 + 1.3 * sum(widths), 16), 5.2),
            gridspec_kw={"width_ratios": widths},
        )
        statuses: set[str] = set()
        for ax, (name, part) in zip(axes[0], panels, strict=True):
            part = part.sort_values(["start_date", "end_date"])
            grouped_bars(
                part, x="period_code", hue="indicator_code", colors=colors,
                x_labels={r.period_code: period_tick(r.label_en, r.label_vi)
                          for r in part.itertuples()},
                title=name, ylabel=unit_label(unit), ax=ax, legend=False,
            )
            ax.set_xlabel("Kỳ / period")
            statuses |= ax.statuses_drawn
        fig.suptitle(f"{title} ({unit_label(unit)})")
        fig.legend(handles=legend_handles(colors, hue_labels, statuses, wrap=90),
                   loc="outside lower center", ncol=1 if len(colors) > 2 else 2, fontsize=8)
        plt.show()


# ------------------------------------------------------------------- provenance
def highlight(text: str, start: int, end: int, context: int = 200, *, as_html: bool = False
              ) -> str:
    """``text[start-context:end+context]`` with ``text[start:end]`` marked.

    Plain text marks the mention ``⟦like this⟧``; HTML wraps it in ``<mark>``. Offsets
    are code points, as in the contract (Python slicing).
    """
    start, end = max(int(start), 0), min(int(end), len(text))
    lo, hi = max(start - context, 0), min(end + context, len(text))
    before, mention, after = text[lo:start], text[start:end], text[end:hi]
    lead = "…" if lo > 0 else ""
    tail = "…" if hi < len(text) else ""
    if as_html:
        return (
            f"{lead}{html.escape(before)}<mark style='background:#ffe082;font-weight:bold'>"
            f"{html.escape(mention)}</mark>{html.escape(after)}{tail}"
        )
    return f"{lead}{before}{MARK_OPEN}{mention}{MARK_CLOSE}{after}{tail}"


_EXPLAIN_SQL = """
    select
        f.*,
        i.name_vi,
        i.name_en,
        p.label_vi                                    as period_label_vi,
        p.label_en                                    as period_label_en,
        bp.label_en                                   as base_period_label_en,
        s.title,
        s.text,
        s.source_kind                                 as document_kind,
        s.published_date                              as document_published_date,
        series.observation_id is not null             as is_chosen_for_series,
        series.is_preferred_status,
        series.n_sources,
        series.n_sources_disagreeing
    from marts.fct_indicator as f
    left join marts.dim_indicator as i on i.indicator_code = f.indicator_code
    left join marts.dim_period as p on p.period_code = f.period_code
    left join marts.dim_period as bp on bp.period_code = f.base_period_code
    left join marts.dim_source as s on s.source_id = f.source_id
    left join marts.mart_indicator_series as series on series.observation_id = f.observation_id
    where f.observation_id = $observation_id
"""

_SIBLINGS_SQL = """
    select
        f.observation_id,
        f.source_id,
        f.published_date,
        f.status,
        f.value,
        f.value_low,
        f.value_high,
        f.qualifier,
        f.unit,
        f.mention,
        f.quote
    from marts.fct_indicator as f
    where f.series_key = $series_key
      and f.observation_id <> $observation_id
    order by f.published_date desc nulls last, f.source_id, f.span_start
"""

CUE_COLUMNS = ("indicator_cue", "measure_cue", "period_cue", "status_cue", "geo_cue")


@dataclass
class Explanation:
    """What :func:`explain` found: renders as text (``print``) and as HTML (Jupyter)."""

    observation_id: str
    found: bool
    facts: dict[str, str] = field(default_factory=dict)
    quote: str = ""
    context_text: str = ""
    context_html: str = ""
    cues: dict[str, str] = field(default_factory=dict)
    evidence: Any = None
    other_statements: pd.DataFrame | None = None

    def __str__(self) -> str:
        if not self.found:
            return f"{NO_DATA_PREFIX} no observation with id {self.observation_id!r}."
        lines = [f"Observation {self.observation_id}"]
        lines += [f"  {k:<32} {v}" for k, v in self.facts.items()]
        lines += ["", "Câu trích / quote:", f"  {self.quote}", "",
                  "Trong văn bản / in context:", f"  {self.context_text}", "",
                  "Bằng chứng / evidence cues:"]
        lines += [f"  {k:<32} {v}" for k, v in self.cues.items()]
        lines += ["  evidence (json):",
                  *("    " + line for line in json.dumps(
                      self.evidence, ensure_ascii=False, indent=2).splitlines())]
        if self.other_statements is not None and not self.other_statements.empty:
            lines += ["", "Các phát biểu khác cùng chuỗi / other statements of the series:"]
            lines += ["  " + line for line in self.other_statements.to_string(
                index=False).splitlines()]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if not self.found:
            return f"<p>{html.escape(str(self))}</p>"
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self.facts.items()
        )
        cue_rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self.cues.items()
        )
        evidence = html.escape(json.dumps(self.evidence, ensure_ascii=False, indent=2))
        others = ""
        if self.other_statements is not None and not self.other_statements.empty:
            others = ("<h4>Các phát biểu khác cùng chuỗi / other statements of the series</h4>"
                      + self.other_statements.to_html(index=False))
        return (
            f"<h4>Observation <code>{html.escape(self.observation_id)}</code></h4>"
            f"<table>{rows}</table>"
            f"<h4>Câu trích / quote</h4><blockquote>{html.escape(self.quote)}</blockquote>"
            "<h4>Trong văn bản / in context</h4>"
            "<div style='white-space:pre-wrap;border-left:3px solid #ccc;padding-left:8px'>"
            f"{self.context_html}</div>"
            f"<h4>Bằng chứng / evidence cues</h4><table>{cue_rows}</table>"
            f"<pre>{evidence}</pre>{others}"
        )


def explain(con: duckdb.DuckDBPyConnection, observation_id: str, context: int = 200
            ) -> Explanation:
    """A value with its source: the sentence, the number marked in its context, the cues.

    ``observation_id`` is a ``fct_indicator`` id (also ``mart_indicator_series``,
    ``mart_source_conflicts`` and ``mart_target_tracking`` name them).
    """
    found = con.execute(_EXPLAIN_SQL, {"observation_id": observation_id}).df()
    if found.empty:
        return Explanation(observation_id=observation_id, found=False)
    row = found.iloc[0]
    text = row["text"] if isinstance(row["text"], str) else ""
    start, end = int(row["span_start"]), int(row["span_end"])
    mention_in_text = text[start:end]

    facts = {
        "Chỉ tiêu / indicator": (
            f"{indicator_title(row['name_vi'], row['name_en'])} ({row['indicator_code']})"
            if not _is_missing(row["indicator_code"]) else "— (uncatalogued number)"
        ),
        "Giá trị / value": fmt_value(row["value"], row["unit"], row["qualifier"],
                                     row["value_low"], row["value_high"]),
        "Như văn bản viết / as written": mention_in_text,
        "Đo lường / measure": measure_label(row["measure"]) + (
            f" (base {row['base_period_label_en']})"
            if not _is_missing(row["base_period_code"]) else ""),
        "Kỳ / period": (f"{row['period_label_vi']} / {row['period_label_en']} "
                        f"({row['period_code']})"),
        "Địa bàn / place": geo_label(row["geo_code"]),
        "Trạng thái / status": status_label(row["status"]),
        "Nguồn / source": str(row["source_id"]),
        "Tiêu đề / title": "" if _is_missing(row["title"]) else str(row["title"]),
        "Loại / kind, ngày / published": (
            f"{row['document_kind']}, {fmt_date(row['document_published_date'])}"),
        "Span": f"[{start}:{end}]",
    }
    if not _is_missing(row["indicator_code"]):
        if bool(row["is_chosen_for_series"]):
            facts["Chuỗi / series"] = (
                f"chosen value of its series ({fmt_number(row['n_sources'])} source(s), "
                f"{fmt_number(row['n_sources_disagreeing'])} disagreeing)")
        else:
            facts["Chuỗi / series"] = "another statement was chosen for this series"

    evidence: Any = row["evidence"]
    if isinstance(evidence, str):
        with contextlib.suppress(ValueError):
            evidence = json.loads(evidence)
    siblings = None
    if not _is_missing(row["series_key"]):
        siblings = con.execute(_SIBLINGS_SQL, {"series_key": row["series_key"],
                                               "observation_id": observation_id}).df()
        if not siblings.empty:
            siblings = pd.DataFrame({
                "observation_id": siblings["observation_id"],
                "source_id": siblings["source_id"],
                "published": siblings["published_date"].map(fmt_date),
                "status": siblings["status"],
                "value": [fmt_value(r.value, r.unit, r.qualifier, r.value_low, r.value_high)
                          for r in siblings.itertuples()],
                "quote": siblings["quote"].map(lambda q: shorten(q, 120)),
            })
    return Explanation(
        observation_id=observation_id,
        found=True,
        facts=facts,
        quote=str(row["quote"]),
        context_text=highlight(text, start, end, context) if text else "",
        context_html=highlight(text, start, end, context, as_html=True) if text else "",
        cues={c: ("—" if _is_missing(row[c]) else str(row[c])) for c in CUE_COLUMNS},
        evidence=evidence,
        other_statements=siblings,
    )


def quote_with_mark(quote: str, mention: str | None) -> str:
    """The quote with the first occurrence of ``mention`` marked (for tables)."""
    if not isinstance(quote, str):
        return ""
    if not mention or _is_missing(mention) or mention not in quote:
        return quote
    return quote.replace(mention, f"{MARK_OPEN}{mention}{MARK_CLOSE}", 1)


def labels(rows: Iterable[Any], key: str, *fields: str) -> dict[Any, str]:
    """``{row.key: 'field1 / field2'}`` from itertuples() rows (for chart legends)."""
    out: dict[Any, str] = {}
    for r in rows:
        out[getattr(r, key)] = indicator_title(*(getattr(r, f) for f in fields))
    return out

