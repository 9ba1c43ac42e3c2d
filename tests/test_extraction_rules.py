"""Extraction rules on sentences written for these tests (not taken from the seeds).

Each test states one rule of Vietnamese statistical prose from issue 3 / the observation
contract and checks every field it decides.
"""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.extraction import Observation, extract_observations


def extract(text: str, published: dt.date | None = None) -> list[Observation]:
    obs = extract_observations(text, published_date=published)
    for o in obs:  # spans always point into the text, at the number as written
        assert text[o.span_start:o.span_end] == o.mention
        assert any(ch.isdigit() for ch in o.mention)
    return obs


def by_mention(obs: list[Observation], mention: str, code: str | None = None) -> Observation:
    found = [o for o in obs if o.mention.startswith(mention)
             and (code is None or o.indicator_code == code)]
    assert len(found) == 1, [(o.mention, o.indicator_code) for o in obs]
    return found[0]


def fields(o: Observation) -> tuple:
    return (o.indicator_code, o.measure, o.period.code, o.status, o.value, o.unit, o.geo_code)


MONTHLY = (
    "Tình hình kinh tế - xã hội tháng 02/2023 tỉnh Cao Bằng\n\n"
    "Chỉ số giá tiêu dùng (CPI) tháng 02/2023 tăng 0,52% so với tháng trước và tăng 4,1% so "
    "với cùng kỳ năm trước. Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng tháng 02 "
    "ước đạt 1.250,5 tỷ đồng, tăng 12,3% so với cùng kỳ. Trong tháng, toàn tỉnh Cao Bằng có 35 "
    "doanh nghiệp thành lập mới với tổng vốn đăng ký 210 tỷ đồng."
)


def test_monthly_report_of_another_province() -> None:
    obs = extract(MONTHLY, dt.date(2023, 3, 5))
    cpi_m = by_mention(obs, "0,52%")
    assert fields(cpi_m) == ("cpi", "change_pct", "2023-02", "actual", 0.52, "PCT", "VN-04")
    assert cpi_m.base_period is not None and cpi_m.base_period.code == "2023-01"
    assert fields(by_mention(obs, "4,1%"))[:3] == ("cpi", "yoy_pct", "2023-02")
    retail = by_mention(obs, "1.250,5")
    assert fields(retail) == ("retail_sales", "level", "2023-02", "estimate", 1250.5, "VND_BN",
                              "VN-04")
    assert by_mention(obs, "12,3%").status == "estimate"  # "ước" earlier in the sentence
    assert by_mention(obs, "35 doanh").indicator_code == "new_enterprises"
    assert by_mention(obs, "210").indicator_code == "new_enterprises_capital"


def test_breakdown_after_trong_do_takes_sector_indicators_and_the_estimate() -> None:
    text = ("Tổng sản phẩm trên địa bàn (GRDP) 9 tháng năm 2024 ước tăng 6,5% so với cùng kỳ; "
            "trong đó khu vực nông, lâm nghiệp và thủy sản tăng 3,2%, khu vực công nghiệp và "
            "xây dựng tăng 9,1%, khu vực dịch vụ tăng 6,0%. Kim ngạch xuất khẩu đạt 2,18 tỉ USD, "
            "giảm 3,5%.")
    obs = extract(text, dt.date(2024, 10, 2))
    expected = {"6,5%": "grdp", "3,2%": "grdp_agriculture", "9,1%": "grdp_industry_construction",
                "6,0%": "grdp_services"}
    for mention, code in expected.items():
        o = by_mention(obs, mention)
        assert (o.indicator_code, o.measure, o.period.code, o.status) == (
            code, "yoy_pct", "2024-01/2024-09", "estimate")
    export = by_mention(obs, "2,18")
    assert fields(export) == ("export_turnover", "level", "2024-01/2024-09", "actual", 2180.0,
                              "USD_MN", "VN-09")
    assert by_mention(obs, "3,5%").value == -3.5  # decreases are negative


