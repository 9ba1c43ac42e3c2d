"""Reading rules of the observation contract (sections 3-5 and 7) on sentences written for
these tests (tests/fixtures/extraction_sentences.py): status scope over breakdowns, status
from the publication date or the cue words, targets, datelines that do not set periods,
months and cumulative periods, comparison bases, indices and plans stated as levels,
holiday windows, subsets that are not the indicator, the title's context, repeated
paragraphs, numbers that are not observations, every measure, bounds, unit conversions,
one number for two indicators, stocks."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import base, extract, indicators, of, one, reading


def test_an_estimate_cue_governs_its_sentence_and_the_breakdown_after_it() -> None:
    obs = extract(S.BAC_LIEU_GROWTH, S.BAC_LIEU_PUBLISHED)
    months = "2024-01/2024-09"
    for mention, code in [("6,84%", "grdp"), ("3,15%", "grdp_agriculture"),
                          ("9,42%", "grdp_industry_construction"), ("7,05%", "grdp_services")]:
        assert reading(one(obs, mention)) == (code, "yoy_pct", months, "estimate",
                                              float(mention[:-1].replace(",", ".")), "PCT",
                                              "VN-55")
    contribution = one(obs, "1,1 điểm phần trăm")
    assert reading(contribution) == ("grdp_agriculture", "contribution_pp", months, "estimate",
                                     1.1, "PP", "VN-55")


def test_a_new_sentence_without_a_cue_is_actual_once_its_period_is_over() -> None:
    obs = extract(S.BAC_LIEU_GROWTH, S.BAC_LIEU_PUBLISHED)
    assert reading(one(obs, "812,4 triệu USD")) == (
        "export_turnover", "level", "2024-01/2024-09", "actual", 812.4, "USD_MN", "VN-55")
    assert one(obs, "11,6%").status == "actual"


def test_without_a_publication_date_status_comes_from_the_cue_words() -> None:
    obs = extract(S.HA_NAM_BUDGET_NO_DATE)
    assert reading(one(obs, "16.520 tỷ đồng")) == (
        "budget_revenue", "level", "2023", "actual", 16520.0, "VND_BN", "VN-63")
    assert reading(one(obs, "18.000 tỷ đồng"))[:4] == ("budget_revenue", "level", "2024",
                                                        "estimate")


def test_a_period_not_over_at_publication_is_an_estimate_and_a_later_one_a_target() -> None:
    obs = extract(S.QUANG_TRI_YEAR_END, S.QUANG_TRI_YEAR_END_PUBLISHED)
    assert reading(one(obs, "5.120 tỷ đồng")) == (
        "budget_revenue", "level", "2025", "estimate", 5120.0, "VND_BN", "VN-25")
    growth = one(obs, "9,6%")
    assert (growth.measure, growth.status) == ("yoy_pct", "estimate")
    assert reading(one(obs, "5.600 tỷ đồng"))[:4] == ("budget_revenue", "level", "2026",
                                                       "target")


def test_the_same_text_read_after_the_period_is_over_is_actual() -> None:
    import datetime as dt

    obs = extract(S.QUANG_TRI_YEAR_END, dt.date(2026, 1, 20))
    assert one(obs, "5.120 tỷ đồng").status == "actual"


def test_an_estimate_of_the_current_year_stated_with_a_horizon_is_an_estimate() -> None:
    # "đến cuối năm 2025 ước đạt" said in 2025 estimates the year's outcome; "đến năm
    # 2030" without a cue stays a target
    obs = extract(
        "Kết quả thực hiện nhiệm vụ năm 2025 của tỉnh Sơn La\n\nTổng thu ngân sách nhà "
        "nước đến cuối năm 2025 ước đạt 6.350 tỷ đồng; tổng vốn đầu tư toàn xã hội đến năm "
        "2025 ước đạt 31.200 tỷ đồng. Đến năm 2030, thu ngân sách phấn đấu đạt 11.000 tỷ "
        "đồng.",
        dt.date(2025, 11, 20),
    )
    assert (one(obs, "6.350 tỷ đồng").status, one(obs, "6.350 tỷ đồng").period.code) == (
        "estimate", "2025")
    assert one(obs, "31.200 tỷ đồng").status == "estimate"
    assert (one(obs, "11.000 tỷ đồng").status, one(obs, "11.000 tỷ đồng").period.code) == (
        "target", "2030")


def test_targets_named_by_their_cues() -> None:
    obs = extract(S.SON_LA_TARGETS)
    assert reading(one(obs, "35%")) == ("urbanisation_rate", "level", "2030", "target", 35.0,
                                        "PCT", "VN-05")
    assert reading(one(obs, "47%")) == ("forest_cover", "level", "2030", "target", 47.0, "PCT",
                                        "VN-05")
    assert reading(one(obs, "9,5%/năm")) == (
        "grdp", "avg_annual_growth_pct", "2026/2030", "target", 9.5, "PCT", "VN-05")
    assert reading(one(obs, "120 triệu đồng")) == (
        "income_per_capita", "level", "2030", "target", 120.0, "VND_MN", "VN-05")


def test_a_dateline_with_a_session_and_a_term_does_not_set_the_period() -> None:
    obs = extract(S.QUANG_TRI_SESSION, S.QUANG_TRI_SESSION_PUBLISHED)
    assert sorted(o.mention for o in obs) == ["12,5%", "4.050 tỷ đồng", "6,2%"]
    assert reading(one(obs, "6,2%")) == ("grdp", "yoy_pct", "2024", "estimate", 6.2, "PCT",
                                         "VN-25")
    assert reading(one(obs, "4.050 tỷ đồng"))[:4] == ("budget_revenue", "level", "2024",
                                                       "estimate")


def test_cpi_comparison_bases() -> None:
    obs = extract(S.HA_NAM_MONTHLY, S.HA_NAM_MONTHLY_PUBLISHED)
    previous_month = one(obs, "0,36%")
    assert reading(previous_month) == ("cpi", "change_pct", "2024-08", "actual", 0.36, "PCT",
                                       "VN-63")
    assert base(previous_month) == "2024-07"
    december = one(obs, "2,15%")
    assert (december.measure, base(december)) == ("change_pct", "2023-12")
    same_period = one(obs, "3,9%")
    assert (same_period.measure, same_period.period.code, base(same_period)) == (
        "yoy_pct", "2024-08", None)
    base_year = one(obs, "14,2%")
    assert (base_year.measure, base_year.period.code, base(base_year)) == (
        "change_pct", "2024-08", "2019")
    average = one(obs, "3,75%")
    assert (average.indicator_code, average.measure, average.period.code) == (
        "cpi", "yoy_pct", "2024-01/2024-08")


def test_the_month_and_the_months_since_january() -> None:
    obs = extract(S.HA_NAM_MONTHLY, S.HA_NAM_MONTHLY_PUBLISHED)
    month = one(obs, "1,8%")
    assert (month.indicator_code, month.measure, month.period.code, base(month),
            month.status) == ("iip", "change_pct", "2024-08", "2024-07", "estimate")
    cumulative = one(obs, "9,3%")  # after a semicolon: still under "ước"
    assert reading(cumulative)[:4] == ("iip", "yoy_pct", "2024-01/2024-08", "estimate")
    assert reading(one(obs, "118 doanh nghiệp"))[:4] == ("new_enterprises", "level", "2024-08",
                                                          "actual")


def test_a_month_and_the_months_since_january_in_one_sentence() -> None:
    obs = extract(S.MONTH_THEN_MONTHS, S.MONTH_AND_MONTHS_PUBLISHED)
    assert reading(one(obs, "4.380 tỷ đồng"))[:4] == ("retail_sales", "level", "2023-11",
                                                       "estimate")
    assert reading(one(obs, "46.250 tỷ đồng"))[:4] == ("retail_sales", "level",
                                                        "2023-01/2023-11", "estimate")
    assert reading(one(obs, "10,2%"))[:3] == ("retail_sales", "yoy_pct", "2023-01/2023-11")


def test_indices_stated_as_levels_are_changes() -> None:
    obs = extract(S.SON_LA_INDEX, S.SON_LA_INDEX_PUBLISHED)
    iip = one(obs, "104,6%")
    assert reading(iip) == ("iip", "yoy_pct", "2024-Q2", "actual", pytest.approx(4.6), "PCT",
                            "VN-05")


def test_plans_stated_as_levels_are_percentages_of_plan() -> None:
    obs = extract(S.SON_LA_INDEX, S.SON_LA_INDEX_PUBLISHED)
    assert reading(one(obs, "61,5%"))[:5] == ("budget_revenue", "pct_of_plan", "2024-S1",
                                              "actual", 61.5)
    times = one(obs, "1,8 lần")
    assert reading(times)[:6] == ("budget_revenue_domestic", "pct_of_plan", "2024-S1", "actual",
                                  pytest.approx(180.0), "PCT")
    obs = extract(S.QUANG_TRI_SESSION, S.QUANG_TRI_SESSION_PUBLISHED)
    exceeded = one(obs, "12,5%")
    assert (exceeded.indicator_code, exceeded.measure, exceeded.value) == (
        "budget_revenue", "pct_of_plan", pytest.approx(112.5))
    assert exceeded.mention == "12,5%"  # the span is the number as written


def test_a_share_of_growth_in_percent_has_no_measure_here() -> None:
    obs = extract(S.CONTRIBUTION_SHARE)
    assert indicators(obs, "2,1%") <= {None}


def test_a_holiday_window_takes_its_dates() -> None:
    obs = extract(S.QUANG_BINH_HOLIDAY, S.QUANG_BINH_HOLIDAY_PUBLISHED)
    window = "2024-08-31/2024-09-03"
    assert reading(one(obs, "98.500 lượt khách du lịch")) == (
        "tourists", "level", window, "actual", 98500.0, "VISIT", "VN-24")
    assert reading(one(obs, "14%"))[:3] == ("tourists", "yoy_pct", window)
    assert reading(one(obs, "186 tỷ đồng"))[:5] == ("tourism_revenue", "level", window, "actual",
                                                     186.0)


@pytest.mark.parametrize("mention", ["215,6 triệu USD", "1,2%",
                                     "1.320 tỷ đồng", "2.980 tỷ đồng"])
def test_subsets_are_not_the_indicator(mention: str) -> None:
    obs = extract(S.SUBSETS, S.SUBSETS_PUBLISHED)
    assert indicators(obs, mention) <= {None}


def test_the_title_gives_the_period_place_and_subject_of_the_body() -> None:
    obs = extract(S.HA_NAM_TITLE, S.HA_NAM_TITLE_PUBLISHED)
    body = [o for o in of(obs, "7,1%") if o.span_start > S.HA_NAM_TITLE.index("\n")]
    assert len(body) == 1
    assert reading(body[0]) == ("grdp", "yoy_pct", "2024-Q1", "actual", 7.1, "PCT", "VN-63")
    assert reading(one(obs, "4.120 tỷ đồng"))[:3] == ("budget_revenue", "level", "2024-Q1")
    # a title number restates the body: if it is read, it reads the same
    title = [o for o in of(obs, "7,1%") if o.span_start < S.HA_NAM_TITLE.index("\n")]
    assert all(reading(o)[:3] == ("grdp", "yoy_pct", "2024-Q1") for o in title)


def test_a_repeated_paragraph_reads_like_the_first_copy() -> None:
    obs = extract(S.REPEATED_PARAGRAPH, S.REPEATED_PARAGRAPH_PUBLISHED)
    copies = of(obs, "21.340 tỷ đồng")
    assert len({o.span_start for o in copies}) == 2
    assert {reading(o) for o in copies} == {
        ("social_investment", "level", "2023-01/2023-09", "estimate", 21340.0, "VND_BN", "VN-58")}
    assert {reading(o)[:4] for o in of(obs, "8,1%")} == {
        ("social_investment", "yoy_pct", "2023-01/2023-09", "estimate")}


def test_identifiers_dates_names_and_section_numbers_are_not_observations() -> None:
    obs = extract(S.NOT_OBSERVATIONS, S.NOT_OBSERVATIONS_PUBLISHED)
    assert [o.mention for o in obs] == ["1.210 doanh nghiệp"]
    assert reading(obs[0]) == ("enterprises_total", "level", "2023", "actual", 1210.0,
                               "ENTERPRISE", "VN-03")


# ------------------------------------------------------------------------------ measures


def test_a_stock_and_the_new_ones_with_their_capital() -> None:
    obs = extract(S.GIA_LAI_ENTERPRISES, S.GIA_LAI_ENTERPRISES_PUBLISHED)
    assert reading(one(obs, "5.820 doanh nghiệp")) == (
        "enterprises_total", "level", "2023", "actual", 5820.0, "ENTERPRISE", "VN-30")
    assert reading(one(obs, "96.300 tỷ đồng"))[:2] == ("enterprises_total_capital", "level")
    assert reading(one(obs, "612 doanh nghiệp"))[:3] == ("new_enterprises", "level", "2023")
    assert reading(one(obs, "4.870 tỷ đồng"))[:2] == ("new_enterprises_capital", "level")


def test_a_change_against_an_explicit_base_year() -> None:
    obs = extract(S.GIA_LAI_ENTERPRISES, S.GIA_LAI_ENTERPRISES_PUBLISHED)
    change = one(obs, "45,2%")
    assert (change.indicator_code, change.measure, change.period.code, base(change)) == (
        "new_enterprises_capital", "change_pct", "2023", "2020")


def test_a_rate_indicators_level_and_its_changes_in_points() -> None:
    obs = extract(S.HA_GIANG_POVERTY, S.HA_GIANG_POVERTY_PUBLISHED)
    assert reading(one(obs, "24,6%")) == ("poverty_rate", "level", "2023", "actual", 24.6, "PCT",
                                          "VN-03")
    change = one(obs, "4,2%")
    assert reading(change) == ("poverty_rate", "change_abs", "2023", "actual", -4.2, "PP",
                               "VN-03")
    assert base(change) == "2022"
    average = one(obs, "3,9%")
    assert reading(average)[:6] == ("poverty_rate", "avg_annual_change_abs", "2021/2023",
                                    "actual", -3.9, "PP")


def test_shares_of_a_total() -> None:
    obs = extract(S.SECTOR_SHARES, S.SECTOR_SHARES_PUBLISHED)
    for mention, code, value in [("70,2%", "grdp_industry_construction", 70.2),
                                 ("19,4%", "grdp_services", 19.4)]:
        assert reading(one(obs, mention)) == (code, "share_pct", "2023", "actual", value, "PCT",
                                               "VN-56")


def test_a_multiple_of_a_base_and_a_rank() -> None:
    obs = extract(S.MULTIPLE_AND_RANK, S.MULTIPLE_AND_RANK_PUBLISHED)
    times = one(obs, "1,6 lần")
    assert reading(times) == ("export_turnover", "multiple_of_base", "2023", "actual", 1.6,
                              "TIMES", "VN-49")
    assert base(times) == "2020"
    rank = one(obs, "29/63")
    assert reading(rank) == ("pci_rank", "rank", "2023", "actual", 29.0, "RANK", "VN-49")


def test_annual_average_growth_over_a_plan_period() -> None:
    obs = extract(S.AVERAGE_GROWTH, S.AVERAGE_GROWTH_PUBLISHED)
    assert reading(one(obs, "6,9%/năm")) == (
        "grdp", "avg_annual_growth_pct", "2021/2025", "estimate", 6.9, "PCT", "VN-47")
    assert reading(one(obs, "78,5 triệu đồng")) == (
        "income_per_capita", "level", "2025", "estimate", 78.5, "VND_MN", "VN-47")


@pytest.mark.parametrize(("mention", "code", "qualifier", "low", "high"), [
    ("8,5 triệu lượt khách du lịch", "tourists", "approx", None, None),
    ("12.400 tỷ đồng", "tourism_revenue", "gt", 12400.0, None),
    ("2%", "unemployment_rate", "lt", None, 2.0),
    ("70%", "trained_labour_share", "gte", 70.0, None),
    ("7,5 - 8%", "grdp", "range", 7.5, 8.0),
])
def test_bounds_approximations_and_ranges(mention: str, code: str, qualifier: str,
                                          low: float | None, high: float | None) -> None:
    obs = extract(S.QUALIFIERS, S.QUALIFIERS_PUBLISHED)
    o = one(obs, mention)
    assert (o.indicator_code, o.qualifier, o.value_low, o.value_high) == (code, qualifier, low,
                                                                         high)
    if qualifier == "range":
        # "dự kiến" for a year that has not started at publication: a target
        assert (o.value, o.measure, o.period.code, o.status) == (7.75, "yoy_pct", "2025",
                                                                 "target")


@pytest.mark.parametrize(("mention", "code", "value", "unit"), [
    ("46,14 tỷ USD", "trade_turnover", 46140.0, "USD_MN"),
    ("85,1 nghìn lao động", "employed_workers", 85100.0, "PERSON"),
    ("1,92 triệu lượt khách du lịch", "tourists", 1920000.0, "VISIT"),
])
def test_levels_are_converted_to_the_indicators_unit(mention: str, code: str, value: float,
                                                     unit: str) -> None:
    obs = extract(S.UNIT_CONVERSIONS, S.UNIT_CONVERSIONS_PUBLISHED)
    assert reading(one(obs, mention)) == (code, "level", "2024", "actual", value, unit, "VN-57")


def test_one_number_for_two_indicators() -> None:
    obs = extract(S.TWO_INDICATORS, S.TWO_INDICATORS_PUBLISHED)
    found = {o.indicator_code: o for o in of(obs, "5%")}
    assert set(found) == {"traffic_accidents", "crimes"}
    for o in found.values():  # "so với năm 2023" for 2024: the year before, year on year
        assert (o.measure, o.value, o.status, o.period.code, o.span_start) == (
            "yoy_pct", -5.0, "target", "2024", found["crimes"].span_start)


def test_stocks_take_the_year_they_are_measured_in() -> None:
    obs = extract(S.STOCKS, S.STOCKS_PUBLISHED)
    assert reading(one(obs, "1.265 hợp tác xã")) == (
        "cooperatives_total", "level", "2024", "actual", 1265.0, "COOPERATIVE", "VN-50")
    assert reading(one(obs, "3.410 doanh nghiệp"))[:3] == ("enterprises_total", "level", "2024")
    assert reading(one(obs, "112/137 xã"))[:3] == ("new_rural_communes", "level", "2024")


# ------------------------------------------------------------------- catalogue indicators


@pytest.mark.parametrize("code", sorted(S.INDICATOR_SENTENCES))
def test_a_catalogue_indicator_is_read_from_the_words_reports_use(code: str) -> None:
    """The cues come from the catalogue and the word lists: each indicator, named as a
    report names it, is read as that indicator, a level in the catalogue's unit."""
    from orchestration.extraction.lexicon import catalogue

    text, mention = S.INDICATOR_SENTENCES[code]
    found = [o for o in extract(text) if o.mention == mention]
    assert [o.indicator_code for o in found] == [code], [(o.mention, o.indicator_code)
                                                         for o in extract(text)]
    o = found[0]
    if o.measure == "level":
        assert o.unit == catalogue()[code].unit
    else:  # a growth rate, an index or a rank: the measure says so
        assert (o.measure, o.unit) in {("yoy_pct", "PCT"), ("change_pct", "PCT"),
                                       ("rank", "RANK")}


