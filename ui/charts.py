"""Plotly figures with one look, and the way every chart is shown and offered for download.

Builders take data already computed by `metrics` and only lay it out: colours per platform,
translated axis titles, numbers written the way the language writes them (`layout.separators`),
dates without month names in Vietnamese (plotly.js only knows English month names).

`show_chart` draws a figure and `chart_downloads` offers its data as CSV and Excel (through
`ui/tables.py`) and the chart as HTML, SVG and PNG, each carrying its title and scope (period,
comparison, platforms, accounts, sample data: `for_export`). Every file is made only when its
button is clicked (a callable `data`), SVG and PNG by Kaleido in the system's Chromium; without a
Chromium, they are not offered and the page says so. Names written into a chart or an HTML page
are escaped: plotly reads a few HTML tags in texts, and a name is text.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from plotly.basedatatypes import BasePlotlyType

import i18n
from i18n import t
from ui import export, geo
from ui.export import Column, ExportScope
from ui.tables import download_buttons, file_button, file_stem

PLATFORM_COLORS = {
    "facebook": "#1877F2",
    "instagram": "#C13584",
    "x": "#14171A",
    "youtube": "#E62117",
    "tiktok": "#25A9B0",
    "linkedin": "#0A66C2",
}
OWNER_COLORS = {"mission": "#1F4E79", "ambassador": "#D08C2E"}
REGION_COLORS = {
    "asia_pacific": "#1F77B4",
    "europe": "#2CA02C",
    "americas": "#D62728",
    "middle_east_africa": "#FF7F0E",
    "multilateral": "#9467BD",
}
ACCENT = "#B22234"  # the ministry's red, for single-series charts
# Light but visible blue for the lowest value, so that it is not mistaken for "no data" (grey).
SEQUENTIAL = [[0.0, "#C6DBEF"], [0.5, "#4292C6"], [1.0, "#08306B"]]
# System fonts with Vietnamese letters: a web font that loads after plotly measured its labels
# makes legends overlap.
FONT = "Arial, Liberation Sans, DejaVu Sans, Helvetica, sans-serif"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# The charts' template, made plotly's default here: a figure takes the default when it is made,
# as it is, while `update_layout(template=...)` validates and copies the whole template, 6.5
# ms a figure (a fifth of the Overview's script run, a warm one, went on it). The same figure.
TEMPLATE = "plotly_white"
# Percent ticks with as many decimals as their step needs, no more (d3-format's "~" trims the
# zeros): an engagement rate between 0.19 % and 0.23 % was ticked "0.2%, 0.2%, 0.2%" by ".1%".
PERCENT_TICKS = "~%"
# A date axis spanning at most this many days gets one tick a day: plotly.js would tick every
# 12 or 6 hours, which the day-only formats show as the same day two or four times.
DAILY_TICKS_UP_TO_DAYS = 10
DAY_MS = 86_400_000
pio.templates.default = TEMPLATE


def separators(lang: str | None = None) -> str:
    """Plotly's `layout.separators` (decimal, then thousands): `,.` in Vietnamese."""
    return ",." if (lang or i18n.language()) == "vi" else ".,"


def number_ticks(lang: str | None = None) -> dict[str, object]:
    """Tick settings of an axis or colour bar of plain numbers in the language: Vietnamese
    writes them whole ("140.000"), as its reports do: plotly.js's SI suffixes ("140k", "1.5M")
    are English abbreviations (CLDR's Vietnamese ones, "N" and "Tr", plotly.js cannot write)."""
    if (lang or i18n.language()) == "vi":
        return {"exponentformat": "none", "separatethousands": True}
    return {}