def test_holiday_week_period_and_tourism_revenue() -> None:
    text = ("Trong dịp Tết Nguyên đán, từ ngày 8/2 đến ngày 14/2/2024, toàn tỉnh đón khoảng 150 "
            "nghìn lượt khách du lịch, tăng 20% so với cùng kỳ; doanh thu du lịch ước đạt 180 "
            "tỷ đồng.")
    obs = extract(text, dt.date(2024, 2, 16))
    tourists = by_mention(obs, "150")
    assert fields(tourists) == ("tourists", "level", "2024-02-08/2024-02-14", "actual", 150000.0,
                                "VISIT", "VN-09")
    assert tourists.qualifier == "approx"
    assert by_mention(obs, "180").indicator_code == "tourism_revenue"


def test_per_year_list_and_national_comparison() -> None:
    text = ("Tốc độ tăng trưởng kinh tế năm 2021 đạt 2,5%, năm 2022 đạt 7,8%, năm 2023 đạt 6,2%, "
            "cao hơn mức tăng chung của cả nước (5,05%).")
    obs = extract(text)
    assert [(o.period.code, o.value, o.geo_code) for o in obs] == [
        ("2021", 2.5, "VN-09"), ("2022", 7.8, "VN-09"), ("2023", 6.2, "VN-09"),
        ("2023", 5.05, "VN")]
    assert {(o.indicator_code, o.measure, o.status) for o in obs} == {
        ("grdp", "yoy_pct", "actual")}


def test_targets_with_horizon_and_bounds() -> None:
    text = ("Phấn đấu đến năm 2030, tỷ lệ đô thị hóa đạt 40%; thu nhập bình quân đầu người đạt 120 "
            "triệu đồng/năm; tỷ lệ che phủ rừng đạt từ 65% trở lên.")
    obs = extract(text, dt.date(2025, 9, 1))
    assert fields(by_mention(obs, "40%")) == ("urbanisation_rate", "level", "2030", "target", 40.0,
                                              "PCT", "VN-09")
    assert by_mention(obs, "120").indicator_code == "income_per_capita"
    forest = by_mention(obs, "65%")
    assert (forest.qualifier, forest.value_low, forest.value_high) == ("gte", 65.0, None)


def test_period_after_publication_is_a_target_and_running_period_an_estimate() -> None:
    text = ("Năm 2025, thu ngân sách nhà nước đạt 18.000 tỷ đồng. Năm 2026, tốc độ tăng trưởng "
            "kinh tế đạt 10 - 11%.")
    obs = extract(text, dt.date(2025, 12, 11))
    assert by_mention(obs, "18.000").status == "estimate"  # 2025 not over on 11 December
    growth = by_mention(obs, "10 - 11%")
    assert (growth.status, growth.qualifier, growth.value_low, growth.value_high, growth.value) == (
        "target", "range", 10.0, 11.0, 10.5)
    # without a publication date, only the words decide
    assert by_mention(extract(text), "18.000").status == "actual"


def test_stocks_take_the_year_they_are_measured_at() -> None:
    text = ("Hết năm 2024, toàn tỉnh có 4.200 doanh nghiệp đang hoạt động. Lũy kế đến nay có 28 dự "
            "án có vốn đầu tư nước ngoài còn hiệu lực với tổng vốn đăng ký 350 triệu USD.")
    obs = extract(text, dt.date(2025, 3, 1))
    assert fields(by_mention(obs, "4.200")) == ("enterprises_total", "level", "2024", "actual",
                                                4200.0, "ENTERPRISE", "VN-09")
    assert by_mention(obs, "28").indicator_code == "fdi_projects"
    assert by_mention(obs, "350").indicator_code == "fdi_capital"


def test_rate_indicators_change_in_percentage_points() -> None:
    text = ("Năm 2024, số vụ tai nạn giao thông giảm 12,5% so với cùng kỳ; tỷ lệ hộ nghèo giảm còn "
            "8,5%, giảm 2,1% so với năm 2023.")
    obs = extract(text, dt.date(2025, 1, 10))
    assert fields(by_mention(obs, "12,5%")) == ("traffic_accidents", "yoy_pct", "2024", "actual",
                                                -12.5, "PCT", "VN-09")
    assert fields(by_mention(obs, "8,5%")) == ("poverty_rate", "level", "2024", "actual", 8.5,
                                               "PCT", "VN-09")
    pp = by_mention(obs, "2,1%")
    assert (pp.measure, pp.value, pp.unit, pp.base_period.code) == (
        "change_abs", -2.1, "PP", "2023")


