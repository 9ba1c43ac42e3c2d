"""Excel ``.xlsx`` → document text (openpyxl, read-only, cached values).

Each visible sheet is read in row order as tables flattened as :mod:`.tables` says
(``" | "`` between cells, merged cells repeated in every column and row they cover, a
blank line before and after). Wholly empty rows separate tables; within a table, rows
at its top or bottom holding a single piece of text (a title, "Đơn vị: tỷ đồng", a
source) become lines of their own, so a sheet that is a report (text lines in column A,
a table below) reads like the report. When a workbook has several visible sheets, each
sheet's name is a line above its content. Hidden sheets are not read.

Cells read as Excel shows them in Vietnamese: text as written; numbers with the cell's
number format (decimals, grouping, percent) and Vietnamese separators — ``.`` between
thousands, ``,`` before decimals (47315.2 formatted ``#,##0.0`` reads ``47.315,2``;
``General`` shows the number without grouping, ``3812,5``); dates as ``dd/mm/yyyy``;
error values (``#DIV/0!``) as written.

A formula's value is the result Excel saved with it. A workbook with formulas but no
saved results (written by a script, never opened in a spreadsheet program) is refused
with the cells named: reading it would silently lose those numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .decode import UnreadableFileError
from .formats import XLSX_MEDIA_TYPE, Deadline, ExtractedText, ReadLimits, finish_text
from .tables import GridCell, flatten_grid

__all__ = ["format_number", "read_xlsx"]

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CHECK_EVERY = 500  # rows between two looks at the clock
_SHOWN_CELLS = 5  # formula cells named in a refusal


# ---------------------------------------------------------------------- number formats

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_NUMBER_PATTERN = re.compile(r"[#0?][#0?,]*(?:\.[#0?]*)?|\.[#0?]+")


def _group_thousands(digits: str) -> str:
    out = []
    for k, ch in enumerate(reversed(digits)):
        if k and k % 3 == 0:
            out.append(".")
        out.append(ch)
    return "".join(reversed(out))


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.11g}".replace(".", ",")


def format_number(value: float, number_format: str | None) -> str:
    """``value`` as Excel displays it with ``number_format``, Vietnamese separators.

    Handles the formats statistics workbooks use: ``General``, ``0``, ``0.0``, ``#,##0``,
    ``#,##0.00``, ``0.0%``, optional decimals (``0.0#``), literal text and colours
    around them (kept out). Other formats (scientific, fractions) fall back to General.
    """
    fmt = (number_format or "General").split(";")[0]
    core = _QUOTED.sub("", fmt)
    match = _NUMBER_PATTERN.search(core)
    if fmt.strip().lower() in ("general", "@", "") or match is None or "E" in core.upper():
        return _general(value)
    pattern = match.group(0)
    integer_part, _, decimal_part = pattern.partition(".")
    min_decimals = decimal_part.count("0")
    max_decimals = sum(decimal_part.count(c) for c in "0#?")
    grouping = "," in integer_part.rstrip(",")
    percent = "%" in core
    try:
        number = Decimal(repr(float(value)))
    except InvalidOperation:
        return _general(value)
    if percent:
        number *= 100
    number = number.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    digits = f"{abs(number):f}"
    whole, _, fraction = digits.partition(".")
    while len(fraction) > min_decimals and fraction.endswith("0"):
        fraction = fraction[:-1]
    if grouping:
        whole = _group_thousands(whole)
    text = whole + ("," + fraction if fraction else "")
    return sign + text + ("%" if percent else "")


def _display(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(value, number_format)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# ------------------------------------------------------------- merges and formulas


def _sheet_facts(archive: zipfile.ZipFile, path: str) -> tuple[list[str], list[str]]:
    """(merged ranges, formula cells without a saved value) of one sheet's XML."""
    from lxml import etree

    merged: list[str] = []
    uncached: list[str] = []
    cell_tag, formula_tag = f"{{{_MAIN_NS}}}c", f"{{{_MAIN_NS}}}f"
    value_tag, merge_tag = f"{{{_MAIN_NS}}}v", f"{{{_MAIN_NS}}}mergeCell"
    row_tag = f"{{{_MAIN_NS}}}row"
    with archive.open(path.lstrip("/")) as stream:
        for _, element in etree.iterparse(
            stream, events=("end",), tag=(cell_tag, merge_tag, row_tag), huge_tree=True
        ):
            if element.tag == cell_tag:
                if element.find(formula_tag) is not None:
                    value = element.find(value_tag)
                    if value is None or not (value.text or ""):
                        uncached.append(element.get("r", "?"))
            elif element.tag == merge_tag:
                merged.append(element.get("ref", ""))
                continue
            else:
                element.clear()
                continue
            element.clear()
    return merged, uncached


