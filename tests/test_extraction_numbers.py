"""Quantities (orchestration.extraction.numbers): Vietnamese and English number styles,
thousands groups with any space, units and scale words, bounds, ranges and fractions,
what is not a quantity, and numbers that are too long, hidden or foreign (issue 11)."""

from __future__ import annotations

import math
import re

import pytest

from orchestration.extraction.numbers import (
    MAX_DIGITS,
    NumberTooLargeError,
    english_style,
    find_quantities,
    parse_number,
)
from orchestration.extraction.reader import _identifier
from orchestration.extraction.text import fold
from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import extract, one, reading


@pytest.mark.parametrize(("written", "value"), [
    ("4.215", 4215), ("18.063,8", 18063.8), ("58,3", 58.3), ("1.774.002", 1774002),
    ("0,45", 0.45), ("312", 312), ("12 450", 12450), ("18 063,8", 18063.8),
    ("68.58", 68.58), ("4.5", 4.5),  # a dot before one or two digits: a decimal point
    ("007", 7),
])
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


def test_english_thousands_only_in_an_english_text() -> None:
    assert parse_number("5,800", english=True) == 5800
    assert parse_number("5,800") == pytest.approx(5.8)
    assert parse_number("12,5", english=True) == pytest.approx(12.5)


def test_a_text_is_english_style_only_without_vietnamese_numbers() -> None:
    assert english_style("Exports hit 1.62 tỷ USD, up 3.6%, from 5,800 firms")
    assert not english_style("đạt 1.62 tỷ USD, tăng 3.6% và 8,06%")  # 8,06: Vietnamese
    assert not english_style("đạt 1.62 tỷ USD và 12.450 doanh nghiệp")
    assert not english_style("only one decimal: 3.6%")


def test_digit_strings_longer_than_max_digits_are_refused() -> None:
    assert parse_number("9" * MAX_DIGITS) == float("9" * MAX_DIGITS)
    assert parse_number("0" * 30 + "12") == 12  # leading zeros are not significant
    for too_long in ("9" * (MAX_DIGITS + 1), ".".join(["999"] * 200), "7" * 400,
                     "7" * 400 + ",5"):
        with pytest.raises(NumberTooLargeError):
            parse_number(too_long)


def quantities(text: str, english: bool = False) -> list[tuple]:
    return [(q.text, q.value, q.kind, q.unit, q.qualifier)
            for q in find_quantities(fold(text), _identifier(), english)]


def only(text: str):
    qs = find_quantities(fold(text), _identifier())
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


def _quantity_written(text: str, mention: str):
    """The quantity of ``text`` written ``mention``."""
    every = find_quantities(fold(text), _identifier())
    found = [q for q in every if text[q.start:q.end] == mention]
    assert len(found) == 1, [text[q.start:q.end] for q in every]
    return found[0]


@pytest.mark.parametrize("phrase", sorted(S.UNIT_SENTENCES))
def test_every_unit_word_after_a_number(phrase: str) -> None:
    text, mention, unit = S.UNIT_SENTENCES[phrase]
    q = _quantity_written(text, mention)
    assert q.unit == unit
    assert q.kind == {"VND": "money", "USD": "money", "PCT": "pct", "PP": "pp",
                      "TIMES": "times"}.get(unit, "count")


@pytest.mark.parametrize("phrase", sorted(S.SCALE_SENTENCES))
def test_every_scale_word_multiplies(phrase: str) -> None:
    text, mention, factor = S.SCALE_SENTENCES[phrase]
    assert _quantity_written(text, mention).scale == factor


def test_the_span_runs_to_the_unit_and_a_per_unit() -> None:
    assert only("đạt 78,2 triệu đồng/người/năm").text == "78,2 triệu đồng/người"
    assert only("đạt 78,2 triệu đồng/người").per == "người"
    assert only("tăng bình quân 6,5%/năm").per == "năm"
    assert only("có 9,8 bác sĩ trên 1 vạn dân").text == "9,8 bác sĩ trên 1 vạn dân"


@pytest.mark.parametrize("phrase", sorted(S.QUALIFIER_SENTENCES))
def test_every_bound_and_approximation(phrase: str) -> None:
    text, mention, qualifier = S.QUALIFIER_SENTENCES[phrase]
    assert _quantity_written(text, mention).qualifier == qualifier


def test_a_number_without_a_bound_is_exact() -> None:
    assert only("tăng 4,7% so với cùng kỳ").qualifier == "eq"