def test_one_number_for_two_indicators() -> None:
    text = "Năm 2026 phấn đấu giảm tối thiểu 5% tai nạn giao thông và tội phạm."
    obs = extract(text, dt.date(2025, 12, 11))
    assert {o.indicator_code for o in obs} == {"traffic_accidents", "crimes"}
    for o in obs:
        assert (o.measure, o.value, o.qualifier, o.value_high, o.status) == (
            "yoy_pct", -5.0, "lte", -5.0, "target")


def test_measures_from_their_cues() -> None:
    text = ("Năm 2025, ngành dịch vụ chiếm 47,2% GRDP; tổng thu ngân sách đạt 9.500 tỷ đồng, bằng "
            "85,2% dự toán, gấp 2,4 lần năm 2020; khu vực công nghiệp và xây dựng đóng góp 2,8 "
            "điểm phần trăm vào mức tăng chung; tỉnh xếp thứ 11/34 về tăng trưởng kinh tế.")
    obs = extract(text)
    assert by_mention(obs, "47,2%").measure == "share_pct"
    assert by_mention(obs, "85,2%").measure == "pct_of_plan"
    times = by_mention(obs, "2,4 lần")
    assert (times.measure, times.unit, times.base_period.code) == ("multiple_of_base", "TIMES",
                                                                   "2020")
    assert by_mention(obs, "2,8").measure == "contribution_pp"
    rank = by_mention(obs, "11/34")
    assert (rank.measure, rank.value, rank.unit) == ("rank", 11.0, "RANK")


def test_average_growth_over_a_plan_period_and_its_base() -> None:
    text = ("Giai đoạn 2021 - 2025, tổng thu ngân sách ước đạt 54.000 tỷ đồng, tăng 72,8% so với "
            "giai đoạn trước, trong đó thu nội địa bình quân hằng năm tăng 6,2%.")
    obs = extract(text)
    change = by_mention(obs, "72,8%")
    assert (change.measure, change.period.code, change.base_period.code) == (
        "change_pct", "2021/2025", "2016/2020")
    avg = by_mention(obs, "6,2%")
    assert (avg.indicator_code, avg.measure, avg.period.code, avg.status) == (
        "budget_revenue_domestic", "avg_annual_growth_pct", "2021/2025", "estimate")


def test_unit_conversion_to_the_indicator_unit() -> None:
    text = ("Quý I/2025, thu nội địa đạt 890.000 triệu đồng; kim ngạch xuất nhập khẩu đạt 17,85 tỷ "
            "USD; dân số đạt 85,1 ngàn người; GRDP bình quân đầu người đạt 71 triệu đồng.")
    obs = extract(text)
    assert by_mention(obs, "890.000").value == pytest.approx(890)
    assert by_mention(obs, "17,85").value == pytest.approx(17850)
    assert by_mention(obs, "85,1").value == pytest.approx(85100)
    per_capita = by_mention(obs, "71")
    assert (per_capita.indicator_code, per_capita.value, per_capita.unit) == (
        "grdp_per_capita", 71.0, "VND_MN")


def test_not_observations() -> None:
    text = ("Theo Nghị quyết số 12/NQ-HĐND ngày 10/12/2024 tại kỳ họp thứ 20, tuyến Quốc lộ 1A "
            "đoạn Km 15+200 đến mốc 1116 thuộc cụm Hồ Sơn 1 được triển khai theo Điều 3.\n\n"
            "(2) Trang 5")
    assert [o for o in extract(text) if o.indicator_code] == []


def test_qualified_subset_is_not_the_indicator() -> None:
    text = ("Năm 2024, lượng khách nội địa đạt 45.000 lượt; tổng lượt khách du lịch đạt 3,9 "
            "triệu lượt; khách quốc tế đạt 12.000 lượt.")
    obs = extract(text)
    assert by_mention(obs, "45.000").indicator_code is None  # a subset without its own code
    assert by_mention(obs, "3,9").indicator_code == "tourists"
    assert by_mention(obs, "12.000").indicator_code == "tourists_international"


