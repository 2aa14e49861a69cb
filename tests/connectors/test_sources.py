"""Decoding is total (issue #5): every file becomes a `Document` or one refusal.

Text encodings, NUL bytes, delimiters (`sep=` lines, sniffing), lines a spreadsheet wrapped in
one quoted field, and workbooks (XLSX, BIFF8 `.xls`, SpreadsheetML `.xls`), on hand-made
bytes and on real exports that nobody here wrote (read in place through `real_exports`)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from connectors.base import ImportRefused, SourceFile
from connectors.importer import Importer
from connectors.sources import decode_text, read_csv, read_document, sniff_delimiter

RESAVED = "meta-bs-timeseries-excel-resaved/vintagerest-fb"
UTF16_TAB = "meta-bs-timeseries-resaved-utf16-tab/mh4u-2024"
MANGLED = "meta-bs-content-excel-mangled/vintagerest"
LINKEDIN = "linkedin-page-xls-en/shorthills-ai"
LINKEDIN_RESAVED = (
    "linkedin-page-content-resaved/proefficient/pro-efficient-data-entry_content_1742193384396"
)
SPREADSHEETML = "facebook-legacy-xls-spreadsheetml-vi/lokvietnam"


def refusal(data: bytes, name: str = "export.csv") -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read_document(SourceFile(name, data))
    return caught.value


def doc_rows(data: bytes, name: str = "export.csv") -> list[list]:
    return read_document(SourceFile(name, data)).rows


def trimmed(rows: list[list]) -> list[list]:
    """Rows without the trailing empty cells a spreadsheet pads a row with, and without empty
    rows (the table reader ignores both)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] in ("", None):
            row.pop()
        if row:
            out.append(row)
    return out


# -- text encodings ----------------------------------------------------------------------

TEXT = "Date,Lượt xem,Réactions\n2025-01-01,3,Ž\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # the BOM lost
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom"],
)
def test_unicode_encodings_decode_to_the_same_text(data):
    assert decode_text(data) == TEXT
    assert doc_rows(data) == [["Date", "Lượt xem", "Réactions"], ["2025-01-01", "3", "Ž"]]


def test_utf16_cut_off_mid_character_is_refused_as_a_cut_off_download():
    data = b"\xff\xfe" + TEXT.encode("utf-16-le")[:-1]  # odd length: half a character
    error = refusal(data)
    assert error.code == "bad_encoding"
    assert error.params == {"encoding": "UTF-16", "position": len(data) - 1}
    assert error.message("en").startswith("the file is UTF-16 text that is damaged at byte ")
    assert "Export it again" in error.message("en")


def test_utf16_with_a_lone_surrogate_is_refused():
    data = b"\xff\xfe" + "Date,x\n".encode("utf-16-le") + b"\x00\xd8" + "1\n".encode("utf-16-le")
    error = refusal(data)
    assert (error.code, error.params["encoding"]) == ("bad_encoding", "UTF-16")


def test_a_bad_byte_after_a_utf8_bom_is_refused_with_its_position():
    data = b"\xef\xbb\xbfDate,x\n2025-01-01,\xff\n"
    error = refusal(data)
    assert error.code == "bad_encoding"
    assert error.params == {"encoding": "UTF-8", "position": data.index(b"\xff")}


def test_real_cp1251_export_decodes_to_cyrillic(real_exports):
    data = (real_exports / RESAVED / "Audience.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = doc_rows(data, "Audience.csv")
    assert rows[0][0] == "Age & gender"
    assert rows[2][:3] == ["18-24", "3.апр", "1.юни"]  # Excel made 3.4 (%) a date: 3 April


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Date;Vues;Réactions\n2025-01-01;12;Été déjà\n", "cp1252"),
        ("Data;Wyświetlenia;Zasięg\n2025-01-01;12;Łódź źdźbło\n", "cp1250"),
        ("Дата;Просмотры\n2025-01-01;12\n", "cp1251"),
    ],
)
def test_windows_code_pages_are_read(text, encoding):
    assert decode_text(text.encode(encoding)) == text


def test_bytes_no_code_page_defines_never_raise():
    # 0x81 0x8D 0x8F 0x90 0x9D are undefined in cp1252, which used to raise UnicodeDecodeError
    data = b"Date,Views\n2025-01-01,\x81\x8d\x8f\x90\x9d\n"
    try:
        text = decode_text(data)
    except ImportRefused as error:
        assert error.code == "unknown_encoding"
    else:
        assert text.startswith("Date,Views\n2025-01-01,")


