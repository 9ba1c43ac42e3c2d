"""Numbers no catalogue indicator fits stay unassigned (a wrong indicator is worse than
none). Sentences are written for these tests."""

from __future__ import annotations

from orchestration.extraction import extract_observations


def _by_mention(text: str, published: str) -> dict[str, object]:
    return {o.mention: o for o in extract_observations(text, published_date=published)}


def test_percentage_points_of_an_amount_are_unassigned_but_contributions_are_kept():
    obs = _by_mention(
        "Năm 2024, tốc độ tăng trưởng GRDP của tỉnh Sóc Trăng đạt 6,1%, cao hơn mức tăng của "
        "cả nước 0,8 điểm phần trăm. Khu vực dịch vụ tăng 7,2%, đóng góp 2,9 điểm "
        "phần trăm vào mức tăng chung.",
        "2025-01-15",
    )
    assert obs["6,1%"].indicator_code == "grdp"
    assert obs["0,8 điểm phần trăm"].indicator_code is None
    assert "not a rate" in obs["0,8 điểm phần trăm"].evidence["indicator_rule"]
    assert obs["2,9 điểm phần trăm"].indicator_code == "grdp_services"
    assert obs["2,9 điểm phần trăm"].measure == "contribution_pp"


def test_percentage_points_of_a_rate_are_its_change():
    obs = _by_mention(
        "Đến cuối năm 2023, tỷ lệ hộ nghèo của tỉnh Điện Biên còn 19,6%, giảm 4,1 điểm phần "
        "trăm so với năm 2022.",
        "2024-01-10",
    )
    assert obs["4,1 điểm phần trăm"].indicator_code == "poverty_rate"
    assert obs["4,1 điểm phần trăm"].measure == "change_abs"


def test_a_capitalised_place_head_inside_a_sentence_names_a_smaller_place():
    obs = _by_mention(
        "Dịp nghỉ lễ, toàn tỉnh Quảng Bình đón 210 nghìn lượt khách. Riêng Khu du lịch "
        "hang động quốc gia Phong Nha đón 64 nghìn lượt khách.",
        "2025-05-06",
    )
    assert obs["210 nghìn lượt khách"].indicator_code == "tourists"
    assert obs["64 nghìn lượt khách"].indicator_code is None


def test_a_trade_surplus_is_not_the_turnover_named_before_it():
    obs = _by_mention(
        "Năm 2024, kim ngạch xuất khẩu của tỉnh Long An đạt 9,2 tỷ USD; kim ngạch nhập khẩu "
        "đạt 6,1 tỷ USD; tỉnh xuất siêu 3,1 tỷ USD.",
        "2025-01-12",
    )
    assert obs["9,2 tỷ USD"].indicator_code == "export_turnover"
    assert obs["6,1 tỷ USD"].indicator_code == "import_turnover"
    assert obs["3,1 tỷ USD"].indicator_code is None


def test_a_smaller_place_speaks_for_the_clauses_after_it_until_the_whole_is_named():
    obs = _by_mention(
        "Chín tháng năm 2025, Khu kinh tế Nghi Sơn thu hút thêm 9 dự án, trong đó có 3 dự "
        "án FDI với tổng vốn 420 triệu USD. Huyện Như Xuân thu hút 2 dự án, toàn tỉnh "
        "Thanh Hóa thu hút 57 dự án.",
        "2025-10-08",
    )
    assert obs["9 dự án"].indicator_code is None
    assert obs["3 dự án"].indicator_code is None
    assert obs["420 triệu USD"].indicator_code is None
    assert obs["2 dự án"].indicator_code is None
    assert obs["57 dự án"].indicator_code == "investment_projects"


def test_a_multiple_of_another_places_value_is_unassigned_but_of_a_base_year_is_kept():
    obs = _by_mention(
        "Năm 2024, GRDP bình quân đầu người của tỉnh Quảng Ninh đạt 248 triệu đồng, gấp "
        "2,1 lần mức bình quân cả nước và gấp 1,6 lần so với năm 2019.",
        "2025-01-18",
    )
    assert obs["248 triệu đồng"].indicator_code == "grdp_per_capita"
    assert obs["2,1 lần"].indicator_code is None
    assert obs["1,6 lần"].indicator_code == "grdp_per_capita"
    assert obs["1,6 lần"].measure == "multiple_of_base"


