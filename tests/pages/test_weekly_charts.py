"""Weekly bar charts: weeks the window cuts are marked partial; ticks are the weeks' Mondays."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import i18n
from metrics import periods
from ui import charts

# 2026-07-29 (a Wednesday) .. 2026-08-19 (a Wednesday): 5 days of the week of Monday 07-27,
# two full weeks, 3 days of the week of Monday 08-17.
START, END = date(2026, 7, 29), date(2026, 8, 19)


@pytest.fixture
def lang():
    """Sets the language for the test, and puts the default back afterwards."""

    def use(code: str) -> None:
        i18n.set_language(code)

    yield use
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


def weekly_frame() -> pd.DataFrame:
    weeks = periods(START, END, "week")[["date", "days", "period_days"]]
    return pd.concat(
        [
            weeks.assign(platform="facebook", value=[50.0, 70.0, 70.0, 30.0]),
            weeks.assign(platform="youtube", value=[5.0, 7.0, 7.0, 3.0]),
        ],
        ignore_index=True,
    )


def figure() -> object:
    return charts.stacked_bars(
        weekly_frame(), x="date", y="value", series="platform", colors=charts.PLATFORM_COLORS
    )


@pytest.mark.parametrize(
    ("code", "labels", "note", "legend"),
    [
        (
            "en",
            ["27 Jul<br>2026", "3 Aug", "10 Aug", "17 Aug"],
            "partial week: 5 of 7 days",
            "Partial week (hatched)",
        ),
        (
            "vi",
            ["27/07<br>2026", "03/08", "10/08", "17/08"],
            "tuần không trọn: 5 trên 7 ngày",
            "Tuần không trọn (gạch chéo)",
        ),
    ],
)
def test_partial_weeks_are_hatched_and_ticks_are_mondays(lang, code, labels, note, legend):
    lang(code)
    fig = figure()
    axis = fig.layout.xaxis
    assert [pd.Timestamp(v).date() for v in axis.tickvals] == [
        date(2026, 7, 27),
        date(2026, 8, 3),
        date(2026, 8, 10),
        date(2026, 8, 17),
    ]
    assert all(pd.Timestamp(v).weekday() == 0 for v in axis.tickvals)
    assert list(axis.ticktext) == labels
    # First, an invisible point per cut week whose hover is the note, said once per week
    notes = fig.data[0]
    assert notes.type == "scatter" and notes.marker.opacity == 0 and not notes.showlegend
    assert [pd.Timestamp(v).date() for v in notes.x] == [date(2026, 7, 27), date(2026, 8, 17)]
    assert list(notes.customdata) == [note, note.replace("5", "3")]  # 5 and 3 of 7 days
    assert "%{customdata}" in notes.hovertemplate
    # Per platform a trace of the full weeks and one of the cut weeks, one legend entry
    full, cut = fig.data[1], fig.data[2]
    assert (full.name, cut.name) == ("facebook", "facebook")
    assert full.legendgroup == cut.legendgroup and full.showlegend and not cut.showlegend
    assert [pd.Timestamp(v).date() for v in full.x] == [date(2026, 8, 3), date(2026, 8, 10)]
    assert [pd.Timestamp(v).date() for v in cut.x] == [date(2026, 7, 27), date(2026, 8, 17)]
    assert list(cut.y) == [50.0, 30.0] and list(full.y) == [70.0, 70.0]
    assert cut.marker.pattern.shape == "/" and cut.marker.opacity == 0.5
    assert full.marker.pattern.shape is None
    assert fig.data[-1].name == legend and list(fig.data[-1].x) == [None]


def test_full_weeks_only_have_no_partial_legend(lang):
    lang("en")
    data = weekly_frame()
    data["days"] = 7
    fig = charts.stacked_bars(data, x="date", y="value", series="platform")
    assert [trace.name for trace in fig.data] == ["facebook", "youtube"]
    assert fig.data[0].marker.pattern.shape is None and len(fig.data[0].x) == 4


def test_a_platform_with_only_cut_weeks_still_has_its_legend_entry(lang):
    lang("en")
    data = weekly_frame()
    data = data[data["days"] < 7]  # the first and last weeks only
    fig = charts.stacked_bars(data, x="date", y="value", series="platform")
    assert [(trace.name, trace.showlegend) for trace in fig.data[1:3]] == [
        ("facebook", True),
        ("youtube", True),
    ]


def test_ticks_are_thinned_and_the_year_is_written_where_it_changes():
    mondays = pd.date_range("2025-11-03", periods=30, freq="7D")  # 30 Mondays into 2026
    ticks, texts = charts.period_ticks(mondays, lang="en", max_ticks=10)
    assert len(ticks) == 10 and ticks[0] == mondays[0] and ticks[1] == mondays[3]
    assert all(t.weekday() == 0 for t in ticks)
    assert texts[0] == "3 Nov<br>2025"
    # every 3rd Monday: 11-03, 11-24, 12-15, then 2026-01-05, which carries its year
    assert texts[1:4] == ["24 Nov", "15 Dec", "5 Jan<br>2026"]
    # Vietnamese: day and month as numbers, as the daily charts write them; seven at most
    ticks, texts = charts.period_ticks(mondays, lang="vi")
    assert len(ticks) == 6 and ticks[1] == mondays[5]  # every 5th of 30 Mondays
    assert texts[:2] == ["03/11<br>2025", "08/12"]


@pytest.mark.parametrize("code", ["en", "vi"])
def test_a_few_days_get_one_tick_a_day_not_the_same_day_twice(lang, code):
    # plotly.js ticks a two-day line every 12 hours, which "%d/%m" writes 23/10, 23/10, ...
    lang(code)
    two_days = pd.DataFrame({"date": [date(2026, 10, 23), date(2026, 10, 24)], "value": [387, 43]})
    fig = charts.line_chart(two_days, x="date", y="value", series=None, markers=True)
    assert (fig.layout.xaxis.dtick, fig.layout.xaxis.tick0) == (charts.DAY_MS, "2026-10-23")
    days = pd.DataFrame(
        {"date": pd.date_range("2026-10-20", periods=5), "platform": "x", "value": 1.0}
    )
    fig = charts.stacked_bars(days, x="date", y="value", series="platform", weekly=False)
    assert fig.layout.xaxis.dtick == charts.DAY_MS
    # longer spans keep plotly's own ticks (weeks, months), a legend-only trace (x = [None],
    # the partial weeks' entry) among the bars
    quarter = pd.DataFrame({"date": pd.date_range("2026-08-01", "2026-10-31"), "value": 1.0})
    assert charts.line_chart(quarter, x="date", y="value", series=None).layout.xaxis.dtick is None
    fig = charts.stacked_bars(weekly_frame(), x="date", y="value", series="platform")
    assert list(fig.data[-1].x) == [None] and fig.layout.xaxis.dtick is None
