"""Tables of PDF, Word and Excel documents flattened into document text.

The one text convention every reader follows (the extractor reads tables from it, see
``OBSERVATIONS.md`` section 7):

* one line per table row, cells separated by ``" | "`` (space, pipe, space), header rows
  first (rows keep their order in the document);
* a blank line before and after the table;
* every row has the same number of cells: a merged cell's text is repeated in each
  column (and each row) it spans, so a column's header can be read from the header
  lines above it and a row's label from its first cells;
* an empty cell is an empty string between two separators (``"a |  | b"``);
* a cell's text is kept as written (numbers are not reformatted) except that its
  whitespace runs, line breaks included, become one space and a ``|`` inside it becomes
  ``/`` (it would otherwise read as a cell boundary; title and note lines keep theirs);
* rows at the top or bottom of a table that hold a single piece of text (a title, a
  unit line such as "Đơn vị: tỷ đồng", a source or a note) are not table rows: they
  become lines of their own above or below the table (a "table" of such rows only, a
  framed paragraph or a one-column list, is all lines);
* grid columns (rows) that no row (column) tells apart — every row has the same merged
  cell across them, an artefact of how the table was drawn — are one column (row);
  wholly empty rows and columns are dropped.

Readers describe a table as a grid of :class:`GridCell`; cells that are the same merged
cell share an ``origin`` (any hashable identity: the cell's bounding box, its XML
element, its merge range).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["CELL_SEPARATOR", "GridCell", "TableText", "clean_cell_text", "flatten_grid"]

CELL_SEPARATOR = " | "
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class GridCell:
    """One position of a table grid: the text of the (possibly merged) cell covering it.

    ``origin`` identifies the cell: positions covered by one merged cell share it. None
    means a position no cell covers (a ragged row): it reads as an empty cell.
    """

    text: str
    origin: Hashable | None = None


@dataclass(frozen=True)
class TableText:
    """A flattened table: caption lines above, the row lines, note lines below."""

    captions: tuple[str, ...]
    rows: tuple[str, ...]
    notes: tuple[str, ...]

    def lines(self) -> list[str]:
        """The table as document lines: captions, a blank line, the rows, a blank line,
        the notes (no blank lines at all if the table has no rows)."""
        if not self.rows:
            return [*self.captions, *self.notes]
        return [*self.captions, "", *self.rows, "", *self.notes]


def clean_cell_text(value: str) -> str:
    """A cell's text on one line: whitespace runs become one space."""
    return _WHITESPACE.sub(" ", value).strip()


def _row_line(row: list[GridCell]) -> str:
    """A table row as a line: ``|`` inside a cell becomes ``/``."""
    return CELL_SEPARATOR.join(c.text.replace("|", "/") for c in row)


def _same_columns(grid: list[list[GridCell]], a: int, b: int) -> bool:
    """Columns ``a`` and ``b`` are covered, in every row, by one and the same cell."""
    return all(
        row[a].origin is not None and row[a].origin == row[b].origin and row[a].text == row[b].text
        for row in grid
    )


def _dedupe_columns(grid: list[list[GridCell]]) -> list[list[GridCell]]:
    if not grid or not grid[0]:
        return grid
    keep = [0]
    for col in range(1, len(grid[0])):
        if not _same_columns(grid, keep[-1], col):
            keep.append(col)
    return [[row[c] for c in keep] for row in grid]


def _transpose(grid: list[list[GridCell]]) -> list[list[GridCell]]:
    return [list(col) for col in zip(*grid, strict=True)] if grid else []


def _single_text(row: list[GridCell]) -> str | None:
    """The row's only text, if it has exactly one distinct non-empty cell."""
    texts = {(c.origin if c.origin is not None else i, c.text) for i, c in enumerate(row) if c.text}
    if len(texts) != 1:
        return None
    return next(iter(texts))[1]


def flatten_grid(grid: Sequence[Sequence[GridCell]]) -> TableText:
    """Flatten a table grid (rows of :class:`GridCell`) following the module's rules."""
    width = max((len(r) for r in grid), default=0)
    rows = [
        [GridCell(clean_cell_text(c.text), c.origin) for c in r]
        + [GridCell("") for _ in range(width - len(r))]
        for r in grid
    ]
    rows = [r for r in rows if any(c.text for c in r)]
    if rows:  # wholly empty columns
        filled = [any(r[c].text for r in rows) for c in range(width)]
        rows = [[c for c, keep in zip(r, filled, strict=True) if keep] for r in rows]
    rows = _dedupe_columns(rows)
    rows = _transpose(_dedupe_columns(_transpose(rows)))

    captions: list[str] = []
    while rows and (text := _single_text(rows[0])) is not None:
        captions.append(text)
        rows.pop(0)
    notes: list[str] = []
    while rows and (text := _single_text(rows[-1])) is not None:
        notes.insert(0, text)
        rows.pop()
    return TableText(
        captions=tuple(captions),
        rows=tuple(_row_line(r) for r in rows),
        notes=tuple(notes),
    )
