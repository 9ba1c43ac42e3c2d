"""Regular expressions written for speed match exactly what their plain forms match.

A few patterns scanned over whole paragraphs start with the text they need (a digit,
"và", the letters of a spelling) and check what stands before it with a look-behind
placed after that text, so that the regular-expression engine jumps to each candidate
instead of trying every position. These tests hold them to the plain form they replace
(look-behind first), on chosen cases and on seeded random strings.
"""

from __future__ import annotations

import random
import re

import pytest

from orchestration.extraction import numbers, period_grammar, reader, structure, text
from orchestration.extraction.text import UPPER

PLAIN = {
    "number": (numbers.NUM_RE, re.compile(rf"(?<![\w.,/+:])(?:{numbers._NUM})")),
    "year": (period_grammar._YEAR_RE, re.compile(rf"(?<![0-9])({period_grammar.YEAR})(?![0-9])")),
    "và": (reader._AND, re.compile(r"(?<!\w)và(?!\w)")),
    "tỉ": (text._TI_RE, re.compile(r"(?<!\w)tỉ(?!\w)")),
    "day/month": (period_grammar._ANCHORS["day_month"], re.compile(r"[0-9]{1,2}\s*[/-]\s*[0-9]")),
    "footnote marker": (structure._MARKER_DIGITS, re.compile(r"(?P<n>\d{1,3})(?=[\s.,;:)…]|$)")),
    "sentence end": (
        structure._SENTENCE_END,
        re.compile(rf"[.!?…]+[\"”’)]*(?=\s+(?:[\"“(\-–]?\s*[{UPPER}\d]))"),
    ),
    **{
        f"tone {old}": (fast, re.compile(f"(?<!q){old}(?![a-zà-ỹđ])"))
        for old, fast, _ in text._TONE_SUBS
    },
}

CASES = [
    "18.063,8 tỷ đồng, 1.205 ha, 18 063,8 và 8,06% hay 68.58 hoặc 2024",
    "x2024 12024 20245 /2024 .2024 ,2024 +5 :5 a5 5",
    "năm 2020-2025; 1999/2000; 2019 2020",
    "vàng và và, vàvà (và) tỉ tỉnh tỉ lệ 3 tỉ đồng",
    "tăng 6,79%1, cao2. Trang 12345, 27/8 và 1 / 2; Năm! Tháng?! “Quý” (1) ... Đạt.) 5",
    "hoá quá qoá thuỷ uỷ ban hoàn toàn hoạch",
    "",
    "5",
]


def _spans(rx: re.Pattern[str], s: str, pos: int = 0) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in rx.finditer(s, pos)]


def _random_strings(n: int) -> list[str]:
    rng = random.Random(20240501)
    pieces = list("0123456789.,/+: -–avàtỉqoáĐ%()\n!?…”") + ["19", "20", "và", "tỉ", "oá", "uỷ"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 20))) for _ in range(n)]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_fast_pattern_matches_what_its_plain_form_matches(name: str) -> None:
    fast, plain = PLAIN[name]
    for s in CASES + _random_strings(3000):
        for pos in {0, len(s) // 2, len(s)}:
            assert _spans(fast, s, pos) == _spans(plain, s, pos), (name, s, pos)
        m_fast, m_plain = fast.match(s, len(s) // 3), plain.match(s, len(s) // 3)
        assert (m_fast and m_fast.span()) == (m_plain and m_plain.span()), (name, s)


WINDOW_TEXTS = [
    "giai đoạn 2021 - 2025, 5 năm 2016-2020, từ năm 2019 đến năm 2023, nhiệm kỳ 2020 – 2025",
    "trong 3 năm qua, sau mười một năm, hai năm tới, 12 năm 2024, năm 2030",
    "tính đến ngày 30/11/2025, đến hết 15/12, lũy kế từ đầu năm đến ngày 25/10, tới 4/5/2024",
    "năm 2019 2020 - x2021-2022 và 1999—2000 đến 2001; 2024   -   2025",
]


@pytest.mark.parametrize("kind", sorted(period_grammar._WINDOW_NEEDS))
def test_every_match_of_an_anchored_pattern_holds_its_window_needs(kind: str) -> None:
    """A window is skipped when ``_WINDOW_NEEDS[kind]`` is not in it: that is exact only
    if every match of the pattern holds it."""
    from tests.fixtures.extraction_sentences import all_sentences

    rx = dict((k, r) for k, r, _ in period_grammar._COMPILED)[kind]
    needs = period_grammar._WINDOW_NEEDS[kind]
    anchor_rx = period_grammar._ANCHORS[period_grammar._ANCHORED[kind][0]]
    found = 0
    for s in WINDOW_TEXTS + [text.fold(t) for t in all_sentences().values()]:
        for m in rx.finditer(s):
            assert needs.search(m.group(0)), (kind, m.group(0))
            found += 1
        anchors = [m.start() for m in anchor_rx.finditer(s)]
        lead = period_grammar._LEAD[kind]
        with_needs = [m.span() for m in period_grammar._near(rx, s, anchors, lead, needs)]
        assert with_needs == [m.span() for m in period_grammar._near(rx, s, anchors, lead)]
    assert found >= 3  # (the texts hold matches of the pattern)
