"""The structure of a document: header, title, headings, paragraphs, tables, footnotes,
sentences.

Text arrives as news pages (one paragraph per line, a header of site names, dates and
share buttons, a byline at the end), as statistics-office reports, or as PDF-extracted
text (hard line breaks inside sentences, page numbers on their own lines, footnote
markers glued to words and numbers, footnote bodies interrupting the running text).
Tables arrive flattened, one row per line with cells separated by ``|``.

:func:`parse` reads the document once into :class:`Block` objects in reading order.
Every paragraph has a reading string made of the clean pieces of its lines and a map
back to the reading view (:mod:`.text`), so spans always point into the stored text.
Work is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .text import UPPER, ReadingView, fold, reading_view

#: regular expressions used inline below, compiled once
_WORD_WITH_MARKER = re.compile(r"[^\W\d_]\d{1,3}$")
_TRAILING_DIGITS = re.compile(r"\d{1,3}$")
_SENTENCE_STOP = re.compile(r"[.!?]$")
_DECIMAL = re.compile(r"\d+[,.]\d")
_AMOUNT = re.compile(r"\d[.,]?\d*\s*(?:%|tỷ|triệu)")
_DIGIT = re.compile(r"\d")
_NUMERIC_CELL = re.compile(r"[\d.,\s%-]+")
#: words of a table's header row (besides periods): "Chỉ tiêu", "Đơn vị tính", "So với …"
_COLUMN_WORDS = re.compile(
    r"chỉ\s+tiêu|đơn\s+vị|thực\s+hiện|ước|kế\s+hoạch|so\s+(?:với|sánh)|cùng\s+kỳ|%|"
    r"tháng|quý|năm|(?:19|20)[0-9]{2}"
)
_ROMAN_NUMBER = re.compile(r"[IVX]+\.")
_OPEN_END = re.compile(r"[,;:]\s*$")

TERMINAL = ".!?…"
_PART = r"(?:[Pp]hần|PHẦN|[Cc]hương|CHƯƠNG)\s+(?:[IVX\d]+\b|(?:thứ|THỨ)\s+[^\W\d_]+)"
_ITEM_START = re.compile(
    r"^\s*(?:\(\d{1,2}\)\s|[-–•+*]\s|\d{1,2}(?:\.\d{1,2}){0,3}\.\s+\S|[IVX]{1,5}\.\s|"
    rf"{_PART}|[a-zđ]\)\s)"
)
_NUMBERED_HEADING = re.compile(
    rf"^\s*(?P<num>{_PART}|[IVX]{{1,5}}\.|\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.?)(?:\s+|$)"
)
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:[Tt]rang\s+)?\d{1,3}(?:\s*-)?\s*$")
_FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,3})(?:\s*-\s*|\s+)(?=[^\s\d])")
# a footnote marker: digits glued to a letter, '%' or a closing bracket, followed by
# punctuation, a space or the line end (``6,79%1,`` ``cao2.`` ``trước28,``)
#: (patterns scanned over whole texts start with one character class, here "\d\d{0,2}"
#: for "\d{1,3}", so that the engine jumps to the next candidate instead of trying
#: every position; see tests/test_extraction_regex_forms.py)
_MARKER_DIGITS = re.compile(r"(?P<n>\d\d{0,2})(?=[\s.,;:)…]|$)")
_MARKER_GLUE = frozenset('%)”"')
_LEADS_TO_NUMBER = re.compile(
    r"(?:tăng|giảm|đạt|là|khoảng|trên|dưới|gần|hơn|chiếm|gấp|bằng|ước|từ|có)\s*$", re.IGNORECASE
)
_ABBREVIATIONS = ("TP.", "Tp.", "ĐT.", "QL.", "TS.", "ThS.", "PGS.", "GS.", "St.", "Th.")
_LETTERS = re.compile(r"[^\W\d_]")
_UPPER_LETTERS = re.compile(rf"[{UPPER}]")
_SENTENCE_END = re.compile(rf"[.!?…][.!?…]*[\"”’)]*(?=\s+(?:[\"“(\-–]?\s*[{UPPER}\d]))")
_DATE_ONLY = re.compile(
    r"^[\s\w,.:|()+-]{0,30}?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}[\s\w,.:|()+-]{0,30}$"
    r"|^\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s*$"
)
_NAV_SEP = re.compile(r"\s(?:»|›|>|\|)\s|\s/\s")
_CAPTION = re.compile(r"(?:Ảnh|ảnh|Nguồn ảnh)\s*:\s*[^\W\d_][^.]{0,40}\.?\s*$")
_DATE_MONTH = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\s*$")


@cache
def _header_phrases() -> re.Pattern[str]:
    path = resources.files(__package__).joinpath("data/lexicon/header_lines.csv")
    with path.open(encoding="utf-8") as fh:
        phrases = [line.split(",")[0] for line in fh.read().splitlines()[1:] if line]
    alt = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alt})(?:\s*[:|]|\s*$|\s+(?=[\w\s|]{{0,40}}$))")


@cache
def _masthead_phrases() -> re.Pattern[str]:
    path = resources.files(__package__).joinpath("data/lexicon/mastheads.csv")
    with path.open(encoding="utf-8") as fh:
        phrases = [line.strip() for line in fh.read().splitlines()[1:] if line.strip()]
    alt = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alt})(?!\w)")


def is_item_start(s: str) -> bool:
    """A numbered or bulleted item ("(3) ...", "1.2. ...", "II. ...", "- Trong ...")."""
    m = _ITEM_START.match(s)
    if not m:
        return False
    if m.group(0).strip() in "-–•+*":
        return is_upper_start(s[m.end() :])
    return True


def is_upper_start(s: str) -> bool:
    s = s.lstrip(' \t"“(')
    return bool(s) and s[0].isupper()


def is_lower_start(s: str) -> bool:
    s = s.lstrip(' \t"“')
    return bool(s) and s[0].islower()


@dataclass
class Line:
    index: int
    start: int  # view offset of the first character
    end: int  # view offset after the last character (without the newline)
    text: str
    kind: str = "body"  # body, blank, page, separator, footnote, junk, table, cell
    footnote: int | None = None
    footnote_start: bool = False
    columns: int = 0  # for a "cell" line: the columns of its table (one cell per line)

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Paragraph:
    """A run of lines read as one unit: ``text`` is its reading string, ``folded`` the same
    lower-cased, ``segments`` the view offsets where each of its lines starts."""

    kind: str  # body, heading, title, footnote, junk
    lines: list[Line]
    text: str = ""
    folded: str = ""
    segments: list[tuple[int, int]] = field(default_factory=list)  # (text offset, view offset)
    heading_level: int | None = None
    footnote: int | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def to_view(self, offset: int) -> int:
        """View offset of the reading-string character at ``offset``."""
        k = bisect.bisect_right(self.segments, (offset, math.inf)) - 1
        text_start, view_start = self.segments[max(k, 0)]
        return view_start + (offset - text_start)

    def view_span(self, start: int, end: int) -> tuple[int, int]:
        """View offsets of the reading-string range ``[start, end)``."""
        return self.to_view(start), self.to_view(end - 1) + 1


@dataclass
class Cell:
    text: str
    start: int  # view offsets
    end: int


@dataclass
class Table:
    """A table flattened to ``|``-separated lines: its header rows and data rows."""

    header: list[list[Cell]]
    rows: list[list[Cell]]
    lines: list[Line]
    caption: str = ""  # the line before the table (a unit line "Đơn vị: tỷ đồng" or title)


Block = Paragraph | Table


@dataclass
class Document:
    view: ReadingView
    blocks: list[Block]
    pdf_like: bool
    markers: dict[int, int]  # footnote number -> view offset of its marker
    title: Paragraph | None
    header: list[Paragraph]  # mastheads, datelines and other header lines
    published_month: tuple[int, int] | None  # "date 2024-09": only the month is stated

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


def _split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def _ends_terminal(s: str) -> bool:
    """The line ends a sentence (a footnote marker glued after the stop aside)."""
    s = s.rstrip()
    if s[-1:].isdigit() and _WORD_WITH_MARKER.search(s[-5:]):
        s = _TRAILING_DIGITS.sub("", s)
    return bool(s) and s[-1] in TERMINAL


def _looks_pdf(lines: list[Line]) -> bool:
    """PDF-extracted text: many lines end mid-sentence and continue in lower case."""
    body = [ln for ln in lines if ln.stripped and ln.kind == "body"]
    soft = sum(
        1
        for a, b in zip(body, body[1:], strict=False)
        if not _ends_terminal(a.text) and is_lower_start(b.text)
    )
    return soft >= 5 and soft >= 0.15 * len(body)


def _find_markers(lines: list[Line]) -> tuple[dict[int, int], dict[int, int]]:
    """Footnote markers in the running text and the lines where their bodies start.

    A marker and a footnote body confirm each other: marker ``n`` counts only when a
    later line starts with ``n`` followed by text, and numbers rise in order.
    Returns ``(markers, bodies)``: footnote number -> marker offset / body line index."""
    candidates: list[tuple[int, int]] = []
    starts: dict[int, list[int]] = {}
    for ln in lines:
        if ln.kind != "body":
            continue
        m = _FOOTNOTE_START.match(ln.text)
        if m and not _PAGE_NUMBER.match(ln.text):
            starts.setdefault(int(m.group("n")), []).append(ln.index)
        for mk in _MARKER_DIGITS.finditer(ln.text):
            at = mk.start()
            glue = ln.text[at - 1] if at else ""
            if glue.isalpha() or glue in _MARKER_GLUE:
                candidates.append((ln.start + at, int(mk.group("n"))))
    markers: dict[int, int] = {}
    bodies: dict[int, int] = {}
    expected: int | None = None
    for offset, n in candidates:
        if expected is not None and not expected <= n <= expected + 3:
            continue
        later = [i for i in starts.get(n, []) if lines[i].start > offset]
        if not later:
            continue
        markers[n] = offset
        bodies[n] = later[0]
        expected = n + 1
    return markers, bodies


def _is_table_line(text: str) -> bool:
    return text.count("|") >= 2


def _is_junk(s: str) -> bool:
    """A header, navigation, dateline, share-button, tag or caption line."""
    words = len(s.split())
    m = _header_phrases().match(fold(s[:160])) if words <= 30 else None  # at the line start
    if m and (m.group(0).rstrip().endswith((":", "|")) or words <= 8):
        return True
    # (the word counts first: most lines are longer, and need no regular expression)
    if words <= 10 and _DATE_ONLY.match(s):
        return True
    if (
        words <= 14
        and _NAV_SEP.search(s)
        and not _SENTENCE_STOP.search(s)
        and not _DECIMAL.search(s)
    ):
        return True
    return bool(_CAPTION.search(s)) and not _AMOUNT.search(s)


def _classify_lines(
    lines: list[Line], page_breaks: frozenset[int] = frozenset()
) -> tuple[int, int] | None:
    """Kind of every line; returns the month of a ``date YYYY-MM`` line, if any. A line
    holding a form feed (``\f``, a PDF page break) is a ``page`` line."""
    month = None
    for ln in lines:
        s = ln.stripped
        if ln.start in page_breaks:
            ln.kind = "page"
            continue
        if not s:
            ln.kind = "separator" if len(ln.text) >= 10 else "blank"
            continue
        if _is_table_line(s):
            ln.kind = "table"
            continue
        dm = _DATE_MONTH.match(s)
        if dm:
            if not dm.group(3):
                month = (int(dm.group(1)), int(dm.group(2)))
            ln.kind = "junk"
            continue
        ln.kind = "junk" if _is_junk(s) else "body"
    return month


def _mark_tables(lines: list[Line]) -> None:
    """A table is two or more consecutive table lines; a lone one is text."""
    i = 0
    while i < len(lines):
        if lines[i].kind != "table":
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind == "table":
            j += 1
        if j - i < 2:
            for k in range(i, j):
                lines[k].kind = "junk" if _is_junk(lines[k].stripped) else "body"
        i = j


def _mark_cell_tables(lines: list[Line]) -> None:
    """Tables pasted one cell per line (contract section 7): a run of short lines
    without a full stop that splits into rows of ``k`` lines — a header row naming its
    columns (no number in it, a period or a column word among them) and data rows each
    with a label and numbers in the same columns. Its lines become ``cell`` lines."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].kind == "body" and _short_cell(lines[j].stripped):
            j += 1
        k = _cell_columns([ln.stripped for ln in lines[i:j]]) if j - i >= 6 else 0
        if k:
            for ln in lines[i:j]:
                ln.kind, ln.columns = "cell", k
        i = max(j, i + 1)


