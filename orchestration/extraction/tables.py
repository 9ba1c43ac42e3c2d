"""Tables flattened to text: every cell takes its row's indicator and its column's
period, measure and status (observation contract, section 7).

A table arrives as ``|``-separated lines (:mod:`.structure`), header rows first (a
merged header cell repeats its text in each column it spans). Columns are read from
their headers: the label column (``Chỉ tiêu``), the unit column (``Đơn vị tính``,
``ĐVT``), a numbering column (``STT``), and value columns whose header gives

* a period ("Thực hiện 9 tháng năm 2021", "Ước tính tháng 10", "Kế hoạch 2023");
* a status: "thực hiện" → actual, "ước tính" / "ước thực hiện" → estimate, "kế hoạch" /
  "mục tiêu" / "dự toán" → target (else from the period and the publication date);
* a measure: a comparison column ("So với cùng kỳ (%)", "So sánh (%)") states an index
  (``109,6`` → ``yoy_pct`` 9.6); "So kế hoạch (%)" → ``pct_of_plan``; else the level.

A row's indicator is the name in its label (a subset such as "Trong đó: Bán lẻ hàng hóa"
is not the indicator); its unit cell ("Tỷ đồng", "Nghìn lượt", "%") scales the values.
Blank and "-" cells hold nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .context import Decision, Publication, Scope
from .lexicon import catalogue, noun_matcher, verb_matcher
from .numbers import NUM_RE, NumberTooLargeError, _unit_after, parse_number
from .period_grammar import find_periods
from .periods import Period
from .reader import Reading, _unit_and_factor
from .structure import Cell, Line, Table
from .text import fold

_UNIT_HEADER = re.compile(r"^(?:đơn\s+vị(?:\s+tính)?|đvt)\b")
_LABEL_HEADER = re.compile(r"^(?:chỉ\s+tiêu|tên\s+chỉ\s+tiêu|nội\s+dung|hạng\s+mục|danh\s+mục)")
_NUMBERING_HEADER = re.compile(r"^(?:stt|tt|số\s+tt)$")
_COMPARE = re.compile(r"so\s+(?:với\s+)?|so\s+sánh|tăng\s*/\s*giảm|\(%\)")
_PLAN_COMPARE = re.compile(r"so\s+(?:với\s+)?(?:kế\s+hoạch|kh|dự\s+toán|mục\s+tiêu)")
_PREV_MONTH = re.compile(r"so\s+(?:với\s+)?tháng\s+trước")
_ACTUAL = re.compile(r"thực\s+hiện|chính\s+thức")
_ESTIMATE = re.compile(r"ước|dự\s+ước|sơ\s+bộ")
_TARGET = re.compile(r"kế\s+hoạch|\bkh\b|mục\s+tiêu|dự\s+toán|chỉ\s+tiêu")
_EMPTY = re.compile(r"^[\s\-–—.x*/]*$")
_ROW_NUMBER = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]?\s+")


@dataclass
class Column:
    index: int
    header: str
    period: Period | None
    status: str | None
    measure: str  # level, index (yoy), index_prev_month, pct_of_plan
    period_cue: str | None = None


@dataclass
class CellReading:
    reading: Reading
    start: int
    end: int
    row: list[Cell]
    row_line: Line
    labels: dict[str, Any]


def _columns(table: Table, year: int | None) -> tuple[int, int | None, list[Column]]:
    n = max(len(r) for r in table.header + table.rows)
    headers = []
    for i in range(n):
        parts = []
        for row in table.header:
            if i < len(row) and row[i].text and row[i].text not in parts:
                parts.append(row[i].text)
        headers.append(" ".join(parts))
    label_col, unit_col = 0, None
    for i, h in enumerate(headers):
        f = fold(h)
        if _NUMBERING_HEADER.match(f.strip()) and i == label_col:
            label_col = i + 1
        elif _LABEL_HEADER.match(f):
            label_col = i
        elif _UNIT_HEADER.match(f):
            unit_col = i
    columns = []
    last_value: Column | None = None
    for i, h in enumerate(headers):
        if i in (label_col, unit_col) or i < label_col:
            continue
        f = fold(h)
        periods = [p for p in find_periods(f, year) if p.period is not None and not p.is_name]
        if _PLAN_COMPARE.search(f):
            measure = "pct_of_plan"
        elif _PREV_MONTH.search(f):
            measure = "index_prev_month"
        elif _COMPARE.search(f):
            measure = "index"
        else:
            measure = "level"
        status = None
        if measure == "level":
            if _TARGET.search(f):
                status = "target"
            elif _ESTIMATE.search(f):
                status = "estimate"
            elif _ACTUAL.search(f):
                status = "actual"
        period = periods[0].period if periods else None
        cue = periods[0].text if periods else None
        col = Column(i, h, period, status, measure, cue)
        if measure != "level" and last_value is not None:
            col.period = col.period or last_value.period
            col.period_cue = col.period_cue or last_value.period_cue
            col.status = last_value.status
        if measure == "level":
            last_value = col
        columns.append(col)
    return label_col, unit_col, columns


def _row_subject(label: str) -> tuple[tuple[str, ...], str, bool] | None:
    """(indicator codes, cue, named with growth) of a row label; None when the label
    names something uncatalogued or a part of an indicator."""
    folded = fold(_ROW_NUMBER.sub("", label))
    codes: tuple[str, ...] = ()
    cue = ""
    for m in noun_matcher().finditer(folded):
        kinds = {e.kind for e in m.entries}
        if "subset" in kinds or ("place" in kinds and any(e.role == "subplace" for e in m.entries)):
            return None
        if "indicator" in kinds and not codes:
            codes = tuple(e.value for e in m.entries if e.kind == "indicator")
            cue = m.text
    if not codes:
        return None
    growth = any(
        e.kind == "measure" and e.role == "growth"
        for m in verb_matcher().finditer(folded)
        for e in m.entries
    )
    if re.match(r"\s*trong\s+đó", folded):
        return None  # "Trong đó: …": a part of the row above
    return codes, cue, growth


def read_table(
    table: Table, scope: Scope, pub: Publication, doc_geo: Decision
) -> list[CellReading]:
    """Observations of every value cell of ``table``."""
    d = scope.find("period")
    year = d.value.end.year if d is not None else pub.year
    label_col, unit_col, columns = _columns(table, year)
    cat = catalogue()
    caption_unit = None
    m = re.search(r"đơn\s+vị(?:\s+tính)?\s*:\s*([^)\n;]+)", fold(table.caption))
    if m:
        caption_unit = m.group(1).strip()
    geo = scope.find("place") or doc_geo
    out: list[CellReading] = []
    for row, line in zip(
        table.rows, table.lines[len(table.lines) - len(table.rows) :], strict=True
    ):
        if label_col >= len(row):
            continue
        label = row[label_col].text
        subject = _row_subject(label)
        unit_text = (
            row[unit_col].text
            if unit_col is not None and unit_col < len(row)
            else (caption_unit or "")
        )
        unit = _unit_after(" " + fold(unit_text), 0) if unit_text else None
        for col in columns:
            if col.index >= len(row):
                continue
            cell = row[col.index]
            text = cell.text
            if _EMPTY.match(text):
                continue
            nm = NUM_RE.match(text.strip())
            if not nm or nm.end() != len(text.strip()):
                continue
            try:
                value = parse_number(nm.group(0))
            except NumberTooLargeError:
                continue
            period = col.period or (d.value if d is not None else None)
            if period is None:
                continue
            ind = None
            codes = subject[0] if subject else ()
            pct_unit = unit is not None and unit.kind == "pct"
            if col.measure == "pct_of_plan":
                measure, unit_code, val = "pct_of_plan", "PCT", value
            elif col.measure in ("index", "index_prev_month"):
                measure = "yoy_pct" if col.measure == "index" else "change_pct"
                unit_code, val = "PCT", value - 100
            elif pct_unit:
                measure = "level"
                unit_code, val = "PCT", value
            else:
                measure, unit_code, val = "level", "", value
            for code in codes:
                c = cat.get(code)
                if c is None:
                    continue
                if (
                    measure == "level"
                    and not pct_unit
                    and unit is not None
                    and unit.kind in ("money", "count")
                ):
                    if unit.kind == "money" and c.unit not in (
                        ("VND_BN", "VND_MN") if unit.unit == "VND" else ("USD_MN", "USD")
                    ):
                        continue
                    if unit.kind == "count" and unit.unit != c.unit:
                        continue
                if measure == "level" and pct_unit and not c.is_rate:
                    if subject and subject[2]:
                        measure = "yoy_pct"
                    else:
                        continue
                ind = c
                break
            if measure == "level" and unit is not None and not pct_unit and ind is not None:
                from .numbers import Quantity

                q = Quantity(
                    0,
                    0,
                    0,
                    text,
                    value,
                    None,
                    None,
                    "eq",
                    unit.kind,
                    unit.unit,
                    unit.scale,
                    unit_text,
                )
                unit_code, factor = _unit_and_factor(q, ind, "level")
                val = value * factor
            elif measure == "level" and ind is None:
                unit_code = unit_code or ""
            status = col.status
            ended = pub.ended_before(period)
            if status is None:
                status = "estimate" if ended is False else "actual"
            base = None
            if measure == "change_pct":
                base = period.shifted_months(-1) if period.grain == "month" else None
                if base is None:
                    measure = "yoy_pct"
            ev = {
                "table_row": label,
                "table_column": col.header,
                "subject": {"level": "table", "cue": subject[1] if subject else None},
                "period": {"level": "table", "cue": col.period_cue or "(context)"},
                "status": {"level": "table", "cue": col.header},
                "geo": geo.evidence(),
                "measure_cue": col.header,
            }
            reading = Reading(
                0,
                0,
                ind,
                measure,
                round(val, 6),
                None,
                None,
                "eq",
                unit_code if ind else (unit_code or ""),
                period,
                base,
                status,
                geo.value,
                ev,
            )
            out.append(
                CellReading(
                    reading,
                    cell.start,
                    cell.end,
                    row,
                    line,
                    {"row": label, "column": col.header, "unit": unit_text or None},
                )
            )
    return out