def style(
    fig: go.Figure,
    *,
    title: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    percent: bool = False,
    dates: bool = False,
    height: int = 380,
    legend_title: str | None = None,
) -> go.Figure:
    """The house style: white, light grid, horizontal legend on top, localised numbers."""
    lang = i18n.language()
    _update(
        fig.layout,
        {
            "separators": separators(lang),
            "font": {"family": FONT, "size": 13, "color": "#262730"},
            "title": (
                {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}} if title else None
            ),
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
            "legend": {
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.02,
                "xanchor": "left",
                "x": 0,
                "title": {"text": legend_title or ""},
            },
            "hoverlabel": {"font": {"family": FONT}},
        },
    )
    x_axis: dict[str, object] = {
        "title": {"text": x_title},
        "automargin": True,
        **({} if dates else number_ticks(lang)),
    }
    y_axis: dict[str, object] = {
        "title": {"text": y_title},
        "automargin": True,
        "rangemode": "tozero",
    }
    y_axis.update(number_ticks(lang))
    if percent:
        y_axis["tickformat"] = PERCENT_TICKS
    if dates:
        # plotly.js writes month names in English only; Vietnamese gets day/month numbers.
        if lang == "vi":
            x_axis.update(tickformat="%d/%m", hoverformat="%d/%m/%Y")
        else:
            x_axis["hoverformat"] = "%b %d, %Y"
        first, last = _date_span(fig)
        if first is not None and (last - first).days <= DAILY_TICKS_UP_TO_DAYS:
            x_axis.update(dtick=DAY_MS, tick0=first.strftime("%Y-%m-%d"))
    for axis in fig.select_xaxes():
        _update(axis, x_axis)
    for axis in fig.select_yaxes():
        _update(axis, y_axis)
    return fig


def _date_span(fig: go.Figure) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last day on the figure's x axes (None, None when it has none)."""
    values = [trace.x for trace in fig.data if getattr(trace, "x", None) is not None]
    if not values:
        return None, None
    days = pd.to_datetime(pd.Series(np.concatenate(values)), errors="coerce").dropna()
    if days.empty:
        return None, None
    return days.min().normalize(), days.max().normalize()


def _update(obj: BasePlotlyType, values: dict[str, object]) -> None:
    """`obj.update(values)`: a dict merged into the property's present value, any other value
    (None clears) set, by item assignment. Plotly's `update_layout` spent 3.6 ms a figure
    on the few properties `style` sets (its batch of edits, its paths), assignment 0.3."""
    for key, value in values.items():
        if isinstance(value, dict):
            value = _merged(obj[key].to_plotly_json(), value)
        obj[key] = value


def _merged(old: dict, new: dict) -> dict:
    """`new` over `old`, nested dicts merged key by key."""
    out = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            value = _merged(out[key], value)
        out[key] = value
    return out


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A blank chart that says why it is blank (no data in the window, for instance)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, height=height)


def _ordered_groups(
    data: pd.DataFrame, column: str, order: dict[str, str] | None
) -> list[tuple[object, pd.DataFrame]]:
    """Groups of `data` by `column`, in the order of the `order` mapping's keys, then the rest."""
    groups = dict(list(data.groupby(column, sort=True)))
    known = [k for k in (order or {}) if k in groups]
    return [(k, groups[k]) for k in known] + [(k, g) for k, g in groups.items() if k not in known]


def line_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str | None,
    labels: dict[str, str] | None = None,
    colors: dict[str, str] | None = None,
    title: str | None = None,
    y_title: str | None = None,
    percent: bool = False,
    markers: bool = False,
) -> go.Figure:
    """One line per value of `series` (or a single line); `labels` names the series."""
    fig = go.Figure()
    groups = [(None, data)] if series is None else _ordered_groups(data, series, colors)
    for key, part in groups:
        name = (labels or {}).get(key, str(key)) if key is not None else (y_title or y)
        color = (colors or {}).get(key, ACCENT if key is None else None)
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                name=name,
                mode="lines+markers" if markers else "lines",
                line={"color": color, "width": 2},
                connectgaps=False,  # unknown days stay gaps, never zero
                hovertemplate="%{y:,.4~r}<extra>" + name + "</extra>"
                if not percent
                else "%{y:.2%}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(hovermode="x unified")
    return style(fig, title=title, y_title=y_title, percent=percent, dates=True)