FOOTNOTED = (
    "Tổng kim ngạch xuất nhập khẩu hàng hóa giai đoạn 2021 - 2025 ước đạt 264,6 tỷ USD13, \n\n"
    "tổng kim ngạch xuất nhập khẩu mở tờ khai tại Hải quan tỉnh ước đạt trên 24,2 tỷ USD. Các \n\n"
    "hoạt động xúc tiến thương mại được tổ chức thường xuyên, hiệu quả, thu hút nhiều doanh \n\n"
    "nghiệp trong và ngoài nước tham gia, mở rộng thị trường xuất khẩu của tỉnh trong giai \n\n"
    "                                          \n"
    "13 Trong đó năm 2021 đạt 30,6 tỷ USD; năm 2022 đạt 25,5 tỷ USD; năm 2023 đạt 51,9 tỷ USD; \n\n"
    "năm 2024 đạt 68.58 tỷ USD; năm 2025 ước đạt 88 tỷ USD. \n"
    " đoạn vừa qua, tạo động lực cho phát triển kinh tế cửa khẩu của tỉnh Lạng Sơn. \n"
)


def test_footnote_takes_the_indicator_of_the_sentence_carrying_its_marker() -> None:
    obs = extract(FOOTNOTED)
    total = by_mention(obs, "264,6")
    assert (total.indicator_code, total.period.code, total.status) == (
        "trade_turnover", "2021/2025", "estimate")
    assert by_mention(obs, "24,2").indicator_code == "trade_turnover_declared"
    yearly = [by_mention(obs, m) for m in ("30,6", "25,5", "51,9", "68.58", "88")]
    assert [o.indicator_code for o in yearly] == ["trade_turnover"] * 5
    assert [o.period.code for o in yearly] == ["2021", "2022", "2023", "2024", "2025"]
    assert [o.status for o in yearly] == ["actual"] * 4 + ["estimate"]
    assert by_mention(obs, "68.58").value == pytest.approx(68580)  # English decimal point


def test_no_break_space_before_a_number() -> None:
    text = "Quý I/2025, tổng thu ngân sách ước đạt\u00a02.700 tỷ đồng, tăng 24,8%."
    obs = extract(text)
    assert [(o.indicator_code, o.value) for o in obs] == [("budget_revenue", 2700.0),
                                                          ("budget_revenue", 24.8)]


def test_evidence_explains_every_field() -> None:
    o = by_mention(extract(MONTHLY, dt.date(2023, 3, 5)), "1.250,5")
    ev = o.evidence
    assert ev["indicator_cue"].startswith("tổng mức bán lẻ")
    assert ev["indicator_rule"] == "cue before the number"
    assert ev["period_cue"] == "tháng 02"
    assert ev["status_cue"] == "ước đạt"
    row = o.to_row("doc.txt", "0" * 64, "test")
    assert row["indicator_cue"] == ev["indicator_cue"] and '"status_cue"' in row["evidence"]


def test_observation_ids_are_stable() -> None:
    a = [o.observation_id("doc.txt", "abc") for o in extract(MONTHLY, dt.date(2023, 3, 5))]
    b = [o.observation_id("doc.txt", "abc") for o in extract(MONTHLY, dt.date(2023, 3, 5))]
    assert a == b and len(set(a)) == len(a)


def test_article_about_another_province_with_counts_and_shares() -> None:
    text = (
        "Bắc Giang: Tăng trưởng kinh tế quý III/2024 đạt 13,68%\n\n"
        "Theo Cục Thống kê, tăng trưởng kinh tế (GRDP) quý III/2024 của tỉnh Bắc Giang ước đạt "
        "13,68%, đứng thứ 2 cả nước.\n\n"
        "Quý III/2024, tỉnh đã thu hút 52 dự án FDI với tổng vốn 1,5 tỷ USD. Có 120 xã đạt "
        "chuẩn nông thôn mới, chiếm 62,8% tổng số xã."
    )
    obs = extract(text, dt.date(2024, 10, 8))
    assert {o.geo_code for o in obs} == {"VN-54"}
    rank = by_mention(obs, "2")
    assert (rank.indicator_code, rank.measure, rank.value) == ("grdp", "rank", 2.0)
    assert by_mention(obs, "52").indicator_code == "fdi_projects"  # the count's own phrase
    capital = by_mention(obs, "1,5")
    assert (capital.indicator_code, capital.value, capital.unit) == ("fdi_capital", 1500.0,
                                                                    "USD_MN")
    assert by_mention(obs, "120").indicator_code == "new_rural_communes"
    share = by_mention(obs, "62,8%")  # a count's share of the total is its rate indicator
    assert (share.indicator_code, share.measure, share.value) == (
        "new_rural_communes_share", "level", 62.8)


