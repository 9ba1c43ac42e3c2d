"""Layout of text as it really arrives: PDF reflow, page numbers, footnotes, offsets."""

from __future__ import annotations

from orchestration.extraction.layout import analyse, split_sentences

PDF = (
    "1. Về phát triển kinh tế \n\n"
    "Kinh tế tiếp tục phát triển, tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) \n\n"
    "bình quân hằng năm giai đoạn 2021 - 2025 ước đạt 6,79%1, trong đó: Nông, lâm \n\n"
    "nghiệp và thủy sản tăng 5,93%; dịch vụ tăng 6,69%. Các chính sách đặc thù khuyến \n\n"
    "khích đầu tư, phát triển sản xuất và tiêu thụ sản phẩm nông nghiệp đạt hiệu quả \n\n"
    "                                           \n"
    "1 Trong đó năm 2021 tăng 6,75%, năm 2022 tăng 6,63%, năm 2023 tăng 7,7%, năm \n\n"
    "2025 ước tăng 8,06%. \n"
    "\n\n4 \n\n"
    " cao, thu hút nhiều doanh nghiệp tham gia liên kết sản xuất với nông dân. \n\n"
    "1.1. Tái cơ cấu ngành nông nghiệp \n\n"
    "Chương trình tái cơ cấu ngành nông nghiệp được tập trung chỉ đạo thực hiện và \n\n"
    "đạt nhiều kết quả quan trọng trong giai đoạn vừa qua của tỉnh Lạng Sơn. \n"
)


def test_pdf_lines_are_reflowed_and_footnotes_cut_out() -> None:
    layout = analyse(PDF)
    assert layout.pdf_like
    assert layout.markers == {1: PDF.index("6,79%1") + len("6,79%")}
    body = [p for p in layout.paragraphs if p.kind == "body"]
    # the running sentence continues across the footnote and the page number
    text = body[0].vtext
    assert "hiệu quả cao, thu hút nhiều doanh nghiệp" in " ".join(text.split())
    assert "Trong đó năm 2021" not in text
    assert "6,79% ," in text  # the footnote marker is blanked, not deleted
    footnotes = [p for p in layout.paragraphs if p.kind == "footnote"]
    assert len(footnotes) == 1 and footnotes[0].footnote == 1
    assert footnotes[0].vtext.startswith("Trong đó năm 2021")
    assert footnotes[0].vtext.rstrip().endswith("ước tăng 8,06%.")
    headings = [p.vtext for p in layout.paragraphs if p.kind == "heading"]
    assert headings == ["1. Về phát triển kinh tế", "1.1. Tái cơ cấu ngành nông nghiệp"]


def test_virtual_offsets_point_into_the_stored_text() -> None:
    layout = analyse(PDF)
    for p in layout.paragraphs:
        for i, ch in enumerate(p.vtext):
            raw = PDF[p.vmap[i]]
            assert ch == raw or (ch == " " and (raw.isspace() or raw.isdigit())), (i, ch, raw)


def test_news_lines_are_paragraphs() -> None:
    text = (
        "Lạng Sơn: kinh tế quý I tăng trưởng khá\n"
        "Quý I/2025, GRDP của tỉnh tăng 8,27%.\n"
        "Xe hàng qua cửa khẩu Hữu Nghị\n"
        "Kim ngạch xuất nhập khẩu đạt 17.851,9 triệu USD."
    )
    layout = analyse(text)
    assert not layout.pdf_like
    assert [p.kind for p in layout.paragraphs] == ["heading", "body", "heading", "body"]


def test_sentences_do_not_split_inside_numbers_or_abbreviations() -> None:
    s = "Thu ngân sách đạt 18.063,8 tỷ đồng. Đường tỉnh ĐT. 239 được nâng cấp. Tăng 6,15%."
    parts = [s[a:b] for a, b in split_sentences(s)]
    assert parts == [
        "Thu ngân sách đạt 18.063,8 tỷ đồng.",
        "Đường tỉnh ĐT. 239 được nâng cấp.",
        "Tăng 6,15%.",
    ]


def test_markers_need_a_matching_footnote_body() -> None:
    # "CO2" and "tỉnh lộ 2" look like glued markers but no footnote body confirms them
    text = "Lượng phát thải CO2 giảm 5%. Nâng cấp đường2 xã.\n\nKết quả tốt."
    assert analyse(text).markers == {}
