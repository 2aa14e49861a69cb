"""Mission, an ambassador's page: one mission's KPIs against the previous period, its audience
and interactions over time per platform, its best posts, its platform mix, and the ambassador's
own accounts beside the mission's."""

import pandas as pd
import streamlit as st

import metrics
from data import queries
from i18n import format_date, t
from ui import charts, filters, state
from ui.cards import account_labels, kpi_cards
from ui.format import (
    format_kpi,
    kind_label,
    kpi_label,
    mission_name,
    owner_label,
    platform_label,
    region_label,
)

state.require_frame()

CARD_KPIS = (
    "followers_end",
    "net_follows",
    "posts",
    "posts_per_week",
    "interactions",
    "reach",
    "er_reach",
    "er_followers",
)
OWNER_KPIS = ("followers_end", "posts", "interactions", "reach")
OWNER_ORDER = {"mission": 0, "ambassador": 1}

current = filters.current()
with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    st.title(t("ui.mission.title"))
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
        st.stop()

    mission_id = filters.mission_picker(missions)
    mission = missions.set_index("mission_id").loc[mission_id].to_dict() | {
        "mission_id": mission_id
    }
    st.header(mission_name(mission))
    current = filters.comparison_picker(current)
    st.caption(
        " · ".join(
            part
            for part in (
                kind_label(mission["kind"]),
                mission.get("city") or "",
                region_label(mission["region"]),
                current.describe(),
            )
            if part
        )
    )
    scope = current.scope(missions=[mission_id])

    # -- KPI cards: the change like for like, the rank and the medians among all missions ----
    totals = metrics.compare(con, scope, by="network", against=current.against)
    kpi_cards(
        totals.iloc[0].to_dict() if not totals.empty else None,
        CARD_KPIS,
        per_row=4,
        accounts=account_labels(metrics.accounts_in_scope(con, scope)),
        standing=metrics.mission_standing(con, current.scope(), mission_id),
    )

    # -- over time, per platform -----------------------------------------------------------
    left, right = st.columns(2)
    for column, metric, freq in (
        (left, "followers", "day"),
        (right, "interactions", metrics.trend_freq(scope)),
    ):
        with column:
            st.subheader(t(f"ui.series.{metric}"))
            series = metrics.timeseries(con, scope, metric, by="platform", freq=freq)
            charts.platform_series(
                series,
                freq,
                f"{mission_id}-{metric}",
                current.title(t(f"ui.series.{metric}"), mission_name(mission)),
            )

    # -- top posts ---------------------------------------------------------------------------
    st.subheader(t("ui.mission.top_posts"))
    posts = metrics.top_posts(con, scope, n=10, order_by="interactions")
    if posts.empty:
        st.info(t("ui.mission.no_posts"))
    else:
        table = pd.DataFrame(
            {
                t("ui.col.date"): [
                    format_date(d) if pd.notna(d) else "–" for d in posts["published_date"]
                ],
                t("ui.col.platform"): [platform_label(p) for p in posts["platform"]],
                # Written out: Streamlit shows an unknown number as "None", we show "–".
                # The figures before the long text: a phone's screen shows the first columns.
                kpi_label("interactions"): [
                    format_kpi("interactions", v) for v in posts["interactions"]
                ],
                kpi_label("reach"): [format_kpi("reach", v) for v in posts["reach"]],
                t("ui.col.text"): posts["text"].fillna(""),
                t("ui.col.owner"): [owner_label(o) for o in posts["owner"]],
                t("ui.col.link"): posts["permalink"],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                t("ui.col.text"): st.column_config.TextColumn(width="large"),
                t("ui.col.link"): st.column_config.LinkColumn(
                    display_text=t("ui.mission.open_post")
                ),
            },
            key="top_posts",
        )
        charts.table_download(posts, "top_posts", f"{mission_id}-top-posts")

    # -- platform mix and owner split ------------------------------------------------------
    left, right = st.columns(2)
    with left:
        st.subheader(t("ui.mission.platform_mix"))
        mix = metrics.platform_mix(con, scope)
        # A platform whose interactions are unknown gets no slice (a slice would say 0).
        known = mix[mix["interactions"].notna() & (mix["interactions"] > 0)]
        if known.empty:
            st.info(t("ui.chart.no_data"))
        else:
            fig = charts.donut(
                [platform_label(p) for p in known["platform"]],
                list(known["interactions"]),
                colors=[charts.PLATFORM_COLORS.get(p, charts.ACCENT) for p in known["platform"]],
            )
            st.caption(t("ui.mission.platform_mix_note"))
            charts.show_chart(
                fig,
                mix,
                f"{mission_id}-platform-mix",
                current.title(t("ui.mission.platform_mix"), mission_name(mission)),
            )

    with right:
        st.subheader(t("ui.mission.owner_split"))
        by_owner = metrics.compute(
            con, current.scope(missions=[mission_id], all_owners=True), by="owner"
        )
        accounts = metrics.accounts_in_scope(
            con, current.scope(missions=[mission_id], all_owners=True)
        )
        if "ambassador" not in set(accounts.get("owner", pd.Series(dtype=str))):
            st.info(t("ui.mission.no_ambassador"))
        # The mission's own accounts first, then the ambassador's.
        by_owner = by_owner.sort_values("owner", key=lambda o: o.map(OWNER_ORDER)).reset_index(
            drop=True
        )
        if by_owner.empty:
            st.info(t("ui.chart.no_data"))
        else:
            table = pd.DataFrame(
                {
                    owner_label(r["owner"]): [format_kpi(k, r[k]) for k in OWNER_KPIS]
                    for r in by_owner.to_dict("records")
                },
                index=[kpi_label(k) for k in OWNER_KPIS],
            )
            st.dataframe(table, width="stretch", key="owner_table")
            if len(by_owner) > 1:
                long = by_owner.melt(id_vars="owner", value_vars=list(OWNER_KPIS), var_name="kpi")
                fig = charts.share_bars(
                    long,
                    category="kpi",
                    value="value",
                    group="owner",
                    labels={o: owner_label(o) for o in by_owner["owner"]},
                    category_labels={k: kpi_label(k) for k in OWNER_KPIS},
                    texts=[
                        format_kpi(k, v) for k, v in zip(long["kpi"], long["value"], strict=True)
                    ],
                    colors=charts.OWNER_COLORS,
                )
                st.caption(t("ui.mission.owner_split_note"))
                charts.show_chart(
                    fig,
                    by_owner,
                    f"{mission_id}-owners",
                    current.title(t("ui.mission.owner_split"), mission_name(mission)),
                )

    # -- the mission's accounts ------------------------------------------------------------
    with st.expander(t("ui.mission.accounts")):
        if accounts.empty:
            st.info(t("ui.mission.no_accounts"))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("ui.col.platform"): [platform_label(p) for p in accounts["platform"]],
                        t("ui.col.owner"): [owner_label(o) for o in accounts["owner"]],
                        t("ui.col.handle"): accounts["handle"].fillna("–"),
                        t("ui.col.account"): accounts["account_id"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
