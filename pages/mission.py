"""Mission, an ambassador's page: one mission's KPIs against the previous period, its audience
and interactions over time per platform, its best posts, its platform mix, and the ambassador's
own accounts beside the mission's."""

import pandas as pd
import streamlit as st

import i18n
import metrics
import ui.audience
from data import queries
from data.themes import ThemesError, theme_label
from i18n import format_percent, t
from ui import charts, export, filters, goals, reads, state, tables
from ui.cards import MISSION_CARD_KPIS, account_labels, kpi_cards
from ui.events import chart_events
from ui.export import Column
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

CARD_KPIS = MISSION_CARD_KPIS
TOTALS_KPIS = reads.MISSION_TOTALS
OWNER_KPIS = reads.OWNER_KPIS
OWNER_ORDER = {"mission": 0, "ambassador": 1}

current = filters.current()
with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    st.title(t("ui.mission.title"))
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
        st.stop()

    mission = filters.picked_mission(missions)
    mission_id = mission["mission_id"]
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
    lang = i18n.language()
    files = tables.page_scope(current, "", missions=mission_name(mission))

    # Every statement below at once (ui/reads.py); the calls below find their results ready.
    con.read_ahead(reads.mission(current, mission_id))

    # -- KPI cards: the change like for like, the rank and the medians among all missions ----
    # The cards, the platform mix and the owner split come from one statement.
    numbers = metrics.mission_numbers(
        con, scope, current.against, TOTALS_KPIS, reads.MISSION_BREAKDOWN
    )
    totals = numbers.totals
    kpi_cards(
        totals.iloc[0].to_dict() if not totals.empty else None,
        CARD_KPIS,
        per_row=4,
        accounts=account_labels(metrics.accounts_in_scope(con, scope)),
        standing=metrics.mission_standing(con, current.scope(), mission_id, CARD_KPIS),
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
                scope=files,
                value_label=t(f"ui.series.{metric}"),
                events=chart_events(con, scope),
            )

    # -- host-country audience: share, trend, other countries (issue #7 part 3) -----------------
    ui.audience.mission_block(con, scope, mission, missions, current, totals)

    # -- top posts ---------------------------------------------------------------------------
    st.subheader(t("ui.mission.top_posts"))
    posts = metrics.top_posts(con, scope, n=10, order_by="interactions")
    if posts.empty:
        st.info(t("ui.mission.no_posts"))
    else:
        tables.show_table(
            posts,
            [
                Column("published_date", t("ui.col.date"), export.DATE),
                Column(
                    "platform", t("ui.col.platform"), values=lambda p: platform_label(p, lang=lang)
                ),
                # The figures before the long text: a phone's screen shows the first columns.
                tables.kpi_column("interactions"),
                tables.kpi_column("reach"),
                Column("text", t("ui.col.text"), width="large"),
                Column("owner", t("ui.col.owner"), values=lambda o: owner_label(o, lang=lang)),
                Column(
                    "permalink",
                    t("ui.col.link"),
                    export.LINK,
                    link_text=t("ui.mission.open_post"),
                ),
            ],
            "top_posts",
            tables.page_scope(
                current,
                current.title(t("ui.mission.top_posts"), mission_name(mission)),
                missions=mission_name(mission),
            ),
        )

    # -- platform mix and owner split ------------------------------------------------------
    left, right = st.columns(2)
    with left:
        st.subheader(t("ui.mission.platform_mix"))
        mix = metrics.platform_shares(numbers.platforms)
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
                scope=files,
                columns=[
                    Column(
                        "platform",
                        t("ui.col.platform"),
                        values=lambda p: platform_label(p, lang=lang),
                    ),
                    tables.kpi_column("posts"),
                    tables.kpi_column("interactions"),
                    Column(
                        "share_of_interactions",
                        t("export.col.share_of_interactions"),
                        export.RATIO,
                    ),
                    tables.kpi_column("followers_end"),
                ],
            )

    with right:
        st.subheader(t("ui.mission.owner_split"))
        by_owner = numbers.owners
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
            owner_columns = [
                Column("owner", t("ui.col.owner"), values=lambda o: owner_label(o, lang=lang)),
                *(tables.kpi_column(k) for k in OWNER_KPIS),
            ]
            # Both owners' accounts whatever the sidebar's choice: the files say so.
            owner_scope = tables.page_scope(
                current,
                current.title(t("ui.mission.owner_split"), mission_name(mission)),
                missions=mission_name(mission),
                all_owners=True,
            )
            tables.show_table(by_owner, owner_columns, "owner_table", owner_scope)
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
                    scope=owner_scope,
                    columns=owner_columns,
                )

    # -- the ambassador beside the mission: the same subjects? (issue #7, part 4) ---------
    # Followers, posts and interactions per owner are in the owner split above; this adds the
    # share of the ambassador's posts on a theme the mission also posted about that week.
    st.subheader(t("themes.mission.title"))
    try:
        beside = metrics.ambassador_themes(
            con, mission_id, scope.start, scope.end, platforms=scope.platforms
        )
    except ThemesError as error:
        beside = None
        st.error(t("themes.mission.bad_rules", message=error.message(lang)))
    if beside is not None and not beside["has_ambassador"]:
        st.info(t("themes.mission.no_ambassador"))
    elif beside is not None:
        st.caption(t("themes.mission.intro", table=t("ui.mission.owner_split")))
        shared = beside["shared_theme"]
        share = "–" if shared["share"] is None else format_percent(shared["share"], 1, lang)
        st.markdown(
            f"**{t('themes.mission.share')}: {share}**", help=t("themes.mission.share_help")
        )
        st.caption(t("themes.mission.share_note", **shared))
        tables.show_table(
            pd.DataFrame(beside["themes"]),
            [
                Column(
                    "theme", t("themes.mission.col.theme"), values=lambda x: theme_label(x, lang)
                ),
                Column("mission_posts", t("themes.mission.col.mission_posts"), export.COUNT),
                Column("ambassador_posts", t("themes.mission.col.ambassador_posts"), export.COUNT),
                Column(
                    "mission_interactions_per_post",
                    t("themes.mission.col.mission_per_post"),
                    export.RATE,
                ),
                Column(
                    "ambassador_interactions_per_post",
                    t("themes.mission.col.ambassador_per_post"),
                    export.RATE,
                ),
            ],
            "ambassador_themes",
            tables.page_scope(
                current,
                current.title(t("themes.mission.by_theme"), mission_name(mission)),
                missions=mission_name(mission),
                all_owners=True,
            ),
        )

    # -- objectives (as of the window's last day) and alerts (issue #7) ----------------------
    goals.mission_objectives(
        con,
        mission_id,
        current.end,
        tables.plain_scope(current.title(t("objectives.title"), mission_name(mission))),
    )
    goals.alerts(
        con,
        scope,
        tables.page_scope(
            current,
            current.title(t("alerts.title"), mission_name(mission)),
            missions=mission_name(mission),
        ),
        with_mission=False,
        name="mission_alerts",
    )

    # -- the mission's accounts ------------------------------------------------------------
    with state.expander(t("ui.mission.accounts"), "mission_accounts_open"):
        if accounts.empty:
            st.info(t("ui.mission.no_accounts"))
        else:
            tables.show_table(
                accounts,
                [
                    Column(
                        "platform",
                        t("ui.col.platform"),
                        values=lambda p: platform_label(p, lang=lang),
                    ),
                    Column("owner", t("ui.col.owner"), values=lambda o: owner_label(o, lang=lang)),
                    Column("handle", t("ui.col.handle")),
                    Column("account_id", t("ui.col.account")),
                ],
                "mission_accounts",
                tables.page_scope(
                    current, t("ui.mission.accounts"), missions=mission_name(mission)
                ),
            )
