"""Quantities in Vietnamese prose: numbers, ranges, fractions, bounds and units.

Vietnamese writes ``18.063,8`` (dot for thousands, comma for decimals); some texts slip
into the English style (``68.58 tỷ USD``), recognisable because a thousands group always
has three digits; copied tables group thousands with spaces (``18 063,8``). Only ASCII
digits are digits. Scale words (nghìn, triệu, tỷ, nghìn tỷ) multiply the number; the
currency or counted noun after it gives the unit.

:func:`find_quantities` reads one string (a sentence or a table cell, in folded form,
with its period expressions masked so years and dates are never values). Every number
looks at a bounded window around itself only, so reading is linear in the length of the
text whatever the number of numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from .lexicon import qualifier_words, scale_words, unit_words

#: regular expressions used inline below, compiled once
_ENGLISH_DECIMAL_ONLY = re.compile(r"[0-9]+\.[0-9]{1,2}")
_SPACES = re.compile(r"\s+")
_OPEN_BRACKET_END = re.compile(r"\(\s*$")

#: At most this many significant digits: longer digit strings are identifiers or noise,
#: and a float would no longer hold them exactly.
MAX_DIGITS = 15

_NUM = (
    r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9])"  # 18.063,8  1.205
    r"|[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]+)?(?![0-9.,]?[0-9])"  # 18 063,8 (space-grouped)
    r"|[0-9]+,[0-9]+(?![0-9])"  # 8,06
    r"|[0-9]+\.[0-9]{1,2}(?![0-9])"  # 68.58 (English decimal point)
    r"|[0-9]+"
)
#: a number (:data:`_NUM`) not glued after a word, a decimal mark, a slash, a plus or a
#: colon. Written with its first digit ahead of that look-behind (the alternatives of
#: ``_NUM`` with their first digit taken out, in the same order), so that the engine
#: jumps from digit to digit instead of trying every position of the text.
NUM_RE = re.compile(
    r"[0-9](?<![\w.,/+:][0-9])(?:"
    r"[0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?(?![0-9])"
    r"|[0-9]{0,2}(?: [0-9]{3})+(?:,[0-9]+)?(?![0-9.,]?[0-9])"
    r"|[0-9]*,[0-9]+(?![0-9])"
    r"|[0-9]*\.[0-9]{1,2}(?![0-9])"
    r"|[0-9]*"
    r")"
)
_FRACTION = re.compile(rf"\s*/\s*({_NUM})(?![\d/])")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|đến|tới)\s*")
_DATE_AFTER = re.compile(r"\s*[/-]\s*[0-9]{1,2}\s*[/-]\s*[0-9]{2,4}(?![0-9])")  # d/m/y
_DAY_MONTH = re.compile(r"\s*/\s*(?:[1-9]|1[0-2])(?![0-9/])")
_DAY_WORD = re.compile(r"(?:sáng|chiều|tối|trưa|đêm|ngày|hôm|mùng)\s*$")
_DATE_BEFORE = re.compile(r"[0-9]\s*[/-]\s*$")
_LIST_MARKER = re.compile(r"\s*\)\s")
_PER_POPULATION = re.compile(
    r"\s*(?:trên|/)\s*(?:1|một)\s+vạn\s+dân|\s*/\s*(?:1\.000|10\.000)\s+dân"
)
_RANK_PREFIX = re.compile(r"(?:xếp|đứng|vươn\s+lên|tụt\s+xuống|lên)\s+(?:thứ|hạng)\s*$")
_PER = re.compile(r"\s*/\s*(năm|tháng|người|ngày|lao động|hộ)(?!\w)")


@dataclass(slots=True)
class Quantity:
    """A number as written, with what it counts and how it is bounded."""

    start: int
    end: int  # after the unit
    number_end: int  # after the digits (and the second number of a range or fraction)
    text: str
    value: float
    low: float | None
    high: float | None
    qualifier: str  # eq, approx, gt, gte, lt, lte, range
    kind: str  # pct, pp, times, money, count, bare, fraction
    unit: str | None  # VND / USD for money; a unit code for counts; PCT; PP; TIMES
    scale: float  # multiplier from scale words
    unit_text: str = ""
    per: str | None = None  # "năm" in "%/năm", "người" in "triệu đồng/người"
    denominator: float | None = None  # M of "N/M"

    @property
    def is_pct(self) -> bool:
        return self.kind == "pct"


class NumberTooLargeError(ValueError):
    """A digit string too long to be a quantity."""


_ENGLISH_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_ENGLISH_DECIMAL = re.compile(r"(?<![0-9.,])[0-9]+\.[0-9]{1,2}(?![0-9.,])(?=\s*(?:%|[^\W\d_]))")
_VIETNAMESE_NUMBER = re.compile(
    r"(?<![0-9.,])(?:[0-9]+,[0-9]{1,2}|[0-9]{1,3}(?:\.[0-9]{3})+)(?![0-9.,])"
)


def english_style(text: str) -> bool:
    """Does a text write numbers the English way ("1.62 tỷ USD", "3.6%", "5,800 doanh
    nghiệp")? Then a comma before three digits groups thousands. Decided once per
    document: at least two English decimals and no Vietnamese decimal or thousands.

    The Vietnamese number is looked for first: most texts write one near their start,
    which settles the answer without scanning the whole text for English decimals."""
    return not _VIETNAMESE_NUMBER.search(text) and len(_ENGLISH_DECIMAL.findall(text)) >= 2


def parse_number(s: str, english: bool = False) -> float:
    """Read a number written the Vietnamese way (``18.063,8``, ``18 063,8``) or the
    English way (``68.58``: a dot followed by one or two digits is a decimal point; in an
    ``english`` text, ``5,800`` is five thousand eight hundred).

    Raises :class:`NumberTooLargeError` for more than :data:`MAX_DIGITS` digits."""
    s = s.strip()
    if english and _ENGLISH_THOUSANDS.fullmatch(s):
        plain = s.replace(",", "")
    elif _ENGLISH_DECIMAL_ONLY.fullmatch(s):
        plain = s
    else:
        plain = s.replace(".", "").replace(" ", "").replace(",", ".")
    digits = plain.replace(".", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise NumberTooLargeError(f"{len(digits)} digits")
    try:
        value = float(Decimal(plain))
    except InvalidOperation:  # pragma: no cover - the regular expression admits digits only
        raise NumberTooLargeError(s) from None
    if not math.isfinite(value):  # pragma: no cover - bounded by MAX_DIGITS
        raise NumberTooLargeError(s)
    return value


def _alternation(phrases: list[str]) -> str:
    parts = sorted({p for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    units = unit_words()
    scales = scale_words()
    unit_alt = _alternation([u.phrase.lower() for u in units])
    scale_alt = _alternation(list(scales))
    before = [(p, q) for p, q, pos in qualifier_words() if pos == "before"]
    after = [(p, q) for p, q, pos in qualifier_words() if pos == "after"]
    return {
        "unit": re.compile(
            rf"\s*(?:(?P<scale>{scale_alt})\s*)?(?P<unit>{unit_alt})(?![\w])"
            r"|\s*(?P<pct>%)"
        ),
        "scale": re.compile(rf"\s*(?P<scale>{scale_alt})(?!\w)"),
        "before": re.compile(rf"(?:^|[\s(])(?P<q>{_alternation([p for p, _ in before])})\s*$"),
        "after": re.compile(rf"\s*(?:%\s*)?(?P<q>{_alternation([p for p, _ in after])})(?!\w)"),
    }


@cache
def _unit_index() -> dict[str, tuple[str, str]]:
    return {_SPACES.sub(" ", u.phrase.lower()): (u.unit, u.kind) for u in unit_words()}


@cache
def _qualifier_index() -> dict[str, str]:
    return {_SPACES.sub(" ", p): q for p, q, _ in qualifier_words()}


@dataclass
class _Unit:
    kind: str
    unit: str | None
    scale: float
    text: str
    per: str | None
    end: int


def _unit_after(s: str, pos: int) -> _Unit:
    """The unit written after a number ending at ``pos`` (bare when there is none)."""
    pats = _patterns()
    m = pats["unit"].match(s, pos)
    scale = 1.0
    if m:
        scale_word = m.group("scale")
        scale = scale_words()[_SPACES.sub(" ", scale_word)] if scale_word else 1.0
        if m.group("pct"):
            unit, kind = "PCT", "pct"
        else:
            unit, kind = _unit_index()[_SPACES.sub(" ", m.group("unit"))]
        if kind == "none":
            # a word that starts like a unit and is none ("5 lần lượt là …": "lần lượt",
            # respectively, not "5 lần", five times)
            return _Unit("bare", None, 1.0, "", None, pos)
        end = m.end()
        per = None
        if kind == "count" and unit == "PER_10K":
            pm = _PER_POPULATION.match(s, end)
            if pm:
                end = pm.end()
        pm = _PER.match(s, end)
        if pm and kind in ("pct", "money", "count"):
            per = pm.group(1)
            end = pm.end()
        return _Unit(kind, unit, scale, s[pos:end].strip(), per, end)
    m = pats["scale"].match(s, pos)
    if m:
        scale = scale_words()[_SPACES.sub(" ", m.group("scale"))]
        return _Unit("bare", None, scale, s[pos : m.end()].strip(), None, m.end())
    return _Unit("bare", None, 1.0, "", None, pos)


def _qualifier_before(s: str, start: int) -> str:
    m = _patterns()["before"].search(s[max(0, start - 24) : start])
    return _qualifier_index()[_SPACES.sub(" ", m.group("q"))] if m else "eq"


_DIGIT_COUNT = re.compile(r"\s*(?:con|chữ)\s+số\b")


def find_quantities(
    s: str, identifier: re.Pattern[str] | None = None, english: bool = False
) -> list[Quantity]:
    """Every quantity of ``s`` (folded, periods masked), in text order.

    ``identifier`` matches the end of the text before a number that makes it an
    identifier (``kỳ họp thứ 27``, ``Quốc lộ 4``) rather than a quantity; ``english``
    reads ``5,800`` as thousands (see :func:`english_style`)."""
    out: list[Quantity] = []
    tokens = list(NUM_RE.finditer(s))
    consumed = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        start, end = tok.start(), tok.end()
        if start < consumed:
            continue
        before = s[max(0, start - 30) : start]
        if (
            identifier is not None
            and identifier.search(before)
            and s[end : end + 1] != "%"
            and not _RANK_PREFIX.search(before)
        ):
            # an identifier; a range of identifiers ("mốc 1119 - 1120") goes with it
            sep = _RANGE_SEP.match(s, end)
            if sep and i < len(tokens) and tokens[i].start() == sep.end():
                consumed = tokens[i].end()
            continue
        if _DATE_AFTER.match(s, end) or _DATE_BEFORE.search(before):
            continue  # a date d/m/y or the tail of one
        if _DAY_MONTH.match(s, end) and _DAY_WORD.search(before):
            continue  # "sáng 10/12": a day and month
        if _OPEN_BRACKET_END.search(before) and _LIST_MARKER.match(s, end):
            continue  # "(1) ..." list marker
        if _DIGIT_COUNT.match(s, end):
            continue  # "tăng trưởng 2 con số": how many digits, not a quantity
        try:
            value = parse_number(tok.group(), english)
        except NumberTooLargeError:
            continue
        denominator = None
        fm = _FRACTION.match(s, end)
        if fm and not _DATE_AFTER.match(s, fm.end()):
            try:
                denominator = parse_number(fm.group(1))
            except NumberTooLargeError:
                continue
            end = fm.end()
            while i < len(tokens) and tokens[i].start() < end:
                i += 1
        number_end = end
        unit = _unit_after(s, end)
        low = high = None
        qualifier = _qualifier_before(s, start)
        # a range: "10 - 11%", "78-79 triệu đồng", "từ 2.300 đến 3.300 ha"
        if denominator is None and i < len(tokens):
            sep = _RANGE_SEP.match(s, unit.end if unit.kind == "pct" else end)
            nxt = tokens[i]
            if sep and nxt.start() == sep.end():
                try:
                    v2 = parse_number(nxt.group(), english)
                except NumberTooLargeError:
                    v2 = -1.0
                u2 = _unit_after(s, nxt.end())
                same = unit.kind == "bare" or u2.kind == "bare" or (unit.kind, unit.unit) == (
                    u2.kind, u2.unit)  # fmt: skip
                if same and v2 > value and not _DATE_AFTER.match(s, nxt.end()):
                    if u2.kind != "bare" or u2.scale != 1.0:
                        unit = u2
                    else:
                        unit.end = max(unit.end, nxt.end())
                    low, high, qualifier = value, v2, "range"
                    value = (low + high) / 2
                    number_end = nxt.end()
                    i += 1
        if qualifier != "range":
            am = _patterns()["after"].match(s, unit.end) or _patterns()["after"].match(s, end)
            if am:
                qualifier = _qualifier_index()[_SPACES.sub(" ", am.group("q"))]
        span_end = max(unit.end, number_end) if (unit.text or number_end > end) else number_end
        kind = unit.kind
        if kind == "bare" and denominator is not None:
            kind = "fraction"
        out.append(Quantity(
            start=start, end=span_end, number_end=number_end, text=s[start:span_end],
            value=value, low=low, high=high, qualifier=qualifier, kind=kind, unit=unit.unit,
            scale=unit.scale, unit_text=unit.text, per=unit.per, denominator=denominator,
        ))  # fmt: skip
        consumed = span_end
    return out


@cache
def identifier_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The ``identifier`` argument of :func:`find_quantities` for a list of words."""
    alt = _alternation([w.lower() for w in words])
    return re.compile(rf"(?<![\w])(?:{alt})\.?\s*$")
