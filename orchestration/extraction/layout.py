"""Document layout: paragraphs, headings, footnotes and sentences, with an offset map.

Text arrives as news articles (one paragraph per line) or as PDF-extracted reports
(hard line breaks inside sentences, blank lines between lines, page numbers on their
own lines, footnote markers glued to words and numbers, footnote bodies at the foot of
each page that interrupt the running text). This module rebuilds the reading order
without changing the stored text: every paragraph is a *virtual* string made of the
clean pieces of its lines, and ``vmap[i]`` gives the offset in the stored text of the
virtual character ``i``. Everything downstream works on virtual strings and maps spans
back through ``vmap``, so spans always point into the stored text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

TERMINAL = ".!?…"
# a part of a report: "Phần I", "PHẦN 2", "Phần thứ hai", "PHẦN THỨ NHẤT", "Chương III"
_PART = r"(?:[Pp]hần|PHẦN|[Cc]hương|CHƯƠNG)\s+(?:[IVX\d]+\b|(?:thứ|THỨ)\s+[^\W\d_]+)"
_ITEM_START = re.compile(
    r"^\s*(?:\(\d{1,2}\)\s|[-–•+]\s|\d{1,2}(?:\.\d{1,2}){0,3}\.\s+\S|[IVX]{1,5}\.\s|"
    rf"{_PART}|[a-zđ]\)\s)"
)
_NUMBERED_HEADING = re.compile(
    rf"^\s*(?P<num>{_PART}|[IVX]{{1,5}}\.|\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.)\s*"
)
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:[Tt]rang\s+)?\d{1,3}(?:\s*-)?\s*$")
_FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,3})(?:\s*-\s*|\s+)(?=[^\s\d])")
# A footnote marker: digits glued to a letter, '%' or a closing bracket, followed by
# punctuation, a space or the line end (``6,79%1,`` ``cao2.`` ``trước28,``).
_MARKER = re.compile(r"(?<=[^\W\d_%]|[%)”\"])(?P<n>\d{1,3})(?=[\s.,;:)…]|$)")
# a line ending with a verb or bound that announces a number continues on the next line
_LEADS_TO_NUMBER = re.compile(
    r"(?:tăng|giảm|đạt|là|khoảng|trên|dưới|gần|hơn|chiếm|gấp|bằng|ước|từ|có)\s*$", re.IGNORECASE
)
_ABBREVIATIONS = ("TP.", "Tp.", "ĐT.", "QL.", "TS.", "ThS.", "PGS.", "GS.", "St.", "Th.")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s+(?:[\"“(\-–]?\s*[A-ZĐÀ-ỸÂÊÔƠƯĂ\d]))")


def is_item_start(s: str) -> bool:
    """A numbered or bulleted item ("(3) ...", "1.2. ...", "II. ...", "- Trong ...")."""
    m = _ITEM_START.match(s)
    if not m:
        return False
    if m.group(0).strip() in "-–•+":
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
    start: int  # offset of the first character in the stored text
    end: int  # offset after the last character (without the newline)
    text: str
    kind: str = "body"  # body, blank, page, separator, footnote
    footnote: int | None = None  # footnote number for footnote lines
    footnote_start: bool = False  # the line that starts with the footnote number

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Paragraph:
    """A run of lines read as one unit; ``vtext``/``vmap`` give its reading view."""

    index: int
    kind: str  # body, heading, footnote
    lines: list[Line]
    vtext: str = ""
    vmap: list[int] = field(default_factory=list)
    heading_level: int | None = None
    footnote: int | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)  # virtual offsets

    @property
    def start(self) -> int:
        return self.vmap[0] if self.vmap else self.lines[0].start

    @property
    def end(self) -> int:
        return (self.vmap[-1] + 1) if self.vmap else self.lines[-1].end

    def raw_span(self, vstart: int, vend: int) -> tuple[int, int]:
        """Stored-text offsets of the virtual range ``[vstart, vend)``."""
        return self.vmap[vstart], self.vmap[vend - 1] + 1


@dataclass
class Layout:
    text: str
    pdf_like: bool
    paragraphs: list[Paragraph]
    markers: dict[int, int]  # footnote number -> stored-text offset of its marker
    blanked: list[tuple[int, int]]  # stored-text ranges hidden from reading (markers)

    def paragraph_of_offset(self, offset: int) -> Paragraph | None:
        for p in self.paragraphs:
            if offset in range(p.start, p.end):
                return p
        return None


def _split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def _ends_terminal(s: str) -> bool:
    s = s.rstrip()
    s = re.sub(r"\d{1,3}$", "", s) if re.search(r"[^\W\d_]\d{1,3}$", s) else s
    return bool(s) and s[-1] in TERMINAL


def _looks_pdf(lines: list[Line]) -> bool:
    """PDF-extracted text: many lines end mid-sentence and continue in lower case."""
    body = [ln for ln in lines if ln.stripped]
    soft = 0
    for a, b in zip(body, body[1:], strict=False):
        if not _ends_terminal(a.text) and is_lower_start(b.text):
            soft += 1
    return soft >= 5 and soft >= 0.15 * len(body)


def _find_markers(text: str, lines: list[Line]) -> tuple[dict[int, int], dict[int, int]]:
    """Footnote markers in the running text and the lines where their bodies start.

    A marker and a footnote body confirm each other: marker ``n`` counts only when a
    later line starts with ``n`` followed by text, and numbers must rise in order.
    Returns ``(markers, bodies)``: footnote number -> marker offset / body line index.
    """
    candidates: list[tuple[int, int]] = []  # (offset, n)
    starts: dict[int, list[int]] = {}
    for ln in lines:
        m = _FOOTNOTE_START.match(ln.text)
        if m and not _PAGE_NUMBER.match(ln.text):
            starts.setdefault(int(m.group("n")), []).append(ln.index)
        for mk in _MARKER.finditer(ln.text):
            candidates.append((ln.start + mk.start("n"), int(mk.group("n"))))
    markers: dict[int, int] = {}
    bodies: dict[int, int] = {}
    expected: int | None = None  # an excerpt may start at any footnote number
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


def analyse(text: str) -> Layout:
    """Split ``text`` into paragraphs (body, heading, footnote) and sentences."""
    lines = _split_lines(text)
    pdf_like = _looks_pdf(lines)
    markers, bodies = _find_markers(text, lines)
    blanked = []
    for n, off in markers.items():
        blanked.append((off, off + len(str(n))))
    hidden = set()
    for a, b in blanked:
        hidden.update(range(a, b))

    # classify lines
    body_start_lines = {i: n for n, i in bodies.items()}
    in_footnote: int | None = None
    for ln in lines:
        s = ln.stripped
        if not s:
            ln.kind = "separator" if len(ln.text) >= 10 else "blank"
            if ln.kind == "separator":
                in_footnote = None
            continue
        if pdf_like and _PAGE_NUMBER.match(ln.text):
            ln.kind = "page"
            in_footnote = None
            continue
        if ln.index in body_start_lines:
            in_footnote = body_start_lines[ln.index]
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
        ln.kind = "body"

    width = _typical_width(lines) if pdf_like else 0
    paragraphs = _group(lines, pdf_like, width)
    for i, p in enumerate(paragraphs):
        p.index = i
        _build_view(p, text, hidden)
        _classify(p)
        p.sentences = split_sentences(p.vtext)
    _merge_heading_continuations(paragraphs)
    return Layout(text, pdf_like, paragraphs, markers, blanked)


def _last_footnote_text(lines: list[Line], ln: Line) -> str:
    for prev in reversed(lines[: ln.index]):
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


def _group(lines: list[Line], pdf_like: bool, width: int) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None  # open body paragraph
    current_fn: Paragraph | None = None
    for ln in lines:
        if ln.kind in ("blank", "separator", "page"):
            if not pdf_like:
                current = None
            if ln.kind != "blank":
                current_fn = None
            continue
        if ln.kind == "footnote":
            if current_fn is not None and current_fn.footnote == ln.footnote:
                current_fn.lines.append(ln)
            else:
                current_fn = Paragraph(0, "footnote", [ln], footnote=ln.footnote)
                paragraphs.append(current_fn)
            continue
        current_fn = None
        if current is not None and _joins(
            current.lines[-1],
            ln,
            pdf_like,
            width,
            bool(_NUMBERED_HEADING.match(current.lines[0].text)),
        ):
            current.lines.append(ln)
            # keep reading order: move the paragraph after interrupting footnotes
            if paragraphs[-1] is not current:
                paragraphs.remove(current)
                paragraphs.append(current)
            continue
        current = Paragraph(0, "body", [ln])
        paragraphs.append(current)
    return paragraphs


def _build_view(p: Paragraph, text: str, hidden: set[int]) -> None:
    chars: list[str] = []
    vmap: list[int] = []
    for k, ln in enumerate(p.lines):
        if k:
            chars.append(" ")
            vmap.append(ln.start - 1)  # the newline before this line
        body = ln.text
        if ln.footnote_start:
            m = _FOOTNOTE_START.match(body)
            cut = m.end() if m else 0
        else:
            cut = 0
        for j in range(cut, len(body)):
            off = ln.start + j
            ch = body[j]
            chars.append(" " if off in hidden or ch in "\u00a0\u2009\u202f\t" else ch)
            vmap.append(off)
    # trim outer whitespace
    s = "".join(chars)
    lead = len(s) - len(s.lstrip())
    trail = len(s.rstrip())
    p.vtext = s[lead:trail]
    p.vmap = vmap[lead:trail]


def _classify(p: Paragraph) -> None:
    if p.kind == "footnote":
        return
    t = p.vtext
    letters = [c for c in t if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    m = _NUMBERED_HEADING.match(t)
    unterminated = not _ends_terminal(t)
    if m and unterminated and len(t) <= 200:
        num = m.group("num")
        if num.lower().startswith(("phần", "chương")):
            level = 0
        elif re.fullmatch(r"[IVX]+\.", num):
            level = 1
        else:
            level = 1 + num.count(".")
        p.kind, p.heading_level = "heading", level
    elif upper and unterminated and len(t) <= 200:
        p.kind, p.heading_level = "heading", 1
    elif unterminated and len(t) <= 160 and not re.search(r"[,;:]\s*$", t):
        p.kind, p.heading_level = "heading", 9  # a news headline or cross-heading


def _merge_heading_continuations(paragraphs: list[Paragraph]) -> None:
    """Upper-case heading lines right after a heading continue it ("Phần I" + title)."""
    prev: Paragraph | None = None
    for p in paragraphs:
        if (
            prev is not None
            and p.kind == "heading"
            and p.heading_level == 1
            and not _NUMBERED_HEADING.match(p.vtext)
            and prev.heading_level is not None
            and prev.heading_level <= 1
        ):
            p.heading_level = prev.heading_level
            p.kind = "heading_cont"
        prev = p if p.kind in ("heading", "heading_cont") else None


def split_sentences(vtext: str) -> list[tuple[int, int]]:
    """Sentence ranges of a virtual paragraph string (a full stop inside a number or an
    abbreviation does not end a sentence)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(vtext):
        end = m.end()
        before = vtext[max(0, m.start() - 4) : m.start() + 1]
        if any(before.endswith(a) for a in _ABBREVIATIONS):
            continue
        if vtext[start:end].strip():
            out.append((start, end))
        start = end
    if vtext[start:].strip():
        out.append((start, len(vtext)))
    # trim whitespace
    trimmed = []
    for a, b in out:
        while a < b and vtext[a].isspace():
            a += 1
        while b > a and vtext[b - 1].isspace():
            b -= 1
        trimmed.append((a, b))
    return trimmed
