"""Rule-based extraction of observations from Vietnamese statistical prose.

For every quantity of every sentence (see :mod:`.layout` and :mod:`.numbers`) the
extractor decides, from the words around it and the context of the document:

* **indicator**: the catalogue cue heading the last noun phrase before the number; else
  the cue of the noun phrase right after it ("giảm 2% hộ nghèo"); else what the counted
  noun implies (lượt khách → tourists); else the indicator carried from the previous
  number when the clause has no subject of its own ("…, tăng 24,8%"); footnotes fall
  back to the indicator of the sentence carrying their marker;
* **measure** from verbs and nouns (tăng/giảm, bình quân hằng năm, chiếm, % kế hoạch,
  gấp … lần, đóng góp … điểm phần trăm, xếp thứ …) and the indicator's unit;
* **period**: the nearest period expression before the number in its sentence, else
  just after it in its clause, else the period carried from earlier sentences of the
  paragraph, the section heading, the document's title and lead, the publication year;
* **base period** for changes ("so với năm 2020", "giai đoạn trước"), carried to later
  changes of the same sentence;
* **status**: target (mục tiêu, phấn đấu, a future period, a target section), estimate
  (ước, dự ước, dự kiến earlier in the sentence, or a period not over at publication),
  else actual;
* **geo**: "cả nước" → VN, another province's name → its code, else the document's.

Every decision is recorded in the observation's ``evidence``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from .layout import Layout, Paragraph, analyse
from .lexicon import (
    CAPITAL_CUE,
    CAPITAL_OF,
    COUNT_UNIT_DEFAULTS,
    CUES,
    GEO_NATIONAL,
    PLANS,
    STOCKS,
    SUBSET_RE,
    USD_VARIANT,
    Indicator,
    catalogue,
    fold,
)
from .model import Observation
from .numbers import Quantity, find_quantities
from .period_grammar import PeriodMention, find_periods, term_containing
from .periods import Period
from .provinces import main_province, provinces_in

ESTIMATE_CUE = re.compile(
    r"(?<!\w)(?:dự\s+ước|ước\s+tính|ước\s+đạt|ước\s+thực\s+hiện|ước|dự\s+kiến|dự\s+báo)(?!\w)"
)
TARGET_CUE = re.compile(
    r"(?<!\w)(?:mục\s+tiêu|phấn\s+đấu|định\s+hướng\s+đến|nhiệm\s+vụ\s+năm|đặt\s+ra|"
    r"(?<!\d\s)(?<!\d)chỉ\s+tiêu(?!\s+(?:chủ\s+yếu\s*,?\s*)?(?:có\s+)?(?:đạt|không|chưa|\d))|kế\s+hoạch\s+(?:đề\s+ra|năm\s+\d{4}))"
    r"(?!\w)"
)
TARGET_HEADING = re.compile(
    r"mục\s+tiêu|chỉ\s+tiêu|phương\s+hướng|nhiệm\s+vụ|định\s+hướng|kế\s+hoạch"
)
RETROSPECTIVE_HEADING = re.compile(
    r"đánh\s+giá|kết\s+quả|thực\s+hiện|hoàn\s+thành|hạn\s+chế|nguyên\s+nhân"
)
CHANGE_VERB = re.compile(
    r"(?<!\w)(?:(?P<dir>tăng|giảm|kéo\s+giảm|sụt\s+giảm)(?P<level>\s+(?:lên|xuống|còn|đến|tới|từ))?"
    r"|(?P<up>cao\s+hơn|nhiều\s+hơn|vượt)|(?P<down>thấp\s+hơn|ít\s+hơn))(?!\w)"
)
GROWTH_SUBJECT = re.compile(r"tốc\s+độ\s+tăng|tăng\s+trưởng|mức\s+tăng")
AVERAGE = re.compile(
    r"(?<!\w)bình\s+quân(?!\s+(?:đầu\s+người|một\s+người|(?:của\s+)?cả\s+nước|chung|toàn\s+quốc))"
)
PER_YEAR = re.compile(r"hằng\s+năm|hàng\s+năm|mỗi\s+năm|/\s*năm")
SHARE_VERB = re.compile(r"(?<!\w)chiếm(?!\w)")
SHARE_CONTEXT = re.compile(r"cơ\s+cấu|tỷ\s+trọng")
PLAN_AFTER = re.compile(
    r"^\s*(?:so\s+với\s+)?(?:kế\s+hoạch|dự\s+toán|kh\b|chỉ\s+tiêu|mục\s+tiêu\s+kế\s+hoạch)"
)
MULTIPLE = re.compile(r"(?<!\w)gấp(?:\s+(?:khoảng|gần|hơn|trên))?\s*$")
CONTRIBUTION = re.compile(r"đóng\s+góp")
RANK_CUE = re.compile(r"xếp\s+(?:thứ|hạng)|đứng\s+thứ|thứ\s+hạng")
BASE_INTRO = re.compile(
    r"(?:so\s+với(?:\s+(?:cùng\s+kỳ|mức|bình\s+quân|của|chỉ\s+tiêu|thời\s+điểm))*|"
    r"gấp\s+[\d.,]+\s+lần(?:\s+so\s+với)?|bằng)\s*$"
)
SUPERLATIVE = re.compile(
    r"(?:cao|thấp|lớn|nhỏ|nhiều|ít)\s+nhất\s+(?:trong\s+)?(?:cả\s+)?$|"
    r"từ\s+trước\s+(?:tới|đến)\s+nay\s*$"
)
EQUATED = re.compile(r"^\s*(?:=|là\b|:|đạt\b)")
STOCK_NOW = re.compile(
    r"đến\s+nay|hiện\s+nay|hiện\s+có|hiện\s+tại|lũy\s+kế|toàn\s+tỉnh\s+(?:hiện\s+)?có"
)
SUBJECTLESS = re.compile(
    r"^[\s,;:().\-–]*(?:(?:và|trong\s+đó|riêng|còn|với|đồng\s+thời|cụ\s+thể)\s*[,:]?\s*)*"
    r"(?:ước\s+tính\s+|ước\s+|dự\s+ước\s+|dự\s+kiến\s+)?"
    r"(?:tăng|giảm|đạt|chiếm|gấp|bằng|là|=|lên|xuống|vượt|cao\s+hơn|thấp\s+hơn|bình\s+quân|"
    r"hằng\s+năm|so\s+với|ở\s+mức|mức|tương\s+ứng|tương\s+đương|xếp|đứng|đóng\s+góp|"
    r"kế\s+hoạch|dự\s+toán|\(|$)"
)
NP_BOUNDARY = re.compile(
    r"[,;:()]|(?<!\w)(?:đạt|là|có|tăng|giảm|chiếm|ước|với|được|gấp|bằng|còn|lên|so\s+với|"
    r"mang\s+về|ghi\s+nhận|vượt|trong\s+đó|của\s+tỉnh)(?!\w)"
)
PERIOD_MASK_CHAR = " "


@dataclass
class DocContext:
    layout: Layout
    published: dt.date | None
    geo: str
    period: Period | None  # from the title and lead
    plan_period: Period | None  # the multi-year period the document reports on, if any
    reference_end: dt.date | None  # "now" for the document: publication or end of its period

    @property
    def year(self) -> int | None:
        if self.period:
            return self.period.end.year
        return self.published.year if self.published else None


@dataclass
class Frame:
    """Context of one paragraph: inherited period and target flag."""

    heading_period: Period | None = None
    heading_target: bool = False
    carried_period: Period | None = None  # from earlier sentences of the paragraph
    sentence_period: Period | None = None  # the current sentence's own leading period
    multi_year: list[Period] = field(default_factory=list)  # multi-year periods seen so far
    parent_indicators: list[str] = field(default_factory=list)  # footnote parent


@dataclass
class SentenceState:
    last_indicators: list[str] = field(default_factory=list)
    last_measure: str | None = None
    first_indicator: str | None = None
    base: Period | None = None
    last_period: Period | None = None  # period of the previous observation
    last_status: str | None = None
    average: bool = False
    per_year: bool = False
    growth: bool = False
    share: bool = False
    carried: bool = False  # the current number's indicator was carried from the previous one


@dataclass
class CueMatch:
    start: int
    end: int
    code: str
    text: str


def extract_observations(
    text: str,
    *,
    published_date: dt.date | None = None,
    title: str | None = None,
    source_id: str | None = None,
    default_geo: str = "VN-09",
) -> list[Observation]:
    """Every quantitative statement of ``text`` as observations (spans index ``text``).

    ``published_date`` makes statements about periods not yet over at publication
    estimates; without it the status comes from the cue words alone. ``source_id`` (the
    file's path relative to the raw folder) and ``default_geo`` decide the place of a
    document whose text names none (contract section 7).
    """
    layout = analyse(text)
    doc = _document_context(layout, published_date)
    extractor = _Extractor(doc)
    return extractor.run()


def _document_context(layout: Layout, published: dt.date | None) -> DocContext:
    ctx_year = published.year if published else None
    period: Period | None = None
    plan: Period | None = None
    lead = [p for p in layout.paragraphs if p.kind != "footnote"][:4]
    from_heading = False
    for p in lead:
        for pm in find_periods(p.vtext, ctx_year):
            if pm.period is None or pm.horizon:
                continue
            before = fold(p.vtext[max(0, pm.start - 30) : pm.start])
            if TARGET_CUE.search(before) or BASE_INTRO.search(before):
                continue
            period = pm.period
            from_heading = p.kind != "body"
            break
        if period:
            break
    if period and period.grain == "years":
        plan = period
    # "now" for the document: its publication date, else the end of the period its title
    # reports on (a body sentence's period may be one item of a list of years)
    if published:
        reference_end = published
    elif period and from_heading:
        reference_end = period.end
    else:
        reference_end = None
    return DocContext(layout, published, main_province(layout.text), period, plan, reference_end)


class _Extractor:
    def __init__(self, doc: DocContext) -> None:
        self.doc = doc
        self.catalogue = catalogue()
        self.observations: list[Observation] = []
        self.marker_context: dict[int, tuple[list[str], Frame, Period | None]] = {}
        self.multi_year_seen: list[Period] = []
        self.previous_subject: str | None = None  # first indicator of the last sentence

    # -- driver ---------------------------------------------------------------------------
    def run(self) -> list[Observation]:
        headings: dict[int, Paragraph] = {}
        footnotes: list[tuple[Paragraph, dict[int, Paragraph]]] = []
        prev_sentence_indicators: list[str] = []
        for p in self.doc.layout.paragraphs:
            if p.kind == "footnote":
                footnotes.append((p, dict(headings)))
                continue
            if p.kind in ("heading", "heading_cont"):
                level = p.heading_level if p.heading_level is not None else 9
                if p.kind == "heading":
                    for lvl in [lv for lv in headings if lv >= level]:
                        del headings[lvl]
                    headings[level] = p
                else:
                    headings[level] = _merge_heading(headings.get(level), p)
            frame = self._frame(headings, exclude=p if p.kind != "body" else None)
            prev_sentence_indicators = self._paragraph(p, frame, prev_sentence_indicators)
        for p, heads in footnotes:
            parent = self.marker_context.get(p.footnote or -1)
            frame = self._frame(heads)
            if parent:
                frame.parent_indicators = parent[0]
                if parent[2] is not None:
                    frame.carried_period = parent[2]
            self._paragraph(p, frame, [])
        return _dedupe(self.observations)

    def _frame(self, headings: dict[int, Paragraph], exclude: Paragraph | None = None) -> Frame:
        frame = Frame()
        for level in sorted(headings):
            h = headings[level]
            if h is exclude:
                continue
            folded = fold(h.vtext)
            for pm in find_periods(h.vtext, self.doc.year):
                if pm.period is None:
                    continue
                if self._nested_in_doc(pm.period):
                    continue
                frame.heading_period = pm.period
            if (
                TARGET_HEADING.search(folded)
                and not RETROSPECTIVE_HEADING.search(folded)
                and (
                    h.heading_level is not None
                    and h.heading_level < 9
                    or (frame.heading_period and self._is_future(frame.heading_period))
                )
            ):
                frame.heading_target = True
            if (
                frame.heading_period
                and self._is_future(frame.heading_period)
                and TARGET_HEADING.search(folded)
            ):
                frame.heading_target = True
        return frame

    def _nested_in_doc(self, period: Period) -> bool:
        """A heading period containing the document's finer period adds nothing."""
        dp = self.doc.period
        return bool(dp and period.start <= dp.start and dp.end <= period.end and period != dp)

    def _is_future(self, period: Period) -> bool:
        ref = self.doc.reference_end
        return bool(ref and period.start > ref)

    def _is_past(self, period: Period) -> bool:
        """The period ended before the document was published (it cannot be a target)."""
        pub = self.doc.published
        return bool(pub and period.end < pub)

    # -- paragraphs and sentences ------------------------------------------------------------
    def _paragraph(self, p: Paragraph, frame: Frame, prev_indicators: list[str]) -> list[str]:
        last = prev_indicators
        for k, (a, b) in enumerate(p.sentences):
            if k == 1:
                frame.parent_indicators = []  # a footnote's later sentences have subjects
            last = self._sentence(p, a, b, frame, last)
        return last

    def _context_year(self, frame: Frame) -> int | None:
        for period in (frame.carried_period, frame.heading_period, self.doc.period):
            if period is not None:
                return period.end.year
        return self.doc.year

    def _sentence(
        self, p: Paragraph, a: int, b: int, frame: Frame, prev_indicators: list[str]
    ) -> list[str]:
        s = p.vtext[a:b]
        fs = fold(s)
        periods = find_periods(s, self._context_year(frame))
        masked = list(s)
        for pm in periods:
            for k in range(pm.start, pm.end):
                masked[k] = PERIOD_MASK_CHAR
        quantities = [q for q in find_quantities("".join(masked)) if _is_value(q, fs)]
        cues = _match_cues(fs)
        for pm in periods:
            if pm.period and pm.period.grain == "years":
                self.multi_year_seen.append(pm.period)
        # footnote markers in this sentence remember the sentence's context
        st = SentenceState()
        frame.sentence_period = None
        sentence_period = self._first_ref_period(periods, fs, quantities, frame)
        frame.sentence_period = sentence_period
        prev_end = 0
        assigned: list[tuple[int, list[str]]] = []  # (raw end, indicator codes)
        for k, q in enumerate(quantities):
            next_start = quantities[k + 1].vstart if k + 1 < len(quantities) else len(fs)
            obs_list = self._observe(
                p, a, s, fs, q, prev_end, periods, cues, frame, st, prev_indicators, next_start
            )
            prev_end = q.vend
            self.observations.extend(obs_list)
            codes = [o.indicator_code for o in obs_list if o.indicator_code]
            if codes:
                assigned.append((obs_list[0].span_end, codes))
        self._remember_markers(p, a, b, assigned, cues, frame, sentence_period)
        if sentence_period is not None and quantities:
            frame.carried_period = sentence_period
        if st.first_indicator:
            self.previous_subject = st.first_indicator
        return st.last_indicators or prev_indicators

    def _remember_markers(
        self,
        p: Paragraph,
        a: int,
        b: int,
        assigned: list[tuple[int, list[str]]],
        cues: list[CueMatch],
        frame: Frame,
        period: Period | None,
    ) -> None:
        """A footnote marker remembers what its sentence said just before it."""
        if not self.doc.layout.markers:
            return
        lo, hi = p.raw_span(a, b)
        for n, off in self.doc.layout.markers.items():
            if not (lo <= off <= hi + 3) or n in self.marker_context:
                continue
            before = [codes for end, codes in assigned if end <= off]
            if before:
                inds = before[-1]
            else:  # no number before the marker: the sentence's head cue
                vcues = [c for c in cues if p.vmap[a + c.start] < off]
                inds = [vcues[0].code] if vcues else []
            self.marker_context[n] = (inds, frame, period or frame.carried_period)

    def _first_ref_period(
        self, periods: list[PeriodMention], fs: str, quantities: list[Quantity], frame: Frame
    ) -> Period | None:
        first_q = quantities[0].vstart if quantities else len(fs)
        for pm in periods:
            if pm.start > first_q:
                break
            if (
                self._is_ref(pm, fs)
                and not pm.horizon
                and pm.kind not in ("now", "this_year", "next_year")
            ):
                resolved = self._resolve(pm, frame)
                if resolved is not None:
                    return resolved
        return None

    def _is_ref(self, pm: PeriodMention, fs: str) -> bool:
        """A reference period (not the base of a comparison, not inside brackets)."""
        before = fs[max(0, pm.start - 45) : pm.start]
        if BASE_INTRO.search(before) and not EQUATED.match(fs[pm.end : pm.end + 6]):
            return False
        if SUPERLATIVE.search(before):
            return False
        return pm.kind in (
            "explicit",
            "n_years",
            "whole_period",
            "term",
            "now",
            "this_year",
            "next_year",
        )

    # -- one quantity ---------------------------------------------------------------------------
    def _observe(
        self,
        p: Paragraph,
        a: int,
        s: str,
        fs: str,
        q: Quantity,
        prev_end: int,
        periods: list[PeriodMention],
        cues: list[CueMatch],
        frame: Frame,
        st: SentenceState,
        prev_indicators: list[str],
        next_start: int,
    ) -> list[Observation]:
        window = fs[prev_end : q.vstart]
        if q.kind in ("fraction", "bare") and RANK_CUE.search(window[-25:]):
            q.kind = "rank"  # "xếp thứ 11/34": a rank, whatever the indicator's unit
        ev: dict[str, object] = {}
        codes, how, cue_text = self._indicator(
            q, fs, prev_end, cues, st, frame, prev_indicators, window, next_start
        )
        ev["indicator_rule"] = how
        ev["indicator_cue"] = cue_text
        st.carried = how == "carried from the previous number"
        # sentence-level modifiers, set by words outside indicator cues
        plain_window = _outside_cues(window, prev_end, cues)
        if AVERAGE.search(plain_window):
            st.average = True
            if PER_YEAR.search(plain_window):
                st.per_year = True
        if GROWTH_SUBJECT.search(fs[prev_end : q.vstart]):
            st.growth = True
        if SHARE_CONTEXT.search(plain_window):
            st.share = True
        if not codes:
            if not _natural_unit(q):
                return []  # an unlabelled bare number: not an observation
            codes = [None]
        out = []
        for code in codes:
            ind = self.catalogue.get(code) if code else None
            twin = self.catalogue.get(f"{code}_share") if code else None
            if twin is not None and q.is_pct and SHARE_VERB.search(_clause_tail(window)):
                ind = twin  # "120 xã …, chiếm 62,8% tổng số xã": the rate indicator itself
                ev["indicator_rule"] = f"share of {code}: its rate indicator"
            obs = self._build(
                p, a, s, fs, q, prev_end, periods, frame, st, ind, dict(ev), plain_window
            )
            if obs is not None:
                out.append(obs)
        if codes and codes[0]:
            st.last_indicators = [c for c in codes if c]
            st.first_indicator = st.first_indicator or codes[0]
            if out:
                st.last_status = out[0].status
                st.last_measure = out[0].measure
                st.last_period = out[0].period
        return out

    def _indicator(
        self,
        q: Quantity,
        fs: str,
        prev_end: int,
        cues: list[CueMatch],
        st: SentenceState,
        frame: Frame,
        prev_indicators: list[str],
        window: str,
        next_start: int,
    ) -> tuple[list[str], str, str | None]:
        if q.kind == "money" and q.unit != "VND":
            cues = [
                dataclasses.replace(c, code=USD_VARIANT[c.code]) if c.code in USD_VARIANT else c
                for c in cues
            ]
        # 0a. "X% <noun>": the percentage is of that noun ("100% chất thải nguy hại")
        if q.is_pct and PCT_OF_NOUN.match(fs, q.vend) and not PCT_COMPLEMENT.match(fs, q.vend):
            stops = [k for k in (fs.find(";", q.vend), fs.find(".", q.vend)) if k > 0]
            end = min([next_start, q.vend + 80, *stops])
            after = [c for c in cues if q.vend <= c.start < end and self._compatible(q, c.code)]
            if after:
                return (
                    _coordinated(after, fs),
                    "the noun after the percentage",
                    "; ".join(c.text for c in after),
                )
            return [], "percentage of another noun", None
        # 0. a count's own noun phrase ("52 dự án FDI", "106/175 xã đạt chuẩn nông thôn mới")
        if q.kind == "count":
            own_end = min(_phrase_end(fs, q.vend), next_start, q.vend + 25)
            own = [
                c
                for c in cues
                if q.number_end <= c.start <= own_end and self._compatible(q, c.code)
            ]
            if own:
                return [own[0].code], "the counted noun's own phrase", own[0].text
        # 1. the last noun phrase before the number that names an indicator
        left = [
            c
            for c in cues
            if c.start >= prev_end and c.end <= q.vstart and self._compatible(q, c.code)
        ]
        if left:
            chosen = _head_of_last_phrase(left, fs, prev_end, cues)
            return [chosen.code], "cue before the number", chosen.text
        # 1b. generic capital words: the capital of the last counted thing
        capital = CAPITAL_CUE.search(window)
        if capital and q.kind == "money":
            for prev in st.last_indicators:
                if prev in CAPITAL_OF and self._compatible(q, CAPITAL_OF[prev]):
                    return [CAPITAL_OF[prev]], "capital of the preceding count", capital.group(0)
        # 2. the noun phrase right after the number ("2% hộ nghèo", "180 doanh nghiệp mới")
        right_end = min(_phrase_end(fs, q.vend), next_start)
        right = [
            c
            for c in cues
            if c.start >= q.number_end and c.start <= right_end and self._compatible(q, c.code)
        ]
        if q.is_pct and PLAN_AFTER.match(fs[q.vend :]):
            right = []
        if right:
            return _coordinated(right, fs), "cue after the number", "; ".join(c.text for c in right)
        # 3. carried from the previous number of the sentence when the clause has no subject
        if st.last_indicators and _subjectless(window):
            codes = [c for c in st.last_indicators if self._compatible(q, c)]
            if codes:
                return codes, "carried from the previous number", None
        # 4. what the counted noun implies
        if q.kind == "count":
            code = self._from_count_noun_checked(q, fs, window, cues)
            if code:
                return [code], "counted noun", q.unit_text
        # 5. a footnote takes the indicator of the sentence carrying its marker
        if frame.parent_indicators and _subjectless(window):
            codes = [c for c in frame.parent_indicators if self._compatible(q, c)]
            if codes:
                return codes[-1:], "footnote parent sentence", None
        # 6. a bare target ("đạt mục tiêu 8-9%") is about the sentence's or paragraph's subject
        if q.is_pct and _target_cue(window):
            for code in (st.first_indicator, self.previous_subject):
                if code and self._compatible(q, code):
                    return [code], "subject of the sentence (bare target)", None
        # 7. a sentence with no subject continues the previous sentence ("Trong đó ...")
        if (
            prev_indicators
            and not st.last_indicators
            and re.match(r"^\s*(?:trong\s+đó|riêng|cụ\s+thể)", fs)
            and _subjectless(re.sub(r"^\s*(?:trong\s+đó|riêng|cụ\s+thể)", "", window))
        ):
            codes = [c for c in prev_indicators if self._compatible(q, c)]
            if codes:
                return codes[:1], "continues the previous sentence", None
        return [], "no indicator cue", None

    def _from_count_noun_checked(
        self, q: Quantity, fs: str, window: str, cues: list[CueMatch]
    ) -> str | None:
        """Like :meth:`_from_count_noun`, but a qualified subset names no indicator."""
        if SUBSET_RE.search(_clause_tail(window)):
            return None
        return self._from_count_noun(q, fs, window, cues)

    def _from_count_noun(
        self, q: Quantity, fs: str, window: str, cues: list[CueMatch]
    ) -> str | None:
        unit = q.unit
        if unit in COUNT_UNIT_DEFAULTS:
            return COUNT_UNIT_DEFAULTS[unit]
        near = window[-60:]
        if unit == "ENTERPRISE":
            if re.search(r"hoạt\s+động\s+trở\s+lại", fs[q.number_end : q.vend + 30]):
                return "resumed_enterprises"
            own_phrase = fs[q.number_end : _phrase_end(fs, q.vend)]
            if re.search(r"thành\s+lập|đăng\s+ký|(?<!\w)mới(?!\w)", near + own_phrase):
                return "new_enterprises"
            if STOCK_NOW.search(near) or re.search(r"(?<!\w)có\s*$|tổng\s+số", near):
                return "enterprises_total"
        if unit == "COOPERATIVE":
            if re.search(r"thành\s+lập|mới", near):
                return "new_cooperatives"
            if STOCK_NOW.search(near) or re.search(r"(?<!\w)có\s*$|tổng\s+số", near):
                return "cooperatives_total"
        if unit == "PROJECT":
            after = fs[q.number_end : q.vend + 40]
            if re.search(r"nước\s+ngoài|fdi", after):
                return "fdi_projects"
            if re.search(r"chủ\s+trương|thu\s+hút|chứng\s+nhận|cấp\s+mới", near):
                return "investment_projects"
        if unit == "PER_10K":
            return "hospital_beds_per_10k" if "giường" in q.unit_text.lower() else "doctors_per_10k"
        if unit == "HEAD":
            animals = [c for c in cues if c.code.startswith("livestock_") and c.end <= q.vstart]
            return animals[-1].code if animals else None
        return None

    def _compatible(self, q: Quantity, code: str) -> bool:
        ind = self.catalogue.get(code)
        if ind is None:
            return False
        u = ind.unit
        if q.kind in ("pct", "times", "rank"):
            return True
        if q.kind == "pp":
            return True
        if q.kind == "money":
            if q.unit == "VND":
                return u in ("VND_BN", "VND_MN")
            return u in ("USD_MN", "USD")
        if q.kind == "count":
            if q.unit == u or u in SAME_COUNT.get(q.unit, ()):
                return True
            if q.unit == "COMMUNE" and u == "PCT":
                return False
            if q.unit == "RANK":
                return u == "RANK"
            return False
        # bare numbers and fractions: counts, indices, ranks
        return u not in ("VND_BN", "VND_MN", "USD_MN", "USD", "PCT") or (
            q.kind == "fraction" and u == "RANK"
        )

    # -- fields -----------------------------------------------------------------------------
    def _build(
        self,
        p: Paragraph,
        a: int,
        s: str,
        fs: str,
        q: Quantity,
        prev_end: int,
        periods: list[PeriodMention],
        frame: Frame,
        st: SentenceState,
        ind: Indicator | None,
        ev: dict[str, object],
        plain_window: str,
    ) -> Observation | None:
        window = fs[prev_end : q.vstart]
        right = fs[q.vend : _phrase_end(fs, q.vend)]
        # ---- direction and measure
        # the last change verb of the number's own clause; "giảm từ", "tăng lên" introduce
        # a level, not a change
        verb = _last_match(CHANGE_VERB, _clause_tail(plain_window))
        direction = 0
        if verb is not None and not verb.group("level"):
            direction = (
                -1
                if (verb.group("dir") and "giảm" in verb.group("dir")) or verb.group("down")
                else 1
            )
        comparison = _parenthetical_comparison(window)
        if comparison and st.last_measure:
            measure, measure_cue, direction = st.last_measure, "value compared in brackets", 0
        else:
            measure, measure_cue = self._measure(
                q, ind, window, plain_window, right, fs, st, direction
            )
        if measure in (
            "level",
            "share_pct",
            "pct_of_plan",
            "rank",
            "multiple_of_base",
            "contribution_pp",
        ):
            direction = 0 if measure != "contribution_pp" else direction
        ev["measure_cue"] = measure_cue
        if q.is_pct and measure == "level" and ind is not None and not ind.is_rate:
            # a percentage that is neither a change, a share nor a plan ratio of an
            # amount: what it measures is not said
            ev["indicator_rule"] = f"percentage of {ind.code} with no measure cue: unassigned"
            ind = None
        # ---- period
        period, period_cue, target_period, own = self._period(
            q, fs, periods, frame, st, measure, ind, window
        )
        if measure in ("avg_annual_growth_pct", "avg_annual_change_abs"):
            per_year = q.per == "năm" or PER_YEAR.search(plain_window) is not None
            if not (per_year or (period and period.grain == "years") or (st.per_year and not own)):
                measure = "yoy_pct" if measure == "avg_annual_growth_pct" else "change_abs"
                measure_cue = "bình quân over a single period: year-on-year"
                ev["measure_cue"] = measure_cue
            elif period is not None and period.grain != "years":
                multi = self._multi_year_context(frame, period.end.year)
                period_cue = f"{period_cue} → {multi.code} (annual average over the plan period)"
                period = multi
        if period is None:
            ev["period_rule"] = "no period in text or context"
            return None
        ev["period_cue"] = period_cue
        # ---- base period
        base, base_cue = self._base(q, fs, periods, period, measure, ind, st)
        if measure == "change_pct" and base is None:
            measure = "yoy_pct"
        if base is not None and measure == "yoy_pct":
            if base != period.shifted_years(-1):
                measure = "change_pct"
            else:
                base = None
        ev["base_cue"] = base_cue
        # ---- status
        status, status_cue = self._status(q, fs, period, frame, ind, window, target_period, st)
        ev["status_cue"] = status_cue
        if status == "target" and not own and re.search(r"đại\s+hội|nhiệm\s+kỳ", window):
            period = term_containing(period.end.year)
            ev["period_rule"] = "a congress-resolution target covers the congress term"
        if (
            status == "target"
            and period.grain in ("quarter", "half", "month", "months", "days")
            and not target_period
        ):
            period = Period.year(period.end.year)
            ev["period_rule"] = "a target for the year of a shorter context period"
        # ---- geo
        geo, geo_cue = self._geo(window, fs, q)
        ev["geo_cue"] = geo_cue
        # ---- value and unit
        unit, factor = _unit_and_factor(q, ind, measure)
        value = q.value * factor
        low = q.low * factor if q.low is not None else None
        high = q.high * factor if q.high is not None else None
        qualifier = q.qualifier
        sign = (
            -1
            if direction < 0
            and measure not in ("level", "share_pct", "pct_of_plan", "multiple_of_base", "rank")
            else 1
        )
        if sign < 0:
            value = -value
            low, high = (-high if high is not None else None), (-low if low is not None else None)
            qualifier = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}.get(
                qualifier, qualifier
            )
        if qualifier in ("gt", "gte"):
            low, high = value, None
        elif qualifier in ("lt", "lte"):
            low, high = None, value
        elif qualifier not in ("range",):
            low = high = None
        raw_start, raw_end = _raw_span(p, a, q, self.doc.layout.text)
        qs, qe = p.raw_span(a, a + len(s))
        quote = re.sub(r"\s+", " ", s).strip()
        return Observation(
            span_start=raw_start,
            span_end=raw_end,
            mention=self.doc.layout.text[raw_start:raw_end],
            indicator_code=ind.code if ind else None,
            geo_code=geo,
            period=period,
            base_period=base,
            measure=measure,
            value=_round(value),
            value_low=_round(low),
            value_high=_round(high),
            qualifier=qualifier,
            unit=unit,
            status=status,
            quote_start=qs,
            quote_end=qe,
            quote=quote,
            evidence=ev,
        )

    def _measure(
        self,
        q: Quantity,
        ind: Indicator | None,
        window: str,
        plain_window: str,
        right: str,
        fs: str,
        st: SentenceState,
        direction: int,
    ) -> tuple[str, str | None]:
        rate = bool(ind and ind.is_rate)
        tail = plain_window[-40:]
        if q.kind == "times" or MULTIPLE.search(window):
            return "multiple_of_base", "gấp … lần"
        if q.kind == "rank":
            return "rank", "xếp thứ/hạng"
        if q.kind == "fraction" and ind and ind.unit == "RANK":
            return "rank", "N/M"
        if q.kind == "pp":
            if CONTRIBUTION.search(fs[max(0, q.vstart - 80) : q.vend + 40]):
                return "contribution_pp", "đóng góp … điểm phần trăm"
            return "change_abs", q.unit_text
        if q.kind == "count" and q.unit == "RANK" and direction:
            return "change_abs", "tăng/giảm … bậc"
        if q.is_pct:
            if PLAN_AFTER.match(right):
                return "pct_of_plan", "% " + PLAN_AFTER.match(right).group(0).strip()
            if SHARE_VERB.search(tail) and not direction:
                return ("level", "chiếm (rate indicator)") if rate else ("share_pct", "chiếm")
            changing = direction != 0 or (st.growth and not rate)
            if changing:
                average = st.average or AVERAGE.search(plain_window) is not None
                per_year = q.per == "năm" or PER_YEAR.search(plain_window) is not None
                if rate:
                    if q.per == "năm" or (average and (per_year or st.per_year)):
                        return "avg_annual_change_abs", "giảm/tăng … %/năm (rate)"
                    return "change_abs", "tăng/giảm … % (rate: percentage points)"
                if average:
                    return "avg_annual_growth_pct", "bình quân (hằng năm)"
                return "yoy_pct", "tăng/giảm … %" if direction else "tốc độ tăng trưởng"
            if st.share and not rate:
                return "share_pct", "cơ cấu/tỷ trọng"
            if rate:
                return "level", "rate indicator"
            if st.last_measure and st.last_measure not in ("level",):
                return st.last_measure, "same measure as the previous number"
            if ind is not None and _target_cue(window):
                # "đạt mục tiêu 8-9%": a growth target
                return "yoy_pct", "percentage target of a non-rate indicator: growth"
            return "level", None
        if (
            direction
            and q.kind in ("money", "count", "bare")
            and re.search(r"(?:tăng|giảm)(?:\s+(?:thêm|hơn|trên|khoảng))?\s*$", tail)
        ):
            return "change_abs", "tăng/giảm " + q.unit_text
        return "level", None

    def _period(
        self,
        q: Quantity,
        fs: str,
        periods: list[PeriodMention],
        frame: Frame,
        st: SentenceState,
        measure: str,
        ind: Indicator | None,
        window: str,
    ) -> tuple[Period | None, str | None, bool, bool]:
        """(period, the words that gave it, stated right after a target, stated in the
        number's own clause)."""
        chosen: PeriodMention | None = None
        # closest reference period before the number, not inside closed brackets
        for pm in periods:
            if pm.end > q.vstart:
                break
            if not self._is_ref(pm, fs) or _inside_closed_brackets(fs, pm.start, q.vstart):
                continue
            chosen = pm
        after_target = False
        # a target's period often follows it ("mục tiêu 8-9% năm 2025")
        clause_end = _phrase_end(fs, q.vend, stop_at_verbs=False)
        later = [
            pm
            for pm in periods
            if q.vend <= pm.start < clause_end and self._is_ref(pm, fs) and pm.period is not None
        ]
        window_has_period = chosen is not None and chosen.start >= _window_start(fs, q, periods)
        adjacent = [pm for pm in later if not fs[q.vend : pm.start].strip() and not pm.horizon]
        if adjacent and measure != "multiple_of_base":
            # "giảm từ 7,88% năm 2020 xuống còn 1,36% năm 2025": the year names the number
            chosen, window_has_period = adjacent[0], True
        elif later and (not window_has_period) and (_target_cue(window) or chosen is None):
            chosen, after_target = later[0], True
        elif (
            st.carried
            and st.last_period is not None
            and not (chosen is not None and chosen.start >= q.vstart - len(window))
        ):
            return st.last_period, "(period of the number it continues)", False, False
        period: Period | None = None
        cue = None
        if chosen is not None:
            period, cue = self._resolve(chosen, frame), chosen.text
        if period is None:
            for label, candidate in (
                ("paragraph", frame.carried_period),
                ("section heading", frame.heading_period),
                ("document title/lead", self.doc.period),
            ):
                if candidate is not None:
                    period, cue = candidate, f"({label})"
                    break
        if period is None and self.doc.published:
            period, cue = Period.year(self.doc.published.year), "(publication year)"
        if period is None:
            return None, None, False, False
        own = chosen is not None and chosen.start >= _window_start(fs, q, periods)
        # adjustments
        if measure in ("avg_annual_growth_pct", "avg_annual_change_abs"):
            pass
        elif (
            measure == "level"
            and ind is not None
            and ind.is_rate
            and period.grain == "years"
            and not own
            and not self._target_context(window, frame)
        ):
            period = Period.year(period.end.year)
            cue = f"{cue} (a rate is measured at the end of the period)"
        elif (chosen is not None and chosen.kind == "now") or (
            ind is not None
            and ind.code in STOCKS
            and period.grain == "years"
            and (STOCK_NOW.search(window) or chosen is None or chosen.kind != "explicit")
        ):
            period = Period.year(period.end.year)
            cue = f"{cue} (stock at the end of the period)"
        elif chosen is not None and chosen.stock:
            period = Period.year(period.end.year)
        return period, cue, after_target, own

    def _target_context(self, window: str, frame: Frame) -> bool:
        return bool(_target_cue(window) or frame.heading_target)

    def _resolve(self, pm: PeriodMention, frame: Frame) -> Period | None:
        if pm.period is not None:
            return pm.period
        context = (
            frame.sentence_period or frame.carried_period or frame.heading_period or self.doc.period
        )
        if pm.kind == "n_years":
            for multi in reversed(self.multi_year_seen):
                if multi.n_years == pm.n:
                    return multi
            end_year = context.end.year if context else self.doc.year
            return Period.years(end_year - (pm.n or 1) + 1, end_year) if end_year else None
        if pm.kind in ("whole_period", "term"):
            if context and context.grain == "years":
                return context
            year = context.end.year if context else self.doc.year
            return term_containing(year) if year else None
        year = context.end.year if context else self.doc.year
        if pm.kind in ("now", "this_year"):
            return Period.year(year) if year else None
        if pm.kind == "next_year":
            return Period.year(year + 1) if year else None
        return None

    def _multi_year_context(self, frame: Frame, year: int) -> Period:
        for candidate in (
            frame.carried_period,
            frame.heading_period,
            self.doc.plan_period,
            self.doc.period,
        ):
            if (
                candidate is not None
                and candidate.grain == "years"
                and candidate.start.year <= year <= candidate.end.year
            ):
                return candidate
        for multi in reversed(self.multi_year_seen):
            if multi.start.year <= year <= multi.end.year:
                return multi
        return term_containing(year)

    def _base(
        self,
        q: Quantity,
        fs: str,
        periods: list[PeriodMention],
        period: Period,
        measure: str,
        ind: Indicator | None,
        st: SentenceState,
    ) -> tuple[Period | None, str | None]:
        if measure not in ("change_pct", "yoy_pct", "change_abs", "multiple_of_base"):
            return None, None
        clause_end = _phrase_end(fs, q.vend, stop_at_verbs=False)
        # "giảm 45 trường, 125 điểm trường so với năm 2020": the comparison closing a
        # list of counts applies to every item of the list
        listed = COORDINATED_COUNTS_THEN_BASE.match(fs, q.vend)
        base_from = listed.end(1) if listed else q.vend
        if listed:
            clause_end = max(clause_end, _phrase_end(fs, base_from, stop_at_verbs=False))
        for pm in periods:
            if not (q.vend <= pm.start <= clause_end + 2):
                continue
            before = fs[base_from : pm.start]
            if measure == "multiple_of_base":
                if not re.fullmatch(r"\s*(?:lần\s*)?(?:so\s+với\s*)?", before):
                    continue
            elif not re.search(r"so\s+với", before):
                continue
            base = self._base_of(pm, period)
            if base is not None:
                if base != period.shifted_years(-1):
                    st.base = base
                return base, pm.text
        for pm in periods:
            # "so với cùng kỳ giảm 5 vụ": the comparison stated just before the change
            if not (pm.end <= q.vstart <= pm.end + 25):
                continue
            if re.search(r"so\s+với\s*$", fs[max(0, pm.start - 12) : pm.start]) and (
                BASE_THEN_CHANGE.fullmatch(fs, pm.end, q.vstart)
            ):
                base = self._base_of(pm, period)
                if base is not None:
                    return base, f"so với {pm.text}"
        if st.base is not None:
            return st.base, "(base carried from the same sentence)"
        if measure == "change_abs" and ind is not None and ind.is_rate:
            return period.shifted_years(-1), "(previous period)"
        return None, None

    def _base_of(self, pm: PeriodMention, period: Period) -> Period | None:
        if pm.kind in ("same_period_last_year", "previous_year"):
            return period.shifted_years(-1)
        if pm.kind == "start_of_year":
            return Period.year(period.start.year - 1)
        if pm.kind == "previous_month" and period.grain == "month":
            return period.shifted_months(-1)
        if pm.kind == "previous_quarter" and period.grain == "quarter":
            return period.shifted_months(-3)
        if pm.kind == "previous_period":
            return period.previous()
        if pm.period is not None:
            if (
                pm.period.grain == "year"
                and period.grain != "years"
                and pm.period.end.year == period.end.year - 1
            ):
                return period.shifted_years(-1)
            return pm.period
        return None

    def _status(
        self,
        q: Quantity,
        fs: str,
        period: Period,
        frame: Frame,
        ind: Indicator | None,
        window: str,
        target_period: bool,
        st: SentenceState,
    ) -> tuple[str, str | None]:
        m = _target_cue(window)
        if m:
            return "target", m.group(0)
        if st.last_status == "target" and _subjectless(window):
            # "phấn đấu … ít nhất 1 khu công nghiệp và 3 - 4 cụm công nghiệp"
            return "target", "(target carried from the previous number)"
        if frame.heading_target:
            return "target", "(target section heading)"
        head = _target_list_head(fs, q.vstart)
        if st.last_status == "target" and head is not None and not self._is_past(period):
            # "Năm 2025, tỉnh phấn đấu GRDP tăng 12%; thu ngân sách đạt 55.000 tỷ đồng"
            return "target", f"{head} (governs the ';' list)"
        if self._is_future(period):
            return "target", "(period after the document's date)"
        before = fs[: q.vstart]
        est = _last_match(ESTIMATE_CUE, before)
        if est is not None:
            return "estimate", est.group(0)
        pub = self.doc.published
        if pub and period.end >= pub:
            if (
                STOCK_NOW.search(window)
                or (ind and ind.code in PLANS)
                or re.search(r"được\s+[\w\s]{0,40}giao", window)
            ):
                return "actual", "(stock or assignment as of publication)"
            return "estimate", "(period not over at publication)"
        return "actual", None

    def _geo(self, window: str, fs: str, q: Quantity) -> tuple[str, str | None]:
        cut = max(window.rfind(";"), window.rfind(","))
        window = window[cut + 1 :]
        m = _last_match(GEO_NATIONAL, window)
        if m is not None and not re.search(r"của\s+tỉnh|tỉnh\s+(?:đạt|tăng)", window[m.end() :]):
            return "VN", m.group(0)
        provs = [pr for pr in provinces_in(window) if pr[2] != self.doc.geo]
        if provs and not re.search(r"tỉnh\s*$", window[provs[-1][1] :]):
            last = provs[-1]
            between = window[last[1] :]
            if len(between) < 60 and not re.search(r"[;.]", between):
                return last[2], window[last[0] : last[1]]
        return self.doc.geo, None


