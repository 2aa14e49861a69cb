"""Objectives and alerts on the pages (AppTest, both languages): the Mission page's objectives
with progress and on-track, its editor saving the file whole, a refused file shown as its one
line; the Overview's missions off track and the alerts of the network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from data.registry import DEFAULT_REGISTRY
from i18n import t
from i18n.collation import sort_by_name
from ui.format import date_input_format

OBJECTIVES = (
    "mission_id,kpi,start,end,target\n"
    "emb-jp-tokyo,net_follows,2026-07-01,2026-12-31,+1000000\n"
    "emb-jp-tokyo,posts_per_week,2026-07-01,2026-12-31,1\n"
    "emb-fr-paris,posts,2026-10-01,2026-10-31,1000000\n"
)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default registry in a folder of the test's own, with an objectives file."""
    folder = tmp_path / "registry"
    shutil.copytree(DEFAULT_REGISTRY, folder)
    (folder / "objectives.csv").write_text(OBJECTIVES, encoding="utf-8")
    monkeypatch.setenv("DIPLOPULSE_REGISTRY", str(folder))
    return folder


def _table(at, label_key: str, lang: str) -> pd.DataFrame:
    label = t(label_key, lang=lang)
    for frame in at.dataframe:
        if label in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {label!r}")


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_mission_page_shows_progress_and_on_track(run_app, registry, lang):
    at = run_app("mission", lang=lang, mission="emb-jp-tokyo")
    assert not at.exception, [e.value for e in at.exception]
    assert t("objectives.title", lang=lang) in _subheaders(at)
    assert t("alerts.title", lang=lang) in _subheaders(at)
    table = _table(at, "objectives.col.on_track", lang)
    kpis = list(table[t("objectives.col.kpi", lang=lang)])
    assert kpis == [t("kpi.net_follows", lang=lang), t("kpi.posts_per_week", lang=lang)]
    # a million follows is far behind its straight line; one post a week is easily held
    assert list(table[t("objectives.col.on_track", lang=lang)]) == [
        t("objectives.on_track.false", lang=lang),
        t("objectives.on_track.true", lang=lang),
    ]
    progress = table[t("objectives.col.progress", lang=lang)]
    assert progress.iloc[0] < 0.01 and progress.iloc[1] > 1
    # the editor writes its days as the date pickers do: 31/12/2026 in Vietnamese
    [editor] = [e.proto for e in at.dataframe if e.proto.editing_mode]
    days = {c: json.loads(editor.columns)[c]["type_config"]["format"] for c in ("start", "end")}
    assert days == dict.fromkeys(("start", "end"), date_input_format(lang))
    alerts = _table(at, "alerts.col.direction", lang)
    assert len(alerts) > 0
    assert set(alerts[t("alerts.col.direction", lang=lang)]) <= {
        t("alerts.direction.spike", lang=lang),
        t("alerts.direction.drop", lang=lang),
    }


def test_the_editor_saves_the_file_whole(run_app, registry):
    at = run_app("mission", mission="emb-jp-tokyo")
    at.button(key="objectives_save_emb-jp-tokyo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    path = registry / "objectives.csv"
    assert [s.value for s in at.success] == [t("objectives.saved", lang="en", count=2, file=path)]
    # the mission's rows, written back as they were, after the other missions' rows
    assert path.read_text(encoding="utf-8") == (
        "mission_id,kpi,start,end,target\n"
        "emb-fr-paris,posts,2026-10-01,2026-10-31,1000000\n"
        "emb-jp-tokyo,net_follows,2026-07-01,2026-12-31,+1000000\n"
        "emb-jp-tokyo,posts_per_week,2026-07-01,2026-12-31,1\n"
    )


def test_a_refused_file_is_one_line_and_the_page_still_draws(run_app, registry):
    path = registry / "objectives.csv"
    path.write_text(OBJECTIVES + "emb-jp-tokyo,likes,2026-07-01,2026-12-31,5\n", encoding="utf-8")
    at = run_app("mission", lang="vi", mission="emb-jp-tokyo")
    assert not at.exception, [e.value for e in at.exception]
    line = f'{path}, dòng 5: không có chỉ số "likes". Dùng một trong các chỉ số:'
    assert any(line in e.value for e in at.error), [e.value for e in at.error]
    overview = run_app("overview", lang="vi")
    assert not overview.exception
    assert any(line in e.value for e in overview.error)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_overview_lists_missions_off_track_and_alerts(run_app, registry, lang):
    at = run_app("overview", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert t("objectives.off_track_title", lang=lang) in _subheaders(at)
    table = _table(at, "objectives.col.on_track", lang)
    # Tokyo's million follows and Paris's million posts are off track; Tokyo's posts a week not
    name = "Embassy of Viet Nam in Japan" if lang == "en" else "Đại sứ quán Việt Nam tại Nhật Bản"
    assert name in set(table[t("objectives.col.mission", lang=lang)])
    assert len(table) == 2
    # by name in the reader's language, not by id: in Vietnamese Nhật Bản before Pháp
    first = "Embassy of Viet Nam in France" if lang == "en" else name
    assert table[t("objectives.col.mission", lang=lang)].iloc[0] == first
    alerts = _table(at, "alerts.col.direction", lang)
    assert len(alerts) > 0 and t("alerts.col.mission", lang=lang) in alerts.columns
    # newest first; a day's alerts by mission name in the reader's language, not by id
    days = list(alerts[t("alerts.col.day", lang=lang)])
    assert days == sorted(days, reverse=True)
    missions = alerts[t("alerts.col.mission", lang=lang)]
    for day in set(days):
        names = list(dict.fromkeys(missions[alerts[t("alerts.col.day", lang=lang)] == day]))
        assert names == sort_by_name(names, str), (day, names)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_lists_the_same_missions_off_track(run_app, registry, lang):
    at = run_app("compare", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert t("objectives.off_track_title", lang=lang) in _subheaders(at)
    table = _table(at, "objectives.col.on_track", lang)
    # the two objectives the Overview lists (Tokyo's million follows, Paris's million posts)
    assert len(table) == 2


def test_without_objectives_the_overview_says_so(run_app, registry):
    (registry / "objectives.csv").unlink()
    at = run_app("overview")
    assert not at.exception
    assert t("objectives.no_file", lang="en") in [i.value for i in at.info]


def test_saving_is_refused_whole_when_a_row_is_bad(run_app, registry):
    path = registry / "objectives.csv"
    bad = OBJECTIVES + "emb-fr-paris,posts,2026-10-01,2026-09-01,5\n"
    path.write_text(bad, encoding="utf-8")
    at = run_app("mission", mission="emb-jp-tokyo")
    at.button(key="objectives_save_emb-jp-tokyo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # the new file would put the other missions' rows first: Paris's bad row is its row 3
    line = (
        f"{path}, row 3: the period ends (2026-09-01) before it starts (2026-10-01). "
        "Swap start and end."
    )
    assert line in [e.value for e in at.error]
    assert [s.value for s in at.success] == []
    assert path.read_text(encoding="utf-8") == bad  # nothing written