# ------------------------------------------------------------------ words of the word lists

#: what each word does to the number of its sentence (tests/fixtures/extraction_sentences.py)
WORD_EXPECTED: dict[str, dict] = {
    "xuất siêu": {"indicator_code": None},  # a trade balance is not the turnover
    "nhập siêu": {"indicator_code": None},
    "cán cân thương mại": {"indicator_code": None},
    "tăng nhẹ": {
        "indicator_code": 'cpi', "measure": 'change_pct',
        "value": 0.12, "base_period": '2024-04'},
    "giảm nhẹ": {
        "indicator_code": 'cpi', "measure": 'change_pct',
        "value": -0.08, "base_period": '2024-05'},
    "giảm mạnh": {"indicator_code": 'import_turnover', "measure": 'yoy_pct', "value": -18.5},
    "nhiều hơn": {
        "indicator_code": 'new_enterprises', "measure": 'change_abs',
        "value": 120.0, "base_period": '2022'},
    "ít hơn": {
        "indicator_code": 'new_enterprises', "measure": 'change_abs',
        "value": -35.0, "base_period": '2022'},
    "giảm xuống": {
        "indicator_code": 'poverty_rate', "measure": 'level',
        "value": 3.2, "period": '2023'},
    "tăng lên": {"indicator_code": 'trained_labour_share', "measure": 'level', "value": 78.0},
    "xuống": {"indicator_code": 'unemployment_rate', "measure": 'level', "value": 2.9},
    "tăng từ": {
        "indicator_code": 'urbanisation_rate', "measure": 'level',
        "value": 28.0, "period": '2020'},
    "xếp hạng": {"indicator_code": 'pci_rank', "measure": 'rank', "value": 25.0},
    "thứ hạng": {"indicator_code": 'pci_rank', "measure": 'rank', "value": 12.0},
    "giảm bình quân": {
        "indicator_code": 'poverty_rate', "measure": 'avg_annual_change_abs',
        "value": -1.8, "period": '2021/2025'},
    "hằng năm": {
        "indicator_code": 'budget_revenue', "measure": 'avg_annual_growth_pct',
        "value": 12.0, "period": '2021/2025'},
    "hàng năm": {
        "indicator_code": 'export_turnover', "measure": 'avg_annual_growth_pct',
        "value": 9.5, "period": '2021/2025'},
    "mỗi năm": {
        "indicator_code": 'social_investment', "measure": 'avg_annual_growth_pct',
        "value": 10.2, "period": '2021/2025'},
    "tốc độ tăng": {"indicator_code": 'grdp', "measure": 'yoy_pct', "value": 7.1},
    "KH": {"indicator_code": 'budget_revenue', "measure": 'pct_of_plan', "value": 95.2},
    "đặt ra": {
        "indicator_code": 'grdp', "measure": 'yoy_pct',
        "status": 'target', "period": '2025'},
    "cần đạt": {"indicator_code": 'grdp', "status": 'target', "period": '2024-Q4'},
    "đăng ký mức": {"indicator_code": 'grdp', "status": 'target', "period": '2025'},
    "cơ bản đạt": {"indicator_code": 'grdp', "measure": 'yoy_pct', "status": 'actual'},
    "không đạt": {"indicator_code": None},
    "theo định hướng": {
        "indicator_code": 'grdp_services', "measure": 'share_pct',
        "status": 'actual'},
    "dự báo": {"indicator_code": 'grdp', "status": 'estimate'},
    "ước thực hiện": {"indicator_code": 'budget_revenue', "status": 'estimate'},
    "tương đương với": {"indicator_code": 'grdp_per_capita', "measure": 'level', "value": 95.5},
    "tương ứng": {"indicator_code": 'budget_revenue', "measure": 'change_abs', "value": 2140.0},
    "cho hay": {"indicator_code": 'export_turnover', "value": 32600.0},
    "chỉ tiêu này": {"indicator_code": 'poverty_rate', "measure": 'level', "period": '2022'},
    "mức này": {"indicator_code": 'income_per_capita', "period": '2020'},
    "số này": {"indicator_code": 'tourists', "period": '2022'},
    "chỉ số này": {"indicator_code": 'cpi', "period": '2022'},
    "con số này": {"indicator_code": 'new_enterprises', "period": '2022'},
    "kinh tế biển": {"indicator_code": None},
    "kinh tế đêm": {"indicator_code": None},
    "kinh tế tập thể": {"indicator_code": None},
    "kinh tế tư nhân": {"indicator_code": None},
    "kinh tế cửa khẩu": {"indicator_code": None},
    "nội địa": {"indicator_code": None},
    "quốc tế": {"indicator_code": None},
    "ngoại tỉnh": {"indicator_code": None},
    "lưu trú qua đêm": {"indicator_code": None},
    "khu vực nhà nước": {"indicator_code": None},
    "nguồn ngân sách nhà nước": {"indicator_code": None},
    "do địa phương quản lý": {"indicator_code": None},
    "sản phẩm chủ yếu": {"indicator_code": None},
    "nếu không tính": {"indicator_code": None},
    "không kể": {"indicator_code": None},
    "trừ": {"indicator_code": None},
    "vốn đầu tư đăng ký": {"indicator_code": 'investment_projects_capital', "value": 9820.0},
    "tổng trị giá": {"indicator_code": 'investment_projects_capital', "value": 9200.0},
    "giá hiện hành": {"indicator_code": 'grdp', "value": 98500.0},
    "giá so sánh": {"indicator_code": 'grdp', "measure": 'yoy_pct'},
    "sơ bộ": {"indicator_code": 'grdp', "measure": 'yoy_pct', "status": 'actual'},
    "thì": {"indicator_code": 'budget_revenue', "period": '2024-03'},
    "như vậy": {"indicator_code": 'social_investment', "period": '2024-S1'},
    "bên cạnh đó": {"indicator_code": 'import_turnover', "period": '2024-Q1'},
    "nông lâm ngư nghiệp": {"indicator_code": 'grdp_agriculture', "measure": 'yoy_pct'},
    "tỷ trọng lao động": {"indicator_code": 'labour_share_services', "value": 38.4},
    "Thái Bình Dương": {"indicator_code": 'export_turnover', "geo_code": 'VN-39'},
    "phường": {"indicator_code": None},
    "sân bay": {"indicator_code": None},
    "toàn thành phố": {"indicator_code": 'new_enterprises', "geo_code": 'VN-DN'},
}


