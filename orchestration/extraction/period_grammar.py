"""The grammar of Vietnamese reference periods.

Finds period expressions in a string and resolves them to :class:`Period` objects:

* years and year ranges: "năm 2025", "giai đoạn 2021 - 2025", "5 năm 2021-2025",
  "thời kỳ 2021 - 2030"
* quarters, halves and months: "Quý I/2025", "quý 1 năm 2025", "6 tháng đầu năm 2025",
  "9 tháng", "ba tháng đầu năm", "tháng 02/2023", "từ đầu năm đến hết tháng 3"
* flows to a date: "tính đến ngày 30/11/2025", "đến hết ngày 14/5/2025",
  "từ ngày 8/2 đến ngày 14/2"; after a number of months: "sau 11 tháng"
* stocks and horizons: "hết năm 2024", "đến năm 2030", "cuối năm 2025"
* relative expressions resolved later against the context: "cùng kỳ", "năm trước",
  "giai đoạn trước", "nhiệm kỳ", "trong 3 năm", "cả giai đoạn", "đến nay"

Year-less expressions ("quý I", "6 tháng đầu năm") take ``context_year``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .periods import Period

ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WORD_NUMBERS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
_NWORD = r"\d{1,2}|mười\s+một|mười\s+hai|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
YEAR = r"(?:19|20)\d{2}"
_DM = r"(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(" + YEAR + r"))?"


@dataclass
class PeriodMention:
    """A period expression at ``[start, end)`` of the searched string."""

    start: int
    end: int
    text: str
    kind: str  # explicit, same_period_last_year, previous_year, previous_period,
    # n_years, whole_period, term, now, next_year
    period: Period | None = None
    n: int | None = None  # for n_years
    horizon: bool = False  # "đến năm 2030": a target horizon (or a stock date)
    stock: bool = False  # "hết năm 2024", "cuối năm": a point in time
    to_date: bool = False  # a flow up to a date ("tính đến ngày")


def _n(word: str) -> int:
    word = re.sub(r"\s+", " ", word.lower())
    return int(word) if word.isdigit() else WORD_NUMBERS[word]


def _date(d: str, m: str, y: str | None, ctx: int | None) -> dt.date | None:
    year = int(y) if y else ctx
    if year is None:
        return None
    try:
        return dt.date(year, int(m), int(d))
    except ValueError:
        return None


_PATTERNS: list[tuple[str, str]] = [
    # from a date to a date
    ("days", rf"từ\s+ngày\s+{_DM}\s+(?:đến|tới)\s+(?:hết\s+)?ngày\s+{_DM}"),
    # flows up to a date
    (
        "to_date",
        rf"(?:tính\s+)?(?:đến|tới|từ\s+đầu\s+năm\s+đến)\s+(?:hết\s+)?(?:ngày\s+)?"
        rf"(?=\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*{YEAR}|(?<=ngày\s)){_DM}",
    ),
    # year-to-month
    (
        "ytm",
        rf"từ\s+đầu\s+năm(?:\s+({YEAR}))?\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+"
        rf"(\d{{1,2}})(?:\s*(?:/|năm)\s*({YEAR}))?",
    ),
    # year ranges
    (
        "years",
        rf"(?:(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|kế\s+hoạch|chiến\s+lược)\s+)?"
        rf"(?:(?:{_NWORD})\s+năm\s+)?(?:từ\s+(?:năm\s+)?)?({YEAR})\s*(?:-|–|—|đến|tới)\s*"
        rf"(?:năm\s+)?({YEAR})",
    ),
    # quarter
    ("quarter", rf"quý\s+(iv|iii|ii|i|[1-4])(?:\s*(?:/|năm|-)\s*({YEAR}))?(?![\w])"),
    # N months (first / last)
    ("months", rf"(?:sau\s+)?({_NWORD})\s+tháng(?:\s+(đầu|cuối))?(?:\s+năm)?(?:\s+({YEAR}))?"),
    # month
    ("month", rf"tháng\s+(\d{{1,2}})\s*(?:/|năm|-)\s*({YEAR})"),
    ("month_prev_year", r"tháng\s+(\d{1,2})\s+(?:của\s+)?năm\s+(?:trước|ngoái)"),
    ("month_noyear", r"tháng\s+(\d{1,2})(?![\d/])"),
    # relative
    ("same_period_last_year", r"cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái))?"),
    ("previous_year", r"năm\s+(?:trước|ngoái)"),
    ("previous_month", r"tháng\s+trước"),
    ("start_of_year", r"(?<=với\s)(?:thời\s+điểm\s+)?đầu\s+năm"),
    ("previous_quarter", r"quý\s+trước"),
    ("previous_period", r"(?:giai\s+đoạn|nhiệm\s+kỳ|kỳ|thời\s+kỳ|chu\s+kỳ)\s+trước"),
    (
        "n_years",
        rf"(?:trong\s+|sau\s+)?({_NWORD})\s+năm(?:\s+qua|\s+gần\s+đây|\s+tới)?(?!\s*(?:{YEAR}|\d))",
    ),
    ("whole_period", r"cả\s+giai\s+đoạn|giai\s+đoạn\s+này|cả\s+nhiệm\s+kỳ|trong\s+nhiệm\s+kỳ"),
    ("term", r"nhiệm\s+kỳ(?!\s+(?:trước|\d))"),
    ("next_year", r"năm\s+(?:tới|sau)(?!\s+\d)"),
    ("this_year", r"năm\s+nay|cả\s+năm(?!\s+\d)"),
    ("now", r"đến\s+nay|hiện\s+nay|hiện\s+tại|hiện\s+có|tính\s+đến\s+thời\s+điểm\s+này"),
    # single years, with their modifiers
    (
        "year",
        rf"(?:(đến|tới|hết|cuối|đến\s+hết|tính\s+đến|đến\s+cuối|vào)\s+)?(?:năm\s+)?({YEAR})"
        rf"(?![\d/.,-]\d)(?!\s*(?:tỷ(?!\s+(?:lệ|trọng))|triệu|nghìn|ha\b|người|tấn))",
    ),
]
_COMPILED = [(k, re.compile(p, re.IGNORECASE)) for k, p in _PATTERNS]


def find_periods(text: str, context_year: int | None = None) -> list[PeriodMention]:
    """Period expressions of ``text``, longest first, without overlaps, in text order."""
    found: list[PeriodMention] = []
    taken = [False] * len(text)
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            if m.start() > 0 and text[m.start() - 1].isalnum():
                continue
            if kind == "year" and m.start() > 0 and text[m.start() - 1] in "/-.":
                continue  # the year of a date (27/8/2021) or of a code
            pm = _resolve(kind, m, context_year)
            if pm is None:
                continue
            found.append(pm)
            for k in range(m.start(), m.end()):
                taken[k] = True
    return sorted(found, key=lambda p: p.start)


def _resolve(kind: str, m: re.Match[str], ctx: int | None) -> PeriodMention | None:
    g = m.groups()
    text = m.group(0)
    pm = PeriodMention(m.start(), m.end(), text, "explicit")
    low = text.lower()
    if kind == "days":
        d1 = _date(g[0], g[1], g[2], ctx if not g[5] else int(g[5]))
        d2 = _date(g[3], g[4], g[5], ctx if not g[2] else int(g[2]))
        if not d1 or not d2 or d2 < d1:
            return None
        pm.period = Period(d1, d2)
    elif kind == "to_date":
        d = _date(g[0], g[1], g[2], ctx)
        if not d:
            return None
        pm.period, pm.to_date = Period.year_to_date(d), True
    elif kind == "ytm":
        year = int(g[0] or g[2]) if (g[0] or g[2]) else ctx
        month = int(g[1])
        if year is None or not 1 <= month <= 12:
            return None
        pm.period = Period.months(year, 1, month)
    elif kind == "years":
        a, b = int(g[0]), int(g[1])
        if not a < b <= a + 30:
            return None
        pm.period = Period.years(a, b)
    elif kind == "quarter":
        year = int(g[1]) if g[1] else ctx
        if year is None:
            return None
        pm.period = Period.quarter(year, ROMAN_Q[g[0].lower()])
    elif kind == "months":
        n = _n(g[0])
        if not 1 <= n <= 12 or re.search(r"người\s*$", m.string[max(0, m.start() - 8) : m.start()]):
            return None
        year = int(g[2]) if g[2] else ctx
        if year is None:
            return None
        last = (g[1] or "").lower() == "cuối"
        pm.period = Period.months(year, 13 - n, 12) if last else Period.months(year, 1, n)
    elif kind == "month":
        month = int(g[0])
        if not 1 <= month <= 12:
            return None
        pm.period = Period.month(int(g[1]), month)
    elif kind == "month_prev_year":
        month = int(g[0])
        if ctx is None or not 1 <= month <= 12:
            return None
        pm.period = Period.month(ctx - 1, month)
    elif kind == "month_noyear":
        month = int(g[0])
        if ctx is None or not 1 <= month <= 12:
            return None
        pm.period = Period.month(ctx, month)
    elif kind == "n_years":
        n = _n(g[0])
        if not 2 <= n <= 30:
            return None
        pm.kind, pm.n = "n_years", n
        pm.horizon = "tới" in low
    elif kind in (
        "same_period_last_year",
        "previous_year",
        "previous_period",
        "previous_month",
        "previous_quarter",
        "start_of_year",
        "whole_period",
        "term",
        "next_year",
        "this_year",
        "now",
    ):
        pm.kind = kind
    elif kind == "year":
        year = int(g[1])
        pm.period = Period.year(year)
        mod = (g[0] or "").lower()
        pm.horizon = mod.startswith(("đến", "tới", "tính")) and "hết" not in mod
        pm.stock = "hết" in mod or "cuối" in mod
    return pm


def term_containing(year: int) -> Period:
    """The five-year plan / party-congress term containing ``year`` (2021-2025, 2026-2030)."""
    first = year - ((year - 1) % 5)
    return Period.years(first, first + 4)
