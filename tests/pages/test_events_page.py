"""The Events page (AppTest on the sample data): the uplift table is the metrics' numbers, in
both languages; a refused events.csv gives its one line and the editor to correct it; saving
writes the file; events are shaded on the time-series charts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import metrics
from data.events import load_events, to_csv
from data.registry import DEFAULT_REGISTRY
from data.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the registry folder, in use through DIPLOPULSE_REGISTRY (saving writes here)."""
    folder = tmp_path / "registry"
    shutil.copytree(DEFAULT_REGISTRY, folder)
    monkeypatch.setenv("DIPLOPULSE_REGISTRY", str(folder))
    return folder


@pytest.fixture
def events_page(sample_db: Path, registry: Path) -> Callable[..., AppTest]:
    def run(lang: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        if lang:
            at.query_params["lang"] = lang
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        at.switch_page("pages/events.py").run()
        assert not at.exception, at.exception
        return at

    return run


def test_the_table_is_the_metrics_uplift(events_page, sample_db):
    at = events_page(mission="emb-jp-tokyo", event="national-day-2026")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Events and campaigns"
    table = at.dataframe[0].value
    with Store(sample_db).read() as con:
        event = next(e for e in load_events(DEFAULT_REGISTRY) if e.event_id == "national-day-2026")
        expected = metrics.event_uplift(con, "emb-jp-tokyo", event)
    assert list(table.iloc[:, 0]) == ["Interactions", "Reach", "Posts", "Net follows"]
    assert list(table.iloc[:, 1]) == [expected[k]["event"] for k in metrics.EVENT_KPIS]
    assert expected["interactions"]["event"] is not None  # the samples have that day's posts
    assert len(at.get("plotly_chart")) == 1


def test_in_vietnamese(events_page):
    at = events_page(lang="vi", mission="emb-jp-tokyo", event="asean-day-2026")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Sự kiện và chiến dịch"
    assert list(at.dataframe[0].value.columns)[:2] == ["Chỉ số", "Sự kiện"]


def test_the_default_event_is_the_newest_that_has_begun(events_page):
    at = events_page(mission="emb-jp-tokyo")
    # The samples end on 2026-10-31: UN Day 2026 (24 October), not Tết 2027.
    assert at.selectbox(key="ev_event").value == "un-day-2026"


def test_a_refused_file_says_why_and_the_editor_still_opens(events_page, registry):
    path = registry / "events.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "bad,Bad,Xấu,visit,2026-01-01,2026-01-02,,\n",
        encoding="utf-8",
    )
    at = events_page()
    assert len(at.error) == 1
    assert 'row 27: kind "visit" is not a known kind' in at.error[0].value
    assert "Use one of: state_visit" in at.error[0].value
    assert at.button(key="ev_editor_save") is not None


def test_saving_writes_the_file(events_page, registry):
    before = load_events(registry)
    (registry / "events.csv").write_text("", encoding="utf-8")  # refused: no header
    at = events_page()
    assert len(at.error) == 1 and "the header is not the expected one" in at.error[0].value
    (registry / "events.csv").write_text(to_csv(before), encoding="utf-8")
    at = events_page()
    at.button(key="ev_editor_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Saved: 25 events" in at.success[0].value
    assert load_events(registry) == before


def test_time_series_charts_carry_the_events(events_page):
    at = events_page(mission="emb-jp-tokyo")
    at.switch_page("pages/mission.py").run()
    assert not at.exception
    charts = at.get("plotly_chart")
    texts = [
        a["text"]
        for chart in charts
        for a in json.loads(chart.proto.spec).get("layout", {}).get("annotations", [])
    ]
    # The sidebar's default period: the 90 days up to 2026-10-31 (from 2026-08-03).
    for name in ("ASEAN Day 2026", "National Day (2 September) 2026", "UN Day 2026"):
        assert name in texts
    assert "Reunification Day (30 April) 2026" not in texts