def _field(o, name: str):
    value = getattr(o, name)
    return value.code if name in ("period", "base_period") and value is not None else value


@pytest.mark.parametrize("phrase", sorted(S.WORD_SENTENCES))
def test_the_words_of_the_word_lists_at_work(phrase: str) -> None:
    text, mention = S.WORD_SENTENCES[phrase]
    assert phrase.lower() in text.lower()
    obs = extract(text)
    expected = WORD_EXPECTED[phrase]
    if expected == {"indicator_code": None}:  # a subset, a place inside, a negated count
        assert indicators(obs, mention) <= {None}, [(o.mention, o.indicator_code) for o in obs]
        return
    found = of(obs, mention)
    assert found, [o.mention for o in obs]
    got = {name: _field(found[0], name) for name in expected}
    assert got == expected


@pytest.mark.parametrize("name", sorted(S.INDICATOR_VARIANTS))
def test_other_names_of_catalogued_indicators(name: str) -> None:
    text, mention, code = S.INDICATOR_VARIANTS[name]
    assert indicators(extract(text), mention) == {code}


def test_clauses_cut_at_semicolons_connectors_and_verbs_after_va() -> None:
    obs = extract(S.CLAUSES, S.CLAUSES_PUBLISHED)
    assert [(o.mention, o.indicator_code, o.measure) for o in obs] == [
        ("6,1%", "grdp", "yoy_pct"),
        ("7,2%", "grdp_services", "yoy_pct"),
        ("3,1 điểm phần trăm", "grdp_services", "contribution_pp"),
        ("8.200 tỷ đồng", "budget_revenue", "level"),  # the bracket without a number is
        ("5%", "budget_revenue", "yoy_pct"),  # part of its clause
        ("1.620 triệu USD", "export_turnover", "level"),
    ]
    assert {(o.period.code, o.status, o.geo_code) for o in obs} == {("2023", "actual", "VN-50")}


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        (S.UNIT_CONVERSIONS, "890.000 triệu đồng", "budget_revenue_domestic"),
        (S.ACCOMMODATION_ALONE, "1.240 tỷ đồng", "accommodation_food_revenue"),
        ("Chín tháng năm 2024, doanh thu kho bãi và dịch vụ hỗ trợ vận tải của tỉnh Hải "
         "Phòng đạt 24.600 tỷ đồng.", "24.600 tỷ đồng", "warehousing_revenue"),
        ("Năm 2023, doanh thu bưu chính, chuyển phát trên địa bàn tỉnh Bắc Giang đạt 415 tỷ "
         "đồng.", "415 tỷ đồng", "postal_revenue"),
    ],
)
def test_a_part_that_is_an_indicator_of_its_own_named_alone_is_that_indicator(
    text: str, mention: str, code: str
) -> None:
    o = one(extract(text, dt.date(2025, 1, 8)), mention)
    assert o.indicator_code == code
    assert "of its own" in o.evidence["subject_rule"]