def test_shift_jis_is_refused_asking_for_utf8():
    data = "日付,表示回数,リーチ\n2025-01-01,12,こんにちは世界\n".encode("shift_jis")
    error = refusal(data)
    assert error.code == "unknown_encoding"
    assert '"CSV UTF-8"' in error.message("en")
    assert "UTF-8" in error.message("vi")


def test_nul_bytes_in_a_text_file_are_refused():
    error = refusal(b"Date,Views\n2025-01-01,1\x00\x00\n")
    assert (error.code, error.params) == ("nul_bytes", {"position": 23})
    assert refusal(b"\xef\xbb\xbfDate,Views\x00\n").code == "nul_bytes"


# -- delimiters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first_line",
    ["sep=;", '"sep=;"', "sep=;;;", "sep=;\r", "SEP=;"],
)
def test_a_sep_line_sets_the_delimiter(first_line):
    assert read_csv(first_line + "\nDate;Views, total\n2025-01-01;3\n") == [
        ["Date", "Views, total"],
        ["2025-01-01", "3"],
    ]


def test_a_padded_tab_sep_line_is_consumed():
    assert read_csv("sep=\t\t\t\r\nFacebook reach\t\r\nDate\tPrimary\r\n") == [
        ["Facebook reach", ""],
        ["Date", "Primary"],
    ]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Facebook follows;\nDate;Primary\n2025-10-31T00:00:00;4\n", ";"),
        ('"Post","Text"\n"1","a; b; c; d"\n', ","),
        ("Top towns/cities;;;\nPleven, Bulgaria;Sofia, Bulgaria;Varna, Bulgaria;\n", ";"),
        ("Date\tViews\n2025-01-01\t1,5\n", "\t"),
        ("Date\n2025-01-01\n", ","),
    ],
)
def test_the_delimiter_is_sniffed_outside_quotes(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_real_semicolon_resave_gives_the_rows_of_the_comma_original(real_exports):
    rows = doc_rows((real_exports / RESAVED / "Follows.csv").read_bytes(), "Follows.csv")
    # the same as `sep=,` / "Facebook follows" / "Date","Primary" / ... in the original
    assert trimmed(rows)[:4] == [
        ["Facebook follows"],
        ["Date", "Primary"],
        ["2025-10-31T00:00:00", "4"],
        ["2025-11-01T00:00:00", "2"],
    ]
    assert len(trimmed(rows)) == 64


def test_real_utf16_tab_resave_gives_exactly_the_rows_of_the_original(real_exports):
    resaved = (real_exports / UTF16_TAB / "Reach.csv").read_bytes()
    original = (real_exports / "meta-bs-timeseries-en/mh4u-2024/Reach.csv").read_bytes()
    assert resaved.startswith("sep=\t\r\n".encode("utf-16"))
    rows = trimmed(doc_rows(resaved, "Reach.csv"))
    assert rows == trimmed(doc_rows(original, "Reach.csv"))
    assert rows[:3] == [["Facebook reach"], ["Date", "Primary"], ["2023-07-08T00:00:00", "2768"]]
    assert len(rows) == 488  # 486 days


def test_a_real_padded_sep_line_is_consumed(real_exports):
    data = (real_exports / UTF16_TAB / "Audience.csv").read_bytes()
    assert data.startswith("sep=\t\t\t\r\n".encode("utf-16"))
    rows = doc_rows(data, "Audience.csv")
    assert rows[:3] == [
        ["Facebook followers", "", "", ""],
        ["FB_PAGE", "FOLLOW", "UNIQUE_USERS", ""],
        ["30222", "", "", ""],
    ]


def test_real_resaved_series_import_like_the_original(store, registry_dir, real_exports):
    importer = Importer(store, registry_dir=registry_dir, account="us-facebook", origin="test")
    results = importer.import_paths(
        [real_exports / RESAVED / "Follows.csv", real_exports / RESAVED / "Views.csv"]
    )
    assert [(r.file, r.status, r.rows) for r in results] == [
        ("Follows.csv", "imported", 62),
        ("Views.csv", "imported", 62),
    ]


# -- lines wrapped in one quoted field ---------------------------------------------------


def test_wrapped_lines_are_unwrapped_exactly():
    original = 'Post ID,"Page name",Description\n1,"A ""B""","line one\n\nline, two"\n'
    wrapped = (
        '"Post ID,""Page name"",Description"\n"1,""A """"B"""""",""line one"\n\n"line, two"""\n'
    )
    # a caption line without a quote is left as it was; one with a quote is wrapped
    assert (
        read_csv(wrapped)
        == read_csv(original)
        == [
            ["Post ID", "Page name", "Description"],
            ["1", 'A "B"', "line one\n\nline, two"],
        ]
    )


def test_a_wrapped_file_that_cannot_be_restored_is_refused():
    broken = '"Post ID,""Page name"",Description"\n"1,""x"",""a"" b\n'
    error = refusal(broken.encode())
    assert (error.code, error.params) == ("wrapped_lines", {"line": 2})
    assert "Import the original export" in error.message("en")


@pytest.mark.parametrize("title", ["Facebook follows", "Reach, views, and interactions"])
def test_a_quoted_title_line_is_not_taken_for_a_wrapped_file(title):
    assert read_csv(f'"{title}"\n"Date","Primary"\n"2025-08-01","3"\n') == [
        [title],
        ["Date", "Primary"],
        ["2025-08-01", "3"],
    ]


def test_a_wrapped_file_whose_header_has_no_quotes_is_unwrapped_from_its_next_line():
    assert read_csv('"Date,Views,Text"\n"2025-01-01,3,""a, b"""\n') == [
        ["Date", "Views", "Text"],
        ["2025-01-01", "3", "a, b"],
    ]


def test_real_wrapped_instagram_export_is_unwrapped(real_exports):
    data = (real_exports / MANGLED / "INSTAGRAM_RAW.csv").read_bytes()
    rows = doc_rows(data, "INSTAGRAM_RAW.csv")
    header = rows[0]
    assert header == [
        "Post ID", "Account ID", "Account username", "Account name", "Description",
        "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
        "Views", "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
    ]  # fmt: skip
    assert {len(row) for row in rows} == {18}
    posts = rows[1:]
    assert len(posts) == 58  # 57 posts and Meta's own "An error occurred ..." row
    assert len({row[0] for row in posts if row[0]}) == 57
    first = posts[0]
    assert first[:4] == [
        "18160563013405972",
        "17841463586376007",
        "vintagerest.bg",
        "Vintage Restaurant",
    ]
    assert first[4].startswith("✨ Равносметка в последния ден на годината ✨\n\nПреди една година")
    assert first[5:8] == ["55", "12/31/2025 08:24", "https://www.instagram.com/reel/DS7zYdbioBc/"]
    assert posts[-1][-8:] == ["Lifetime", "834", "143", "12", "0", "0", "0", "0"]


def test_real_wrapped_video_export_is_unwrapped(real_exports):
    rows = doc_rows(
        (real_exports / MANGLED / "Oct-31-2025_Dec-30-2025_1664278361210560.csv").read_bytes()
    )
    assert rows[0][:4] == ["Video asset ID", "Universal video ID", "Page ID", "Page name"]
    assert {len(row) for row in rows} == {212}
    assert len(rows) == 46
    assert rows[1][:7] == ["4388442338054561", "", "191026444094537", "Restaurant Vintage", "", "10", "11/01/2025 11:04"]  # fmt: skip


# -- workbooks ---------------------------------------------------------------------------


def xlsx_bytes(rows: list[list], extra: dict[str, bytes] | None = None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, extra.pop(item.filename, None) or source.read(item))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def test_an_xlsx_is_read_as_sheets_of_typed_cells():
    doc = read_document(
        SourceFile("a.xlsx", xlsx_bytes([["Date", "Views"], [datetime(2025, 1, 2), 3]]))
    )
    assert doc.kind == "xlsx"
    assert doc.sheets == {"Sheet": [["Date", "Views"], [datetime(2025, 1, 2), 3]]}


def test_a_macro_workbook_renamed_xlsx_is_refused():
    data = xlsx_bytes([["Date"]], {"xl/vbaProject.bin": b"\x00" * 10})
    error = refusal(data, "report.xlsx")
    assert error.code == "macro_workbook"
    assert "macros" in error.message("en") and "macro" in error.message("vi")


def test_an_xlsx_whose_workbook_part_is_macro_enabled_is_refused():
    data = xlsx_bytes([["Date"]])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        types = book.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    assert refusal(xlsx_bytes([["Date"]], {"[Content_Types].xml": types})).code == "macro_workbook"


def test_an_xlsx_with_an_entity_bomb_is_refused_in_one_line():
    data = xlsx_bytes([["Date"]])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[-1]  # after the XML declaration, if any
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + body
    )
    error = refusal(xlsx_bytes([["Date"]], {"xl/worksheets/sheet1.xml": bomb}))
    assert (error.code, error.params) == ("unreadable", {"detail": "EntitiesForbidden"})
    assert "Traceback" not in error.message("en")


