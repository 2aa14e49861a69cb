"""Overview, the leadership's landing page: the network's totals, the missions' league table,
the world map of host countries and the network's trend."""

from html import escape

import pandas as pd
import streamlit as st

import i18n
import metrics
import ui.index
from i18n import t
from i18n.collation import ranked_rows
from ui import charts, export, filters, geo, goals, reads, state, tables
from ui.cards import account_labels, kpi_cards
from ui.events import chart_events
from ui.export import Column
from ui.format import (
    format_kpi,
    kpi_label,
    kpi_unit,
    mission_name,
    period_text,
    region_label,
)

state.require_frame()

# The cards: the KPIs whose changes `metrics.overview` compares.
CARD_KPIS = metrics.OVERVIEW_KPIS
TREND_METRICS = ("followers", "interactions", "posts", "reach", "impressions", "video_views")

st.title(t("ui.overview.title"))
current = filters.current()
if not current.has_data:
    st.info(t("ui.app.no_data"))
    st.stop()
period_caption = st.empty()  # written once the comparison is chosen, below

with state.reader() as con:
    scope = current.scope()

    # -- network totals -------------------------------------------------------------------
    st.subheader(t("ui.overview.totals"))
    current = filters.comparison_picker(current)
    period_caption.caption(current.describe())
    # Every statement below at once (ui/reads.py); the calls below find their results ready.
    trend = filters.choice_value("ov_trend", "trend", TREND_METRICS)
    con.read_ahead(reads.overview(current, trend))
    # The totals, the league table and the map's countries come from one statement.
    numbers = metrics.overview(con, scope, against=current.against)
    totals = numbers.network
    kpi_cards(
        totals.iloc[0].to_dict() if not totals.empty else None,
        CARD_KPIS,
        per_row=3,
        accounts=account_labels(metrics.accounts_in_scope(con, scope)),
    )

    # -- league table ---------------------------------------------------------------------
    st.subheader(t("ui.overview.league"))
    kpi = filters.kpi_picker("ov_kpi", label=t("ui.overview.league_kpi"))
    ranked = metrics.rank(numbers.missions, kpi)
    ranked = ranked.assign(mission=[mission_name(r) for r in ranked.to_dict("records")])
    lang = i18n.language()
    tables.show_table(
        # Tied missions, and those without a value, by name rather than by id.
        ranked_rows(ranked, "rank", "mission", largest_first=False),
        [
            Column("rank", t("ui.col.rank"), export.RANK, width="small"),
            Column("mission", t("ui.col.mission"), width="large"),
            # The value before the region: a phone's screen shows the first columns only.
            tables.kpi_column(kpi, key="value", width="medium"),
            Column(
                "region",
                t("ui.col.region"),
                values=lambda r: region_label(r, lang=lang),
                width="medium",
            ),
        ],
        "league_table",
        tables.page_scope(current, current.title(t("ui.overview.league"), kpi_label(kpi))),
    )
    st.caption(t("ui.overview.league_note"))

    # -- Digital Diplomacy Index: highest and lowest, or every mission (issue #7 part 9) --------
    ui.index.overview_block(con, current)

    # -- world map --------------------------------------------------------------------------
    st.subheader(t("ui.overview.map"))
    map_kpi = filters.kpi_picker("ov_map_kpi", label=t("ui.overview.map_kpi"), param="map")
    countries = geo.country_values(con, current, map_kpi)
    if countries.empty:
        st.info(t("ui.overview.map_empty"))
    else:
        hover = [  # names are text: escaped in plotly's bits of HTML
            f"<b>{escape(r['country_name'])}</b><br>{kpi_label(map_kpi)}: "
            f"{format_kpi(map_kpi, r['value'])}<br><i>{escape(r['names'])}</i>"
            for r in countries.to_dict("records")
        ]
        fig = charts.choropleth(
            countries["iso3"],
            pd.to_numeric(countries["value"], errors="coerce"),
            hover,
            colorbar_title=kpi_label(map_kpi),
            percent=kpi_unit(map_kpi) == "ratio",
        )
        charts.show_chart(
            fig,
            countries,
            f"map-{map_kpi}",
            current.title(t("ui.overview.map"), kpi_label(map_kpi)),
            scope=tables.page_scope(current, ""),
            columns=[
                Column("country_name", t("ui.col.country")),
                tables.kpi_column(map_kpi, key="value"),
                Column("names", t("ui.col.mission")),
            ],
        )
        if not geo.topojson_available():
            st.warning(t("ui.overview.map_offline_missing"))
    off_map = geo.off_map_missions(con, current)
    if not off_map.empty:
        st.caption(
            t(
                "ui.overview.map_pm_note",
                names=", ".join(mission_name(r) for r in off_map.to_dict("records")),
            )
        )

    # -- network trend --------------------------------------------------------------------
    st.subheader(t("ui.overview.trend"))
    metric = filters.choice_picker(
        "ov_trend",
        "trend",
        t("ui.overview.trend_metric"),
        TREND_METRICS,
        {m: t(f"ui.series.{m}") for m in TREND_METRICS},
    )
    freq = reads.trend_freq(metric, current)
    series = metrics.timeseries(con, scope, metric, by="platform", freq=freq)
    charts.platform_series(
        series,
        freq,
        f"trend-{metric}",
        current.title(t("ui.overview.trend"), t(f"ui.series.{metric}")),
        scope=tables.page_scope(current, ""),
        value_label=t(f"ui.series.{metric}"),
        events=chart_events(con, scope),
    )

    # -- objectives off track (as of the window's last day) and alerts (issue #7) -------------
    goals.off_track(con, current.end, tables.plain_scope(t("objectives.off_track_title")))
    recent = goals.recent(scope)
    period = period_text(recent.start, recent.end)
    goals.alerts(
        con,
        recent,
        tables.page_scope(current, t("alerts.title"), period=period),
        with_mission=True,
        note=t("alerts.recent", days=goals.RECENT_ALERT_DAYS, period=period),
    )