# -- helpers -------------------------------------------------------------------------------
def _target_list_head(fs: str, pos: int) -> str | None:
    """The target verb of a sentence's first clause when ``pos`` is in a later item of its
    ';'-separated list, and no estimate cue opens that item."""
    first = fs.find(";")
    if first < 0 or first >= pos:
        return None
    m = _target_cue(fs[:first])
    item = fs[fs.rfind(";", 0, pos) + 1 : pos]
    if m is None or ESTIMATE_CUE.search(item):
        return None
    return m.group(0)


def _last_match(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``rx`` in ``text``."""
    last = None
    for last in rx.finditer(text):  # noqa: B007
        pass
    return last


def _merge_heading(base: Paragraph | None, cont: Paragraph) -> Paragraph:
    if base is None:
        return cont
    merged = Paragraph(
        base.index,
        base.kind,
        base.lines + cont.lines,
        vtext=base.vtext + " " + cont.vtext,
        vmap=base.vmap + [base.vmap[-1]] + cont.vmap,
        heading_level=base.heading_level,
    )
    return merged


def _match_cues(fs: str) -> list[CueMatch]:
    found: list[CueMatch] = []
    for cue in CUES:
        if cue.requires is not None and not cue.requires.search(fs):
            continue
        if cue.excludes is not None and cue.excludes.search(fs):
            continue
        for m in cue.pattern.finditer(fs):
            if m.end() > m.start():
                found.append(CueMatch(m.start(), m.end(), cue.code, m.group(0)))
    # longest first, no overlaps
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[CueMatch] = []
    for c in found:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _outside_cues(window: str, offset: int, cues: list[CueMatch]) -> str:
    chars = list(window)
    for c in cues:
        for k in range(max(c.start, offset), min(c.end, offset + len(window))):
            chars[k - offset] = " "
    return "".join(chars)


def _head_of_last_phrase(
    left: list[CueMatch], fs: str, start: int, cues: list[CueMatch]
) -> CueMatch:
    """The first cue of the last noun phrase (phrases end at punctuation and verbs)."""
    plain = _outside_cues(fs[start:], start, cues)

    def phrase_index(pos: int) -> int:
        return len(NP_BOUNDARY.findall(plain[: pos - start]))

    last_phrase = max(phrase_index(c.start) for c in left)
    in_phrase = [c for c in left if phrase_index(c.start) == last_phrase]
    return in_phrase[0]


#: between "so với <period>" and the number it qualifies
BASE_THEN_CHANGE = re.compile(
    r"\s*,?\s*(?:thì\s+)?(?:tăng|giảm|cao\s+hơn|thấp\s+hơn)(?:\s+(?:thêm|được|lên|xuống))?\s*"
)

#: count words that also count another catalogue unit ("45 vụ tai nạn giao thông")
SAME_COUNT = {"CASE": ("ACCIDENT",)}

#: after a count: further ", <number> <noun>" items, then "so với" (group 1 ends the list)
COORDINATED_COUNTS_THEN_BASE = re.compile(
    r"([^\d,;.:()]{0,30}(?:\s*,\s*(?:và\s+)?\d[\d.,]*\s+[^\d,;.:()]{1,30}?)+)(?=\s*so\s+với)"
)


def _phrase_end(fs: str, pos: int, stop_at_verbs: bool = True) -> int:
    rx = r"[,;.:()]|(?<!\w)(?:đạt|tăng|giảm|chiếm|với|là)(?!\w)" if stop_at_verbs else r"[,;.()]"
    m = re.compile(rx).search(fs, pos)
    return min(m.start() if m else len(fs), pos + 90)


def _window_start(fs: str, q: Quantity, periods: list[PeriodMention]) -> int:
    m = _last_match(re.compile(r"[,;(]"), fs[: q.vstart])
    return m.end() if m else 0


def _inside_closed_brackets(fs: str, start: int, until: int) -> bool:
    depth = 0
    for ch in fs[start:until]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return True
    return False


ACHIEVED = re.compile(r"(?<!\w)(?:hoàn\s+thành|đã\s+đạt|đạt\s+được|đã\s+vượt)(?!\w)")
PCT_OF_NOUN = re.compile(r"\s+[a-zà-ỹđ]")
PCT_COMPLEMENT = re.compile(
    r"\s+(?:so\s+với|kế\s+hoạch|dự\s+toán|kh\b|trở\s+(?:lên|xuống)|grdp|tổng|dân\s+số|cùng\s+kỳ|"
    r"năm|mục\s+tiêu|chỉ\s+tiêu|và|hoặc|đến|tới|trong|ở|của|thì|nên|do|nhờ|theo|với|so|vào|"
    r"lên|xuống|còn|là|được|đạt|tăng|giảm|chiếm|bình\s+quân|mỗi|hằng|hàng|cao|thấp|trên|dưới|"
    r"vượt|ước|tương\s+đương|tương\s+ứng|sau|trước|từ|qua|cho|để|nhằm|khi|tại|bởi|vì|như|"
    r"nhưng|mà|đã|sẽ|đang|cũng|vẫn|chỉ|nữa|này|đó|thuộc|bằng|cả|gần|khoảng|hơn|gấp|lần)(?!\w)"
)
VALUE_VERB = re.compile(
    r"(?:đạt|là|có|ước|khoảng|tăng|giảm|thêm|còn|lên|mới|gồm|=|:|xếp\s+thứ|đứng\s+thứ|"
    r"xếp\s+hạng)\s*$"
)


def _is_value(q: Quantity, fs: str) -> bool:
    """A bare number (no unit, no fraction) is a value only after a verb of quantity."""
    if q.kind != "bare" or q.scale != 1.0 or q.denominator is not None or q.low is not None:
        return True
    return bool(VALUE_VERB.search(fs[max(0, q.vstart - 12) : q.vstart]))


def _parenthetical_comparison(window: str) -> bool:
    """ "… cao hơn mức bình quân cả nước (9,53%)": the bracketed number is the compared
    value, stated with the same measure as the number before it."""
    return bool(
        re.search(
            r"(?:cao|thấp|nhiều|ít|lớn|nhỏ)\s+hơn[^,;()]*\(\s*$|so\s+với[^,;()]*\(\s*$", window
        )
    )


def _coordinated(cues: list[CueMatch], fs: str) -> list[str]:
    """The first cue's indicator, plus the next one when joined by "và"
    ("giảm 5% tai nạn giao thông và tội phạm": one number, two indicators)."""
    codes = [cues[0].code]
    for prev, c in zip(cues, cues[1:], strict=False):
        if c.code not in codes and re.fullmatch(r"\s+và\s+", fs[prev.end : c.start]):
            codes.append(c.code)
        else:
            break
    return codes


def _target_cue(text: str) -> re.Match[str] | None:
    """The first target word of ``text`` that is not part of a programme's name
    ("chương trình mục tiêu quốc gia")."""
    for m in TARGET_CUE.finditer(text):
        if re.search(r"chương\s+trình\s*$", text[: m.start()]):
            continue
        if re.match(r"mục|chỉ", m.group(0)) and ACHIEVED.search(text[m.end() : m.end() + 40]):
            continue  # "các mục tiêu … cơ bản hoàn thành": targets met, values are results
        return m
    return None


def _clause_tail(window: str) -> str:
    """The part of ``window`` after its last clause punctuation."""
    cut = max(window.rfind(ch) for ch in ",;:(")
    return window[cut + 1 :] if cut >= 0 else window


def _subjectless(window: str) -> bool:
    """The clause before a number has no subject of its own ("…, tăng 24,8%")."""
    return bool(SUBJECTLESS.match(_strip_periods(_clause_tail(window))))


def _strip_periods(window: str) -> str:
    return re.sub(
        r"(?:năm|quý|tháng)\s+[\divx/]+(?:\s*[-–]\s*\d{4})?|giai\s+đoạn\s+[\d\s\-–]+|"
        r"\d{4}",
        " ",
        window,
    )


def _unit_and_factor(q: Quantity, ind: Indicator | None, measure: str) -> tuple[str, float]:
    if measure in ("yoy_pct", "change_pct", "avg_annual_growth_pct", "share_pct", "pct_of_plan"):
        return "PCT", 1.0
    if measure in ("contribution_pp", "avg_annual_change_abs"):
        return "PP", 1.0
    if measure == "multiple_of_base":
        return "TIMES", 1.0
    if measure == "rank":
        return "RANK", 1.0
    if measure == "change_abs" and q.kind in ("pct", "pp"):
        return "PP", 1.0
    target = ind.unit if ind else _natural_unit(q)
    if q.kind == "money":
        # q.scale turns the written number into đồng or dollars
        per_unit = {"VND_BN": 1e9, "VND_MN": 1e6, "USD_MN": 1e6, "USD": 1.0}[target]
        return target, q.scale / per_unit
    if q.kind == "pct":
        return "PCT", 1.0
    return target, q.scale


def _natural_unit(q: Quantity) -> str:
    if q.kind == "money":
        if q.unit == "USD":
            return "USD_MN" if q.scale >= 1e6 else "USD"
        return "VND_BN" if q.scale >= 1e9 else "VND_MN"
    if q.kind == "pct":
        return "PCT"
    if q.kind == "count" and q.unit:
        return q.unit
    return ""


def _raw_span(p: Paragraph, a: int, q: Quantity, text: str) -> tuple[int, int]:
    start = p.vmap[a + q.vstart]
    num_end = p.vmap[a + q.number_end - 1] + 1
    end = p.vmap[a + q.vend - 1] + 1
    newline = text.find("\n", num_end, end)
    if newline != -1:
        end = newline
    while end > num_end and text[end - 1].isspace():
        end -= 1
    return start, end


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _dedupe(observations: list[Observation]) -> list[Observation]:
    seen: set[tuple] = set()
    out = []
    for o in observations:
        key = (o.span_start, o.span_end, o.indicator_code, o.measure)
        if key in seen:
            continue
        seen.add(key)
        out.append(o)
    return out
