"""The Digital Diplomacy Index on the pages: its table, the contribution bars, the peer group
and the weights an analyst edits and saves. Every number is `metrics.diplomacy_index`'s; this
module only lays them out (one call per page: `overview_block`, `compare_block`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import i18n
import metrics
from data import queries
from data.registry import MISSION_KINDS
from i18n import format_number, t
from i18n.collation import ranked_rows
from ui import charts, export, filters, state, tables
from ui.export import Column
from ui.format import kind_label, mission_name, mission_short_names, region_label

PEER_MODES = ("all", "region", "kind")
OVERVIEW_ROWS = 5  # highest and lowest shown on the Overview
# One colour per component, in metrics.COMPONENTS order (the bars' legend).
COMPONENT_COLORS = {
    "audience": "#1F4E79",
    "growth": "#2E86AB",
    "engagement": "#B22234",
    "activity": "#D08C2E",
    "host_language": "#6A4C93",
    "host_audience": "#3A7D44",
    "breadth": "#7F7F7F",
}


def component_label(name: str) -> str:
    """A component's translated name."""
    return t(f"index.component.{name}")


def _weights() -> dict[str, float]:
    """The saved weights; a bad file is said on screen (one line) and the defaults used."""
    try:
        return metrics.load_weights()
    except metrics.WeightsError as error:
        st.error(error.message())
        return dict(metrics.DEFAULT_WEIGHTS)


def _note(frame: pd.DataFrame) -> None:
    """What was left out and renormalised, and whether the group is small."""
    note = metrics.index_note(frame)
    if note.missing:
        details = "; ".join(
            t("index.missing_item", component=component_label(c), count=n)
            for c, n in note.missing.items()
        )
        st.caption(t("index.missing_note", details=details))
    if note.small and note.ranked:
        st.caption(t("index.small_group", ranked=note.ranked))


def _table_columns() -> list[Column]:
    lang = i18n.language()
    columns = [
        Column("rank", t("ui.col.rank"), export.RANK, width="small"),
        Column("mission", t("ui.col.mission"), width="large"),
        Column("score", t("index.col.score"), export.RATE, help=t("index.caption")),
    ]
    columns += [
        Column(
            f"{c}_contribution",
            component_label(c),
            export.RATE,
            help=t(f"index.component.{c}.help"),
        )
        for c in metrics.COMPONENTS
    ]
    columns.append(
        Column("region", t("ui.col.region"), values=lambda r: region_label(r, lang=lang))
    )
    columns.append(Column("missing_text", t("index.col.missing")))
    return columns


def _for_table(frame: pd.DataFrame) -> pd.DataFrame:
    ranks = frame["score"].rank(method="min", ascending=False)
    table = frame.assign(
        rank=pd.array([None if pd.isna(r) else int(r) for r in ranks], dtype="Int64"),
        mission=[mission_name(r) for r in frame.to_dict("records")],
        missing_text=[", ".join(component_label(c) for c in m) for m in frame["missing"]],
    )
    # Tied missions, and those without a score, by name rather than by id.
    return ranked_rows(table, "rank", "mission", largest_first=False)


