"""Compare missions: chosen missions, a region or the whole network, ranked by a KPI, audience
against engagement, and a sortable table of every KPI."""

import pandas as pd
import streamlit as st

import metrics
from data import queries
from i18n import t
from ui import charts, filters, geo, state
from ui.format import (
    format_kpi,
    kpi_label,
    kpi_unit,
    mission_name,
    mission_short_names,
    platform_label,
    region_label,
)

state.require_frame()

MODES = ("all", "region", "missions")
TABLE_KPIS = (
    "followers_end",
    "net_follows",
    "posts",
    "posts_per_week",
    "interactions",
    "reach",
    "impressions",
    "video_views",
    "er_reach",
    "er_followers",
)
ER_CHOICES = ("er_followers", "er_reach")

st.title(t("ui.compare.title"))
current = filters.current()
with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
        st.stop()
    st.caption(current.describe())

    top = st.columns([1, 2, 1])
    with top[0]:
        mode = filters.choice_picker(
            "cmp_mode",
            "cmp",
            t("ui.compare.mode"),
            MODES,
            {m: t(f"ui.compare.mode.{m}") for m in MODES},
            horizontal=False,
        )
    chosen: list[str] | None = None
    regions: list[str] | None = None
    with top[1]:
        if mode == "missions":
            chosen = filters.missions_picker(missions) or None
            if not chosen:
                st.caption(t("ui.compare.missions_hint"))
        elif mode == "region":
            region = filters.region_picker(queries.regions(con))
            regions = [region] if region else None
    with top[2]:
        kpi = filters.kpi_picker("cmp_kpi", label=t("ui.compare.kpi"))

    scope = current.scope(missions=chosen, regions=regions)

    # -- ranking bars ------------------------------------------------------------------------
    st.subheader(t("ui.compare.ranking", kpi=kpi_label(kpi)))
    # One computation serves the ranking, the scatter and the table.
    by_mission = metrics.compute(con, scope, by="mission")
    # Permanent missions work with an organisation, not a host country: optionally a group apart.
    apart = st.toggle(
        t("ui.compare.pm_apart"), key="cmp_pm_apart", help=t("ui.compare.pm_apart_help")
    )
    host = geo.on_map(by_mission)
    parts = [("", by_mission)]
    if apart and not host.all():
        parts = [
            (t("ui.compare.host_group"), by_mission[host]),
            (t("ui.compare.pm_group"), by_mission[~host]),
        ]
    short = mission_short_names(missions)
    for n, (group_title, part) in enumerate(parts):
        if group_title:
            st.markdown(f"**{group_title}**")
        ranked = metrics.rank(part, kpi)
        if ranked.empty:
            st.info(t("ui.chart.no_data"))
            continue
        labels = [short.get(m, m) for m in ranked["mission_id"]]
        fig = charts.bar_ranking(
            labels,
            [None if pd.isna(v) else v for v in ranked["value"]],
            texts=[format_kpi(kpi, v) for v in ranked["value"]],
            x_title=kpi_label(kpi),
            percent=kpi_unit(kpi) == "ratio",
            colors=[charts.REGION_COLORS.get(r, charts.ACCENT) for r in ranked["region"]],
        )
        st.caption(t("ui.compare.colour_note"))
        charts.show_chart(
            fig,
            ranked,
            f"ranking-{kpi}" + (f"-{n}" if group_title else ""),
            current.title(t("ui.compare.ranking", kpi=kpi_label(kpi)), group_title),
        )

    # -- audience against engagement ---------------------------------------------------------
    st.subheader(t("ui.compare.scatter"))
    er = filters.choice_picker(
        "cmp_er", "er", t("ui.compare.er_choice"), ER_CHOICES, {k: kpi_label(k) for k in ER_CHOICES}
    )
    points = by_mission[by_mission["followers_end"].notna() & by_mission[er].notna()].copy()
    if points.empty:
        st.info(t("ui.compare.scatter_empty"))
    else:
        points["label"] = [mission_name(r) for r in points.to_dict("records")]
        fig = charts.scatter(
            points,
            x="followers_end",
            y=er,
            text="label",
            color="region",
            color_labels={r: region_label(r) for r in points["region"].unique()},
            colors=charts.REGION_COLORS,
            x_title=kpi_label("followers_end"),
            y_title=kpi_label(er),
            y_percent=True,
            log_x=True,
        )
        st.caption(t("ui.compare.scatter_note"))
        charts.show_chart(
            fig,
            points[["mission_id", "name_en", "name_vi", "region", "followers_end", er]],
            f"scatter-{er}",
            current.title(t("ui.compare.scatter"), kpi_label(er)),
        )

    # -- table -------------------------------------------------------------------------------
    st.subheader(t("ui.compare.table"))
    split = st.toggle(t("ui.compare.split_platforms"), key="cmp_split")
    grouped = metrics.compute(con, scope, by="mission_platform") if split else by_mission
    table = pd.DataFrame(
        {t("ui.col.mission"): [mission_name(r) for r in grouped.to_dict("records")]}
    )
    if split:
        table[t("ui.col.platform")] = [platform_label(p) for p in grouped["platform"]]
    # The chosen KPI first and the region last: a phone's screen shows the first columns only.
    for name in sorted(TABLE_KPIS, key=lambda n: n != kpi):
        table[kpi_label(name)] = grouped[name].to_numpy()
    table[t("ui.col.region")] = [region_label(r) for r in grouped["region"]]
    st.dataframe(
        table.style.format(
            {kpi_label(name): (lambda v, name=name: format_kpi(name, v)) for name in TABLE_KPIS}
        ),
        hide_index=True,
        width="stretch",
        height="content" if len(table) <= 30 else 700,
        key="compare_table",
    )
    st.caption(t("ui.compare.table_note"))
    charts.table_download(grouped, "compare_table", "compare-table")