def test_a_smaller_place_speaks_only_up_to_the_next_semicolon():
    obs = _by_mention(
        "Năm 2024, GRDP tỉnh Hà Tĩnh tăng 6,8%, đứng thứ 4 trong 6 tỉnh, thành phố vùng "
        "Bắc Trung Bộ; trong đó khu vực dịch vụ tăng 7,1%.",
        "2025-01-20",
    )
    assert obs["6,8%"].indicator_code == "grdp"
    assert obs["7,1%"].indicator_code == "grdp_services"


def test_gross_output_of_a_sector_is_neither_its_grdp_nor_the_iip():
    from tests.fixtures import extraction_sentences as S

    obs = _by_mention(S.GROSS_OUTPUT, S.GROSS_OUTPUT_PUBLISHED)
    for mention in ("9.870 tỷ đồng", "9,3%", "2,6%", "2.140 tỷ đồng"):
        assert obs[mention].indicator_code is None, mention
        assert obs[mention].period.code == "2021-S1", mention  # not "giá so sánh 2010"
    assert (obs["8,1%"].indicator_code, obs["8,1%"].period.code) == ("iip", "2021-S1")
    assert obs["6,4%"].indicator_code == "grdp"
    assert obs["2,1%"].indicator_code == "grdp_agriculture"


def test_a_bracket_naming_a_subset_is_not_the_total_it_follows():
    obs = _by_mention(
        "Tình hình du lịch tháng 7 năm 2024 tỉnh Quảng Bình\n\nTrong tháng 7, tổng lượt khách "
        "đến tỉnh ước đạt 512.000 lượt, tăng 6,8% so với cùng kỳ (khách quốc tế khoảng 21.400 "
        "lượt, tăng 3,1%); doanh thu du lịch ước đạt 1.150 tỷ đồng.",
        "2024-08-02",
    )
    assert obs["512.000 lượt"].indicator_code == "tourists"
    assert obs["6,8%"].indicator_code == "tourists"
    assert obs["21.400 lượt"].indicator_code is None
    assert obs["3,1%"].indicator_code is None
    assert obs["1.150 tỷ đồng"].indicator_code == "tourism_revenue"


def test_shares_of_the_growth_and_the_uses_of_gdp_are_unassigned():
    from tests.fixtures import extraction_sentences as S

    obs = _by_mention(S.GDP_USE_AND_SHARES, S.GDP_USE_AND_SHARES_PUBLISHED)
    assert (obs["7,52%"].indicator_code, obs["7,52%"].geo_code) == ("grdp", "VN")
    assert obs["8,33%"].indicator_code == "grdp_industry_construction"
    assert obs["8,14%"].indicator_code == "grdp_services"
    for mention in ("43,2%", "51,3%", "0,6%"):  # shares of the growth
        assert obs[mention].indicator_code is None, mention
    for mention in ("7,31%", "7,09%", "16,2%", "18,0%"):  # consumption, capital, trade
        assert obs[mention].indicator_code is None, mention


def test_passengers_goods_carried_and_policy_credit_are_unassigned():
    from tests.fixtures import extraction_sentences as S

    obs = _by_mention(S.TRANSPORT_AND_CREDIT, S.TRANSPORT_AND_CREDIT_PUBLISHED)
    for mention in ("18,6 triệu lượt khách", "9,2%", "21,4 triệu tấn", "7,7%", "5.420 tỷ đồng"):
        assert obs[mention].indicator_code is None, mention
    assert obs["3.150 triệu tấn.km"].indicator_code == "freight_traffic"
    assert obs["98.700 tỷ đồng"].indicator_code == "bank_credit"
    assert obs["5,3%"].indicator_code == "bank_credit"


