"""Places per number (contract section 7, orchestration.extraction.places): provinces in
the clause or the bracket next to the number, national cues, then the province the
document is about, then the folder the file sits in, then the configured default; merged
provinces keep their codes; a district, a city, a park, a border gate is not the
province."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.extraction.places import (
    document_province,
    is_proper_noun,
    province_of_folder,
    province_of_path,
    provinces_in,
)
from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import extract, indicators, of, one, reading


@pytest.mark.parametrize(("folder", "code"), [
    ("cao-bang", "VN-04"), ("Cao Bằng", "VN-04"), ("CAO_BANG", "VN-04"),
    ("tp-ho-chi-minh", "VN-SG"), ("TP. Hồ Chí Minh", "VN-SG"), ("thanh-pho-ha-noi", "VN-HN"),
    ("thanhpho-can-tho", "VN-CT"), ("tinh-dak-lak", "VN-33"), ("Tỉnh Bạc Liêu", "VN-55"),
    ("tinh-ba-ria-vung-tau", "VN-43"), ("dak-nong", "VN-72"), ("Đăk Nông", "VN-72"),
    ("quang tri", "VN-25"), ("VN-04", "VN-04"), ("vn-55", "VN-55"), ("hoa-binh", "VN-14"),
])
def test_a_folder_names_a_province_however_written(folder: str, code: str) -> None:
    assert province_of_folder(folder) == code


@pytest.mark.parametrize("folder", ["misc", "2024", "tinh", "tp", "bao-cao-thang", "VN-99",
                                    "ha", "quang"])
def test_other_folders_name_no_province(folder: str) -> None:
    assert province_of_folder(folder) is None


def test_the_nearest_folder_above_the_file_decides() -> None:
    assert province_of_path("bac-lieu/2024/bao-cao.txt") == "VN-55"
    assert province_of_path("VN-04/tong-hop/2024/quy-1.txt") == "VN-04"
    assert province_of_path("VN-04/quang-ninh/quy-1.txt") == "VN-13"
    assert province_of_path("tong-hop/2024/quy-1.txt") is None
    assert province_of_path("bac-lieu.txt") is None  # the file's own name is not a folder
    assert province_of_path(None) is None


def test_a_place_name_is_written_with_capitals() -> None:
    text = "vì hòa bình, tỉnh Hòa Bình"
    assert not is_proper_noun(text, 3, 11)
    assert is_proper_noun(text, 18, 26)
    assert [code for _, _, code in provinces_in(text)] == ["VN-14"]


def test_provinces_and_their_aliases_in_a_text() -> None:
    text = "TP.HCM, Đăk Lăk, Thừa Thiên - Huế, Sài Gòn, Bắc Cạn, BR-VT và Thái Bình Dương"
    found = provinces_in(text)
    assert [code for _, _, code in found] == ["VN-SG", "VN-33", "VN-26", "VN-SG", "VN-53",
                                              "VN-43"]
    assert [text[a:b] for a, b, _ in found][:3] == ["TP.HCM", "Đăk Lăk", "Thừa Thiên - Huế"]


def test_the_document_province_from_its_title() -> None:
    assert document_province("Đồng Tháp: xuất khẩu thủy sản vượt Cần Thơ", [], [], []) == (
        "VN-45", "title: Đồng Tháp")
    assert document_province("Kinh tế Kiên Giang tăng trưởng khá", [], [], [])[0] == "VN-47"


def test_the_document_province_from_its_header_and_lead() -> None:
    assert document_province("Thu hút đầu tư khởi sắc", ["Báo Kiên Giang"],
                             ["Kiên Giang đạt kết quả tích cực, cao hơn An Giang."], []) == (
        "VN-47", "header and lead")


def test_the_document_province_from_the_body_needs_a_clear_majority() -> None:
    body = ["Bến Tre tăng 6%.", "Bến Tre dẫn đầu.", "Trà Vinh tăng 5%."]
    assert document_province(None, [], [], body) == ("VN-50", "most named in the text")
    assert document_province(None, [], [], ["Bến Tre tăng.", "Trà Vinh tăng."]) == (None, "")
    assert document_province(None, [], [], ["Bến Tre tăng 6%."]) == (None, "")


# ------------------------------------------------------------------------ per number


@pytest.mark.parametrize(("mention", "code"), [
    ("8,4%", "VN-02"), ("7,9%", "VN-71"), ("6,1%", "VN-53"), ("5,2%", "VN-01"), ("5,05%", "VN"),
    ("9.870 tỷ đồng", "VN-20"), ("20.150 tỷ đồng", "VN-61"), ("34.200 tỷ đồng", "VN-66"),
    ("44,3 tỷ USD", "VN-SG"), ("2,4 tỷ USD", "VN-CT"), ("1,1 tỷ USD", "VN-52"),
])
def test_each_number_of_a_list_of_provinces_takes_its_own(mention: str, code: str) -> None:
    obs = extract(S.PROVINCE_LISTS, S.PROVINCE_LISTS_PUBLISHED, source_id="bac-lieu/x.txt")
    o = one(obs, mention)
    assert o.geo_code == code
    assert o.period.code == "2023" and o.status == "actual"
    assert o.indicator_code in ("grdp", "budget_revenue", "export_turnover")


@pytest.mark.parametrize(("mention", "code"), [
    ("10,1%", "VN-36"), ("6,7%", "VN-40"), ("7,2%", "VN-32"), ("7,8%", "VN-31"),
    ("6,9%", "VN-35"), ("6,1%", "VN-72"), ("7,4%", "VN-33"), ("8,0%", "VN-28"),
    ("7,6%", "VN-30"), ("7,09%", "VN"),
])
def test_provinces_named_before_their_verbs(mention: str, code: str) -> None:
    obs = extract(S.SOUTH_CENTRAL_LIST, S.SOUTH_CENTRAL_LIST_PUBLISHED)
    o = one(obs, mention)
    assert reading(o)[:4] == ("grdp", "yoy_pct", "2024", "actual")
    assert o.geo_code == code


@pytest.mark.parametrize(("mention", "code"), [
    ("5.120 tỷ đồng", "VN-46"), ("3.480 tỷ đồng", "VN-50"), ("3.910 tỷ đồng", "VN-49"),
    ("4.650 tỷ đồng", "VN-45"), ("6.230 tỷ đồng", "VN-47"), ("2.870 tỷ đồng", "VN-55"),
    ("3.010 tỷ đồng", "VN-59"), ("2.540 tỷ đồng", "VN-51"),
])
def test_a_long_list_of_budgets(mention: str, code: str) -> None:
    obs = extract(S.MEKONG_LIST, S.MEKONG_LIST_PUBLISHED)
    assert reading(one(obs, mention))[:4] + (one(obs, mention).geo_code,) == (
        "budget_revenue", "level", "2024-S1", "actual", code)


@pytest.mark.parametrize(("mention", "code", "value"), [
    ("3,8 triệu lượt", "VN-24", 3.8e6), ("1,9 triệu lượt", "VN-25", 1.9e6),
    ("3,4 triệu lượt", "VN-26", 3.4e6), ("6,2 triệu lượt", "VN-27", 6.2e6),
    ("2,1 triệu lượt", "VN-23", 2.1e6),
])
def test_tourist_arrivals_per_province(mention: str, code: str, value: float) -> None:
    obs = extract(S.CENTRAL_LIST, S.CENTRAL_LIST_PUBLISHED)
    assert reading(one(obs, mention)) == ("tourists", "level", "2024-01/2024-09", "actual",
                                          value, "VISIT", code)


def test_national_figures_are_vn() -> None:
    obs = extract(S.NATIONAL_COMPARISON, S.NATIONAL_COMPARISON_PUBLISHED)
    assert reading(one(obs, "7,4%")) == ("grdp", "yoy_pct", "2023", "actual", 7.4, "PCT",
                                         "VN-58")
    national = one(obs, "5,05%")
    assert (national.indicator_code, national.measure, national.geo_code) == (
        "grdp", "yoy_pct", "VN")
    assert (one(obs, "3,1%").geo_code, one(obs, "3,25%").geo_code) == ("VN-58", "VN")
    assert one(obs, "3,25%").indicator_code == "cpi"


def test_a_merged_province_keeps_the_code_of_the_name_it_keeps() -> None:
    obs = extract(S.MERGED_PROVINCE, S.MERGED_PROVINCE_PUBLISHED)
    assert reading(one(obs, "31.200 tỷ đồng")) == (
        "budget_revenue", "level", "2025-01/2025-09", "estimate", 31200.0, "VND_BN", "VN-68")
    assert one(obs, "14,5%").geo_code == "VN-68"


@pytest.mark.parametrize("mention", ["1.520 tỷ đồng", "12 dự án", "320 triệu USD", "2.150 ha"])
def test_a_city_a_park_a_border_gate_or_a_district_is_not_the_province(mention: str) -> None:
    obs = extract(S.PLACES_INSIDE, S.PLACES_INSIDE_PUBLISHED)
    assert indicators(obs, mention) <= {None}
    assert reading(one(obs, "3.250 tỷ đồng"))[:1] + (one(obs, "3.250 tỷ đồng").geo_code,) == (
        "budget_revenue", "VN-30")


@pytest.mark.parametrize(("source_id", "default", "code"), [
    ("bac-lieu/2024/quy-1.txt", "VN-09", "VN-55"),
    ("VN-04/quy-1.txt", "VN-09", "VN-04"),
    ("tong-hop/quy-1.txt", "VN-09", "VN-09"),
    ("tong-hop/quy-1.txt", "VN-37", "VN-37"),
    (None, "VN-09", "VN-09"),
])
def test_a_text_naming_no_province_takes_its_folder_then_the_default(
        source_id: str | None, default: str, code: str) -> None:
    obs = extract(S.NO_PROVINCE_NAMED, S.NO_PROVINCE_NAMED_PUBLISHED, source_id=source_id,
                  default_geo=default)
    assert {o.geo_code for o in obs} == {code}
    assert reading(one(obs, "1.845 tỷ đồng"))[:4] == ("budget_revenue", "level", "2024-Q1",
                                                       "actual")
    assert one(obs, "86 doanh nghiệp").indicator_code == "new_enterprises"


def test_the_province_the_text_names_wins_over_its_folder() -> None:
    obs = extract(S.NATIONAL_COMPARISON, S.NATIONAL_COMPARISON_PUBLISHED,
                  source_id="cao-bang/2024/bao-cao.txt", default_geo="VN-37")
    assert one(obs, "7,4%").geo_code == "VN-58"


def test_the_place_evidence_says_which_level_decided() -> None:
    obs = extract(S.NO_PLACE_WORD, S.NO_PLACE_WORD_PUBLISHED, source_id="bac-lieu/quy-1.txt")
    o = one(obs, "412 tỷ đồng")
    assert (o.indicator_code, o.geo_code) == ("bank_credit", "VN-55")
    assert o.evidence["geo"] == {"level": "document", "cue": "folder of bac-lieu/quy-1.txt"}
    obs = extract(S.NO_PLACE_WORD, S.NO_PLACE_WORD_PUBLISHED)
    assert one(obs, "412 tỷ đồng").evidence["geo"] == {
        "level": "document", "cue": "(configured default place)"}
    obs = extract(S.PROVINCE_LISTS, S.PROVINCE_LISTS_PUBLISHED)
    assert one(obs, "8,4%").evidence["geo"] == {"level": "clause", "cue": "lào cai"}


@pytest.mark.parametrize(("mention", "code"), [
    ("5,8%", "VN-SG"), ("6,1%", "VN-33"), ("5,3%", "VN-53"), ("4,2%", "VN-43"), ("7,1%", "VN-26"),
    ("482.000 tỷ đồng", "VN-SG"), ("8.900 tỷ đồng", "VN-33"),
    ("1,2 triệu lượt khách du lịch", "VN-SG"), ("1.150 triệu USD", "VN-SG"),
])
def test_province_names_as_the_web_writes_them(mention: str, code: str) -> None:
    obs = extract(S.PROVINCE_ALIASES, S.PROVINCE_ALIASES_PUBLISHED)
    o = one(obs, mention)
    assert o.geo_code == code
    assert o.indicator_code in ("grdp", "budget_revenue", "tourists", "fdi_capital")


def test_national_averages_compared_with_are_vn() -> None:
    obs = extract(S.NATIONAL_AVERAGES, S.NATIONAL_AVERAGES_PUBLISHED)
    assert reading(one(obs, "3,6%"))[:3] + (one(obs, "3,6%").geo_code,) == (
        "cpi", "yoy_pct", "2024-01/2024-09", "VN-63")
    national = one(obs, "3,88%")
    assert (national.indicator_code, national.measure, national.geo_code) == ("cpi", "yoy_pct",
                                                                              "VN")
    assert one(obs, "8,9%").geo_code == "VN-63"
    income = one(obs, "58 triệu đồng")
    assert (income.indicator_code, income.geo_code) == ("income_per_capita", "VN")
    assert one(obs, "65 triệu đồng").geo_code == "VN-63"
    assert one(obs, "6,82%").geo_code == "VN"


def test_gdp_of_the_country_is_vn_and_a_provinces_grdp_is_the_province() -> None:
    text, _, _ = S.INDICATOR_VARIANTS["tổng sản phẩm trong nước"]
    obs = extract(text)
    assert (one(obs, "5,05%").indicator_code, one(obs, "5,05%").geo_code) == ("grdp", "VN")
    assert (one(obs, "8,2%").indicator_code, one(obs, "8,2%").geo_code) == ("grdp", "VN-63")


def test_the_default_place_is_configured(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from orchestration import settings
    from orchestration.evaluation import build_scoring_warehouse

    monkeypatch.delenv("PROVSTATS_DEFAULT_GEO", raising=False)
    assert settings.default_geo() == "VN-09"
    monkeypatch.setenv("PROVSTATS_DEFAULT_GEO", "VN-37")
    assert settings.default_geo() == "VN-37"
    raw = tmp_path / "raw"
    (raw / "tong-hop").mkdir(parents=True)
    (raw / "tong-hop" / "quy-1.txt").write_text(S.NO_PLACE_WORD, encoding="utf-8")
    (raw / "bac-lieu").mkdir()
    (raw / "bac-lieu" / "quy-1.txt").write_text(S.NO_PLACE_WORD.replace("412", "386"),
                                                 encoding="utf-8")  # not a duplicate
    wh = tmp_path / "places.duckdb"
    assert build_scoring_warehouse(raw, wh) == 2
    import duckdb

    with duckdb.connect(str(wh), read_only=True) as con:
        rows = con.execute("select source_id, geo_code from marts.fct_indicator "
                           "order by source_id").fetchall()
    assert rows == [("bac-lieu/quy-1.txt", "VN-55"), ("tong-hop/quy-1.txt", "VN-37")]
    monkeypatch.setenv("PROVSTATS_DEFAULT_GEO", "Lạng Sơn")
    with pytest.raises(ValueError, match="PROVSTATS_DEFAULT_GEO"):
        settings.default_geo()


def test_a_bracket_naming_the_country_and_a_national_figure_after_the_number() -> None:
    obs = extract(S.NATIONAL_IN_BRACKETS)
    first, second = of(obs, "5,05%")
    assert (first.geo_code, first.indicator_code, first.measure) == ("VN", "grdp", "yoy_pct")
    assert (second.geo_code, second.indicator_code, second.measure) == ("VN", "grdp", "yoy_pct")
    assert one(obs, "6,1%").geo_code == "VN-50" and one(obs, "6,6%").geo_code == "VN-51"


def test_the_compared_national_level_after_cao_hon_muc() -> None:
    obs = extract(S.NATIONAL_AVERAGES, S.NATIONAL_AVERAGES_PUBLISHED)
    o = one(obs, "6,82%")
    assert (o.indicator_code, o.measure, o.geo_code, o.period.code) == (
        "grdp", "yoy_pct", "VN", "2024-01/2024-09")


def test_a_compared_value_said_of_an_earlier_period_takes_that_period() -> None:
    obs = extract(
        "Tình hình kinh tế quý I năm 2026 tỉnh Bình Phước\n\nTỷ lệ giải ngân vốn đầu tư công "
        "quý I của tỉnh đạt 13,4% kế hoạch, cao hơn mức 10,9% của cùng kỳ năm 2025.",
        dt.date(2026, 4, 6),
    )
    o = one(obs, "10,9%")
    assert (o.indicator_code, o.measure, o.period.code) == (
        "public_investment_disbursed", "pct_of_plan", "2025-Q1")


def test_a_province_alias_with_lower_case_words_is_read_as_written() -> None:
    assert one(extract(S.CAPITAL_CITY, dt.date(2024, 1, 10)), "6,27%").geo_code == "VN-HN"


def test_compared_values_stated_as_period_la_value_take_that_period_and_no_base() -> None:
    # "<so với> … cùng kỳ năm 2024 là 7,09%": the number is the compared period's own
    # growth (that period, year on year), not a change against it; the national cue of the
    # clause ("mức tăng GDP") holds across the comparison words
    obs = extract(
        "Kinh tế tỉnh Bắc Ninh quý II năm 2025\n\nTheo Cục Thống kê, tổng sản phẩm trong "
        "nước (GDP) quý II/2025 ước tăng 7,96% so với cùng kỳ năm trước, cao hơn mức tăng "
        "GDP cùng kỳ năm 2024 là 7,09% dù thấp hơn mức tăng cùng kỳ năm 2022 là 8,56%.\n\n"
        "GRDP quý II của tỉnh Bắc Ninh ước tăng 6,35%.",
        dt.date(2025, 7, 8),
    )
    facts = {m: (o.indicator_code, o.geo_code, o.period.code, o.measure,
                 o.base_period.code if o.base_period else None, o.status)
             for m in ("7,96%", "7,09%", "8,56%", "6,35%") for o in [one(obs, m)]}
    assert facts == {
        "7,96%": ("grdp", "VN", "2025-Q2", "yoy_pct", None, "estimate"),
        "7,09%": ("grdp", "VN", "2024-Q2", "yoy_pct", None, "actual"),
        "8,56%": ("grdp", "VN", "2022-Q2", "yoy_pct", None, "actual"),
        "6,35%": ("grdp", "VN-56", "2025-Q2", "yoy_pct", None, "estimate"),
    }


def test_a_province_named_in_the_clause_holds_after_a_comparison_word() -> None:
    # a round-up about several provinces: the number after "cao hơn" is still the named
    # province's, not the document's
    obs = extract(
        "Tình hình xuất khẩu các tỉnh vùng Đông Nam Bộ 9 tháng năm 2025\n\n"
        "Tỉnh Đồng Nai thu ngân sách 9 tháng ước đạt 48.200 tỷ đồng. Tổng mức bán lẻ "
        "hàng hóa của tỉnh Bình Dương 9 tháng cao hơn so với cùng kỳ năm trước 11,4%.",
        dt.date(2025, 10, 6),
    )
    assert one(obs, "48.200 tỷ đồng").geo_code == "VN-39"
    assert one(obs, "11,4%").geo_code == "VN-57"


def test_a_second_verb_of_the_same_subject_keeps_its_place() -> None:
    obs = extract(
        "Du lịch dịp nghỉ lễ Quốc khánh năm 2025\n\nTrong 4 ngày nghỉ lễ, các địa phương trên "
        "cả nước đã đón và phục vụ khoảng 8,2 triệu lượt khách. Riêng tỉnh Khánh Hòa đón "
        "415.000 lượt khách.",
        dt.date(2025, 9, 3),
    )
    assert one(obs, "8,2 triệu lượt khách").geo_code == "VN"
    assert one(obs, "415.000 lượt khách").geo_code == "VN-34"


def test_a_report_of_the_country_naming_no_province_is_national() -> None:
    obs = extract(S.NATIONAL_FARMING, S.NATIONAL_FARMING_PUBLISHED)
    assert {o.geo_code for o in obs} == {"VN"}
    assert "national report" in one(obs, "4,4%").evidence["geo"]["cue"]


def test_a_provincial_text_naming_no_province_keeps_the_default() -> None:
    obs = extract(
        "Thu ngân sách 9 tháng\n\nChín tháng năm 2024, tổng thu ngân sách nhà nước trên địa "
        "bàn ước đạt 2.870 tỷ đồng, tăng 6,2% so với cùng kỳ, cao hơn mức tăng của cả nước; "
        "thu nội địa tăng 5,1%, cũng cao hơn bình quân cả nước.",
        dt.date(2024, 10, 3),
    )
    assert one(obs, "2.870 tỷ đồng").geo_code == "VN-09"  # the configured default


def test_a_compared_period_before_the_number_is_no_base_of_an_earlier_one() -> None:
    obs = extract(
        "Kinh tế cả nước 6 tháng năm 2025\n\nGDP 6 tháng đầu năm 2025 của cả nước ước tăng "
        "7,52%, cao hơn so với mức tăng GDP cùng kỳ năm 2024 là 6,42% dù thấp hơn mức tăng "
        "cùng kỳ năm 2022 là 6,58%.",
        dt.date(2025, 7, 6),
    )
    for mention, period in (("6,42%", "2024-S1"), ("6,58%", "2022-S1")):
        o = one(obs, mention)
        assert (o.indicator_code, o.geo_code, o.period.code, o.measure, o.base_period) == (
            "grdp", "VN", period, "yoy_pct", None), mention


def test_a_city_says_thanh_pho_for_itself() -> None:
    # a centrally-run city's report: "Thành phố" with no name after it is the city itself
    obs = extract(
        "Tình hình kinh tế - xã hội Hà Nội 6 tháng đầu năm 2025\n\nTổng thu ngân sách nhà "
        "nước trên địa bàn Thành phố 6 tháng ước đạt 310.500 tỷ đồng, bằng 60,1% dự toán. "
        "Thành phố đón 15,2 triệu lượt khách du lịch. Riêng thành phố Sơn Tây thu ngân sách "
        "đạt 1.250 tỷ đồng.",
        dt.date(2025, 7, 4),
    )
    for mention, code in (("310.500 tỷ đồng", "budget_revenue"), ("60,1%", "budget_revenue"),
                          ("15,2 triệu lượt khách du lịch", "tourists")):
        assert (one(obs, mention).indicator_code, one(obs, mention).geo_code) == (
            code, "VN-HN"), mention
    assert one(obs, "1.250 tỷ đồng").indicator_code is None  # a town inside the city


def test_provinces_merged_into_the_one_a_text_speaks_of_are_its_history() -> None:
    obs = extract(
        "Kinh tế tỉnh Tuyên Quang quý III năm 2025\n\nTổng sản phẩm trên địa bàn (GRDP) quý "
        "III của tỉnh Tuyên Quang (sau hợp nhất với tỉnh Hà Giang) ước tăng 8,15%. Sau khi "
        "sáp nhập với Hà Giang, thu ngân sách của tỉnh 9 tháng đạt 5.830 tỷ đồng.",
        dt.date(2025, 10, 6),
    )
    assert one(obs, "8,15%").geo_code == "VN-07"
    assert one(obs, "5.830 tỷ đồng").geo_code == "VN-07"


def test_a_release_of_the_national_statistics_office_is_national() -> None:
    obs = extract(
        "CPI tháng 5 tăng nhẹ\n\nTheo Tổng cục Thống kê, chỉ số giá tiêu dùng (CPI) tháng "
        "5/2024 tăng 0,05% so với tháng trước; bình quân 5 tháng đầu năm 2024, CPI tăng 4,03% "
        "so với cùng kỳ năm trước.",
        dt.date(2024, 6, 6),
    )
    assert {(o.indicator_code, o.geo_code) for o in obs} == {("cpi", "VN")}
    # the same release quoted by a province that speaks of itself stays the province's
    obs = extract(
        "CPI tháng 5 tăng nhẹ\n\nTheo Tổng cục Thống kê, CPI tháng 5/2024 của cả nước tăng "
        "0,05%; chỉ số giá tiêu dùng trên địa bàn tỉnh tháng 5 tăng 0,12% so với tháng trước.",
        dt.date(2024, 6, 6),
    )
    assert one(obs, "0,12%").geo_code == "VN-09" and one(obs, "0,05%").geo_code == "VN"



def test_the_body_read_for_the_place_is_matched_once(monkeypatch) -> None:
    """A document whose place is decided on its body: each paragraph's noun phrases are
    found once, for the place, and reused for its words (no period masked in them)."""
    from collections import Counter

    from orchestration.extraction import extract_observations
    from orchestration.extraction.lexicon import noun_matcher

    text = (
        "Doanh nghiệp khởi sắc\n\nCác ngành tiếp tục phát triển.\n\nSản xuất ổn định.\n\n"
        "Bến Tre có 1.200 doanh nghiệp thành lập mới.\n\nBến Tre thu hút đầu tư.\n\n"
        "Vốn đầu tư đạt 3.000 tỷ đồng.\n"
    )
    matcher = noun_matcher()
    scanned: Counter[str] = Counter()
    real = matcher.finditer

    def counting(folded: str, start: int = 0, end: int | None = None):
        scanned[folded[start:end]] += 1
        return real(folded, start, end)

    monkeypatch.setattr(matcher, "finditer", counting)
    found = extract_observations(text, published_date=dt.date(2024, 7, 5))
    last = found[-1]
    assert (last.mention, last.geo_code) == ("3.000 tỷ đồng", "VN-50")
    assert last.evidence["geo"] == {"level": "document", "cue": "most named in the text"}
    assert scanned["bến tre có 1.200 doanh nghiệp thành lập mới."] == 1
    assert scanned["vốn đầu tư đạt 3.000 tỷ đồng."] == 1


def test_a_restatement_of_a_national_figure_is_national_in_a_provincial_report():
    """"…, tương ứng 58,2% kế hoạch" restates the number before it: the same place, the
    country, not the province the report is about."""
    text = (
        "Tiến độ giải ngân vốn đầu tư công tỉnh Kon Tum 9 tháng năm 2025\n\n"
        "Theo Bộ Tài chính, lũy kế 9 tháng năm 2025, vốn đầu tư công cả nước đã giải ngân "
        "ước đạt 512.300 tỷ đồng, tương ứng 58,2% kế hoạch Thủ tướng Chính phủ giao.\n"
    )
    found = {o.mention: o for o in extract(text, dt.date(2025, 10, 7))}
    assert found["512.300 tỷ đồng"].geo_code == "VN"
    assert found["58,2%"].geo_code == "VN"
    assert found["58,2%"].indicator_code == found["512.300 tỷ đồng"].indicator_code


def test_a_province_heading_a_sentence_or_a_paragraph_is_the_place_of_its_figures():
    """In a round-up of several provinces: a province opening a sentence is the place of
    the sentence's figures even when a ranking "trên cả nước" stands between (the
    country is the field of the ranking, not the place); a province the first figure of
    a sentence is said of carries to the next sentences of its paragraph. The country
    does not carry: a provincial paragraph sets its figures against it."""
    text = (
        "Các địa phương hút khách dịp nghỉ lễ 30/4 - 1/5\n\n"
        "Quảng Bình cũng là điểm đến nổi bật, đứng thứ 4 trên cả nước với doanh thu du lịch "
        "đạt 910 tỷ đồng, tăng 12%.\n\n"
        "Trong kỳ nghỉ, Thừa Thiên Huế đón khoảng 215.000 lượt khách. Trong đó, khách quốc tế "
        "đạt 48.000 lượt. Tổng thu từ khách du lịch ước đạt 640 tỷ đồng.\n\n"
        "Cả nước đón khoảng 4,1 triệu lượt khách. Tổng thu từ khách du lịch ước đạt 18.200 tỷ "
        "đồng.\n"
    )
    found = {o.mention: o for o in extract(text, dt.date(2025, 5, 3))}
    for mention in ("910 tỷ đồng", "12%"):
        assert found[mention].geo_code == "VN-24", mention
    for mention in ("215.000 lượt khách", "640 tỷ đồng"):
        assert found[mention].geo_code == "VN-26", mention
    assert found["640 tỷ đồng"].indicator_code == "tourism_revenue"
    assert found["4,1 triệu lượt khách"].geo_code == "VN"
    assert found["18.200 tỷ đồng"].geo_code != "VN-26"


def test_the_country_does_not_carry_to_the_provinces_figures_in_its_paragraph():
    text = (
        "Kinh tế tỉnh Yên Bái năm 2024\n\n"
        "Năm 2024, GDP cả nước tăng 7,09%. Tăng trưởng GRDP đạt 7,6%, xếp thứ 3 khu vực. "
        "Thu ngân sách nhà nước đạt 5.120 tỷ đồng.\n"
    )
    found = {o.mention: o for o in extract(text, dt.date(2025, 1, 12))}
    assert found["7,09%"].geo_code == "VN"
    assert found["7,6%"].geo_code == "VN-06"
    assert found["5.120 tỷ đồng"].geo_code == "VN-06"
