"""The dashboard's helpers that need no browser: formats, country codes, chart files, imports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from babel import Locale

from connectors.samples import (
    ensure_sample_data,
    remove_sample_data,
    samples_removed,
    should_load_samples,
)
from data import queries
from data.registry import RegistryError
from data.store import Store, StoreBusy
from ui import charts, geo, importing
from ui.format import (
    country_names,
    format_change,
    format_kpi,
    mission_short_names,
    period_text,
    records,
)

ROOT = Path(__file__).resolve().parents[2]
TEST_REGISTRY = ROOT / "tests" / "fixtures" / "registry"

# -- formats ---------------------------------------------------------------------------------


def test_records_are_the_rows_to_dict_gives():
    # Arrow-backed text with a missing value, whole numbers with and without NA, floats.
    frame = pd.DataFrame(
        {
            "mission_id": pd.array(["vn-a", None, "vn-c"], dtype="string[pyarrow]"),
            "country": ["JP", "FR", None],
            "name_en": pd.array(["A", None, "C"], dtype="str"),
            "accounts": [3, 0, 1],
            "staff": pd.array([1, None, 2], dtype="Int64"),
            "share": [0.5, float("nan"), 1.0],
        }
    )
    columns = ["country", "mission_id", "name_en", "staff", "share", "accounts"]
    got, want = records(frame, columns), frame[columns].to_dict("records")
    assert [list(r) for r in got] == [columns] * 3
    assert repr(got) == repr(want)
    assert records(frame.iloc[:0], columns) == []


@pytest.mark.parametrize(
    ("name", "value", "lang", "text"),
    [
        ("posts", 1234.0, "vi", "1.234"),
        ("posts", 1234.0, "en", "1,234"),
        ("followers_end", 1234567.4, "vi", "1.234.567"),
        ("er_reach", 0.01234, "vi", "1,23%"),
        ("er_reach", 0.01234, "en", "1.23%"),
        ("posts_per_week", 2.46, "vi", "2,5"),
        ("posts", None, "vi", "–"),
        ("reach", float("nan"), "en", "–"),
        ("reach", pd.NA, "en", "–"),
    ],
)
def test_format_kpi(name, value, lang, text):
    assert format_kpi(name, value, lang=lang) == text


def test_format_change_is_signed_and_none_when_unknown():
    assert format_change(0.1234, lang="en") == "+12.3%"
    assert format_change(-0.05, lang="vi") == "-5,0%"
    assert format_change(0.0, lang="en") == "+0.0%"
    assert format_change(None) is None
    assert format_change(float("nan")) is None


def test_period_text():
    assert period_text(date(2026, 8, 3), date(2026, 10, 31), lang="vi") == "03/08/2026 – 31/10/2026"
    assert (
        period_text(date(2026, 8, 3), date(2026, 10, 31), lang="en") == "Aug 3, 2026 – Oct 31, 2026"
    )


def test_short_mission_names():
    missions = pd.DataFrame(
        [
            (
                "emb-jp-tokyo",
                "Embassy of Viet Nam in Japan",
                "Đại sứ quán Việt Nam tại Nhật Bản",
                "embassy",
                "JP",
                "Tokyo",
            ),
            (
                "emb-gb-london",
                "Embassy of Viet Nam in the United Kingdom",
                "Đại sứ quán Việt Nam tại Vương quốc Anh",
                "embassy",
                "GB",
                "London",
            ),
            ("emb-xx", "Our office in Narnia", "Văn phòng", "embassy", "AU", ""),
            ("cg-jp-osaka", "CG in Osaka", "TLSQ tại Osaka", "consulate", "JP", "Osaka"),
            (
                "pm-un-new-york",
                "PM to the UN",
                "PĐTT tại LHQ",
                "permanent_mission",
                "US",
                "New York",
            ),
            ("pm-x-new-york", "PM to X", "PĐTT tại X", "permanent_mission", "US", "New York"),
        ],
        columns=["mission_id", "name_en", "name_vi", "kind", "country", "city"],
    )
    assert mission_short_names(missions, lang="en") == {
        "emb-jp-tokyo": "Japan",
        "emb-gb-london": "United Kingdom",
        # a name the registry's pattern does not give, in a country no embassy names: Babel's
        "emb-xx": babel_name("AU", "en"),
        "cg-jp-osaka": "Osaka (CG)",
        # two missions would read the same: their full names instead
        "pm-un-new-york": "PM to the UN",
        "pm-x-new-york": "PM to X",
    }
    assert mission_short_names(missions.iloc[:4], lang="vi") == {
        "emb-jp-tokyo": "Nhật Bản",
        "emb-gb-london": "Vương quốc Anh",
        "emb-xx": babel_name("AU", "vi"),
        "cg-jp-osaka": "Osaka (TLSQ)",
    }


def babel_name(code: str, lang: str) -> str:
    """The fallback's name, whatever this Babel release calls the country."""
    return Locale.parse(lang).territories[code]


