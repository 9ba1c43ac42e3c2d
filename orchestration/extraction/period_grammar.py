"""The grammar of Vietnamese reference periods.

:func:`find_periods` finds period expressions in a (folded) string and resolves them to
:class:`Period` objects:

* years and year ranges: "năm 2025", "giai đoạn 2021 - 2025", "5 năm 2021-2025",
  "thời kỳ 2021 - 2030"
* quarters, halves and months: "Quý I/2025", "quý 1 năm 2025", "6 tháng đầu năm 2025",
  "9 tháng", "ba tháng đầu năm", "tháng 02/2023", "từ đầu năm đến hết tháng 3",
  "đến cuối tháng 11"
* days: "tính đến ngày 30/11/2025", "đến hết ngày 14/5/2025", "từ ngày 8/2 đến ngày
  14/2/2024", "(từ 30/4 đến 4/5/2025)", "lũy kế từ đầu năm đến ngày 25/10"
* stocks and horizons: "hết năm 2024", "đến năm 2030", "cuối năm 2025", "cuối năm"
* relative expressions resolved by the reader against the context: "cùng kỳ", "cùng kỳ
  năm 2021", "năm trước", "tháng trước", "quý trước", "giai đoạn trước", "nhiệm kỳ",
  "trong 3 năm", "cả giai đoạn", "đến nay", "năm nay", "từ đầu năm đến nay"

Not periods: dates of events ("ngày 27/8/2021", "sáng 10/12"), an institution's term in
its name ("HĐND tỉnh khóa XVII, nhiệm kỳ 2021 - 2026") and dates naming a holiday ("lễ
30/4 - 1/5"): they are returned with kind ``name`` so the reader masks them too.

A year-less expression takes the year written later in the same string ("tháng 10 và 10
tháng năm 2023"), else ``context_year``; without either it is dropped.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .periods import Period

ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WORD_NUMBERS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
}  # fmt: skip
_NWORD = r"[0-9]{1,2}|mười\s+một|mười\s+hai|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
YEAR = r"(?:19|20)[0-9]{2}"
_D = r"([0-9]{1,2})\s*[/-]\s*([0-9]{1,2})"
_DM = _D + rf"(?:\s*[/-]\s*({YEAR}))?"
#: a year not inside a longer number; the look-behind (no digit before the four) stands
#: after the year so that the engine jumps to each "19" / "20" instead of trying every
#: position
_YEAR_RE = re.compile(rf"({YEAR})(?<![0-9][0-9]{{4}})(?![0-9])")
#: a year that is the base of a comparison is not the year of what precedes it
_BASE_YEAR = re.compile(r"so\s+với|cùng\s+kỳ|gốc|trước|[;.]")

#: relative kinds the reader resolves against its context
RELATIVE = (
    "same_period_last_year", "same_period_of_year", "previous_year", "previous_period",
    "previous_month", "previous_quarter", "start_of_year", "whole_period", "term",
    "next_year", "this_year", "now", "year_to_now", "n_years", "this_month",
)  # fmt: skip


@dataclass(slots=True)
class PeriodMention:
    """A period expression at ``[start, end)`` of the searched string."""

    start: int
    end: int
    text: str
    kind: str  # explicit, name (not a period) or one of RELATIVE
    period: Period | None = None
    n: int | None = None  # for n_years
    year: int | None = None  # for same_period_of_year
    horizon: bool = False  # "đến năm 2030": a target horizon
    stock: bool = False  # "hết năm 2024", "cuối năm": a point in time
    to_date: bool = False  # a flow up to a date ("tính đến ngày")

    @property
    def is_name(self) -> bool:
        return self.kind == "name"


def _n(word: str) -> int:
    word = re.sub(r"\s+", " ", word)
    return int(word) if word.isdigit() else WORD_NUMBERS[word]


def _date(d: str, m: str, y: int | None) -> dt.date | None:
    if y is None:
        return None
    try:
        return dt.date(y, int(m), int(d))
    except ValueError:
        return None


_INSTITUTION_TERM = re.compile(
    r"(?:khóa|lần\s+thứ)\s+[\wivxlc]+\s*,?\s*(?:\(?\s*)?$|(?:hđnd|đảng\s+bộ|ban\s+chấp\s+hành)"
    r"[^.;:]{0,40}$"
)
_PATTERNS: list[tuple[str, str]] = [
    # names, not periods
    ("holiday_name", rf"(?<=lễ\s)(?:{_D})(?:\s*[-–]\s*{_D})?|(?<=khánh\s)(?:{_D})"),
    ("term_name", rf"nhiệm\s+kỳ\s+({YEAR})\s*[-–]\s*({YEAR})"),
    # from a date to a date
    (
        "days",
        rf"từ\s+(?:ngày\s+)?{_DM}\s*(?:\([^()]{{0,20}}\)\s*)?(?:đến|tới|-|–)\s*(?:hết\s+)?"
        rf"(?:ngày\s+)?{_DM}",
    ),
    ("days_bare", rf"(?<=\()\s*{_DM}\s*[-–]\s*{_DM}(?=\s*\))"),
    # from a day (or the start) of the month of the end date: "từ ngày 1 đến hết 15/12",
    # "từ đầu tháng 12 đến ngày 15/12"
    (
        "days_in_month",
        rf"từ\s+(?:ngày\s+([0-9]{{1,2}})|đầu\s+tháng(?:\s+[0-9]{{1,2}})?)\s*(?:đến|tới|-|–)\s*"
        rf"(?:hết\s+)?(?:ngày\s+)?{_DM}",
    ),
    # flows up to a date
    (
        "to_date",
        rf"(?:(?:lũy\s+kế\s+)?(?:tính\s+)?từ\s+đầu\s+năm\s+|tính\s+)?(?:đến|tới)\s+(?:hết\s+)?"
        rf"(?:ngày\s+)?(?=[0-9]{{1,2}}\s*/\s*[0-9]{{1,2}}\s*/\s*{YEAR}|(?<=ngày\s)|(?<=tính\s(?:đến|tới)\s)){_DM}",
    ),
    # year-to-month
    (
        "ytm",
        rf"(?:từ\s+đầu\s+năm(?:\s+({YEAR}))?\s+)?(?:đến|tới|vào)\s+(?:thời\s+điểm\s+)?"
        rf"(?:hết|cuối)\s+tháng\s+([0-9]{{1,2}})"
        rf"(?:\s*(?:/|năm)\s*({YEAR})|\s+(?:của\s+)?năm\s+(nay|trước|ngoái))?",
    ),
    ("date_point", rf"(?<=với\s)(?:ngày\s+)?{_DM}"),
    ("year_to_now", r"(?:tính\s+)?từ\s+đầu\s+năm(?:\s+(?:đến|tới)\s+(?:nay|hiện\s+nay))?"),
    # year ranges
    (
        "years",
        rf"(?:(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|kế\s+hoạch|chiến\s+lược)\s+)?"
        rf"(?:(?:{_NWORD})\s+năm\s+)?(?:từ\s+(?:năm\s+)?)?({YEAR})\s*(?:-|–|—|đến|tới)\s*"
        rf"(?:năm\s+)?({YEAR})",
    ),
    # quarter
    (
        "quarter",
        rf"qu[ýy]\s+(iv|iii|ii|i|[1-4])(?![\w])"
        rf"(?:\s*(?:/|năm|-)\s*({YEAR})|\s+(?:của\s+)?năm\s+(nay|trước|ngoái))?",
    ),
    # N months (first / last)
    (
        "months",
        rf"(?:sau\s+)?({_NWORD})\s+tháng(?:\s+(đầu|cuối))?(?:\s+(?:của\s+)?năm)?(?:\s+({YEAR}))?",
    ),
    # month
    ("month", rf"tháng\s+([0-9]{{1,2}})\s*(?:/|năm|-)\s*({YEAR})"),
    ("month_prev_year", r"tháng\s+([0-9]{1,2})\s+(?:của\s+)?năm\s+(trước|ngoái|nay)"),
    ("month_noyear", r"tháng\s+([0-9]{1,2})(?![0-9/])"),
    # relative
    ("same_period_of_year", rf"cùng\s+kỳ\s+(?:năm\s+)?({YEAR})"),
    ("same_period_last_year", r"cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái))?"),
    ("previous_year", r"năm\s+(?:trước|ngoái)"),
    ("previous_month", r"tháng\s+trước"),
    ("start_of_year", r"(?<=với\s)(?:thời\s+điểm\s+)?đầu\s+năm"),
    ("previous_quarter", r"quý\s+trước"),
    ("previous_period", r"(?:giai\s+đoạn|nhiệm\s+kỳ|kỳ|thời\s+kỳ|chu\s+kỳ)\s+trước"),
    (
        "n_years",
        rf"(?:trong\s+|sau\s+)?({_NWORD})\s+năm(?:\s+qua|\s+gần\s+đây|\s+tới)?"
        rf"(?!\s*(?:{YEAR}|[0-9]))",
    ),
    ("whole_period", r"cả\s+giai\s+đoạn|giai\s+đoạn\s+này|cả\s+nhiệm\s+kỳ|trong\s+nhiệm\s+kỳ"),
    ("term", r"nhiệm\s+kỳ(?!\s+(?:trước|[0-9]))"),
    ("next_year", r"năm\s+(?:tới|sau)(?!\s+[0-9])"),
    ("this_year", r"năm\s+nay|cả\s+năm(?!\s+[0-9])"),
    ("year_end", r"cuối\s+năm(?!\s+(?:[0-9]|trước|ngoái|nay))"),
    ("this_month", r"trong\s+tháng(?!\s+[0-9])"),
    ("now", r"đến\s+nay|hiện\s+nay|hiện\s+tại|hiện\s+có|tính\s+đến\s+thời\s+điểm\s+này"),
    # single years, with their modifiers
    (
        "year",
        rf"(?:(đến|tới|hết|cuối|đến\s+hết|tính\s+đến|đến\s+cuối|vào|kỳ\s+gốc)\s+)?(?:năm\s+)?"
        rf"({YEAR})(?![0-9/.,-][0-9])(?!\s*(?:tỷ(?!\s+(?:lệ|trọng))|triệu|nghìn|ha\b|người|tấn))",
    ),
]
#: a word every match of a pattern contains: patterns whose word is absent are skipped
_NEEDS = {
    "holiday_name": ("lễ", "khánh"), "term_name": ("nhiệm",), "days": ("từ",),
    "days_bare": ("(",), "days_in_month": ("từ",), "to_date": ("đến", "tới"), "ytm": ("tháng",),
    "date_point": ("với",), "year_to_now": ("đầu năm",), "years": ("19", "20"),
    "quarter": ("qu",), "months": ("tháng",), "month": ("tháng",),
    "month_prev_year": ("tháng",), "month_noyear": ("tháng",),
    "same_period_of_year": ("cùng",), "same_period_last_year": ("cùng",),
    "previous_year": ("năm",), "previous_month": ("tháng trước",),
    "start_of_year": ("đầu năm",), "previous_quarter": ("quý trước",),
    "previous_period": ("trước",), "n_years": ("năm",), "whole_period": ("giai", "nhiệm"),
    "term": ("nhiệm",), "next_year": ("năm",), "this_year": ("năm",),
    "year_end": ("cuối năm",), "this_month": ("trong tháng",),
    "now": ("nay", "hiện", "thời điểm"), "year": ("19", "20"),
}  # fmt: skip
_COMPILED = [(k, re.compile(p), _NEEDS[k]) for k, p in _PATTERNS]
_NEEDED_WORDS = frozenset(w for words in _NEEDS.values() for w in words)
#: pattern -> (anchor, how many): every match of the pattern holds that many anchors,
#: the first within ``_LEAD[pattern]`` characters of its start, so the engine is started
#: only near anchors (most positions of a paragraph are never tried)
_ANCHORED = {
    "years": ("year", 2), "term_name": ("year", 2), "year": ("year", 1), "month": ("year", 1),
    "same_period_of_year": ("year", 1), "to_date": ("day_month", 1),
    "n_years": ("year_word", 1), "months": ("month_word", 1),
}  # fmt: skip
#: how far before its anchor a match of the pattern may start (its longest lead-in words,
#: with room for doubled spaces)
_LEAD = {
    "years": 60, "term_name": 24, "year": 40, "month": 24, "same_period_of_year": 30,
    "to_date": 60, "n_years": 30, "months": 30,
}  # fmt: skip
_ANCHORS = {
    "year": _YEAR_RE,
    # ("[0-9][0-9]?" is "[0-9]{1,2}" with a first character the engine can jump to)
    "day_month": re.compile(r"[0-9][0-9]?\s*[/-]\s*[0-9]"),
    "year_word": re.compile(r"\snăm"),
    "month_word": re.compile(r"\stháng"),
}
_ANCHOR_REACH = 120
#: words every match of an anchored pattern holds (a part of the pattern, written so
#: that the engine can jump to it): a window around an anchor without them holds no
#: match and is not searched with the whole pattern (most years start no range, most
#: "năm" follow no number of years)
_WINDOW_NEEDS = {
    "years": re.compile(rf"{YEAR}\s*(?:-|–|—|đến|tới)\s*(?:năm\s+)?{YEAR}"),
    "to_date": re.compile(r"(?:đến|tới)\s"),
    # the last word of a number of years (of _NWORD: its last digit, or a number word)
    "n_years": re.compile(
        r"(?:0|1|2|3|4|5|6|7|8|9|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+năm"
    ),
}
#: what stands before the base year of constant prices ("giá so sánh 2010", "giá cố định
#: năm 1994"): that year is not the period of anything
_PRICE_BASE = re.compile(r"giá\s+(?:so\s+sánh|cố\s+định)(?:\s+năm)?\s*$")
_STARTS = re.compile(
    r"năm|tháng|qu[ýy]|ngày|giai|thời|nhiệm|kế|chiến|từ|đến|tới|tính|lũy|"
    r"cùng|kỳ|sau|trong|cả|hết|cuối|hiện|vào|lễ|khánh|[0-9]|\(|một|hai|ba|"
    r"bốn|sáu|bảy|tám|chín|mười"
)


def find_periods(text: str, context_year: int | None = None) -> list[PeriodMention]:
    """Period expressions of ``text`` (folded), longest first, without overlaps, in text
    order."""
    if not _STARTS.search(text):
        return []
    year_matches = list(_YEAR_RE.finditer(text))
    year_starts = [m.start() for m in year_matches]
    anchors: dict[str, list[int]] = {"year": year_starts}
    found: list[PeriodMention] = []
    taken = bytearray(len(text))
    present = {word for word in _NEEDED_WORDS if word in text}
    for kind, rx, needs in _COMPILED:
        if present.isdisjoint(needs):
            continue
        if kind in _ANCHORED:
            anchor, held = _ANCHORED[kind]
            if anchor not in anchors:
                anchors[anchor] = [m.start() for m in _ANCHORS[anchor].finditer(text)]
            if len(anchors[anchor]) < held:
                continue
            matches = _near(rx, text, anchors[anchor], _LEAD[kind], _WINDOW_NEEDS.get(kind))
        else:
            matches = rx.finditer(text)
        for m in matches:
            s, e = m.start(), m.end()
            if s > 0 and text[s - 1].isalnum():
                continue
            if any(taken[s:e]):
                continue
            if kind == "year" and s > 0 and text[s - 1] in "/-.":
                continue  # the year of a date (27/8/2021) or of a code
            if kind == "year" and _PRICE_BASE.search(text, max(0, s - 30), s):
                continue  # "theo giá so sánh 2010": the base year of constant prices
            later = context_year
            k = bisect.bisect_left(year_starts, e)
            while k < len(year_matches) and year_starts[k] <= e + 40:
                ys = year_starts[k]
                if not _BASE_YEAR.search(text[max(0, ys - 30) : ys]) and not _PRICE_BASE.search(
                    text, max(0, ys - 30), ys
                ):
                    later = int(year_matches[k].group(1))
                    break
                k += 1
            pm = _resolve(kind, m, later, text)
            if pm is None:
                continue
            found.append(pm)
            taken[s:e] = b"\x01" * (e - s)
    return sorted(found, key=lambda p: p.start)


def _near(
    rx: re.Pattern[str],
    text: str,
    anchors: list[int],
    lead: int,
    needs: re.Pattern[str] | None = None,
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern every match of which holds an anchor within
    ``lead`` characters of its start: the engine is run only around anchors (from
    ``lead`` before one to ``_ANCHOR_REACH`` after it, more than any match and what it
    looks ahead at). ``needs`` matches a part every match of ``rx`` holds: a window
    where it is not found cannot hold a match (the same as a search finding none)."""
    pos = 0
    for a in anchors:
        if a < pos:
            continue
        if needs is not None and not needs.search(text, max(pos, a - lead), a + _ANCHOR_REACH):
            pos = a + 1  # no match in the window, so none holds this anchor
            continue
        m = rx.search(text, max(pos, a - lead), a + _ANCHOR_REACH)
        if m is None or m.start() > a:
            pos = a + 1  # no match holds this anchor
            continue
        yield m
        pos = max(m.end(), m.start() + 1)