def test_an_index_stated_against_the_same_period_without_so_voi() -> None:
    o = one(extract(S.SON_LA_INDEX, dt.date(2024, 7, 8)), "215%")
    assert (o.indicator_code, o.measure, o.value, o.period.code) == (
        "export_turnover", "yoy_pct", 115.0, "2024-Q2")


def test_a_subset_word_right_after_a_count_narrows_what_it_counts() -> None:
    obs = extract(
        "Quý I/2025, tỉnh Lâm Đồng đón 2,4 triệu lượt khách, trong đó có 210 nghìn lượt "
        "khách quốc tế.",
        dt.date(2025, 4, 12),
    )
    assert one(obs, "2,4 triệu lượt khách").indicator_code == "tourists"
    assert one(obs, "210 nghìn lượt khách").indicator_code is None


def test_year_to_now_in_a_monthly_report_runs_to_the_reported_month() -> None:
    o = one(extract(S.HA_NAM_MONTHLY, dt.date(2024, 9, 6)), "905 doanh nghiệp")
    assert (o.indicator_code, o.period.code, o.status) == (
        "new_enterprises", "2024-01/2024-08", "actual")


def test_the_whole_of_a_sibling_part_is_in_force_for_the_next_part() -> None:
    o = one(extract(S.SECTOR_SHARES, dt.date(2024, 1, 20)), "3,1%")
    assert (o.indicator_code, o.measure, o.period.code) == ("grdp_agriculture", "share_pct", "2023")


