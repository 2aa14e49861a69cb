"""Every table and chart of every page offers its downloads, in both languages (AppTest), and
the files made on a click say what they show in the page's language."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta

import pytest
import streamlit as st
from openpyxl import load_workbook

import i18n
from data.store import Store
from i18n import t
from ui.filters import Filters

# What each page offers on the samples with its default pickers: tables by their name, charts
# by the name their downloads share (`dl_<name>_<format>`).
TABLES = {
    "overview": ["league_table", "index_table", "alerts"],  # alerts, index: issue #7
    "mission": [
        "audience_countries",
        "top_posts",
        "owner_table",
        "ambassador_themes",
        "mission_alerts",
        "mission_accounts",
    ],
    "compare": ["compare_table", "index_compare_table"],
    # the per-account detail and the registry's accounts are drawn when chosen: below
    "data": ["import_log", "mission_coverage", "sent_nothing", "registry_missions"],
}
CHARTS = {
    "overview": ["map-interactions", "trend-followers"],
    "mission": [
        "emb-jp-tokyo-followers",
        "emb-jp-tokyo-interactions",
        "host-audience-trend",
        "emb-jp-tokyo-platform-mix",
        "emb-jp-tokyo-owners",
    ],
    "compare": ["ranking-interactions", "scatter-er_followers", "index-contributions"],
    "data": [],
}


def download_keys(at) -> dict[str, str]:
    """The page's download buttons: key (`dl_<name>_<format>`) → label."""
    # A widget's id is `$$ID-<hash>-<key>`.
    return {b.proto.id.split("-", 2)[-1]: b.proto.label for b in at.get("download_button")}


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The `data` callables of the download buttons drawn, by key (as clicking would call)."""
    calls: dict[str, Callable[[], bytes]] = {}
    original = st.download_button

    def recording(label, data, *args, key=None, **kwargs):
        calls[key] = data
        return original(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    return calls


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("page", ["overview", "mission", "compare", "data"])
def test_every_table_and_chart_offers_its_downloads(run_app, page, lang, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/true")  # PNG/SVG offered without a browser
    at = run_app(page, lang=lang, mission="emb-jp-tokyo")
    assert not at.exception, [e.value for e in at.exception]
    keys = download_keys(at)
    expected = {}
    for name in TABLES[page]:
        expected[f"dl_{name}_csv"] = t("export.csv", lang=lang)
        expected[f"dl_{name}_xlsx"] = t("export.xlsx", lang=lang)
    for name in CHARTS[page]:
        expected[f"dl_{name}_csv"] = t("export.csv", lang=lang)
        expected[f"dl_{name}_xlsx"] = t("export.xlsx", lang=lang)
        expected[f"dl_{name}_html"] = t("ui.chart.html", lang=lang)
        expected[f"dl_{name}_svg"] = t("export.svg", lang=lang)
        expected[f"dl_{name}_png"] = t("ui.chart.png", lang=lang)
    assert keys == expected


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_data_page_s_folded_tables_offer_their_downloads_when_shown(run_app, lang):
    at = run_app("data", lang=lang, registry="accounts")
    keys = download_keys(at)
    assert "dl_registry_accounts_csv" in keys and "dl_registry_missions_csv" not in keys
    assert "dl_coverage_csv" not in keys  # the per-account detail is off: not even read
    at.toggle(key="data_per_account").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    keys = download_keys(at)
    for name in ("coverage", "registry_accounts"):
        assert keys[f"dl_{name}_csv"] == t("export.csv", lang=lang)
        assert keys[f"dl_{name}_xlsx"] == t("export.xlsx", lang=lang)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_league_table_files_carry_labels_numbers_and_scope(run_app, made, lang, monkeypatch):
    at = run_app("overview", lang=lang, platforms="facebook,x", owner="mission")
    assert not at.exception
    # The expected texts in the page's language (another test may have set this thread's).
    monkeypatch.setattr(i18n, "language", lambda: lang)
    filters: Filters = at.session_state["_ui_filters"]
    league = at.dataframe[0].value
    kpi = t("kpi.interactions", lang=lang)

    rows = list(csv.reader(io.StringIO(made["dl_league_table_csv"]().decode("utf-8-sig"))))
    header = [t("ui.col.rank", lang=lang), t("ui.col.mission", lang=lang)]
    assert rows[0] == [*header, kpi, t("ui.col.region", lang=lang)]
    body = rows[1 : 1 + len(league)]
    assert [int(r[0]) for r in body] == list(league[header[0]])
    assert [r[2] for r in body] == [str(v) for v in league[kpi]]  # 143985, never 143985.0
    footer = [r[0] for r in rows[2 + len(league) :]]
    assert footer[0] == filters.title(
        t("ui.overview.league", lang=lang), t("kpi.interactions", lang=lang)
    )
    assert footer[1] == t("export.scope.period", lang=lang, period=filters.describe())
    assert footer[2] == t("export.scope.platforms", lang=lang, platforms="Facebook, X")
    assert footer[3] == t(
        "export.scope.accounts", lang=lang, accounts=t("ui.owner.mission", lang=lang)
    )
    assert footer[4] == t("export.scope.sample", lang=lang)

    sheet = load_workbook(io.BytesIO(made["dl_league_table_xlsx"]())).active
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet["A2"].value == 1 and sheet["A2"].number_format == "0"
    assert isinstance(sheet["C2"].value, int) and sheet["C2"].number_format == "#,##0"
    assert sheet.cell(row=len(league) + 3, column=1).value == footer[0]


def test_a_chart_s_files_carry_its_title_and_scope(run_app, made, monkeypatch):
    at = run_app("compare", lang="vi", kpi="er_reach")
    assert not at.exception
    html = made["dl_ranking-er_reach_html"]().decode("utf-8")
    filters: Filters = at.session_state["_ui_filters"]
    # plotly writes the figure as JSON in the page, non-ASCII letters as \\u escapes
    assert json.dumps(t("export.scope.sample", lang="vi"))[1:-1] in html
    missions = t("export.scope.all_missions", lang="vi")
    assert json.dumps(t("export.scope.missions", lang="vi", missions=missions))[1:-1] in html
    sheet = load_workbook(io.BytesIO(made["dl_ranking-er_reach_xlsx"]())).active
    assert [c.value for c in sheet[1]] == [
        t("ui.col.rank", lang="vi"),
        t("ui.col.mission", lang="vi"),
        t("kpi.er_reach", lang="vi"),
        t("ui.col.region", lang="vi"),
    ]
    assert sheet["C2"].number_format == "0.00%"
    monkeypatch.setattr(i18n, "language", lambda: "vi")
    period = t("export.scope.period", lang="vi", period=filters.describe())
    assert period in [c.value for c in sheet["A"]]


def test_the_owner_split_says_it_shows_both_owners_whatever_the_filter(run_app, made):
    at = run_app("mission", owner="mission", mission="emb-jp-tokyo")
    assert not at.exception
    rows = list(csv.reader(io.StringIO(made["dl_owner_table_csv"]().decode("utf-8-sig"))))
    footer = [r[0] for r in rows if r]
    both = t("export.scope.accounts", lang="en", accounts=t("ui.filters.owner_all", lang="en"))
    assert both in footer
    # the page's other files follow the sidebar: the mission's own accounts
    rows = list(csv.reader(io.StringIO(made["dl_top_posts_csv"]().decode("utf-8-sig"))))
    own = t("export.scope.accounts", lang="en", accounts=t("ui.owner.mission", lang="en"))
    assert own in [r[0] for r in rows if r]


def test_the_import_log_downloads_with_counts_as_numbers(run_app, made, sample_db):
    at = run_app("data", lang="vi")
    assert not at.exception
    rows = list(csv.reader(io.StringIO(made["dl_import_log_csv"]().decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == [
        t("ui.col.imported_at", lang="vi", zone="Giờ Việt Nam"),
        t("ui.col.file", lang="vi"),
        t("ui.col.outcome", lang="vi"),
    ]
    counts = [r[header.index(t("ui.col.rows", lang="vi"))] for r in rows[1:] if len(r) > 1]
    assert counts and all(c == "" or c.isdigit() for c in counts)  # 1234, never 1.234 or 1234.0
    assert t("export.scope.sample", lang="vi") in [r[0] for r in rows if r]
    # The store keeps UTC; the page shows the ministry's clock (UTC+7 all year).
    with Store(sample_db).read() as cur:
        (newest,) = cur.execute("SELECT max(imported_at) FROM imports").fetchone()
    assert rows[1][0].startswith(f"{newest + timedelta(hours=7):%Y-%m-%d %H:%M}")