def test_an_amount_followed_by_an_uncatalogued_noun_does_not_take_the_subject_in_force():
    """A money amount whose own noun follows it, in words no list knows ("vốn xã hội
    hóa", capital raised from society), is not the budget the headline speaks of; an
    amount followed by a catalogued name or by nothing still reads as before."""
    text = (
        "Hà Tĩnh: thu ngân sách 9 tháng đạt 11.240 tỷ đồng\n\n"
        "Tổng thu ngân sách nhà nước trên địa bàn tỉnh 9 tháng năm 2025 đạt 11.240 tỷ "
        "đồng, tăng 12,5% so với cùng kỳ. Riêng quý III, tỉnh huy động thêm 1.850 tỷ đồng "
        "vốn xã hội hóa cho các công trình giao thông nông thôn. Trong quý III, toàn tỉnh "
        "thu được 3.760 tỷ đồng.\n"
    )
    obs = _by_mention(text, "2025-10-08")
    assert obs["11.240 tỷ đồng"].indicator_code == "budget_revenue"
    assert obs["1.850 tỷ đồng"].indicator_code is None
    assert "after the amount" in obs["1.850 tỷ đồng"].evidence["subject_rule"]
    assert obs["3.760 tỷ đồng"].indicator_code == "budget_revenue"


def test_lines_of_the_budget_revenue_are_not_the_total_nor_the_payers_indicator():
    """A breakdown of the budget's revenue names its lines after the verb "thu" (collect):
    "thu thuế …", "thu tiền sử dụng đất", "thu từ <payer>". None of them is the total or
    the domestic revenue in force, and revenue collected from FDI enterprises is not the
    FDI indicator; the total, the domestic revenue and tourism revenue still read."""
    text = (
        "Nam Định: thu ngân sách 11 tháng năm 2025\n\n"
        "Thu nội địa 11 tháng ước đạt 4.870 tỷ đồng, tăng 18,2% so với cùng kỳ, gồm: thu "
        "thuế, phí và lệ phí đạt 2.960 tỷ đồng, tăng 6,4%; thu tiền thuê đất đạt 415 tỷ "
        "đồng. Nhiều khoản thu tăng khá như: thu từ các doanh nghiệp FDI tăng 11,3%; thu "
        "thuế thu nhập cá nhân tăng 9,8%; thu từ khu vực doanh nghiệp có vốn đầu tư nước "
        "ngoài chiếm 21,5% thu nội địa.\n\n"
        "Tổng thu từ khách du lịch 11 tháng đạt 1.320 tỷ đồng, tăng 14%.\n"
    )
    obs = _by_mention(text, "2025-12-04")
    assert obs["4.870 tỷ đồng"].indicator_code == "budget_revenue_domestic"
    assert obs["18,2%"].indicator_code == "budget_revenue_domestic"
    for line in ("2.960 tỷ đồng", "6,4%", "415 tỷ đồng", "11,3%", "9,8%", "21,5%"):
        assert obs[line].indicator_code is None, (line, obs[line].evidence)
    assert "a line of the budget" in obs["11,3%"].evidence["subject_rule"]
    assert obs["1.320 tỷ đồng"].indicator_code == "tourism_revenue"
    assert obs["14%"].indicator_code == "tourism_revenue"


def test_firms_leaving_an_average_per_firm_and_a_count_of_workers_are_not_new_firms():
    """Of a month's registrations only the new firms are an indicator: firms suspending
    or dissolving ("tạm ngừng kinh doanh", "giải thể") are counted by none, the average
    capital of a new firm is not the new firms (nor their growth the next clause states),
    and "về số lao động" (in workers) is not the new firms either."""
    from tests.fixtures import extraction_sentences as S

    obs = _by_mention(S.ENTERPRISE_REGISTRATIONS, S.ENTERPRISE_REGISTRATIONS_PUBLISHED)
    assert obs["214 doanh nghiệp"].indicator_code == "new_enterprises"
    assert obs["8,2%"].indicator_code == "new_enterprises"
    for mention in ("4%", "7,4 tỷ đồng", "3,1%", "96 doanh nghiệp", "12,5%",
                    "41 doanh nghiệp", "6%"):
        assert obs[mention].indicator_code is None, (mention, obs[mention].evidence)