def test_steps_of_a_rank_are_a_change_of_the_rank_named_before() -> None:
    o = one(extract(S.MULTIPLE_AND_RANK, dt.date(2024, 5, 10)), "7 bậc")
    assert (o.indicator_code, o.measure, o.value, o.unit) == ("pci_rank", "change_abs", 7.0, "RANK")


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("Năm 2023, vận tải hàng hóa của tỉnh Bình Định đạt 3.480 triệu tấn.km.",
         "3.480 triệu tấn.km", "freight_traffic"),
        ("Năm 2023, vận tải hành khách của tỉnh Nghệ An đạt 4.120 triệu lượt khách.km.",
         "4.120 triệu lượt khách.km", "passenger_traffic"),
        ("Năm 2023, doanh thu vận tải hàng hóa của tỉnh Bình Định đạt 3.480 tỷ đồng.",
         "3.480 tỷ đồng", "transport_freight_revenue"),
    ],
)
def test_transport_named_alone_is_its_traffic_or_its_revenue_by_the_unit(
    text: str, mention: str, code: str
) -> None:
    assert one(extract(text, dt.date(2024, 2, 1)), mention).indicator_code == code


def test_parts_in_paragraphs_after_their_whole_belong_to_it() -> None:
    obs = extract(
        "Tình hình sản xuất công nghiệp 9 tháng năm 2024 tỉnh Quảng Ngãi\n\n"
        "Chỉ số sản xuất công nghiệp 9 tháng ước tính tăng 10,4% so với cùng kỳ. Nhiều doanh "
        "nghiệp đã có thêm đơn hàng mới.\n\n"
        "Ngành khai khoáng tăng 4,2%, do nhu cầu đá xây dựng tăng.\n\n"
        "Ngành sản xuất và phân phối điện tăng 7,7%.",
        dt.date(2024, 10, 5),
    )
    assert one(obs, "10,4%").indicator_code == "iip"
    assert one(obs, "4,2%").indicator_code == "iip_mining"
    assert one(obs, "7,7%").indicator_code == "iip_electricity"