def period_ticks(
    starts: Sequence[object], lang: str | None = None, max_ticks: int = 7
) -> tuple[list[pd.Timestamp], list[str]]:
    """Ticks for bars dated by their period's first day (a week's Monday): at most `max_ticks`
    of those days, evenly spaced, labelled by Babel in the language ("3 Aug" / "03/08", the
    day-month numbers of the Vietnamese daily charts: "3 thg 8" took twice the room), with the
    year on a second line under the first tick and where a new year starts. Seven labels fit
    the Mission page's half-width chart without running into each other.

    plotly.js would write English month names and put ticks between the bars; these are the
    bars' own dates in the user's language.
    """
    from babel.dates import format_date as babel_date

    lang = lang or i18n.language()
    days = sorted({pd.Timestamp(d).normalize() for d in starts if pd.notna(d)})
    step = max(1, -(-len(days) // max_ticks))  # ceil: never more than max_ticks labels
    chosen = days[::step]
    texts, year = [], None
    for day in chosen:
        text = babel_date(day.date(), format="dd/MM" if lang == "vi" else "d MMM", locale=lang)
        if day.year != year:
            text, year = f"{text}<br>{day.year}", day.year
        texts.append(text)
    return chosen, texts


def stacked_bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    labels: dict[str, str] | None = None,
    colors: dict[str, str] | None = None,
    title: str | None = None,
    y_title: str | None = None,
    weekly: bool = True,
) -> go.Figure:
    """Totals per period (a week by default) stacked per value of `series` (e.g. platform).

    When `data` has the columns days and period_days (`metrics.timeseries` by week), a week the
    window cuts is drawn hatched and lighter, says "partial week: 5 of 7 days" on hover, and a
    legend entry explains the hatching, so its value is not read as a full week's.
    """
    fig = go.Figure()
    has_days = weekly and {"days", "period_days"} <= set(data.columns)
    cut_weeks: dict[object, str] = {}  # period start -> its hover note
    for key, part in _ordered_groups(data, series, colors):
        name = (labels or {}).get(key, str(key))
        color = (colors or {}).get(key)
        cut = (part["days"] < part["period_days"]) if has_days else pd.Series(False, part.index)
        for day, days, length in (
            part.loc[cut, [x, "days", "period_days"]].itertuples(index=False) if has_days else ()
        ):
            cut_weeks[day] = t("ui.period.partial_week", days=int(days), period_days=int(length))
        # Full and cut weeks are two traces of one legend entry: the legend's swatch stays
        # solid, and only the cut weeks are hatched.
        for partial, rows in ((False, part[~cut]), (True, part[cut])):
            if rows.empty:
                continue
            fig.add_trace(
                go.Bar(
                    x=rows[x],
                    y=rows[y],
                    name=name,
                    legendgroup=str(key),
                    showlegend=not partial or bool(cut.all()),
                    marker={"color": color, "opacity": 0.5, "pattern": {"shape": "/"}}
                    if partial
                    else {"color": color},
                    hovertemplate="%{y:,.0f}<extra>" + name + "</extra>",
                )
            )
    if cut_weeks:
        # The hover of a cut week says so once, first: an invisible point at the foot of its bar
        # whose hover is the note ("partial week: 5 of 7 days").
        fig.add_trace(
            go.Scatter(
                x=list(cut_weeks),
                y=[0] * len(cut_weeks),
                mode="markers",
                marker={"opacity": 0, "size": 1},
                showlegend=False,
                customdata=list(cut_weeks.values()),
                hovertemplate="<i>%{customdata}</i><extra></extra>",
            )
        )
        fig.data = (fig.data[-1], *fig.data[:-1])
        # A legend entry without bars: the hatching is explained on the chart itself, which is
        # also what a downloaded PNG shows.
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=t("ui.period.partial_legend"),
                marker={"color": "#9AA0A6", "opacity": 0.5, "pattern": {"shape": "/"}},
                hoverinfo="skip",
            )
        )
    fig.update_layout(barmode="stack", hovermode="x unified", bargap=0.15)
    style(fig, title=title, y_title=y_title, dates=True)
    # Stacked bars list their legend bottom-up by default; keep the platforms' order instead.
    fig.update_layout(legend={"traceorder": "normal"})
    if weekly:
        ticks, texts = period_ticks(data[x])
        fig.update_xaxes(
            tickvals=ticks,
            ticktext=texts,
            tickangle=0,
            hoverformat=t("ui.period.week_hover"),
        )
    return fig


