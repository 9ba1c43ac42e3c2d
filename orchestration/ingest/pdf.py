"""PDF → document text: the text layer in reading order (pypdfium2), tables (pdfplumber).

Text conventions (the interface with :mod:`orchestration.extraction`):

* **Lines** are the PDF's own text lines, in PDFium's reading order, one per ``\\n``
  line, as ``pdftotext`` gives them: wrapped lines of a paragraph stay separate lines
  (the extractor's layout rules reflow them, see ``extraction/layout.py``), no blank
  lines are added between paragraphs.
* **Pages** are separated by a form feed on a line of its own: ``"…last line of page
  1\\n\\f\\nfirst line of page 2…"``. The page of a character is therefore 1 + the number
  of ``\\f`` before it; a page without text is an empty page (``"\\n\\f\\n\\f\\n"``). A
  sentence that runs over the page break reads ``"… so với\\n\\f\\ncùng kỳ …"``.
* **Running headers and footers** — short lines among the three at the top or bottom of
  the pages whose text (digits aside) repeats at the same height on at least half of the
  pages (two pages at least) — and
  **page numbers** ("12", "- 12 -", "Trang 12", "12/40" as the first or last line of a
  page) are removed. Footnotes stay where the PDF has them: lines at the foot of their
  page, the marker glued to the word or number it annotates (``"6,79%1"``), as the
  layout rules expect.
* **Tables** with ruled cells (found by pdfplumber on the pages that draw lines) replace
  the text lines they cover, flattened as :mod:`.tables` says (``" | "`` between cells,
  merged cells repeated, a blank line before and after — also at the top or bottom of a
  page: ``"…| 110,3\n\n\f\n\nChỉ tiêu | …"``). A table that runs over a page break
  is two tables, the second headed by whatever the page shows (Word repeats the header
  row when asked to). Tables drawn without lines are read as ordinary text lines.

Why two libraries: PDFium (pypdfium2) reads a page's text about two orders of magnitude
faster than pdfminer (pdfplumber) and keeps the producer's reading order; pdfplumber
finds ruled tables and their merged cells, which PDFium does not. ``make bench`` prints
both speeds. pdfplumber parses only pages that draw vector paths.

Limits: table areas are matched to text lines in unrotated page space (a page turned with
``/Rotate`` keeps its text, but its ruled tables may be read as text lines); the time
limit is checked between pages, so one pathological page is not interrupted.

Refused, with the reason: a truncated file (no ``%%EOF`` at the end), a damaged one, a
password-protected one, one over the page limit (PROVSTATS_MAX_PDF_PAGES), one taking
longer than the read time limit (PROVSTATS_READ_TIMEOUT_S, checked between pages), and a
scanned PDF ("scanned PDF: no text layer": pages that are images; OCR is not done).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .decode import UnreadableFileError
from .formats import PDF_MEDIA_TYPE, Deadline, ExtractedText, ReadLimits, finish_text
from .tables import GridCell, TableText, flatten_grid

__all__ = ["PAGE_BREAK", "read_pdf"]

#: The line between two pages of a PDF's text.
PAGE_BREAK = "\f"
#: How many lines at the top and at the bottom of a page may be running headers/footers,
#: and how long such a line may be.
_EDGE_LINES = 3
_RUNNING_LINE_CHARS = 120
#: Fewer non-blank characters than this per page, with images, is a scanned document.
_SCANNED_CHARS_PER_PAGE = 20
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:trang|page)\s*)?(?P<n>\d{1,4})(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)
# PDFium joins a line ending with a hyphen to the next and marks the place with U+FFFE
# (older versions: U+0002): the page has a hyphen and a line break there, so do we.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\ufffe|\x02")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uffff]")  # \f only between pages


@dataclass
class _Line:
    text: str
    left: float
    bottom: float
    right: float
    top: float  # PDF user space: y grows upwards

    @property
    def signature(self) -> tuple[str, int]:
        """The line's text with digits and spacing blurred, and its height on the page
        to within a few points: a running header is the same line at the same place."""
        text = re.sub(r"\s+", " ", re.sub(r"\d+", "#", self.text)).strip().casefold()
        return text, round(self.top / 6)


@dataclass
class _Page:
    lines: list[_Line]
    draws_paths: bool
    has_images: bool
    tables: list[tuple[tuple[float, float, float, float], TableText]] = field(
        default_factory=list
    )  # (left, bottom, right, top) in PDF space, flattened table


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _char_box(textpage: pdfium.PdfTextPage, text_index: int) -> tuple[float, ...] | None:
    char_index = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, text_index)
    if char_index < 0:
        return None
    return textpage.get_charbox(char_index)


def _page_lines(textpage: pdfium.PdfTextPage) -> list[_Line]:
    """The page's text lines in PDFium's order, each with its bounding box."""
    text = textpage.get_text_range()
    lines: list[_Line] = []
    position = 0  # in UTF-16 code units, PDFium's text indices
    pieces = _LINE_BREAK.split(text)
    separators = [m.group(0) for m in _LINE_BREAK.finditer(text)] + [""]
    for piece, separator in zip(pieces, separators, strict=True):
        clean = _CONTROLS.sub("", piece) + ("-" if separator in ("\ufffe", "\x02") else "")
        stripped = piece.strip()
        if stripped:
            first = position + _utf16_len(piece[: len(piece) - len(piece.lstrip())])
            last = position + _utf16_len(piece.rstrip()) - 1
            boxes = [b for b in (_char_box(textpage, first), _char_box(textpage, last)) if b]
            if boxes:
                left = min(b[0] for b in boxes)
                bottom = min(b[1] for b in boxes)
                right = max(b[2] for b in boxes)
                top = max(b[3] for b in boxes)
            else:
                left = bottom = right = top = 0.0
            lines.append(_Line(clean.strip(), left, bottom, right, top))
        position += _utf16_len(piece) + _utf16_len(separator)
    return _join_same_baseline(lines)


def _join_same_baseline(lines: list[_Line]) -> list[_Line]:
    """Join a line to the previous one when it goes on to its right at the same height:
    PDFium breaks the line after a raised footnote marker ("7,35%¹, cao hơn")."""
    out: list[_Line] = []
    for line in lines:
        if out:
            prev = out[-1]
            overlap = min(prev.top, line.top) - max(prev.bottom, line.bottom)
            smaller = min(prev.top - prev.bottom, line.top - line.bottom)
            if smaller > 0 and overlap >= 0.5 * smaller and line.left >= prev.right - 1:
                gap = line.left - prev.right
                space = " " if gap > 0.3 * (prev.top - prev.bottom) else ""  # a word space
                out[-1] = _Line(prev.text + space + line.text, prev.left,
                                min(prev.bottom, line.bottom), line.right, max(prev.top, line.top))
                continue
        out.append(line)
    return out


def _has_object(page: pdfium.PdfPage, kind: int) -> bool:
    return next(iter(page.get_objects(filter=(kind,), max_depth=3)), None) is not None


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    if b"%%EOF" not in data[-8192:]:
        raise UnreadableFileError(
            name,
            "is a truncated PDF (it does not end with %%EOF: the download or copy was cut "
            "short)",
        )
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableFileError(
                name,
                "is an encrypted PDF that needs a password to open: save a copy without "
                "the password to have it read",
            ) from None
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise UnreadableFileError(
                name, "is an encrypted PDF using an unsupported security handler"
            ) from None
        raise UnreadableFileError(
            name, f"is a damaged PDF that cannot be opened ({exc})"
        ) from None


# ------------------------------------------------------------------------- tables


def _table_grid(table) -> list[list[GridCell]] | None:  # noqa: ANN001 (pdfplumber Table)
    """A pdfplumber table as a grid, merged cells repeated; None if it is not a data
    table (fewer than two rows or two columns: a frame around text)."""
    rows = table.rows
    columns = sorted({cell[0] for cell in table.cells})
    if len(rows) < 2 or len(columns) < 2:
        return None
    texts = table.extract()
    text_of: dict[tuple, str] = {}
    for row, row_texts in zip(rows, texts, strict=True):
        for cell, text in zip(row.cells, row_texts, strict=True):
            if cell is not None:
                text_of[cell] = text or ""

    def covering(x: float, top: float) -> tuple | None:
        for cell in table.cells:
            if cell[0] - 0.5 <= x < cell[2] - 0.5 and cell[1] - 0.5 <= top < cell[3] - 0.5:
                return cell
        return None

    grid = []
    for row in rows:
        top = min(cell[1] for cell in row.cells if cell is not None)
        line = []
        for x, cell in zip(columns, row.cells, strict=True):
            cell = cell or covering(x, top)
            line.append(GridCell(text_of.get(cell, ""), cell) if cell else GridCell(""))
        grid.append(line)
    return grid


def _find_tables(data: bytes, name: str, pages: list[_Page], deadline: Deadline) -> None:
    """Fill ``_Page.tables`` for the pages that draw paths (ruled tables need lines)."""
    wanted = [i for i, page in enumerate(pages) if page.draws_paths]
    if not wanted:
        return
    import pdfplumber  # imported only for PDFs that may hold tables

    try:
        with pdfplumber.open(io.BytesIO(data)) as document:
            for i in wanted:
                deadline.check(f"the tables of page {i + 1} of {len(pages)}")
                plumber_page = document.pages[i]
                height = plumber_page.mediabox[3] - plumber_page.mediabox[1]
                for table in plumber_page.find_tables():
                    grid = _table_grid(table)
                    if grid is None:
                        continue
                    x0, top, x1, bottom = table.bbox
                    box = (x0, height - bottom, x1, height - top)
                    pages[i].tables.append((box, flatten_grid(grid)))
                plumber_page.close()
    except UnreadableFileError:
        raise
    except Exception as exc:  # pdfminer failing on a file PDFium could read
        raise UnreadableFileError(
            name,
            f"is a PDF whose tables could not be read (pdfplumber: {type(exc).__name__}: "
            f"{exc})",
        ) from None


def _inside(line: _Line, box: tuple[float, float, float, float]) -> bool:
    x = (line.left + line.right) / 2
    y = (line.bottom + line.top) / 2
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


# ------------------------------------------------------------ headers, footers, numbers


def _edges(lines: list[_Line]) -> tuple[list[int], list[int]]:
    """Indices of the top and bottom lines of a page, outermost first."""
    order = sorted(range(len(lines)), key=lambda k: -lines[k].top)
    top = order[:_EDGE_LINES]
    bottom = list(reversed(order))[:_EDGE_LINES]
    return top, bottom


def _running_lines(pages: list[list[_Line]]) -> list[set[int]]:
    """Per page, the indices of running headers/footers and page numbers to drop."""
    dropped: list[set[int]] = [set() for _ in pages]
    if len(pages) >= 2:
        counts: Counter[tuple[str, int]] = Counter()
        for lines in pages:
            top, bottom = _edges(lines)
            counts.update({lines[k].signature for k in {*top, *bottom}})
        needed = max(2, (len(pages) + 1) // 2)
        for p, lines in enumerate(pages):
            top, bottom = _edges(lines)
            for edge in (top, bottom):
                for k in edge:  # outermost first: stop at the first line that is content
                    if (counts[lines[k].signature] >= needed
                            and len(lines[k].text) <= _RUNNING_LINE_CHARS):
                        dropped[p].add(k)
                    else:
                        break
    limit = len(pages) + 50  # front matter may shift page numbers, not by thousands
    for p, lines in enumerate(pages):
        top, bottom = _edges(lines)
        for edge in (top, bottom):
            for k in edge:
                if k in dropped[p]:
                    continue
                m = _PAGE_NUMBER.match(lines[k].text)
                if m and int(m.group("n")) <= limit:
                    dropped[p].add(k)
                break
    return dropped


# ---------------------------------------------------------------------------- assembly


def _page_text_lines(page: _Page, dropped: set[int]) -> list[str]:
    out: list[str] = []
    placed: set[int] = set()
    for k, line in enumerate(page.lines):
        owner = next((t for t, (box, _) in enumerate(page.tables) if _inside(line, box)), None)
        if owner is None:
            if k not in dropped:
                out.append(line.text)
            continue
        if owner not in placed:
            placed.add(owner)
            out.extend(page.tables[owner][1].lines())
    for t, (_, table) in enumerate(page.tables):  # a table none of whose text PDFium saw
        if t not in placed:
            out.extend(table.lines())
    return out


def read_pdf(data: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of a PDF (see the module docstring for its conventions).

    Raises :class:`UnreadableFileError` naming the reason: truncated, damaged or
    encrypted file, too many pages, too slow, or scanned (no text layer).
    """
    limits = limits or ReadLimits()
    document = _open(data, name)
    try:
        count = len(document)
        if count == 0:
            raise UnreadableFileError(name, "is a PDF without pages")
        if count > limits.max_pdf_pages:
            raise UnreadableFileError(
                name,
                f"has {count:,} pages, over the {limits.max_pdf_pages:,}-page limit for a "
                "PDF (PROVSTATS_MAX_PDF_PAGES)",
            )
        deadline = Deadline(name, limits.timeout_s)
        pages: list[_Page] = []
        for i in range(count):
            deadline.check(f"page {i + 1} of {count}")
            page = document[i]
            try:
                textpage = page.get_textpage()
                try:
                    lines = _page_lines(textpage)
                finally:
                    textpage.close()
                pages.append(_Page(
                    lines=lines,
                    draws_paths=_has_object(page, pdfium_c.FPDF_PAGEOBJ_PATH),
                    has_images=_has_object(page, pdfium_c.FPDF_PAGEOBJ_IMAGE),
                ))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise UnreadableFileError(name, f"is a damaged PDF ({exc})") from None
    finally:
        document.close()

    characters = sum(len(line.text.replace(" ", "")) for page in pages for line in page.lines)
    if characters < _SCANNED_CHARS_PER_PAGE * count:
        imaged = sum(1 for page in pages if page.has_images)
        if imaged:
            raise UnreadableFileError(
                name,
                f"is a scanned PDF: no text layer ({imaged} of {count} pages are images, "
                f"{characters} characters of text; OCR is not done)",
            )
        if not characters:
            raise UnreadableFileError(
                name, "is a PDF without text (no text layer and no images)"
            )

    _find_tables(data, name, pages, deadline)
    dropped = _running_lines([page.lines for page in pages])
    lines: list[str] = []
    for i, page in enumerate(pages):
        if i:
            lines.append(PAGE_BREAK)
        lines.extend(_page_text_lines(page, dropped[i]))
    return finish_text(name, lines, PDF_MEDIA_TYPE, "a PDF")