def test_a_damaged_xlsx_is_refused_with_the_error_type():
    data = xlsx_bytes([["Date"]], {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    error = refusal(data)
    assert error.code == "unreadable"
    assert error.params["detail"]  # the exception type, e.g. ParseError


def _without_empty_strings(sheets: dict) -> dict:
    return {
        name: [[None if cell == "" else cell for cell in row] for row in rows]
        for name, rows in sheets.items()
    }


def test_real_biff8_xls_reads_like_the_xlsx_of_the_same_data(real_exports):
    xls = read_document(
        SourceFile("c.xls", (real_exports / f"{LINKEDIN_RESAVED}.xls").read_bytes())
    )
    xlsx = read_document(
        SourceFile("c.xlsx", (real_exports / f"{LINKEDIN_RESAVED}.xlsx").read_bytes())
    )
    assert xls.kind == "xlsx"
    assert list(xls.sheets) == ["Metrics", "All posts"]
    # the .xlsx conversion kept "" where the .xls has an empty cell
    assert xls.sheets == _without_empty_strings(xlsx.sheets)
    assert xls.sheets["Metrics"][1][:3] == ["02/14/2025", 0, 0]
    assert xls.sheets["All posts"][1][9] == 26
    assert xls.sheets["All posts"][1][13] == pytest.approx(0.0769230798)


def test_real_pristine_linkedin_xls(real_exports):
    doc = read_document(
        SourceFile(
            "c.xls",
            (real_exports / LINKEDIN / "shorthills-ai_content_1766385907708 1.xls").read_bytes(),
        )
    )
    posts = doc.sheets["All posts"]
    assert posts[0][0].startswith("Engagement metrics for individual posts.")
    assert posts[0][1:] == [None] * 19
    assert posts[1][:2] == ["Post title", "Post link"]
    assert len(posts) == 170 and len(doc.sheets["Metrics"]) == 367
    assert posts[2][5] == "12/19/2025" and posts[2][9] == 637 and posts[2][12] == 1194


def test_real_spreadsheetml_xls(real_exports):
    page = real_exports / SPREADSHEETML / "Facebook Insights Data Export - LOK - 2017-07-05.xls"
    doc = read_document(SourceFile(page.name, page.read_bytes()))
    assert doc.kind == "xlsx"
    assert len(doc.sheets) == 38
    key = doc.sheets["Key Metrics"]
    assert key[0][:3] == ["Date", "page_fans:lifetime", "page_fan_adds_unique:day"]
    assert key[1][1].startswith("Lifetime: The total number of people who have liked your Page.")
    assert isinstance(key[2][0], datetime) and key[2][0] == datetime(2017, 6, 9)
    assert all(isinstance(v, int | float | None) for v in key[2][1:])
    posts = (
        real_exports
        / SPREADSHEETML
        / "Facebook Insights Data Export (Post Level) - LOK - 2017-07-27.xls"
    )
    doc = read_document(SourceFile(posts.name, posts.read_bytes()))
    assert next(iter(doc.sheets)) == "Key Metrics" and len(doc.sheets) == 7
    first = doc.sheets["Key Metrics"][2]
    assert first[0] == "1553363564876294_1911244905754823"
    assert first[2].startswith("LOK #39: Trên đời này có gì là miễn phí không ?")


SSML = """<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Key Metrics"><Table>
  <Row><Cell><Data ss:Type="String">Date</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">Views</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="DateTime">2017-06-09T00:00:00.000</Data></Cell>
   <Cell><Data ss:Type="Number">12</Data></Cell><Cell><Data ss:Type="Number">1.5</Data></Cell>
   <Cell><Data ss:Type="Boolean">1</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="Other"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet>
</Workbook>"""


def test_spreadsheetml_honours_index_and_types():
    doc = read_document(SourceFile("a.xls", SSML.encode()))
    assert doc.sheets == {
        "Key Metrics": [["Date", None, "Views"], [], [datetime(2017, 6, 9), 12, 1.5, 1]],
        "Other": [["x"]],
    }


def test_spreadsheetml_entity_bomb_and_broken_xml_are_refused():
    bomb = SSML.replace(
        '<?xml version="1.0"?>',
        '<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
    ).replace(">x<", ">&b;<")
    error = refusal(bomb.encode(), "a.xls")
    assert error.code == "bad_xml"
    assert error.params == {"detail": "EntitiesForbidden"}
    error = refusal(SSML[: len(SSML) // 2].encode(), "a.xls")
    assert error.code == "bad_xml" and error.params["detail"].startswith("ParseError at line")


def test_a_damaged_biff8_file_is_refused():
    error = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls")
    assert error.code == "unreadable"


def test_every_new_refusal_has_a_message_in_both_languages():
    import json

    root = Path(__file__).resolve().parents[2] / "i18n"
    en = json.loads((root / "en" / "intake.json").read_text(encoding="utf-8"))
    vi = json.loads((root / "vi" / "intake.json").read_text(encoding="utf-8"))
    assert en.keys() == vi.keys()
    for code in ("bad_encoding", "unknown_encoding", "nul_bytes", "wrapped_lines", "macro_workbook",
                 "bad_xml", "zip_bomb", "zip_too_many", "zip_unsafe_name", "zip_nested"):  # fmt: skip
        assert f"refused.{code}" in en


def test_a_workbook_claiming_a_huge_sheet_is_refused_not_filled_into_memory(monkeypatch):
    import re

    import connectors.workbooks as workbooks

    data = xlsx_bytes([["Date", "Views"], ["2025-01-01", 3]])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    huge = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    monkeypatch.setattr(workbooks, "MAX_CELLS", 30_000)  # openpyxl pads 2 rows to 16,384 cells
    error = refusal(xlsx_bytes([["x"]], {"xl/worksheets/sheet1.xml": huge}))
    assert (error.code, error.params) == ("too_many_cells", {"limit": 30_000})


def test_spreadsheetml_cell_and_row_indexes_are_bounded():
    far = SSML.replace('<Cell ss:Index="3">', '<Cell ss:Index="20000">')
    error = refusal(far.encode(), "a.xls")
    assert (error.code, error.params) == ("bad_xml", {"detail": "ss:Index 20000"})


# -- large UTF-8 files are parsed while they are decoded -----------------------------------------


def _big_export(rows: int = 110_000) -> bytes:
    header = '"Post ID","Page ID",Description,"Publish time",Reach\n'
    body = "".join(
        f'{1000 + i},541651602373282,"Tết 🧧 line one\nline ""two""",01/{i % 28 + 1:02d}/2025 10:00,{i}\n'
        for i in range(rows)
    )
    return b"\xef\xbb\xbf" + (header + body).encode("utf-8")


def test_a_large_utf8_file_is_streamed_into_the_same_rows():
    from connectors.base import CHUNK_ROWS
    from connectors.sources import STREAM_BYTES

    data = _big_export()
    assert len(data) > STREAM_BYTES
    doc = read_document(SourceFile("big.csv", data))
    assert doc.more_rows is not None and len(doc.rows) == CHUNK_ROWS + 1  # one chunk held
    assert doc.rows[1][2] == 'Tết 🧧 line one\nline "two"'
    doc.materialise()
    assert doc.rows == read_csv(decode_text(data)) and len(doc.rows) == 110_001
    assert doc.ends_with_newline


def test_a_large_file_cut_off_or_not_utf8_takes_the_general_path():
    from connectors.sources import StreamFallback

    data = _big_export()
    assert read_document(SourceFile("cut.csv", data[:-5])).ends_with_newline is False
    early = data[:100] + b"\xff" + data[100:]
    with pytest.raises(ImportRefused) as refused:  # the general path refuses it
        read_document(SourceFile("early.csv", early))
    assert refused.value.code == "bad_encoding"
    late = data[:-100] + b"\xff" + data[-100:]
    doc = read_document(SourceFile("late.csv", late))
    with pytest.raises(StreamFallback):  # the importer then reads it whole
        doc.materialise()


def test_a_listing_counts_a_folder_and_gives_the_files_of_from_paths(tmp_path):
    """Issue #6: the importer counts a folder's files (progress needs the total) without holding
    them; the files it then gives are those of `from_paths`, zip members one by one, in order."""
    from connectors.sources import Listing, from_paths

    (tmp_path / "sub").mkdir()
    (tmp_path / "b.csv").write_text("a,b\n1,2\n")
    (tmp_path / "sub" / "a.csv").write_text("a,b\n1,2\n")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:
        archive.writestr("one.csv", "a,b\n1,2\n")
        archive.writestr("two.csv", "a,b\n3,4\n")
    listing = Listing([tmp_path])
    assert len(listing) == 4  # b.csv, c.zip's two members, sub/a.csv
    names = [source.name for source in listing]
    assert names == [source.name for source in from_paths([tmp_path])]
    assert names == ["b.csv", "c.zip/one.csv", "c.zip/two.csv", "sub/a.csv"]
