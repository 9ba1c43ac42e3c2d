"""The phrase notation of the word lists and the one-pass trie matcher
(orchestration.extraction.phrases)."""

from __future__ import annotations

import pytest

from orchestration.extraction.phrases import GAP, PhraseMatcher, PhraseSyntaxError, expand
from orchestration.extraction.text import fold


def test_alternatives_and_options_expand_to_every_word_sequence() -> None:
    assert sorted(expand("thu {ngân sách|nội địa} [nhà nước]")) == sorted([
        ("thu", "ngân", "sách", "nhà", "nước"), ("thu", "ngân", "sách"),
        ("thu", "nội", "địa", "nhà", "nước"), ("thu", "nội", "địa"),
    ])


def test_nested_brackets_and_folding() -> None:
    assert sorted(expand("Kim ngạch [xuất {khẩu|nhập khẩu}]")) == sorted([
        ("kim", "ngạch"), ("kim", "ngạch", "xuất", "khẩu"),
        ("kim", "ngạch", "xuất", "nhập", "khẩu"),
    ])
    assert expand("Khu vực Dịch Vụ") == [("khu", "vực", "dịch", "vụ")]


def test_commas_and_dashes_inside_a_phrase_are_word_separators() -> None:
    assert expand("nông, lâm nghiệp - thủy sản") == [("nông", "lâm", "nghiệp", "thủy", "sản")]


def test_a_gap_stays_inside_the_phrase() -> None:
    assert expand("toàn tỉnh có ... hợp tác xã") == [
        ("toàn", "tỉnh", "có", GAP, "hợp", "tác", "xã")]
    # a gap at either end would match anything: those sequences are dropped
    assert expand("[...] doanh nghiệp") == [("doanh", "nghiệp")]


@pytest.mark.parametrize("phrase", ["{thu|chi", "thu}", "[ngân sách", "thu | chi", "[ ]", "{|}",
                                    "... doanh nghiệp ..."])
def test_malformed_phrases_are_refused(phrase: str) -> None:
    with pytest.raises(PhraseSyntaxError):
        expand(phrase)


def _found(matcher: PhraseMatcher, text: str) -> list[tuple[str, tuple]]:
    return [(m.text, m.entries) for m in matcher.finditer(fold(text))]


@pytest.fixture(scope="module")
def matcher() -> PhraseMatcher[str]:
    return PhraseMatcher([
        ("chế biến", "processing"),
        ("chế biến chế tạo", "manufacturing"),
        ("công nghiệp chế biến chế tạo", "manufacturing"),
        ("toàn tỉnh có ... hợp tác xã", "cooperatives_total"),
        ("GRDP", "grdp"),
        ("tổng sản phẩm trên địa bàn", "grdp"),
        ("tăng trưởng", "growth"),
        ("tăng trưởng", "growth_word"),
        ("tăng", "up"),
    ])


def test_leftmost_longest_and_never_overlapping(matcher: PhraseMatcher[str]) -> None:
    assert _found(matcher, "Ngành công nghiệp chế biến chế tạo tăng 9,2%") == [
        ("công nghiệp chế biến chế tạo", ("manufacturing",)), ("tăng", ("up",))]
    assert _found(matcher, "chế biến gỗ và chế biến, chế tạo") == [
        ("chế biến", ("processing",)), ("chế biến, chế tạo", ("manufacturing",))]


def test_separators_between_words(matcher: PhraseMatcher[str]) -> None:
    assert _found(matcher, "chế biến - chế tạo")[0][1] == ("manufacturing",)
    assert _found(matcher, "chế biến,chế tạo")[0][1] == ("manufacturing",)
    assert _found(matcher, "chế   biến\nchế tạo")[0][1] == ("manufacturing",)


def test_words_match_whole_words_only(matcher: PhraseMatcher[str]) -> None:
    assert _found(matcher, "GRDPs và xgrdp") == []
    assert _found(matcher, "tăng trưởngg") == [("tăng", ("up",))]


def test_one_phrase_in_two_lists_reports_both_entries(matcher: PhraseMatcher[str]) -> None:
    assert _found(matcher, "Tăng trưởng kinh tế") == [("tăng trưởng", ("growth", "growth_word"))]
    assert matcher.sources[("tăng", "trưởng")] == ["growth", "growth_word"]


def test_matching_is_on_folded_text_at_the_same_offsets(matcher: PhraseMatcher[str]) -> None:
    text = "Tỉnh Hà Nam: GRDP tăng 7,2%"
    (m, _) = list(matcher.finditer(fold(text)))
    assert (text[m.start:m.end], m.entries) == ("GRDP", ("grdp",))


def test_a_gap_spans_up_to_six_words_inside_a_clause(matcher: PhraseMatcher[str]) -> None:
    assert _found(matcher, "Đến nay, toàn tỉnh có 1.245 hợp tác xã") == [
        ("toàn tỉnh có 1.245 hợp tác xã", ("cooperatives_total",))]
    six = "toàn tỉnh có thêm gần 1.245 đơn vị là hợp tác xã"
    assert _found(matcher, six)[0][1] == ("cooperatives_total",)
    seven = "toàn tỉnh có thêm gần 1.245 đơn vị đăng ký là hợp tác xã"
    assert ("cooperatives_total",) not in [e for _, e in _found(matcher, seven)]
    assert _found(matcher, "toàn tỉnh có 12 xã; 1.245 hợp tác xã") == []
    assert _found(matcher, "toàn tỉnh có (mới) hợp tác xã") == []


def test_search_window(matcher: PhraseMatcher[str]) -> None:
    folded = fold("GRDP tăng; GRDP giảm")
    assert [m.start for m in matcher.finditer(folded, 6)] == [11]
    assert [m.start for m in matcher.finditer(folded, 0, 10)] == [0, 5]


def test_a_thousand_phrases_are_one_expression() -> None:
    phrases = [(f"sản phẩm số {i} loại {i % 7}", i) for i in range(1000)]
    m = PhraseMatcher(phrases)
    text = fold("Tỉnh có sản phẩm số 999 loại 5 và sản phẩm số 17 loại 3.")
    assert [x.entries for x in m.finditer(text)] == [(999,), (17,)]
    assert m.regex.pattern.count("(?<!\\w)") == 1  # one expression, one pass