def test_communes_meeting_a_higher_new_rural_standard_are_not_the_new_rural_count() -> None:
    obs = extract(
        "Đến hết năm 2024, tỉnh Hưng Yên có 93/93 xã đạt chuẩn nông thôn mới, trong đó "
        "41/93 xã đạt chuẩn nông thôn mới nâng cao và 12/93 xã đạt chuẩn nông thôn mới "
        "kiểu mẫu.",
        dt.date(2025, 1, 15),
    )
    assert one(obs, "93/93 xã").indicator_code == "new_rural_communes"
    assert one(obs, "41/93 xã").indicator_code is None
    assert one(obs, "12/93 xã").indicator_code is None


def test_the_reporting_agency_is_not_what_a_number_measures() -> None:
    obs = extract(
        "Năm 2024, số thu ngân sách từ hoạt động xuất nhập khẩu qua Cục Hải quan tỉnh Lào "
        "Cai đạt 2.130 tỷ đồng; chỉ tiêu phấn đấu UBND tỉnh giao cho đơn vị là 2.000 tỷ đồng.",
        dt.date(2025, 1, 9),
    )
    assert one(obs, "2.130 tỷ đồng").indicator_code == "budget_revenue_trade"
    assert one(obs, "2.000 tỷ đồng").indicator_code == "budget_revenue_trade"
    assert one(obs, "2.000 tỷ đồng").status == "target"