def test_percentage_of_another_noun_is_not_the_earlier_indicator() -> None:
    text = ("Năm 2025, 100% trạm y tế xã có đủ điều kiện khám, chữa bệnh bảo hiểm y tế và thực "
            "hiện được 76% danh mục dịch vụ kỹ thuật; tỷ lệ người dân tham gia bảo hiểm y tế đạt "
            "95%; 100% chất thải nguy hại được thu gom, xử lý.")
    obs = extract(text)
    assert [o.indicator_code for o in obs if o.mention in ("100%", "76%")][:2] == [None, None]
    assert by_mention(obs, "95%").indicator_code == "health_insurance_coverage"
    assert [o.indicator_code for o in obs][-1] == "hazardous_waste_treated_share"


def test_from_level_to_level_with_their_own_years() -> None:
    text = ("Giai đoạn 2021 - 2025, thực hiện chương trình mục tiêu quốc gia giảm nghèo bền "
            "vững, tỷ lệ hộ nghèo giảm từ 7,88% năm 2020 xuống còn 1,36% năm 2025, bình quân "
            "hằng năm giảm 2,71%.")
    obs = extract(text)
    start, end, avg = (by_mention(obs, m) for m in ("7,88%", "1,36%", "2,71%"))
    assert (start.measure, start.period.code, start.value, start.status) == (
        "level", "2020", 7.88, "actual")
    assert (end.measure, end.period.code, end.value) == ("level", "2025", 1.36)
    assert (avg.measure, avg.period.code, avg.value, avg.unit) == (
        "avg_annual_change_abs", "2021/2025", -2.71, "PP")


def test_counts_of_other_things_are_not_visits_or_life_expectancy() -> None:
    text = ("Năm 2024, các cơ quan đã tiếp 22.422 lượt công dân; tỷ lệ trẻ em dưới 1 tuổi được "
            "tiêm chủng đầy đủ đạt 98%. Các mục tiêu về y tế cơ bản hoàn thành, có 12,5 bác sĩ "
            "trên 1 vạn dân.")
    obs = extract(text)
    assert [o for o in obs if o.indicator_code in ("tourists", "life_expectancy")] == []
    doctors = by_mention(obs, "12,5")
    assert (doctors.indicator_code, doctors.status) == ("doctors_per_10k", "actual")


PLAN_REPORT = """BÁO CÁO
Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm 2025
và kế hoạch phát triển kinh tế - xã hội năm 2026

Phần thứ nhất
TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2025

1. Tăng trưởng kinh tế
Tốc độ tăng trưởng kinh tế (GRDP) năm 2025 ước đạt 8,1%. Thu ngân sách nhà nước trên địa bàn \
ước đạt 17.900 tỷ đồng, bằng 150% dự toán.

Phần thứ hai
KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026

I. CÁC CHỈ TIÊU CHỦ YẾU
1. Tốc độ tăng trưởng GRDP đạt 10% trở lên.
2. Tỷ lệ hộ nghèo giảm 1,5% so với năm 2025.
"""


def test_plan_section_of_a_report_sets_period_and_target_status() -> None:
    obs = extract(PLAN_REPORT)  # no publication date: the title's year is "now"
    assert (by_mention(obs, "8,1%").period.code, by_mention(obs, "8,1%").status) == (
        "2025", "estimate")
    assert by_mention(obs, "150%").measure == "pct_of_plan"
    growth = by_mention(obs, "10%")
    assert (growth.indicator_code, growth.period.code, growth.status, growth.qualifier) == (
        "grdp", "2026", "target", "gte")
    poverty = by_mention(obs, "1,5%")
    assert (poverty.measure, poverty.value, poverty.period.code, poverty.base_period.code) == (
        "change_abs", -1.5, "2026", "2025")