@pytest.mark.parametrize(("text", "span", "low", "high", "unit"), [
    ("tăng 10 - 11%", "10 - 11%", 10, 11, "PCT"),
    ("từ 6% đến 7%", "6% đến 7%", 6, 7, "PCT"),
    ("từ 2.300 đến 3.300 ha", "2.300 đến 3.300 ha", 2300, 3300, "HA"),
    ("khoảng 12 - 15 nghìn tấn", "12 - 15 nghìn tấn", 12, 15, "TONNE"),
    ("tăng 3 – 3,5 điểm phần trăm", "3 – 3,5 điểm phần trăm", 3, 3.5, "PP"),
])
def test_ranges_take_both_ends_and_the_midpoint(text: str, span: str, low: float, high: float,
                                                unit: str) -> None:
    q = only(text)
    assert (q.text, q.low, q.high, q.value, q.qualifier, q.unit) == (
        span, low, high, (low + high) / 2, "range", unit)


def test_a_falling_pair_is_not_a_range() -> None:
    assert all(q[4] != "range" for q in quantities("giảm từ 12% xuống 9%"))


def test_fractions_keep_their_denominator() -> None:
    q = only("có 126/162 xã đạt chuẩn nông thôn mới")
    assert (q.text, q.value, q.denominator, q.unit) == ("126/162 xã", 126, 162, "COMMUNE")
    q = only("xếp thứ 12/63 tỉnh")
    assert (q.value, q.denominator) == (12, 63)


@pytest.mark.parametrize("text", [
    "Nghị quyết số 15/NQ-HĐND", "tại kỳ họp thứ 24", "mốc 321 - 322", "tại Km 45+300",
    "ngày 27/8/2023", "sáng 10/12", "chuẩn Euro 4",
])
def test_identifiers_and_dates_are_not_quantities(text: str) -> None:
    assert quantities(text) == []


@pytest.mark.parametrize("word", sorted(S.IDENTIFIER_SENTENCES))
def test_a_number_after_an_identifier_word_is_not_an_observation(word: str) -> None:
    text = S.IDENTIFIER_SENTENCES[word]
    m = re.search(rf"(?<!\w){re.escape(word)}\.?\s*(\d+)", text, re.IGNORECASE)
    assert m, "the text writes the word before a number"
    obs = extract(text)
    assert obs, "the text's own figures are read"
    assert not [o for o in obs if o.span_start <= m.start(1) < o.span_end], [
        o.mention for o in obs]


def test_list_markers_are_not_quantities() -> None:
    assert [q[0] for q in quantities("(2) Tổng thu ngân sách tăng 8,4%")] == ["8,4%"]


@pytest.mark.parametrize(("written", "value"), [
    ("12 450", 12450), ("18 063,8", 18063.8), ("1 250 400", 1250400),
])
def test_a_plain_space_between_three_digit_groups_groups_thousands(written: str,
                                                                  value: float) -> None:
    q = only(f"có {written} doanh nghiệp")
    assert (q.text, q.value) == (f"{written} doanh nghiệp", value)


def test_a_space_before_a_group_that_is_not_three_digits_separates_numbers() -> None:
    assert [q[1] for q in quantities("gồm 12 3456 tấn và 1 23 ha")] == [12, 3456, 1, 23]


def test_english_decimals_and_thousands_in_an_english_text() -> None:
    assert quantities("đạt 68.58 tỷ USD, tăng 3.6%", english=True) == [
        ("68.58 tỷ usd", 68.58, "money", "USD", "eq"), ("3.6%", 3.6, "pct", "PCT", "eq")]
    assert quantities("có 5,800 doanh nghiệp", english=True)[0][1] == 5800


# ---------------------------------------------------------------- through the extractor


def _budget(written: str) -> str:
    return S.SON_LA_BUDGET_TEMPLATE.format(written)


THOUSANDS = {
    "dot": "18.063,8", "no-break space": "18\u00a0063,8", "thin space": "18\u2009063,8",
    "narrow no-break space": "18\u202f063,8", "plain space": "18 063,8",
}
INVISIBLE = {
    "zero-width space": "18.0\u200b63,8", "zero-width joiner": "18.06\u200d3,8",
    "zero-width non-joiner": "1\u200c8.063,8", "word joiner": "18.063\u2060,8",
    "soft hyphen": "18.063,\u00ad8", "left-to-right mark": "18.063,8\u200e",
}


@pytest.mark.parametrize("written", [*THOUSANDS.values(), *INVISIBLE.values(),
                                     "１８．０６３，８"],
                         ids=[*THOUSANDS, *INVISIBLE, "fullwidth"])
def test_a_number_written_any_way_reads_the_same(written: str) -> None:
    text = _budget(written)
    obs = extract(text, S.SON_LA_PUBLISHED)
    level = [o for o in obs if o.measure == "level"]
    assert len(level) == 1
    o = level[0]
    assert reading(o) == ("budget_revenue", "level", "2024-S1", "actual", 18063.8, "VND_BN",
                          "VN-05")
    assert o.mention.startswith(written.rstrip("\u200e"))
    assert text[o.span_start:o.span_end] == o.mention  # the stored text, marks and all