def contribution_figure(frame: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """One horizontal bar per mission (best on top), stacked by component: each segment is the
    component's contribution, the bar's length the score."""
    names = [labels.get(m, m) for m in frame["mission_id"]]
    fig = go.Figure()
    for c in metrics.COMPONENTS:
        values = frame[f"{c}_contribution"]
        if values.isna().all():
            continue
        label = component_label(c)
        fig.add_trace(
            go.Bar(
                x=[None if pd.isna(v) else float(v) for v in values],
                y=names,
                orientation="h",
                name=label,
                marker={"color": COMPONENT_COLORS[c]},
                customdata=[format_number(v, 1) for v in values],
                hovertemplate="%{y}: %{customdata}<extra>" + label + "</extra>",
            )
        )
    # The legend in the components' order (plotly lists stacked bars' traces reversed).
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    charts.style(fig, height=max(260, 28 * len(names) + 110))
    fig.update_xaxes(title_text=t("index.x_title"), range=[0, 100])
    fig.update_yaxes(rangemode=None)
    return fig


def overview_block(con: duckdb.DuckDBPyConnection, current: filters.Filters) -> None:
    """The Overview's index: every mission ranked among all; the highest and the lowest, or
    every mission on demand. Its inputs are the Overview's own statement's (`metrics.overview`
    of the sidebar's scope: every mission, the chosen platforms and accounts)."""
    st.subheader(t("index.title"))
    st.caption(t("index.caption"))
    frame = metrics.overview_index(con, current.scope(), _weights(), current.against)
    scored = _for_table(frame[frame["score"].notna()])
    if scored.empty:
        st.info(t("index.none"))
        return
    scope = tables.page_scope(current, current.title(t("index.title")))
    if st.toggle(t("index.show_all"), key="ov_index_all"):
        tables.show_table(_for_table(frame), _table_columns(), "index_table", scope)
    else:
        # The score before the name: a narrow column shows its first columns only.
        rank, mission, value = _table_columns()[:3]
        head = [rank, value, replace(mission, width="medium")]
        top, bottom = st.columns(2)
        with top:
            st.markdown(f"**{t('index.top')}**")
            tables.show_table(scored.head(OVERVIEW_ROWS), head, "index_top", scope, downloads=False)
        with bottom:
            st.markdown(f"**{t('index.bottom')}**")
            tables.show_table(
                scored.tail(OVERVIEW_ROWS).iloc[::-1], head, "index_bottom", scope, downloads=False
            )
        # The files hold every mission with every component, whatever the screen shows; the
        # buttons side by side, as under every other table.
        with st.container(horizontal=True, gap="small"):
            tables.download_buttons(_for_table(frame), _table_columns(), "index_table", scope)
    _note(frame)


def peers_picker(con: duckdb.DuckDBPyConnection) -> str:
    """The peer group (all / a region / a kind), mirrored in the URL; as `metrics.parse_peers`
    reads it."""
    mode = filters.choice_picker(
        "idx_peers",
        "idx_peers",
        t("index.peers"),
        PEER_MODES,
        {m: t(f"index.peers.{m}") for m in PEER_MODES},
    )
    if mode == "region":
        options: Sequence[str] = queries.regions(con)
        labels = {r: region_label(r) for r in options}
        key, param, title = "idx_region", "idx_region", t("index.peers_region")
    elif mode == "kind":
        options = MISSION_KINDS
        labels = {k: kind_label(k) for k in options}
        key, param, title = "idx_kind", "idx_kind", t("index.peers_kind")
    else:
        return "all"
    if not options:
        return "all"
    state.seed(key, param, options[0], state.choice_parser(list(options)))
    st.selectbox(title, list(options), format_func=labels.__getitem__, key=key)
    chosen = st.session_state[key]
    state.publish(param, chosen, options[0])
    return f"{mode}:{chosen}"


def weights_editor() -> dict[str, float]:
    """The weights, editable (one number per component) and saved to the registry folder's
    `index_weights.csv` on demand; returns the weights on screen (saved or not)."""
    saved = _weights()
    edited: dict[str, float] = {}
    with state.expander(t("index.weights"), "idx_weights_open"):
        st.caption(t("index.weights_help"))
        columns = st.columns(4)
        for n, c in enumerate(metrics.COMPONENTS):
            key = f"idx_w_{c}"
            if key not in st.session_state:
                st.session_state[key] = float(saved[c])
            with columns[n % 4]:
                edited[c] = st.number_input(
                    component_label(c),
                    min_value=0.0,
                    step=5.0,
                    # "20", not "20.00": Streamlit writes a decimal point in every language,
                    # and the weights are whole numbers but for a rare fraction ("12.5").
                    format="%g",
                    key=key,
                    help=t(f"index.component.{c}.help"),
                )
        if st.button(t("index.weights_save"), key="idx_w_save"):
            try:
                path = metrics.save_weights(edited)
            except metrics.WeightsError as error:
                st.error(error.message())
            else:
                st.success(t("index.weights_saved", file=path.name))
    return edited if sum(edited.values()) > 0 else saved


def compare_block(
    con: duckdb.DuckDBPyConnection,
    current: filters.Filters,
    missions: pd.DataFrame,
    chosen: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
) -> None:
    """The Compare page's index: a peer group, the weights, each mission's score as bars of its
    components' contributions, and the table. `missions`: the registry's missions with accounts
    (`data.queries.missions_with_accounts`, for short names). `chosen` / `regions`: the missions or the region
    the page narrowed to (only those are shown; the percentiles stay those of the peer group)."""
    st.subheader(t("index.title"))
    st.caption(t("index.caption"))
    peers = peers_picker(con)
    weights = weights_editor()
    frame = metrics.diplomacy_index(
        con,
        current.start,
        current.end,
        peers,
        weights,
        platforms=current.platforms,
        owners=current.owners,
    )
    shown = frame
    if chosen:
        shown = frame[frame["mission_id"].isin(chosen)]
    elif regions:
        shown = frame[frame["region"].isin(regions)]
    if shown["score"].isna().all():
        st.info(t("index.none"))
        return
    short = mission_short_names(missions)
    scope = tables.page_scope(current, current.title(t("index.title"), peers))
    scored = shown[shown["score"].notna()]
    long = metrics.contributions(scored).assign(
        mission=lambda d: [short.get(m, m) for m in d["mission_id"]],
        component_name=lambda d: [component_label(c) for c in d["component"]],
    )
    charts.show_chart(
        contribution_figure(scored, short),
        long,
        "index-contributions",
        current.title(t("index.contributions"), peers),
        scope=scope,
        columns=[
            Column("mission", t("ui.col.mission")),
            Column("component_name", t("index.contributions")),
            Column("contribution", t("index.col.score"), export.RATE),
        ],
    )
    tables.show_table(_for_table(shown), _table_columns(), "index_compare_table", scope)
    _note(shown)
