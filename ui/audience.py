"""The Mission page's host-country audience: the share of its followers in the host country,
month by month, and the other countries of its followers. Numbers from `metrics`
(`host_audience_share`, `host_audience_trend`, `audience_countries`); one call: `mission_block`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from babel import Locale

import i18n
import metrics
from data.domain import MULTILATERAL_KINDS
from i18n import format_date, t
from metrics import Scope
from ui import charts, export, tables
from ui.events import chart_events
from ui.export import Column
from ui.format import country_names, format_kpi, kpi_help

KPI = "host_audience_share"
TOP_COUNTRIES = 10


def _country_name(code: str, registry: Mapping[str, str], lang: str) -> str:
    # The ministry's spelling where the registry has an embassy there, else CLDR's (Babel).
    if code in registry:
        return registry[code]
    return Locale.parse("vi" if lang == "vi" else "en").territories.get(code, code)


def mission_reads(scope: Scope) -> list[Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]]:
    """What `mission_block` reads for `scope`: the monthly trend of the host-country share and
    the top countries (for `ui.reads`, which reads a page's statements at once)."""
    return [
        lambda con: metrics.host_audience_trend(con, scope, "month"),
        lambda con: metrics.audience_countries(con, scope, TOP_COUNTRIES),
    ]


def mission_block(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    mission: Mapping[str, Any],
    missions: pd.DataFrame,
    current: Any,
    totals: pd.DataFrame,
) -> None:
    """One mission's host-country audience for the scope's window: the share (with the date
    it is as of), its monthly trend and the top other countries. `mission` is its registry row
    (kind), `missions` the registry's missions (for country names), `current` the filters,
    `totals` the page's KPIs of the scope (`metrics.mission_numbers(...).totals`: the share is
    read there, not computed again)."""
    lang = i18n.language()
    st.subheader(t("audience.title"))
    # Read whatever is shown: the page reads the same statements for every mission.
    trend, countries = (read(con) for read in mission_reads(scope))
    value = totals[KPI].iloc[0] if not totals.empty else None
    if mission.get("kind") in MULTILATERAL_KINDS:
        st.info(t("audience.no_host"))
    elif value is None or pd.isna(value):
        st.info(t("audience.unknown"))
    else:
        st.metric(t("audience.share"), format_kpi(KPI, value), help=kpi_help(KPI))
        # The newest breakdown behind the share (every row is of the accounts' latest ones).
        newest = countries["as_of"].max() if not countries.empty else None
        dated = newest is not None and not pd.isna(newest)
        st.caption(
            t(
                "audience.as_of",
                end=format_date(scope.end),
                day=format_date(pd.Timestamp(newest).date()),
            )
            if dated
            else t("audience.as_of_undated", end=format_date(scope.end))
        )
        if trend["value"].notna().sum() > 1:
            fig = charts.line_chart(
                trend, x="as_of", y="value", series=None, y_title=t("audience.share"),
                percent=True, markers=True,
            )  # fmt: skip
            fig = charts.add_events(fig, chart_events(con, scope))
            charts.show_chart(
                fig,
                trend,
                "host-audience-trend",
                current.title(t("audience.trend")),
                scope=tables.page_scope(current, t("audience.trend")),
                columns=[
                    Column("as_of", t("audience.trend_x"), export.DATE),
                    tables.kpi_column(KPI, key="value"),
                ],
            )
    st.markdown(f"**{t('audience.countries')}**")
    countries = countries[~countries["is_host"]]
    if countries.empty:
        st.caption(t("audience.countries_none"))
        return
    named = country_names(missions, lang=lang)
    countries = countries.assign(name=[_country_name(c, named, lang) for c in countries["country"]])
    tables.show_table(
        countries,
        [
            Column("name", t("audience.col.country"), width="medium"),
            Column("share", t("audience.col.share"), export.RATIO),
            Column("accounts", t("audience.col.accounts"), export.COUNT, width="small"),
        ],
        "audience_countries",
        tables.page_scope(current, current.title(t("audience.countries"))),
    )
    st.caption(t("audience.countries_note"))