def bar_ranking(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    texts: Sequence[str],
    title: str | None = None,
    x_title: str | None = None,
    percent: bool = False,
    colors: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    group_labels: dict[str, str] | None = None,
    group_colors: dict[str, str] | None = None,
    legend_title: str | None = None,
) -> go.Figure:
    """Horizontal bars, first item on top; `texts` are the values as written on the cards.

    With `groups` (e.g. each bar's region), bars are coloured by group and a legend names the
    colours, so that a PNG of the chart can be read without the page around it.
    """
    height = max(260, 28 * len(labels) + 90)
    labels, values, texts = list(labels), list(values), list(texts)
    fig = go.Figure()
    if groups is None:
        fig.add_trace(
            go.Bar(
                x=values,
                y=labels,
                orientation="h",
                text=texts,
                textposition="auto",
                marker={"color": list(colors) if colors else ACCENT},
                hovertemplate="%{y}: %{text}<extra></extra>",
                showlegend=False,
            )
        )
    else:
        order = list(dict.fromkeys([*(group_colors or {}), *groups]))
        for group in (g for g in order if g in set(groups)):
            rows = [i for i, g in enumerate(groups) if g == group]
            name = (group_labels or {}).get(group, str(group))
            fig.add_trace(
                go.Bar(
                    x=[values[i] for i in rows],
                    y=[labels[i] for i in rows],
                    orientation="h",
                    text=[texts[i] for i in rows],
                    textposition="auto",
                    name=name,
                    marker={"color": (group_colors or {}).get(group, ACCENT)},
                    hovertemplate="%{y}: %{text}<extra>" + escape(name) + "</extra>",
                )
            )
        # One bar per row: the traces share the rows' order and do not sit side by side.
        fig.update_layout(barmode="relative")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    style(fig, title=title, height=height, legend_title=legend_title)
    fig.update_xaxes(title_text=x_title, tickformat=PERCENT_TICKS if percent else None)
    fig.update_yaxes(rangemode=None)
    return fig