def _short_cell(text: str) -> bool:
    return 0 < len(text) <= 60 and text[-1] not in TERMINAL and "|" not in text


def _cell_columns(cells: list[str]) -> int:
    """The column count ``k`` that reads ``cells`` as a table, or 0."""
    numeric = [bool(_DIGIT.search(c)) and bool(_NUMERIC_CELL.fullmatch(c)) for c in cells]
    for k in range(2, 9):
        if len(cells) % k or len(cells) // k < 2:
            continue
        header = cells[:k]
        if any(numeric[:k]) or not any(_COLUMN_WORDS.search(fold(c)) for c in header):
            continue
        rows = [numeric[r : r + k] for r in range(k, len(cells), k)]
        if all(not row[0] and any(row[1:]) for row in rows) and len({tuple(r) for r in rows}) <= 2:
            return k
    return 0


def _mark_footnotes(lines: list[Line], bodies: dict[int, int], pdf_like: bool) -> None:
    body_start = {i: n for n, i in bodies.items()}
    in_footnote: int | None = None
    for ln in lines:
        if ln.kind in ("junk", "table", "page"):
            in_footnote = None  # a footnote ends at its page's foot
            continue
        if ln.kind in ("blank", "separator"):
            if ln.kind == "separator":
                in_footnote = None
            continue
        if pdf_like and _PAGE_NUMBER.match(ln.text):
            ln.kind = "page"
            in_footnote = None
            continue
        if ln.index in body_start:
            in_footnote = body_start[ln.index]
            ln.kind, ln.footnote, ln.footnote_start = "footnote", in_footnote, True
            continue
        if in_footnote is not None:
            resumes = ln.text[:1].isspace() or (
                is_lower_start(ln.text) and _ends_terminal(_last_footnote_text(lines, ln))
            )
            if not resumes:
                ln.kind, ln.footnote = "footnote", in_footnote
                continue
            in_footnote = None


