"""Document metadata read from the text itself: publication date, title, source kind.

Only the document's *header* is trusted for the publication date: the first few
non-empty lines, where Vietnamese news sites put their dateline ("15/04/2025 lúc 13:25",
"Thứ Hai, 15/4/2025 08:30 (GMT+7)", "Cập nhật: ...") and where administrative documents
put the place and date ("Lạng Sơn, ngày 11 tháng 12 năm 2025"). A date in running text
("Tính đến ngày 30/11/2025, ...", "Ngày 15/4/2025, UBND tỉnh ...") is an event date,
never the publication date, so a dateline must either follow a label ("date", "Ngày
đăng:", "Cập nhật:") or stand alone on its line (possibly followed by a separator and a
byline).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "OFFICIAL_REPORT",
    "NEWS",
    "DateMatch",
    "classify_source_kind",
    "find_published_date",
    "find_title",
    "match_dateline",
]

OFFICIAL_REPORT = "official_report"
NEWS = "news"

#: Non-empty lines searched for a dateline / for an official letterhead's date.
HEADER_LINES = 5
LETTERHEAD_LINES = 10

_F = re.IGNORECASE

_WEEKDAY = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7])"
_TIME = (
    r"\d{1,2}\s*(?::|h|g|giờ)\s*\d{1,2}(?:\s*(?::|phút)\s*\d{1,2})?"
    r"(?:\s*(?:am|pm|sa|ch)\b)?"
)
_TZ = r"\(?\s*(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?"
_DATES = (
    r"(?<!\d)(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)",
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*,?\s*năm\s+(?P<y>\d{4})",
)
_PUBLISH_LABELS = (
    r"date|dated|ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|đăng\s+tải|ngày\s+xuất\s+bản|xuất\s+bản"
    r"|ngày\s+phát\s+hành|ngày\s+ban\s+hành|published(?:\s+on)?|posted(?:\s+on)?"
    r"|thời\s+gian\s+đăng"
)
_UPDATE_LABELS = r"ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc|\s+ngày)?|(?:last\s+)?updated(?:\s+on)?"
_SEPARATORS = "|·•–—-"


def _datetime_core(date: str) -> str:
    """A date with optional weekday before it and time/time zone around it."""
    return (
        rf"(?:{_TIME}\s*[,|-]?\s*)?(?:{_WEEKDAY}\s*[,.-]?\s*)?(?:ngày\s+)?{date}"
        rf"(?:\s*[,|-]?\s*(?:lúc\s*|-\s*)?{_TIME})?(?:\s*{_TZ})?"
    )


_LABELLED = [
    re.compile(
        rf"^\s*(?P<ev>(?P<label>{_PUBLISH_LABELS}|{_UPDATE_LABELS})\s*[:：]?\s*(?:lúc\s*)?"
        rf"{_datetime_core(date)})",
        _F,
    )
    for date in _DATES
]
_STANDALONE = [
    re.compile(rf"^\s*(?P<ev>{_datetime_core(date)})\s*(?P<rest>.*)$", _F) for date in _DATES
]
_LETTERHEAD = re.compile(
    r"(?:^|(?<=\s))(?P<ev>(?P<place>(?:[^\W\d_]+\.?\s+){0,5}[^\W\d_]+)\s*,\s*"
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))\s*\.?\s*$",
)
_DOC_NUMBER = re.compile(r"^\s*Số\s*:?\s*\S+/\S+\s*$")
_UPDATE_RE = re.compile(rf"^(?:{_UPDATE_LABELS})$", _F)


@dataclass(frozen=True)
class DateMatch:
    """A publication date found in a line, with the exact words that stated it."""

    date: dt.date
    evidence: str
    start: int  # offset of the evidence in the line
    end: int
    form: str  # 'label' ("date ..."), 'dateline' (date alone on its line), 'letterhead'
    is_update: bool = False  # stated as an update ("Cập nhật"), not a publication


def _make_date(m: re.Match[str]) -> dt.date | None:
    try:
        value = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def _found(line: str, m: re.Match[str], form: str, *, is_update: bool = False) -> DateMatch | None:
    value = _make_date(m)
    if value is None:
        return None
    start, end = m.span("ev")
    while end > start and line[end - 1] in " \t,-|":
        end -= 1
    return DateMatch(value, line[start:end], start, end, form, is_update)


def _match_letterhead(line: str) -> DateMatch | None:
    """An official "Place, ngày D tháng M năm Y" closing the line.

    The place is the run of capitalised words just before the comma.
    """
    m = _LETTERHEAD.search(line)
    if m is None:
        return None
    words = list(re.finditer(r"\S+", m.group("place")))
    keep = len(words)
    while keep > 0 and words[keep - 1].group(0)[0].isupper():
        keep -= 1
    value = _make_date(m)
    if keep == len(words) or value is None:
        return None
    start = m.start("place") + words[keep].start()
    before = line[:start]
    # Alone on the line, or in the right-hand column of a letterhead (wide gap before it,
    # or after the document number): never the tail of a sentence.
    if before.strip() and not (before.endswith(("  ", "\t")) or _DOC_NUMBER.search(before)):
        return None
    return DateMatch(value, line[start : m.end("ev")], start, m.end("ev"), "letterhead")


def match_dateline(line: str, *, letterhead: bool = True) -> DateMatch | None:
    """The publication date a single header line states, if it is a dateline.

    Accepted: a labelled date at the start of the line ("date 2025-12-11 ...",
    "Cập nhật: 08:30 15/04/2025"); a date (with optional weekday, time, time zone) that
    is alone on its line or followed only by a separator ("15/04/2025 lúc 13:25",
    "Thứ Hai, 15/4/2025 08:30 (GMT+7) | Tác giả"); and, if ``letterhead``, an official
    "Place, ngày D tháng M năm Y" at the end of the line.
    """
    for rx in _LABELLED:
        m = rx.match(line)
        if m:
            is_update = bool(_UPDATE_RE.match(" ".join(m.group("label").split())))
            found = _found(line, m, "label", is_update=is_update)
            if found:
                return found
    for rx in _STANDALONE:
        m = rx.match(line)
        if m:
            rest = m.group("rest").strip()
            if not rest or rest[0] in _SEPARATORS:
                found = _found(line, m, "dateline")
                if found:
                    return found
    return _match_letterhead(line) if letterhead else None


def _nonempty_lines(text: str, limit: int) -> list[str]:
    out = []
    for line in text.split("\n"):
        if line.strip():
            out.append(line)
            if len(out) >= limit:
                break
    return out


def find_published_date(text: str) -> DateMatch | None:
    """The document's own publication date from its header, or None.

    Looks at the first :data:`HEADER_LINES` non-empty lines for a dateline, and the
    first :data:`LETTERHEAD_LINES` for an official letterhead date. A publication date
    wins over an update date; otherwise the earliest line wins.
    """
    best: tuple[tuple[int, int], DateMatch] | None = None
    for index, line in enumerate(_nonempty_lines(text, LETTERHEAD_LINES)):
        found = match_dateline(line) if index < HEADER_LINES else _match_letterhead(line)
        if found is None:
            continue
        key = (1 if found.is_update else 0, index)
        if best is None or key < best[0]:
            best = (key, found)
    return best[1] if best else None


# --------------------------------------------------------------------------- title

_NUMBERED = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S", _F)
_PART = re.compile(
    r"^\s*(?:phần|chương|mục)\s+(?:thứ\s+[^\W\d_]+|[IVXLC]+|\d+)\s*(?:[:.\-–]\s*(?P<rest>.*))?$",
    _F,
)
_LETTERHEAD_LINE = re.compile(
    r"^\s*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HĐND|HỘI ĐỒNG NHÂN DÂN|TỈNH ỦY|TỈNH UỶ"
    r"|THÀNH ỦY|ĐẢNG BỘ|BAN CHẤP HÀNH|SỞ\s|CỤC\s|CHI CỤC|BỘ\s|VĂN PHÒNG|CỘNG HÒA|CỘNG HOÀ"
    r"|Độc lập\s*[-–]|Số\s*:|Số\s+\d|V/v|Kính gửi)"
)
_SEPARATOR_LINE = re.compile(r"^[\s\-–—_=*~.·•]+$")
_DOC_TYPE = re.compile(
    r"^(?:BÁO CÁO|KẾ HOẠCH|TỜ TRÌNH|NGHỊ QUYẾT|QUYẾT ĐỊNH|THÔNG BÁO|CHỈ THỊ|ĐỀ ÁN"
    r"|CHƯƠNG TRÌNH|DỰ THẢO|HƯỚNG DẪN|CÔNG VĂN)$"
)
_PREAMBLE = re.compile(r"^(?:Căn cứ|Kính gửi|Thực hiện|Theo|Trên cơ sở|Xét)\b")
_SENTENCE_BREAK = re.compile(r"(?<![A-ZĐ])[.!?…]\s+[^\W\d_]")
_FINAL_STOP = (".", ",", ";", ":", "…")


def _is_upper_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    return len(letters) >= 4 and bool(cased) and sum(c.isupper() for c in cased) >= 0.9 * len(cased)


def _is_headline(line: str) -> bool:
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    first_letter = next((c for c in line if c.isalpha()), "")
    return (
        20 <= len(line) <= 200
        and len(words) >= 4
        and first_letter.isupper()
        and not line.endswith(_FINAL_STOP)
        and not _SENTENCE_BREAK.search(line)
    )


def _squash(line: str) -> str:
    return " ".join(line.split())


def _first_content_line(lines: list[str], start: int) -> tuple[str | None, int]:
    """The first line from ``start`` that is not blank, a separator, a letterhead line,
    a dateline or a part marker, and the index after it. A labelled dateline followed by
    text on the same line ("date 2025-12-11 Theo ...") yields that text."""
    i = start
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line or _SEPARATOR_LINE.match(line) or _LETTERHEAD_LINE.match(line):
            continue
        found = match_dateline(line)
        if found is not None:
            rest = line[found.end :].strip(" " + _SEPARATORS)
            if found.form != "label" or not rest:
                continue
            return rest, i
        part = _PART.match(line)
        if part:
            if part.group("rest"):
                return part.group("rest").strip(), i
            continue
        return line, i
    return None, i


def _is_section_label(line: str) -> bool:
    """A short leading label such as a news category ("Kinh tế", "THỜI SỰ")."""
    return (
        len(line) < 20
        and len(line.split()) <= 3
        and not line.endswith(_FINAL_STOP)
        and not _DOC_TYPE.match(line)
    )


def find_title(text: str) -> str | None:
    """The document's headline, when its first content line states one.

    Skipped before it: blank lines, datelines, letterhead lines (UBND..., CỘNG HÒA...,
    Số: ...), separators, part markers ("Phần I") and one short section label ("Kinh
    tế"). Then:

    * a block of capitalised heading lines (PDF reports) is joined with spaces; a lone
      document type ("BÁO CÁO") takes the summary lines after it;
    * otherwise the first line is the title if it is headline-shaped: 20-200 chars,
      4+ words, starts with a capital, no final full stop, not several sentences.

    A first line that is body text means the document states no title: None.
    """
    lines = [_squash(line) for line in text.split("\n")][:80]
    first, i = _first_content_line(lines, 0)
    if first is not None and _is_section_label(first):
        following, after = _first_content_line(lines, i)
        if following is not None:
            first, i = following, after
    if first is None or _NUMBERED.match(first):
        return None

    if _is_upper_heading(first):
        block = [first]
        j = i
        while j < len(lines) and len(block) < 4:
            line = lines[j]
            j += 1
            if not line:
                continue
            if _NUMBERED.match(line) or not _is_upper_heading(line) or _DOC_TYPE.match(line):
                j -= 1
                break
            block.append(line)
        if len(block) == 1 and _DOC_TYPE.match(first):
            summary = []
            while j < len(lines) and len(summary) < 3:
                line = lines[j]
                j += 1
                if not line:
                    continue
                if (
                    _NUMBERED.match(line)
                    or _PREAMBLE.match(line)
                    or _SEPARATOR_LINE.match(line)
                    or len(line) > 120
                ):
                    break
                summary.append(line.rstrip(" .;:"))
                if line.endswith(_FINAL_STOP):
                    break
            block.extend(summary)
        title = " ".join(block)
        return title if 4 <= len(title) <= 300 else None
    return first if _is_headline(first) else None


# --------------------------------------------------------------------------- source kind

_OFFICIAL_HEAD = re.compile(
    r"^\s*(?:UBND\s+(?:TỈNH|THÀNH PHỐ|HUYỆN|XÃ)|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN"
    r"|HỘI ĐỒNG NHÂN DÂN|HĐND\s+(?:TỈNH|THÀNH PHỐ)|TỈNH ỦY|TỈNH UỶ|ĐẢNG BỘ TỈNH"
    r"|BÁO CÁO\s*$|TỜ TRÌNH\s*$|KẾ HOẠCH\s*$|NGHỊ QUYẾT\s*$|QUYẾT ĐỊNH\s*$|ĐỀ ÁN\s*$"
    r"|(?:Phần|PHẦN)\s+(?:[IVX]+|thứ\s+nhất|THỨ\s+NHẤT)\b)"
    r"|CỘNG H[OÒ]À? XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc"
    r"|Số\s*:?\s*\d+[^\s/]*/(?:\d{4}/)?[A-ZĐ]{2,}(?:-[A-ZĐ]+)+"
)
_ROMAN_HEADING = re.compile(r"^\s*[IVX]{1,5}\.\s+[A-ZĐÀ-Ỹ]", re.MULTILINE)
_DECIMAL_HEADING = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\s+\S", re.MULTILINE)


def classify_source_kind(text: str) -> str:
    """``official_report`` for administrative documents, else ``news``.

    Official: a letterhead or document-type cue in the first 15 non-empty lines
    (UBND TỈNH ..., CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, Số: 12/BC-UBND, BÁO CÁO, Phần I),
    or report structure in the body: at least two Roman-numeral section headings
    ("I. NHỮNG THÀNH TỰU") and two decimal subsections ("1.1. ...").
    """
    head = _nonempty_lines(text, 15)
    if any(_OFFICIAL_HEAD.search(line) for line in head):
        return OFFICIAL_REPORT
    roman = len(_ROMAN_HEADING.findall(text))
    decimal = len(_DECIMAL_HEADING.findall(text))
    if roman >= 2 and decimal >= 2:
        return OFFICIAL_REPORT
    return NEWS
