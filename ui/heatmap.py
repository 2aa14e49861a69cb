"""The best-time heat map: weekdays down, local hours across, one cell per weekday and hour.

It lays out what `metrics.best_time` computed and adds nothing to it: a cell resting on at least
`min_posts` posts is coloured by its median engagement rate; a cell with fewer is grey, not
coloured, and says "n < 5" on hover (a legend entry says what grey means, so that a PNG of the
chart reads without the page); a cell without a post stays empty. Every cell with posts writes
their number. Weekday names come from Babel (`i18n.weekday_name`), so both languages name them
from the same locale data. Drawn and offered for download like every chart (`ui.charts`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

import i18n
from i18n import t, weekday_name
from ui import charts, export
from ui.export import Column, ExportScope

WEEKDAYS = tuple(range(1, 8))  # ISO: 1 = Monday ... 7 = Sunday
HOURS = tuple(range(24))
THIN_COLOR = "#D9D9D9"  # the "too few posts" grey, lighter than the lightest blue


def hour_label(hour: int) -> str:
    """`09:00`: a local clock hour as both languages write it."""
    return f"{int(hour):02d}:00"


def _grid(cells: pd.DataFrame, column: str, keep: pd.Series) -> list[list[object]]:
    """A weekday x hour matrix of `column` over the cells where `keep` holds, None elsewhere."""
    values = {
        (int(w), int(h)): v
        for w, h, v, k in zip(cells["weekday"], cells["hour"], cells[column], keep, strict=True)
        if k
    }
    return [[values.get((w, h)) for h in HOURS] for w in WEEKDAYS]


def best_time_figure(cells: pd.DataFrame, min_posts: int) -> go.Figure:
    """The heat map of `metrics.best_time(...).cells`."""
    lang = i18n.language()
    days = [weekday_name(w, lang) for w in WEEKDAYS]
    # Two digits on the axis (24 labels must fit a laptop's width); "09:00" on hover.
    hours = [f"{h:02d}" for h in HOURS]
    enough = cells["enough"].astype(bool)
    thin_label = t("content.best.thin", n=min_posts)
    below = t("content.best.n_below", n=min_posts)
    posts_label = t("content.best.hover_posts")
    fig = go.Figure()
    # Cells resting on too few posts: one flat grey, their count written in them.
    thin_posts = _grid(cells, "posts", ~enough)
    fig.add_trace(
        go.Heatmap(
            z=[[None if n is None else 1 for n in row] for row in thin_posts],
            x=hours,
            y=days,
            text=[["" if n is None else str(n) for n in row] for row in thin_posts],
            texttemplate="%{text}",
            textfont={"color": "#555555", "size": 11},
            colorscale=[[0, THIN_COLOR], [1, THIN_COLOR]],
            showscale=False,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            hovertemplate=f"%{{y}} %{{x}}:00<br>{posts_label}: %{{text}} ({below})<extra></extra>",
        )
    )
    # Cells with enough posts: coloured by their median.
    posts = _grid(cells, "posts", enough)
    fig.add_trace(
        go.Heatmap(
            z=_grid(cells, "median", enough),
            x=hours,
            y=days,
            text=[["" if n is None else str(n) for n in row] for row in posts],
            texttemplate="%{text}",
            textfont={"size": 11},
            colorscale=charts.SEQUENTIAL,
            colorbar={
                # Short, on top: the full name ("Median engagement rate (followers)") is in the
                # hover, the files and the section's caption; beside the bar it was cut off.
                "title": {"text": t("content.best.colorbar"), "side": "top"},
                "tickformat": charts.PERCENT_TICKS,
            },
            hoverongaps=False,
            xgap=2,
            ygap=2,
            hovertemplate=(
                f"%{{y}} %{{x}}:00<br>{t('content.best.hover_median')}: %{{z:.2%}}"
                f"<br>{posts_label}: %{{text}}<extra></extra>"
            ),
        )
    )
    # A legend entry for the grey, so that the exported image explains it.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 14, "color": THIN_COLOR},
            name=thin_label,
            showlegend=True,
            hoverinfo="skip",
        )
    )
    charts.style(fig, x_title=t("content.col.hour"), height=360)
    fig.update_xaxes(type="category", tickangle=0, showgrid=False, dtick=1)
    fig.update_yaxes(
        type="category", autorange="reversed", showgrid=False, rangemode=None, title_text=None
    )
    return fig


def best_time_columns(min_posts: int, lang: str | None = None) -> Sequence[Column]:
    """The columns of the heat map's files (and of its table)."""
    lang = lang or i18n.language()
    yes_no = {True: t("content.yes", lang=lang), False: t("content.no", lang=lang)}
    return [
        Column(
            "weekday", t("content.col.weekday", lang=lang), values=lambda w: weekday_name(w, lang)
        ),
        Column("hour", t("content.col.hour", lang=lang), values=hour_label),
        Column("posts", t("content.col.posts", lang=lang), export.COUNT),
        Column("median", t("content.col.median", lang=lang), export.RATIO),
        Column("enough", t("content.col.enough", lang=lang, n=min_posts), values=yes_no),
    ]


def show_best_time(
    cells: pd.DataFrame, min_posts: int, name: str, title: str, *, scope: ExportScope
) -> None:
    """The heat map with its downloads (CSV, Excel, HTML, SVG, PNG), as `charts.show_chart`."""
    charts.show_chart(
        best_time_figure(cells, min_posts),
        cells,
        name,
        title,
        scope=scope,
        columns=best_time_columns(min_posts),
    )
