"""The files a table or chart is downloaded as (ui/export.py): typed cells, headers in the user's
language, the scope under the table, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from i18n import t
from ui.export import (
    COUNT,
    DATE,
    DATETIME,
    LINK,
    RANK,
    RATE,
    RATIO,
    TEXT,
    Column,
    ExportScope,
    describe_scope,
    neutralise,
    to_csv,
    to_xlsx,
    typed_frame,
)

FRAME = pd.DataFrame(
    {
        "rank": [1.0, 2.0, None],
        "name": ['=HYPERLINK("http://x")', "Nhật Bản", "@SUM(A1)"],
        "platform": ["facebook", "x", "youtube"],
        "reach": [143985.0, 18921.0, None],
        "net": [-12.0, 5.0, None],  # a negative count is a number, not a formula
        "er_reach": [0.0123, 0.5, None],
        "ppw": [2.5, None, 1.0],
        "day": [date(2026, 10, 31), None, date(2026, 9, 1)],
        "at": [pd.Timestamp("2026-11-02 03:04", tz="UTC"), None, None],
    }
)
COLUMNS = (
    Column("rank", "Rank", RANK),
    Column("name", "Mission", TEXT),
    Column("platform", "Platform", TEXT, values={"facebook": "Facebook", "x": "X"}),
    Column("reach", "Reach", COUNT),
    Column("net", "Net follows", COUNT),
    Column("er_reach", "Engagement rate", RATIO),
    Column("ppw", "Posts per week", RATE),
    Column("day", "Date", DATE),
    Column("at", "Imported at (UTC)", DATETIME),
)
SCOPE = describe_scope(
    "Reach · 03/08/2026 – 31/10/2026",
    period="03/08/2026 – 31/10/2026 · compared with 05/05/2026 – 02/08/2026",
    platforms=["Facebook", "X"],
    accounts="Mission",
    missions="-Tokyo",
    sample=True,
    lang="en",
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84 24", "'+84 24"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Japan", "Japan"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_only_text_that_starts_like_a_formula_is_neutralised(value, expected):
    assert neutralise(value) == expected


def test_scope_names_period_platforms_accounts_missions_and_sample_data():
    assert SCOPE.all_lines() == (
        "Period: 03/08/2026 – 31/10/2026 · compared with 05/05/2026 – 02/08/2026",
        "Platforms: Facebook, X",
        "Accounts: Mission",
        "Missions: -Tokyo",
        t("export.scope.sample", lang="en"),
    )
    every = describe_scope(
        "T", period="p", platforms=None, accounts="a", missions=None, sample=False, lang="vi"
    )
    assert every.lines == ("Khoảng thời gian: p", "Nền tảng: tất cả", "Tài khoản: a")


def test_sample_data_is_asked_only_when_a_file_is_made():
    # Drawing a page runs no query for it: the store is asked after the click.
    asked: list[int] = []
    scope = describe_scope(
        "T",
        period="p",
        platforms=None,
        accounts="a",
        sample=lambda: asked.append(1) or True,
        lang="en",
    )
    assert asked == []
    assert scope.footer() == ["T", "Period: p", "Platforms: all", "Accounts: a", scope.sample_line]
    assert asked == [1]
    assert scope.sample_line == t("export.scope.sample", lang="en")


def test_typed_frame_keeps_counts_and_ranks_as_integers_and_unknown_missing():
    typed = typed_frame(FRAME, COLUMNS)
    assert list(typed.columns) == [c.label for c in COLUMNS]
    assert str(typed["Reach"].dtype) == "Int64"
    assert typed["Reach"].tolist()[:2] == [143985, 18921]
    assert typed["Reach"].isna().tolist() == [False, False, True]
    assert typed["Rank"].tolist()[:2] == [1, 2]
    assert typed["Engagement rate"].dtype == "float64"
    assert typed["Platform"].tolist() == ["Facebook", "X", "youtube"]
    # on screen a name is shown as it is; only the files neutralise it
    assert typed["Mission"][0] == '=HYPERLINK("http://x")'


def test_csv_parses_back_with_labels_integers_percentages_and_the_scope_below():
    raw = to_csv(FRAME, COLUMNS, SCOPE, "en")
    assert raw.startswith("\ufeff".encode())  # a BOM: Excel reads the Vietnamese names right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "Rank",
        "Mission",
        "Platform",
        "Reach",
        "Net follows",
        "Engagement rate (%)",
        "Posts per week",
        "Date",
        "Imported at (UTC)",
    ]
    assert rows[1] == [
        "1",
        '\'=HYPERLINK("http://x")',
        "Facebook",
        "143985",  # not 143985.0
        "-12",  # a number stays a number
        "1.23",  # 0.0123 as a percentage
        "2.5",
        "2026-10-31",
        "2026-11-02 03:04",
    ]
    assert rows[2] == ["2", "Nhật Bản", "X", "18921", "5", "50", "", "", ""]
    assert rows[3] == ["", "'@SUM(A1)", "youtube", "", "", "", "1", "2026-09-01", ""]
    assert rows[4] == []
    assert [r[0] for r in rows[5:]] == [
        SCOPE.title,
        *SCOPE.all_lines(),  # "Missions: -Tokyo" starts with a letter: left as it is
        t("export.unknown_note", lang="en"),
    ]
    # pandas reads the table part back with numbers as numbers
    table = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", nrows=3)
    assert table["Reach"].tolist()[:2] == [143985, 18921]
    assert table["Engagement rate (%)"].tolist()[:2] == [1.23, 50]


def test_xlsx_has_typed_cells_number_formats_and_the_scope_footer():
    book = load_workbook(io.BytesIO(to_xlsx(FRAME, COLUMNS, SCOPE, "vi")))
    sheet = book.active
    assert sheet.title == "Dữ liệu"
    assert book.properties.title == SCOPE.title
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.label for c in COLUMNS)
    first = sheet[2]
    assert [c.value for c in first[:7]] == [
        1,
        '\'=HYPERLINK("http://x")',
        "Facebook",
        143985,
        -12,
        0.0123,
        2.5,
    ]
    assert isinstance(first[3].value, int) and first[3].number_format == "#,##0"
    assert first[0].number_format == "0"
    assert isinstance(first[4].value, int)  # a negative count is a number
    assert first[5].number_format == "0.00%"
    assert first[6].number_format == "#,##0.0"
    assert first[7].value == datetime(2026, 10, 31) and first[7].number_format == "yyyy-mm-dd"
    assert first[8].value == datetime(2026, 11, 2, 3, 4)
    # no cell is a formula; unknown cells are empty
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert sheet["D4"].value is None and sheet["F4"].value is None
    assert sheet["B4"].value == "'@SUM(A1)"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I4"  # header and rows, not the footer
    # an empty row, then the title, the scope lines and the note on unknown cells
    assert rows[4] == (None,) * len(COLUMNS)
    footer = [r[0] for r in rows[5:]]
    assert footer == [
        SCOPE.title,
        *SCOPE.all_lines(),
        t("export.unknown_note", lang="vi"),
    ]


def test_a_header_or_scope_line_that_starts_like_a_formula_is_neutralised_too():
    columns = (Column("v", "=cmd", COUNT),)
    scope = ExportScope(title="+title", lines=("@line",))
    frame = pd.DataFrame({"v": [1]})
    rows = list(csv.reader(io.StringIO(to_csv(frame, columns, scope, "en").decode("utf-8-sig"))))
    assert rows[0] == ["'=cmd"]
    assert [r[0] for r in rows[3:5]] == ["'+title", "'@line"]
    sheet = load_workbook(io.BytesIO(to_xlsx(frame, columns, scope, "en"))).active
    assert sheet["A1"].value == "'=cmd"
    assert [sheet["A4"].value, sheet["A5"].value] == ["'+title", "'@line"]


def test_a_link_is_a_hyperlink_in_excel_and_a_formula_like_one_is_not():
    columns = (Column("url", "Link", LINK),)
    frame = pd.DataFrame({"url": ["https://facebook.com/1", '=HYPERLINK("http://evil")', None]})
    sheet = load_workbook(io.BytesIO(to_xlsx(frame, columns, ExportScope("T"), "en"))).active
    assert sheet["A2"].value == "https://facebook.com/1"
    assert sheet["A2"].hyperlink.target == "https://facebook.com/1"
    assert sheet["A3"].value == '\'=HYPERLINK("http://evil")' and sheet["A3"].hyperlink is None
    assert sheet["A4"].value is None


def test_an_empty_table_still_has_its_header_and_scope():
    empty = FRAME.iloc[0:0]
    rows = list(csv.reader(io.StringIO(to_csv(empty, COLUMNS, SCOPE, "en").decode("utf-8-sig"))))
    assert rows[0][0] == "Rank" and rows[1] == [] and rows[2] == [SCOPE.title]
    sheet = load_workbook(io.BytesIO(to_xlsx(empty, COLUMNS, SCOPE, "en"))).active
    assert sheet["A1"].value == "Rank" and sheet["A3"].value == SCOPE.title


# -- charts ------------------------------------------------------------------------------------


def test_an_exported_chart_has_its_title_and_scope_escaped_on_top():
    from ui import charts

    fig = charts.bar_ranking(["A"], [1.0], texts=["1"])
    scope = ExportScope(title="<b>Japan</b> & co", lines=("Period: p", "Platforms: <all>"))
    exported = charts.for_export(fig, scope.title, scope)
    assert exported.layout.title.text == "&lt;b&gt;Japan&lt;/b&gt; &amp; co"
    assert exported.layout.title.subtitle.text == "Period: p<br>Platforms: &lt;all&gt;"
    assert exported.layout.height > fig.layout.height  # room for the lines, the plot unchanged
    assert fig.layout.title.text is None  # the page's figure is left as it was


def test_the_ranking_names_its_colours_in_a_legend():
    from ui import charts

    fig = charts.bar_ranking(
        ["Japan", "France", "Osaka"],
        [3.0, 2.0, None],
        texts=["3", "2", "–"],
        groups=["asia_pacific", "europe", "asia_pacific"],
        group_labels={"asia_pacific": "Asia-Pacific", "europe": "Europe"},
        group_colors=charts.REGION_COLORS,
    )
    assert [(tr.name, list(tr.y), tr.marker.color) for tr in fig.data] == [
        ("Asia-Pacific", ["Japan", "Osaka"], charts.REGION_COLORS["asia_pacific"]),
        ("Europe", ["France"], charts.REGION_COLORS["europe"]),
    ]
    assert all(tr.showlegend is not False for tr in fig.data)
    # the rows keep the ranking's order, first on top, one bar each
    assert list(fig.layout.yaxis.categoryarray) == ["Japan", "France", "Osaka"]
    assert fig.layout.barmode == "relative"


def test_scatter_points_are_named_beside_them():
    from ui import charts

    points = pd.DataFrame(
        {
            "name": ["Embassy in Japan", "<Paris>"],
            "short": ["Japan", ""],
            "followers": [100.0, 50.0],
            "er": [0.1, 0.2],
        }
    )
    fig = charts.scatter(points, x="followers", y="er", text="name", label="short")
    (trace,) = fig.data
    assert trace.mode == "markers+text"
    assert list(trace.text) == ["Japan", ""]  # an empty label leaves a point unnamed
    assert list(trace.customdata) == ["Embassy in Japan", "&lt;Paris&gt;"]  # hover, escaped


def test_the_screen_shows_numbers_the_language_s_way_over_typed_values():
    # What Streamlit sends the browser: the typed values, and the Styler's text for each cell.
    import pyarrow as pa
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from ui import tables

    proto = ArrowData()
    marshall_styler(proto, tables.styled(FRAME, COLUMNS, lang="vi"), "t")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_pandas()
    assert list(shown.iloc[0, [0, 3, 4, 5, 6, 7]]) == [
        "1",
        "143.985",
        "-12",
        "1,23%",
        "2,5",
        "31/10/2026",
    ]
    assert list(shown.iloc[2, [0, 3, 5]]) == ["–", "–", "–"]  # unknown
    assert shown.iloc[0, 8] == "02/11/2026 03:04"  # a date and time, the date first

    proto = ArrowData()
    marshall_styler(proto, tables.styled(FRAME, COLUMNS, lang="en"), "t")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_pandas()
    assert list(shown.iloc[0, [3, 7, 8]]) == [
        "143,985",
        "Oct 31, 2026",
        "Nov 2, 2026, 3:04\u202fAM",
    ]


def test_scatter_labels_of_nearby_points_go_to_different_sides():
    from ui import charts

    # The sample Compare page's cluster: three missions within a few pixels of each other.
    followers = [98_407.0, 107_123.0, 114_335.0, 338_300.0, 48_834.0]
    er = [0.0080, 0.0078, 0.0074, 0.0088, 0.0078]
    names = ["Hoa Kỳ", "New York (PĐTT)", "Vương quốc Anh", "Hàn Quốc", "Osaka (TLSQ)"]
    where = charts.label_positions(followers, er, names, log_x=True)
    assert len(set(where[:3])) == 3  # the cluster: three sides
    assert where[3] == where[4] == "top center"  # alone: above the point, as before
    assert charts.label_positions([1.0, 1.0], [1.0, 1.0], ["", "x"]) == ["top center"] * 2
    points = pd.DataFrame({"f": followers, "er": er, "name": names, "region": list("aabab")})
    fig = charts.scatter(
        points, x="f", y="er", text="name", label="name", color="region", log_x=True
    )
    placed = {n: p for tr in fig.data for n, p in zip(tr.text, tr.textposition, strict=True)}
    assert [placed[n] for n in names] == where  # across the regions' traces