def test_country_names_are_the_registrys_own():
    # Spelled as the ministry's registry spells them, not as a Babel release does.
    with (ROOT / "data" / "registry" / "missions.csv").open(encoding="utf-8") as file:
        missions = pd.DataFrame(list(csv.DictReader(file)))
    vi = country_names(missions, lang="vi")
    en = country_names(missions, lang="en")
    assert (vi["AU"], en["AU"]) == ("Ô-xtrây-li-a", "Australia")
    assert (vi["US"], en["US"]) == ("Hoa Kỳ", "United States")
    assert (vi["KR"], en["KR"]) == ("Hàn Quốc", "Republic of Korea")
    # every country with an embassy is named by it; only Taiwan (an office) by the fallback
    embassies = missions[missions["kind"] == "embassy"]
    assert set(missions["country"]) - set(embassies["country"]) == {"TW"}
    for names, column in ((vi, "name_vi"), (en, "name_en")):
        assert set(names) == set(missions["country"])
        for row in embassies.to_dict("records"):
            assert row[column].endswith(names[row["country"]])
    short = mission_short_names(missions, lang="vi")
    assert short["emb-au-canberra"] == "Ô-xtrây-li-a"
    assert short["cg-au-sydney"] == "Sydney (TLSQ)"


def test_a_country_the_registry_names_is_named_so_for_every_mission_there():
    missions = pd.DataFrame(
        [
            (
                "emb-au",
                "Embassy of Viet Nam in Australia",
                "Đại sứ quán Việt Nam tại Ô-xtrây-li-a",
                "embassy",
                "AU",
                "Canberra",
            ),
            (
                "cg-au",
                "Consulate General in Sydney",
                "TLSQ tại Sydney",
                "consulate",
                "AU",
                "Sydney",
            ),
            ("x-nz", "Office", "Văn phòng", "other", "NZ", ""),
        ],
        columns=["mission_id", "name_en", "name_vi", "kind", "country", "city"],
    )
    assert country_names(missions, lang="vi") == {
        "AU": "Ô-xtrây-li-a",
        "NZ": babel_name("NZ", "vi"),
    }
    assert country_names(missions.iloc[1:2], lang="vi") == {"AU": babel_name("AU", "vi")}


# -- countries and the map ---------------------------------------------------------------------


def test_iso3():
    assert geo.iso3("VN") == "VNM"
    assert geo.iso3("gb") == "GBR"
    assert geo.iso3("CH") == "CHE"
    assert geo.iso3("XX") is None
    assert geo.iso3(None) is None
    assert len(geo.ISO2_TO_ISO3) == 249


def test_every_host_country_of_the_registry_is_on_the_bundled_map():
    shapes = json.loads((geo.TOPOJSON_DIR / f"{geo.TOPOJSON_NAME}.json").read_text("utf-8"))
    on_map = {g.get("id") for g in shapes["objects"]["countries"]["geometries"]}
    with (ROOT / "data" / "registry" / "missions.csv").open(encoding="utf-8") as file:
        countries = {row["country"] for row in csv.DictReader(file)}
    assert countries, "the registry lists missions"
    assert {c for c in countries if geo.iso3(c) not in on_map} == set()


def test_browser_topojson_url_honours_the_base_path():
    assert geo.browser_topojson_url("") == "/app/static/topojson/"
    assert geo.browser_topojson_url("/diplopulse/") == "/diplopulse/app/static/topojson/"


# -- chart files -------------------------------------------------------------------------------


def test_html_of_a_map_carries_plotly_and_the_map_shapes():
    fig = charts.choropleth(["VNM"], [1.0], ["Viet Nam"])
    html = charts.render_html(fig, "map").decode("utf-8")
    assert 'window.PlotlyGeoAssets = {topojson: {"world_50m":' in html
    assert "<title>map</title>" in html
    escaped = charts.render_html(fig, "<script>alert(1)</script> & co").decode("utf-8")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in escaped
    line = charts.render_html(go.Figure(go.Bar(x=[1], y=[2])), "bars").decode("utf-8")
    assert "window.PlotlyGeoAssets = {topojson" not in line


def test_every_chart_has_the_house_template():
    # The template is plotly's default, taken when a figure is made (ui/charts.py, TEMPLATE),
    # not assigned to each figure afterwards.
    white = go.Figure(layout={"template": "plotly_white"}).layout.template
    fig = charts.line_chart(
        pd.DataFrame({"date": [date(2026, 1, 1)], "value": [1.0]}), x="date", y="value", series=None
    )
    assert fig.layout.template == white
    assert charts.empty_figure("no data").layout.template == white


def test_separators_and_file_names():
    assert charts.separators("vi") == ",."
    assert charts.separators("en") == ".,"
    assert charts.file_stem("Map – Interactions/2026") == "diplopulse-map-interactions-2026"


# -- imports from the Data page ---------------------------------------------------------------


