"""Content: what one mission posts and when it works.

Sections: the formats, languages and themes of its posts (posts, interactions, interactions
per post by format, language and theme) and the best time to post (a weekday x hour heat map of the median
engagement rate, in the mission's local time). Every number comes from `metrics`
(`post_formats`, `languages`, `theme_summary`, `best_time`, `compute` for the host-language
KPIs); the mission and the sidebar's period,
platforms and owners are held like on the other pages (`ui.filters`, `ui.state`).
"""

from collections.abc import Callable

import pandas as pd
import streamlit as st

import i18n
import metrics
from data import queries
from data.themes import ThemesError, theme_label
from i18n import format_number, t
from ui import charts, export, filters, heatmap, state, tables
from ui.export import Column, ExportScope
from ui.format import format_kpi, kpi_label, mission_name, period_text

state.require_frame()


def breakdown_section(
    frame: pd.DataFrame,
    key: str,
    key_title: str,
    label: Callable[[str], str],
    name: str,
    title: str,
    notes: list[str],
    files: ExportScope,
    chart_key: str,
    chart_title: str,
) -> None:
    """One breakdown of the posts (by format, theme or language): posts, interactions and
    interactions per post per `key` value, as a table and a bar chart of the known rates.
    `frame` has the columns of `metrics.post_formats`, `key` instead of `format`."""
    columns = [
        Column(key, key_title, values=label),
        tables.kpi_column("posts"),
        Column("share_of_posts", t("content.col.share_of_posts"), export.RATIO),
        tables.kpi_column("interactions"),
        Column("interactions_per_post", t("content.col.interactions_per_post"), export.RATE),
        Column("posts_with_interactions", t("content.col.posts_with_interactions"), export.COUNT),
    ]
    for note in notes:
        st.caption(note)
    # The table at full width: six columns do not fit half a laptop's screen.
    tables.show_table(frame, columns, f"content_{name}", files.titled(title))
    # A value whose interactions are unknown gets no bar (a bar would say 0).
    known = frame[frame["interactions_per_post"].notna()]
    if known.empty:
        return
    st.markdown(f"**{chart_title}**")
    fig = charts.bar_ranking(
        [label(v) for v in known[key]],
        list(known["interactions_per_post"]),
        texts=[format_number(v, 1) for v in known["interactions_per_post"]],
        x_title=t("content.col.interactions_per_post"),
    )
    charts.show_chart(
        fig,
        frame,
        chart_key,
        chart_title,
        scope=files.titled(chart_title),
        columns=columns,
    )


def formats_section(con: object, scope: metrics.Scope, mission_id: str, files: ExportScope) -> None:
    """Posts, interactions and interactions per post by format."""
    title = t("content.formats.title")
    st.subheader(title)
    kinds = metrics.post_formats(con, scope)
    if kinds.empty:
        st.info(t("content.formats.none"))
        return
    lang = i18n.language()
    breakdown_section(
        kinds,
        "format",
        t("content.col.format"),
        lambda f: t(f"content.format.{f}", lang=lang),
        "formats",
        title,
        [t("content.formats.note")],
        files,
        f"{mission_id}-formats",
        t("content.formats.chart"),
    )


def themes_section(con: object, scope: metrics.Scope, mission_id: str, files: ExportScope) -> None:
    """Posts, interactions and interactions per post by theme (themes.csv; a post about two
    themes counts in both)."""
    title = t("content.themes.title")
    st.subheader(title)
    lang = i18n.language()
    try:
        themes = metrics.theme_summary(con, scope)
    except ThemesError as error:
        st.error(t("themes.mission.bad_rules", message=error.message(lang)))
        return
    themes = themes[themes["posts"] > 0]
    if themes.empty:
        st.info(t("content.themes.none"))
        return
    breakdown_section(
        themes,
        "theme",
        t("themes.mission.col.theme"),
        lambda theme: theme_label(theme, lang),
        "themes",
        title,
        [t("content.themes.note")],
        files,
        f"{mission_id}-themes",
        t("content.themes.chart"),
    )


def languages_section(
    con: object, scope: metrics.Scope, mission_id: str, files: ExportScope
) -> None:
    """Posts, interactions and interactions per post by language (detected or the platform's;
    undetermined posts last), with the host-language share and lift of the KPIs."""
    title = t("content.languages.title")
    st.subheader(title)
    spoken = metrics.languages(con, scope)
    if spoken.empty:
        st.info(t("content.languages.none"))
        return
    shown = ("host_language_share", "host_language_lift")
    numbers = metrics.compute(con, scope, by="network", only=shown).iloc[0]
    lang = i18n.language()
    facts = [f"{kpi_label(name)}: {format_kpi(name, numbers[name])}" for name in shown]
    hosts = {
        code
        for code, host in zip(spoken["language"], spoken["host_language"], strict=True)
        if host is True
    }

    def name(code: str) -> str:
        # "" is the undetermined posts' row (a key column holds no None)
        if not code:
            return t("languages.undetermined", lang=lang)
        label = i18n.language_name(code, lang)
        return f"{label} ({t('content.languages.host', lang=lang)})" if code in hosts else label

    spoken = spoken.assign(language=spoken["language"].where(spoken["language"].notna(), ""))
    breakdown_section(
        spoken,
        "language",
        t("content.languages.col"),
        name,
        "languages",
        title,
        [" · ".join(facts), t("content.languages.note")],
        files,
        f"{mission_id}-languages",
        t("content.languages.chart"),
    )


def best_time_section(
    con: object, scope: metrics.Scope, mission_id: str, zone: str, files: ExportScope
) -> None:
    """The weekday x hour heat map, with what it leaves out said under it."""
    st.subheader(t("content.best.title"))
    result = metrics.best_time(con, scope)
    st.caption(t("content.best.intro", zone=zone))
    if result.cells.empty:
        st.info(t("content.best.none"))
    else:
        title = t("content.best.chart")
        heatmap.show_best_time(
            result.cells,
            result.min_posts,
            f"{mission_id}-best-time",
            title,
            scope=files.titled(title),
        )
        st.caption(t("content.best.thin_note", n=result.min_posts))
    notes = [t("content.best.why_rate")]
    if result.untimed:
        notes.append(t("content.best.untimed", n=format_number(result.untimed)))
    if result.unrated:
        notes.append(t("content.best.unrated", n=format_number(result.unrated)))
    st.caption(" ".join(notes))


current = filters.current()
with state.reader() as con:
    missions = queries.missions_with_accounts(con)
    st.title(t("content.title"))
    if missions.empty or not current.has_data:
        st.info(t("ui.app.no_data"))
        st.stop()

    mission = filters.picked_mission(missions)
    mission_id = mission["mission_id"]
    zone = str(mission.get("timezone") or "")
    name = mission_name(mission)
    st.header(name)
    # Nothing here is compared with another period: the caption and the files give the period.
    period = period_text(current.start, current.end)
    st.caption(" · ".join([period, t("content.intro", zone=zone)]))
    scope = current.scope(missions=[mission_id])
    files = tables.page_scope(current, "", missions=name, period=period)

    formats_section(con, scope, mission_id, files)
    languages_section(con, scope, mission_id, files)
    themes_section(con, scope, mission_id, files)
    best_time_section(con, scope, mission_id, zone, files)