def test_fullwidth_percent_reads_as_percent() -> None:
    obs = extract(S.HA_NAM_FULLWIDTH_GROWTH, S.HA_NAM_FULLWIDTH_PUBLISHED)
    o = one(obs, "７，２％")
    assert reading(o)[:5] == ("grdp", "yoy_pct", "2024-Q1", "actual", 7.2)


@pytest.mark.parametrize("digits", ["١٨٠٦٣", "१८०६३", "\U0001d7cf\U0001d7d6\U0001d7ce\U0001d7d4"],
                         ids=["arabic-indic", "devanagari", "math-bold"])
def test_digits_of_other_scripts_are_not_read(digits: str) -> None:
    obs = extract(_budget(digits), S.SON_LA_PUBLISHED)
    assert [o.measure for o in obs] == ["yoy_pct"]  # only the 9,1% of the same sentence
    assert all(digits not in o.mention for o in obs)


@pytest.mark.parametrize("huge", [".".join(["999"] * 200), "7" * 400, "7" * 400 + ",5",
                                  "1" + "0" * 40 + " nghìn tỷ"],
                         ids=["200 groups", "400 digits", "400 digits decimal", "41 digits"])
def test_a_huge_number_is_refused_and_the_document_keeps_its_other_numbers(huge: str) -> None:
    text = S.HUGE_NUMBER_TEMPLATE.format(huge)
    obs = extract(text, S.SON_LA_PUBLISHED)  # never raises
    assert all(math.isfinite(o.value) and huge not in o.mention for o in obs)
    o = one(obs, "12.450 tỷ đồng")
    assert reading(o) == ("social_investment", "level", "2024-S1", "actual", 12450.0, "VND_BN",
                          "VN-05")
    assert one(obs, "8,7%").indicator_code == "social_investment"


def test_the_largest_number_read_stays_finite_whatever_its_scale() -> None:
    obs = extract(S.LARGEST_NUMBER, S.SON_LA_PUBLISHED)
    assert len(obs) == 1
    assert math.isfinite(obs[0].value) and obs[0].value == pytest.approx(9.99999999999999e20)


def test_spans_index_the_stored_text_through_dropped_characters() -> None:
    text = S.BIDI_MARKED_REPORT
    obs = extract(text, S.BIDI_MARKED_PUBLISHED)
    assert sorted(o.mention for o in obs) == sorted(["1.\u200b245 tỷ đồng", "12,4%",
                                                     "3\u2009210 tỷ đồng"])
    for o in obs:
        assert text[o.span_start:o.span_end] == o.mention
        assert o.quote_start <= o.span_start < o.span_end <= o.quote_end


@pytest.mark.parametrize("folder", ["raw", "tests/fixtures/dev/docs"])
def test_every_span_of_the_seeds_and_the_development_set_indexes_the_stored_text(
        folder: str) -> None:
    from orchestration.ingest import scan_raw_folder
    from tests.fixtures.gold_scoring import ROOT

    docs = scan_raw_folder(ROOT / folder).documents
    assert docs
    for doc in docs:  # extract() checks spans, digits, finite values and quotes
        extract(doc.text, doc.published_date, source_id=doc.source_id)


def test_respectively_is_not_a_multiple_and_a_bare_usd_names_no_indicator():
    """"lần lượt" (respectively) after a number is not "lần" (times); "USD", the unit in
    the catalogue name "GRDP bình quân đầu người (USD)", is no name of that indicator, so
    an amount after "và" keeps the subject of the list."""
    found = extract(S.EXPORT_RANKING, S.EXPORT_RANKING_PUBLISHED)
    assert not [o for o in found if o.unit == "TIMES"], [o.mention for o in found]
    by_mention = {o.mention: o for o in found}
    for amount in ("6,12 tỷ USD", "5,04 tỷ USD"):
        assert by_mention[amount].indicator_code == "export_turnover", amount
        assert by_mention[amount].unit == "USD_MN"
    assert not [o for o in found if o.indicator_code == "grdp_per_capita_usd"]


def test_our_country_is_national_and_to_the_end_of_a_month_this_year_is_year_to_date():
    """"nước ta" names the country; "tính đến hết tháng 11 năm nay" is January to
    November of the publication year (it used to split into the month and "năm nay")."""
    found = {o.mention: o for o in extract(S.NATIONAL_IMPORTS, S.NATIONAL_IMPORTS_PUBLISHED)}
    for mention in ("402,7 tỷ USD", "15,4%"):
        o = found[mention]
        assert o.indicator_code == "import_turnover", mention
        assert o.geo_code == "VN", mention
        assert o.period.code == "2025-01/2025-11", mention
