"""Numbers said of several things at once: "lần lượt" (respectively), "về …" (in terms
of), and items of a list that name what they measure after their verb.

Sentences are written for these tests."""

from __future__ import annotations

from orchestration.extraction import extract_observations


def _by_mention(text: str, published: str = "2025-07-10") -> dict[str, object]:
    return {o.mention: o for o in extract_observations(text, published_date=published)}


def test_respectively_maps_numbers_to_the_things_read_before_in_order():
    obs = _by_mention(
        "Sáu tháng đầu năm 2025, tỉnh Kon Tum có 310 doanh nghiệp thành lập mới với tổng "
        "vốn đăng ký 2.450 tỷ đồng, tăng lần lượt 8,4% và 21,7% so với cùng kỳ."
    )
    assert obs["8,4%"].indicator_code == "new_enterprises"
    assert obs["21,7%"].indicator_code == "new_enterprises_capital"
    assert "lần lượt" in obs["8,4%"].evidence["subject_rule"]


def test_respectively_without_as_many_things_read_before_is_not_guessed():
    obs = _by_mention(
        "Năm 2024, tỉnh Đắk Nông có 205 doanh nghiệp thành lập mới, số lao động và số "
        "vốn tăng lần lượt 4,1%, 6,3% và 9,9%."
    )
    # one thing read before three numbers: the mapping is not made
    for mention in ("4,1%", "6,3%", "9,9%"):
        assert "lần lượt" not in (obs[mention].evidence.get("subject_rule") or "")


def test_in_terms_of_picks_the_thing_read_before_with_those_words():
    obs = _by_mention(
        "Năm 2024, tỉnh Vĩnh Long có 512 doanh nghiệp thành lập mới với tổng vốn đăng ký "
        "3.120 tỷ đồng, tăng 5,5% về số doanh nghiệp và tăng 12,4% về vốn so với năm 2023."
    )
    assert obs["5,5%"].indicator_code == "new_enterprises"
    assert obs["12,4%"].indicator_code == "new_enterprises_capital"


def test_items_naming_what_they_measure_after_the_verb_are_not_the_total():
    obs = _by_mention(
        "Thu ngân sách nhà nước 9 tháng năm 2025 của tỉnh Bắc Kạn đạt 1.250 tỷ đồng. "
        "Một số khoản thu tăng khá như thu phí bảo vệ môi trường 35,2 tỷ đồng; thu tiền "
        "thuê đất 48,6 tỷ đồng.",
        published="2025-10-05",
    )
    assert obs["1.250 tỷ đồng"].indicator_code == "budget_revenue"
    assert obs["35,2 tỷ đồng"].indicator_code is None
    assert obs["48,6 tỷ đồng"].indicator_code is None


def test_a_structure_named_before_a_list_makes_its_items_shares():
    obs = _by_mention(
        "Cơ cấu kinh tế tỉnh Tây Ninh năm 2024: nông, lâm nghiệp và thủy sản 18,4%; công "
        "nghiệp - xây dựng 44,9%; dịch vụ 30,2%.",
        published="2025-02-10",
    )
    assert obs["18,4%"].indicator_code == "grdp_agriculture"
    assert obs["44,9%"].indicator_code == "grdp_industry_construction"
    assert obs["30,2%"].indicator_code == "grdp_services"
    assert {obs[m].measure for m in ("18,4%", "44,9%", "30,2%")} == {"share_pct"}


def test_respectively_maps_numbers_to_the_periods_stated_before_in_order():
    obs = _by_mention(
        "Chỉ số sản xuất công nghiệp quý III và 9 tháng năm 2024 của tỉnh Phú Yên tăng lần "
        "lượt 7,3% và 6,1% so với cùng kỳ.",
        published="2024-10-06",
    )
    assert obs["7,3%"].period.code == "2024-Q3"
    assert obs["6,1%"].period.code == "2024-01/2024-09"
    assert {obs[m].indicator_code for m in ("7,3%", "6,1%")} == {"iip"}


def test_words_naming_again_a_thing_read_before_take_it_but_a_part_does_not():
    obs = _by_mention(
        "Chín tháng năm 2025, tỉnh Thái Bình có 1.120 doanh nghiệp thành lập mới với tổng "
        "vốn đăng ký 14.600 tỷ đồng; số doanh nghiệp tăng 9,3% so với cùng kỳ. Tỉnh đón "
        "2,1 triệu lượt khách, trong đó khách lưu trú đạt 410 nghìn lượt.",
        published="2025-10-06",
    )
    assert obs["9,3%"].indicator_code == "new_enterprises"
    assert obs["410 nghìn lượt"].indicator_code is None