# --------------------------------------------------------------------------- reading


def _sheet_lines(worksheet, merged: list[str], deadline: Deadline) -> list[str]:  # noqa: ANN001
    from openpyxl.utils.cell import range_boundaries

    rows: list[list[str]] = []
    for k, row in enumerate(worksheet.iter_rows()):
        if k % _CHECK_EVERY == 0:
            deadline.check(f"row {k + 1} of sheet {worksheet.title!r}")
        rows.append([
            _display(getattr(cell, "value", None), getattr(cell, "number_format", None))
            for cell in row
        ])
    origins: dict[tuple[int, int], str] = {}
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        while len(rows) < max_row:
            rows.append([])
        first = rows[min_row - 1]
        text = first[min_col - 1] if len(first) >= min_col else ""
        for r in range(min_row - 1, max_row):
            line = rows[r]
            line.extend([""] * (max_col - len(line)))
            for c in range(min_col - 1, max_col):
                line[c] = text
                origins[(r, c)] = ref

    lines: list[str] = []
    block: list[list[GridCell]] = []

    def close_block() -> None:
        if block:
            lines.extend(["", *flatten_grid(block).lines(), ""])
            block.clear()

    for r, row in enumerate(rows):
        if not any(text.strip() for text in row):
            close_block()
            continue
        block.append([GridCell(text, origins.get((r, c))) for c, text in enumerate(row)])
    close_block()
    return lines


def read_xlsx(data: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of an Excel workbook (see the module docstring).

    Raises :class:`UnreadableFileError` for a damaged workbook, formulas without saved
    results, a workbook without text, or one that takes longer than the time limit.
    """
    import openpyxl

    limits = limits or ReadLimits()
    deadline = Deadline(name, limits.timeout_s)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise UnreadableFileError(
            name, f"is a damaged Excel workbook (openpyxl: {type(exc).__name__}: {exc})"
        ) from None
    try:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        sheets = [ws for ws in sheets if hasattr(ws, "iter_rows")]  # not chart sheets
        lines: list[str] = []
        uncached: list[str] = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for worksheet in sheets:
                deadline.check(f"sheet {worksheet.title!r}")
                # openpyxl's read-only sheets know their part but not their merged cells
                merged, missing = _sheet_facts(archive, worksheet._worksheet_path)
                uncached.extend(f"{worksheet.title}!{ref}" for ref in missing)
                if uncached:
                    continue
                worksheet.reset_dimensions()  # a stale <dimension> must not pad the sheet
                if len(sheets) > 1:
                    lines.extend(["", worksheet.title, ""])
                lines.extend(_sheet_lines(worksheet, merged, deadline))
        if uncached:
            shown = ", ".join(uncached[:_SHOWN_CELLS]) + (", ..." if len(uncached) > 5 else "")
            raise UnreadableFileError(
                name,
                f"is an Excel workbook with formulas but no saved results ({len(uncached)} "
                f"cell{'s' if len(uncached) > 1 else ''}: {shown}): it was written by a program "
                "that does not calculate; open it in Excel or LibreOffice and save it to have "
                "it read",
            )
    except UnreadableFileError:
        raise
    except Exception as exc:
        raise UnreadableFileError(
            name, f"is a damaged Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        workbook.close()
    return finish_text(name, lines, XLSX_MEDIA_TYPE, "an Excel workbook")