def _resolve(kind: str, m: re.Match[str], ctx: int | None, text: str) -> PeriodMention | None:
    g = m.groups()
    pm = PeriodMention(m.start(), m.end(), m.group(0), "explicit")
    if kind == "holiday_name":
        pm.kind = "name"
    elif kind == "term_name":
        before = text[max(0, m.start() - 60) : m.start()]
        if not _INSTITUTION_TERM.search(before):
            return None  # an ordinary "nhiệm kỳ 2021 - 2025": the years pattern reads it
        pm.kind = "name"
    elif kind in ("days", "days_bare"):
        y2 = int(g[5]) if g[5] else ctx
        y1 = int(g[2]) if g[2] else y2
        d1, d2 = _date(g[0], g[1], y1), _date(g[3], g[4], y2)
        if not d1 or not d2 or d2 < d1:
            return None
        pm.period = Period(d1, d2)
    elif kind == "days_in_month":
        end = _date(g[1], g[2], int(g[3]) if g[3] else ctx)
        first = int(g[0]) if g[0] else 1
        if not end or not 1 <= first <= end.day:
            return None
        pm.period = Period(end.replace(day=first), end)
    elif kind == "date_point":
        d = _date(g[0], g[1], int(g[2]) if g[2] else None)
        if not d:
            return None
        pm.period, pm.stock = Period.year_to_date(d), True
    elif kind == "to_date":
        d = _date(g[0], g[1], int(g[2]) if g[2] else ctx)
        if not d:
            return None
        pm.period, pm.to_date = Period.year_to_date(d), True
    elif kind == "ytm":
        year = int(g[0] or g[2]) if (g[0] or g[2]) else ctx
        if g[3] and ctx is not None:  # "đến hết tháng 10 năm nay / năm trước"
            year = ctx if g[3] == "nay" else ctx - 1
        month = int(g[1])
        if year is None or not 1 <= month <= 12:
            return None
        pm.period = Period.months(year, 1, month)
        pm.stock = "cuối" in pm.text
    elif kind == "years":
        a, b = int(g[0]), int(g[1])
        if not a < b <= a + 30:
            return None
        pm.period = Period.years(a, b)
    elif kind == "quarter":
        year = int(g[1]) if g[1] else ctx
        if year is None:
            return None
        if g[2] in ("trước", "ngoái"):  # "quý IV năm trước"
            year -= 1
        pm.period = Period.quarter(year, ROMAN_Q[g[0]])
    elif kind == "months":
        n = _n(g[0])
        if not 1 <= n <= 12 or re.search(r"người\s*$", text[max(0, m.start() - 8) : m.start()]):
            return None
        year = int(g[2]) if g[2] else ctx
        if year is None:
            return None
        pm.period = Period.months(year, 13 - n, 12) if g[1] == "cuối" else Period.months(
            year, 1, n)  # fmt: skip
    elif kind == "month":
        month = int(g[0])
        if not 1 <= month <= 12:
            return None
        pm.period = Period.month(int(g[1]), month)
    elif kind == "month_prev_year":  # "tháng 12 năm trước", "tháng 4 năm nay"
        month = int(g[0])
        if ctx is None or not 1 <= month <= 12:
            return None
        pm.period = Period.month(ctx if g[1] == "nay" else ctx - 1, month)
    elif kind == "month_noyear":
        month = int(g[0])
        if ctx is None or not 1 <= month <= 12:
            return None
        pm.period = Period.month(ctx, month)
    elif kind == "same_period_of_year":
        pm.kind, pm.year = kind, int(g[0])
    elif kind == "n_years":
        n = _n(g[0])
        if not 2 <= n <= 30:
            return None
        pm.kind, pm.n = "n_years", n
        pm.horizon = "tới" in pm.text
    elif kind == "year_end":
        pm.kind, pm.stock = "this_year", True
    elif kind in RELATIVE:
        pm.kind = kind
    elif kind == "year":
        year = int(g[1])
        pm.period = Period.year(year)
        mod = g[0] or ""
        pm.horizon = mod.startswith(("đến", "tới", "tính")) and "hết" not in mod
        pm.stock = "hết" in mod or "cuối" in mod
    return pm


def term_containing(year: int) -> Period:
    """The five-year plan / party-congress term containing ``year`` (2021-2025, 2026-2030)."""
    first = year - ((year - 1) % 5)
    return Period.years(first, first + 4)