def share_bars(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str,
    labels: dict[str, str],
    category_labels: dict[str, str],
    texts: Sequence[str],
    colors: dict[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """One 100% bar per category, split by `group` (e.g. each KPI split mission / ambassador).

    Plotly itself normalises the bars (`barnorm`); the hover shows the values (`texts`).
    """
    fig = go.Figure()
    data = data.assign(_text=list(texts))
    for key, part in _ordered_groups(data, group, colors):
        fig.add_trace(
            go.Bar(
                y=[category_labels.get(c, c) for c in part[category]],
                x=part[value],
                orientation="h",
                name=labels.get(key, str(key)),
                marker={"color": (colors or {}).get(key)},
                customdata=part["_text"],
                hovertemplate="%{y}: %{customdata}<extra>" + labels.get(key, str(key)) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", barnorm="percent", legend={"traceorder": "normal"})
    style(fig, title=title, height=80 + 45 * data[category].nunique())
    fig.update_xaxes(ticksuffix="%", range=[0, 100], tickvals=[0, 25, 50, 75, 100])
    fig.update_yaxes(autorange="reversed", rangemode=None)
    return fig


def donut(
    names: Sequence[str],
    values: Sequence[float],
    *,
    colors: Sequence[str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Shares of a whole (e.g. interactions per platform); leave unknown values out."""
    fig = go.Figure(
        go.Pie(
            labels=list(names),
            values=list(values),
            hole=0.5,
            marker={"colors": list(colors) if colors else None},
            sort=False,
            # One decimal on every slice: plotly's default keeps three significant digits
            # (35.4 %, 9.88 %, 3.96 % side by side).
            texttemplate="%{percent:.1%}",
        )
    )
    return style(fig, title=title, height=320)


# Where a point's label may go, in order of preference (plotly's textposition values).
LABEL_POSITIONS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def label_positions(
    xs: Sequence[float],
    ys: Sequence[float],
    labels: Sequence[str],
    *,
    log_x: bool = False,
    width: float = 800.0,
    height: float = 380.0,
) -> list[str]:
    """A `textposition` for each point's label such that labels cover one another and the
    other points as little as can be: each label in turn takes the first of LABEL_POSITIONS
    that covers least of what is placed already. Sizes are estimated on a plot area of
    `width` × `height` pixels (the font's 11 px: about 6.3 px a character), which is what a
    downloaded PNG and a desktop screen show; a cluster of points then reads as names around
    it, not names on top of each other."""
    x = np.asarray(xs, dtype="float64")
    if log_x:
        x = np.log10(np.where(x > 0, x, np.nan))
    y = np.asarray(ys, dtype="float64")

    def scaled(values: np.ndarray, size: float, flip: bool, from_zero: bool) -> np.ndarray:
        known = values[np.isfinite(values)]
        if not len(known):
            return np.zeros(len(values))
        low = min(known.min(), 0.0) if from_zero else known.min()
        span = (known.max() - low) or 1.0
        out = np.nan_to_num((values - low) / span * size)
        return size - out if flip else out

    # As `style` draws the axes: the y axis from zero, the x axis over its values.
    px, py = scaled(x, width, False, False), scaled(y, height, True, True)
    radius, gap, line = 6.0, 2.0, 15.0
    # What is placed so far, one box a row (x0, y0, x1, y1): every point, then each label.
    taken = np.column_stack([px - radius, py - radius, px + radius, py + radius])
    positions = []
    for n, (a, b, text) in enumerate(zip(px, py, labels, strict=True)):
        if not text:
            positions.append(LABEL_POSITIONS[0])
            continue
        w = 6.3 * len(str(text)) + 4
        boxes = []
        for where in LABEL_POSITIONS:
            vertical, horizontal = where.split()
            top = {
                "top": b - radius - gap - line,
                "bottom": b + radius + gap,
                "middle": b - line / 2,
            }[vertical]
            left = {
                "center": a - w / 2,
                "right": a + (radius + gap if vertical == "middle" else 0),
                "left": a - w - (radius + gap if vertical == "middle" else 0),
            }[horizontal]
            boxes.append((left, top, left + w, top + line))
        # The area each candidate shares with what is placed (its own point aside), at once.
        cand = np.asarray(boxes)[:, None, :]
        others = np.delete(taken, n, axis=0)[None, :, :]
        wide = np.minimum(cand[..., 2], others[..., 2]) - np.maximum(cand[..., 0], others[..., 0])
        high = np.minimum(cand[..., 3], others[..., 3]) - np.maximum(cand[..., 1], others[..., 1])
        covered = (np.clip(wide, 0, None) * np.clip(high, 0, None)).sum(axis=1)
        best = int(np.argmin(covered))  # the first of the least covered
        positions.append(LABEL_POSITIONS[best])
        taken = np.vstack([taken, boxes[best]])
    return positions


def scatter(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    text: str,
    color: str | None = None,
    color_labels: dict[str, str] | None = None,
    colors: dict[str, str] | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    y_percent: bool = False,
    log_x: bool = False,
    title: str | None = None,
    label: str | None = None,
    legend_title: str | None = None,
) -> go.Figure:
    """One point per row (e.g. a mission's audience against its engagement rate).

    `text` names a point on hover; `label` (a column) is written beside the point, so that a
    PNG can be read without hovering: an empty label leaves a point unlabelled (the page
    labels them all when there are few, else the notable ones).
    """
    fig = go.Figure()
    data = data.reset_index(drop=True)  # one position per row, found again by index below
    # Labels are placed across every group at once: a cluster mixes regions.
    where = (
        pd.Series(
            label_positions(data[x], data[y], [v if v else "" for v in data[label]], log_x=log_x),
            index=data.index,
        )
        if label
        else None
    )
    groups = [(None, data)] if color is None else _ordered_groups(data, color, colors)
    for key, part in groups:
        name = (color_labels or {}).get(key, str(key)) if key is not None else ""
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                text=[escape(str(v)) if v else "" for v in part[label]] if label else None,
                mode="markers+text" if label else "markers",
                textposition=list(where[part.index]) if where is not None else "top center",
                textfont={"size": 11, "color": "#262730"},
                cliponaxis=False,  # a label near the edge is written whole
                name=name,
                showlegend=key is not None,
                marker={"size": 12, "color": (colors or {}).get(key, ACCENT), "opacity": 0.85},
                hovertemplate="<b>%{customdata}</b><br>"
                + (x_title or x)
                + ": %{x:,.0f}<br>"
                + (y_title or y)
                + (": %{y:.2%}" if y_percent else ": %{y:,.2f}")
                + "<extra></extra>",
                customdata=[escape(str(v)) for v in part[text]],
            )
        )
    style(
        fig,
        title=title,
        x_title=x_title,
        y_title=y_title,
        percent=y_percent,
        height=460,
        legend_title=legend_title,
    )
    if log_x:
        fig.update_xaxes(type="log")
    return fig


def choropleth(
    iso3_codes: Sequence[str],
    values: Sequence[float | None],
    hover: Sequence[str],
    *,
    title: str | None = None,
    colorbar_title: str | None = None,
    percent: bool = False,
) -> go.Figure:
    """A world map of countries shaded by a value, with Viet Nam's own shape drawn for context."""
    fig = go.Figure(
        go.Choropleth(
            locations=list(iso3_codes),
            z=list(values),
            locationmode="ISO-3",
            text=list(hover),
            hovertemplate="%{text}<extra></extra>",
            colorscale=SEQUENTIAL,
            marker={"line": {"color": "#FFFFFF", "width": 0.5}},
            colorbar={
                "title": {"text": colorbar_title or ""},
                "tickformat": PERCENT_TICKS if percent else None,
                "thickness": 12,
                **({} if percent else number_ticks()),
            },
        )
    )
    fig.update_geos(
        resolution=geo.RESOLUTION,
        showcountries=True,
        countrycolor="#C9CED6",
        showland=True,
        landcolor="#F1F3F6",
        showocean=True,
        oceancolor="#FFFFFF",
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        lataxis_range=[-58, 85],
    )
    style(fig, title=title, height=480)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50 if title else 10, "b": 0})
    return fig


# -- showing and downloading -----------------------------------------------------------------


def plot_config() -> dict:
    """The plotly.js config of every chart: local map shapes, no Plotly logo, no cloud export."""
    base = st.get_option("server.baseUrlPath") or ""
    return {
        "displaylogo": False,
        "topojsonURL": geo.browser_topojson_url(base),
        "modeBarButtonsToRemove": ["toImage", "lasso2d", "select2d"],
    }


def chromium_path() -> str | None:
    """The Chromium Kaleido will use: `BROWSER_PATH` if set, else a system Chromium; or None."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def png_available() -> bool:
    """True when a Chromium is there for Kaleido to render PNGs with."""
    return chromium_path() is not None


def _has_geo(fig: go.Figure) -> bool:
    return any(trace.type in ("choropleth", "scattergeo") for trace in fig.data)


def render_png(fig: go.Figure, width: int = 1200) -> bytes:
    """The chart as a PNG, rendered by Kaleido in the system Chromium (about 3 s)."""
    import plotly.io as pio

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium for Kaleido")
    # Kaleido (through choreographer) starts the browser named in BROWSER_PATH.
    os.environ.setdefault("BROWSER_PATH", path)
    pio.defaults.mathjax = None  # no MathJax from a CDN: there is no network at the ministry
    pio.defaults.topojson = geo.file_topojson_url()
    height = int(fig.layout.height or 420)
    return fig.to_image(format="png", width=width, height=height, scale=2)


def render_svg(fig: go.Figure, width: int = 1200) -> bytes:
    """The chart as an SVG (vector: sharp in a report at any size), by Kaleido like the PNG."""
    import plotly.io as pio

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium for Kaleido")
    os.environ.setdefault("BROWSER_PATH", path)
    pio.defaults.mathjax = None
    pio.defaults.topojson = geo.file_topojson_url()
    height = int(fig.layout.height or 420)
    return fig.to_image(format="svg", width=width, height=height)


def render_html(fig: go.Figure, title: str) -> bytes:
    """The chart as a self-contained HTML page (plotly.js and map shapes inline: works offline).

    `title` goes into the page's `<title>` escaped: a mission's name is text, never markup.
    """
    html = fig.to_html(
        full_html=True,
        include_plotlyjs=True,
        config={"displaylogo": False},
        default_width="100%",
    )
    head = f"<title>{escape(title)}</title>"
    if _has_geo(fig):
        head += geo.inline_assets_script()
    return html.replace("<head>", "<head><meta charset='utf-8'>" + head, 1).encode("utf-8")


def for_export(fig: go.Figure, title: str | None, scope: ExportScope | None = None) -> go.Figure:
    """A copy of the figure for a file that leaves the page's context: the title on top and the
    scope (period, comparison, platforms, accounts, sample data) under it, both escaped
    (plotly reads a few HTML tags in titles; a name is text)."""
    title = title or (scope.title if scope else None)
    lines = scope.all_lines() if scope else ()
    if not title and not lines:
        return fig
    copy = go.Figure(fig)
    extra = (40 if title else 0) + 17 * len(lines) + (10 if lines else 0)
    copy.update_layout(
        title={
            "text": escape(title or "", quote=False),
            "x": 0,
            "xanchor": "left",
            "pad": {"l": 10},
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 16},
            "subtitle": {
                "text": scope.html_subtitle() if scope else "",
                "font": {"size": 11, "color": "#555555"},
            },
        },
        margin={"t": (copy.layout.margin.t or 30) + extra},
        height=(copy.layout.height or 400) + extra,
    )
    return copy


def titled(fig: go.Figure, title: str | None) -> go.Figure:
    """A copy of the figure with a title on top (see `for_export`)."""
    return for_export(fig, title)


def chart_downloads(
    fig: go.Figure,
    data: pd.DataFrame,
    name: str,
    title: str | None = None,
    *,
    scope: ExportScope | None = None,
    columns: Sequence[Column] | None = None,
) -> None:
    """Buttons: the chart's data as CSV and Excel (`columns` say which, under which headers),
    the chart as HTML, SVG and PNG; each file made only when clicked.

    `title` (what the chart shows) and `scope` (for which period, platforms, accounts...) are
    written on top of the HTML, SVG and PNG, and under the table in the CSV and Excel files.
    """
    lang = i18n.language()  # the files are made on another thread, where it is not set
    stem = file_stem(name)
    scope = scope or ExportScope(title=title or "")
    if title and scope.title != title:
        scope = scope.titled(title)
    if columns is None:
        columns = [Column(str(c), str(c), _kind_of(data[c])) for c in data.columns]
    with st.container(horizontal=True, gap="small"):
        download_buttons(data, columns, name, scope)
        html = functools.partial(_exported, render_html, fig, title, scope, title or name)
        file_button(
            t("ui.chart.html"),
            html,
            f"{stem}.html",
            "text/html",
            f"dl_{name}_html",
            ":material/code:",
            lang,
        )
        if png_available():
            svg = functools.partial(_exported, render_svg, fig, title, scope)
            png = functools.partial(_exported, render_png, fig, title, scope)
            file_button(
                t("export.svg"),
                svg,
                f"{stem}.svg",
                "image/svg+xml",
                f"dl_{name}_svg",
                ":material/draw:",
                lang,
            )
            file_button(
                t("ui.chart.png"),
                png,
                f"{stem}.png",
                "image/png",
                f"dl_{name}_png",
                ":material/image:",
                lang,
            )
        else:
            st.caption(t("ui.chart.png_unavailable"))


def _exported(
    render: Callable[..., bytes],
    fig: go.Figure,
    title: str | None,
    scope: ExportScope,
    *args: object,
) -> bytes:
    # After the click, on a server thread: the scope (its sample-data line) is settled then.
    return render(for_export(fig, title, scope), *args)


def _kind_of(values: pd.Series) -> str:
    # Only for a chart whose page declared no columns: numbers as numbers, the rest as text.
    if pd.api.types.is_bool_dtype(values):
        return export.TEXT
    if pd.api.types.is_integer_dtype(values):
        return export.COUNT
    if pd.api.types.is_numeric_dtype(values):
        return export.NUMBER
    if pd.api.types.is_datetime64_any_dtype(values):
        return export.DATETIME
    return export.TEXT


# -- events on time-series charts (issue #7 part 5) -------------------------------------------

EVENT_COLOR = "#6A4C93"  # a violet no platform uses, so a band is not read as a series
BASELINE_COLOR = "#9AA0A6"


def add_spans(fig: go.Figure, spans: Sequence[tuple[object, object, str, str]]) -> go.Figure:
    """Shade each (first day, last day, label, colour) span behind the data, its label
    written upright at its left edge. A span covers its days whole (from half a day before
    the first to half a day after the last), so a one-day event is a thin band, not a line.

    Shapes and annotations, not `add_vline(annotation_text=...)`, which fails on date axes in
    some plotly versions; all set at once, not added one by one (`add_shape` validates the
    figure's whole list again at each call: 3.6 -> 1.2 ms for three events)."""
    half = pd.Timedelta(hours=12)
    shapes, annotations = [], []
    for first, last, label, color in spans:
        x0, x1 = pd.Timestamp(first) - half, pd.Timestamp(last) + half
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": color,
                "opacity": 0.15,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": x0,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": escape(label),
                "showarrow": False,
                "textangle": -90,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 10, "color": color},
            }
        )
    if shapes:
        fig.update_layout(
            shapes=[*fig.layout.shapes, *shapes],
            annotations=[*fig.layout.annotations, *annotations],
        )
    return fig


def add_events(fig: go.Figure, events: pd.DataFrame | None, lang: str | None = None) -> go.Figure:
    """Mark the events of a `metrics.events_in` frame on a time-series figure: a shaded band
    per event, named in the user's language."""
    if events is None or events.empty:
        return fig
    lang = lang or i18n.language()
    name = "name_vi" if lang == "vi" else "name_en"
    spans = [
        (row["start"], row["end"], row[name] or row["name_en"], EVENT_COLOR)
        for row in events.to_dict("records")
    ]
    return add_spans(fig, spans)


def platform_series(
    series: pd.DataFrame,
    freq: str,
    name: str,
    title: str,
    *,
    scope: ExportScope | None = None,
    value_label: str | None = None,
    events: pd.DataFrame | None = None,
) -> None:
    """A `metrics.timeseries(by="platform")` frame as a chart with its downloads: weekly values
    as stacked bars, daily ones as lines; a note instead when it holds no value.

    `value_label` heads the values' column in the files (the series' name); `events`
    (`metrics.events_in`) are shaded on the chart (`add_events`)."""
    from ui.format import platform_label

    if series.empty or series["value"].notna().sum() == 0:
        st.info(t("ui.chart.no_data"))
        return
    lang = i18n.language()
    common = {
        "x": "date",
        "y": "value",
        "series": "platform",
        "labels": {p: platform_label(p) for p in series["platform"].unique()},
        "colors": PLATFORM_COLORS,
    }
    if freq == "week":
        st.caption(t("ui.chart.weekly"))
        fig = stacked_bars(series, **common)
        if "days" in series and (series["days"] < series["period_days"]).any():
            st.caption(t("ui.period.partial_note"))
    else:
        fig = line_chart(series, **common)
    add_events(fig, events, lang)
    columns = [
        Column("date", t("ui.col.date"), export.DATE),
        Column("platform", t("ui.col.platform"), values=lambda p: platform_label(p, lang=lang)),
        Column("value", value_label or title, export.COUNT),
    ]
    if "days" in series:  # a cut week says so in the files too
        columns.append(Column("days", t("export.col.days"), export.COUNT))
    show_chart(fig, series, name, title, scope=scope, columns=columns)


def show_chart(
    fig: go.Figure,
    data: pd.DataFrame,
    name: str,
    title: str | None = None,
    *,
    scope: ExportScope | None = None,
    columns: Sequence[Column] | None = None,
) -> None:
    """Draw a figure at full width with its download buttons underneath (see `chart_downloads`)."""
    st.plotly_chart(fig, config=plot_config(), theme=None, key=f"chart_{name}", width="stretch")
    chart_downloads(fig, data, name, title, scope=scope, columns=columns)