def _last_footnote_text(lines: list[Line], ln: Line) -> str:
    for prev in reversed(lines[max(0, ln.index - 30) : ln.index]):
        if prev.kind == "footnote":
            return prev.text
        if prev.stripped:
            return ""
    return ""


def _typical_width(lines: list[Line]) -> int:
    lengths = [len(ln.text.rstrip()) for ln in lines if ln.kind == "body" and len(ln.stripped) > 40]
    return int(statistics.median(lengths)) if lengths else 0


def _joins(prev: Line, nxt: Line, pdf_like: bool, width: int, first_is_heading: bool) -> bool:
    """Does ``nxt`` continue the paragraph whose last line is ``prev``?"""
    if is_item_start(nxt.text):
        return False
    if _ends_terminal(prev.text):
        return False
    if is_lower_start(nxt.text):
        return True
    nstrip = nxt.text.lstrip()
    if nstrip[:1].isdigit() or nstrip[:1] in "(%-–":
        return (
            pdf_like
            or prev.text.rstrip().endswith(("-", "–", ","))
            or bool(_LEADS_TO_NUMBER.search(prev.text))
        )
    if prev.text.rstrip().endswith((",", ";", "-", "–")):
        return True
    if pdf_like and width and len(prev.text.rstrip()) >= 0.8 * width:
        return not prev.text.strip().isupper() and not first_is_heading
    return False


