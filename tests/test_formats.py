"""PDF, Word and Excel readers (orchestration/ingest/pdf.py, docx_reader.py,
xlsx_reader.py, tables.py, formats.py) on files generated here: text conventions (pages,
headers, page numbers, tables), merged header cells, number formats, and every kind of
bad file refused with its reason.

Sentences are written for these tests (no seed or development-set text).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image, ImageDraw

from orchestration.ingest import UnreadableFileError, read_document, scan_raw_folder
from orchestration.ingest.formats import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ReadLimits,
)
from orchestration.ingest.tables import GridCell, flatten_grid
from orchestration.ingest.xlsx_reader import format_number
from tests.fixtures.render_documents import add_pdf_table, new_pdf

# -------------------------------------------------------------------- test documents

HEADER = "UBND TỈNH HÀ NAM - BÁO CÁO KINH TẾ - XÃ HỘI NĂM 2024"
FILLER = (
    "Các ngành, các cấp tập trung tháo gỡ khó khăn cho sản xuất kinh doanh, đẩy mạnh cải "
    "cách thủ tục hành chính và cải thiện môi trường đầu tư của tỉnh."
)
BROKEN_START = "Tổng thu ngân sách nhà nước trên địa bàn năm 2024 ước đạt"
BROKEN_END = "5.120 tỷ đồng, tăng 12,5% so với cùng kỳ năm trước."

#: The statistics office annex: merged header cells over two header rows.
ANNEX_HEADER = (
    ("STT", 1, 2), ("Chỉ tiêu", 1, 2), ("Đơn vị tính", 1, 2), ("Năm 2024", 2, 1),
    ("So sánh (%)", 1, 2),
)
ANNEX_SUBHEADER = ("Kế hoạch", "Ước thực hiện")
ANNEX_BODY = (
    ("1", "Tổng thu ngân sách nhà nước trên địa bàn", "Tỷ đồng", "4.800", "5.120", "106,7"),
    ("2", "Kim ngạch xuất khẩu", "Triệu USD", "1.250,5", "1.310,2", "104,8"),
    ("3", "Vốn đầu tư phát triển toàn xã hội", "Tỷ đồng", "-", "", "98,2"),
)
#: How every reader must flatten it (tables.py): merged cells repeated, empty cells empty.
ANNEX_LINES = [
    "STT | Chỉ tiêu | Đơn vị tính | Năm 2024 | Năm 2024 | So sánh (%)",
    "STT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Ước thực hiện | So sánh (%)",
    "1 | Tổng thu ngân sách nhà nước trên địa bàn | Tỷ đồng | 4.800 | 5.120 | 106,7",
    "2 | Kim ngạch xuất khẩu | Triệu USD | 1.250,5 | 1.310,2 | 104,8",
    "3 | Vốn đầu tư phát triển toàn xã hội | Tỷ đồng | - |  | 98,2",
]
ANNEX_TITLE = "Biểu 01: MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2024"
ANNEX_UNIT = "Đơn vị: tỷ đồng, triệu USD"


def read(tmp_path: Path, name: str, data: bytes, **limits) -> str:
    """The document text of ``data`` saved as ``name`` (through read_document)."""
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, name, limits=ReadLimits(**limits) if limits else None).text


def refusal(tmp_path: Path, name: str, data: bytes, **limits) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as caught:
        read_document(path, name, limits=ReadLimits(**limits) if limits else None)
    assert caught.value.content_sha256 is not None and caught.value.byte_size == len(data)
    return caught.value.reason


PAGE_TOPICS = ("nông nghiệp", "công nghiệp", "thương mại", "du lịch", "giao thông", "y tế",
               "giáo dục", "văn hóa", "lao động", "môi trường", "ngân sách", "đầu tư")


def text_pdf(paragraphs: list[str], *, header: str | None = None, pages: int = 1) -> bytes:
    """``paragraphs`` on the first page; more pages each hold a paragraph of their own."""
    pdf = new_pdf(header)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    for page in range(1, pages):
        pdf.add_page()
        topic = PAGE_TOPICS[page % len(PAGE_TOPICS)]
        pdf.multi_cell(0, 6, f"Trang {page + 1} bàn về lĩnh vực {topic} của tỉnh, "
                       f"{'nơi có nhiều chuyển biến, ' * (page % 4)}được chú trọng.",
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def annex_pdf() -> bytes:
    pdf = new_pdf(page_numbers=False)
    pdf.add_page()
    pdf.multi_cell(0, 6, ANNEX_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, ANNEX_UNIT, new_x="LMARGIN", new_y="NEXT")
    rows = [ANNEX_HEADER, ANNEX_SUBHEADER, *ANNEX_BODY]
    add_pdf_table(pdf, rows, heading_rows=2)
    pdf.multi_cell(0, 6, "Nguồn: Cục Thống kê tỉnh.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def annex_docx() -> bytes:
    document = docx.Document()
    document.add_heading(ANNEX_TITLE, level=2)
    document.add_paragraph(ANNEX_UNIT)
    table = document.add_table(rows=2 + len(ANNEX_BODY), cols=6)
    table.style = "Table Grid"
    for c, text in enumerate(("STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "", "So sánh (%)")):
        table.cell(0, c).text = text
    for c, text in enumerate(ANNEX_SUBHEADER, start=3):
        table.cell(1, c).text = text
    for col in (0, 1, 2, 5):
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(0, 3).merge(table.cell(0, 4))
    for r, row in enumerate(ANNEX_BODY, start=2):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("Nguồn: Cục Thống kê tỉnh.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def annex_xlsx(*, numbers: bool = True) -> bytes:
    """The annex as statistics offices send it: a merged title row, a unit row, merged
    header cells, numbers stored as numbers with their display format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Biểu 01"
    sheet["A1"] = ANNEX_TITLE
    sheet.merge_cells("A1:F1")
    sheet["A2"] = ANNEX_UNIT
    sheet.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", None, "So sánh (%)"])
    sheet.append([None, None, None, *ANNEX_SUBHEADER, None])
    for col in "ABCF":
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("D3:E3")
    stored = {
        "4.800": (4800, "#,##0"), "5.120": (5120, "#,##0"), "106,7": (106.7, "0.0"),
        "1.250,5": (1250.5, "#,##0.0"), "1.310,2": (1310.2, "#,##0.0"),
        "104,8": (104.8, "0.0"), "98,2": (98.2, "0.0"),
    }
    for r, row in enumerate(ANNEX_BODY, start=5):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            if numbers and text in stored:
                cell.value, cell.number_format = stored[text]
            elif numbers and c == 1:
                cell.value = int(text)
            else:
                cell.value = text or None
    sheet.cell(5 + len(ANNEX_BODY) + 1, 1, "Nguồn: Cục Thống kê tỉnh.")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if " | " in line]


