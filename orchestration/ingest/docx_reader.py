"""Word ``.docx`` → document text (python-docx).

The body in document order: each paragraph (headings included) is one line, as Word
holds it (a manual line break inside a paragraph is a ``\\n``); an empty paragraph is a
blank line (runs of them collapse to one). Each table is flattened as :mod:`.tables`
says: one ``" | "``-separated line per row, merged cells (horizontal ``gridSpan`` and
vertical ``vMerge``) repeated in every column and row they cover, a blank line before
and after. A cell's paragraphs are joined with a space; a table nested in a cell is
read as its cells' text.

Not read: page headers and footers (running text), footnotes and endnotes, comments,
text boxes and automatic list numbering (Word draws "1." or "a)" from the numbering
definitions: only the typed text is in the paragraph). A ``.docx`` is one flow of text:
it has no page breaks to keep.
"""

from __future__ import annotations

import io
import zipfile

from .decode import UnreadableFileError
from .formats import DOCX_MEDIA_TYPE, Deadline, ExtractedText, ReadLimits, finish_text
from .tables import GridCell, flatten_grid

__all__ = ["read_docx"]

_CHECK_EVERY = 200  # blocks between two looks at the clock


def _cell_text(cell) -> str:  # noqa: ANN001 (python-docx _Cell)
    parts = [p.text for p in cell.paragraphs]
    for nested in cell.tables:
        for row in nested.rows:
            parts.extend(c.text for c in row.cells)
    return " ".join(part for part in parts if part.strip())


def _table_lines(table) -> list[str]:  # noqa: ANN001 (python-docx Table)
    grid = []
    for row in table.rows:
        grid.append([GridCell(_cell_text(cell), cell._tc) for cell in row.cells])
    return flatten_grid(grid).lines()


def _blocks(container, parent):  # noqa: ANN001, ANN202 (lxml element, python-docx parent)
    """Paragraphs and tables of a body in document order, including those inside content
    controls (``w:sdt``), which python-docx's ``iter_inner_content`` passes over."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent)


def read_docx(data: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of a Word document (see the module docstring).

    Raises :class:`UnreadableFileError` if python-docx cannot open it or it holds no text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    limits = limits or ReadLimits()
    deadline = Deadline(name, limits.timeout_s)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFileError(
            name, f"is a damaged Word document (python-docx: {type(exc).__name__}: {exc})"
        ) from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends
        raise UnreadableFileError(
            name, f"is a damaged Word document ({type(exc).__name__}: {exc})"
        ) from None
    lines: list[str] = []
    for k, block in enumerate(_blocks(document.element.body, document._body)):
        if k % _CHECK_EVERY == 0:
            deadline.check(f"block {k + 1} of the document body")
        if isinstance(block, Table):
            lines.extend(["", *_table_lines(block), ""])
        else:
            lines.extend(block.text.split("\n"))
    return finish_text(name, lines, DOCX_MEDIA_TYPE, "a Word document")