def _group(
    lines: list[Line], pdf_like: bool, width: int, markers: dict[int, int], view: str
) -> list[Block]:
    blocks: list[Block] = []
    current: Paragraph | None = None
    current_fn: Paragraph | None = None
    table_lines: list[Line] = []

    def flush_table() -> None:
        nonlocal table_lines
        if table_lines and table_lines[0].kind == "cell":
            blocks.append(_cell_table(table_lines, view, blocks))
        elif table_lines:
            blocks.append(_table(table_lines, blocks))
        table_lines = []

    for ln in lines:
        if ln.kind in ("table", "cell"):
            current = None
            if table_lines and table_lines[-1].kind != ln.kind:
                flush_table()
            table_lines.append(ln)
            continue
        flush_table()
        if ln.kind == "page":
            current_fn = None
            continue  # a page break: the running sentence may go on on the next page
        if ln.kind in ("blank", "separator"):
            if not pdf_like and not _next_to_page_break(lines, ln.index):
                current = None
            if ln.kind != "blank":
                current_fn = None
            continue
        if ln.kind == "junk":
            current = current_fn = None
            blocks.append(Paragraph("junk", [ln]))
            continue
        if ln.kind == "footnote":
            if current_fn is not None and current_fn.footnote == ln.footnote:
                current_fn.lines.append(ln)
            else:
                current_fn = Paragraph("footnote", [ln], footnote=ln.footnote)
                blocks.append(current_fn)
            continue
        current_fn = None
        if current is not None and _joins(
            current.lines[-1], ln, pdf_like, width,
            bool(_NUMBERED_HEADING.match(current.lines[0].text)),
        ):  # fmt: skip
            current.lines.append(ln)
            if blocks[-1] is not current:  # keep reading order after interrupting footnotes
                blocks.remove(current)
                blocks.append(current)
            continue
        current = Paragraph("body", [ln])
        blocks.append(current)
    flush_table()
    return blocks