def test_an_unknown_file_and_a_zip_of_one_are_refused_with_one_line_each(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.csv", "a,b\n1,2\n")
    lines = importing.import_uploads(
        store,
        [("notes.csv", b"hello,world\n1,2\n"), ("batch.zip", buffer.getvalue())],
        registry_dir=TEST_REGISTRY,
        lang="en",
    )
    assert [line.level for line in lines] == ["error", "error"]
    assert lines[0].text.startswith("REFUSED   notes.csv: this is not an export DiploPulse knows")
    assert lines[1].text.startswith("REFUSED   batch.zip/inside.csv: this is not an export")
    assert importing.summary(lines, lang="en") == "0 imported, 0 unchanged, 2 refused"


def test_nothing_uploaded():
    lines = importing.import_uploads(None, [], lang="vi")  # type: ignore[arg-type]
    assert lines == [importing.Line("warning", "Hãy chọn ít nhất một tệp trước.")]


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            RegistryError("accounts.csv", "row 3: platform must be one of facebook"),
            "The registry of missions and accounts is invalid: accounts.csv: row 3: platform must "
            "be one of facebook. Fix the file and import again.",
        ),
        (
            StoreBusy("busy"),
            "Another import is writing to the database. Wait until it has finished, then import again.",
        ),
        (
            KeyError("boom"),
            "Something went wrong (KeyError); nothing was changed. Please send the file to the "
            "DiploPulse team.",
        ),
    ],
)
def test_failures_become_one_translated_line(monkeypatch, tmp_path, error, text):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(importing, "Importer", failing)
    lines = importing.import_uploads(Store(tmp_path / "t.duckdb"), [("a.csv", b"x")], lang="en")
    assert lines == [importing.Line("error", text)]


def test_latest_date_and_samples_marker(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    with store.write() as cur:
        cur.execute(
            "INSERT INTO account_daily VALUES ('a', DATE '2026-10-30', 'followers', 5, "
            "DATE '2026-10-30', 's'), ('a', DATE '2026-09-01', 'followers', 4, DATE '2026-10-30', 's')"
        )
        cur.execute(
            "INSERT INTO posts (account_id, post_id, published_date, as_of, sha256) "
            "VALUES ('a', 'p', DATE '2026-10-31', DATE '2026-10-31', 's')"
        )
    with store.read() as con:
        assert queries.latest_data_date(con) == date(2026, 10, 31)
        assert not samples_removed(con)
    remove_sample_data(store)
    with store.read() as con:
        assert samples_removed(con)
    assert ensure_sample_data(store) == []


def test_samples_load_only_into_a_store_that_never_had_them(tmp_path):
    store = Store(tmp_path / "fresh.duckdb")
    assert should_load_samples(store)
    with store.write() as cur:
        cur.execute("INSERT INTO store_info VALUES ('samples_removed', '1')")
    assert not should_load_samples(store)


def test_chromium_is_found_or_reported_missing(monkeypatch, tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("")
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert charts.chromium_path() == str(fake)
    assert charts.png_available()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert charts.chromium_path() is None
    assert not charts.png_available()


def test_ranked_rows_put_the_largest_first_unknown_last_and_ties_in_vietnamese_order():
    from i18n.collation import ranked_rows

    frame = pd.DataFrame(
        {
            "mission": ["Estonia", "Ai Cập", "Đức", "Pháp", "Anh"],
            "reach": pd.array([5, None, 5, 9, None], dtype="Int64"),
        }
    )
    # the tie (5) in Vietnamese order, Đ before E (code points put it after); unknown last
    assert ranked_rows(frame, "reach", "mission")["mission"].tolist() == [
        "Pháp",
        "Đức",
        "Estonia",
        "Ai Cập",
        "Anh",
    ]
    # a rank: the smallest first, unknown last, ties by name
    ranks = frame.assign(rank=pd.array([2, None, 1, 2, None], dtype="Int64"))
    assert ranked_rows(ranks, "rank", "mission", largest_first=False)["mission"].tolist() == [
        "Đức",
        "Estonia",
        "Pháp",
        "Ai Cập",
        "Anh",
    ]
    # "no data" first (the coverage table: the worst first), ties still by name
    assert ranked_rows(frame, "reach", "mission", unknown_first=True)["mission"].tolist() == [
        "Ai Cập",
        "Anh",
        "Pháp",
        "Đức",
        "Estonia",
    ]


def test_a_number_column_shows_two_decimals_at_most_as_its_excel_download_does():
    # The alerts' medians and MADs: a median of 15 follows were shown as 15,00.
    from ui import export, tables

    column = export.Column("median", "Median", export.NUMBER)
    show = tables._formatter(column, "vi")
    assert [show(v) for v in (15.0, 2.5, 1234.567)] == ["15", "2,5", "1.234,57"]
    assert export.XLSX_FORMATS[export.NUMBER] == "#,##0.##"