# --------------------------------------------------------------------------- tables


def test_merged_cells_repeat_and_identical_grid_columns_collapse() -> None:
    merged, left = object(), object()
    grid = [
        [GridCell("Chỉ tiêu", left), GridCell("Năm 2025", merged), GridCell("Năm 2025", merged)],
        [GridCell("Chỉ tiêu", left), GridCell("Quý I"), GridCell("Quý II")],
        [GridCell("Vốn | đầu\ntư"), GridCell("  12,5 "), GridCell("")],
    ]
    flat = flatten_grid(grid)
    assert flat.rows == (
        "Chỉ tiêu | Năm 2025 | Năm 2025",
        "Chỉ tiêu | Quý I | Quý II",
        "Vốn / đầu tư | 12,5 | ",
    )
    # a grid column no row tells apart is one column
    same = object()
    doubled = [[GridCell("A"), GridCell("x", same), GridCell("x", same)],
               [GridCell("B"), GridCell("y", (1,)), GridCell("y", (1,))]]
    assert flatten_grid(doubled).rows == ("A | x", "B | y")


def test_title_unit_and_source_rows_become_lines_around_the_table() -> None:
    title = object()
    grid = [
        [GridCell("Biểu 3", title), GridCell("Biểu 3", title), GridCell("Biểu 3", title)],
        [GridCell("Đơn vị: tỷ đồng"), GridCell(""), GridCell("")],
        [GridCell("Chỉ tiêu"), GridCell("2024"), GridCell("2025")],
        [GridCell("Thu ngân sách"), GridCell("1.200"), GridCell("1.350")],
        [GridCell(""), GridCell(""), GridCell("")],
        [GridCell("Nguồn: Sở Tài chính"), GridCell(""), GridCell("")],
    ]
    assert flatten_grid(grid).lines() == [
        "Biểu 3", "Đơn vị: tỷ đồng", "",
        "Chỉ tiêu | 2024 | 2025", "Thu ngân sách | 1.200 | 1.350",
        "", "Nguồn: Sở Tài chính",
    ]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (47315.2, "#,##0.0", "47.315,2"),
        (1402, "#,##0", "1.402"),
        (109.6, "0.0", "109,6"),
        (230, "0.0", "230,0"),
        (0.1234, "0.00%", "12,34%"),
        (3812.5, "General", "3812,5"),
        (2024, "General", "2024"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1.234,50"),
        (2.5, "0.0#", "2,5"),
        (2.555, "0.00", "2,56"),
        (1234567.891, '#,##0.0 "tỷ"', "1.234.567,9"),
        (0.000012, "0.00E+00", "1,2e-05"),
    ],
)
def test_excel_numbers_read_as_a_vietnamese_reader_sees_them(value, fmt, shown) -> None:
    assert format_number(value, fmt) == shown


