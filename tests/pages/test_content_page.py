"""The Content page (issue #7 part 10) on the bundled samples, in both languages, and its heat
map laid out from hand-made cells."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
import metrics
from data.store import Store
from data.themes import theme_label
from i18n import format_number, t
from ui import export, heatmap
from ui.export import ExportScope

CONTENT = "pages/content.py"
MISSION = "emb-jp-tokyo"
# The default period: the 90 days that end on the samples' latest date (2026-10-31).
WINDOW = (date(2026, 8, 3), date(2026, 10, 31))


def open_content(run_app, lang: str, **params: str) -> AppTest:
    at = run_app("overview", lang=lang, mission=MISSION, **params)
    at.switch_page(CONTENT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _main_texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at.main, kind)]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_content_page_shows_formats_and_best_time(run_app, sample_db, lang):
    at = open_content(run_app, lang)
    assert not at.error, [e.value for e in at.error]
    assert _main_texts(at, "title") == [t("content.title", lang=lang)]
    names = {"en": "Embassy of Viet Nam in Japan", "vi": "Đại sứ quán Việt Nam tại Nhật Bản"}
    assert _main_texts(at, "header") == [names[lang]]
    assert _main_texts(at, "subheader") == [
        t("content.formats.title", lang=lang),
        t("content.languages.title", lang=lang),
        t("content.themes.title", lang=lang),
        t("content.best.title", lang=lang),
    ]
    assert at.selectbox(key="p_mission").value == MISSION
    # formats, languages, themes, the heat map
    assert len(at.get("plotly_chart")) == 4

    with Store(sample_db).read() as con:
        scope = metrics.Scope(*WINDOW, missions=(MISSION,))
        kinds = metrics.post_formats(con, scope)
        best = metrics.best_time(con, scope)
    # The formats table: one row per format of the metric, labelled in the page's language.
    table = at.main.dataframe[0].value
    shown = list(table.data.iloc[:, 0]) if hasattr(table, "data") else list(table.iloc[:, 0])
    assert shown == [t(f"content.format.{f}", lang=lang) for f in kinds["format"]]
    # The themes table: the themes of metrics.theme_summary that have posts, in its order.
    with Store(sample_db).read() as con:
        themes = metrics.theme_summary(con, metrics.Scope(*WINDOW, missions=(MISSION,)))
    themes = themes[themes["posts"] > 0]
    assert not themes.empty
    table = at.main.dataframe[2].value
    shown = list(table.data.iloc[:, 0]) if hasattr(table, "data") else list(table.iloc[:, 0])
    assert shown == [theme_label(x, lang) for x in themes["theme"]]
    # The languages table: every language of metrics.languages, by name in the page's language,
    # the undetermined posts under their own name; the host-language KPIs above it.
    with Store(sample_db).read() as con:
        spoken = metrics.languages(con, metrics.Scope(*WINDOW, missions=(MISSION,)))
    table = at.main.dataframe[1].value
    shown = list(table.data.iloc[:, 0]) if hasattr(table, "data") else list(table.iloc[:, 0])
    names = {
        code: t("languages.undetermined", lang=lang)
        if code is None
        else i18n.language_name(code, lang)
        for code in spoken["language"]
    }
    assert sorted(shown) == sorted(
        n + (f" ({t('content.languages.host', lang=lang)})" if host is True else "")
        for n, host in zip(names.values(), spoken["host_language"], strict=True)
    )
    # The samples' Tokyo posts are a third in Japanese (data/generator/text.py, language_mix):
    # the host language has its row.
    assert f"{i18n.language_name('ja', lang)} ({t('content.languages.host', lang=lang)})" in shown
    label = t("kpi.host_language_share", lang=lang)
    assert any(text.startswith(label) for text in _main_texts(at, "caption"))
    # What the map leaves out is said, with the metric's count.
    assert best.untimed > 0
    untimed = t("content.best.untimed", lang=lang, n=format_number(best.untimed, lang=lang))
    assert any(untimed in text for text in _main_texts(at, "caption"))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_heat_map_greys_thin_cells_and_names_weekdays_in_the_language(run_app, lang):
    at = open_content(run_app, lang)
    spec = json.loads(at.get("plotly_chart")[3].proto.spec)
    thin, coloured, legend = spec["data"]
    assert (thin["type"], coloured["type"], legend["type"]) == ("heatmap", "heatmap", "scatter")
    assert thin["colorscale"] == [[0, heatmap.THIN_COLOR], [1, heatmap.THIN_COLOR]]
    assert legend["name"] == t("content.best.thin", lang=lang, n=5)
    assert coloured["y"][0] == i18n.weekday_name(1, lang) and coloured["y"][6] == (
        i18n.weekday_name(7, lang)
    )
    # No cell is both grey and coloured.
    for thin_row, row in zip(thin["z"], coloured["z"], strict=True):
        assert all(a is None or b is None for a, b in zip(thin_row, row, strict=True))


@pytest.mark.parametrize(("first", "then"), [("en", "vi"), ("vi", "en")])
def test_mission_and_period_hold_across_the_language_switch(run_app, first, then):
    at = open_content(run_app, first, period="ytd")
    at.segmented_control(key="ui_lang").set_value(then).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _main_texts(at, "title") == [t("content.title", lang=then)]
    assert at.selectbox(key="p_mission").value == MISSION
    assert at.selectbox(key="f_period").value == "ytd"


def test_heat_map_layout_of_hand_made_cells():
    # Monday 09:00 on 6 posts (coloured, median 2.5 %), Tuesday 18:00 on 3 (grey), nothing else.
    cells = pd.DataFrame(
        {
            "weekday": [1, 2],
            "hour": [9, 18],
            "posts": [6, 3],
            "median": [0.025, 0.015],
            "enough": [True, False],
        }
    )
    i18n.set_language("en")
    fig = heatmap.best_time_figure(cells, 5)
    thin, coloured, _ = fig.data
    assert coloured.z[0][9] == 0.025 and coloured.text[0][9] == "6"
    assert thin.z[1][18] == 1 and thin.text[1][18] == "3"
    assert coloured.z[1][18] is None and thin.z[0][9] is None
    assert sum(v is not None for row in coloured.z for v in row) == 1
    assert list(fig.data[1].y) == [i18n.weekday_name(d, "en") for d in range(1, 8)]
    assert "(n < 5)" in thin.hovertemplate and "n < 5" not in coloured.hovertemplate


def test_heat_map_files_name_weekdays_and_hours_in_the_language():
    cells = pd.DataFrame(
        {"weekday": [1, 7], "hour": [9, 23], "posts": [6, 1], "median": [0.025, 0.0],
         "enough": [True, False]}
    )  # fmt: skip
    columns = heatmap.best_time_columns(5, lang="vi")
    text = export.to_csv(cells, columns, ExportScope(title="Thời điểm"), "vi").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",")[:3] == ["Thứ", "Giờ (giờ địa phương)", "Số bài"]
    assert lines[1].startswith("Thứ Hai,09:00,6,2.5,có")
    assert lines[2].startswith("Chủ Nhật,23:00,1,0,không")