def _next_to_page_break(lines: list[Line], i: int) -> bool:
    """A blank line that only pads a page break (``\n\n\f\n\n``)."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and lines[j].kind == "blank":
            j += step
        if 0 <= j < len(lines) and lines[j].kind == "page":
            return True
    return False


def _table(lines: list[Line], before: list[Block]) -> Table:
    """A table of ``|``-separated rows. Rows framed by pipes (``| a | b |``) on every line
    lose the empty cells outside the frame; otherwise an empty first cell is a cell (an
    empty numbering column: `` | Thu nội địa | Tỷ đồng | 2.640``)."""
    framed_left = all(ln.text.lstrip().startswith("|") for ln in lines)
    framed_right = all(ln.text.rstrip().endswith("|") for ln in lines)
    rows: list[list[Cell]] = []
    for ln in lines:
        cells = []
        pos = 0
        body = ln.text
        for part in re.split(r"(\|)", body):
            if part == "|":
                pos += 1
                continue
            lead = len(part) - len(part.lstrip())
            text = part.strip()
            cells.append(Cell(text, ln.start + pos + lead, ln.start + pos + lead + len(text)))
            pos += len(part)
        if cells and not cells[0].text and framed_left:
            cells = cells[1:]
        if cells and not cells[-1].text and framed_right:
            cells = cells[:-1]
        rows.append(cells)
    n_header = 0
    for cells in rows:
        if any(_DIGIT.search(c.text) and _NUMERIC_CELL.fullmatch(c.text) for c in cells):
            break
        n_header += 1
    n_header = min(n_header, len(rows) - 1)
    caption = ""
    for b in reversed(before[-2:]):
        if isinstance(b, Paragraph) and b.kind != "junk":
            # (paragraph texts are built after the tables: read the lines)
            caption = " ".join(ln.stripped for ln in b.lines)
            break
    previous = before[-1] if before else None
    if (
        n_header == 0
        and isinstance(previous, Table)
        and previous.header
        and len(previous.header[0]) == len(rows[0])
    ):
        # a table going on after a page break without repeating its header
        return Table(previous.header, rows, lines, previous.caption)
    return Table(rows[: max(n_header, 1)], rows[max(n_header, 1) :], lines, caption)


def _cell_table(lines: list[Line], view: str, before: list[Block]) -> Table:
    """A table pasted one cell per line: every ``columns`` lines are a row; each row is
    given one line spanning its cells (for its quote)."""
    k = lines[0].columns
    rows: list[list[Cell]] = []
    row_lines: list[Line] = []
    for r in range(0, len(lines), k):
        group = lines[r : r + k]
        cells = []
        for ln in group:
            lead = len(ln.text) - len(ln.text.lstrip())
            text = ln.stripped
            cells.append(Cell(text, ln.start + lead, ln.start + lead + len(text)))
        rows.append(cells)
        start, end = group[0].start, group[-1].end
        row_lines.append(Line(group[0].index, start, end, view[start:end], "cell", columns=k))
    caption = ""
    for b in reversed(before[-2:]):
        if isinstance(b, Paragraph) and b.kind != "junk":
            caption = " ".join(ln.stripped for ln in b.lines)
            break
    return Table(rows[:1], rows[1:], row_lines, caption)


def _build_view(p: Paragraph, view: str, hidden: dict[int, int]) -> None:
    """The paragraph's reading string (its lines joined, footnote markers blanked), its
    folded form and the map back to view offsets."""
    hidden_at = sorted(hidden)
    pieces: list[str] = []
    segments: list[tuple[int, int]] = []
    length = 0
    for k, ln in enumerate(p.lines):
        cut = 0
        if ln.footnote_start:
            m = _FOOTNOTE_START.match(ln.text)
            cut = m.end() if m else 0
        body = ln.text[cut:]
        start = ln.start + cut
        k0 = bisect.bisect_left(hidden_at, start)
        k1 = bisect.bisect_left(hidden_at, start + len(body), k0)
        for off in hidden_at[k0:k1]:  # blank footnote markers (same length)
            rel, n = off - start, hidden[off]
            body = body[:rel] + " " * n + body[rel + n :]
        if k:
            pieces.append(" ")
            segments.append((length, ln.start - 1))  # the line break before this line
            length += 1
        segments.append((length, start))
        pieces.append(body)
        length += len(body)
    text = "".join(pieces)
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    p.text = text[lead:trail]
    p.segments = [(max(0, t - lead), v + max(0, lead - t)) for t, v in segments]
    # merge segments that now start at the same text offset (keep the last)
    merged: dict[int, int] = {}
    for t, v in p.segments:
        merged[t] = v
    p.segments = sorted(merged.items())
    p.folded = fold(p.text)


def _mostly_upper(text: str) -> bool:
    """At least 80% of the letters are capitals."""
    letters = len(_LETTERS.findall(text))
    return letters > 0 and len(_UPPER_LETTERS.findall(text)) >= 0.8 * letters


def _classify(p: Paragraph) -> None:
    if p.kind != "body":
        return
    t = p.text
    if len(t) > 200 or _ends_terminal(t):
        return  # headings are short and end without a stop
    m = _NUMBERED_HEADING.match(t)
    if m:
        num = m.group("num")
        if num.lower().startswith(("phần", "chương")):
            level = 1
        elif _ROMAN_NUMBER.fullmatch(num):
            level = 2
        else:
            level = 3 + num.rstrip(".").count(".")
        p.kind, p.heading_level = "heading", level
    elif _mostly_upper(t):
        p.kind, p.heading_level = "heading", 2
    elif len(t) <= 160 and not _OPEN_END.search(t):
        p.kind, p.heading_level = "heading", 9  # a cross-heading of a news article


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of a reading string (a full stop inside a number or an
    abbreviation does not end a sentence)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        before = text[max(0, m.start() - 4) : m.start() + 1]
        if before.endswith(_ABBREVIATIONS):
            continue
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        trimmed.append((a, b))
    return trimmed


def _is_masthead(p: Paragraph) -> bool:
    words = p.text.split()
    if len(words) > 8 or _DIGIT.search(p.text):
        return False
    return bool(_masthead_phrases().match(p.folded)) or p.text.isupper()


def _find_title(blocks: list[Block]) -> tuple[Paragraph | None, list[Paragraph]]:
    """The headline: the first heading-like paragraph of the head that is not a masthead
    (a site or office name); mastheads and header lines before it are the header."""
    header: list[Paragraph] = []
    for b in blocks[:12]:
        if not isinstance(b, Paragraph):
            break
        if b.kind == "junk":
            header.append(b)
            continue
        if b.kind in ("heading_cont",) or (b.kind == "heading" and b.heading_level == 1):
            return None, header  # a report's part heading: the report has no headline
        if b.kind == "heading" and b.heading_level in (2, 9) and _is_masthead(b):
            b.kind = "junk"
            header.append(b)
            continue
        if b.kind == "heading" or (
            b.kind == "body" and len(b.text) <= 200 and not _ends_terminal(b.text)
        ):
            b.kind, b.heading_level = "title", 0
            return b, header
        return None, header
    return None, header


def parse(text: str) -> Document:
    """Read ``text`` (the stored text) into blocks in reading order."""
    view = reading_view(text)
    lines = _split_lines(view.text)
    month = _classify_lines(lines, frozenset(view.page_breaks))
    _mark_tables(lines)
    _mark_cell_tables(lines)
    pdf_like = _looks_pdf(lines)
    markers, bodies = _find_markers(lines) if pdf_like or len(lines) > 20 else ({}, {})
    hidden = {off: len(str(n)) for n, off in markers.items()}
    _mark_footnotes(lines, bodies, pdf_like)
    width = _typical_width(lines) if pdf_like else 0
    blocks = _group(lines, pdf_like, width, markers, view.text)
    for b in blocks:
        if isinstance(b, Paragraph):
            _build_view(b, view.text, hidden)
            _classify(b)
            b.sentences = split_sentences(b.text)
    _merge_heading_continuations(blocks)
    title, header = _find_title(blocks)
    return Document(view, blocks, pdf_like, markers, title, header, month)


def _merge_heading_continuations(blocks: list[Block]) -> None:
    """Upper-case heading lines right after a part heading continue it ("Phần I" + title)."""
    prev: Paragraph | None = None
    for b in blocks:
        if not isinstance(b, Paragraph):
            prev = None
            continue
        if (
            prev is not None
            and b.kind == "heading"
            and b.heading_level == 2
            and not _NUMBERED_HEADING.match(b.text)
            and b.text.isupper()
            and prev.heading_level == 1
        ):  # "Phần II" + "PHƯƠNG HƯỚNG, NHIỆM VỤ …" + "… 5 NĂM 2026 - 2030"
            b.kind, b.heading_level = "heading_cont", prev.heading_level
        prev = b if b.kind in ("heading", "heading_cont") else None