def test_one_thing_of_another_is_a_part_of_it_not_either_indicator() -> None:
    o = one(extract(S.CONTINUED_PARAGRAPH, dt.date(2023, 7, 14)), "8,4%")
    assert (o.indicator_code, o.period.code) == (None, "2023-S1")


def test_schools_meeting_the_national_standard_counted_are_the_count_indicator() -> None:
    obs = extract(
        "Năm 2023, tỉnh Ninh Thuận có 245 trường học đạt chuẩn quốc gia, chiếm 61,4% tổng "
        "số trường.",
        dt.date(2024, 1, 20),
    )
    assert one(obs, "245 trường học").indicator_code == "national_standard_schools"
    assert one(obs, "61,4%").indicator_code == "national_standard_schools_share"


def test_retail_of_goods_alone_is_not_retail_sales() -> None:
    obs = extract(S.SUBSETS, dt.date(2024, 7, 10))
    assert one(obs, "31.250 tỷ đồng").indicator_code is None
    full = extract(
        "Sáu tháng đầu năm 2024, tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng "
        "của tỉnh Đồng Tháp đạt 38.900 tỷ đồng.",
        dt.date(2024, 7, 10),
    )
    assert one(full, "38.900 tỷ đồng").indicator_code == "retail_sales"


def test_a_percentage_of_a_target_named_after_it_is_of_that_targets_indicator() -> None:
    obs = extract(
        "Tính chung 9 tháng năm 2024, tỉnh Ninh Bình đón khoảng 6,2 triệu lượt khách; tổng "
        "thu từ du lịch đạt 5.100 tỷ đồng. Như vậy, tỉnh đã thực hiện được khoảng 78% kế "
        "hoạch đón 8 triệu lượt khách trong năm 2024.",
        dt.date(2024, 10, 3),
    )
    share = one(obs, "78%")
    assert (share.indicator_code, share.measure) == ("tourists", "pct_of_plan")
    target = one(obs, "8 triệu lượt khách")
    assert (target.indicator_code, target.status, target.period.code) == (
        "tourists", "target", "2024")


def test_a_name_of_two_indicators_keeps_the_one_the_sentence_began_with() -> None:
    obs = extract(
        "Năm 2024, tỉnh Thái Nguyên thu hút 1,35 tỷ USD vốn đầu tư trực tiếp nước ngoài, đạt "
        "112% kế hoạch năm, đứng thứ 6 cả nước.",
        dt.date(2025, 1, 10),
    )
    assert one(obs, "1,35 tỷ USD").indicator_code == "fdi_capital"
    assert one(obs, "112%").indicator_code == "fdi_capital"
    assert one(obs, "6").indicator_code == "fdi_capital"


def test_a_long_indicator_name_right_after_a_percentage_is_its_subject() -> None:
    obs = extract(
        "Đến hết năm 2024, 98,6% xã có đường ô tô đến trung tâm xã được rải nhựa hoặc bê "
        "tông của tỉnh Hà Giang, tăng 9,3% so với năm 2020.",
        dt.date(2025, 1, 14),
    )
    o = one(obs, "98,6%")
    assert (o.indicator_code, o.measure) == ("paved_commune_roads_share", "level")
    change = one(obs, "9,3%")
    assert (change.indicator_code, change.measure, change.unit) == (
        "paved_commune_roads_share", "change_abs", "PP")


def test_each_year_is_year_on_year_and_an_annual_average_is_an_average() -> None:
    obs = extract(
        "Giai đoạn 2026 - 2030, phấn đấu kéo giảm số vụ tai nạn giao thông hằng năm từ 5% "
        "trở lên; tốc độ tăng trưởng GRDP bình quân hằng năm đạt 8,5%.",
        dt.date(2025, 10, 20),
    )
    each = one(obs, "5%")
    assert (each.indicator_code, each.measure, each.period.code) == (
        "traffic_accidents", "yoy_pct", "2026/2030")
    average = one(obs, "8,5%")
    assert (average.indicator_code, average.measure) == ("grdp", "avg_annual_growth_pct")


def test_vehicles_each_day_at_the_border_gates_are_the_daily_count() -> None:
    obs = extract(
        "Năm 2024, kim ngạch xuất nhập khẩu qua các cửa khẩu của tỉnh Hà Giang đạt 1,2 tỷ USD. "
        "Bình quân mỗi ngày có khoảng 410 xe hàng được thông quan.",
        dt.date(2025, 1, 6),
    )
    o = one(obs, "410 xe hàng")
    assert (o.indicator_code, o.unit) == ("border_vehicles_per_day", "VEHICLE_PER_DAY")


def test_goods_traded_through_border_gates_are_the_trade_turnover() -> None:
    obs = extract(S.TRADE_THROUGH_GATES, S.TRADE_THROUGH_GATES_PUBLISHED)
    assert reading(one(obs, "2,35 tỷ USD")) == (
        "trade_turnover", "level", "2025-01/2025-07", "actual", 2350.0, "USD_MN", "VN-13")
    assert reading(one(obs, "12,4%"))[:4] == ("trade_turnover", "yoy_pct", "2025-01/2025-07",
                                              "actual")
    assert reading(one(obs, "368 triệu USD"))[:3] == ("trade_turnover", "level", "2025-07")
    assert one(obs, "14%").indicator_code is None  # a share of the enterprises


def test_enterprises_written_dn_are_counted() -> None:
    obs = extract(S.ENTERPRISES_ABBREVIATED, S.ENTERPRISES_ABBREVIATED_PUBLISHED)
    assert reading(one(obs, "186 DN")) == (
        "new_enterprises", "level", "2023-Q1", "actual", 186.0, "ENTERPRISE", "VN-73")
    assert reading(one(obs, "24,8%"))[:2] == ("new_enterprises", "pct_of_plan")
    assert reading(one(obs, "1.240 tỷ đồng"))[:2] == ("new_enterprises_capital", "level")
    assert reading(one(obs, "9,6%"))[:2] == ("new_enterprises", "yoy_pct")