def test_this_year_and_next_year_are_relative_to_the_context() -> None:
    text = ("Quý I/2025, GRDP tăng 8,27%. Năm tới, tỉnh phấn đấu tăng trưởng kinh tế đạt 10%; "
            "cả năm nay thu ngân sách ước đạt 18.000 tỷ đồng.")
    obs = extract(text, dt.date(2025, 4, 15))
    assert [(o.period.code, o.status) for o in obs] == [
        ("2025-Q1", "actual"), ("2026", "target"), ("2025", "estimate")]


def test_comparison_closing_a_list_of_counts_is_the_base_of_each_item() -> None:
    listed = extract("Năm 2025, toàn tỉnh giảm 45 trường, 125 điểm trường so với năm 2020.")
    school = by_mention(listed, "45")
    assert (school.measure, school.period.code, school.base_period.code) == (
        "change_abs", "2025", "2020")
    # a comparison after another clause with its own verb is not carried back
    other = extract("Năm 2025, số doanh nghiệp tăng 120 doanh nghiệp, vốn đăng ký tăng "
                    "2.500 tỷ đồng so với năm 2024.")
    assert by_mention(other, "120").base_period is None
    assert by_mention(other, "2.500").base_period.code == "2024"


QUARTERLY_NEWS = (
    "Quảng Ninh: Kinh tế quý I/2025 tăng trưởng 10,02%\n\n"
    "Theo đó, tăng trưởng kinh tế (GRDP) quý I của tỉnh đạt 10,02%. GRDP bình quân đầu người "
    "năm 2024 đạt 9.200 USD. Vốn đầu tư thực hiện toàn xã hội quý I ước đạt 15.320 tỷ đồng. "
    "Toàn tỉnh đón 5,2 triệu lượt khách, trong đó khách quốc tế đạt 720 nghìn lượt.\n"
    "Năm 2025, tỉnh phấn đấu tăng trưởng GRDP đạt 12% trở lên; thu ngân sách đạt trên "
    "55.000 tỷ đồng; năm 2024 thu ngân sách ước đạt 50.100 tỷ đồng.\n"
)


def test_indicator_variants_of_news_prose() -> None:
    obs = extract(QUARTERLY_NEWS, dt.date(2025, 4, 5))
    title = [o for o in obs if o.mention == "10,02%"]
    assert {o.indicator_code for o in title} == {"grdp"}  # "Kinh tế quý I/2025 tăng trưởng"
    assert by_mention(obs, "9.200").indicator_code == "grdp_per_capita_usd"
    assert by_mention(obs, "15.320").indicator_code == "social_investment"
    assert by_mention(obs, "720").indicator_code == "tourists_international"
    assert by_mention(obs, "5,2").indicator_code == "tourists"


def test_target_verb_governs_the_semicolon_list_but_not_past_periods() -> None:
    obs = extract(QUARTERLY_NEWS, dt.date(2025, 4, 5))
    assert fields(by_mention(obs, "55.000"))[:4] == ("budget_revenue", "level", "2025", "target")
    assert by_mention(obs, "50.100").status == "estimate"


def test_comparison_stated_before_the_change_and_accident_counts() -> None:
    text = ("Tháng 5/2024, CPI so với tháng trước tăng 0,3%, so với cùng kỳ năm trước tăng "
            "4,1%. Năm 2024, xảy ra 40 vụ tai nạn giao thông, so với năm 2023 giảm 6 vụ.")
    obs = extract(text, dt.date(2024, 12, 20))
    monthly = by_mention(obs, "0,3%")
    assert (monthly.measure, monthly.period.code, monthly.base_period.code) == (
        "change_pct", "2024-05", "2024-04")
    assert by_mention(obs, "4,1%").measure == "yoy_pct"
    accidents = by_mention(obs, "40")
    assert (accidents.indicator_code, accidents.unit) == ("traffic_accidents", "ACCIDENT")
    fewer = by_mention(obs, "6 vụ")
    assert (fewer.measure, fewer.value, fewer.base_period.code) == ("change_abs", -6.0, "2023")
