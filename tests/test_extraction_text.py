"""The reading view of a stored text (orchestration.extraction.text): other spaces, page
breaks, fullwidth forms, dropped invisible characters with the offset map back, and the
length-keeping case fold."""

from __future__ import annotations

import pytest

from orchestration.extraction.text import UPPER, fold, reading_view

OTHER_SPACES = {
    "no-break space": "\u00a0",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
    "figure space": "\u2007",
    "ideographic space": "\u3000",
    "tab": "\t",
}
DROPPED = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "left-to-right embedding": "\u202a",
    "pop directional formatting": "\u202c",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "soft hyphen": "\u00ad",
}


@pytest.mark.parametrize("space", OTHER_SPACES.values(), ids=OTHER_SPACES.keys())
def test_other_spaces_become_plain_spaces_in_place(space: str) -> None:
    stored = f"Bạc Liêu thu 18{space}063,8 tỷ đồng"
    view = reading_view(stored)
    assert view.text == "Bạc Liêu thu 18 063,8 tỷ đồng"
    assert len(view.text) == len(stored) and view.dropped == ()


@pytest.mark.parametrize("mark", DROPPED.values(), ids=DROPPED.keys())
def test_invisible_characters_are_dropped_and_offsets_map_back(mark: str) -> None:
    stored = f"Hà Nam đạt 4.2{mark}15 tỷ đồng"
    view = reading_view(stored)
    assert view.text == "Hà Nam đạt 4.215 tỷ đồng"
    assert view.dropped == (stored.index(mark),)
    # every kept character maps back to itself in the stored text
    for i, ch in enumerate(view.text):
        assert stored[view.to_stored(i)] == ch
    # a span of the view maps to the stored span holding the same characters
    start = view.text.index("4.215")
    end = start + len("4.215 tỷ đồng")
    stored_span = stored[view.to_stored(start):view.to_stored(end - 1) + 1]
    assert stored_span == f"4.2{mark}15 tỷ đồng"


def test_several_dropped_characters_in_a_row_and_at_the_ends() -> None:
    stored = "\ufeff\u200eSơn La\u200b\u200b tăng 6,5%\u200f"
    view = reading_view(stored)
    assert view.text == "Sơn La tăng 6,5%"
    assert [stored[view.to_stored(i)] for i in range(len(view.text))] == list(view.text)
    assert view.to_stored(len(view.text)) == len(stored)


def test_a_text_without_invisible_characters_maps_to_itself() -> None:
    view = reading_view("Quảng Trị tăng 7,1%")
    assert view.dropped == ()
    assert [view.to_stored(i) for i in range(5)] == [0, 1, 2, 3, 4]


def test_fullwidth_forms_and_minus_signs_become_ascii() -> None:
    assert reading_view("đạt １８．０６３，８ tỷ đồng").text == "đạt 18.063,8 tỷ đồng"
    assert reading_view("tăng ６，５％").text == "tăng 6,5%"
    assert reading_view("2021\u22122025 và 2026\u20112030").text == "2021-2025 và 2026-2030"


def test_foreign_digits_are_left_as_they_are() -> None:
    """Only fullwidth digits become ASCII: Arabic-Indic, Devanagari and mathematical
    digits stay what they are, so they are never read as numbers."""
    for digits in ("١٨٠", "१८०", "\U0001d7cf\U0001d7d6\U0001d7ce"):
        assert reading_view(f"đạt {digits} tỷ đồng").text == f"đạt {digits} tỷ đồng"


def test_form_feeds_are_line_breaks_and_pages_are_counted() -> None:
    stored = "Trang một\fTrang hai\fTrang ba"
    view = reading_view(stored)
    assert view.text == "Trang một\nTrang hai\nTrang ba"
    assert view.page_breaks == (9, 19)
    assert [view.page_of(view.text.index(w)) for w in ("một", "hai", "ba")] == [1, 2, 3]
    assert reading_view("không có ngắt trang").page_of(5) == 1


@pytest.mark.parametrize(("text", "folded"), [
    ("Hoá đơn", "hóa đơn"),
    ("Thuỷ sản", "thủy sản"),
    ("khoẻ mạnh", "khỏe mạnh"),
    ("Quý II", "quý ii"),  # "uý" after q is not moved
    ("2,5 tỉ đồng", "2,5 tỷ đồng"),
    ("tỉ lệ hộ nghèo", "tỷ lệ hộ nghèo"),
    ("Tỉnh Gia Lai", "tỉnh gia lai"),  # "tỉnh" is not "tỉ"
    ("ĐẮK LẮK", "đắk lắk"),
])
def test_fold_unifies_spelling_and_keeps_the_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_keeps_the_length_of_characters_whose_lower_case_is_longer() -> None:
    text = "İ Đà Nẵng"
    assert len(fold(text)) == len(text)
    assert fold(text).endswith("đà nẵng")


def test_upper_class_holds_vietnamese_capitals_only() -> None:
    for ch in "AĐÂĂÊÔƠƯÁẤẶỲỸ":
        assert ch in UPPER, ch
    for ch in "ađâăêôơưáấặỳỹ":
        assert ch not in UPPER, ch