def test_herds_in_the_statistics_offices_words() -> None:
    obs = extract(S.NATIONAL_FARMING, S.NATIONAL_FARMING_PUBLISHED)
    assert [one(obs, m).indicator_code for m in ("2,8%", "2,1%", "3,4%", "2,6%")] == [
        "livestock_pigs", "livestock_cattle", "livestock_buffalo", "livestock_poultry"]
    assert one(obs, "4,4%").indicator_code is None  # pigs sold for slaughter: not the herd
    assert reading(one(obs, "198,5 nghìn ha"))[:3] == (
        "afforestation_area", "level", "2023-01/2023-09")


def test_a_sentence_breaking_down_a_target_or_an_estimate_is_one_too() -> None:
    # "Trong đó," opening the next sentence breaks the previous one down: its numbers have
    # the status the previous sentence's cue gave ("giao chỉ tiêu", "ước tính")
    obs = extract(
        "Chỉ tiêu tăng trưởng năm 2026 của các địa phương vùng Tây Nguyên\n\n"
        "Chính phủ giao chỉ tiêu tăng trưởng GRDP năm 2026 hai con số cho các tỉnh Tây "
        "Nguyên. "
        "Trong đó, Gia Lai là 10,5%; Đắk Lắk 10,2%; Lâm Đồng 10%.\n\n"
        "Tổng sản phẩm trong nước (GDP) năm 2025 ước tính tăng 8,02%. Trong đó, khu vực "
        "dịch vụ tăng 8,62%. Năm 2024, khu vực dịch vụ tăng 7,38%.",
        dt.date(2026, 1, 8),
    )
    for mention, code in (("10,5%", "VN-30"), ("10,2%", "VN-33"), ("10%", "VN-35")):
        o = one(obs, mention)
        assert (o.indicator_code, o.measure, o.period.code, o.status, o.geo_code) == (
            "grdp", "yoy_pct", "2026", "target", code), mention
    assert one(obs, "8,02%").status == "estimate"
    assert (one(obs, "8,62%").indicator_code, one(obs, "8,62%").status) == (
        "grdp_services", "estimate")
    assert one(obs, "7,38%").status == "actual"  # a sentence of its own


def test_how_many_digits_is_not_a_quantity() -> None:
    obs = extract(
        "Kinh tế tỉnh Bắc Ninh năm 2025\n\nNăm 2025, tỉnh phấn đấu tăng trưởng kinh tế hai con "
        "số; thu ngân sách đạt 46.000 tỷ đồng, tăng trưởng 2 chữ số so với năm trước.",
        dt.date(2025, 2, 10),
    )
    assert [o.mention for o in obs] == ["46.000 tỷ đồng"]


def test_a_growth_said_of_a_named_indicator_is_that_indicators():
    """"mức tăng 0,62% của CPI": the indicator after "của" is the one that grew, not the
    economy's growth a bare "mức tăng" defaults to."""
    text = (
        "Chỉ số giá tiêu dùng tháng 9 năm 2025 tỉnh Hậu Giang\n\n"
        "CPI tháng 9 trên địa bàn tỉnh tăng 0,62% so với tháng trước. Trong mức tăng 0,62% "
        "của CPI tháng 9 so với tháng trước, nhóm nhà ở và vật liệu xây dựng tăng 1,4%.\n"
    )
    found = [o for o in extract(text, dt.date(2025, 10, 6)) if o.mention == "0,62%"]
    assert len(found) == 2
    for o in found:
        assert o.indicator_code == "cpi"
        assert o.measure == "change_pct" and o.base_period.code == "2025-08"


def test_a_headline_change_takes_the_base_the_body_restates_it_with():
    """A headline states a change without its base; the body restates the same figure
    "so với tháng trước": the headline's number is that month-on-month change. A headline
    figure the body does not restate keeps the default (growth on last year)."""
    text = (
        "Xuất khẩu tháng 8 của Đồng Nai tăng 4,2%, nhập khẩu tăng 6,5%\n\n"
        "Kim ngạch xuất khẩu tháng 8 năm 2025 của tỉnh Đồng Nai ước đạt 2.180 triệu USD, "
        "tăng 4,2% so với tháng trước và tăng 15,3% so với cùng kỳ năm trước.\n"
    )
    found = extract(text, dt.date(2025, 9, 4))
    both = [o for o in found if o.mention == "4,2%"]
    assert len(both) == 2
    for o in both:
        assert o.indicator_code == "export_turnover"
        assert o.measure == "change_pct" and o.base_period.code == "2025-07"
    imports = one(found, "6,5%")
    assert imports.indicator_code == "import_turnover" and imports.measure == "yoy_pct"


def test_the_share_of_a_part_in_the_grdp_is_the_parts_and_value_added_is_no_rise():
    """"tỷ trọng giá trị tăng thêm của X trong GRDP": the share of X, GRDP the whole, and
    "giá trị tăng thêm" (value added) is a noun, not "tăng thêm" (rose further). A
    revenue named "ngân sách trên địa bàn" is not the GRDP in force."""
    found = {o.mention: o for o in extract(S.CONGRESS_TARGETS, S.CONGRESS_TARGETS_PUBLISHED)}
    digital = found["18,5%"]
    assert digital.indicator_code == "digital_economy_share"
    assert (digital.measure, digital.status, digital.period.code) == ("level", "target", "2030")
    services = found["41%"]
    assert services.indicator_code == "grdp_services" and services.measure == "share_pct"
    assert found["9%/năm"].indicator_code != "grdp"
