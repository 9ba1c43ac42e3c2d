"""Quantities in Vietnamese prose: numbers, ranges, fractions, bounds, units.

Vietnamese writes ``18.063,8`` (dot for thousands, comma for decimals); some texts slip
into the English style (``68.58 tỷ USD``), which is recognisable because a thousands
group always has three digits. Scale words (nghìn/ngàn, triệu, tỷ/tỉ, nghìn tỷ) multiply
the number; the currency or counted noun that follows gives the unit.

:func:`find_quantities` works on a virtual paragraph string (see :mod:`.layout`) after
the caller has masked the characters of period expressions, so years and dates are
never read as values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import NumberFormatError, parse_decimal

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?!\d)|\d+"
_NUM_RE = re.compile(rf"(?<![\w.,/+:])(?:{NUM})")

SCALES = {
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "nghìn tỉ": 1e12,
    "ngàn tỉ": 1e12,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
}
_SCALE = r"(?:ngh[iì]n|ng[aà]n)\s+t[ỷỉ]|ngh[iì]n|ng[aà]n|triệu|t[ỷỉ]"

# counted nouns -> unit code (longest alternatives first)
COUNT_NOUNS: list[tuple[str, str]] = [
    # "lượt" alone counts visits; "lượt công dân", "lượt đơn" count something else
    (r"lượt\s+khách(?:\s+du\s+lịch)?|lượt\s+người|lượt\s+du\s+khách|lượt(?!\s*[/\w])", "VISIT"),
    (r"doanh\s+nghiệp", "ENTERPRISE"),
    (r"hợp\s+tác\s+xã|htx", "COOPERATIVE"),
    (r"dự\s+án", "PROJECT"),
    (r"ha\b|héc\s*ta|hecta", "HA"),
    (r"tấn", "TONNE"),
    (r"con\b", "HEAD"),
    (r"sản\s+phẩm", "PRODUCT"),
    (r"xã\b", "COMMUNE"),
    (r"trường\b", "SCHOOL"),
    (r"căn(?:\s+hộ|\s+nhà)?", "DWELLING"),
    (
        r"khu\s+và\s+cụm\s+công\s+nghiệp|khu,\s*cụm\s+công\s+nghiệp|khu\s+công\s+nghiệp|"
        r"cụm\s+công\s+nghiệp|khu\b|cụm\b",
        "ZONE",
    ),
    (r"lao\s+động|người\b|nhân\s+khẩu", "PERSON"),
    (r"tuổi", "YEAR"),
    (r"bác\s+sĩ|giường\s+bệnh|giường\b", "PER_10K"),
    (r"(?:lượt\s+)?xe\s*/\s*ngày", "VEHICLE_PER_DAY"),
    (r"vụ\b", "CASE"),
    (r"chỉ\s+tiêu", "TARGET"),
    (r"bậc\b", "RANK"),
]
_NOUN_RE = re.compile(
    r"\s*(?P<noun>" + "|".join(f"(?:{p})" for p, _ in COUNT_NOUNS) + r")", re.IGNORECASE
)
_CURRENCY_RE = re.compile(
    rf"\s*(?:(?P<scale>{_SCALE})\s*)?(?P<cur>đồng|vnđ|vnd|usd|đô\s+la(?:\s+mỹ)?)\b"
    r"(?P<per>\s*/\s*(?:người|năm|tháng|lao\s+động))?",
    re.IGNORECASE,
)
_SCALE_ONLY_RE = re.compile(rf"\s*(?P<scale>{_SCALE})\b", re.IGNORECASE)
_PCT_RE = re.compile(r"\s?(?P<pct>%|phần\s+trăm)(?P<per>\s*/\s*năm)?", re.IGNORECASE)
_PP_RE = re.compile(r"\s*(?P<pp>điểm\s+phần\s+trăm|điểm\s+%)", re.IGNORECASE)
_TIMES_RE = re.compile(r"\s*(?P<times>lần)\b", re.IGNORECASE)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|đến|tới)\s*", re.IGNORECASE)
_PER_POPULATION = re.compile(
    r"\s*(?:trên|/)\s*(?:1|một)\s+vạn\s+dân|\s*/\s*(?:1\.000|10\.000)"
    r"\s+dân",
    re.IGNORECASE,
)

# words right before a number that make it an identifier, not a quantity
_ID_PREFIX = re.compile(
    r"(?:(?<!tổng\s)\bsố|(?<!xếp\s)(?<!đứng\s)\bthứ|\bkhóa|\bkhoá|\bmốc|\bkm|quốc\s+lộ|\bql\.?|"
    r"tỉnh\s+lộ|đường\s+tỉnh|\bđt\.?|(?<!xếp\s)\bhạng|\bloại|\bcấp|giai\s+đoạn|tỷ\s+lệ|\bphần|\bchương|\bđiều|\bkhoản|"
    r"\bmục|\btrang|kỳ\s+họp|\bđợt|\blô|\btổ|\bthôn|\bngày|\blúc|\bcông\s+nghiệp|"
    r"\bchuẩn|\beuro|\bcovid-?|\btầng|\bbảng|\bbiểu|\bhình|\bphiên\s+bản|\bthế\s+hệ|"
    r"\bcả|\bnhóm|\bgồm|\bcác|\bnhững|\bmô\s+hình|\bchính\s+quyền)\s*$",
    re.IGNORECASE,
)
_ID_SUFFIX = re.compile(r"^(?:\s*(?:sao\b|giờ\b|h\b|:\d|phút|[/-]\s*[A-ZĐ]{2,}|\)\s+[A-ZĐ])|[A-Z])")
_RANK_PREFIX = re.compile(r"(?:xếp|đứng)\s+(?:thứ|hạng)\s*$", re.IGNORECASE)
_QUALIFIER_PREFIX: list[tuple[str, str]] = [
    (r"khoảng\s+trên", "gt"),
    (r"khoảng\s+dưới", "lt"),
    (r"(?:tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn)(?:\s+là)?(?:\s+mức)?", "gte"),
    (r"(?:tối\s+đa|không\s+quá|không\s+vượt\s+quá|nhiều\s+nhất)(?:\s+là)?(?:\s+mức)?", "lte"),
    (r"≥|>=|⩾", "gte"),
    (r"≤|<=|⩽", "lte"),
    (r"khoảng|gần|xấp\s+xỉ|trên\s+dưới|chừng|xuýt\s+xoát", "approx"),
    (
        r"(?<!cao\s)(?<!lớn\s)(?<!nhiều\s)(?<!thấp\s)(?<!ít\s)(?:trên|hơn|vượt|>)"
        r"(?:\s+mức)?",
        "gt",
    ),
    (r"dưới(?:\s+mức)?|chưa\s+đến|chưa\s+tới|<", "lt"),
]
_QUAL_RE = [
    (re.compile(rf"(?:^|\s|\()(?P<q>{p})\s*$", re.IGNORECASE), q) for p, q in _QUALIFIER_PREFIX
]
_FROM_RE = re.compile(r"(?:^|\s)từ\s*$", re.IGNORECASE)
_GTE_SUFFIX = re.compile(r"^\s*(?:%\s*)?trở\s+lên", re.IGNORECASE)
_LTE_SUFFIX = re.compile(r"^\s*(?:%\s*)?trở\s+xuống", re.IGNORECASE)


@dataclass
class Quantity:
    """A number as written, with what it counts and how it is bounded."""

    vstart: int
    vend: int
    text: str
    value: float
    low: float | None
    high: float | None
    qualifier: str  # eq, approx, gt, gte, lt, lte, range
    kind: str  # pct, pp, times, money, count, bare, fraction
    unit: str | None  # VND / USD for money; unit code for counts; PCT; PP; TIMES
    scale: float  # multiplier from scale words (nghìn, triệu, tỷ, nghìn tỷ)
    unit_text: str = ""
    per: str | None = None  # "năm" for "%/năm", "người" for "triệu đồng/người"
    denominator: float | None = None  # for fractions N/M
    number_end: int = 0  # end of the digits (before the unit)

    @property
    def is_pct(self) -> bool:
        return self.kind == "pct"


def _names_a_place(before: str, after: str) -> bool:
    """A small bare number right after a capitalised word is part of a name."""
    m = re.search(r"([^\W\d_]+)\s+(?:\d{1,2}\s*,\s*)*$", before)
    if not m or not m.group(1)[0].isupper():
        return False
    return bool(re.match(r"^\s*(?:[,;.)]|và\b|$)", after))


def parse_number(s: str) -> float:
    """Read a number written the Vietnamese way (``18.063,8``) or the English way
    (``68.58``: a dot followed by one or two digits can only be a decimal point)."""
    s = s.strip()
    if re.fullmatch(r"\d+\.\d{1,2}", s):
        return float(s)
    try:
        return float(parse_decimal(s, locale="vi", strict=True))
    except NumberFormatError:
        return float(s.replace(".", "").replace(",", "."))


def _qualifier_before(vtext: str, start: int) -> tuple[str, int]:
    before = vtext[max(0, start - 40) : start]
    for rx, q in _QUAL_RE:
        m = rx.search(before)
        if m:
            return q, start - (len(before) - m.start("q"))
    return "eq", start


def _unit_after(vtext: str, pos: int) -> tuple[str, str | None, float, str, str | None, int]:
    """(kind, unit, scale, unit_text, per, end) of what follows a number at ``pos``."""
    rest = vtext[pos : pos + 60]
    m = _PCT_RE.match(rest)
    if m:
        per = "năm" if m.group("per") else None
        return "pct", "PCT", 1.0, m.group(0).strip(), per, pos + m.end()
    m = _PP_RE.match(rest)
    if m:
        return "pp", "PP", 1.0, m.group(0).strip(), None, pos + m.end()
    m = _CURRENCY_RE.match(rest)
    if m:
        scale = SCALES.get(re.sub(r"\s+", " ", (m.group("scale") or "").lower()), 1.0)
        cur = m.group("cur").lower()
        unit = "USD" if cur in ("usd",) or cur.startswith("đô") else "VND"
        per = m.group("per")
        per = re.sub(r"[\s/]+", " ", per).strip() if per else None
        return "money", unit, scale, m.group(0).strip(), per, pos + m.end()
    scale = 1.0
    end = pos
    m = _SCALE_ONLY_RE.match(rest)
    if m:
        scale = SCALES.get(re.sub(r"\s+", " ", m.group("scale").lower()), 1.0)
        end = pos + m.end()
        rest = vtext[end : end + 60]
    m = _TIMES_RE.match(rest)
    if m:
        return "times", "TIMES", scale, vtext[pos : end + m.end()].strip(), None, end + m.end()
    m = _NOUN_RE.match(rest)
    if m:
        noun = m.group("noun").lower()
        for pattern, code in COUNT_NOUNS:
            if re.fullmatch(pattern, noun, re.IGNORECASE):
                nend = end + m.end()
                pm = _PER_POPULATION.match(vtext, nend)
                if pm:
                    nend = pm.end()
                return "count", code, scale, vtext[pos:nend].strip(), None, nend
    if scale != 1.0:
        # "780 triệu" with the currency lost: keep the scale, unit unknown
        return "bare", None, scale, vtext[pos:end].strip(), None, end
    return "bare", None, 1.0, "", None, pos


def find_quantities(vtext: str) -> list[Quantity]:
    """Every quantity in ``vtext`` (periods must already be masked by the caller)."""
    out: list[Quantity] = []
    tokens = list(_NUM_RE.finditer(vtext))
    used_until = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.start() < used_until:
            continue
        start, end = tok.start(), tok.end()
        before = vtext[max(0, start - 30) : start]
        after = vtext[end : end + 12]
        # identifiers, dates, times, document numbers, list markers
        if (
            _ID_PREFIX.search(before)
            and not _PCT_RE.match(vtext[end : end + 3])
            and not _RANK_PREFIX.search(before)
        ):
            # an identifier; a range of identifiers ("mốc 1119 - 1120") goes with it
            sep = _RANGE_SEP.match(vtext, end)
            if sep and i < len(tokens) and tokens[i].start() == sep.end():
                used_until = tokens[i].end()
            continue
        if _ID_SUFFIX.match(after):
            continue
        if re.match(r"^\s*/\s*\d+\s*/\s*\d", after) or re.search(r"\d/\s*$", before):
            continue  # a date d/m/y or the tail of one
        if (
            re.search(r"\(\s*$", before)
            and re.match(r"^\s*\)\s", after)
            and not re.match(r"^\s*\)\s*(?:%|tỷ|triệu)", after)
        ):
            continue  # "(1) ..." list marker
        if _names_a_place(before, after):
            continue  # "Hồ Sơn 1, Bắc Sơn 2": a name with a number
        value = parse_number(tok.group())
        denominator = None
        # fraction N/M ("106/175 xã", "xếp thứ 11/34", "4.697/4.915 tỷ đồng")
        fm = re.match(rf"\s*/\s*({NUM})(?![\d/])", vtext[end:])
        if fm:
            if re.search(r"tỷ\s+lệ\s*$", before, re.IGNORECASE):
                used_until = end + fm.end()
                continue  # a map scale "1/2.000"
            denominator = parse_number(fm.group(1))
            end = end + fm.end()
        number_end = end
        kind, unit, scale, unit_text, per, uend = _unit_after(vtext, end)
        low = high = None
        qualifier, qstart = _qualifier_before(vtext, start)
        # a range: "10 - 11%", "78-79 triệu đồng", "từ 2.300 đến 3.300 ha"
        if denominator is None:
            sep = _RANGE_SEP.match(vtext, uend if kind == "pct" else end)
            nxt = tokens[i] if i < len(tokens) else None
            if sep and nxt is not None and nxt.start() == sep.end():
                v2 = parse_number(nxt.group())
                k2, u2, s2, t2, p2, e2 = _unit_after(vtext, nxt.end())
                if (kind == "bare" or (k2, u2) == (kind, unit) or k2 == "bare") and v2 > value:
                    if k2 != "bare":
                        kind, unit, scale, unit_text, per, uend = k2, u2, s2, t2, p2, e2
                    else:
                        uend = max(uend, nxt.end())
                    low, high, qualifier = value, v2, "range"
                    value = (low + high) / 2
                    number_end = nxt.end()
                    i += 1
                    fr = _FROM_RE.search(vtext[max(0, start - 6) : start])
                    if fr:
                        start - (min(6, start) - fr.start())
        if qualifier != "range":
            if _GTE_SUFFIX.match(vtext[uend : uend + 20]) or _GTE_SUFFIX.match(
                vtext[end : end + 20]
            ):
                qualifier = "gte"
            elif _LTE_SUFFIX.match(vtext[uend : uend + 20]):
                qualifier = "lte"
        if kind == "bare" and denominator is None and unit_text == "":
            uend = number_end
        q = Quantity(
            vstart=start,
            vend=max(uend, number_end),
            text=vtext[start : max(uend, number_end)],
            value=value,
            low=low,
            high=high,
            qualifier=qualifier,
            kind=kind,
            unit=unit,
            scale=scale,
            unit_text=unit_text,
            per=per,
            denominator=denominator,
            number_end=number_end,
        )
        if kind == "bare" and denominator is not None:
            q.kind = "fraction"
        out.append(q)
        used_until = q.vend
    return out
