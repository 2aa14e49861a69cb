"""Compare missions: chosen missions, a region or the whole network, ranked by a KPI, audience
against engagement, and a sortable table of every KPI."""

import pandas as pd
import streamlit as st

import i18n
import metrics
import ui.index
from data import queries
from i18n import t
from i18n.collation import ranked_rows
from ui import charts, export, filters, geo, goals, state, tables
from ui.export import Column
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
SCATTER_ALL_LABELS = 25  # up to this many points, every one is named beside it
SCATTER_NOTABLE = 6  # beyond, the largest audiences and the most engaged are named

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
    lang = i18n.language()
    names = {r["mission_id"]: mission_name(r) for r in missions.to_dict("records")}
    if chosen:
        which = ", ".join(names.get(m, m) for m in chosen)
    elif regions:
        which = t("export.scope.region", region=region_label(regions[0]))
    else:
        which = t("export.scope.all_missions")
    files = tables.page_scope(current, "", missions=which)

    # -- ranking bars ------------------------------------------------------------------------
    st.subheader(t("ui.compare.ranking", kpi=kpi_label(kpi)))
    # One computation serves the ranking, the scatter, the table (by mission, or by mission and
    # platform) and, for the whole network, the index's inputs (the same cached statement).
    by_mission, by_mission_platform = metrics.compute_sets(con, scope, metrics.INDEX_INPUTS)
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
            groups=list(ranked["region"]),
            group_labels={r: region_label(r) for r in ranked["region"].unique()},
            group_colors=charts.REGION_COLORS,
            legend_title=t("ui.col.region"),
        )
        charts.show_chart(
            fig,
            ranked.assign(mission=[names.get(m, m) for m in ranked["mission_id"]]),
            f"ranking-{kpi}" + (f"-{n}" if group_title else ""),
            current.title(t("ui.compare.ranking", kpi=kpi_label(kpi)), group_title),
            scope=files,
            columns=[
                Column("rank", t("ui.col.rank"), export.RANK),
                Column("mission", t("ui.col.mission")),
                tables.kpi_column(kpi, key="value"),
                Column("region", t("ui.col.region"), values=lambda r: region_label(r, lang=lang)),
            ],
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
        points["short"] = [short.get(m, m) for m in points["mission_id"]]
        if len(points) > SCATTER_ALL_LABELS:
            # Too many to label all: the largest audiences and the most engaged are named.
            notable = set(points.nlargest(SCATTER_NOTABLE, "followers_end")["mission_id"]) | set(
                points.nlargest(SCATTER_NOTABLE, er)["mission_id"]
            )
            points["short"] = [
                s if m in notable else ""
                for m, s in zip(points["mission_id"], points["short"], strict=True)
            ]
        fig = charts.scatter(
            points,
            x="followers_end",
            y=er,
            text="label",
            label="short",
            legend_title=t("ui.col.region"),
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
            points,
            f"scatter-{er}",
            current.title(t("ui.compare.scatter"), kpi_label(er)),
            scope=files,
            columns=[
                Column("label", t("ui.col.mission")),
                Column("region", t("ui.col.region"), values=lambda r: region_label(r, lang=lang)),
                tables.kpi_column("followers_end"),
                tables.kpi_column(er),
            ],
        )

    # -- table -------------------------------------------------------------------------------
    st.subheader(t("ui.compare.table"))
    split = st.toggle(t("ui.compare.split_platforms"), key="cmp_split")
    grouped = by_mission_platform if split else by_mission
    grouped = grouped.assign(mission=[mission_name(r) for r in grouped.to_dict("records")])
    # In the order of the ranking above (the chosen KPI, largest first), not of the ids.
    grouped = ranked_rows(grouped, kpi, "mission")
    columns = [Column("mission", t("ui.col.mission"))]
    if split:
        columns.append(
            Column("platform", t("ui.col.platform"), values=lambda p: platform_label(p, lang=lang))
        )
    # The chosen KPI first and the region last: a phone's screen shows the first columns only.
    columns += [tables.kpi_column(name) for name in sorted(TABLE_KPIS, key=lambda n: n != kpi)]
    columns.append(
        Column("region", t("ui.col.region"), values=lambda r: region_label(r, lang=lang))
    )
    tables.show_table(
        grouped,
        columns,
        "compare_table",
        tables.page_scope(current, current.title(t("ui.compare.table")), missions=which),
    )
    st.caption(t("ui.compare.table_note"))

    # -- Digital Diplomacy Index: peer group, weights, contribution bars (issue #7 part 9) -----
    ui.index.compare_block(con, current, missions, chosen, regions)

    # -- Objectives off track on the window's last day (issue #7 part 6) ----------------------
    goals.off_track(con, current.end, tables.plain_scope(t("objectives.off_track_title")))
