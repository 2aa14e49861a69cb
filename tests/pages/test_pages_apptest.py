"""Every page of the dashboard, run headless with Streamlit's AppTest on the sample data."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import metrics
from connectors.base import display_text
from connectors.samples import remove_sample_data, samples_removed
from data import queries
from data.store import Store
from i18n import format_number, t
from i18n.collation import sort_by_name
from ui.filters import Filters, period_window

PAGES = ("overview", "mission", "compare", "data")
TITLES = {
    "overview": "ui.overview.title",
    "mission": "ui.mission.title",
    "compare": "ui.compare.title",
    "data": "ui.data.title",
}


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def click_import(at: AppTest, lang: str = "en") -> None:
    """Press the Data page's Import button (the form's submit button) and rerun."""
    next(b for b in at.button if b.label == t("ui.data.import", lang=lang)).click().run()


def metric_value(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"one card {label!r} expected, found {values}"
    return values[0]


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_the_sample_banner(run_app, page, lang):
    at = run_app(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert [title.value for title in at.title] == [t(TITLES[page], lang=lang)]
    # The banner says, on every page, that the figures are made up and how to import real ones.
    assert t("ui.app.sample_title", lang=lang) in markdown_text(at)
    assert t("ui.app.sample_body", lang=lang) in markdown_text(at)
    # The navigation is translated too; the sidebar shows the filters.
    assert [s.label for s in at.sidebar.selectbox] == [t("ui.filters.period", lang=lang)]


def test_overview_league_table_lists_the_12_missions_in_rank_order(run_app, sample_db):
    at = run_app("overview")
    league = at.dataframe[0].value
    assert len(league) == 12
    # The value before the region: a phone shows the first columns.
    assert list(league.columns) == ["Rank", "Mission", t("kpi.interactions", lang="en"), "Region"]
    filters: Filters = at.session_state["_ui_filters"]
    with Store(sample_db).read() as con:
        expected = metrics.ranking(con, "interactions", filters.scope())
    assert list(league["Mission"]) == list(expected["name_en"])
    # Numbers, not text: clicking a header sorts 2 before 10 and 18,921 before 143,985.
    assert pd.api.types.is_integer_dtype(league["Rank"])
    assert list(league["Rank"]) == [int(r) for r in expected["rank"]]
    value = league[t("kpi.interactions", lang="en")]
    assert pd.api.types.is_integer_dtype(value)
    assert list(value) == [round(v) for v in expected["value"]]


def test_overview_league_table_lists_missions_without_a_value_by_name(run_app):
    # The samples know the host-country audience of 2 of the 12 missions: the 10 others are
    # unknown ("–", last), listed in Vietnamese order of their names, not by id (cg-jp-osaka
    # first).
    at = run_app("overview", lang="vi", kpi="host_audience_share")
    league = at.dataframe[0].value
    value = league[t("kpi.host_audience_share", lang="vi")]
    known, unknown = league[value.notna()], league[value.isna()]
    assert (len(known), len(unknown)) == (2, 10)
    assert list(league.index[: len(known)]) == list(known.index)  # the known ones first
    missions = list(unknown["Cơ quan đại diện"])
    assert missions == sort_by_name(missions, str)
    assert missions[0] == "Đại sứ quán Việt Nam tại Ai Cập" and missions[-1].startswith("Tổng")


def test_overview_cards_write_numbers_the_vietnamese_way(run_app, sample_db):
    at = run_app("overview", lang="vi")
    filters: Filters = at.session_state["_ui_filters"]
    with Store(sample_db).read() as con:
        totals = metrics.compare(con, filters.scope(), by="network").iloc[0]
    followers = metric_value(at, t("kpi.followers_end", lang="vi"))
    assert totals["followers_end"] >= 1000  # the sample network has thousands of followers
    assert followers == format_number(round(totals["followers_end"]), lang="vi")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", followers), followers  # 12.345, not 12,345
    posts = metric_value(at, t("kpi.posts", lang="vi"))
    assert posts == format_number(totals["posts"], lang="vi")


def test_default_period_is_the_90_days_ending_at_the_latest_data(run_app, sample_db):
    at = run_app("overview")
    filters: Filters = at.session_state["_ui_filters"]
    # The samples cover six months ending 2026-10-31.
    assert filters.latest == date(2026, 10, 31)
    assert (filters.start, filters.end) == (date(2026, 8, 3), date(2026, 10, 31))
    assert filters.platforms is None and filters.owners is None


def test_filters_are_read_from_the_url(run_app):
    at = run_app("overview", period="30d", platforms="facebook,x", owner="mission", kpi="posts")
    filters: Filters = at.session_state["_ui_filters"]
    assert (filters.start, filters.end) == (date(2026, 10, 2), date(2026, 10, 31))
    assert filters.platforms == ("facebook", "x")
    assert filters.owners == ("mission",)
    assert at.dataframe[0].value.columns[2] == t("kpi.posts", lang="en")
    # A value the app does not know is ignored, not an error.
    at = run_app("overview", period="fortnight", platforms="myspace")
    assert not at.exception
    assert at.session_state["_ui_filters"].preset == "90d"
    assert at.session_state["_ui_filters"].platforms is None


def test_custom_period_comes_from_the_url(run_app):
    at = run_app("compare", period="custom", **{"from": "2026-09-01", "to": "2026-09-30"})
    filters: Filters = at.session_state["_ui_filters"]
    assert (filters.start, filters.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert not at.exception


def test_language_switch_changes_the_texts_and_the_url(run_app):
    at = run_app("overview")
    assert at.title[0].value == "Network overview"
    at.segmented_control[0].set_value("vi").run()
    assert at.title[0].value == "Tổng quan mạng lưới"
    assert at.query_params["lang"] == ["vi"] or at.query_params["lang"] == "vi"
    assert t("ui.app.sample_title", lang="vi") in markdown_text(at)
    at.segmented_control[0].set_value("en").run()
    assert at.title[0].value == "Network overview"
    assert "lang" not in at.query_params  # the default language keeps links short


def test_mission_page_shows_the_chosen_mission(run_app, sample_db):
    with Store(sample_db).read() as con:
        missions = queries.missions_with_accounts(con)
    chosen = missions.iloc[-1]
    at = run_app("mission", mission=chosen["mission_id"])
    assert not at.exception
    assert at.header[0].value == chosen["name_en"]
    labels = [m.label for m in at.metric]
    assert labels == [
        t(f"kpi.{k}", lang="en")
        for k in (
            "followers_end",
            "net_follows",
            "posts",
            "posts_per_week",
            "interactions",
            "reach",
            "er_reach",
            "er_followers",
            "host_language_share",
            "host_language_lift",
            "vietnamese_share",
            "english_share",
        )
    ]


def test_compare_page_modes(run_app):
    at = run_app("compare", cmp="region", region="europe")
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["Region"]) == {"Europe"}
    at = run_app("compare", cmp="missions")
    assert not at.exception
    assert len(at.dataframe[0].value) == 12  # no mission chosen yet: all of them


def test_a_bad_upload_shows_a_message_and_no_traceback(run_app):
    at = run_app("data")
    at.file_uploader[0].set_value(("notes.csv", b"hello,world\n1,2\n", "text/csv"))
    click_import(at)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith("REFUSED   notes.csv: this is not an export DiploPulse knows")


def test_removing_the_sample_data_removes_the_banner_for_good(run_app, sample_db):
    at = run_app("data")
    at.checkbox(key="samples_confirm").check().run()
    at.button(key="samples_remove").click().run()
    assert not at.exception
    assert t("ui.app.sample_title", lang="en") not in markdown_text(at)
    assert [s.value for s in at.success] == [t("ui.data.samples_removed", lang="en")]
    # The emptied store is not filled with the samples again on the next visit.
    again = run_app("overview")
    assert t("ui.app.no_data", lang="en") in [i.value for i in again.info]
    with Store(sample_db).read() as con:
        assert con.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]
        # every table the samples filled, the audience breakdowns included
        for table in ("posts", "post_metrics", "post_daily", "account_daily", "audience"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)], table
        assert samples_removed(con)


def test_a_fresh_install_loads_the_samples_on_first_run(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOPULSE_DB", str(tmp_path / "fresh.duckdb"))
    at = AppTest.from_file(str(Path(__file__).parents[2] / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception
    assert t("ui.app.sample_title", lang="en") in markdown_text(at)
    assert len(at.dataframe[0].value) == 12


def test_period_window_presets():
    latest = date(2026, 10, 31)
    assert period_window("30d", latest) == (date(2026, 10, 2), latest)
    assert period_window("90d", latest) == (date(2026, 8, 3), latest)
    assert period_window("ytd", latest) == (date(2026, 1, 1), latest)
    custom = (date(2026, 9, 30), date(2026, 9, 1))
    assert period_window("custom", latest, custom) == (date(2026, 9, 1), date(2026, 9, 30))
    assert period_window("custom", latest, None) == (date(2026, 8, 3), latest)


def test_without_chromium_charts_offer_html_and_say_why_not_png(run_app, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run_app("overview")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert t("ui.chart.png", lang="en") not in labels
    assert t("export.svg", lang="en") not in labels
    # the league table, the index, the map, the trend and the alerts (issue #7) each offer
    # their data; the two charts themselves
    assert labels.count(t("export.csv", lang="en")) == 5
    assert labels.count(t("export.xlsx", lang="en")) == 5
    assert labels.count(t("ui.chart.html", lang="en")) == 2
    captions = [c.value for c in at.caption]
    assert captions.count(t("ui.chart.png_unavailable", lang="en")) == 2


def test_uploading_exports_imports_them_and_reports_each_file(run_app, sample_db):
    folder = (
        Path(__file__).parents[2] / "data" / "samples" / "exports" / "emb-gb-london" / "facebook"
    )
    export = folder / "Sep-01-2026_Oct-31-2026_179167272458008.csv"
    at = run_app("data", lang="vi")
    # An export already imported with the samples, and an old Excel workbook.
    original = export.read_bytes()
    at.file_uploader[0].set_value(
        [
            (export.name, original, "text/csv"),
            ("bad.xls", b"\xd0\xcf\x11\xe0 old excel", "application/vnd.ms-excel"),
        ]
    )
    click_import(at, "vi")
    assert not at.exception
    # lines are markdown on the page: the file name comes escaped (`_` as `\_`)
    shown = display_text(export.name, markdown=True)
    assert shown == export.name.replace("_", "\\_")
    assert [i.value for i in at.info if shown in i.value] == [
        t("import.line.unchanged", lang="vi", file=shown, account="emb-gb-london-facebook")
    ]
    # an .xls is read now (BIFF8, with calamine): a broken one is unreadable
    reason = t("refused.unreadable", lang="vi", detail="CalamineError")
    assert [e.value for e in at.error] == [
        t("import.line.refused", lang="vi", file="bad.xls", reason=reason)
    ]
    summary = t("ui.data.summary", lang="vi", imported=0, unchanged=1, refused=1)
    assert any(summary in m.value for m in at.markdown)


def test_an_uploaded_export_is_imported_and_logged(run_app, sample_db):
    remove_sample_data(Store(sample_db))
    folder = (
        Path(__file__).parents[2] / "data" / "samples" / "exports" / "emb-gb-london" / "facebook"
    )
    export = folder / "Sep-01-2026_Oct-31-2026_179167272458008.csv"
    at = run_app("data")
    at.file_uploader[0].set_value((export.name, export.read_bytes(), "text/csv"))
    click_import(at)
    assert not at.exception
    lines = [s.value for s in at.success]
    assert len(lines) == 1
    assert lines[0].startswith(f"imported  {display_text(export.name, markdown=True)}: ")
    assert "account emb-gb-london-facebook" in lines[0]
    log = at.dataframe[0].value
    assert list(log["File"]) == [export.name]
    assert list(log["From"]) == ["upload"]
    assert list(log["Outcome"]) == ["imported"]
    # The data are there for the other pages at once.
    at.switch_page("pages/mission.py").run()
    assert not at.exception


def frame_with_column(at: AppTest, column: str):
    frames = [f.value for f in at.dataframe if column in f.value.columns]
    assert len(frames) == 1, f"one table with a column {column!r} expected, found {len(frames)}"
    return frames[0]


def test_data_page_coverage_per_mission_and_platform(run_app, sample_db):
    # A store whose data are known by hand, relative to the ministry's today (the page's):
    # London Facebook: posts 3 (mission) and 40 (ambassador) days ago -> fresh, 3 days.
    # London X: ambassador's followers 12 days ago; the mission account's value of yesterday
    #   was emptied by a newer export, so it is no data -> stale, 12 days, 1 day of daily data.
    # Paris YouTube: a post 45 days ago -> very stale. Every other platform: no data.
    remove_sample_data(Store(sample_db))
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    ago = {n: today - timedelta(days=n) for n in (0, 1, 3, 5, 12, 40, 45)}
    with Store(sample_db).write() as cur:
        for account, post, day in (
            ("emb-gb-london-facebook", "p1", ago[3]),
            ("emb-gb-london-facebook-ambassador", "p2", ago[40]),
            ("emb-fr-paris-youtube", "p3", ago[45]),
        ):
            cur.execute(
                "INSERT INTO posts (account_id, post_id, published_date, as_of, sha256) "
                "VALUES (?, ?, ?, ?, 'test')",
                [account, post, day, ago[0]],
            )
        cur.execute(
            "INSERT INTO account_daily VALUES "
            "('emb-gb-london-x-ambassador', ?, 'followers', 100, ?, 'test'), "
            "('emb-gb-london-x', ?, 'reach', 5, ?, 'test'), "
            "('emb-gb-london-x', ?, 'reach', NULL, ?, 'test')",
            [ago[12], ago[12], ago[1], ago[1], ago[1], ago[0]],
        )
    at = run_app("data", lang="vi")
    assert not at.exception
    assert not at.error
    table = frame_with_column(at, "Tình trạng")
    assert list(table.columns) == [
        "Cơ quan đại diện", "Nền tảng", "Tình trạng", "Số ngày từ lần có dữ liệu cuối",
        "Ngày cuối cùng", "Ngày đầu tiên", "Bài đăng", "Số ngày có dữ liệu theo ngày",
        "Khán giả theo quốc gia",
    ]  # fmt: skip
    assert len(table) == 48  # the 12 missions with accounts, 4 platforms each
    # Typed values (the table sorts by them; unknown is shown as "–" and is missing here).
    rows = [
        tuple(None if v is None or pd.isna(v) else v for v in r)
        for r in table.itertuples(index=False)
    ]
    no_data = ("⚪ chưa có dữ liệu", None, None, None, 0, 0, None)
    assert rows[0] == ("Đại sứ quán Việt Nam tại Ai Cập", "Facebook", *no_data)
    assert all(row[2:] == no_data for row in rows[:45])
    # equally out of date: by name in Vietnamese order (Đại before Phái before Tổng), not by id
    # (cg-jp-osaka first), each mission's platforms together
    missions = list(dict.fromkeys(row[0] for row in rows[:45]))
    assert missions == sort_by_name(missions, str) and missions[-1].startswith("Tổng")
    london, paris = "Đại sứ quán Việt Nam tại Vương quốc Anh", "Đại sứ quán Việt Nam tại Pháp"
    assert rows[45:] == [
        (paris, "YouTube", "🔴 rất cũ (> 30 ngày)", 45, ago[45], ago[45], 1, 0, None),
        (london, "X", "🟠 cũ (≤ 30 ngày)", 12, ago[12], ago[12], 0, 1, None),
        (london, "Facebook", "🟢 mới (≤ 7 ngày)", 3, ago[3], ago[40], 2, 0, None),
    ]
    # 100 registered missions: 10 with accounts but nothing, 88 without an account
    assert "**Các cơ quan đại diện chưa gửi dữ liệu nào: 98**" in [m.value for m in at.markdown]
    silent = frame_with_column(at, "Lý do")
    assert len(silent) == 98
    assert london not in set(silent["Cơ quan đại diện"]) and paris not in set(
        silent["Cơ quan đại diện"]
    )
    assert "Tổng Lãnh sự quán Việt Nam tại Osaka" in set(silent["Cơ quan đại diện"])
    assert silent["Lý do"].value_counts().to_dict() == {
        "chưa có tài khoản trong danh mục": 88,
        "đã đăng ký tài khoản, chưa nhập dữ liệu nào": 10,
    }
    # the per-account detail is still there, behind a switch that is off
    snapshot = t("ui.col.snapshot_as_of", lang="vi")
    assert not [f for f in at.dataframe if snapshot in f.value.columns]
    at.toggle(key="data_per_account").set_value(True).run()
    assert at.toggle(key="data_per_account").label == "Hiển thị chi tiết kỹ thuật theo tài khoản"
    assert len(frame_with_column(at, snapshot)) == 55


def test_data_page_coverage_on_the_samples(run_app, sample_db):
    at = run_app("data")
    assert not at.exception
    assert not at.error
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    # the samples end on 2026-10-31 for every account (data/samples/README.md)
    stale = (today - date(2026, 10, 31)).days
    table = frame_with_column(at, "Status")
    assert len(table) == 48
    assert set(table["Last day"]) == {date(2026, 10, 31)}  # a date: it sorts as one
    assert set(table["Days since last data"]) == {stale}
    first = table.iloc[0]
    assert (first["Mission"], first["Platform"]) == (
        "Consulate General of Viet Nam in Osaka",
        "Facebook",
    )
    assert "**Missions that have sent nothing: 88**" in [m.value for m in at.markdown]
    silent = frame_with_column(at, "Why")
    assert set(silent["Why"]) == {"no account in the registry"}