# ------------------------------------------------------------------------------ PDF


#: The two-page report as plain text: the sentence that the PDF breaks across its pages.
PAGE_BREAK_TXT = "\n".join([FILLER] * 3 + [f"{BROKEN_START} {BROKEN_END}", FILLER])


def page_break_pdf() -> bytes:
    """PAGE_BREAK_TXT on two pages with a running header and page numbers, the page
    breaking inside the sentence on budget revenue."""
    pdf = new_pdf(HEADER)
    pdf.add_page()
    for _ in range(3):
        pdf.multi_cell(0, 6, FILLER, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, BROKEN_START, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()  # the sentence goes on at the top of page 2
    pdf.multi_cell(0, 6, BROKEN_END, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, FILLER, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_sentence_across_the_page_break_with_headers_and_page_numbers(tmp_path) -> None:
    text = read(tmp_path, "bao-cao.pdf", page_break_pdf())

    assert f"{BROKEN_START}\n\f\n{BROKEN_END}" in text  # the page break is a line of its own
    assert text.count("\f") == 1
    assert HEADER not in text  # the running header of both pages is gone
    assert not re.search(r"^\s*\d+\s*$", text, re.M)  # and so are the page numbers
    assert text.startswith("Các ngành") and text.endswith("của tỉnh.")

    # Reading it as one sentence (budget_revenue 5.120 tỷ đồng for 2024, on page 2) is the
    # extractor's part: a "\f" line must not end the paragraph. The same document is in
    # tests/test_formats_equivalence.py, listed there until the extractor does it.


def test_pdf_running_header_and_page_numbers_removed_on_every_page(tmp_path) -> None:
    paragraphs = [
        "Kim ngạch xuất khẩu hàng hóa quý I/2025 ước đạt 312,4 triệu USD, tăng 8,1% so "
        "với cùng kỳ năm trước.",
        FILLER,
    ]
    text = read(tmp_path, "nhieu-trang.pdf", text_pdf(paragraphs, header=HEADER, pages=4))
    pages = text.split("\n\f\n")
    assert len(pages) == 4
    assert pages[0].startswith("Kim ngạch xuất khẩu") and pages[0].endswith("của tỉnh.")
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"Trang {number} bàn về") and page.endswith("được chú trọng.")
    assert HEADER not in text
    assert not re.search(r"^\s*\d+\s*$", text, re.M)


def test_single_page_pdf_keeps_its_heading_and_loses_its_page_number(tmp_path) -> None:
    text = read(tmp_path, "mot-trang.pdf", text_pdf(["BÁO CÁO NHANH", FILLER]))
    assert text == "BÁO CÁO NHANH\n" + text.split("\n", 1)[1]
    assert " ".join(text.split()) == "BÁO CÁO NHANH " + FILLER
    assert "\f" not in text


def test_pdf_annex_with_merged_headers_is_flattened(tmp_path) -> None:
    path = tmp_path / "phu-luc.pdf"
    path.write_bytes(annex_pdf())
    doc = read_document(path, "phu-luc.pdf")
    assert (doc.media_type, doc.encoding) == (PDF_MEDIA_TYPE, "binary")
    lines = doc.text.split("\n")
    assert lines[:3] == [ANNEX_TITLE, ANNEX_UNIT, ""]
    assert lines[3:8] == ANNEX_LINES
    assert lines[8:] == ["", "Nguồn: Cục Thống kê tỉnh."]


def test_pdf_footnote_stays_at_the_foot_of_its_page_with_its_marker(tmp_path) -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.write(6, "Tốc độ tăng trưởng GRDP năm 2024 ước đạt 7,35%")
    pdf.set_font("dejavu", size=7)
    pdf.write(4, "1")  # superscript-like marker, glued to the number
    pdf.set_font("dejavu", size=11)
    pdf.write(6, ", cao hơn mức bình quân chung.")
    pdf.ln(12)
    pdf.multi_cell(0, 6, FILLER, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-40)
    pdf.set_font("dejavu", size=8)
    pdf.multi_cell(0, 5, "1 Theo số liệu sơ bộ của Cục Thống kê.", new_x="LMARGIN",
                   new_y="NEXT")
    text = read(tmp_path, "chu-thich.pdf", bytes(pdf.output()))
    assert "7,35%1, cao hơn" in text
    assert text.endswith("\n1 Theo số liệu sơ bộ của Cục Thống kê.")


# ----------------------------------------------------------------------- DOCX, XLSX


def test_docx_paragraphs_headings_and_tables_in_document_order(tmp_path) -> None:
    path = tmp_path / "phu-luc.docx"
    path.write_bytes(annex_docx())
    doc = read_document(path, "phu-luc.docx")
    assert (doc.media_type, doc.encoding) == (DOCX_MEDIA_TYPE, "binary")
    assert doc.text.split("\n") == [
        ANNEX_TITLE, ANNEX_UNIT, "", *ANNEX_LINES, "", "Nguồn: Cục Thống kê tỉnh.",
    ]
    assert doc.title == ANNEX_TITLE


def test_docx_text_inside_a_content_control_is_read_in_place(tmp_path) -> None:
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("Báo cáo nhanh.")
    inner = document.add_paragraph("Thu ngân sách năm 2025 đạt 2.100 tỷ đồng.")
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner._p.addprevious(control)
    control.append(content)
    content.append(inner._p)
    document.add_paragraph("Hết.")
    out = io.BytesIO()
    document.save(out)
    text = read(tmp_path, "kiem-soat.docx", out.getvalue())
    assert text == "Báo cáo nhanh.\nThu ngân sách năm 2025 đạt 2.100 tỷ đồng.\nHết."


@pytest.mark.parametrize("numbers", [True, False], ids=["numbers", "text-cells"])
def test_xlsx_sheet_with_merged_headers_reads_as_the_annex(tmp_path, numbers) -> None:
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(annex_xlsx(numbers=numbers))
    doc = read_document(path, "phu-luc.xlsx")
    assert (doc.media_type, doc.encoding) == (XLSX_MEDIA_TYPE, "binary")
    assert doc.text.split("\n") == [
        ANNEX_TITLE, ANNEX_UNIT, "", *ANNEX_LINES, "", "Nguồn: Cục Thống kê tỉnh.",
    ]


def test_the_annex_reads_the_same_in_every_format(tmp_path) -> None:
    texts = {
        suffix: table_lines(read(tmp_path, "annex" + suffix, data))
        for suffix, data in ((".pdf", annex_pdf()), (".docx", annex_docx()),
                             (".xlsx", annex_xlsx()))
    }
    assert texts[".pdf"] == texts[".docx"] == texts[".xlsx"] == ANNEX_LINES


def test_xlsx_workbook_with_several_sheets_names_them_and_skips_hidden_ones(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Thu NSNN"
    first.append(["Chỉ tiêu", "Năm 2025"])
    first.append(["Thu nội địa", "2.450"])
    second = workbook.create_sheet("Xuất khẩu")
    second.append(["Chỉ tiêu", "Quý I/2025"])
    second.append(["Kim ngạch xuất khẩu", "415,2"])
    hidden = workbook.create_sheet("Tra cứu")
    hidden.append(["mã", "99"])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    text = read(tmp_path, "bieu.xlsx", out.getvalue())
    assert text == (
        "Thu NSNN\n\nChỉ tiêu | Năm 2025\nThu nội địa | 2.450\n\n"
        "Xuất khẩu\n\nChỉ tiêu | Quý I/2025\nKim ngạch xuất khẩu | 415,2"
    )


# ------------------------------------------------------------------ legacy TCVN3 fonts


def in_tcvn3_font(text: str) -> str:
    """``text`` as a document typed in a .VnTime font shows it: its TCVN3 bytes read as
    Windows-1252 letters ("Tổng" → "Tæng")."""
    from orchestration.ingest.decode import _TABLES

    byte_of = {char: code for code, char in enumerate(_TABLES["tcvn3"])}
    return bytes(byte_of[c] for c in text).decode("cp1252")


def test_word_file_typed_in_a_tcvn3_font_reads_as_vietnamese(tmp_path) -> None:
    sentence = ("Thu ngân sách nhà nước trên địa bàn năm 2024 ước đạt 3.200 tỷ đồng, tăng "
                "8,1% so với cùng kỳ.")
    assert in_tcvn3_font(sentence).startswith("Thu ng©n s¸ch nhµ n­íc")
    document = docx.Document()
    document.add_paragraph(in_tcvn3_font(sentence))
    document.add_paragraph("Ghi chú bằng phông Unicode giữ nguyên.")
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "vntime.docx"
    path.write_bytes(out.getvalue())
    doc = read_document(path, "vntime.docx")
    assert doc.text == sentence + "\nGhi chú bằng phông Unicode giữ nguyên."
    assert doc.encoding == "tcvn3"


def test_pdf_typed_in_a_tcvn3_font_reads_as_vietnamese(tmp_path) -> None:
    # (no "ư": its TCVN3 byte is the soft hyphen's, which fpdf2 does not draw)
    sentence = "Tổng sản phẩm trên địa bàn tỉnh năm 2024 tăng 7,5% so với cùng kỳ."
    text = read(tmp_path, "vntime.pdf", text_pdf([in_tcvn3_font(sentence)]))
    assert text == sentence


def test_text_that_is_not_vietnamese_is_never_converted(tmp_path) -> None:
    french = "Le café du marché a été rénové; la société prévoit une hausse de 5 %."
    assert read(tmp_path, "francais.pdf", text_pdf([french])) == french


# ------------------------------------------------------------------------ bad files


def scanned_pdf() -> bytes:
    from fpdf import FPDF

    image = Image.new("RGB", (800, 1100), "white")
    ImageDraw.Draw(image).text((60, 60), "BAO CAO THU NGAN SACH 2024: 5.120 ty dong", fill="black")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=210)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    pdf = new_pdf()
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    pdf.add_page()
    pdf.multi_cell(0, 6, FILLER)
    return bytes(pdf.output())


def renamed_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bao-cao.txt", "Báo cáo nén trong một tệp zip.")
    return out.getvalue()


def formulas_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    sheet.append(["Chỉ tiêu", "Quý I", "Quý II", "6 tháng"])
    sheet.append(["Thu ngân sách", 1200, 1350, "=B2+C2"])
    sheet.append(["Chi ngân sách", 900, 1010, "=SUM(B3:C3)"])
    out = io.BytesIO()
    workbook.save(out)  # openpyxl never calculates: the formulas have no saved results
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
#: file name -> (bytes, phrase of the reason); every one must be refused with its reason
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "ma-hoa.pdf": (encrypted_pdf(), "encrypted PDF that needs a password"),
    "bi-cat.pdf": (text_pdf([FILLER] * 10)[:3000], "truncated PDF"),
    "anh-chup.pdf": (scanned_pdf(), "scanned PDF: no text layer"),
    "nen-zip.docx": (renamed_zip(), "is named .docx but is not a Word file"),
    "cong-thuc.xlsx": (formulas_xlsx(), "formulas but no saved results (2 cells: "
                                        "Tổng hợp!D2, Tổng hợp!D3)"),
    "cu.doc": (OLE2, "legacy Word 97-2003 document (.doc)"),
    "cu.xls": (OLE2, "legacy Excel 97-2003 workbook (.xls)"),
    "bao-mat.docx": (OLE2 + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
    "hong.docx": (b"PK\x03\x04" + bytes(100), "damaged or truncated DOCX"),
    "hong.pdf": (b"%PDF-1.7\n garbage \n%%EOF\n", "damaged PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_document_is_refused_with_its_reason(tmp_path, name) -> None:
    data, phrase = BAD_FILES[name]
    assert phrase in refusal(tmp_path, name, data)


def test_scanned_pdf_reason_says_how_many_pages_are_images(tmp_path) -> None:
    reason = refusal(tmp_path, "anh.pdf", scanned_pdf())
    assert reason.startswith("is a scanned PDF: no text layer (2 of 2 pages are images")
    assert "OCR" in reason


def test_pdf_over_the_page_limit_is_refused_before_reading(tmp_path) -> None:
    data = text_pdf([FILLER], pages=12)
    assert read(tmp_path, "ok.pdf", data, max_pdf_pages=12).count("\f") == 11
    reason = refusal(tmp_path, "dai.pdf", data, max_pdf_pages=11)
    assert reason == "has 12 pages, over the 11-page limit for a PDF (PROVSTATS_MAX_PDF_PAGES)"


@pytest.mark.parametrize(
    ("name", "data"),
    [("cham.pdf", text_pdf([FILLER], pages=3)), ("cham.docx", annex_docx()),
     ("cham.xlsx", annex_xlsx())],
)
def test_reading_past_the_time_limit_is_refused(tmp_path, name, data) -> None:
    reason = refusal(tmp_path, name, data, timeout_s=0.0)
    assert reason.startswith("took longer than the 0-second limit for reading one document "
                             "(PROVSTATS_READ_TIMEOUT_S), stopped at ")


def test_bad_documents_never_stop_the_scan(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (raw / name).write_bytes(data)
    (raw / "phu-luc.xlsx").write_bytes(annex_xlsx())
    (raw / "phu-luc.pdf").write_bytes(annex_pdf())
    scan = scan_raw_folder(raw)
    assert [d.source_id for d in scan.documents] == ["phu-luc.pdf", "phu-luc.xlsx"]
    reasons = {q.source_id: q.reason for q in scan.quarantined}
    assert set(reasons) == set(BAD_FILES)
    for name, (_, phrase) in BAD_FILES.items():
        assert phrase in reasons[name], name


def test_a_pdf_named_txt_is_read_as_a_pdf_and_a_png_named_pdf_is_refused(tmp_path) -> None:
    assert read(tmp_path, "ghi-chu.txt", text_pdf([FILLER])).startswith("Các ngành")
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    reason = refusal(tmp_path, "bao-cao.pdf", png.getvalue())
    assert reason == "looks like a PNG image, not a text document"
